"""Which format a file is in, from its content (the root element's namespace and name; hOCR by
the ``ocr_page`` class in HTML; JSONL by a first line that is a JSON object), and which
folders are books of numbered pages."""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..io import InputError

FORMATS = ("txt", "alto", "hocr", "page", "jsonl")
_ROOT = re.compile(rb"<(?:([\w.-]+):)?([\w.-]+)[\s>/]")
# a page's name: a number (0001), a page word and a number (page_001, p12), or any name and a
# zero-padded number after a separator (book_0003)
_PAGE_NAME = re.compile(r"^(?:(?:p|pg|page|img|image|scan|leaf|folio)[_-]?(\d+)|(\d+)|[\w.-]*[_-](\d{3,}))$", re.I)
PAGE_SUFFIXES = {".txt": "txt", ".xml": "xml", ".hocr": "hocr", ".html": "hocr", ".htm": "hocr"}


def looks_like(data: bytes) -> bool:
    """Is ``data`` hOCR (a page of ``ocr_page`` class in HTML)?"""
    head = data[:200000]
    return b"ocr_page" in head and (b"<html" in head.lower() or b"<div" in head or b"<span" in head)


def _root_start(data: bytes) -> bytes:
    """The bytes from the root element's start tag on (prolog, comments and doctype skipped)."""
    from lxml import etree

    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    try:   # the first start event names the root: lxml reads only as far as it needs
        for _, el in etree.iterparse(_Prefix(head), events=("start",), recover=True,
                                     resolve_entities=False, no_network=True):
            return el.tag.encode("utf-8") if isinstance(el.tag, str) else b""
    except etree.LxmlError:
        return b""
    return b""


class _Prefix:
    def __init__(self, data: bytes) -> None:
        self.data, self.done = data, False

    def read(self, n: int = -1) -> bytes:
        if self.done:
            return b""
        self.done = True
        return self.data


def detect(data: bytes, name: str = "input") -> str:
    """``txt``, ``alto``, ``hocr``, ``page`` or ``jsonl``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        first = data.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    if head.startswith(b"<"):
        tag = _root_start(data).decode("utf-8", "replace")
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if local.lower() == "alto" or "standards/alto" in ns or "ALTO" in ns:
            return "alto"
        if local == "PcGts" or "primaresearch.org/PAGE" in ns:
            return "page"
        if local.lower() == "html" and looks_like(data):
            return "hocr"
        if looks_like(data):
            return "hocr"
        if local:
                    raise InputError(f"{name}: an XML/HTML file with root <{local}> is not ALTO, hOCR or PAGE XML; "
                             "give --format to say what it is")
    return "txt"


def page_number(path: Path) -> int | None:
    m = _PAGE_NAME.match(path.stem)
    return int(next(g for g in m.groups() if g)) if m else None


def page_files(folder: Path) -> list[Path] | None:
    """The page files of a folder that is a book of numbered pages (``0001.txt``,
    ``page_001.xml``, ...: every text file named with a number, of one kind), in page order;
    None when it is not one."""
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
             and p.suffix.lower() in PAGE_SUFFIXES]
    if not files or any(page_number(p) is None for p in files):
        return None
    if len({PAGE_SUFFIXES[p.suffix.lower()] for p in files}) != 1:
        return None
    return sorted(files, key=lambda p: (page_number(p), p.name))


_OTHER_SUFFIXES = (".xml", ".hocr", ".html", ".htm", ".jsonl", ".ndjson")


def collect_sources(paths: list[Path], fmt: str | None = None, book: bool = False) -> list[Path]:
    """The files to clean: files named; a folder named with ``book`` (or a folder of numbered
    page files) is one source, a book; another folder gives its files of the format
    (``*.txt`` by default; ``*.xml`` for ALTO and PAGE, ``*.hocr``/``*.html`` for hOCR,
    ``*.jsonl`` for JSONL)."""
    from ..io import InputError

    suffixes = {None: (".txt",), "txt": (".txt",), "alto": (".xml",), "page": (".xml",),
                "hocr": (".hocr", ".html", ".htm"), "jsonl": (".jsonl", ".ndjson")}[fmt]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            if book:
                if not any(f.is_file() and f.suffix.lower() in PAGE_SUFFIXES for f in p.iterdir()):
                    raise InputError(f"{p}: folder holds no page file (.txt, .xml, .hocr, .html)")
                out.append(p)
                continue
            if page_files(p) is not None and (fmt is None or all(
                    f.suffix.lower() in suffixes for f in page_files(p))):
                out.append(p)
                continue
            # a link among them that leads nowhere (broken, a loop) is kept: reading it says why
            files = sorted(x for x in p.iterdir() if (x.is_file() or (x.is_symlink() and not x.is_dir()))
                           and not x.name.startswith("."))
            found = [x for x in files if x.suffix.lower() in suffixes]
            if not found and fmt is None:   # no text file: the OCR files of the other formats
                found = [x for x in files if x.suffix.lower() in _OTHER_SUFFIXES]
            if not found:
                raise InputError(f"{p}: folder holds no {' or '.join(suffixes)} file")
            out.extend(found)
        elif p.exists():
            out.append(p)
        elif p.is_symlink():   # broken, or a loop: reading it says which, as the book's error
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out

"""Clean a source of any format and make its outputs (in memory: the caller writes them).

* :func:`clean_bytes`: one file (txt, ALTO, hOCR, PAGE XML or JSONL) -> the same format;
* :func:`clean_book`: the pages of a book (a folder of numbered page files) cleaned as one
  text, then written back page by page.

Each gives a :class:`Cleaned`: the output files (name, bytes), the ledger's text and the
pipeline results.  Nothing here writes a file.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..io import InputError, decode
from ..ledger import Ledger
from ..pipeline import clean_texts
from . import alto, hocr, jsonl, page
from .detect import detect
from .model import Parsed, Unit
from .options import Options
from .project import Change, moved_points, project, removed_spans

READERS = {"alto": alto.read, "hocr": hocr.read, "page": page.read}
WRITERS = {"alto": alto.write, "hocr": hocr.write, "page": page.write}


@dataclass
class Cleaned:
    fmt: str
    outputs: list[tuple[str, bytes]]
    ledger: str = ""
    results: list = field(default_factory=list)
    changes: int = 0
    raw_sha256: str = ""


def _ids(parsed: Parsed, ch: Change) -> list[str]:
    out = []
    for i in ch.units:
        el = parsed.units[i].elem
        ident = el.get("ID") or el.get("id")
        if not ident:
            tree = el.getroottree()
            ident = tree.getpath(el)
        out.append(ident)
    return out


def _step(pipeline, n: int, ledger_name: str) -> dict:
    return {"version": __version__,
            "description": f"{n} word(s) corrected by ocr-clean; every edit in {ledger_name}",
            "settings": "stages: " + ", ".join(pipeline.stage_names)}


def _shas(outputs: list[tuple[str, bytes]]) -> dict[str, str]:
    """``{output name: sha256}``: what ``--resume`` checks the files on disk against."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in outputs}


def _encode_text(text: str) -> bytes:
    return text.encode("utf-8")


def _profile(result) -> dict | None:
    """The scan profile the run decided by (ocr_clean.profile), for the ledger header."""
    prof = result.document.profile
    return prof.to_dict() if prof is not None else None


def clean_bytes(data: bytes, name: str, pipeline, opts: Options | None = None,
                header: dict | None = None) -> Cleaned:
    """Clean one file's bytes.  ``name`` is the file name (outputs keep it);
    ``header`` is merged into the ledger's header."""
    opts = opts or Options()
    fmt = opts.fmt or detect(data, name)
    stem = Path(name).stem
    ledger_name = f"{stem}.ledger.jsonl"
    header = dict(header or {})
    header.update({"name": stem, "format": fmt, "stages": pipeline.stage_names, "ocr_clean": __version__})
    if fmt == "txt":
        raw = decode(data, name)
        result = pipeline.run(raw, name=stem)
        header["profile"] = _profile(result)
        header["raw_sha256"] = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        out = _encode_text(result.text)
        header["text_sha256"] = hashlib.sha256(out).hexdigest()
        header["outputs"] = _shas([(name, out)])
        return Cleaned(fmt, [(name, out)], result.ledger.to_jsonl(header), [result],
                       len(result.ledger), header["raw_sha256"])
    if fmt == "jsonl":
        return _clean_jsonl(data, name, pipeline, opts, header, ledger_name)
    if fmt not in READERS:
        raise InputError(f"{name}: unknown format {fmt!r}; choose txt, alto, hocr, page or jsonl")
    parsed = READERS[fmt](data, name)
    if not parsed.text.strip():
        raise InputError(f"{name}: no words in this {fmt} file (nothing to clean)")
    result = pipeline.run(parsed.text, name=stem)
    changes = project(parsed, result.text, result.document.offset_map(), removed_spans(result.ledger),
                      moved_points(result.ledger))
    made = [c for c in changes if c.op != "kept"]
    out, _ = WRITERS[fmt](parsed, changes, _step(pipeline, len(made), ledger_name))
    header["profile"] = _profile(result)
    header["raw_sha256"] = hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()
    header["source_sha256"] = hashlib.sha256(data).hexdigest()
    header["text_sha256"] = hashlib.sha256(out).hexdigest()
    header["layout"] = [c.to_dict(_ids(parsed, c)) for c in changes]
    header["outputs"] = _shas([(name, out)])
    return Cleaned(fmt, [(name, out)], result.ledger.to_jsonl(header), [result], len(made),
                   header["raw_sha256"])


def _clean_jsonl(data: bytes, name: str, pipeline, opts: Options, header: dict,
                 ledger_name: str) -> Cleaned:
    text = decode(data, name)
    records, texts = jsonl.read_records(text, name, opts.text_field)
    stem = Path(name).stem
    # one collection (clean_texts: evidence shared) a group of records, in the order of
    # their first record; all records are one collection without --group-by
    groups: dict = {}
    for i, t in enumerate(texts):
        if t.strip():
            key = jsonl.group_key(records[i], opts.group_by, name, i) if opts.group_by else None
            groups.setdefault(key, []).append(i)
    outs = list(texts)
    ledgers = [None] * len(texts)
    results = []
    for todo in groups.values():
        # the records' uncertain edits go to the pipeline's review (if any), one doc a record
        done = clean_texts([texts[i] for i in todo], config=pipeline.config,
                           names=[f"{stem}#{i}" for i in todo], review=pipeline.review)
        for i, res in zip(todo, done):
            outs[i] = res.text
            ledgers[i] = res.ledger
        results += done
    ledgers = [led if led is not None else Ledger() for led in ledgers]
    out = jsonl.write_records(records, outs, opts.out_field or opts.text_field).encode("utf-8")
    header.update({"text_field": opts.text_field, "out_field": opts.out_field or opts.text_field,
                   "group_by": opts.group_by, "records": len(records),
                   "raw_sha256": hashlib.sha256(data).hexdigest(),
                   "text_sha256": hashlib.sha256(out).hexdigest(), "outputs": _shas([(name, out)])})
    return Cleaned("jsonl", [(name, out)], jsonl.ledger_text(header, ledgers), results,
                   sum(len(r.ledger) for r in results), header["raw_sha256"])


# -- books as folders of pages --------------------------------------------------------------

def out_position(offset_map, out: str, raw_pos: int) -> int:
    """Where the raw offset ``raw_pos`` falls in the cleaned text: the first character that
    comes from at or after it; an edit across it stays before.  Then moved to the end of the
    word it falls in (a word broken across pages belongs to the page it starts on)."""
    pos = len(out)
    for k, (c0, r0, r1, copied) in enumerate(offset_map):
        c1 = offset_map[k + 1][0] if k + 1 < len(offset_map) else len(out)
        if copied and r0 <= raw_pos < r1:
            pos = c0 + raw_pos - r0
            break
        if r0 >= raw_pos and (copied or r1 > r0 or c1 > c0):
            pos = c0
            break
        if not copied and r0 < raw_pos < r1:
            pos = c1
            break
    while 0 < pos < len(out) and not out[pos - 1].isspace() and not out[pos].isspace():
        pos += 1
    return pos


def page_texts(out: str, offset_map, starts: list[int]) -> list[str]:
    """The cleaned text cut at the pages' raw starts (the first page starts at 0)."""
    cuts = [0] + [out_position(offset_map, out, s) for s in starts[1:]] + [len(out)]
    cuts = [max(cuts[:k + 1]) for k in range(len(cuts))]
    texts = []
    for a, b in zip(cuts, cuts[1:]):
        t = out[a:b].strip(" \n")
        texts.append(t + "\n" if t else "")
    return texts


def clean_book(pages: list[tuple[str, bytes]], book_name: str, pipeline,
               opts: Options | None = None, header: dict | None = None) -> Cleaned:
    """Clean the pages as one text and write each page back in its own format."""
    opts = opts or Options()
    if not pages:
        raise InputError(f"{book_name}: no page files")
    fmts = {opts.fmt or detect(data, name) for name, data in pages}
    if len(fmts) != 1 or "jsonl" in fmts:
        raise InputError(f"{book_name}: the pages must all be txt, alto, hocr or page files of one format "
                         f"(found {', '.join(sorted(fmts))})")
    fmt = fmts.pop()
    header = dict(header or {})
    ledger_name = f"{book_name}.ledger.jsonl"
    parts, parsed_pages, starts, units = [], [], [], []
    pos = 0
    for name, data in pages:
        if fmt == "txt":
            t = decode(data, name) if data.strip() else ""
            p = Parsed("txt", t, [])
        else:
            p = READERS[fmt](data, name)
        t = p.text
        if t and not t.endswith("\n"):
            t += "\n"
        starts.append(pos)
        for u in p.units:
            units.append((len(parsed_pages), u, pos))
        parsed_pages.append(p)
        parts.append(t)
        pos += len(t)
    raw = "".join(parts)
    if not raw.strip():
        raise InputError(f"{book_name}: the pages hold no text (nothing to clean)")
    result = pipeline.run(raw, name=book_name)
    omap = result.document.offset_map()
    header.update({"name": book_name, "format": fmt, "stages": pipeline.stage_names,
                   "ocr_clean": __version__, "raw_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
                   "pages": [{"name": name, "raw_start": s} for (name, _), s in zip(pages, starts)],
                   "profile": _profile(result)})
    outputs: list[tuple[str, bytes]] = []
    n_changes = 0
    if fmt == "txt":
        for (name, _), t in zip(pages, page_texts(result.text, omap, starts)):
            outputs.append((name, t.encode("utf-8")))
    else:
        combined = Parsed(fmt, raw, [Unit(u.start + off, u.end + off, u.elem, (k, u.line), u.conf, u.hyp,
                                          u.line_elem) for k, u, off in units])
        changes = project(combined, result.text, omap, removed_spans(result.ledger), moved_points(result.ledger))
        first_unit = []
        n = 0
        for p in parsed_pages:
            first_unit.append(n)
            n += len(p.units)
        page_of = [k for k, _, _ in units]
        per_page: list[list[Change]] = [[] for _ in pages]
        layout = []
        for ch in changes:
            layout.append(ch.to_dict([f"{pages[page_of[i]][0]}#{_ids(combined, Change(ch.op, [i], []))[0]}"
                                      for i in ch.units]))
            by_page: dict[int, list[int]] = {}
            for k, i in enumerate(ch.units):
                by_page.setdefault(page_of[i], []).append(k)
            for pg, ks in by_page.items():
                local = [ch.units[k] - first_unit[pg] for k in ks]
                texts = [ch.texts[k] for k in ks] if ch.op == "hyphen" else ch.texts
                per_page[pg].append(Change(ch.op, local, texts, ch.token, [ch.before[k] for k in ks]))
        n_changes = sum(1 for c in changes if c.op != "kept")
        step = _step(pipeline, n_changes, ledger_name)
        for (name, _), p, chs in zip(pages, parsed_pages, per_page):
            out, _ = WRITERS[fmt](p, chs, step)
            outputs.append((name, out))
        header["layout"] = layout
    if fmt == "txt":
        n_changes = len(result.ledger)
    header["outputs"] = _shas(outputs)
    return Cleaned(fmt, outputs, result.ledger.to_jsonl(header), [result], n_changes, header["raw_sha256"])

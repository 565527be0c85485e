"""hOCR (1.2): ``ocr_par`` (or ``ocr_carea``) > ``ocr_line`` (and the other line classes) >
``ocrx_word``, boxes in ``title="bbox x0 y0 x1 y1; x_wconf N"``.

Read: a word's text, ``x_wconf`` / 100 its confidence; a hyphen ending a line stays in the
word (``word-\\n``).  Write: the word's text changed in place (its ``title`` kept); split
words become ``ocrx_word`` spans with the bbox cut in proportion to the characters, joined
words one span with the union bbox; the step is recorded in a ``<meta
name="ocr-correction-system">`` of the head (beside the engine's ``ocr-system``).
"""
from __future__ import annotations

import re

from lxml import etree

from ..io import InputError

from .model import Parsed, TextBuilder, parse_xml, serialize, split_box, union, xml_prolog
from .project import Change
from .xmlutil import clone, fmt_num, insert_after, now_iso, remove, unique_id

LINE_CLASSES = {"ocr_line", "ocrx_line", "ocr_textfloat", "ocr_header", "ocr_caption"}
BLOCK_CLASSES = ("ocr_par", "ocr_carea", "ocr_page")
_BBOX = re.compile(r"\bbbox\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)")
_WCONF = re.compile(r"\bx_wconf\s+(-?[\d.]+)")


def classes(el) -> set[str]:
    c = el.get("class")
    return set(c.split()) if c else set()


def _parse(data: bytes, name: str):
    try:
        return parse_xml(data, name), True
    except ValueError:   # not XHTML: read it as HTML
        import lxml.html

        return etree.ElementTree(lxml.html.document_fromstring(data)), False


def word_text(el) -> str:
    return "".join(el.itertext())


def _in_class(el, wanted) -> bool:
    return bool(classes(el) & set(wanted))


def read(data: bytes, name: str = "input") -> Parsed:
    tree, is_xml = _parse(data, name)
    root = tree.getroot()
    words = [el for el in root.iter() if isinstance(el.tag, str) and "ocrx_word" in classes(el)]
    if not words and not any("ocr_page" in classes(el) for el in root.iter() if isinstance(el.tag, str)):
        raise InputError(f"{name}: no ocr_page or ocrx_word in this HTML: not hOCR")
    b = TextBuilder()
    block_of: dict = {}
    order: list = []
    for w in words:
        line = block = None
        for anc in w.iterancestors():
            cls = classes(anc)
            if line is None and cls & LINE_CLASSES:
                line = anc
            if cls & set(BLOCK_CLASSES):
                block = anc
                break
        line = line if line is not None else w.getparent()
        key = id(block) if block is not None else 0
        if key not in block_of:
            block_of[key] = {}
            order.append(key)
        block_of[key].setdefault(id(line), []).append((w, line))
    for key in order:
        lines = []
        for ws in block_of[key].values():
            row = []
            for w, line in ws:
                text = " ".join(word_text(w).split())
                if not text:
                    continue
                m = _WCONF.search(w.get("title", ""))
                conf = float(m.group(1)) / 100 if m else None
                row.append((text, w, conf, None, line))
            lines.append(row)
        b.block(lines)
    return Parsed("hocr", b.text(), b.units, tree, xml_prolog(data) if is_xml else b"",
                  {"xml": is_xml})


def _bbox(el):
    m = _BBOX.search(el.get("title", ""))
    if not m:
        return None
    vals = m.groups()
    return tuple(float(v) for v in vals), all(v.lstrip("-").isdigit() for v in vals)


def _set_bbox(el, box, as_int: bool) -> None:
    s = "bbox " + " ".join(fmt_num(v, as_int) for v in box)
    title = el.get("title", "")
    el.set("title", _BBOX.sub(s, title, count=1) if _BBOX.search(title) else (s + "; " + title if title else s))


class _Writer:
    def __init__(self, parsed: Parsed) -> None:
        self.p = parsed
        self.changed = 0

    def set_text(self, el, text: str) -> None:
        if word_text(el) == text:
            return
        target = el
        while len(target) == 1 and not (target.text or "").strip():
            target = target[0]
        for c in list(target):
            target.remove(c)
        target.text = text
        self.changed += 1

    def delete(self, el) -> None:
        remove(el)
        self.changed += 1

    def replace(self, us, texts: list[str]) -> None:
        if not texts:
            for u in us:
                self.delete(u.elem)
            return
        boxes = [_bbox(u.elem) for u in us]
        first = us[0].elem
        for u in us[1:]:
            self.delete(u.elem)
        self.set_text(first, texts[0])
        new_boxes = None
        if all(b is not None for b in boxes) and (len(us) > 1 or len(texts) > 1):
            as_int = all(b[1] for b in boxes)
            new_boxes = split_box(union([b[0] for b in boxes]), texts)
            _set_bbox(first, new_boxes[0], as_int)
        anchor = first
        for k, t in enumerate(texts[1:], 1):
            w = clone(first, children=True)
            if first.get("id"):
                w.set("id", unique_id(self.p.tree, first.get("id")))
            self.set_text(w, t)
            if new_boxes:
                _set_bbox(w, new_boxes[k], as_int)
            w.tail = first.tail if first.tail is not None else " "
            if anchor.tail is None:
                anchor.tail = " "
            insert_after(anchor, w)
            anchor = w
            self.changed += 1

    def record(self, step: dict) -> None:
        root = self.p.tree.getroot()
        head = next((el for el in root.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "head"), None)
        if head is None:
            return
        ns = head.tag[: head.tag.index("}") + 1] if head.tag.startswith("{") else ""
        meta = etree.Element(ns + "meta")
        meta.set("name", "ocr-correction-system")
        meta.set("content", f"ocr-clean {step.get('version', '')}; {now_iso()}; {step.get('description', '')}")
        kids = list(head)
        if kids:
            meta.tail = kids[-1].tail
            kids[-1].tail = kids[-2].tail if len(kids) > 1 else head.text
        head.append(meta)
        self.changed += 1


def write(parsed: Parsed, changes: list[Change], step: dict | None = None) -> tuple[bytes, int]:
    w = _Writer(parsed)
    units = parsed.units
    for ch in changes:
        us = [units[i] for i in ch.units]
        if ch.op == "change":
            w.set_text(us[0].elem, ch.texts[0])
        elif ch.op == "replace":
            w.replace(us, list(ch.texts))
        elif ch.op == "hyphen":
            for u, t in zip(us, ch.texts):
                w.set_text(u.elem, t)
        elif ch.op == "delete":
            w.delete(us[0].elem)
    if w.changed and step is not None:
        w.record(step)
    if parsed.info.get("xml", True):
        return serialize(parsed), w.changed
    import lxml.html

    return lxml.html.tostring(parsed.tree, encoding="utf-8", doctype=parsed.tree.docinfo.doctype), w.changed

"""ALTO (v2, v3, v4): ``TextBlock`` > ``TextLine`` > ``String`` / ``SP`` / ``HYP``.

Read: blocks in document order, a ``String``'s ``CONTENT`` a word, ``WC`` its confidence; a
line-end ``HYP`` adds its hyphen to the word before it (``word-\\n``).  Write: ``CONTENT``
changed in place (box kept); split and joined words get the boxes cut or merged in
proportion to the characters (new ``String``s take the attributes of the one they come
from, with an ``SP`` between); a hyphenated pair gets ``SUBS_TYPE``
(``HypPart1``/``HypPart2``) and ``SUBS_CONTENT`` for the word as read, and the ``HYP``
stays; the step is recorded in ``Description`` (ALTO 4: ``Processing``; v2/v3: a
``postProcessingStep`` of ``OCRProcessing``).
"""
from __future__ import annotations

from lxml import etree

from .model import Parsed, TextBuilder, parse_xml, serialize, split_box, union, xml_prolog
from .project import HYPHENS, Change
from .xmlutil import clone, fmt_num, insert_after, is_int_text, local, namespace, now_iso, remove, unique_id

NAMESPACES = {
    "http://www.loc.gov/standards/alto/ns-v4#": 4,
    "http://www.loc.gov/standards/alto/ns-v3#": 3,
    "http://www.loc.gov/standards/alto/ns-v2#": 2,
    "http://schema.ccs-gmbh.com/ALTO": 1,
}


def version(root) -> int:
    ns = namespace(root.tag).strip("{}")
    return NAMESPACES.get(ns, 4)


def read(data: bytes, name: str = "input") -> Parsed:
    tree = parse_xml(data, name)
    root = tree.getroot()
    ns = namespace(root.tag)
    b = TextBuilder()
    string, hyph = ns + "String", ns + "HYP"
    for block in root.iter(ns + "TextBlock"):
        lines = []
        for line in block.iter(ns + "TextLine"):
            words: list[list] = []
            for el in line:
                tag = el.tag
                if tag == string:
                    content = el.get("CONTENT", "")
                    if not content.strip():
                        continue
                    wc = el.get("WC")
                    try:
                        conf = float(wc) if wc is not None else None
                    except ValueError:
                        conf = None
                    words.append([content, el, conf, None, line])
                elif tag == hyph and words:
                    words[-1][0] += "-"
                    words[-1][3] = el
            lines.append([tuple(w) for w in words])
        b.block(lines)
    return Parsed("alto", b.text(), b.units, tree, xml_prolog(data), {"version": version(root)})


def _box(el) -> tuple[tuple[float, float, float, float], bool] | None:
    vals = [el.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")]
    if any(v is None for v in vals):
        return None
    try:
        x, y, w, h = (float(v) for v in vals)
    except ValueError:
        return None
    return (x, y, x + w, y + h), is_int_text(*vals)


def _set_box(el, box, as_int: bool) -> None:
    x0, y0, x1, y1 = box
    el.set("HPOS", fmt_num(x0, as_int))
    el.set("VPOS", fmt_num(y0, as_int))
    el.set("WIDTH", fmt_num(x1 - x0, as_int))
    el.set("HEIGHT", fmt_num(y1 - y0, as_int))


class _Writer:
    def __init__(self, parsed: Parsed) -> None:
        self.p = parsed
        self.ns = namespace(parsed.tree.getroot().tag)
        self.changed = 0
        self.hyphen_done: set[int] = set()

    def set(self, el, key: str, value: str) -> None:
        if el.get(key) != value:
            el.set(key, value)
            self.changed += 1

    def content(self, u, text: str) -> None:
        if u.hyp is not None and text.endswith(HYPHENS):
            text = text[:-1]
        self.set(u.elem, "CONTENT", text)

    def delete(self, u) -> None:
        el = u.elem
        prev, nxt = el.getprevious(), el.getnext()
        if prev is not None and local(prev.tag) == "SP":
            remove(prev)
        elif nxt is not None and local(nxt.tag) == "SP":
            remove(nxt)
        if u.hyp is not None:
            remove(u.hyp)
        remove(el)
        self.changed += 1

    def replace(self, us, texts: list[str]) -> None:
        if not texts:
            for u in us:
                self.delete(u)
            return
        boxes = [_box(u.elem) for u in us]
        first = us[0].elem
        if len(us) > 1:   # joined: the others and the spaces between them go
            for u in us[1:]:
                el = u.elem
                prev = el.getprevious()
                while prev is not None and local(prev.tag) == "SP":
                    before = prev.getprevious()
                    remove(prev)
                    prev = before
                if u.hyp is not None and u is not us[-1]:
                    remove(u.hyp)
                remove(el)
            if us[-1].hyp is not None:      # the line-end hyphen now follows the joined word
                us[0].hyp = us[-1].hyp
            self.changed += 1
        last_hyp = us[0].hyp if len(us) == 1 else us[-1].hyp
        if last_hyp is not None and texts[-1].endswith(HYPHENS):
            texts = texts[:-1] + [texts[-1][:-1]]
        new_boxes = None
        if all(b is not None for b in boxes):
            as_int = all(b[1] for b in boxes)
            whole = union([b[0] for b in boxes])
            new_boxes = split_box(whole, texts) if (len(texts) > 1 or len(us) > 1) else None
        self.set(first, "CONTENT", texts[0])
        if new_boxes:
            _set_box(first, new_boxes[0], as_int)
        anchor = first
        for k, t in enumerate(texts[1:], 1):
            sp = etree.Element(self.ns + "SP")
            s = clone(first)
            s.set("ID", unique_id(self.p.tree, first.get("ID") or "STRING"))
            s.set("CONTENT", t)
            for attr in ("SUBS_TYPE", "SUBS_CONTENT"):
                s.attrib.pop(attr, None)
            if new_boxes:
                _set_box(s, new_boxes[k], as_int)
                x_gap = new_boxes[k - 1][2]
                sp.set("HPOS", fmt_num(x_gap, as_int))
                sp.set("VPOS", fmt_num(new_boxes[k][1], as_int))
                sp.set("WIDTH", fmt_num(max(new_boxes[k][0] - x_gap, 0), as_int))
            sp.tail = s.tail = first.tail
            insert_after(anchor, sp)
            insert_after(sp, s)
            anchor = s
            self.changed += 1

    def hyphen(self, us, parts: list[str], token: str) -> None:
        for u, part in zip(us, parts):
            self.content(u, part)
        for a, b in zip(us, us[1:]):
            if a.line != b.line:
                subs = token
                self.set(a.elem, "SUBS_TYPE", "HypPart1")
                self.set(a.elem, "SUBS_CONTENT", subs)
                self.set(b.elem, "SUBS_TYPE", "HypPart2")
                self.set(b.elem, "SUBS_CONTENT", subs)
                self.hyphen_done.update((id(a.elem), id(b.elem)))

    def pairs_consistent(self, touched) -> None:
        """A hyphenated pair one of whose parts changed outside a joined reading: its
        SUBS_CONTENT is the two parts' CONTENT put together again."""
        units = self.p.units
        for i in touched:
            el = units[i].elem
            if id(el) in self.hyphen_done or el.getparent() is None:
                continue
            kind = el.get("SUBS_TYPE")
            j = i + 1 if kind == "HypPart1" else i - 1 if kind == "HypPart2" else None
            if j is None or not 0 <= j < len(units):
                continue
            a, b = (el, units[j].elem) if kind == "HypPart1" else (units[j].elem, el)
            if b.get("SUBS_TYPE") != "HypPart2" and a.get("SUBS_TYPE") != "HypPart1":
                continue
            subs = (a.get("CONTENT") or "") + (b.get("CONTENT") or "")
            self.set(a, "SUBS_CONTENT", subs)
            self.set(b, "SUBS_CONTENT", subs)

    def record(self, step: dict) -> None:
        root = self.p.tree.getroot()
        ns = self.ns
        desc = root.find(ns + "Description")
        if desc is None:
            return
        E = lambda tag, text=None: _el(ns + tag, text)  # noqa: E731
        software = E("processingSoftware")
        software.append(E("softwareCreator", "ocr_clean"))
        software.append(E("softwareName", "ocr-clean"))
        software.append(E("softwareVersion", step.get("version", "")))
        parts = [E("processingDateTime", now_iso()),
                 E("processingStepDescription", step.get("description", "")),
                 E("processingStepSettings", step.get("settings", "")), software]
        if self.p.info.get("version", 4) >= 4:       # ALTO 4: a Processing of its own
            proc = holder = E("Processing")
            proc.set("ID", unique_id(self.p.tree, "OCR_CLEAN"))
            target = desc
        else:                                         # v2/v3: a post-processing step
            ocrs = desc.findall(ns + "OCRProcessing")
            if ocrs:
                target, proc = ocrs[-1], E("postProcessingStep")
                holder = proc
            else:
                target, proc = desc, E("OCRProcessing")
                proc.set("ID", unique_id(self.p.tree, "OCR_CLEAN"))
                holder = E("ocrProcessingStep")
                proc.append(holder)
        for el in parts:
            holder.append(el)
        _indent_append(target, proc)
        self.changed += 1


def _el(tag: str, text: str | None = None):
    el = etree.Element(tag)
    if text is not None:
        el.text = text
    return el


def _indent_append(parent, new) -> None:
    """Append ``new`` as the last child, indented like its siblings when the file is indented."""
    kids = list(parent)
    if kids and kids[-1].tail is not None and not kids[-1].tail.strip():
        closing = kids[-1].tail
        inner = (kids[-2].tail if len(kids) > 1 else parent.text) or closing
        kids[-1].tail = inner
        new.tail = closing
        step = inner[len(closing):] if inner.startswith(closing) else "  "
        _indent(new, inner, step)
    parent.append(new)


def _indent(el, prefix: str, step: str) -> None:
    kids = list(el)
    if not kids:
        return
    el.text = prefix + step
    for k in kids:
        k.tail = prefix + step
        _indent(k, prefix + step, step)
    kids[-1].tail = prefix


def write(parsed: Parsed, changes: list[Change], step: dict | None = None) -> tuple[bytes, int]:
    """Apply ``changes`` to the parsed tree; the file's bytes and the number of changes made."""
    w = _Writer(parsed)
    units = parsed.units
    touched: list[int] = []
    for ch in changes:
        us = [units[i] for i in ch.units]
        if ch.op == "change":
            w.content(us[0], ch.texts[0])
        elif ch.op == "replace":
            w.replace(us, list(ch.texts))
        elif ch.op == "hyphen":
            w.hyphen(us, ch.texts, ch.token)
        elif ch.op == "delete":
            w.delete(us[0])
        touched += ch.units
    w.pairs_consistent(touched)
    if w.changed and step is not None:
        w.record(step)
    return serialize(parsed), w.changed

"""PAGE XML (2019-07-15, and the 2013/2017 namespaces): ``TextRegion`` > ``TextLine`` >
``Word``, each with ``Coords@points`` and ``TextEquiv`` (``@conf``) > ``Unicode``.

Read: regions in the page's ``ReadingOrder`` (then any others in document order), a
``Word``'s first ``TextEquiv`` its text and confidence; a line without ``Word``s is read from
its own ``TextEquiv`` as one unit.  Write: the word's ``Unicode`` changed (its ``Coords``
kept); split words become ``Word``s with the bounding box cut in proportion to the
characters, joined words one ``Word`` with the union box; the ``TextEquiv`` of each line
and region whose words changed is made again from them (when it matched them before);
the step is a ``MetadataItem type="processingStep"``, and ``LastChange`` is updated.
"""
from __future__ import annotations

from lxml import etree

from .model import Parsed, TextBuilder, parse_xml, serialize, split_box, union, xml_prolog
from .project import Change
from .xmlutil import clone, fmt_num, insert_after, local, namespace, now_iso, remove, unique_id


def _equiv(el, ns: str):
    """The element's first TextEquiv (lowest index) and its Unicode element."""
    eqs = el.findall(ns + "TextEquiv")
    if not eqs:
        return None, None
    eqs.sort(key=lambda e: int(e.get("index", "0")) if e.get("index", "0").lstrip("-").isdigit() else 0)
    return eqs[0], eqs[0].find(ns + "Unicode")


def text_of(el, ns: str) -> str | None:
    _, uni = _equiv(el, ns)
    return None if uni is None else (uni.text or "")


def _regions(root, ns: str) -> list:
    """The text regions in the page's ReadingOrder (groups in order, indexed members by
    their index), then the regions it does not name, in document order."""
    regions = list(root.iter(ns + "TextRegion"))
    ro = root.find(f".//{ns}ReadingOrder")
    if ro is None:
        return regions
    by_id = {r.get("id"): r for r in regions}
    out, seen = [], set()

    def walk(group) -> None:
        kids = [k for k in group if isinstance(k.tag, str)]
        if kids and all((k.get("index") or "").isdigit() for k in kids):
            kids.sort(key=lambda k: int(k.get("index")))
        for k in kids:
            r = by_id.get(k.get("regionRef"))
            if r is not None and id(r) not in seen:
                seen.add(id(r))
                out.append(r)
            walk(k)

    walk(ro)
    return out + [r for r in regions if id(r) not in seen]


def read(data: bytes, name: str = "input") -> Parsed:
    tree = parse_xml(data, name)
    root = tree.getroot()
    ns = namespace(root.tag)
    b = TextBuilder()
    for region in _regions(root, ns):
        lines = []
        for line in region.findall(ns + "TextLine"):
            row = []
            words = line.findall(ns + "Word")
            for w in words or [line]:
                eq, uni = _equiv(w, ns)
                text = " ".join((uni.text or "").split()) if uni is not None else ""
                if not text:
                    continue
                conf = None
                if eq is not None and eq.get("conf") is not None:
                    try:
                        conf = float(eq.get("conf"))
                    except ValueError:
                        conf = None
                row.append((text, w, conf, None, line))
            lines.append(row)
        b.block(lines)
    return Parsed("page", b.text(), b.units, tree, xml_prolog(data), {"ns": ns})


def _points_box(el, ns: str):
    coords = el.find(ns + "Coords")
    if coords is None or not coords.get("points"):
        return None
    try:
        pts = [tuple(float(v) for v in p.split(",")) for p in coords.get("points").split()]
    except ValueError:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _set_points(el, ns: str, box) -> None:
    coords = el.find(ns + "Coords")
    x0, y0, x1, y1 = (fmt_num(v, True) for v in box)
    coords.set("points", f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")


class _Writer:
    def __init__(self, parsed: Parsed) -> None:
        self.p = parsed
        self.ns = parsed.info["ns"]
        self.changed = 0
        self.lines: dict[int, object] = {}

    def _touch(self, u) -> None:
        if u.line_elem is not None:
            self.lines[id(u.line_elem)] = u.line_elem

    def set_text(self, el, text: str) -> None:
        ns = self.ns
        eq, uni = _equiv(el, ns)
        if uni is None:
            if eq is None:
                eq = etree.SubElement(el, ns + "TextEquiv")
            uni = etree.SubElement(eq, ns + "Unicode")
        if (uni.text or "") != text:
            uni.text = text
            self.changed += 1

    def replace(self, us, texts: list[str]) -> None:
        for u in us:
            self._touch(u)
        if local(us[0].elem.tag) == "TextLine":      # a line read as one unit
            self.set_text(us[0].elem, " ".join(texts))
            return
        if not texts:
            for u in us:
                remove(u.elem)
                self.changed += 1
            return
        ns = self.ns
        boxes = [_points_box(u.elem, ns) for u in us]
        first = us[0].elem
        for u in us[1:]:
            remove(u.elem)
            self.changed += 1
        self.set_text(first, texts[0])
        new_boxes = None
        if all(b is not None for b in boxes) and (len(us) > 1 or len(texts) > 1):
            new_boxes = split_box(union(boxes), texts)
            _set_points(first, ns, new_boxes[0])
        anchor = first
        for k, t in enumerate(texts[1:], 1):
            w = clone(first, children=True)
            for g in w.findall(ns + "Glyph"):
                remove(g)
            if first.get("id"):
                w.set("id", unique_id(self.p.tree, first.get("id")))
            self.set_text(w, t)
            if new_boxes:
                _set_points(w, ns, new_boxes[k])
            w.tail = first.tail
            insert_after(anchor, w)
            anchor = w
            self.changed += 1

    def line_texts(self, before: dict) -> None:
        """Each touched line's TextEquiv, and its region's, made again from its words."""
        ns = self.ns
        regions = {}
        for key, line in self.lines.items():
            words = line.findall(ns + "Word")
            if not words:
                continue
            old_line, old_words = before.get(key, (None, None))
            _, uni = _equiv(line, ns)
            if uni is not None and old_line == old_words:
                new = " ".join(text_of(w, ns) or "" for w in words)
                if uni.text != new:
                    uni.text = new
                    self.changed += 1
            region = line.getparent()
            regions[id(region)] = region
        for region in regions.values():
            old = self._region_before.get(id(region))
            _, uni = _equiv(region, ns)
            if uni is None or old is None or not old[1]:
                continue
            new = "\n".join(text_of(ln, ns) or "" for ln in region.findall(ns + "TextLine"))
            if uni.text != new:
                uni.text = new
                self.changed += 1

    def record(self, step: dict) -> None:
        ns = self.ns
        meta = self.p.tree.getroot().find(ns + "Metadata")
        if meta is None:
            return
        last = meta.find(ns + "LastChange")
        if last is not None:
            last.text = now_iso()
        item = etree.Element(ns + "MetadataItem")
        item.set("type", "processingStep")
        item.set("name", "ocr-clean")
        item.set("value", f"ocr-clean {step.get('version', '')}: {step.get('description', '')}")
        item.set("date", now_iso())
        kids = list(meta)
        if kids:
            item.tail = kids[-1].tail
            kids[-1].tail = kids[-2].tail if len(kids) > 1 else meta.text
        meta.append(item)
        self.changed += 1


def write(parsed: Parsed, changes: list[Change], step: dict | None = None) -> tuple[bytes, int]:
    w = _Writer(parsed)
    ns = w.ns
    units = parsed.units
    # what the lines and regions said before, to keep only the TextEquivs that were in step
    touched = {id(units[i].line_elem): units[i].line_elem for ch in changes for i in ch.units
               if units[i].line_elem is not None}
    before = {}
    w._region_before = {}
    for key, line in touched.items():
        words = line.findall(ns + "Word")
        before[key] = (text_of(line, ns), " ".join(text_of(x, ns) or "" for x in words))
        region = line.getparent()
        if id(region) not in w._region_before:
            lines = region.findall(ns + "TextLine")
            w._region_before[id(region)] = (
                text_of(region, ns),
                text_of(region, ns) == "\n".join(text_of(ln, ns) or "" for ln in lines))
    for ch in changes:
        us = [units[i] for i in ch.units]
        if ch.op in ("change", "replace"):
            w.replace(us, list(ch.texts))
        elif ch.op == "hyphen":
            for u, t in zip(us, ch.texts):
                w._touch(u)
                w.set_text(u.elem, t)
        elif ch.op == "delete":
            w._touch(us[0])
            remove(us[0].elem)
            w.changed += 1
    w.line_texts(before)
    if w.changed and step is not None:
        w.record(step)
    return serialize(parsed), w.changed

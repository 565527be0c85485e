"""Small helpers the XML writers share: numbers as the file wrote them, removing and copying
elements without losing the file's layout, unique ids, the time of the processing step."""
from __future__ import annotations

import copy
from datetime import datetime, timezone


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def is_int_text(*values: str | None) -> bool:
    return all(v is not None and v.strip().lstrip("-").isdigit() for v in values)


def fmt_num(v: float, as_int: bool) -> str:
    if as_int:
        return str(int(round(v)))
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return s or "0"


def remove(el) -> None:
    """Take ``el`` out of its parent; the layout whitespace after the last child is kept."""
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.getnext() is None and el.tail is not None:
        if prev is not None:
            prev.tail = el.tail
        else:
            parent.text = (parent.text or "") if (parent.text or "").strip() else el.tail
    elif el.tail and el.tail.strip():   # text after it (mixed content) stays
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def insert_after(anchor, new) -> None:
    parent = anchor.getparent()
    parent.insert(parent.index(anchor) + 1, new)


def clone(el, *, children: bool = False):
    new = copy.deepcopy(el)
    if not children:
        for c in list(new):
            new.remove(c)
        new.text = None
    return new


def unique_id(tree, base: str) -> str:
    """``base_1`` (or ``base_2``, ...): an ID or id no element of the tree has yet."""
    taken = getattr(tree, "_ocr_clean_ids", None)
    if taken is None or base not in taken:
        found = tree.xpath("//@ID[starts-with(., $b)] | //@id[starts-with(., $b)]", b=base)
        taken = {str(v) for v in found} | (taken or set())
        taken.add(base)
        try:
            tree._ocr_clean_ids = taken
        except AttributeError:
            pass
    k, cand = 1, f"{base}_{1}"
    while cand in taken:
        k += 1
        cand = f"{base}_{k}"
    taken.add(cand)
    return cand


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")

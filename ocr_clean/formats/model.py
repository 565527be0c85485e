"""What every reader gives: the text to clean and where each word of it lies in the source.

A reader turns a source file into a :class:`Parsed`: the plain text the pipeline cleans
(blocks as paragraphs separated by a blank line, lines by ``"\\n"``, words by spaces; a
line-end hyphenation becomes the ordinary ``word-\\n`` break so that de-hyphenation joins
it) and the :class:`Unit` (word element) behind every word, with its offsets in that text.
The ledger's ``Edit.raw_start``/``raw_end`` are offsets in the same text, so
:meth:`Parsed.units_at` finds the words an edit touched.

Word confidences of the engine (ALTO ``WC``, hOCR ``x_wconf``, PAGE ``TextEquiv@conf``),
scaled to 0..1, are kept per unit and listed by :attr:`Parsed.confidences` as
``(start, end, confidence)`` spans of the text, for the error model (a low-confidence
word is a better suspect).  No stage reads them yet.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from ..io import InputError

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")


@dataclass
class Unit:
    """One word of the source: its span in :attr:`Parsed.text` and the element it came from."""

    start: int
    end: int
    elem: Any                    # the lxml element (ALTO String, hOCR ocrx_word, PAGE Word)
    line: int                    # index of its line, counted over the whole source
    conf: float | None = None    # the engine's confidence, 0..1
    hyp: Any = None              # ALTO: the HYP element that follows it at the line end
    line_elem: Any = None        # the line element that holds it


@dataclass
class Parsed:
    """A source file read: the text to clean, its words, and the parsed tree to write back."""

    fmt: str
    text: str
    units: list[Unit]
    tree: Any = None
    prolog: bytes = b""          # the XML declaration as the file wrote it
    info: dict = field(default_factory=dict)
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def confidences(self) -> list[tuple[int, int, float]]:
        """``(start, end, confidence)`` of every word that has one, in text order (0..1)."""
        return [(u.start, u.end, u.conf) for u in self.units if u.conf is not None]

    def units_at(self, raw_start: int, raw_end: int) -> list[Unit]:
        """The words that the raw span ``raw_start:raw_end`` touches (an insertion: the word
        it is inside or at the end of)."""
        starts = self._starts
        if starts is None or len(starts) != len(self.units):
            starts = self._starts = [u.start for u in self.units]
        if raw_end <= raw_start:
            i = bisect.bisect_right(starts, raw_start) - 1
            return [self.units[i]] if i >= 0 and self.units[i].end >= raw_start else []
        i = max(bisect.bisect_right(starts, raw_start) - 1, 0)
        out = []
        while i < len(self.units) and self.units[i].start < raw_end:
            if self.units[i].end > raw_start:
                out.append(self.units[i])
            i += 1
        return out

    def unit_text(self, u: Unit) -> str:
        return self.text[u.start:u.end]


class TextBuilder:
    """Builds the text of blocks, lines and words, recording each word's span.

    A line that does not end in a hyphenated word ends with a space before its newline
    (the text contract: a line ending without a space continues its word on the next).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.units: list[Unit] = []
        self.line_no = 0
        self._blocks = 0

    def block(self, lines: list[list[tuple[str, Any, float | None, Any, Any]]]) -> None:
        """A block of lines; each line a list of ``(text, elem, conf, hyp_elem, line_elem)``."""
        lines = [ln for ln in lines if ln]
        if not lines:
            return
        parts, units, pos = self.parts, self.units, self.pos
        if self._blocks:
            parts.append("\n")
            pos += 1
        self._blocks += 1
        for ln in lines:
            line_no = self.line_no
            for k, (text, elem, conf, hyp, line_elem) in enumerate(ln):
                if k:
                    parts.append(" ")
                    pos += 1
                parts.append(text)
                units.append(Unit(pos, pos + len(text), elem, line_no, conf, hyp, line_elem))
                pos += len(text)
            end = "\n" if ln[-1][0].endswith(("-", "\u00ad", "\u2010", "\u00ac")) else " \n"
            parts.append(end)
            pos += len(end)
            self.line_no += 1
        self.pos = pos

    def text(self) -> str:
        return "".join(self.parts)


def xml_prolog(data: bytes) -> bytes:
    m = _XML_DECL.match(data)
    return m.group(0).lstrip() if m else b""


def serialize(parsed: Parsed) -> bytes:
    """The tree as bytes, after the file's own XML declaration (kept as it was written)."""
    from lxml import etree

    import copy

    tree = parsed.tree
    enc = (tree.docinfo.encoding or "UTF-8") if parsed.prolog else "UTF-8"
    doctype = tree.docinfo.doctype
    if doctype and "XHTML" in doctype.upper():
        # libxml2 writes a document with an XHTML doctype in its HTML-compatible way (" />",
        # xml:lang added): the root is written from a copy, in a document of its own
        root = tree.getroot()
        parts = [doctype.encode(enc)]
        parts += [etree.tostring(x, encoding=enc) for x in reversed(list(root.itersiblings(preceding=True)))]
        parts.append(etree.tostring(copy.deepcopy(root), encoding=enc, xml_declaration=False))
        parts += [etree.tostring(x, encoding=enc) for x in root.itersiblings()]
        body = b"\n".join(p.rstrip(b"\n") for p in parts)
    else:
        body = etree.tostring(tree, encoding=enc, xml_declaration=False)
    if parsed.prolog:
        return parsed.prolog + b"\n" + body + b"\n" if not body.startswith(b"\n") else parsed.prolog + body + b"\n"
    return body + b"\n"


def parse_xml(data: bytes, name: str):
    """An lxml tree of ``data``; a file that is not well-formed XML gets a one-line error."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             remove_blank_text=False)
    try:
        return etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc})") from None


# -- boxes ----------------------------------------------------------------------------------

Box = tuple[float, float, float, float]   # x0, y0, x1, y1


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def split_box(box: Box, texts: list[str]) -> list[Box]:
    """``box`` cut across its width in proportion to the characters of ``texts`` (one space
    counted between each two), left to right."""
    x0, y0, x1, y1 = box
    total = sum(len(t) for t in texts) + len(texts) - 1
    out, pos = [], 0
    for k, t in enumerate(texts):
        a = x0 + (x1 - x0) * pos / total
        pos += len(t)
        b = x0 + (x1 - x0) * pos / total
        out.append((a, y0, b, y1))
        pos += 1
    return out

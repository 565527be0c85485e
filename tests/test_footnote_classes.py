"""Footnote markers of ANOTHER book with the scan's habits: two classes of misread markers.

- a stray capital: the superscript number read as one capital glued to the word
  (``winterY``, ``tide.V``, ``quay,H``), for any note number, 3 digits too;
- a glyph run: a 3-digit number read as glyphs (``}O7`` = 107, ``}08``, ``}2O`` = 120:
  a 1 read as ``}``, a 0 as ``O``).

The book here is written for the test (a harbour town's history, nobody's scan), laid out
as the scan is (lines with a trailing space, a blank line between paragraphs, the notes
at the end), and cleaned by the real CLI.  Both classes are data (``footnote_glyphs.tsv``,
``footnote_unreadable.tsv``) decoded by the sequence of notes: a stray capital is tried
only for a number the sequence misses, in the stretch where it is missing.
Negative cases: real capitals at word ends (``USSR``, ``LENIN``, ``GPU``, ``SaaS``, ``XIV``),
an ``O`` in words, and a stray capital where no number is missing.
"""
from __future__ import annotations

import doctest
import json
import re

import pytest
from typer.testing import CliRunner

from ocr_clean.cli import app
from ocr_clean.stages.footnotes import TailDecoder, load_glyphs, tails
from ocr_clean.stages.footnotes.glyphs import load_unreadable

N = 130
SUBJECTS = ["The harbour", "The old mill", "The parish council", "The fishing fleet", "The railway company",
            "The market hall", "The village school", "The ferry service", "The town museum", "The coast guard",
            "The brewery", "The chapel choir", "The grammar school", "The lifeboat crew", "The county court"]
DEEDS = ["was rebuilt after the great storm of that winter", "opened its doors to visitors every summer",
         "kept careful records of every ship and every tide", "paid the workers in coins from the mint",
         "lost much of its trade when the river silted", "was praised by travellers for its clean streets",
         "asked the government for money to mend the quay", "closed for a year while the roof was repaired"]
AFTER = ["Most of the town agreed with this decision.", "The local newspaper printed a long report about it.",
         "Some of the older families remembered it for decades.", "A few letters of complaint survive in the archive."]

# how the scan printed each damaged marker: n -> the end of the sentence, "{w}" the last word
DAMAGED = {
    12: "{w}Y",          # the capital swallowed the full stop too ("winterY The")
    30: "{w}.V",
    47: "{w}.H",
    48: "{w}.Y",         # two in a row, pinned by their firm neighbours 46 and 49
    101: "{w}.}O1",
    104: "{w}.H",        # a stray capital for a 3-digit number
    107: "{w}.}O7",
    108: "{w}}08",
    113: "{w}.V",
    114: "{w}.Y",
    120: "{w}.}2O",
    128: "{w}.H",
}
LOST = 125              # no mark at all: the stretch holds only real capitals
REAL_CAPITALS = ("the USSR", "LENIN", "the GPU", "a SaaS", "Louis XIV", "NATO", "TOO", "O'Hara")


def sentence(n: int) -> tuple[str, str]:
    """The n-th paragraph's first sentence (its last word before the marker) and the rest."""
    subj = SUBJECTS[n % len(SUBJECTS)]
    deed = DEEDS[(n * 3) % len(DEEDS)]
    return f"{subj} {deed}", AFTER[n % len(AFTER)]


def paragraph(n: int) -> str:
    first, rest = sentence(n)
    w = first.rsplit(" ", 1)[1]
    head = first[: -len(w)]
    mark = DAMAGED.get(n, "{w}." + str(n)).replace("{w}", w)
    if n == LOST:
        mark = w + "."
        rest += " Visitors from " + ", ".join(REAL_CAPITALS) + " came to see it."
    if n == 60:
        rest += " The old kitchenY was never used again."     # a stray capital, no number missing here
    return head + mark + " " + rest


def lay_out(text: str, width: int = 58) -> str:
    """Lines of about ``width`` characters, each with a trailing space, as the scan has them."""
    out = []
    for para in text.split("\n\n"):
        lines, cur = [], ""
        for word in para.split(" "):
            if cur and len(cur) + 1 + len(word) > width:
                lines.append(cur + " ")
                cur = word
            else:
                cur = f"{cur} {word}" if cur else word
        lines.append(cur + " ")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def book() -> str:
    body = [paragraph(n) for n in range(1, N + 1)]
    notes = [f"{n}. See the town records for the year 18{n % 90 + 10}, folio {n + 3}." for n in range(1, N + 1)]
    return lay_out("\n\n".join(body + ["Notes"] + notes))


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    d = tmp_path_factory.mktemp("harbour")
    (d / "harbour.txt").write_text(book(), encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", str(d / "harbour.txt"), "--out", str(d / "out"), "--no-review"])
    assert res.exit_code == 0, res.output
    text = (d / "out" / "harbour.txt").read_text(encoding="utf-8")
    return d, text, text[:text.rindex("\n\nNotes\n")]


def test_every_note_but_the_lost_one_links(cleaned):
    d, text, body = cleaned
    found = [int(n) for n in re.findall(r"\[\^(\d+)\]", body)]
    assert found == [n for n in range(1, N + 1) if n != LOST]
    res = CliRunner().invoke(app, ["notes", str(d / "out" / "harbour.txt"), "--json"])
    report = json.loads(res.output)
    assert report["missing"] == [LOST]


def test_each_class_is_read_at_its_place(cleaned):
    _d, _text, body = cleaned
    for n in DAMAGED:
        first, _rest = sentence(n)
        w = first.rsplit(" ", 1)[1]
        # (12: the full stop the capital swallowed is back)
        assert f"{w}.[^{n}]" in body, (n, DAMAGED[n])


def test_real_capitals_and_a_stray_capital_nobody_misses_stay(cleaned):
    _d, _text, body = cleaned
    for form in REAL_CAPITALS:
        assert form in body, form
    assert "The old kitchenY was" in body


def test_the_classes_are_data():
    unreadable = load_unreadable()
    assert unreadable["Y"] == (r"\d{0,2}", r"[1-9]\d{0,2}")
    dec = TailDecoder(load_glyphs(), max_n=308)
    assert [n for n, _c, _l in dec.decode("}O7")][:2] == [107, 207]
    assert 120 in [n for n, _c, _l in dec.decode("}2O")]
    # a stray capital alone stands for any number; inside a run, for 0-2 lost digits
    assert [rx for rx, _c, _l in dec.wild("Y")] == [r"[1-9]\d{0,2}"]
    assert [rx for rx, _c, _l in dec.wild("Y7")] == [r"\d{0,2}7"]
    # a decoder given other classes reads by them
    dec = TailDecoder(load_glyphs(), max_n=308, unreadable={"Y": ("[12]", "[12]")})
    assert [rx for rx, _c, _l in dec.wild("Y")] == ["[12]"] and dec.wild("H") == []


def test_the_rules_of_a_tail_do_what_their_examples_say():
    failed, tried = doctest.testmod(tails)
    assert tried >= 1 and failed == 0

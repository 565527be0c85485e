"""Properties of the whole pipeline on any input (hypothesis).

Inputs are short texts built from real lines of the scan with random noise (inserted,
deleted and replaced characters, odd Unicode, control characters), and arbitrary strings.

* no input string crashes the pipeline;
* undoing every edit through the ledger gives the raw text back exactly;
* replaying the ledger as recorded gives the output;
* cleaning a cleaned text changes nothing (idempotence).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, reject, settings, strategies as st

from ocr_clean import Pipeline, replay
from ocr_clean.config import DEFAULT_ORDER, Config
from ocr_clean.stages import REGISTRY

from .conftest import RAW_BOOK

LINES = RAW_BOOK.read_text(encoding="utf-8").split("\n")
NOISE = list("abcdefghijklmnopqrstuvwxyzAEIOST0123456789 \n\n  -.,;:'\"!?()*/&%$#@[]^_~|<>{}") + [
    "\t", "\r", "\x00", "\x0c", "\ufeff", "\u00ad", "\u00a0", "\u2014", "\u2013", "\u2019", "\u201c",
    "\u201d", "\ufb01", "\u00b9", "\u00b2", "\u00e9", "\u00fc", "\u0301", "\u0416", "\u4e2d", "\U0001d400",
    "\ufffd", "\u2028", "-\n", " \n", "\n\n\n", "[^1]", "1.", "II", "l1", "rn"]

_PIPE: Pipeline | None = None


def pipeline() -> Pipeline:
    global _PIPE
    if _PIPE is None:   # every stage of the default order that exists, built once
        _PIPE = Pipeline(Config(order=tuple(n for n in DEFAULT_ORDER if n in REGISTRY)))
    return _PIPE


@st.composite
def scan_text(draw) -> str:
    """A few consecutive real lines of the scan, then a little random noise."""
    n = draw(st.integers(1, 8))
    start = draw(st.integers(0, len(LINES) - n))
    text = "\n".join(LINES[start:start + n]) + draw(st.sampled_from(["\n", "", "\n\n"]))
    chars = list(text)
    for _ in range(draw(st.integers(0, 6))):
        pos = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(NOISE))
        if op == "insert" or not chars:
            chars.insert(pos, piece)
        elif op == "delete":
            del chars[min(pos, len(chars) - 1)]
        else:
            chars[min(pos, len(chars) - 1)] = piece
    return "".join(chars)


texts = st.one_of(scan_text(), scan_text(), st.text(max_size=120),
                  st.lists(st.sampled_from(NOISE), max_size=25).map("".join))
# derandomize: the same examples on every run, so that CI is not red by the luck of a draw; a
# counterexample found while developing goes in as an @example or a known-defect xfail below
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


# Known defects of stages, each kept as an explicit xfail test at the end with its minimal
# input.  The idempotence property skips inputs whose second clean is changed by exactly
# these rules, so that any other change still fails it.
KNOWN_NOT_IDEMPOTENT = {"page_structure:mid-sentence-blank"}


def run(raw: str):
    return pipeline().run(raw)


@FAST
@given(texts)
@example("")
@example("\n")
@example("-\n")
@example("\r\n\r\n")
@example("\x00")
@example("\u00b9")                                   # page_structure once did int("\u00b9")
@example("12\u00b2\n")
def test_no_input_crashes(raw):
    assert isinstance(run(raw).text, str)


@FAST
@given(texts)
def test_the_ledger_replays_to_the_output_and_undoes_to_the_raw_text(raw):
    result = run(raw)
    assert replay(raw, result.ledger) == result.text                 # as recorded: the output
    assert replay(raw, result.ledger, lambda e: False) == raw        # every edit undone: the raw text


@FAST
@given(scan_text())
@example("x \n\nLeon lived\n")                        # once made 'x-Leon lived' on the second run
@example("L. Trotsky \n\n\n\nSeptember 18, 1930 \n")
@example("The end.\n12\n")                              # once made 'The end.-12'
@example("0\n0")                                         # numbers only: once all taken for page numbers
@example("\n4. A victory in Germany would have:decisive international im\nportance. Wl1e have said "
         "that it is not excluded, even with |the present \nleadership.\n")   # once Wl1e -> Wile, then Wile -> Who
@example("The peasan s were poor and the land was dry.\n")   # once peasan -> peasant, then peasant s -> peasants
@example("He saw t6e man in the street.\n")                 # once t6e -> tbe, then tbe -> the
def test_cleaning_a_cleaned_text_changes_nothing(raw):
    once = run(raw).text
    again = run(once)
    changed = sorted({f"{e.stage}:{e.rule}" for e in again.ledger if e.in_output and e.before != e.after})
    if KNOWN_NOT_IDEMPOTENT & set(changed):
        reject()
    assert again.text == once, f"a second clean changed it: {changed}"


def test_a_word_split_by_two_spaces_is_joined_on_the_first_clean():
    once = pipeline().run("the additional bureaucra  tic acts\n").text
    assert pipeline().run(once).text == once


@pytest.mark.xfail(strict=True, reason=(
    "not idempotent (page_structure rule 'mid-sentence-blank'): a blank line kept on the first clean is "
    "taken out on the second, and dehyphenate joins the two paragraphs: "
    "'-\\n\\n\"\\n,t' -> '-\\n\\n\",t\\n' -> '-\",t\\n'"))
@pytest.mark.parametrize("raw", ['-\n\n"\n,t'])
def test_known_not_idempotent_blank_line_taken_out_on_the_second_clean(raw):
    once = pipeline().run(raw).text
    assert pipeline().run(once).text == once


@pytest.mark.parametrize("raw", [
    'Y6s, the Left Opposition has notb experienced the dizzy-headed\nness70 inevitable for the centrist '
    'bureaucracy after making its turn \n'])
def test_a_text_once_not_idempotent_words_found_by_the_property(raw):
    # found by the property above: 'Y6s' was left on the first clean and read 'Vbs' on the second
    once = pipeline().run(raw).text
    assert pipeline().run(once).text == once


def test_carriage_returns_in_a_string_are_line_ends_and_undo_gives_them_back():
    raw = "CHAPTER I \r\nThe day\r"
    res = pipeline().run(raw)
    assert "\r" not in res.text and pipeline().run(res.text).text == res.text
    assert replay(raw, res.ledger, lambda e: False) == raw


# -- the file layer: any bytes are read or refused with a one-line message -----------------------

@FAST
@given(st.one_of(st.binary(max_size=200), scan_text().map(lambda s: s.encode("utf-8", "surrogatepass")),
                 st.text(max_size=80).map(lambda s: s.encode("utf-16"))))
@example(b"\xef\xbb\xbf\xef\xbb\xbf")          # two byte-order marks and nothing else
@example(b"\xef\xbb\xbf\xef\xbb\xbfword\r\n")
def test_any_bytes_are_read_or_refused_in_one_line(data):
    from ocr_clean.io import InputError, decode

    try:
        text = decode(data, "scan.txt")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("scan.txt: ")
        return
    assert "\r" not in text and not text.startswith("\ufeff") and text.strip()


@FAST
@given(scan_text())
def test_a_written_text_reads_back_the_same(tmp_path_factory, text):
    from ocr_clean.io import InputError, atomic_write, normalize, read_text

    path = tmp_path_factory.mktemp("io") / "book.txt"
    atomic_write(path, text)
    try:
        expected = normalize(text)
    except InputError:
        return
    if "\x00" in text:                       # refused as binary on reading
        with pytest.raises(InputError):
            read_text(path)
        return
    assert read_text(path) == expected
    assert [p.name for p in path.parent.iterdir()] == ["book.txt"]     # no temporary file left


@pytest.mark.xfail(strict=True, reason="known defect: the words stage measures a text's noise from "
                   "its unknown words; the cleaned text has fewer, so its confusions cost more and a "
                   "reading queued at 0.81 on the first clean is applied at 0.87 on the second")
def test_known_defect_a_cleaned_text_measures_less_noise():
    raw = ("aaa\nQuite clearly, no foreign attorney, even one who is completely \nconscientious, "
           "is in aposition ato thoroughly investigate the testai\n")
    once = run(raw).text
    assert run(once).text == once

"""The scan profile: each habit measured in both directions on small texts written here (or
real scan lines rewritten with other habits), the stages deciding from it, the [scan] table,
and the profile in the ledger header, ``ocr-clean clean -v`` and ``ocr-clean explain``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocr_clean import Pipeline, clean_text
from ocr_clean.cli import app
from ocr_clean.config import Config, ConfigError
from ocr_clean.profile import CONTINUES, ORDINARY, ProfileError, ScanProfile, check_overrides, measure

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw" / "writings-1930-31.txt"

# Raw lines 281-286 of the scan as it is: a line that goes on with a new word ends with a space
WRITINGS = ("For centuries the history of China has been one of formidable \n"
            "uprisings of a destitute and hungry peasantry. Not less than five \n"
            "times in the last two thousand years the Chinese peasants suc\n"
            "ceeded in overthrowing the reigning dynasty. Each time the up\n"
            "rising was crowned with the establishment of a new \n"
            "dynasty which then restored the old order. \n")
# The same lines as ordinary OCR gives them: no trailing spaces, the hyphens printed
ORDINARY_OCR = ("For centuries the history of China has been one of formidable\n"
                "uprisings of a destitute and hungry peasantry. Not less than five\n"
                "times in the last two thousand years the Chinese peasants suc-\n"
                "ceeded in overthrowing the reigning dynasty. Each time the up¬\n"
                "rising was crowned with the establishment of a new\n"
                "dynasty which then restored the old order.\n")
# Newspaper OCR: no trailing spaces, ABBYY's "¬", a soft hyphen, U+2010, compounds
NEWSPAPER = ("The Captain of the vessel said that the news of\n"
             "the wreck caused Considerable\n"
             "excitement in the town, and the con¬\n"
             "sequence was a meeting of the so-\n"
             "called committee, whose Cap-\n"
             "tain spoke at length about the mat\u00ad\n"
             "ter and its un\u2010\n"
             "fortunate end.\n")


# -- line ends ---------------------------------------------------------------------------
def test_the_writings_scan_is_recognised():
    prof = measure(RAW.read_text(encoding="utf-8"))
    assert prof.line_end.value == CONTINUES and prof.line_end.source == "measured"
    assert prof.line_end.evidence["with_trailing_space"] > prof.line_end.evidence["without"] > 1000
    assert prof.hyphens.value == ("-",)


def test_line_end_both_directions():
    assert measure(WRITINGS).line_end.value == CONTINUES
    ordinary = measure(ORDINARY_OCR * 2)
    assert ordinary.line_end.value == ORDINARY and ordinary.line_end.source == "measured"
    assert ordinary.line_end.evidence["with_trailing_space"] == 0


def test_too_short_to_tell_is_the_neutral_habit():
    prof = measure("Two lines\nof text.\n")
    assert prof.line_end.value == ORDINARY and prof.line_end.source == "neutral"
    assert prof.line_end.confidence == 0.0
    assert measure("").line_end.value == ORDINARY
    assert measure("").hyphens.value == ("-",)


def test_hyphen_marks_both_directions():
    assert measure(NEWSPAPER).hyphens.value == ("-", "\u00ac", "\u00ad", "\u2010")
    assert measure(ORDINARY_OCR).hyphens.evidence == {"-": 1, "\u00ac": 1}
    plain = measure("no hyphen at any line end\nhere at all\n")
    assert plain.hyphens.value == ("-",) and plain.hyphens.source == "neutral"
    # "=" is a sign of its own unless words break at it again and again
    assert "=" not in measure("so x =\ny holds\n").hyphens.value
    assert "=" in measure("a dif=\nferent way and an=\nother one, a fur=\nther step\n").hyphens.value


def test_lines_both_directions():
    assert measure(WRITINGS).lines.value is True
    one_a_line = ("A paragraph that the OCR gave as one long line, the way many newspaper "
                  "archives hand their articles over, with no printed line ends kept at all. " * 3)
    prof = measure(one_a_line)
    assert prof.lines.value is False


def test_ordinary_ocr_joins_only_at_a_hyphen_mark():
    out = clean_text(NEWSPAPER).text
    assert "news of the wreck" in out and "Considerable excitement" in out      # never "ofthe"
    assert "the consequence was" in out and "the matter and" in out and "unfortunate end" in out
    assert "whose Captain spoke" in out                                          # English says so
    assert "the so-called committee" in out                                      # a real compound


def test_a_doubtful_join_keeps_the_printed_hyphen_for_review():
    res = clean_text(NEWSPAPER)
    (e,) = [e for e in res.edits if e.before == "so-\ncalled"]
    assert e.after == "so-called" and e.rule == "join-uncertain"
    assert set(e.candidates) == {"so-called", "socalled"}
    assert e in res.for_review


def test_the_same_lines_with_either_habit():
    # the scan's habit: the bare line end continues the word
    assert "peasants succeeded" in clean_text(WRITINGS).text
    assert "the uprising was" in clean_text(WRITINGS).text
    # ordinary OCR: the hyphen and the "¬" join, a bare line end is a space
    out = clean_text(ORDINARY_OCR).text
    assert "peasants succeeded in" in out and "the uprising was" in out
    assert "formidable uprisings" in out and "five times" in out
    # stripped of its trailing spaces and hyphens, the scan is ordinary text: no word is glued
    stripped = "".join(line.rstrip(" ") + "\n" for line in WRITINGS.splitlines())
    assert "formidable uprisings" in clean_text(stripped).text


# -- the [scan] table ----------------------------------------------------------------------
def test_scan_table_overrides_a_habit():
    cfg = Config.from_dict({"scan": {"line_end": "continues-without-space", "hyphens": ["-", "¬"]}})
    text = "a new revo\nlutionary International\n"
    assert Pipeline(cfg).run(text).text == "a new revolutionary International\n"
    # measured (too short to tell: ordinary), the bare line end is a space (split_words, which
    # joins such pieces on its own evidence, is off here)
    assert Pipeline(skip=["split_words"]).run(text).text == "a new revo lutionary International\n"
    prof = Pipeline(cfg).run(text).document.profile
    assert prof.line_end.source == "config" and prof.line_end.confidence == 1.0
    assert prof.hyphens.value == ("-", "¬")


@pytest.mark.parametrize("table, words", [
    ({"line_ends": "ordinary"}, ["line_ends", "not a habit"]),
    ({"line_end": "space"}, ["line_end", "ordinary", "continues-without-space"]),
    ({"hyphens": ["-", "~"]}, ["hyphens", "¬"]),
])
def test_scan_table_errors_are_one_line(table, words):
    with pytest.raises(ProfileError) as exc:
        check_overrides(table)
    with pytest.raises(ConfigError) as exc2:
        Config.from_dict({"scan": table})
    for msg in (str(exc.value), str(exc2.value)):
        assert "\n" not in msg and all(w in msg for w in words)


def test_cli_unknown_habit_is_a_one_line_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[scan]\nline_end = "sometimes"\n', encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("text\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["clean", str(src), "-o", str(tmp_path / "o"), "-c", str(cfg), "--no-review"])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "line_end" in lines[0]


# -- where the profile is shown --------------------------------------------------------------
def test_profile_in_ledger_header_clean_v_and_explain(tmp_path):
    src = tmp_path / "news.txt"
    src.write_text(NEWSPAPER, encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["clean", str(src), "-o", str(out), "--no-review", "-v"])
    assert res.exit_code == 0, res.output
    assert "scan profile" in res.output and "line_end = ordinary" in res.output
    assert "hyphens = - ¬ U+00AD U+2010" in res.output
    header = json.loads((out / "news.ledger.jsonl").read_text(encoding="utf-8").split("\n", 1)[0])["header"]
    prof = ScanProfile.from_dict(header["profile"])
    assert prof.line_end.value == ORDINARY and "\u00ac" in prof.hyphens.value
    res = CliRunner().invoke(app, ["explain", str(out / "news.txt"), "1"])
    assert res.exit_code == 0, res.output
    assert "line_end = ordinary" in res.output
    # without -v no profile is printed
    res = CliRunner().invoke(app, ["clean", str(src), "-o", str(out), "--no-review"])
    assert "scan profile" not in res.output


def test_profile_round_trips_through_its_dict():
    prof = measure(NEWSPAPER)
    assert ScanProfile.from_dict(json.loads(json.dumps(prof.to_dict()))) == prof

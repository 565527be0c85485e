"""The scan profile: each habit measured in both directions on small texts written here (or
real scan lines rewritten with other habits), the stages deciding from it, the [scan] table,
and the profile in the ledger header, ``ocr-clean clean -v`` and ``ocr-clean explain``."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocr_clean import Pipeline, clean_text
from ocr_clean.cli import app
from ocr_clean.config import Config, ConfigError
from ocr_clean.profile import CONTINUES, ORDINARY, ProfileError, ScanProfile, check_overrides, measure
from ocr_clean.profile import _LONG_S_WORD

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
    # measured (too short to tell: ordinary), the bare line end is a space (split_words and
    # words, which join such pieces on their own evidence, are off here)
    assert Pipeline(skip=["split_words", "words"]).run(text).text == "a new revo lutionary International\n"
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


# -- indentation and pages --------------------------------------------------------------------
PARAGRAPHS = [
    "The meeting of the committee was held on Tuesday evening in the town hall, and a large "
    "number of the residents attended.",
    "Mr. Smith, who occupied the chair, said that the question before them was one of great "
    "importance to the whole district.",
    "After some discussion it was resolved that a deputation should wait upon the Minister and "
    "lay the matter before him.",
    "The secretary read a letter from the council, in which the members expressed their sympathy "
    "with the object of the meeting.",
    "A vote of thanks to the chairman brought the proceedings to a close at a late hour.",
]


def _wrap(paragraph: str, width: int = 48) -> list[str]:
    lines, line = [], ""
    for w in paragraph.split():
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return lines + [line]


def test_indented_paragraphs_are_paragraphs_not_page_starts():
    text = "".join("    " + "\n".join(_wrap(p)) + "\n" for p in PARAGRAPHS)
    prof = measure(text)
    assert prof.indent.value == "paragraph" and prof.indent.evidence["mid_sentence"] == 0
    res = clean_text(text)
    assert res.text == "\n\n".join(PARAGRAPHS) + "\n"
    assert not [e for e in res.edits if e.rule == "page-start-space"]
    assert sum(e.rule == "paragraph-indent" for e in res.edits) == 5


def test_page_starts_fall_anywhere_in_a_sentence_and_give_the_lines_a_page():
    words = " ".join(PARAGRAPHS * 6).split()
    lines = _wrap(" ".join(words), 40)
    # a page of 12 lines: its first line starts with a space, wherever the sentence is
    text = "".join((" " if i % 12 == 0 else "") + ln + "\n" for i, ln in enumerate(lines))
    prof = measure(text)
    assert prof.indent.value == "page-start" and prof.indent.evidence["mid_sentence"] >= 4
    assert prof.lines_per_page.value == 12.0          # no range fitted to one book
    assert measure(RAW.read_text(encoding="utf-8")).lines_per_page.value == 41.0
    out = clean_text(text).text
    assert out.count("\n\n") == 0 and "  " not in out


# -- quotes, dashes, long s, footnote markers ----------------------------------------------------
def test_quote_habit_both_directions_and_a_restored_quote_in_the_texts_glyph():
    curly = ("\u201cThe plan,\u201d he said, \u201cis bad.\u201d Then: /I the plan is bad, and that is "
             "all.\u201d \u201cYes,\u201d said he, \u201cit is.\u201d \u201cNo.\u201d\n")
    straight = curly.replace("\u201c", '"').replace("\u201d", '"')
    assert measure(curly).quotes.value == "curly" and measure(straight).quotes.value == "straight"
    assert measure(",,Ja,\u201c sagte er, ,,so ist es.\u201c ,,Gut.\u201c\n").quotes.value == "low-high"
    assert measure("no quotes at all\n").quotes.source == "neutral"
    assert "Then: \u201cthe plan is bad" in clean_text(curly).text
    assert 'Then: "the plan is bad' in clean_text(straight).text


def test_dash_habit_both_directions():
    assert measure("one\u2014two and three\u2014four, five\u2014six\n").dashes.value == "em-dash"
    assert measure("one -- two and three -- four, five -- six\n").dashes.value == "double-hyphen"
    neutral = measure("a so-called plan\n").dashes
    assert neutral.value == "hyphen" and neutral.source == "neutral"
    assert measure(RAW.read_text(encoding="utf-8")).dashes.value == "hyphen"


LONG_S = ("It is faid that the firft thing the Houfe did was to confider the ftate of the "
          "nation, and thofe who were prefent thought it moft juft; for fuch a cafe was never "
          "feen before, and the fame perfons who had oppofed it were foon perfuaded. " * 3)


def test_long_s_read_as_f_both_directions():
    from ocr_clean.lexicon import Lexicon

    lex = Lexicon.load()
    prof = measure(LONG_S, is_word=lex.is_english)
    assert prof.long_s.value is True and prof.long_s.evidence["read_with_s"] >= 10
    modern = LONG_S.replace("faid", "said").replace("firft", "first").replace("Houfe", "House")
    modern = " ".join(w.replace("f", "s") if not lex.is_english(w.strip(".,;").lower()) else w
                      for w in modern.split()) + " " + "the fine fellow left a foreign office. " * 10
    assert measure(modern, is_word=lex.is_english).long_s.value is False
    assert measure(RAW.read_text(encoding="utf-8"), is_word=lex.is_english).long_s.value is False
    # the pipeline measures it with the lexicon and records it for the word corrector
    assert Pipeline().run(LONG_S).document.profile.long_s.value is True


# a short 18th-century notice whose long s the OCR read as f mostly in words English lists
# keep (fo, fuch, fome, fay: old print read by machines), beside a modern one whose f-words
# have s-words of their own (fame/same, fold/sold, fit/sit, fell/sell, fun/sun)
OLD_NOTICE = ("Mr. Brown begs leave to fay, that fuch Goods as were fold at his Shop are fo good, "
              "that fome of the Houfes in Town buy from him alone; he will fell them on the moft "
              "fair Terms.")
MODERN_NOTICE = ("The fame of the old fold grew as fun fairs fit for families fell on the field; "
                 "a fine fellow from the farm found four fat fish for the feast in the fall fog. " * 3)


def test_long_s_evidence_counts_misreadings_the_word_list_keeps():
    from ocr_clean.lexicon import Lexicon
    from ocr_clean.profile import read_with_long_s

    lex = Lexicon.load()
    # fuch and fo are in the list (old print read by machines): without frequencies they are
    # no evidence, with them the s reading is far commoner; fold, fit, fell stay words
    assert [read_with_long_s(w, lex.is_english, None) for w in ("fuch", "fo", "moft")] == [False, False, True]
    assert [read_with_long_s(w, lex.is_english, lex.freq_lower) for w in ("fuch", "fo", "fome")] == [True] * 3
    assert not any(read_with_long_s(w, lex.is_english, lex.freq_lower) for w in ("fold", "fit", "fell", "fame"))
    assert read_with_long_s("affured", lex.is_english, lex.freq_lower)          # every f at once
    old = measure(OLD_NOTICE * 2, is_word=lex.is_english, freq=lex.freq_lower).long_s
    assert old.value is True and old.source == "measured" and old.evidence["read_with_s"] >= 5
    assert measure(OLD_NOTICE * 2, is_word=lex.is_english).long_s.value is False   # the list alone misses it
    assert measure(MODERN_NOTICE, is_word=lex.is_english, freq=lex.freq_lower).long_s.value is False
    # the pipeline measures with the frequencies: the long s is read and written as printed
    out = Pipeline().run(OLD_NOTICE * 2).text
    assert "\u017fuch" in out and "\u017fome" in out and "Hou\u017fes" in out


def test_a_collection_lends_its_long_s_habit_to_a_short_text_but_not_its_letter():
    from ocr_clean import clean_texts

    # the short text inherits the habit (its f read as s is cheap), but only a text whose own
    # words show it is written with the long s: a collection may hold later prints beside it
    old, short = clean_texts([OLD_NOTICE * 3, "The Houfe was fet on fire.\n"])
    assert short.document.profile.long_s.source == "collection" and short.document.profile.long_s.value
    assert short.text == "The House was set on fire.\n"
    assert old.document.profile.long_s.source == "measured" and "\u017fuch" in old.text


def test_footnote_marker_habit_and_no_marker_edits_without_notes():
    assert measure(RAW.read_text(encoding="utf-8")).footnote_markers.value == "digits"
    plain = " ".join(PARAGRAPHS * 5) + "\n"
    prof = measure(plain)
    assert prof.footnote_markers.value == "none" and prof.footnote_markers.source == "measured"
    res = clean_text(plain)
    assert res.text == plain and not [e for e in res.edits if e.stage == "footnotes"]
    # the [scan] table switches the markers off for a text that has notes
    notes = "The first claim.3 The second one.4\n\nNotes\n\n3. A note.\n\n4. Another note.\n"
    cfg = Config.from_dict({"scan": {"footnote_markers": "none"}})
    assert not [e for e in Pipeline(cfg).run(notes).edits if e.stage == "footnotes"]


# -- never worse ------------------------------------------------------------------------------
MODERN = ("\u201cIt\u2019s the wrong season for it,\u201d she said\u2014and she was right; the orchard had "
          "been bare since October.\n\n"
          "Nobody in the village remembered a winter like it. The river froze in December, the school "
          "closed for a fortnight, and the baker\u2019s van stopped coming up the hill.\n\n"
          "\u2018We\u2019ll manage,\u2019 her father wrote in his last letter, \u201cas we always have.\u201d "
          "He was wrong about that, as it turned out, but not about much else.\n")


def test_a_modern_clean_text_passes_through_byte_for_byte():
    res = clean_text(MODERN)
    assert res.text == MODERN and not res.edits
    # cut into lines with indented paragraphs and no trailing spaces: the same paragraphs
    cut = "".join("  " + "\n".join(_wrap(p, 60)) + "\n" for p in MODERN.split("\n\n"))
    assert clean_text(cut).text == MODERN


@pytest.mark.parametrize("table", [{"indent": "sometimes"}, {"quotes": "fancy"}, {"dashes": "long"},
                                   {"long_s": "yes"}, {"footnote_markers": "letters"},
                                   {"lines_per_page": 0}])
def test_every_habit_value_is_checked(table):
    with pytest.raises(ConfigError) as exc:
        Config.from_dict({"scan": table})
    assert "\n" not in str(exc.value) and next(iter(table)) in str(exc.value)


def test_the_formats_ledger_header_holds_the_profile_too(tmp_path):
    src = tmp_path / "page.xml"
    src.write_bytes((ROOT / "tests" / "data" / "page-alto4.xml").read_bytes())
    res = CliRunner().invoke(app, ["clean", str(src), "-o", str(tmp_path / "out"), "--no-review"])
    assert res.exit_code == 0, res.output
    header = json.loads((tmp_path / "out" / "page.ledger.jsonl").read_text(encoding="utf-8").split("\n")[0])["header"]
    # the ALTO reader writes its lines in the trailing-space convention (a word-ending line
    # ends with a space): the profile finds it so
    assert ScanProfile.from_dict(header["profile"]).line_end.value == CONTINUES


def test_a_collection_lends_its_habits_to_texts_too_short_to_show_them():
    from ocr_clean import clean_texts

    units = ["The committee met to discuss a dif=\nferent plan for the harbour.\n",
             "The mayor said the plan was an=\nother matter entirely.\n",
             "A fur=\nther meeting will be held next week.\n",
             "Nothing more was said on the sub=\nject that evening.\n"]
    alone = [clean_text(u, skip=["split_words"]) for u in units]
    assert alone[0].document.profile.hyphens.value == ("-",)        # one "=" break: not enough
    assert "dif= ferent" in alone[0].text
    together = clean_texts(units, skip=["split_words"])
    prof = together[0].document.profile
    assert "=" in prof.hyphens.value and prof.hyphens.source == "collection"
    assert [r.text.split(" ")[6] for r in together[:1]] == ["different"]
    assert "another matter" in together[1].text and "further meeting" in together[2].text
    # a habit the text shows itself is its own
    assert prof.line_end.source in ("neutral", "measured", "collection")
    assert together[0].document.profile.quotes.source == "neutral"


def test_words_read_with_the_long_s_itself_show_the_habit():
    from ocr_clean.lexicon import Lexicon

    lex = Lexicon.load()
    printed = LONG_S.replace("faid", "\u017faid").replace("firft", "fir\u017ft").replace("Houfe", "Hou\u017fe") \
        .replace("confider", "con\u017fider").replace("ftate", "\u017ftate")
    prof = measure(printed, is_word=lex.is_english)
    assert prof.long_s.value is True and prof.long_s.evidence["long_s_words"] >= 5
    assert measure("The house was set on the hill. " * 20, is_word=lex.is_english).long_s.value is False


def test_long_s_words_are_found_as_before_in_linear_time():
    """The runs of letters holding a long s, as the earlier (quadratic) pattern found them;
    long runs without one (the adversarial 'letters' input) cost one pass each."""
    quadratic = re.compile(r"[A-Za-z\u017f]*\u017f[A-Za-z\u017f]*")
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice("ab\u017f \n-.Z\u00e9") for _ in range(rng.randint(0, 40)))
        end = rng.randint(0, len(text))
        assert _LONG_S_WORD.findall(text, 0, end) == quadratic.findall(text, 0, end)
    assert _LONG_S_WORD.findall("x" * 200_000 + " ſome and Thurſday") == ["ſome", "Thurſday"]

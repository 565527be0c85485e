"""Passages in another language than English: found by wordfreq's lists of the other languages,
left as printed by the stages that correct by English, every withheld reading in the ledger."""
from __future__ import annotations

import doctest

import pytest

import ocr_clean.languages as languages
from ocr_clean import Config, Pipeline, clean_text
from ocr_clean.languages import SETTINGS, ForeignStretches, OtherLanguages, parse_languages
from ocr_clean.ledger import replay
from ocr_clean.settings import ConfigError

FRENCH = ("Il était une fois, dans un pays lointain, une jeune fille qui vivait avec sa mère "
          "dans une petite maison au bord de la forêt.")
CFG = {k: v[0] for k, v in SETTINGS.items()}


def test_the_module_s_examples_hold():
    assert doctest.testmod(languages).failed == 0


@pytest.mark.parametrize("stage", ["words", "split_words"])
def test_each_stage_has_the_rule_and_its_settings_as_its_own(stage):
    from ocr_clean.rules import RULES, rule_settings

    r = RULES[(stage, "foreign-stretch")]
    assert {s.name for s in r.settings} == set(SETTINGS) <= {s.name for s in rule_settings(stage)}
    assert r.func.__qualname__ == f"foreign_stretch[{stage}]" and r.func.__doc__ == languages.foreign_stretch.__doc__


def test_a_french_paragraph_keeps_its_words_and_the_ledger_says_what_was_withheld():
    res = clean_text(FRENCH)
    assert res.text.strip() == FRENCH
    withheld = [e for e in res.ledger if e.rule == "foreign-stretch"]
    # what English would have made of it: a join (split_words) and readings (words)
    assert {e.stage for e in withheld} == {"split_words", "words"}
    assert {(e.before, e.after) for e in withheld} >= {("un pays", "unpays"), ("vivait", "visit"), ("mère", "more")}
    for e in withheld:
        assert e.status == "rejected" and e.evidence["language"] == "fr" and e.evidence["odds"] >= 1.0
        assert e.evidence["withheld"] in ("split-word", "ocr-confusion") and "French" in e.note
    # nothing is lost: a person who wants a withheld reading gets it from the ledger
    assert "visit" in replay(FRENCH, res.ledger, lambda e: e.in_output or (e.before == "vivait"))


def test_switched_off_the_stages_read_the_passage_as_english_again():
    off = {"disable": ["foreign-stretch"]}
    res = Pipeline(Config.from_dict({"stages": {"words": off, "split_words": off}})).run(FRENCH)
    assert "visit" in res.text and "unpays" in res.text
    assert not [e for e in res.ledger if e.rule == "foreign-stretch"]
    none = {"foreign_languages": ""}
    res = Pipeline(Config.from_dict({"stages": {"words": none, "split_words": none}})).run(FRENCH)
    assert "visit" in res.text and "unpays" in res.text


def test_each_stage_checks_its_languages_in_one_line():
    for bad, said in (("fr xx", "no word list of 'xx'"), ("en", "'en' is the language corrected"),
                      ("french", "no word list of 'french'")):
        for stage in ("words", "split_words"):
            with pytest.raises(ConfigError, match=said) as got:
                Pipeline(Config.from_dict({"stages": {stage: {"foreign_languages": bad}}}))
            assert "\n" not in str(got.value) and f"[stages.{stage}]" in str(got.value)
    assert parse_languages("fr, de  it") == ("fr", "de", "it")
    assert parse_languages(" ") == ()


def test_an_english_sentence_with_foreign_names_and_titles_is_english():
    text = ("Monsieur Dubois and Madame Laurent arrived at tbe Hotel de la Paix on Tuesday "
            "with tho Comte de Paris, and read Le Figaro.")
    res = clean_text(text)
    assert "at the Hotel de la Paix" in res.text and "with the Comte" in res.text
    assert not [e for e in res.ledger if e.rule == "foreign-stretch"]


def test_a_stretch_ends_at_quotes_colons_and_sentence_ends_and_runs_over_a_line_end():
    text = 'He said:\n"Il faut cultiver notre\njardin, disait Candide." And so tbe day ended.'
    s = ForeignStretches(text, {"he": 1e-3, "said": 4e-4, "and": 2e-2, "so": 2e-3, "the": 5e-2,
                                "day": 4e-4, "ended": 3e-5}.get, OtherLanguages(("fr",)), CFG)
    a, b, lang, odds = s.at(text.index("cultiver"))
    assert text[a:b] == "Il faut cultiver notre\njardin, disait Candide" and lang == "fr" and odds > 2
    assert s.at(text.index("tbe")) is None and s.at(text.index("said")) is None


def test_latin_comes_from_the_package_s_own_list_with_its_licence():
    from ocr_clean.lexicon import data_file

    path = data_file(languages.OWN_LISTS["la"])
    assert "Unicode" in (path.parent / "unilex_LICENSE.txt").read_text(encoding="utf-8")
    latin = languages.read_own_list(path)
    assert len(latin) > 2500 and latin["et"] > latin["est"] > 1e-3
    text = "Arma virumque cano, Troiae qui primus ab oris Italiam fato profugus Laviniaque venit litora."
    lang = ForeignStretches(text, Pipeline().lexicon.freq_lower, OtherLanguages(("fr", "la")), CFG).at(10)[2]
    assert lang == "la"


def test_a_missing_package_list_is_a_clear_error(tmp_path, monkeypatch):
    from ocr_clean.lexicon import DataFileError

    monkeypatch.setenv("OCR_CLEAN_DICTIONARIES", str(tmp_path))
    with pytest.raises(DataFileError, match="unilex_la.tsv not found"):
        parse_languages("fr la")
    assert parse_languages("fr de") == ("fr", "de")
    bad = tmp_path / "unilex_la.tsv"
    bad.write_text("Form\tFrequency\net\tmany\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="'many' is no frequency"):
        languages.read_own_list(bad)


def test_a_stretch_longer_than_the_window_is_the_whole_run_without_a_boundary():
    french = " ".join(["une jeune fille vivait avec sa mère dans une petite maison au bord de la forêt"] * 80)
    english = " ".join(["the men of the town went down to the river and came back with the boats"] * 80)
    for body, lang in ((french, "fr"), (english, None)):
        text = "He wrote: " + body + ". Then he left."
        assert len(body) > 2 * ForeignStretches.WINDOW
        s = ForeignStretches(text, Pipeline().lexicon.freq_lower, OtherLanguages(("fr", "de")), CFG)
        places = [text.index(" ", k) + 1 for k in range(20, len(text) - 20, 997)]
        got = {s.at(p) for p in places if p < len(text) - 16}
        if lang is None:
            assert got == {None}
        else:
            (a, b, found, odds), = got
            assert (a, b, found) == (10, 10 + len(body), "fr") and odds > 2
        assert s._starts is not None and len(s._read) <= 3     # one stretch read, not one a place


def test_english_text_loads_no_other_language():
    langs = OtherLanguages(("fr", "de"))
    s = ForeignStretches("The minutes of the last meeting were read and confirmed by the chairman.",
                         Pipeline().lexicon.freq_lower, langs, CFG)
    assert s.at(10) is None
    assert langs._freqs is None            # English read it: the other lists were never opened


def test_ocr_fragments_with_one_foreign_looking_word_open_no_list():
    # the book's own odd stretches: split words, capitals spaced out; "bald" is German too
    langs = OtherLanguages(("fr", "de", "la"))
    text = "BALD- HEADE D  C OM M UNIST YOUTH. Then tbe youth came."
    s = ForeignStretches(text, Pipeline().lexicon.freq_lower, langs, CFG)
    assert s.at(3) is None and langs._freqs is None
    assert "bald" in langs.markers(CFG["foreign_marker_freq"])       # (the few words that gate the lists)


def test_the_lists_are_kept_on_disk_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("OCR_CLEAN_CACHE", str(tmp_path))
    languages._frequencies.cache_clear()
    languages._markers.cache_clear()
    try:
        built = languages._frequencies(("fr", "it"))
        markers = languages._markers(("fr", "it"), 1e-5)
        files = [f for f in tmp_path.glob("languages-*.marshal") if "markers" not in f.name]
        assert len(files) == 1 and built["fr"]["une"] > 1e-3 and built["it"]["della"] > 1e-4
        assert {"une", "della"} <= markers and len(list(tmp_path.glob("languages-markers-*.marshal"))) == 1
        languages._frequencies.cache_clear()
        assert languages._frequencies(("fr", "it")) == built            # read from the file
        files[0].write_bytes(b"broken")                                   # a broken cache is rebuilt
        languages._frequencies.cache_clear()
        assert languages._frequencies(("fr", "it")) == built
    finally:
        languages._frequencies.cache_clear()
        languages._markers.cache_clear()

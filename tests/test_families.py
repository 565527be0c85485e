"""Every confusion family of the error model, on misreadings written for these tests
(tests/cases/families.json): the table holds no family without a case, the model reads each
case back through its family, and the whole pipeline repairs the written sentences."""
import json
from pathlib import Path

import pytest

from ocr_clean import clean_text
from ocr_clean.errmodel import ErrorModel, load_confusions
from ocr_clean.wordindex import PrefixIndex

CASES = json.loads((Path(__file__).parent / "cases" / "families.json").read_text(encoding="utf-8"))["cases"]
WORD_CASES = [c for c in CASES if "seen" in c]
SENTENCES = [c for c in CASES if "sentence" in c]
# words near the cases' own, so that the model has other readings to choose among
DISTRACTORS = {"then", "thus", "this", "there", "form", "farm", "fool", "ail", "oil", "on", "or",
               "tho", "they", "hat", "mode", "may", "more", "mare"}


def test_every_family_of_the_table_has_a_written_case():
    families = {r.family for r in load_confusions()}
    have = {c["family"] for c in WORD_CASES}
    assert families - have == set(), "families with no case in tests/cases/families.json"
    assert have - families == set(), "cases naming a family the table does not hold"


@pytest.mark.parametrize("case", WORD_CASES, ids=lambda c: f"{c['family']}: {c['seen']}")
def test_the_model_reads_the_misreading_back_through_its_family(case):
    capitals = case.get("capitals", False)
    model = ErrorModel.load(max_generic=0, capitals=capitals)
    words = DISTRACTORS | {case["word"]}
    got, cut = model.candidates(case["seen"], PrefixIndex(words), words)
    assert not cut
    by_word = {c.word: c for c in got}
    assert case["word"] in by_word, [c.word for c in got]
    assert case["family"] in by_word[case["word"]].families
    # and only through the table's families: no letter read outside them
    assert "generic" not in by_word[case["word"]].families
    if capitals:                  # a capital's confusion is no small letter's: the model of
        small = ErrorModel.load(max_generic=0)        # small letters reads no family of capitals
        assert model.capitals and not small.capitals
        got, _ = small.candidates(case["seen"], PrefixIndex(words), words)
        assert not any(case["family"] in c.families for c in got)


@pytest.mark.parametrize("case", SENTENCES, ids=lambda c: f"{c['family']}: {c['sentence'][:30]}")
def test_the_pipeline_repairs_the_family_in_a_written_text(case):
    # (the book's confusion stage may be first to the fix, under its own rule names: the
    # words stage names the family)
    res = clean_text(case["sentence"])
    assert res.text.strip() == case["expect"]
    fixed = [e for e in res.edits if e.in_output and e.stage in ("words", "confusion")]
    assert fixed, res.edits
    notes = [e.note for e in fixed if e.stage == "words"]
    assert not notes or any(case["family"] in n.split(" ", 1)[0].split("+") for n in notes), notes

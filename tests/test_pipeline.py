"""The library API and the pipeline: stages in order, each one can be switched off."""
from __future__ import annotations

import pytest

from ocr_clean import Config, Pipeline, clean_text, replay
from ocr_clean.config import DEFAULT_ORDER
from ocr_clean.stages import REGISTRY

from .conftest import raw_lines


def test_every_default_stage_is_registered_and_described():
    for name in DEFAULT_ORDER:
        assert name in REGISTRY, name
        assert REGISTRY[name].description


def test_clean_text_returns_text_edits_and_queue(excerpt):
    res = clean_text(excerpt, name="preface")
    assert "the most decisive events" in res.text
    assert "His departure from Turkey" in res.text
    assert res.edits and all(e.stage in DEFAULT_ORDER for e in res.edits)
    assert set(res.timings) == set(DEFAULT_ORDER)
    fix = next(e for e in res.edits if e.before == "lnost")
    assert (fix.stage, fix.after, fix.raw_line) == ("confusion", "most", 23)


def test_a_queued_edit_keeps_the_raw_reading(excerpt):
    # confusion unsure of every fix: its fixes are queued, the raw words stay in the text
    res = clean_text(excerpt, config=Config.from_dict({"stages": {"confusion": {"apply_threshold": 1.01}}}))
    queued = res.queued
    assert any(e.before == "lnost" and e.after == "most" for e in queued)
    assert "the lnost decisive events" in res.text
    for e in queued:
        assert e.status == "queued" and e.after != e.before
        # accepting it puts its reading in the text
        assert replay(excerpt, res.ledger, lambda x, e=e: x.in_output or x is e) != res.text


@pytest.mark.parametrize("stage", DEFAULT_ORDER)
def test_any_stage_can_be_switched_off(stage, excerpt):
    res = Pipeline(skip=[stage]).run(excerpt)
    assert stage not in res.timings
    assert replay(excerpt, res.ledger) == res.text
    assert replay(excerpt, res.ledger, lambda e: False) == excerpt


def test_texts_that_end_without_a_line_end_or_with_spaces():
    for text in ["abc  ", "abc", "x\n\n  ", "Tro tsky said \n"]:
        for skip in ([], ["page_structure"]):
            res = clean_text(text, skip=skip)
            assert res.text.endswith("\n") and not res.text.endswith("\n\n"), (text, skip)


def test_pipe_is_run_in_a_loop():
    pipe = Pipeline(skip=["footnotes"])
    texts = [("a", raw_lines(3, 12)), ("b", raw_lines(14, 21))]
    results = list(pipe.pipe(texts))
    assert [r.document.name for r in results] == ["a", "b"]
    assert results[0].text == pipe.run(texts[0][1], "a").text


def test_config_order_and_unknown_stage():
    cfg = Config.from_dict({"order": ["page_structure", "dehyphenate"]})
    res = Pipeline(cfg).run(raw_lines(3, 12))
    assert "frOln" in res.text and "revolutionary" in res.text
    with pytest.raises(ValueError, match="unknown stage"):
        Pipeline(skip=["nope"])


def test_guess_applies_queued_edits_marked_as_guessed():
    text = raw_lines(540, 600)      # "smnmer", "enelnies": too little evidence in a short excerpt
    plain = clean_text(text)
    assert plain.queued and "smnmer" in plain.text
    res = Pipeline(Config(guess=True)).run(text)
    assert not res.queued and "smnmer" not in res.text
    guessed = [e for e in res.edits if e.status == "guessed"]
    assert {e.before for e in guessed} == {e.before for e in plain.queued}
    assert replay(text, res.ledger) == res.text


def test_a_run_leaves_no_garbage_cycles():
    # Pipeline.run pauses the cyclic garbage collector: that is only free if the stages make
    # no reference cycles (everything they make is then freed by reference counting)
    import gc

    pipe = Pipeline()
    text = raw_lines(1, 1200) + raw_lines(17000, 17400)    # body and notes: every stage at work
    gc.collect()
    gc.disable()
    try:
        result = pipe.run(text)
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_clean_texts_gives_one_result_per_text_in_order():
    from ocr_clean import clean_texts
    texts = ["the lnost decisive events \nin 1930 .\n", "A plain sentence.\n", "tbe end\n"]
    results = clean_texts(texts, names=["a", "b", "c"])
    assert [r.document.name for r in results] == ["a", "b", "c"]
    assert [r.document.raw for r in results] == texts
    assert results[1].text == clean_text(texts[1]).text

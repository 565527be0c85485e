"""The one confidence policy (ocr_clean.policy): stages score their edits, the policy decides
applied / queued / dropped from the stage's thresholds, and which applied edits a person sees."""
from __future__ import annotations

import doctest

from ocr_clean import policy
from ocr_clean.config import Config
from ocr_clean.ledger import APPLIED, QUEUED
from ocr_clean.pipeline import Pipeline

from .conftest import raw_lines


def test_the_policy_examples_hold():
    failed, tried = doctest.testmod(policy)
    assert tried >= 4 and not failed


def _run(text, **stages):
    return Pipeline(Config.from_dict({"stages": stages}) if stages else None).run(text)


def _by(result, stage, status):
    return [e for e in result.edits if e.stage == stage and e.status == status]


def test_a_stage_thresholds_move_its_scored_edits_between_applied_queued_and_dropped():
    text = raw_lines(1, 125)     # the Preface: glyph confusions and stray spaces
    base = _run(text)
    applied = _by(base, "confusion", APPLIED)
    assert applied and all(e.confidence >= 0.9 for e in applied)
    # nothing is sure enough to apply: the same edits are queued, the raw forms stay
    strict = _run(text, confusion={"apply_threshold": 1.01})
    assert not _by(strict, "confusion", APPLIED)
    assert {e.before for e in applied} <= {e.before for e in _by(strict, "confusion", QUEUED)}
    for e in applied:
        assert e.before in strict.text
    # nothing is sure enough to queue either: no edit of the stage at all
    none = _run(text, confusion={"apply_threshold": 1.01, "queue_threshold": 1.01})
    assert not [e for e in none.edits if e.stage == "confusion" and e.rule != "too-long"]
    # the other stages are untouched by the confusion stage's thresholds
    assert len(_by(none, "punctuation", APPLIED)) == len(_by(base, "punctuation", APPLIED))


def test_punctuation_queues_below_its_threshold_and_drops_below_its_queue_threshold():
    text = "He said it .was so , and the 13 .7 per cent stayed .\n"
    base = _run(text)
    doubt = [e for e in base.edits if e.stage == "punctuation" and e.confidence < 0.8]
    assert doubt and all(e.status == QUEUED for e in doubt)
    strict = _run(text, punctuation={"queue_threshold": 0.8})
    assert not [e for e in strict.edits if e.stage == "punctuation" and e.confidence < 0.8]
    assert [e for e in strict.edits if e.stage == "punctuation" and e.status == APPLIED]


def test_for_review_is_the_queued_edits_and_the_applied_ones_below_review_below():
    text = raw_lines(1, 125)
    res = _run(text)
    low = [e for e in res.edits if e.status == APPLIED and e.confidence < 0.65]
    assert res.for_review == [e for e in res.edits if e.status == QUEUED or e in low]
    only_queued = Pipeline(Config.from_dict({"review_below": 0.0})).run(text)
    assert only_queued.for_review == [e for e in only_queued.edits if e.status == QUEUED]

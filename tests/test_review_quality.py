"""Review items a proofreader can fix in one key (issue 12.4): each item spans the whole
error, a family of suggestions more often wrong than right keeps the raw text by default,
and refusing a line join keeps the paragraph on one line."""
from __future__ import annotations

import pytest

from ocr_clean import Pipeline, clean_text
from ocr_clean.ledger import APPLIED, QUEUED, Edit, Ledger
from ocr_clean.pipeline import set_aside_superseded
from ocr_clean.review import ReviewStore
from ocr_clean.review.store import kept_apart

from .conftest import RAW_BOOK, raw_lines


def _items(text):
    return [e for e in clean_text(text).for_review]


def test_a_stray_mark_item_spans_the_mark_and_its_space():
    # "and it .was not just an empty phrase": a speck, not a full stop
    [e] = [e for e in _items(raw_lines(1890, 1900)) if e.rule == "space-before-punct"]
    assert e.before == " ." and e.after == " " and e.status == QUEUED
    assert ". " in e.candidates                     # the other reading, one key away
    r = clean_text("We said it ,and the rest\n")
    commas = [x for x in r.for_review if x.rule == "space-before-punct"]
    assert all(x.after == ", " for x in commas)     # a comma glued to the next word moves back


def test_an_unclear_spaced_quote_after_a_sentence_end_closes():
    # "the principal foe !  " It is discovered": right after a sentence's end the quote
    # closes the quotation (as every spaced quote there that its pairs settle does): that is
    # the suggestion, applied for review, with kept-apart and opening one key away
    r = clean_text(raw_lines(14625, 14635))
    [e] = [e for e in r.for_review if e.rule == "quote-space" and e.before == '  " ']
    assert (e.after, e.status, e.confidence) == ('" ', APPLIED, 0.5)
    assert e.candidates == ('" ', ' " ', ' "') and "closing" in e.note
    # (i s: queued by the split_words stage, joined by the words stage sure of the same reading)
    assert 'the principal foe!" It is discovered' in r.text
    asked = [x for x in r.edits if x.stage == "split_words" and x.before == "i s"]
    assert asked and all(q.status == "rejected" and q.note.endswith("set aside: words:parted-word applied the same reading")
                         for q in asked)
    r = clean_text('He said: " Go home. " And they went.\n')
    assert r.text == 'He said: "Go home." And they went.\n'


def test_an_unclear_spaced_quote_elsewhere_is_kept_apart_with_both_readings():
    for text in ('They call it  " a turn  " and so on.\n', 'It was, " he said, " too late.\n',
                 'He said "go" and " then\n'):
        r = clean_text(text)
        items = [e for e in r.for_review if e.rule == "quote-space"]
        assert items, text
        for e in items:
            assert e.after == ' " ' and "opening or closing" in e.note   # neither opened nor closed
            assert {'" ', ' "'} <= set(e.candidates)
    [e, _] = clean_text('It was, " he said, " too late.\n').for_review
    assert e.candidates[1] == '" '              # after a comma: closing is offered first


def test_a_negative_case_the_clear_quotes_are_untouched():
    r = clean_text('He said "go home" and they went, "all of them" at once.\n')
    assert not [e for e in r.edits if e.rule == "quote-space"]


def test_kept_apart_is_only_for_line_joins():
    assert kept_apart("land\nholdings", "land-holdings") == "land holdings"
    assert kept_apart("\n)2) \n", "") is None                 # a page number, not a join
    assert kept_apart("smnmer", "summer") is None


@pytest.mark.parametrize("lines, rejected, line", [
    # applied (the likelier reading is the scan's own): refused, the words kept apart
    ((3634, 3644), "short coming", "The greatest short coming is"),
    # queued over the scan's text (land-holdings over landholdings): refused, the scan's text
    ((875, 885), "landholdings", "large landholdings in general"),
])
def test_rejecting_a_join_keeps_the_paragraph_on_one_line(tmp_path, lines, rejected, line):
    raw = raw_lines(*lines)
    store = ReviewStore(tmp_path / "q.sqlite", who="t")
    first = Pipeline(review=store).run(raw, name="b")
    [it] = [i for i in store.items() if i.rule == "join-uncertain"]
    done = store.decide(it.id, "rejected")
    assert done.chosen == rejected
    again = Pipeline(review=store).run(raw, name="b")
    assert line in again.text
    assert again.text.count("\n") == first.text.count("\n")      # no paragraph split in two


@pytest.fixture(scope="module")
def book_run():
    return Pipeline().run(RAW_BOOK.read_text(encoding="utf-8"), name="book")


@pytest.fixture(scope="module")
def book_items(book_run):
    return book_run.for_review


def test_an_item_a_later_stage_rewrote_is_set_aside():
    # the words stage queues "l t" -> "it" inside "l t-!", the footnotes stage then reads the
    # whole "l t-!" as marker 114: taking "it" would take the marker's text away
    led = Ledger()
    led.add_batch("words", [Edit(1, 4, "it", "parted-word", 0.6, QUEUED, raw_start=1, raw_end=4, stage="words",
                                 before="l t")])
    led.add_batch("footnotes", [Edit(0, 6, "[^114]", "marker", stage="footnotes", raw_start=0, raw_end=6)])
    assert set_aside_superseded(led) == 1
    (aside,) = led.batches[0]
    assert aside.status == "rejected" and "footnotes:marker" in aside.note
    assert set_aside_superseded(led) == 0                          # once


def test_no_item_of_the_book_lies_under_a_later_stage_edit(book_run, book_items):
    # whatever the words stage queues, no item put before a person is text a later stage rewrote
    assert "[^114]" in book_run.text
    for aside in (e for e in book_run.ledger if "set aside" in e.note):
        assert aside.status == "rejected" and aside not in book_items
    later = [e for e in book_run.ledger if e.in_output and e.raw_end > e.raw_start]
    for q in book_items:
        if q.status == QUEUED and q.raw_end > q.raw_start:
            assert not [e for e in later if e.batch > q.batch and e.raw_start <= q.raw_start
                        and q.raw_end <= e.raw_end], q


def test_whole_book_items(book_items):
    by_before = {e.before: e for e in book_items}
    # the word and its apostrophe: "strongel' industry" -> "stronger industry"
    assert by_before["strongel'"].after == "stronger" and "stronger'" in by_before["strongel'"].candidates
    # two words the context reads as two words are not offered as one
    assert "with in" not in by_before and "to ward" not in by_before
    assert "it self" in by_before and "up on" in by_before        # the pairs the context allows stay
    # a marker before a one-letter sentence start restores the full stop ("leadershipY A")
    marks = [e for e in book_items if e.rule.startswith("marker") and e.before == "Y"]
    assert marks and all(e.after.startswith(".") for e in marks)
    assert all(e.status in (APPLIED, QUEUED) for e in book_items)

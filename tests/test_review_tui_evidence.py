"""The review screen a proofreader trusts (issue 12.5), through textual's pilot: the evidence
on screen, items already applied at low confidence marked, "all alike" only for the same rule
and reason (listed, Enter decides nothing), and a refused line join kept on one line."""
from __future__ import annotations

import json

import pytest
from textual.widgets import Static

from ocr_clean import Pipeline
from ocr_clean.cli.review_cmds import item_json
from ocr_clean.review import ReviewStore
from ocr_clean.review.tui import AlikeScreen, ReviewApp

from .conftest import raw_lines, screen_text

SIZE = (160, 45)


def text_of(app, selector: str) -> str:
    return screen_text(app, selector, SIZE[0])


@pytest.fixture
def join_db(tmp_path):
    """A real excerpt whose join (short / coming) is applied at low confidence: the likelier
    reading is the scan's own (its lines go on without a space), so it is in the text."""
    raw = raw_lines(3634, 3644)
    (tmp_path / "book.txt").write_text(raw, encoding="utf-8")
    path = tmp_path / "q.sqlite"
    with ReviewStore(path, who="t") as s:
        s.set_source("book", tmp_path / "book.txt", raw=raw)
        Pipeline(review=s).run(raw, name="book")
    return path


async def test_evidence_and_the_applied_mark_are_on_screen(join_db):
    store = ReviewStore(join_db, who="t")
    [it] = [i for i in store.items() if i.rule == "join-uncertain"]
    assert it.applied and it.chosen == it.suggestion          # the file has the suggestion
    d = item_json(it)
    assert d["applied"] is True and d["chosen"] == "shortcoming" and "evidence" in d
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current.id == it.id
        ev = text_of(app, "#evidence")
        assert "book: shortcoming 0" in ev                     # the ledger note
        assert "ALREADY IN THE TEXT" in text_of(app, "#where")
        raw = text_of(app, "#raw")                             # the item is on lines 6-7 of the excerpt:
        assert " 4 \u2502" in raw and " 9 \u2502" in raw and "10 \u2502" not in raw   # two lines either side
        assert "In the field of basic construction" in raw
        assert "keep the words apart" in text_of(app, "#candidates")


async def test_rejecting_a_join_keeps_the_words_on_one_line(join_db, tmp_path):
    store = ReviewStore(join_db, who="t")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
    with ReviewStore(join_db) as s:
        [it] = [i for i in s.items() if i.rule == "join-uncertain"]
        assert (it.status, it.chosen) == ("edited", "short coming")
        again = Pipeline(review=s).run(raw_lines(3634, 3644), name="book")
    assert "The greatest short coming is" in again.text
    assert "short\ncoming" not in again.text


def _alike_queue(path):
    ctx = "the words around ⟨{b}→{a}⟩ and after"
    rows = [dict(id=f"{k:016x}", doc="d", stage=st, rule=ru, before=" ", suggestion="", note=note,
                 context=ctx.format(b=" ", a=""), raw_line=10 + k, status="open")
            for k, (st, ru, note) in enumerate([
                ("punctuation", "space-before-punct", "mark 3"),
                ("punctuation", "space-before-punct", "mark 7"),     # the same reason, other number
                ("punctuation", "quote-space", "opening or closing?"),  # same change, other rule
                ("punctuation", "space-before-punct", "glued to the next word")])]  # other reason
    with ReviewStore(path, who="t") as s:
        s.import_jsonl(json.dumps(r) + "\n" for r in rows)


async def test_all_alike_is_only_the_same_rule_and_reason_and_enter_decides_nothing(tmp_path):
    path = tmp_path / "q.sqlite"
    _alike_queue(path)
    store = ReviewStore(path, who="t")
    first = store.items()[0]
    assert [i.id for i in store.alike(first)] == [f"{0:016x}", f"{1:016x}"]
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AlikeScreen)
        listed = str(app.screen.query_one("#alike-items", Static).render())
        assert "line 10" in listed and "line 11" in listed and "line 12" not in listed
        await pilot.press("enter")                        # nothing decided inside the box
        await pilot.pause()
        assert isinstance(app.screen, AlikeScreen)
        assert ReviewStore(path).count(status="decided") == 0
        await pilot.press("y")
        await pilot.pause()
        assert "this session 2" in text_of(app, "#progress")
    with ReviewStore(path) as s:
        assert {i.id for i in s.items(status="decided")} == {f"{0:016x}", f"{1:016x}"}


async def test_counters_do_not_restart_when_filtered_nor_go_negative(tmp_path):
    path = tmp_path / "q.sqlite"
    _alike_queue(path)
    with ReviewStore(path, who="t") as s:              # a decision of an earlier session
        s.decide(f"{3:016x}", "accepted")
    store = ReviewStore(path, who="t")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")                          # only this stage: the counts stay
        await pilot.pause()
        prog = text_of(app, "#progress")
        assert "1 done" in prog and "3 left" in prog and "showing only" in prog
        await pilot.press("u")                          # undo the earlier session's decision
        await pilot.pause()
        assert "this session 0" in text_of(app, "#progress")
        assert "-1" not in text_of(app, "#progress")

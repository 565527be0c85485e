"""The terminal review, driven by textual's pilot: keys in, decisions in the SQLite file."""
from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from ocr_clean.ledger import ACCEPTED, EDITED, QUEUED, REJECTED
from ocr_clean.review import ReviewStore
from ocr_clean.review.tui import ReviewApp, cleaned_view, raw_view

from .test_review_store import glyph_document, glyph_raw

SIZE = (120, 40)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "review.sqlite"
    doc = glyph_document()
    with ReviewStore(path, who="tester") as s:
        s.submit("glyphs", [e for e in doc.ledger if e.status == QUEUED])
        s.fill_raw_lines("glyphs", glyph_raw())
    return path


def statuses(path) -> dict[str, tuple[str, str | None]]:
    with ReviewStore(path) as s:          # a fresh connection: what is on disk
        return {i.id: (i.status, i.decision) for i in s.items()}


def text_of(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_accept_reject_pick_and_the_progress_line(db):
    store = ReviewStore(db, who="tester")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first = app.current
        assert first.before == "frOln"
        assert "0 done" in text_of(app, "#progress") and "8 left" in text_of(app, "#progress")
        await pilot.press("a")
        assert statuses(db)[first.id] == (ACCEPTED, "from")      # saved at once
        second = app.current
        assert second.id != first.id
        await pilot.press("r")
        assert statuses(db)[second.id] == (REJECTED, None)
        third = app.current
        await pilot.press("2")                                   # the second candidate
        assert statuses(db)[third.id] == (ACCEPTED, third.ranked[1])
        fourth = app.current
        await pilot.press("enter")
        assert statuses(db)[fourth.id][0] == ACCEPTED
        assert "4 done" in text_of(app, "#progress") and "4 left" in text_of(app, "#progress")
        await pilot.press("9")                                   # no ninth candidate: nothing
        assert sum(1 for st, _ in statuses(db).values() if st == "open") == 4
    store.close()


async def test_edit_in_place(db):
    store = ReviewStore(db, who="tester")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        item = app.current
        await pilot.press("e")
        box = app.query_one("#edit", Input)
        assert box.has_focus and box.value == item.suggestion
        await pilot.press("end", "a", "r", "s")                  # letters go to the input, not to the keys
        assert statuses(db)[item.id] == ("open", None)
        await pilot.press("enter")
        assert statuses(db)[item.id] == (EDITED, item.suggestion + "ars")
        assert not box.has_focus
        nxt = app.current
        await pilot.press("e", "x", "escape")                   # cancelled: nothing saved
        assert statuses(db)[nxt.id] == ("open", None) and app.current.id == nxt.id
        await pilot.press("a")                                   # the keys work again
        assert statuses(db)[nxt.id][0] == ACCEPTED
    store.close()


async def test_skip_and_undo(db):
    store = ReviewStore(db, who="tester")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first = app.current
        await pilot.press("s")
        assert app.current.id != first.id and statuses(db)[first.id][0] == "open"
        await pilot.press("n")
        third = app.current
        await pilot.press("r")
        assert statuses(db)[third.id][0] == REJECTED
        await pilot.press("u")
        assert statuses(db)[third.id] == ("open", None)
        assert app.current.id == third.id                        # back to the undone item
        await pilot.press("u")                                   # nothing more to undo
        assert "nothing to undo" in text_of(app, "#message")
    store.close()


async def test_decide_all_alike_after_one_confirmation(db):
    store = ReviewStore(db, who="tester")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        item = app.current
        assert item.before == "frOln"
        assert "5 open alike" in text_of(app, "#where")
        await pilot.press("A")
        await pilot.press("n")                                   # declined: nothing
        assert all(st == "open" for st, _ in statuses(db).values())
        await pilot.press("A")
        await pilot.press("y")
        got = statuses(db)
        frolns = [i for i in store.items(status=None) if i.before == "frOln"]
        assert len(frolns) == 5 and all(got[i.id] == (ACCEPTED, "from") for i in frolns)
        assert app.current.before != "frOln"
        assert "5 done" in text_of(app, "#progress")
        await pilot.press("u")                                   # one undo takes back the group
        assert all(statuses(db)[i.id][0] == "open" for i in frolns)
        assert app.current.before == "frOln"
        await pilot.press("A", "r")                              # or reject them all
        assert all(statuses(db)[i.id] == (REJECTED, None) for i in frolns)
    store.close()


async def test_raw_lines_stand_beside_the_cleaned_text_when_wide(db):
    store = ReviewStore(db, who="tester")
    app = ReviewApp(store)
    async with app.run_test(size=(160, 40)) as pilot:
        pair = app.query_one("#pair")
        assert pair.has_class("wide")
        raw, cleaned = app.query_one("#raw"), app.query_one("#cleaned")
        assert raw.region.y == cleaned.region.y and raw.region.x < cleaned.region.x
        shown = cleaned_view(app.current).plain                 # the sentence around the change
        assert shown.startswith("His departure frOln from ") and "1931 ." not in shown
    async with ReviewApp(store).run_test(size=(100, 40)) as pilot:
        assert not pilot.app.query_one("#pair").has_class("wide")
    store.close()


async def test_filter_by_rule_and_quit_keeps_everything(db):
    store = ReviewStore(db, who="tester")
    app = ReviewApp(store, rule="digit-glyph")
    async with app.run_test(size=SIZE) as pilot:
        assert app.current.before == "develop1l1ents"
        assert "1 left" in text_of(app, "#progress")
        await pilot.press("a")
        assert app.current is None and "Nothing left" in text_of(app, "#where")
        await pilot.press("q")
    assert not app.is_running
    store.close()
    got = statuses(db)
    assert sorted(st for st, _ in got.values()).count(ACCEPTED) == 1
    app2 = ReviewApp(ReviewStore(db, who="tester"))
    async with app2.run_test(size=SIZE) as pilot:
        assert "1 done" in text_of(app2, "#progress") and "7 left" in text_of(app2, "#progress")
        await pilot.press("f")                                   # only this rule
        assert app2.filters["rule"] == "glyph"
        assert "7 left" in text_of(app2, "#progress") and "rule=glyph" in text_of(app2, "#progress")
        await pilot.press("f")                                   # and back
        assert app2.filters["rule"] is None
    app2.store.close()


def test_the_raw_line_is_shown_with_the_change_marked(db):
    with ReviewStore(db) as s:
        it = next(i for i in s.items() if i.before == "lnost")
    text = raw_view(it)
    assert "the lnost decisive events" in text.plain
    marked = [text.plain[sp.start:sp.end] for sp in text.spans if "red" in str(sp.style)]
    assert "".join(marked) == "lnost"

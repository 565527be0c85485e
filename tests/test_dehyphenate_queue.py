"""A line-end join the evidence leaves open is queued (issue 15), end to end through the real
CLI: the scan's text kept (``kept-as-scanned``), the likelier reading in the real SQLite queue
with both readings and the book's counts, ``explain`` showing it, and a person's decision
(accepted: the reading; rejected: the scan's text) put into the cleaned text by ``apply``."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ocr_clean import Config, clean_text
from ocr_clean.cli import app
from ocr_clean.ledger import read_ledger, replay

from .conftest import raw_lines

runner = CliRunner()

# ordinary OCR (no trailing spaces; a line end is a space unless after a hyphen mark), not
# from the book: a hyphen at the line end, the text writing the word once each way
NEWSPAPER = ("The board spoke of co-operation with the town, and of cooperation with the county, and\n"
             "the chairman hoped that such co-\n"
             "operation would last.\n")

CASES = {
    # the book's lines 875-885: its lines go on without a space; land / holdings, English
    # and the book both silent: the hyphen is likelier, the scan reads the word going on
    "book": (lambda: raw_lines(875, 885), "landholdings", "land-holdings", "large {} in general", 0),
    # the scan keeps its hyphen; the text's own counts are split, one each way
    "newspaper": (lambda: NEWSPAPER, "co-operation", "cooperation", "such {} would last", 1),
}


def run(*args, ok: bool = True):
    res = runner.invoke(app, [str(a) for a in args])
    if ok:
        assert res.exit_code == 0, res.output + repr(res.exception)
    return res


@pytest.fixture(params=sorted(CASES))
def cleaned(request, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "proofreader")
    raw, scanned, reading, line, count = CASES[request.param]
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "b.txt").write_text(raw(), encoding="utf-8")
    run("clean", "raw/", "--out", "cleaned/", "--db", "q.sqlite")
    return tmp_path, scanned, reading, line, count


def the_item(db="q.sqlite", status="open") -> dict:
    items = json.loads(run("queue", "list", "--db", db, "--json", "--status", status).stdout)
    [it] = [i for i in items if i["rule"] == "join-uncertain"]
    return it


def test_an_open_join_is_queued_and_decided_both_ways(cleaned):
    tmp, scanned, reading, line, count = cleaned
    out = tmp / "cleaned" / "b.txt"
    raw = (tmp / "raw" / "b.txt").read_text(encoding="utf-8")
    # queued: the scan's text stays, on one line; the item has both readings and the counts
    first = out.read_text(encoding="utf-8")
    assert line.format(scanned) in first
    [n] = [k for k, ln in enumerate(first.split("\n"), 1) if line.format(scanned) in ln]
    it = the_item()
    assert (it["stage"], it["before"], it["suggestion"]) == ("dehyphenate", scanned, reading)
    assert it["status"] == "open" and it["applied"] is False and it["confidence"] < 0.65
    assert "\u27e8" + scanned + "\u2192" + reading + "\u27e9" in it["context"]
    assert (it["evidence"]["book_joined"], it["evidence"]["book_hyphenated"]) == (count, count)
    joined = reading.replace("-", "")
    assert it["note"].startswith(f"book: {joined} {count}, ")      # the counts of both readings
    # explain names the rule and its evidence on the edit's line
    exp = run("explain", out, n).stdout
    assert "join-uncertain" in exp and "book_joined" in exp and "queued" in exp
    # the ledger: undoing everything gives the raw text back
    led = read_ledger(tmp / "cleaned" / "b.ledger.jsonl")
    assert replay(raw, led, lambda e: False) == raw

    # accepted: the reading, in the text apply writes (a fresh clean with the decision)
    run("queue", "decide", it["id"], "--accept", "--db", "q.sqlite")
    run("apply", "cleaned/", "--db", "q.sqlite")
    text = out.read_text(encoding="utf-8")
    assert line.format(reading) in text and text.count("\n") == first.count("\n")
    led = read_ledger(tmp / "cleaned" / "b.ledger.jsonl")
    [e] = [e for e in led if e.rule == "join-uncertain"]
    assert (e.status, e.before, e.after) == ("accepted", scanned, reading)
    assert replay(raw, led) == text                     # the decision replays from the ledger

    # rejected: the scan's text, still one line a paragraph
    run("queue", "decide", it["id"], "--reject", "--force", "--db", "q.sqlite")
    assert the_item(status="decided")["chosen"] == scanned
    run("apply", "cleaned/", "--db", "q.sqlite")
    text = out.read_text(encoding="utf-8")
    assert text == first
    led = read_ledger(tmp / "cleaned" / "b.ledger.jsonl")
    [e] = [e for e in led if e.rule == "join-uncertain"]
    assert e.status == "rejected" and replay(raw, led) == text


def test_a_join_english_knows_is_applied_for_review_not_queued():
    """``open_join_zipf``: a printed line-end hyphen whose joined form English knows as a word
    (short- / coming) is not truly split: the join is applied at the uncertain confidence and
    shown for review; set above any word's frequency, the same join is queued."""
    text = ("He said the greatest short-\n"
            "coming of the new wharf was its depth.\n")
    res = clean_text(text)
    [e] = [e for e in res.ledger if e.rule == "join-uncertain"]
    assert (e.status, e.before, e.after) == ("applied", "short-\ncoming", "shortcoming")
    assert e in res.for_review and not res.queued
    cfg = Config.from_dict({"stages": {"dehyphenate": {"open_join_zipf": 9.0}}})
    res = clean_text(text, config=cfg)
    [e] = [e for e in res.ledger if e.rule == "join-uncertain"]
    assert (e.status, e.before, e.after) == ("queued", "short-coming", "shortcoming")
    assert "greatest short-coming of" in res.text and res.queued == [e]


async def test_the_review_screen_shows_and_decides_a_queued_join(tmp_path):
    """``ocr-clean review`` (textual's pilot): the queued join with both readings and the
    text's counts on screen, not marked as already in the text; Enter accepts it, and the
    next clean with the queue gives the reading."""
    from ocr_clean import Pipeline
    from ocr_clean.review import ReviewStore
    from ocr_clean.review.tui import ReviewApp

    from .conftest import screen_text

    raw = raw_lines(875, 885)
    db = tmp_path / "q.sqlite"
    with ReviewStore(db, who="t") as s:
        first = Pipeline(review=s).run(raw, name="book")
    assert "large landholdings in general" in first.text
    app = ReviewApp(ReviewStore(db, who="t"))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        it = app.current
        assert (it.rule, it.before, it.suggestion, it.applied) == ("join-uncertain", "landholdings",
                                                                  "land-holdings", False)
        ev = screen_text(app, "#evidence", 160)
        assert "book: landholdings 0, land-holdings 0" in ev and "book_joined" in ev
        assert "ALREADY IN THE TEXT" not in screen_text(app, "#where", 160)
        await pilot.press("enter")
        await pilot.pause()
    with ReviewStore(db) as s:
        [done] = [i for i in s.items(status="decided") if i.rule == "join-uncertain"]
        assert (done.status, done.chosen) == ("accepted", "land-holdings")
        again = Pipeline(review=s).run(raw, name="book")
    assert "large land-holdings in general" in again.text
    assert again.text.count("\n") == first.text.count("\n")

"""A line-end join the evidence leaves open is queued (issue 15), end to end through the real
CLI: the scan's text kept (``kept-as-scanned``), the likelier reading in the real SQLite queue
with both readings and the book's counts, ``explain`` showing it, and a person's decision
(accepted: the reading; rejected: the scan's text) put into the cleaned text by ``apply``."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ocr_clean.cli import app
from ocr_clean.ledger import read_ledger, replay

from .conftest import raw_lines

runner = CliRunner()

# ordinary OCR (no trailing spaces; a line end is a space unless after a hyphen mark), not
# from the book: a hyphen at the line end whose join English leaves open
NEWSPAPER = ("The harbour board met on Tuesday evening and heard the engineer.\n"
             "He said the greatest short-\n"
             "coming of the new wharf was its depth, and the members agreed that\n"
             "the work must be done again before the winter.\n")

CASES = {
    # the book's lines 875-885: its lines go on without a space; land / holdings, English
    # and the book both silent: the hyphen is likelier, the scan reads the word going on
    "book": (lambda: raw_lines(875, 885), "landholdings", "land-holdings", "large {} in general"),
    # the scan keeps its hyphen; English finds the joined word likelier
    "newspaper": (lambda: NEWSPAPER, "short-coming", "shortcoming", "the greatest {} of the new wharf"),
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
    raw, scanned, reading, line = CASES[request.param]
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "b.txt").write_text(raw(), encoding="utf-8")
    run("clean", "raw/", "--out", "cleaned/", "--db", "q.sqlite")
    return tmp_path, scanned, reading, line


def the_item(db="q.sqlite", status="open") -> dict:
    items = json.loads(run("queue", "list", "--db", db, "--json", "--status", status).stdout)
    [it] = [i for i in items if i["rule"] == "join-uncertain"]
    return it


def test_an_open_join_is_queued_and_decided_both_ways(cleaned):
    tmp, scanned, reading, line = cleaned
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
    assert {"book_joined", "book_hyphenated"} <= set(it["evidence"])
    assert f"book: {reading.replace('-', '')} 0" in it["note"]
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

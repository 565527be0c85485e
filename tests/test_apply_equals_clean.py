"""`apply` gives the text a fresh `clean` gives with the same decisions, over the whole book."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from ocr_clean.cli import app
from ocr_clean.ledger import read_ledger

from .conftest import RAW_BOOK

runner = CliRunner()


def ok(*args):
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output + repr(res.exception)
    return res


def test_apply_equals_a_fresh_clean_on_the_whole_book(workdir):
    ok("clean", RAW_BOOK, "--out", "applied", "--db", "q.sqlite")
    items = json.loads(ok("queue", "list", "--db", "q.sqlite", "--json", "--cleaned", "applied").stdout)
    assert len(items) >= 20
    rules = {i["stage"] for i in items}
    assert {"page_structure", "dehyphenate", "confusion"} <= rules
    # decide every item, both ways, each stage getting accepts and rejects
    for k, it in enumerate(items):
        ok("queue", "decide", it["id"], "--accept" if k % 2 == 0 else "--reject", "--db", "q.sqlite")
    ok("apply", "applied", "--db", "q.sqlite")
    ok("clean", RAW_BOOK, "--out", "fresh", "--db", "q.sqlite")
    applied = (workdir / "applied" / "writings-1930-31.txt").read_text(encoding="utf-8")
    fresh = (workdir / "fresh" / "writings-1930-31.txt").read_text(encoding="utf-8")
    diff = [(n, a, b) for n, (a, b) in enumerate(zip(applied.split("\n"), fresh.split("\n")), 1) if a != b]
    assert not diff, diff[:3]
    assert applied == fresh
    # no line of either ends with a space (a removed page number leaves none behind)
    assert not [ln for ln in applied.split("\n") if ln.endswith(" ")]
    # the ledger records the decisions (an item whose text another decision changed is not
    # proposed again, so not every one)
    statuses = {e.id: e.status for e in read_ledger(workdir / "applied" / "writings-1930-31.ledger.jsonl")}
    decided = {i["id"] for i in items}
    assert sum(1 for i in decided if statuses.get(i) in ("accepted", "rejected", "edited")) >= 0.8 * len(decided)

"""``ocr-clean queue ...``, ``apply`` and the clean -> review -> clean cycle, through typer's runner."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ocr_clean import cli as main_cli
from ocr_clean.cli.review_cmds import register
from ocr_clean.ledger import ACCEPTED, EDITED, QUEUED, REJECTED, read_ledger, replay
from ocr_clean.review import ReviewStore

from .test_review_store import REVIEW_CONFIG, excerpt

runner = CliRunner()


def build_app() -> typer.Typer:
    """The main app when it carries the review commands, else a fresh one with them and ``clean``."""
    if "queue" in {g.name for g in main_cli.app.registered_groups}:
        return main_cli.app
    app = typer.Typer()
    app.command("clean")(main_cli.clean)
    register(app)
    return app


APP = build_app()


def run(*args: str, ok: bool = True):
    res = runner.invoke(APP, [str(a) for a in args])
    if ok:
        assert res.exit_code == 0, res.output + repr(res.exception)
    return res


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A cleaned excerpt of the real scan, its queue in tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "proofreader")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "book.txt").write_text(excerpt(600), encoding="utf-8")
    cfg = tmp_path / "review.toml"
    cfg.write_text("".join(f"[stages.{st}]\n" + "".join(f"{k} = {v!r}\n" for k, v in kv.items())
                           for st, kv in REVIEW_CONFIG.items()))
    db = tmp_path / "q.sqlite"
    run("clean", "raw/", "--out", "cleaned/", "--config", cfg, "--db", db)
    return tmp_path, db, cfg


def listed(db, *extra) -> list[dict]:
    return json.loads(run("queue", "list", "--db", db, "--json", *extra).stdout)


def test_list_json_has_what_a_tool_needs(book):
    _, db, _ = book
    items = listed(db)
    assert len(items) >= 5
    for it in items:
        assert {"id", "status", "before", "suggestion", "context", "candidates", "line", "raw_lines"} <= set(it)
        assert it["status"] == "open"
        assert "\u27e8" + it["before"] + "\u2192" + it["suggestion"] + "\u27e9" in it["context"]
        assert it["raw_lines"]                 # filled from the ledger's source
    rule = items[0]["rule"]
    assert all(i["rule"] == rule for i in listed(db, "--rule", rule))
    assert listed(db, "--stage", "no_such_stage") == []
    table = run("queue", "list", "--db", db).stdout
    assert items[0]["id"] in table


def test_decide_accept_reject_edit_pick(book):
    _, db, _ = book
    items = listed(db)
    a, r, e, p = items[:4]
    assert "accepted" in run("queue", "decide", a["id"], "--accept", "--db", db).stdout
    run("queue", "decide", r["id"][:10], "--reject", "--db", db)        # a unique prefix will do
    run("queue", "decide", e["id"], "--edit", "by hand", "--db", db, "--who", "ed")
    run("queue", "decide", p["id"], "--pick", "1", "--db", db)
    got = {i["id"]: i for i in listed(db, "--status", "all")}
    assert got[a["id"]]["status"] == ACCEPTED and got[a["id"]]["chosen"] == a["suggestion"]
    assert got[r["id"]]["status"] == REJECTED and got[r["id"]]["chosen"] == r["before"]
    assert (got[e["id"]]["status"], got[e["id"]]["decision"], got[e["id"]]["who"]) == (EDITED, "by hand", "ed")
    assert got[a["id"]]["who"] == "proofreader" and got[a["id"]]["decided_at"]
    assert got[p["id"]]["status"] == ACCEPTED
    assert len(listed(db, "--status", "decided")) == 4


def test_decide_errors_are_one_clear_line(book):
    _, db, _ = book
    it = listed(db)[0]
    res = run("queue", "decide", "0000000000000000", "--accept", "--db", db, ok=False)
    assert res.exit_code == 2 and "no queued item" in res.output
    res = run("queue", "decide", it["id"], "--db", db, ok=False)
    assert res.exit_code == 2 and "exactly one of" in res.output
    res = run("queue", "decide", it["id"], "--accept", "--reject", "--db", db, ok=False)
    assert res.exit_code == 2
    res = run("queue", "decide", it["id"], "--pick", "9", "--db", db, ok=False)
    assert res.exit_code == 2 and "candidate" in res.output
    res = run("queue", "list", "--db", "missing.sqlite", ok=False)
    assert res.exit_code == 2 and "no review queue" in res.output


def test_decide_alike(book):
    _, db, _ = book
    items = listed(db)
    pairs: dict = {}
    for i in items:
        pairs.setdefault((i["before"], i["suggestion"]), []).append(i["id"])
    group = max(pairs.values(), key=len)
    run("queue", "decide", group[0], "--accept", "--alike", "--db", db)
    left = {i["id"] for i in listed(db)}
    assert not left & set(group)
    assert len(left) == len(items) - len(group)


def test_export_import_round_trip(book):
    tmp, db, _ = book
    items = listed(db)
    run("queue", "export", tmp / "all.jsonl", "--db", db)
    other = tmp / "other.sqlite"
    assert "new item" in run("queue", "import", tmp / "all.jsonl", "--db", other).stdout
    run("queue", "decide", items[0]["id"], "--reject", "--db", other)
    run("queue", "export", tmp / "decided.jsonl", "--status", "decided", "--db", other)
    assert len((tmp / "decided.jsonl").read_text().splitlines()) == 1
    out = run("queue", "import", tmp / "decided.jsonl", "--db", db).stdout
    assert out.startswith("1 decision(s) taken")
    assert {i["id"]: i["status"] for i in listed(db, "--status", "all")}[items[0]["id"]] == REJECTED
    res = run("queue", "import", tmp / "nothing.jsonl", "--db", db, ok=False)
    assert res.exit_code == 2 and "no such file" in res.output


def test_stats_counts_per_rule_and_per_thousand_words(book):
    tmp, db, _ = book
    items = listed(db)
    run("queue", "decide", items[0]["id"], "--accept", "--db", db)
    st = json.loads(run("queue", "stats", "--db", db, "--json").stdout)
    assert st["total"]["open"] == len(items) - 1 and st["total"]["decided"] == 1
    words = len((tmp / "cleaned" / "book.txt").read_text().split())
    assert st["words"] == words
    assert st["per_1000_words"]["items"] == pytest.approx(1000 * len(items) / words, abs=1e-3)
    assert sum(r["open"] for r in st["by_stage"].values()) == len(items) - 1
    assert "per 1,000 words" in run("queue", "stats", "--db", db).stdout


def test_apply_command_and_its_errors(book):
    tmp, db, _ = book
    items = listed(db)
    run("queue", "decide", items[0]["id"], "--edit", "HANDMADE", "--db", db)
    out = run("apply", "--db", db).stdout                       # default folder: cleaned/
    assert "1 decision(s)" in out and "rewrote" in out
    text = (tmp / "cleaned" / "book.txt").read_text()
    assert "HANDMADE" in text
    raw = (tmp / "raw" / "book.txt").read_text()
    assert replay(raw, read_ledger(tmp / "cleaned" / "book.ledger.jsonl")) == text
    assert "unchanged" in run("apply", "cleaned", "--db", db).stdout
    (tmp / "raw" / "book.txt").write_text(raw.replace("Trotsky", "Trotskii"))
    res = run("apply", "cleaned", "--db", db, ok=False)
    assert res.exit_code == 1 and "changed since it was cleaned" in res.output
    res = run("apply", "elsewhere", "--db", db, ok=False)
    assert res.exit_code == 2 and "no such folder" in res.output


def test_clean_review_twenty_clean_again(book):
    """As a new user: clean, review twenty items, clean again: the text carries the
    decisions and none of the twenty is asked again."""
    tmp, db, cfg = book
    items = listed(db)
    assert len(items) >= 20, f"the stages queue only {len(items)} items on this excerpt"
    chosen = items[:20]
    want = {}
    for k, it in enumerate(chosen):
        if k % 4 == 3:
            run("queue", "decide", it["id"], "--reject", "--db", db)
            want[it["id"]] = (REJECTED, it["before"])
        elif k % 4 == 2:
            run("queue", "decide", it["id"], "--edit", it["suggestion"] + "~", "--db", db)
            want[it["id"]] = (EDITED, it["suggestion"] + "~")
        else:
            run("queue", "decide", it["id"], "--accept", "--db", db)
            want[it["id"]] = (ACCEPTED, it["suggestion"])
    run("clean", "raw/", "--out", "cleaned/", "--config", cfg, "--db", db)
    text = (tmp / "cleaned" / "book.txt").read_text()
    ledger = read_ledger(tmp / "cleaned" / "book.ledger.jsonl")
    by_id = {e.id: e for e in ledger}
    for item_id, (status, chosen_text) in want.items():
        e = by_id.get(item_id)
        if status == REJECTED:
            # the raw form stays: the fix is recorded as rejected, or (the rejection taught
            # the lexicon to protect the form) no longer proposed at all
            assert e is None or e.status == REJECTED
            assert chosen_text in text
        else:
            assert (e.status, e.after) == (status, chosen_text)
    assert sum(1 for s, _ in want.values() if s == EDITED) == 5
    assert text.count("~") >= 5
    again = {i["id"] for i in listed(db)}
    assert not again & set(want)                         # none of the twenty asked again
    assert not {e.id for e in ledger if e.status == QUEUED} & set(want)
    with ReviewStore(db) as s:
        assert s.counts()["open"] == len(again)
        assert all(s.get(i).status == want[i][0] for i in want)
    # apply over the new outputs changes nothing: the clean already carried the decisions
    assert "unchanged" in run("apply", "cleaned", "--db", db).stdout


def test_review_says_when_nothing_is_left(book):
    _, db, _ = book
    assert "nothing to review" in run("review", "--db", db, "--rule", "no-such-rule").stdout
    for it in listed(db):
        run("queue", "decide", it["id"], "--accept", "--db", db)
    out = run("review", "--db", db).stdout
    assert "nothing to review: no open item" in out

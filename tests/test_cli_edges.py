"""The CLI's rough edges, each through typer's runner (issue 12): output in a pipe, help,
completion, exit codes, ids, statuses, decisions, notes and the library's small promises."""
from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

from ocr_clean import clean_text
from ocr_clean.cli import app
from ocr_clean.review import ReviewStore
from ocr_clean.review.store import visible
from ocr_clean.stages import REGISTRY

from .test_review_cli import book, listed, run  # noqa: F401  (the fixture)

runner = CliRunner()


def test_piped_queue_list_is_one_plain_line_an_item_with_an_arrow(book):
    _, db, _ = book
    items = listed(db)
    res = run("queue", "list", "--db", db)          # CliRunner's stdout is a pipe, not a terminal
    lines = res.stdout.splitlines()
    assert len(lines) == len(items)
    for it, line in zip(items, lines):
        cols = line.split("\t")
        assert cols[0] == it["id"]
        assert " -> " in cols[4] and "\u2502" not in line and "\u2503" not in line   # no table
    # before and after stay apart: never run together as in "smnmersummer"
    assert all(line.split("\t")[4].count(" -> ") == 1 for line in lines)


def test_piped_decide_says_before_and_after_apart(book):
    _, db, _ = book
    first, second = listed(db)[:2]
    res = run("queue", "decide", first["id"], "--accept", "--db", db)
    assert res.stdout == f"{first['id']} accepted: {visible(first['before'])} -> {visible(first['suggestion'])}\n"
    res = run("queue", "decide", second["id"], "--reject", "--db", db)
    assert res.stdout.endswith(f": {visible(second['before'])} -> {visible(second['before'])}\n")


def test_summary_lines_are_not_wrapped_in_a_pipe(tmp_path, monkeypatch, excerpt):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.txt").write_text(excerpt, encoding="utf-8")
    res = runner.invoke(app, ["clean", "b.txt", "--out", "out", "--no-review"])
    assert res.exit_code == 0, res.output
    summary = [ln for ln in res.stdout.splitlines() if "file(s)," in ln]
    assert len(summary) == 1 and "per 1,000 words)" in summary[0] and summary[0].rstrip().endswith(" s")


def test_help_short_flag_and_no_bool_placeholders():
    for args in (["-h"], ["clean", "-h"], ["queue", "-h"], ["queue", "list", "-h"], ["notes", "-h"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, (args, res.output)
        assert "Usage:" in res.output and "<bool>" not in res.output, args
    top = runner.invoke(app, ["--help"]).output
    assert "--version" in top and "--install-completion" in top


def test_usage_strings_read_as_people_write_them():
    ev = runner.invoke(app, ["eval", "-h"]).output
    assert "GOLD.jsonl CLEANED.txt" in ev and "{" not in ev.split("\n\n")[0]
    ap = runner.invoke(app, ["apply", "-h"]).output
    assert "[DIR]" in ap and "[[DIR]]" not in ap


def test_executor_help_keeps_the_extra_in_brackets():
    out = runner.invoke(app, ["clean", "-h"], terminal_width=200).output
    assert "ocr-clean[ray]" in out


def test_completion_is_typers_own():
    res = runner.invoke(app, ["--show-completion", "bash"])
    assert res.exit_code == 0 and "ocr-clean" in res.output and "complete" in res.output


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("ocr-clean ")


def test_stages_explains_every_setting_and_prints_glyphs_safely():
    out = runner.invoke(app, ["stages"], terminal_width=300).output
    assert "\ufffd" not in out and "<U+FFFD>" in out          # the description's replacement glyph
    for name, cls in REGISTRY.items():
        for k in cls.defaults:
            lines = [ln for ln in out.splitlines() if ln.strip().startswith(f"{k} = ")]
            assert lines, (name, k)
    one = runner.invoke(app, ["stages", "confusion"], terminal_width=300).output
    assert "[stages.confusion]" in one and "queue_threshold" in one
    assert sum(1 for ln in out.splitlines() if ln.startswith("  ") and "=" in ln) >= 50


def test_a_missing_file_exits_2_everywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["clean", "nope.txt"], ["queue", "import", "nope.jsonl"], ["notes", "nope.txt"],
                 ["eval", "nope.jsonl", "nope.txt"], ["explain", "nope.txt", "1"],
                 ["queue", "list", "--db", "nope.sqlite"], ["queue", "stats", "--db", "nope.sqlite"],
                 ["apply", "nope/"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.exit_code, res.output)
        assert len(res.output.strip().splitlines()) == 1, (args, res.output)


def test_an_ambiguous_prefix_is_reported_with_its_matches(book):
    _, db, _ = book
    ids = [i["id"] for i in listed(db)]
    by_first: dict = {}
    for i in ids:
        by_first.setdefault(i[0], []).append(i)
    prefix, matches = max(by_first.items(), key=lambda kv: len(kv[1]))
    assert len(matches) >= 2
    res = run("queue", "decide", prefix, "--accept", "--db", db, ok=False)
    assert res.exit_code == 2 and "ambiguous" in res.output
    assert all(m in res.output for m in matches[:5])
    assert "no queued item" not in res.output


def test_status_errors_list_all(book):
    _, db, _ = book
    for cmd in (["queue", "list"], ["queue", "export", "-"]):
        res = run(*cmd, "--status", "bogus", "--db", db, ok=False)
        assert res.exit_code == 2 and "all" in res.output and "decided" in res.output


def test_review_without_a_terminal_is_one_line_not_a_hang(book):
    _, db, _ = book
    res = run("review", "--db", db, ok=False)
    assert res.exit_code == 2 and "terminal" in res.output
    assert "\x1b" not in res.output and len(res.output.strip().splitlines()) == 1


def test_deciding_a_decided_item_needs_force(book):
    _, db, _ = book
    it = listed(db)[0]
    run("queue", "decide", it["id"], "--accept", "--db", db)
    res = run("queue", "decide", it["id"], "--reject", "--db", db, ok=False)
    assert res.exit_code == 1 and "already accepted" in res.output and "--force" in res.output
    assert {i["id"]: i for i in listed(db, "--status", "all")}[it["id"]]["status"] == "accepted"
    run("queue", "decide", it["id"], "--reject", "--force", "--db", db)
    assert {i["id"]: i for i in listed(db, "--status", "all")}[it["id"]]["status"] == "rejected"


def test_list_and_stats_do_not_write_when_the_database_is_read_only(book):
    tmp, db, _ = book
    from ocr_clean.cli.review_cmds import _attach

    store = ReviewStore(db)
    store.conn.execute("DELETE FROM docs")          # so attaching the sources has to write
    store.conn.close()
    # a real read-only connection (as root, file modes would not stop a write)
    store.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    store.conn.row_factory = sqlite3.Row
    _attach(store, tmp / "cleaned")            # wants to write the sources: must not raise
    assert store.items() and store.stats()["total"]["open"] > 0


def test_notes_says_in_sequence_only_when_it_is(tmp_path):
    body = "One.[^1] Two.[^3] Three.[^2]\n\nNotes\n\n1. a\n\n2. b\n\n3. c\n"
    p = tmp_path / "b.txt"
    p.write_text(body, encoding="utf-8")
    out = runner.invoke(app, ["notes", str(p)], terminal_width=200).output
    assert "in sequence" not in out or "but for" in out
    p.write_text("One.[^1] Two.[^2] Three.[^3]\n\nNotes\n\n1. a\n\n2. b\n\n3. c\n", encoding="utf-8")
    res = runner.invoke(app, ["notes", str(p)])
    assert res.exit_code == 0 and "in sequence" in res.output and "but for" not in res.output
    assert [ln for ln in res.output.splitlines() if ln.startswith("ok:")][0].endswith("in sequence")  # one line


def test_clean_text_of_nothing_is_nothing_and_for_review_is_an_attribute():
    r = clean_text("")
    assert r.text == "" and r.edits == [] and r.for_review == []
    r = clean_text("the lnost decisive events \nin 1930 .\n")
    assert isinstance(r.for_review, list)
    assert {e.id or id(e) for e in r.queued} <= {e.id or id(e) for e in r.for_review}
    assert all(e.status == "queued" or e.confidence < r.review_below for e in r.for_review)


def test_queue_list_json_is_unchanged_by_the_pipe(book):
    _, db, _ = book
    items = json.loads(run("queue", "list", "--json", "--db", db).stdout)
    assert items and all("before" in i for i in items)


def test_install_completion_installs_a_script_for_the_shell(tmp_path):
    """`ocr-clean --install-completion bash` is typer's: a completion script in the user's
    home, sourced from the shell's rc file (HOME pointed at a temporary folder)."""
    res = runner.invoke(app, ["--install-completion", "bash"], env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert res.exit_code == 0, res.output
    script = tmp_path / ".bash_completions" / "ocr-clean.sh"
    assert script.is_file() and "_OCR_CLEAN_COMPLETE" in script.read_text(encoding="utf-8")
    assert ".bash_completions/ocr-clean.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")

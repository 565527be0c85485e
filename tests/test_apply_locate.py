"""`apply` finds the raw file a ledger was made from: where it was, moved beside the
cleaned folder (found by its content), or named with --raw; otherwise one clear line."""
from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from ocr_clean.cli import app

runner = CliRunner()


def _book(tmp_path, excerpt):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "book.txt").write_text(excerpt, encoding="utf-8")
    cfg = tmp_path / "review.toml"
    cfg.write_text("[stages.confusion]\napply_threshold = 1.01\n")
    res = runner.invoke(app, ["clean", "raw/", "--out", "cleaned", "--db", "q.sqlite", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    items = json.loads(runner.invoke(app, ["queue", "list", "--db", "q.sqlite", "--json"]).stdout)
    assert items
    res = runner.invoke(app, ["queue", "decide", items[0]["id"], "--accept", "--db", "q.sqlite"])
    assert res.exit_code == 0, res.output
    return items[0]


def test_the_header_holds_an_absolute_path_and_the_hash(workdir, excerpt):
    _book(workdir, excerpt)
    header = json.loads((workdir / "cleaned" / "book.ledger.jsonl").read_text().split("\n")[0])["header"]
    assert header["source_abs"] == str((workdir / "raw" / "book.txt").resolve())
    assert len(header["raw_sha256"]) == 64


def test_a_moved_cleaned_folder_still_applies_by_the_absolute_path(workdir, excerpt):
    it = _book(workdir, excerpt)
    shutil.move(str(workdir / "cleaned"), str(workdir / "elsewhere"))
    res = runner.invoke(app, ["apply", "elsewhere", "--db", "q.sqlite"])
    assert res.exit_code == 0, res.output
    assert it["suggestion"] in (workdir / "elsewhere" / "book.txt").read_text()


def test_a_moved_raw_file_is_found_by_its_content_beside_the_ledger(workdir, excerpt):
    it = _book(workdir, excerpt)
    shutil.move(str(workdir / "raw" / "book.txt"), str(workdir / "cleaned" / "scan-of-the-book.txt"))
    res = runner.invoke(app, ["apply", "cleaned", "--db", "q.sqlite"])
    assert res.exit_code == 0, res.output
    assert it["suggestion"] in (workdir / "cleaned" / "book.txt").read_text()


def test_raw_option_and_the_error_without_it(workdir, excerpt):
    _book(workdir, excerpt)
    (workdir / "attic").mkdir()
    shutil.move(str(workdir / "raw" / "book.txt"), str(workdir / "attic" / "b.txt"))
    res = runner.invoke(app, ["apply", "cleaned", "--db", "q.sqlite"])
    assert res.exit_code == 1
    assert "--raw" in res.output and len(res.output.strip().splitlines()) == 1
    res = runner.invoke(app, ["apply", "cleaned", "--db", "q.sqlite", "--raw", "attic/b.txt"])
    assert res.exit_code == 0, res.output
    (workdir / "other.txt").write_text("another text\n", encoding="utf-8")
    res = runner.invoke(app, ["apply", "cleaned", "--db", "q.sqlite", "--raw", "other.txt"])
    assert res.exit_code == 1 and "sha256 differs" in res.output
    res = runner.invoke(app, ["apply", "cleaned", "--db", "q.sqlite", "--raw", "nope.txt"])
    assert res.exit_code == 2 and "no such file" in res.output

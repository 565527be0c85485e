"""The real CLI through typer's runner, on real excerpts of the scan and on bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ocr_clean.cli import app
from ocr_clean.ledger import read_ledger, replay

from .conftest import RAW_BOOK, SHARED_EVAL, raw_lines

runner = CliRunner()


def _clean(args):
    return runner.invoke(app, ["clean", *args, "--no-review"], catch_exceptions=False)


def test_help_teaches_with_an_example():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    assert "ocr-clean clean raw/ --out cleaned/" in res.output
    res = runner.invoke(app, ["clean", "--help"])
    assert "Example:" in res.output


def test_clean_writes_text_and_ledger_and_reports(workdir, excerpt):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "preface.txt").write_text(excerpt, encoding="utf-8")
    res = _clean(["raw", "--out", "cleaned"])
    assert res.exit_code == 0, res.output
    text = (workdir / "cleaned" / "preface.txt").read_text(encoding="utf-8")
    assert "edits" in res.output and "queued" in res.output
    # conventions: one paragraph a line, blank line between, no page-start spaces, no line-end hyphen loss
    assert "\n\n\n" not in text and not text.startswith((" ", "\n"))
    assert "revolutionary International was needed" in text
    assert all(line == line.strip() for line in text.split("\n"))
    ledger = read_ledger(workdir / "cleaned" / "preface.ledger.jsonl")
    assert ledger.header["name"] == "preface"
    assert replay(excerpt, ledger) == text
    assert replay(excerpt, ledger, lambda e: False) == excerpt


def test_crlf_input_cleans_exactly_like_lf(workdir, excerpt):
    (workdir / "lf.txt").write_text(excerpt, encoding="utf-8")
    (workdir / "crlf.txt").write_bytes(excerpt.replace("\n", "\r\n").encode("utf-8"))
    assert _clean(["lf.txt", "crlf.txt", "--out", "out"]).exit_code == 0
    assert (workdir / "out" / "lf.txt").read_bytes() == (workdir / "out" / "crlf.txt").read_bytes()


@pytest.mark.parametrize("name,content,message", [
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 10, "binary"),
    ("latin1.txt", "Trotsky \xe9tait".encode("latin-1"), "not UTF-8"),
    ("empty.txt", b"  \n\n", "empty"),
])
def test_bad_input_gets_one_clear_line_and_nonzero_exit(workdir, name, content, message):
    (workdir / name).write_bytes(content)
    res = runner.invoke(app, ["clean", name, "--out", "out", "--no-review"])
    assert res.exit_code != 0
    assert message in res.output
    assert "Traceback" not in res.output
    assert not (workdir / "out" / name).exists()


def test_missing_path_and_folder_without_txt(workdir):
    res = runner.invoke(app, ["clean", "nowhere.txt", "--no-review"])
    assert res.exit_code != 0 and "no such file" in res.output
    (workdir / "empty_dir").mkdir()
    res = runner.invoke(app, ["clean", "empty_dir", "--no-review"])
    assert res.exit_code != 0 and "no .txt" in res.output


def test_unknown_stage_is_a_clear_error(workdir, excerpt):
    (workdir / "a.txt").write_text(excerpt, encoding="utf-8")
    res = runner.invoke(app, ["clean", "a.txt", "--skip", "nosuchstage", "--no-review"])
    assert res.exit_code != 0 and "unknown stage" in res.output


def test_skip_switches_a_stage_off(workdir):
    text = raw_lines(3, 12)   # "frOln", "Inid-1933", "1931 ."
    (workdir / "a.txt").write_text(text, encoding="utf-8")
    assert _clean(["a.txt", "--out", "all"]).exit_code == 0
    assert _clean(["a.txt", "--out", "nopunct", "--skip", "punctuation"]).exit_code == 0
    assert "1931 ." in (workdir / "nopunct" / "a.txt").read_text(encoding="utf-8")
    assert "1931 ." not in (workdir / "all" / "a.txt").read_text(encoding="utf-8")


def test_config_file_sets_skip(workdir):
    (workdir / "a.txt").write_text(raw_lines(3, 12), encoding="utf-8")
    (workdir / "c.toml").write_text('skip = ["punctuation"]\n', encoding="utf-8")
    assert _clean(["a.txt", "--out", "o", "--config", "c.toml"]).exit_code == 0
    assert "1931 ." in (workdir / "o" / "a.txt").read_text(encoding="utf-8")
    (workdir / "bad.toml").write_text("skip = [", encoding="utf-8")
    res = runner.invoke(app, ["clean", "a.txt", "--config", "bad.toml", "--no-review"])
    assert res.exit_code != 0 and "not valid TOML" in res.output


def test_explain_names_the_raw_lines_and_edits(workdir, excerpt):
    (workdir / "p.txt").write_text(excerpt, encoding="utf-8")
    assert _clean(["p.txt", "--out", "o"]).exit_code == 0
    cleaned = (workdir / "o" / "p.txt").read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(cleaned, 1) if line.startswith("Leon Trotsky lived in Turkey"))
    res = runner.invoke(app, ["explain", "o/p.txt", str(n)])
    assert res.exit_code == 0, res.output
    assert "raw lines 3-12" in res.output
    assert "frOln" in res.output          # the character fix on raw line 6 is listed
    res = runner.invoke(app, ["explain", "o/p.txt", "99999"])
    assert res.exit_code != 0 and "outside the text" in res.output


def test_eval_agrees_with_the_reference_scorer(tmp_path):
    scorer = SHARED_EVAL / "score.py"
    gold = SHARED_EVAL / "dev.jsonl"
    if not scorer.is_file():
        pytest.skip("the reference scorer (../shared/eval) is not beside this checkout")
    # score a naive line-join of the book: no dependency on the stages' quality
    book = RAW_BOOK.read_text(encoding="utf-8")
    naive = book.replace(" \n", " ")
    cleaned = tmp_path / "naive.txt"
    cleaned.write_text(naive, encoding="utf-8")
    ref = subprocess.run([sys.executable, str(scorer), str(gold), str(cleaned)], capture_output=True,
                         text=True, check=True).stdout.split()
    ref = dict(kv.split("=") for kv in ref)
    res = runner.invoke(app, ["eval", str(gold), str(cleaned), "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    ours = json.loads((tmp_path / "r.json").read_text())["summary"]
    for k in ("raw_wer", "clean_wer", "marker_precision", "marker_recall", "clean_cer"):
        assert abs(float(ref[k]) - ours[k]) < 0.001, k
    assert "clean_wer" in res.output


def test_console_script_runs_as_a_real_process(tmp_path):
    exe = subprocess.run([sys.executable, "-m", "ocr_clean", "--version"], capture_output=True, text=True)
    assert exe.returncode == 0 and "ocr-clean" in exe.stdout


def test_a_cleaned_folder_moved_with_its_raw_folder_still_explains(workdir, excerpt, monkeypatch):
    import shutil

    (workdir / "book" / "raw").mkdir(parents=True)
    (workdir / "book" / "raw" / "p.txt").write_text(excerpt, encoding="utf-8")
    monkeypatch.chdir(workdir / "book")
    assert _clean(["raw", "--out", "cleaned"]).exit_code == 0
    shutil.move(str(workdir / "book"), str(workdir / "moved"))     # a clone elsewhere
    monkeypatch.chdir(workdir / "moved")
    res = runner.invoke(app, ["explain", "cleaned/p.txt", "3"])
    assert res.exit_code == 0, res.output
    assert "raw lines" in res.output

"""Nothing a user gave us is overwritten: an output over an input is refused, through the real CLI."""
from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from ocr_clean.cli import app

from .conftest import raw_lines

runner = CliRunner()
SCAN = raw_lines(1, 40)


def _clean(*args):
    return runner.invoke(app, ["clean", *args, "--no-review"], catch_exceptions=False)


def _refused(res, folder):
    """Exit 2, one line naming the clash, and not one file added or changed under ``folder``."""
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), res.output
    assert "would be written over" in lines[0]


def _snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_output_folder_holding_the_input_itself_is_refused(workdir):
    (workdir / "same").mkdir()
    scan = workdir / "same" / "scan.txt"
    scan.write_text(SCAN, encoding="utf-8")
    before = _snapshot(workdir)
    _refused(_clean("same/scan.txt", "--out", "same"), workdir)
    assert _snapshot(workdir) == before
    assert scan.read_text(encoding="utf-8") == SCAN


def test_input_folder_used_as_out_is_refused(workdir):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "a.txt").write_text(SCAN, encoding="utf-8")
    before = _snapshot(workdir)
    _refused(_clean("raw", "--out", "raw"), workdir)
    _refused(_clean("raw", "--out", "./raw/"), workdir)
    assert _snapshot(workdir) == before


def test_input_folder_as_out_is_refused_even_when_no_name_clashes(workdir):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "a.txt").write_text(SCAN, encoding="utf-8")
    (workdir / "link").symlink_to(workdir / "raw", target_is_directory=True)
    before = _snapshot(workdir / "raw")
    _refused(_clean("link", "--out", "raw"), workdir)
    assert _snapshot(workdir / "raw") == before


def test_an_output_that_is_a_hard_link_to_the_input_is_refused(workdir):
    (workdir / "raw").mkdir()
    (workdir / "out").mkdir()
    scan = workdir / "raw" / "scan.txt"
    scan.write_text(SCAN, encoding="utf-8")
    os.link(scan, workdir / "out" / "scan.txt")
    before = _snapshot(workdir)
    _refused(_clean("raw/scan.txt", "--out", "out"), workdir)
    assert _snapshot(workdir) == before
    assert scan.read_text(encoding="utf-8") == SCAN


def test_an_output_that_is_a_symlink_to_the_input_is_refused(workdir):
    (workdir / "raw").mkdir()
    (workdir / "out").mkdir()
    scan = workdir / "raw" / "scan.txt"
    scan.write_text(SCAN, encoding="utf-8")
    (workdir / "out" / "scan.txt").symlink_to(scan)
    _refused(_clean("raw/scan.txt", "--out", "out"), workdir)
    assert scan.read_text(encoding="utf-8") == SCAN
    assert (workdir / "out" / "scan.txt").is_symlink()
    assert not (workdir / "out" / "scan.ledger.jsonl").exists()


def test_an_out_folder_that_is_a_symlink_to_the_input_folder_is_refused(workdir):
    (workdir / "raw").mkdir()
    scan = workdir / "raw" / "scan.txt"
    scan.write_text(SCAN, encoding="utf-8")
    (workdir / "out").symlink_to(workdir / "raw", target_is_directory=True)
    _refused(_clean("raw/scan.txt", "--out", "out"), workdir)
    assert scan.read_text(encoding="utf-8") == SCAN
    assert sorted(p.name for p in (workdir / "raw").iterdir()) == ["scan.txt"]


def test_a_ledger_output_over_a_named_input_is_refused(workdir):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "a.txt").write_text(SCAN, encoding="utf-8")
    notes = workdir / "out" / "a.ledger.jsonl"
    notes.parent.mkdir()
    notes.write_text(SCAN, encoding="utf-8")
    _refused(_clean("raw/a.txt", "out/a.ledger.jsonl", "--out", "out"), workdir)
    assert notes.read_text(encoding="utf-8") == SCAN


def test_a_different_folder_is_fine(workdir):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "scan.txt").write_text(SCAN, encoding="utf-8")
    res = _clean("raw", "--out", "cleaned")
    assert res.exit_code == 0, res.output
    assert (workdir / "cleaned" / "scan.txt").is_file()
    assert (workdir / "raw" / "scan.txt").read_text(encoding="utf-8") == SCAN


def test_the_library_refuses_too(tmp_path):
    from ocr_clean.batch import clean_paths
    from ocr_clean.io import InputError

    scan = tmp_path / "scan.txt"
    scan.write_text(SCAN, encoding="utf-8")
    with pytest.raises(InputError, match="would be written over"):
        clean_paths([scan], tmp_path)
    assert scan.read_text(encoding="utf-8") == SCAN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.txt"]


@pytest.mark.parametrize("bad", [b"the lnost decisive\n", bytearray(b"x"), None, 12])
def test_clean_text_says_a_str_is_expected(bad):
    from ocr_clean import clean_text
    from ocr_clean.pipeline import clean_texts

    with pytest.raises(TypeError, match="text must be a str, not") as info:
        clean_text(bad)
    if isinstance(bad, (bytes, bytearray)):
        assert "decode" in str(info.value)
    with pytest.raises(TypeError, match="text must be a str"):
        clean_texts(["fine\n", bad])

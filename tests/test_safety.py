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


# -- file names printed literally (rich markup escaped) --------------------------------------

def test_file_names_with_brackets_are_printed_as_they_are(workdir):
    (workdir / "raw [2]").mkdir()
    for name in ("notes [draft].txt", "a [x] b.txt", "[bold]loud.txt"):
        (workdir / "raw [2]" / name).write_text(SCAN, encoding="utf-8")
    res = _clean("raw [2]", "--out", "out [/x]")
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output and "MarkupError" not in res.output
    for name in ("notes [draft].txt", "a [x] b.txt", "[bold]loud.txt"):
        assert name in res.output.replace("\n", ""), name
        assert (workdir / "out [/x]" / name).is_file()


def test_an_error_about_a_bracketed_name_keeps_the_name(workdir):
    res = _clean("missing [draft].txt", "--out", "out")
    assert res.exit_code != 0
    assert "missing [draft].txt" in res.output


# -- a damaged ledger -------------------------------------------------------------------------

@pytest.mark.parametrize("cut", ["inside a line", "at a line end"])
def test_explain_of_a_cut_ledger_is_one_line(workdir, cut):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "scan.txt").write_text(SCAN, encoding="utf-8")
    assert _clean("raw", "--out", "out").exit_code == 0
    led = workdir / "out" / "scan.ledger.jsonl"
    data = led.read_bytes()
    if cut == "inside a line":
        led.write_bytes(data[: len(data) // 2])
    else:
        lines = data.splitlines(keepends=True)
        led.write_bytes(b"".join(lines[:-2]))
    res = runner.invoke(app, ["explain", "out/scan.txt", "3"])
    assert res.exit_code != 0
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "cut short" in lines[0] and "Traceback" not in res.output, res.output


# -- inputs ------------------------------------------------------------------------------------

def _one_error(res, *words):
    assert res.exit_code != 0, res.output
    errors = [x for x in res.output.splitlines() if x.startswith("error:")]
    assert len(errors) == 1, res.output
    for w in words:
        assert w in errors[0], res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_input_is_named_with_how_to_convert(workdir, encoding):
    (workdir / "scan.txt").write_bytes(SCAN.encode(encoding))
    _one_error(_clean("scan.txt", "--out", "out"), "UTF-16", "iconv")
    assert not (workdir / "out" / "scan.txt").exists()


def test_a_nul_byte_far_into_the_file_is_refused(workdir):
    data = (SCAN * 400).encode("utf-8")
    assert len(data) > 70_000
    (workdir / "scan.txt").write_bytes(data[:70_000] + b"\x00" + data[70_000:])
    _one_error(_clean("scan.txt", "--out", "out"), "NUL", "70000")
    assert not (workdir / "out" / "scan.txt").exists()


def test_a_symlink_loop_and_a_broken_link_say_so(workdir):
    (workdir / "loop.txt").symlink_to(workdir / "loop.txt")
    _one_error(_clean("loop.txt", "--out", "out"), "loop of symbolic links")
    (workdir / "broken.txt").symlink_to(workdir / "nowhere.txt")
    _one_error(_clean("broken.txt", "--out", "out"), "symbolic link", "does not exist")


def test_links_inside_a_folder_are_reported_not_skipped(workdir):
    (workdir / "raw").mkdir()
    (workdir / "raw" / "a.txt").write_text(SCAN, encoding="utf-8")
    (workdir / "raw" / "b.txt").symlink_to(workdir / "raw" / "gone.txt")
    (workdir / "raw" / "c.txt").symlink_to(workdir / "raw" / "c.txt")
    res = _clean("raw", "--out", "out")
    assert res.exit_code == 1
    errors = [x for x in res.output.splitlines() if x.startswith("error:")]
    assert any("b.txt" in e and "does not exist" in e for e in errors), res.output
    assert any("c.txt" in e and "loop" in e for e in errors), res.output
    assert (workdir / "out" / "a.txt").is_file()


@pytest.mark.skipif(os.name != "posix" or not os.path.exists("/usr/bin/unshare"), reason="needs unshare")
def test_an_unreadable_file_is_one_line(tmp_path):
    """Run as a user who may not read the file (root reads everything: a user namespace
    where the file's owner is nobody takes that right away)."""
    import subprocess
    import sys

    from .conftest import ROOT

    secret = tmp_path / "secret.txt"
    secret.write_text(SCAN, encoding="utf-8")
    secret.chmod(0)
    try:
        os.chown(secret, 54321, 54321)
    except PermissionError:
        pass      # not root: the mode alone makes it unreadable
    cmd = [sys.executable, "-m", "ocr_clean", "clean", str(secret), "--out", str(tmp_path / "out"), "--no-review"]
    if os.geteuid() == 0:
        cmd = ["unshare", "-r", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if "unshare" in proc.stderr and proc.returncode != 1:
        pytest.skip(f"no user namespace here: {proc.stderr.strip()}")
    assert proc.returncode == 1, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert lines == [f"error: {secret}: permission denied"], proc.stderr


def test_stale_temp_files_of_a_killed_writer_are_removed(workdir):
    import subprocess
    import sys

    (workdir / "raw").mkdir()
    (workdir / "raw" / "scan.txt").write_text(SCAN, encoding="utf-8")
    (workdir / "out").mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = workdir / "out" / f".scan.txt.{dead}-k1ll3d_x.tmp"
    stale.write_text("half a book", encoding="utf-8")
    live = workdir / "out" / f".scan.txt.{os.getpid()}-busy0000.tmp"   # a writer still at work
    live.write_text("being written", encoding="utf-8")
    mine = workdir / "out" / ".my notes.tmp"                           # not ours at all
    mine.write_text("keep", encoding="utf-8")
    res = _clean("raw", "--out", "out")
    assert res.exit_code == 0, res.output
    assert not stale.exists() and live.exists() and mine.exists()


def test_an_empty_page_among_pages_warns_and_writes_an_empty_output(workdir):
    (workdir / "pages").mkdir()
    (workdir / "pages" / "chapter-a.txt").write_text(SCAN, encoding="utf-8")
    (workdir / "pages" / "chapter-b.txt").write_text("  \n\n", encoding="utf-8")
    res = _clean("pages", "--out", "out")
    assert res.exit_code == 0, res.output
    warnings = [x for x in res.output.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1 and "chapter-b.txt" in warnings[0] and "empty" in warnings[0]
    assert (workdir / "out" / "chapter-b.txt").read_text(encoding="utf-8") == ""
    assert (workdir / "out" / "chapter-a.txt").read_text(encoding="utf-8").strip()


def test_an_empty_file_alone_is_still_an_error(workdir):
    (workdir / "empty.txt").write_text("\n", encoding="utf-8")
    _one_error(_clean("empty.txt", "--out", "out"), "empty")


# -- a review queue on a read-only disk --------------------------------------------------------

def test_a_read_only_queue_is_listed_and_counted_but_not_changed(workdir):
    import subprocess

    from ocr_clean.review.store import ReviewStore, StoreError

    (workdir / "raw").mkdir()
    (workdir / "raw" / "scan.txt").write_text(raw_lines(1, 400), encoding="utf-8")
    res = runner.invoke(app, ["clean", "raw", "--out", "out", "--db", "q.sqlite"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    with ReviewStore(workdir / "q.sqlite") as st:
        n = st.count()
        some = st.items()[0].id
    assert n > 0
    with ReviewStore(workdir / "q.sqlite", read_only=True) as st:
        assert st.read_only and st.count() == n
        with pytest.raises(StoreError, match="read here, not changed"):
            st.decide(some, "accepted")
    db = workdir / "q.sqlite"
    import sqlite3

    import gc

    gc.collect()                           # the connections the commands above left to the collector
    con = sqlite3.connect(db)              # no journal files beside it, as on a read-only disk
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    # the file and its folder made immutable: nothing can be written there, not even by root
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("cannot make the file read-only for root here (chattr)")
    subprocess.run(["chattr", "+i", str(workdir)], capture_output=True)
    try:
        before = db.read_bytes()
        for args in (["queue", "list", "--db", "q.sqlite", "--cleaned", "out"],
                     ["queue", "stats", "--db", "q.sqlite", "--cleaned", "out"]):
            res = runner.invoke(app, args)
            assert res.exit_code == 0, res.output
            assert "not a review queue" not in res.output
        assert db.read_bytes() == before
        res = runner.invoke(app, ["queue", "decide", some, "--accept", "--db", "q.sqlite"])
        assert res.exit_code != 0 and "not changed" in res.output
    finally:
        subprocess.run(["chattr", "-i", str(workdir)], capture_output=True)
        subprocess.run(["chattr", "-i", str(db)], capture_output=True)

"""A real ``--jobs 2`` batch interrupted (SIGINT) or killed (SIGKILL), then resumed: every book
on disk has its review items, no worker outlives its parent, and after ``--resume`` the queue
holds exactly the items of a batch that was never interrupted."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocr_clean.batch import output_paths, read_whole_ledger, review_ids
from ocr_clean.cli import app

from .conftest import ROOT, raw_lines

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

N_BOOKS = 12   # enough that a Ctrl-C after the first book always finds books not yet begun
ITEM_COLUMNS = "id, doc, stage, rule, before, suggestion, candidates, raw_start, raw_end, status"


def make_books(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    books = []
    for k in range(N_BOOKS):
        p = folder / f"book{k:02d}.txt"
        p.write_text(raw_lines(1 + k * 1400, 1 + k * 1400 + 200), encoding="utf-8")
        books.append(p)
    return books


def items(db: Path) -> set[tuple]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute(f"SELECT {ITEM_COLUMNS} FROM items"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The items of a batch nobody interrupted."""
    root = tmp_path_factory.mktemp("reference")
    make_books(root / "raw")
    res = CliRunner().invoke(app, ["clean", str(root / "raw"), "--out", str(root / "out"),
                                   "--db", str(root / "q.sqlite")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    got = items(root / "q.sqlite")
    assert len({row[1] for row in got}) >= N_BOOKS // 2   # the books do have things to review
    return got


def children_of(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_batch(tmp_path: Path) -> tuple[subprocess.Popen, list[Path], Path, Path]:
    books = make_books(tmp_path / "raw")
    out, db = tmp_path / "out", tmp_path / "q.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "ocr_clean", "clean", str(tmp_path / "raw"), "--out", str(out),
                             "--db", str(db), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and any(p.suffix == ".txt" for p in out.iterdir()):
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()
    return proc, books, out, db


def assert_written_books_have_their_items(books: list[Path], out: Path, db: Path) -> int:
    """The invariant: any book whose output exists has all its review items in the database."""
    queued = items(db)
    written = 0
    for b in books:
        txt, led = output_paths(b, out)
        if txt.exists():
            ledger = read_whole_ledger(led)
            assert ledger is not None
            wanted = review_ids(ledger, 0.65)
            assert wanted <= {row[0] for row in queued if row[1] == b.stem}, b.name
            written += 1
    return written


def resume(tmp_path: Path, out: Path, db: Path, jobs: int = 1):
    res = CliRunner().invoke(app, ["clean", str(tmp_path / "raw"), "--out", str(out), "--db", str(db),
                                   "--jobs", str(jobs), "--resume"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def test_ctrl_c_stops_the_batch_and_resume_completes_the_queue(tmp_path, reference):
    proc, books, out, db = start_batch(tmp_path)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted:" in stderr and "--resume" in stderr
    finish = [line for line in stderr.splitlines() if line.startswith("to finish:")]
    assert finish and "--jobs 2" in finish[0] and str(out) in finish[0]
    written = assert_written_books_have_their_items(books, out, db)
    assert 1 <= written < N_BOOKS                       # stopped, not run to the end
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    res = resume(tmp_path, out, db)
    assert res.output.count("skipped (--resume)") == written
    assert items(db) == reference


def test_killed_parent_takes_its_workers_along_and_resume_completes_the_queue(tmp_path, reference):
    proc, books, out, db = start_batch(tmp_path)
    workers = children_of(proc.pid)
    assert workers
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if alive(w)], "workers outlived their parent"
    assert_written_books_have_their_items(books, out, db)
    resume(tmp_path, out, db)
    assert items(db) == reference
    for b in books:
        assert read_whole_ledger(output_paths(b, out)[1]) is not None


def test_resume_repairs_missing_items_and_cut_ledgers(tmp_path, reference):
    make_books(tmp_path / "raw")
    out, db = tmp_path / "out", tmp_path / "q.sqlite"
    resume(tmp_path, out, db, jobs=1)
    victim = sorted({row[1] for row in reference} - {"book01", "book02"})[0]
    con = sqlite3.connect(db)
    con.execute("DELETE FROM items WHERE doc=?", (victim,))    # a book on disk without its items
    con.commit()
    con.close()
    led = output_paths(tmp_path / "raw" / "book01.txt", out)[1]
    whole = led.read_text(encoding="utf-8")
    lines = whole.splitlines(keepends=True)
    led.write_text("".join(lines[:-3]), encoding="utf-8")          # cut at a line end
    led2 = output_paths(tmp_path / "raw" / "book02.txt", out)[1]
    data = led2.read_bytes()
    led2.write_bytes(data[: len(data) // 2])                        # cut inside a line
    assert read_whole_ledger(led) is None and read_whole_ledger(led2) is None
    res = resume(tmp_path, out, db, jobs=1)
    assert res.output.count("skipped (--resume)") == N_BOOKS - 3
    assert items(db) == reference
    assert led.read_text(encoding="utf-8") == whole
    assert read_whole_ledger(led2) is not None


def test_batch_and_executors_do_not_import_each_other():
    import ast

    import ocr_clean.executors as ex

    tree = ast.parse(Path(ex.__file__).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {(n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not [n for n in names if "batch" in n or n.startswith("ocr_clean")]

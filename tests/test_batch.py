"""Batch cleaning: parallel books, bad inputs, resume, the review store, a batch killed halfway."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ocr_clean.batch import (DecisionMap, Task, WorkerInit, clean_paths, clean_task, output_paths,
                             resolve_jobs, worker_pipeline)
from ocr_clean.config import DEFAULT_ORDER, Config
from ocr_clean.ledger import QUEUED, read_ledger, replay
from ocr_clean.stages import REGISTRY

from .conftest import ROOT, raw_lines


def config() -> Config:
    """The default order (every stage, once they are all written)."""
    return Config(order=tuple(n for n in DEFAULT_ORDER if n in REGISTRY))


def make_books(folder: Path, spans: list[tuple[int, int]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k, (a, b) in enumerate(spans):
        p = folder / f"book{k:02d}.txt"
        p.write_text(raw_lines(a, b), encoding="utf-8")
        out.append(p)
    return out


SPANS = [(1, 125), (126, 260), (2400, 2520), (9000, 9110)]


def assert_whole(source: Path, out_dir: Path) -> None:
    """The outputs of ``source`` are a whole pair: the ledger replays to the text exactly."""
    txt, led = output_paths(source, out_dir)
    assert led.is_file(), f"{txt.name} written without its ledger"
    ledger = read_ledger(led)
    raw = source.read_text(encoding="utf-8")
    assert ledger.header["raw_sha256"]
    assert replay(raw, ledger) == txt.read_text(encoding="utf-8")


def test_two_jobs_write_the_same_files_as_one(tmp_path):
    books = make_books(tmp_path / "raw", SPANS)
    seen: list[str] = []
    one = clean_paths([tmp_path / "raw"], tmp_path / "one", config=config())
    two = clean_paths([tmp_path / "raw"], tmp_path / "two", config=config(), jobs=2,
                      progress=lambda r: seen.append(r.source.name))
    assert sorted(seen) == [b.name for b in books]            # one callback per finished file
    assert [r.source for r in two] == books                   # reports in input order
    assert not any(r.error for r in one + two)
    for b in books:
        for suffix in (".txt", ".ledger.jsonl"):
            name = b.stem + suffix
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
        assert_whole(b, tmp_path / "two")
    assert sum(r.words for r in two) > 1000
    assert all(r.timings for r in two)


def test_jobs_and_executor_arguments():
    assert resolve_jobs(0) == (os.cpu_count() or 1)
    assert resolve_jobs(3) == 3
    with pytest.raises(ValueError, match="jobs"):
        resolve_jobs(-1)
    with pytest.raises(ValueError, match="unknown executor"):
        clean_paths([RAW_DIR], Path("unused"), executor="spark")


RAW_DIR = ROOT / "raw"


def test_bad_files_get_one_line_errors_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "raw"
    good = make_books(src, SPANS[:2])
    (src / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00 zip, not a scan")
    (src / "latin1.txt").write_bytes("Trotsky \u00e9crit".encode("latin-1"))
    (src / "empty.txt").write_bytes(b"  \n\n")
    with open(src / "huge.txt", "wb") as fh:     # sparse: over the size limit without filling a disk
        fh.truncate(257 * 1024 * 1024)
    crlf = src / "crlf.txt"
    crlf.write_bytes(good[0].read_bytes().replace(b"\n", b"\r\n"))
    reports = clean_paths([src], tmp_path / "out", config=config(), jobs=2)
    by_name = {r.source.name: r for r in reports}
    assert len(reports) == 7
    for name, words in (("binary.txt", "binary"), ("latin1.txt", "UTF-8"), ("huge.txt", "limit")):
        err = by_name[name].error
        assert err and words in err and "\n" not in err, (name, err)
        assert not (tmp_path / "out" / name).exists()
    # an empty file among many is a blank page: a warning and an empty output, no error
    assert by_name["empty.txt"].error is None and "empty" in by_name["empty.txt"].warning
    assert (tmp_path / "out" / "empty.txt").read_text() == ""
    for name in ("book00.txt", "book01.txt", "crlf.txt"):
        assert by_name[name].error is None
    # CRLF line ends are read as LF: the same cleaned text as the LF original
    assert (tmp_path / "out" / "crlf.txt").read_text() == (tmp_path / "out" / "book00.txt").read_text()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_is_reported(tmp_path):
    src = tmp_path / "raw"
    make_books(src, SPANS[:1])
    locked = src / "locked.txt"
    locked.write_text("text\n")
    locked.chmod(0)
    try:
        reports = clean_paths([src], tmp_path / "out", config=config())
    finally:
        locked.chmod(0o644)
    err = {r.source.name: r.error for r in reports}
    assert "permission denied" in err["locked.txt"] and err["book00.txt"] is None


def test_resume_skips_only_what_is_current(tmp_path):
    books = make_books(tmp_path / "raw", SPANS[:3])
    out = tmp_path / "out"
    clean_paths([tmp_path / "raw"], out, config=config())
    stamp = {b: output_paths(b, out)[0].stat().st_mtime_ns for b in books}
    again = clean_paths([tmp_path / "raw"], out, config=config(), resume=True, jobs=2)
    assert all(r.skipped for r in again)
    books[1].write_text(raw_lines(300, 360), encoding="utf-8")          # new raw text
    third = clean_paths([tmp_path / "raw"], out, config=config(), resume=True)
    assert [r.skipped for r in third] == [True, False, True]
    assert output_paths(books[0], out)[0].stat().st_mtime_ns == stamp[books[0]]
    assert_whole(books[1], out)
    other = config().with_skip(["dehyphenate"]) if "dehyphenate" in REGISTRY else None
    if other is not None:                                            # other settings: all again
        assert not any(r.skipped for r in clean_paths([tmp_path / "raw"], out, config=other, resume=True))


def test_a_worker_builds_its_pipeline_once(tmp_path):
    books = make_books(tmp_path / "raw", SPANS[:2])
    init = WorkerInit(config())
    first = worker_pipeline(init)
    for b in books:
        rep, queued = clean_task(Task(b, tmp_path / "out", "k"), init)
        assert rep.error is None and queued == []          # no review: nothing to queue
    assert worker_pipeline(init) is first
    assert worker_pipeline(WorkerInit(config().with_skip([config().order[-1]]))) is not first


def _store(path: Path):
    from ocr_clean.review import ReviewStore   # our own package: an import error is a failure

    return ReviewStore(path)


def test_review_decisions_go_through_workers_and_back(tmp_path):
    books = make_books(tmp_path / "raw", SPANS)
    out = tmp_path / "out"
    store = _store(tmp_path / "review.sqlite")
    reports = clean_paths([tmp_path / "raw"], out, config=config(), review=store, jobs=2)
    to_review = sum(r.to_review for r in reports)
    items = store.items(status="open")
    assert len(items) == to_review                  # every uncertain edit reached the store
    assert items, "no stage queued an edit on these lines: the test would prove nothing"
    it = items[0]
    store.decide(it.id, "accepted")
    book = next(b for b in books if b.stem == it.doc)
    again = clean_paths([tmp_path / "raw"], out, config=config(), review=store, jobs=2, resume=True)
    rep = next(r for r in again if r.source == book)
    assert not rep.skipped                          # its decisions changed: cleaned again
    ledger = read_ledger(output_paths(book, out)[1])
    edit = ledger.find(it.id)
    assert edit is not None and edit.status == "accepted"   # the decision was applied in the worker
    assert edit.after in output_paths(book, out)[0].read_text(encoding="utf-8")
    assert_whole(book, out)
    assert store.get(it.id).status == "accepted"    # and never reopened
    store.close()


def test_decision_map_applies_decisions():
    from ocr_clean.ledger import Edit

    e = Edit(0, 3, "the", "r", status=QUEUED, before="tbe", id="x1")
    assert DecisionMap({"x1": ("accepted", "the")}).decision("d", e) == ("accepted", "the")
    assert DecisionMap({}, [("tbe", "the")]).decision("d", e) == ("rejected", "the")
    assert DecisionMap({}).decision("d", e) is None


KILL_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ocr_clean.batch import clean_paths
    from ocr_clean.config import DEFAULT_ORDER, Config
    from ocr_clean.review import ReviewStore
    from ocr_clean.stages import REGISTRY
    src, out, db = map(Path, sys.argv[1:4])
    cfg = Config(order=tuple(n for n in DEFAULT_ORDER if n in REGISTRY))
    store = ReviewStore(db)
    clean_paths([src], out, config=cfg, review=store, jobs=2,
                progress=lambda r: print("done", r.source.name, flush=True))
    print("finished", flush=True)
""")


@pytest.mark.skipif(os.name != "posix", reason="kills a process group with a POSIX signal")
def test_a_batch_killed_halfway_leaves_whole_files_and_a_sound_database(tmp_path):
    _store(tmp_path / "probe.sqlite").close()
    RAW_BOOK_LINES = 17568
    spans = [(1 + k * 700, 1 + k * 700 + 650) for k in range(16) if k * 700 + 651 < RAW_BOOK_LINES]
    books = make_books(tmp_path / "raw", spans[:16])
    out, db = tmp_path / "out", tmp_path / "review.sqlite"
    script = tmp_path / "batch.py"
    script.write_text(KILL_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "raw"), str(out), str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    done = 0
    deadline = time.monotonic() + 120
    while done < 2 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        done += line.startswith("done")
    assert done == 2, proc.stderr.read()[-2000:]
    os.killpg(proc.pid, signal.SIGKILL)          # the batch and its workers, mid-flight
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.2)
    written = [b for b in books if output_paths(b, out)[0].exists()]
    assert 2 <= len(written) < len(books)        # killed halfway indeed
    for b in books:
        txt, led = output_paths(b, out)
        if txt.exists():
            assert_whole(b, out)                 # every text present has its whole ledger
        elif led.exists():                       # a ledger alone (killed between the two renames)
            read_ledger(led)                     # is whole too
    assert not [p for p in out.iterdir() if not p.name.startswith(".") and not p.name.endswith((".txt", ".jsonl"))]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    store = _store(db)
    n_before = store.counts()
    reports = clean_paths([tmp_path / "raw"], out, config=config(), review=store, jobs=2, resume=True)
    assert sum(r.skipped for r in reports) >= 2 and not any(r.error for r in reports)
    for b in books:
        assert_whole(b, out)
    assert sum(store.counts().values()) >= sum(n_before.values())
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="kills a worker with a POSIX signal")
def test_a_worker_killed_mid_batch_is_replaced_and_its_books_cleaned_again(tmp_path):
    import multiprocessing

    books = make_books(tmp_path / "raw", [(1 + k * 900, 1 + k * 900 + 800) for k in range(8)])
    killed: list[int] = []
    calls: list[str] = []

    def progress(rep):
        calls.append(rep.source.name)
        if not killed:      # at the first finished book, kill a worker that is busy with another
            workers = multiprocessing.active_children()
            assert workers
            killed.append(workers[0].pid)
            os.kill(workers[0].pid, signal.SIGKILL)

    reports = clean_paths([tmp_path / "raw"], tmp_path / "out", config=config(), jobs=2, progress=progress)
    assert killed
    assert sorted(calls) == [b.name for b in books]          # still one callback per book
    assert not any(r.error for r in reports), [r.error for r in reports if r.error]
    for b in books:
        assert_whole(b, tmp_path / "out")


def test_two_inputs_with_one_name_do_not_overwrite_each_other(tmp_path):
    a = make_books(tmp_path / "a", SPANS[:1])[0]
    b = make_books(tmp_path / "b", SPANS[1:2])[0]
    assert a.name == b.name
    reports = clean_paths([a, b], tmp_path / "out", config=config(), jobs=2)
    assert reports[0].error is None and "same name" in reports[1].error
    assert_whole(a, tmp_path / "out")

"""clean_texts on several processes (ocr_clean.in_processes): the same results, text for text
and ledger for ledger, as in one process; bad settings said in one line; one process where
no process may be started."""
from __future__ import annotations

import doctest
import multiprocessing

import pytest

from ocr_clean import in_processes
from ocr_clean.in_processes import jobs_for
from ocr_clean.pipeline import clean_texts

from .conftest import raw_lines

# a newspaper run of another engine's habits (written for this test) beside pages of the book
NOTICES = [
    "Tho Committee met at tho Town Hall on Monday, aud tho Mayor took tho chair.\n",
    "The vessel arrived after i the gale had passed, and tho crew came ashore at noon.\n",
    "A meeting of tho farmers was hold at tho hall, aud a groat number camo from tho country.\n",
    "Tho Council will meet again on Thursday next, when tho question of tho roads will be discussed.\n",
]
TEXTS = NOTICES * 5 + [raw_lines(a, a + 25) for a in (1, 900, 2400, 5200)]


def _key(res):
    return res.text, res.ledger.to_jsonl(), res.document.name


def test_the_examples_hold():
    failed, tried = doctest.testmod(in_processes)
    assert tried and not failed


def test_two_processes_give_the_one_process_results_in_order():
    names = [f"unit{i}" for i in range(len(TEXTS))]
    one = clean_texts(TEXTS, names=names, jobs=1)
    two = clean_texts(TEXTS, names=names, jobs=2)
    assert [_key(r) for r in two] == [_key(r) for r in one]
    assert sum(r.text != t for r, t in zip(one, TEXTS)) >= 10      # (the texts were cleaned)
    # each result still belongs to its collection (its words counted once, in this process)
    assert all(r.document.collection is two[0].document.collection is not None for r in two)
    # and its own words are counted again when asked for
    assert two[0].document.vocab().count("committee") == one[0].document.vocab().count("committee")


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_a_bad_number_of_jobs_is_said_in_one_line(bad):
    with pytest.raises(ValueError, match="jobs must be a whole number of processes"):
        clean_texts(NOTICES, jobs=bad)


def test_a_text_that_is_no_str_is_said_before_any_process_starts():
    with pytest.raises(TypeError, match="text must be a str, not NoneType"):
        clean_texts(NOTICES + [None], jobs=2)


def test_by_default_a_small_collection_is_cleaned_here_and_a_large_one_on_the_cores():
    assert jobs_for(None, 10) == 1
    from ocr_clean import executors
    cores = min(multiprocessing.cpu_count(), 10_000 // in_processes.MIN_PER_JOB)
    assert jobs_for(None, 10_000) == (cores if executors.can_fork() else 1)
    assert jobs_for(3, 2) == 2


def test_inside_another_pools_worker_one_process_is_used():
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(1) as pool:                       # its workers are daemons: they may start none
        assert pool.apply(jobs_for, (4, 1000)) == 1


def test_with_another_thread_alive_workers_start_clean_and_give_the_same_results():
    import threading

    from ocr_clean import executors
    from ocr_clean.in_processes import MIN_PER_JOB

    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)     # (a progress bar, a server)
    other.start()
    try:
        assert not executors.can_fork()
        # by default no process is started then (a script without a __main__ guard stays safe)
        assert jobs_for(None, 100 * MIN_PER_JOB) == 1
        two = clean_texts(NOTICES * 2, jobs=2)               # asked for: from a clean process
    finally:
        stop.set()
    one = clean_texts(NOTICES * 2, jobs=1)
    assert [_key(r) for r in two] == [_key(r) for r in one]


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="POSIX signals, /proc")
def test_ctrl_c_ends_the_workers_at_once_and_raises_keyboard_interrupt(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT
    from .test_interrupt import alive, children_of

    script = tmp_path / "many.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from ocr_clean import clean_texts\n"
        f"texts = {NOTICES!r} * 400\n"
        "print('start', flush=True)\n"
        "try:\n"
        "    clean_texts(texts, jobs=2)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(130)\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "start"
    deadline = time.monotonic() + 30
    while len(children_of(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)                              # (the workers are up and cleaning)
    workers = children_of(proc.pid)
    assert len(workers) >= 2
    os.kill(proc.pid, signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in out
    time.sleep(0.5)
    assert not [w for w in workers if alive(w)]      # no worker outlives the call

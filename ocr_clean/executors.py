"""Where the books of a batch are cleaned: a process pool, or a Ray or Dask cluster.

Every executor runs the same worker code (the ``work`` function it is given,
:func:`ocr_clean.batch.clean_task`): the worker builds its pipeline once per process
(``setup``) and cleans one book per call, reading the scan, queueing the book's
uncertain edits in the review database and writing the outputs itself (on a cluster of
several machines, the input and output folders and the review database must be on a
file system they all see).  Reports come back to the calling process, which calls
``progress``.  This module knows nothing of books: :mod:`ocr_clean.batch` hands it the
functions to call, so the two do not import each other.

Ctrl-C (:class:`Stop`): the first takes no new book and lets the running ones finish;
the second abandons them (their outputs are written atomically: a book is whole or
absent).  Workers ignore Ctrl-C themselves and die with the calling process
(:func:`die_with_parent`), so a killed batch leaves no orphans.

Ray and Dask are optional (``pip install 'ocr-clean[ray]'`` or ``'ocr-clean[dask]'``)
and imported only when chosen.  With no ``address`` a local cluster of ``jobs``
worker processes is started and stopped; with one (or ``RAY_ADDRESS`` /
``DASK_SCHEDULER_ADDRESS`` set) the batch runs on that cluster.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable

Done = Callable[[int, Any, list], None]         # (index, report, edits still to queue)
Work = Callable[[Any, Any], tuple]              # (task, init) -> (report, edits)
Setup = Callable[..., None]                     # (init, batch pid) -> None, once per worker process
Failed = Callable[[Any, str], Any]              # (task, why) -> an error report


class Stop:
    """Ctrl-C during a batch, counted: once asks to take no new book, twice to abandon the
    running ones.  ``on_signal(count)`` (optional) is told of each."""

    def __init__(self, on_signal: Callable[[int], None] | None = None) -> None:
        self.count = 0
        self.on_signal = on_signal
        self.in_process = False   # books cleaned in this process: the second Ctrl-C raises

    @property
    def requested(self) -> bool:
        return self.count >= 1

    @property
    def abandon(self) -> bool:
        return self.count >= 2

    def signal(self) -> None:
        self.count += 1
        if self.on_signal is not None:
            try:
                self.on_signal(self.count)
            except Exception:   # a message that cannot be printed must not stop the stop
                pass
        if self.abandon and self.in_process:
            raise KeyboardInterrupt


@contextmanager
def catching_interrupts(stop: Stop):
    """SIGINT counted by ``stop`` instead of raised at a random place (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda signum, frame: stop.signal())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def ignore_interrupts() -> None:
    """In a worker: Ctrl-C goes to the whole process group; the calling process decides."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:   # not the main thread of the process (a cluster's worker thread)
        pass


_WATCHING: set[int] = set()


def _gone(pid: int) -> bool:
    """Has process ``pid`` ended (a zombie nobody reaped yet counts as ended)?"""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except FileNotFoundError:
        return True
    except OSError:   # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False


def die_with_parent(batch_pid: int | None = None, poll: float = 0.25) -> None:
    """Make this worker process end when the batch that started it ends.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
    everywhere, a daemon thread checks every ``poll`` seconds that the parent is still the
    same (``os.getppid()``) and that the batch process ``batch_pid`` (the parent, or the
    process that asked a fork server for this worker) is alive, and ends this one if not.
    """
    if os.getpid() in _WATCHING:
        return
    _WATCHING.add(os.getpid())
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)   # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def orphaned() -> bool:
        return os.getppid() != parent or (batch_pid is not None and _gone(batch_pid))

    if orphaned():   # the parent died before the call took hold
        os._exit(1)

    def watch() -> None:
        while not orphaned():
            time.sleep(poll)
        os._exit(1)

    threading.Thread(target=watch, name="ocr-clean-parent-watch", daemon=True).start()


def _mp_context():
    """How to start the workers.

    "fork" when this process runs no other thread: fast (the modules are already
    imported) and it works from a script without an ``if __name__ == "__main__":``
    guard.  With other threads alive (a progress bar, a server) a forked child could
    inherit a lock one of them holds, so workers start from a clean "forkserver"
    process instead (or "spawn"), which re-imports the calling script: guard it.
    """
    import multiprocessing   # here: a batch cleaned in this process never starts one

    if can_fork():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def can_fork() -> bool:
    """Would workers start by "fork" (see :func:`_mp_context`): a platform that forks, and no
    other thread alive here?"""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Abandon the running books: end the pool's processes now."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, ValueError, AttributeError):
            pass


def run_process_pool(tasks: list[tuple[int, Any]], work: Work, setup: Setup, init: Any, jobs: int,
                     done: Done, failed: Failed, stop: Stop | None = None, init_once: bool = False) -> None:
    """Clean ``tasks`` on ``jobs`` local processes; ``done`` is called here as each ends.
    With ``init_once`` the workers get ``init`` once, through ``setup`` (which keeps it), and
    each task is sent without it (``work(task, None)``): a large ``init`` is not copied per task.

    If a worker process dies (killed, out of memory), the books that were not finished
    are tried once more in a fresh pool; those that fail again are reported as errors.
    When ``stop`` is requested the books not yet started are dropped (not reported);
    when it says abandon, the workers are ended and the running books dropped too.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait   # (a pool's only)
    from concurrent.futures.process import BrokenProcessPool

    stop = stop or Stop()
    pending = list(tasks)
    for attempt in (1, 2):
        if not pending or stop.requested:
            return
        retry: list[tuple[int, Any]] = []
        pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))), mp_context=_mp_context(),
                                   initializer=setup, initargs=(init, os.getpid()))
        abandoned = False
        try:
            futures = {pool.submit(work, task, None if init_once else init): (i, task) for i, task in pending}
            waiting = set(futures)
            dropped = False
            while waiting:
                finished, waiting = wait(waiting, timeout=0.1, return_when=FIRST_COMPLETED)
                for fut in finished:
                    i, task = futures[fut]
                    if fut.cancelled():
                        continue
                    try:
                        rep, queued = fut.result()
                    except BrokenProcessPool:
                        if stop.requested:
                            continue
                        if attempt == 1:
                            retry.append((i, task))
                            continue
                        rep, queued = failed(task, "the worker process died while cleaning it "
                                                   "(out of memory? try fewer --jobs)"), []
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        rep, queued = failed(task, f"worker failed ({type(exc).__name__}: {exc})"), []
                    done(i, rep, queued)
                if stop.requested and not dropped:   # no new book: drop those not started
                    dropped = True
                    for fut in waiting:
                        fut.cancel()
                if stop.abandon:
                    abandoned = True
                    _kill_workers(pool)
                    break
        finally:
            if abandoned or stop.requested:
                pool.shutdown(wait=True, cancel_futures=True)
            else:
                pool.shutdown(wait=True)
        pending = sorted(retry, key=lambda it: it[0])


class _RayCleaner:
    """A Ray actor: one pipeline per actor process."""

    def __init__(self, work: Work, setup: Setup, init: Any) -> None:
        self.work, self.init = work, init
        setup(init, None)

    def clean(self, i: int, task: Any):
        return i, self.work(task, self.init)


def run_ray(tasks: list[tuple[int, Any]], work: Work, setup: Setup, init: Any, jobs: int, done: Done,
            failed: Failed, stop: Stop | None = None, *, address: str | None = None) -> None:
    """Clean ``tasks`` on a Ray cluster: ``jobs`` actors, each with its own pipeline."""
    stop = stop or Stop()
    try:
        import ray
    except ImportError:
        raise ValueError("executor 'ray' needs Ray: pip install 'ocr-clean[ray]'") from None
    address = address or os.environ.get("RAY_ADDRESS")
    started = False
    if not ray.is_initialized():
        import logging

        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING)
        started = True
    try:
        n_actors = max(1, min(jobs, len(tasks)))
        cleaner = ray.remote(num_cpus=1)(_RayCleaner)
        actors = [cleaner.remote(work, setup, init) for _ in range(n_actors)]
        queue = list(tasks)
        running: dict = {}
        for actor in actors:
            if queue:
                i, task = queue.pop(0)
                running[actor.clean.remote(i, task)] = (actor, i, task)
        while running and not stop.abandon:
            ready, _ = ray.wait(list(running), num_returns=1, timeout=0.2)
            if not ready:
                continue
            ref = ready[0]
            actor, i, task = running.pop(ref)
            try:
                _, (rep, queued) = ray.get(ref)
            except Exception as exc:  # RayActorError, RayTaskError: report, keep going
                rep, queued = failed(task, f"worker failed ({type(exc).__name__})"), []
                actor = cleaner.remote(work, setup, init)   # the actor may be dead: replace it
                actors.append(actor)
            done(i, rep, queued)
            if queue and not stop.requested:
                i, task = queue.pop(0)
                running[actor.clean.remote(i, task)] = (actor, i, task)
        for actor in actors:
            ray.kill(actor)
    finally:
        if started:
            ray.shutdown()


def _dask_clean(i: int, task: Any, work: Work, setup: Setup, init: Any):
    setup(init, None)    # once per worker process: the pipeline is built on first use
    return i, work(task, init)


def run_dask(tasks: list[tuple[int, Any]], work: Work, setup: Setup, init: Any, jobs: int, done: Done,
             failed: Failed, stop: Stop | None = None, *, address: str | None = None) -> None:
    """Clean ``tasks`` on a Dask cluster (``address``, or a local one of ``jobs`` processes)."""
    stop = stop or Stop()
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ValueError("executor 'dask' needs Dask: pip install 'ocr-clean[dask]'") from None
    address = address or os.environ.get("DASK_SCHEDULER_ADDRESS")
    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(n_workers=max(1, min(jobs, len(tasks))), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        init_f = client.scatter(init, broadcast=True)
        futures = {client.submit(_dask_clean, i, task, work, setup, init_f, pure=False, retries=0): (i, task)
                   for i, task in tasks}
        cancelled = False
        for fut in as_completed(list(futures)):
            if stop.requested and not cancelled:
                cancelled = True
                client.cancel([f for f in futures if not f.done()])
            if stop.abandon:
                break
            i, task = futures[fut]
            if fut.cancelled():
                continue
            try:
                _, (rep, queued) = fut.result()
            except Exception as exc:  # KilledWorker and the like
                if stop.requested:
                    continue
                rep, queued = failed(task, f"worker failed ({type(exc).__name__})"), []
            done(i, rep, queued)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""Where the books of a batch are cleaned: a process pool, or a Ray or Dask cluster.

Every executor runs the same worker code (:func:`ocr_clean.batch.clean_task`): the
worker builds its pipeline once per process and cleans one book per call, reading the
scan and writing the outputs itself (on a cluster of several machines, the input and
output folders must be on a file system they all see).  Results come back to the
calling process, which alone talks to the review store and calls ``progress``.

Ray and Dask are optional (``pip install 'ocr-clean[ray]'`` or ``'ocr-clean[dask]'``)
and imported only when chosen.  With no ``address`` a local cluster of ``jobs``
worker processes is started and stopped; with one (or ``RAY_ADDRESS`` /
``DASK_SCHEDULER_ADDRESS`` set) the batch runs on that cluster.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from .batch import FileReport, Task, WorkerInit, clean_task, init_worker

Done = Callable[[int, FileReport, list], None]


def _mp_context():
    """How to start the workers.

    "fork" when this process runs no other thread: fast (the modules are already
    imported) and it works from a script without an ``if __name__ == "__main__":``
    guard.  With other threads alive (a progress bar, a server) a forked child could
    inherit a lock one of them holds, so workers start from a clean "forkserver"
    process instead (or "spawn"), which re-imports the calling script: guard it.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _died(task: Task, why: str) -> FileReport:
    return FileReport(source=task.source, error=f"{task.source}: {why}")


def run_process_pool(tasks: list[tuple[int, Task]], init: WorkerInit, jobs: int, done: Done) -> None:
    """Clean ``tasks`` on ``jobs`` local processes; ``done`` is called here as each ends.

    If a worker process dies (killed, out of memory), the books that were not finished
    are tried once more in a fresh pool; those that fail again are reported as errors.
    """
    pending = list(tasks)
    for attempt in (1, 2):
        if not pending:
            return
        retry: list[tuple[int, Task]] = []
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))), mp_context=_mp_context(),
                                 initializer=init_worker, initargs=(init,)) as pool:
            futures = {pool.submit(clean_task, task, init): (i, task) for i, task in pending}
            waiting = set(futures)
            while waiting:
                finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for fut in finished:
                    i, task = futures[fut]
                    try:
                        rep, queued = fut.result()
                    except BrokenProcessPool:
                        if attempt == 1:
                            retry.append((i, task))
                            continue
                        rep, queued = _died(task, "the worker process died while cleaning it "
                                                  "(out of memory? try fewer --jobs)"), []
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        rep, queued = _died(task, f"worker failed ({type(exc).__name__}: {exc})"), []
                    done(i, rep, queued)
        pending = sorted(retry, key=lambda it: it[0])


class _RayCleaner:
    """A Ray actor: one pipeline per actor process."""

    def __init__(self, init: WorkerInit) -> None:
        self.init = init
        init_worker(init)

    def clean(self, i: int, task: Task):
        return i, clean_task(task, self.init)


def run_ray(tasks: list[tuple[int, Task]], init: WorkerInit, jobs: int, done: Done,
            *, address: str | None = None) -> None:
    """Clean ``tasks`` on a Ray cluster: ``jobs`` actors, each with its own pipeline."""
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
        actors = [cleaner.remote(init) for _ in range(n_actors)]
        queue = list(tasks)
        running: dict = {}
        for actor in actors:
            if queue:
                i, task = queue.pop(0)
                running[actor.clean.remote(i, task)] = (actor, i, task)
        while running:
            ready, _ = ray.wait(list(running), num_returns=1)
            ref = ready[0]
            actor, i, task = running.pop(ref)
            try:
                _, (rep, queued) = ray.get(ref)
            except Exception as exc:  # RayActorError, RayTaskError: report, keep going
                rep, queued = _died(task, f"worker failed ({type(exc).__name__})"), []
                actor = cleaner.remote(init)   # the actor may be dead: replace it
                actors.append(actor)
            done(i, rep, queued)
            if queue:
                i, task = queue.pop(0)
                running[actor.clean.remote(i, task)] = (actor, i, task)
        for actor in actors:
            ray.kill(actor)
    finally:
        if started:
            ray.shutdown()


def _dask_clean(i: int, task: Task, init: WorkerInit):
    return i, clean_task(task, init)   # the pipeline is built once per worker process


def run_dask(tasks: list[tuple[int, Task]], init: WorkerInit, jobs: int, done: Done,
             *, address: str | None = None) -> None:
    """Clean ``tasks`` on a Dask cluster (``address``, or a local one of ``jobs`` processes)."""
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
        futures = {client.submit(_dask_clean, i, task, init_f, pure=False, retries=0): (i, task)
                   for i, task in tasks}
        for fut in as_completed(list(futures)):
            i, task = futures[fut]
            try:
                _, (rep, queued) = fut.result()
            except Exception as exc:  # KilledWorker and the like
                rep, queued = _died(task, f"worker failed ({type(exc).__name__})"), []
            done(i, rep, queued)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""The optional engines: a batch on a local Dask or Ray cluster writes what the local run writes.

These tests start a real local cluster of the engine; they are skipped when the engine
is not installed (``pip install 'ocr-clean[dask]'`` / ``'ocr-clean[ray]'``).
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from ocr_clean.batch import clean_paths

from .conftest import ROOT
from .test_batch import SPANS, assert_whole, config, make_books


def _needs(module: str, extra: str):
    return pytest.mark.skipif(importlib.util.find_spec(module) is None,
                              reason=f"{module} is not installed (pip install 'ocr-clean[{extra}]')")


def _same_as_local(tmp_path, executor: str) -> None:
    from ocr_clean.review import ReviewStore

    books = make_books(tmp_path / "raw", SPANS[:3])
    local = clean_paths([tmp_path / "raw"], tmp_path / "local", config=config())
    store = ReviewStore(tmp_path / "review.sqlite")
    seen = []
    reports = clean_paths([tmp_path / "raw"], tmp_path / executor, config=config(), review=store,
                          jobs=2, executor=executor, progress=lambda r: seen.append(r.source.name))
    assert sorted(seen) == [b.name for b in books]
    assert [r.source for r in reports] == books and not any(r.error for r in reports)
    for b, r in zip(books, local):
        txt = (tmp_path / executor / f"{b.stem}.txt").read_text(encoding="utf-8")
        assert txt == r.output.read_text(encoding="utf-8")
        assert_whole(b, tmp_path / executor)
    # the uncertain edits came back from the cluster and were queued here, in this process
    assert len(store.items(status="open")) == sum(r.to_review for r in reports)
    store.close()


@_needs("distributed", "dask")
def test_dask_local_cluster(tmp_path):
    _same_as_local(tmp_path, "dask")


@_needs("ray", "ray")
def test_ray_local_cluster(tmp_path):
    _same_as_local(tmp_path, "ray")


def test_engines_are_imported_only_when_chosen(tmp_path):
    make_books(tmp_path / "raw", SPANS[:2])
    code = (
        "import sys\n"
        "from ocr_clean.batch import clean_paths\n"
        "from tests.test_batch import config\n"
        f"reps = clean_paths([{str(tmp_path / 'raw')!r}], {str(tmp_path / 'out')!r}, config=config(), jobs=2)\n"
        "assert not any(r.error for r in reps), reps\n"
        "print(sorted(m for m in ('ray', 'dask', 'distributed') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_missing_engine_is_a_one_line_error(tmp_path, monkeypatch):
    make_books(tmp_path / "raw", SPANS[:1])
    monkeypatch.setitem(sys.modules, "ray", None)          # as if Ray were not installed
    with pytest.raises(ValueError, match=r"pip install 'ocr-clean\[ray\]'"):
        clean_paths([tmp_path / "raw"], tmp_path / "out", config=config(), executor="ray")

"""The inputs of a batch: no output may be written over one of them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..io import InputError
from .report import output_paths


def _identity(p: Path) -> tuple[Path | None, tuple[int, int] | None]:
    """A file's path with links followed, and its (device, inode) when it exists."""
    try:
        real = p.resolve()
    except (OSError, RuntimeError):   # a symlink loop: nothing we write can be it
        return None, None
    try:
        st = os.stat(real)
        return real, (st.st_dev, st.st_ino)
    except OSError:
        return real, None


def refuse_overwriting_inputs(paths: Iterable[Path], sources: Iterable[Path], out_dir: Path) -> None:
    """Raise :class:`~ocr_clean.io.InputError` (one line) when an output would be written over
    an input: the same path, the same file by another name (a hard or symbolic link), or an
    input folder used as the output folder.  Nothing is written before this check passes."""
    out_dir = Path(out_dir)
    out_real, out_id = _identity(out_dir)
    for p in map(Path, paths):
        if p.is_dir():
            real, ident = _identity(p)
            if (real is not None and real == out_real) or (ident is not None and ident == out_id):
                raise InputError(f"{out_dir}: is an input folder; the cleaned files would be written "
                                 "over the scans: choose another --out folder")
    sources = [Path(s) for s in sources]
    by_path: dict[Path, Path] = {}
    by_id: dict[tuple[int, int], Path] = {}
    for src in sources:
        real, ident = _identity(src)
        if real is not None:
            by_path.setdefault(real, src)
        if ident is not None:
            by_id.setdefault(ident, src)
    for src in sources:
        for out in output_paths(src, out_dir):
            real, ident = _identity(out)
            hit = by_path.get(real) if real is not None else None
            hit = hit or (by_id.get(ident) if ident is not None else None)
            if hit is not None:
                raise InputError(f"{hit}: the output {out} would be written over this input; "
                                 "choose another --out folder")

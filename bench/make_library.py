"""Build a folder of many "books" from the one scan, to measure batch cleaning.

    .venv/bin/python bench/make_library.py /tmp/library            # 100 books
    .venv/bin/python bench/make_library.py /tmp/library --books 20 --bad
    .venv/bin/python bench/make_library.py /tmp/library --clean 2  # build, then clean with jobs=2

Each book is a contiguous window of the scan (a random start, 600 to 3,000 raw lines by
default, so page heads, page numbers, notes and split words come along), sometimes two
windows joined, and some are written with CRLF line ends or a byte-order mark, as scans
from other tools are.  The windows are chosen by a seeded random generator: the same
arguments make the same library.  ``--bad`` adds the files a real folder holds by mistake
(binary, Latin-1, empty), which the batch must report and go past.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "raw" / "writings-1930-31.txt"


def make_library(out: Path, books: int = 100, *, seed: int = 1930, min_lines: int = 600,
                 max_lines: int = 3000, bad: bool = False) -> list[Path]:
    lines = BOOK.read_text(encoding="utf-8").split("\n")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(books):
        parts = []
        for _ in range(2 if rng.random() < 0.2 else 1):
            n = rng.randint(min_lines, max_lines)
            start = rng.randint(0, max(0, len(lines) - n))
            parts.append("\n".join(lines[start:start + n]).rstrip("\n") + "\n")
        text = "\n".join(parts)
        data = text.encode("utf-8")
        kind = rng.random()
        if kind < 0.1:
            data = data.replace(b"\n", b"\r\n")
        elif kind < 0.15:
            data = "\ufeff".encode("utf-8") + data
        p = out / f"book-{k:03d}.txt"
        p.write_bytes(data)
        written.append(p)
    if bad:
        (out / "bad-binary.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02 not a text scan")
        (out / "bad-latin1.txt").write_bytes("Trotsky \u00e9crit \u00e0 Prinkipo\n".encode("latin-1"))
        (out / "bad-empty.txt").write_bytes(b"")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="the folder to fill")
    ap.add_argument("--books", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1930)
    ap.add_argument("--min-lines", type=int, default=600)
    ap.add_argument("--max-lines", type=int, default=3000)
    ap.add_argument("--bad", action="store_true", help="add a binary, a Latin-1 and an empty file")
    ap.add_argument("--clean", type=int, metavar="JOBS", default=None,
                    help="then clean the folder with clean_paths(jobs=JOBS) into OUT-cleaned and time it")
    ap.add_argument("--executor", default="local", help="with --clean: local, process, ray or dask")
    args = ap.parse_args(argv)
    books = make_library(args.out, args.books, seed=args.seed, min_lines=args.min_lines,
                         max_lines=args.max_lines, bad=args.bad)
    size = sum(p.stat().st_size for p in books)
    print(f"{len(books)} books, {size / 1e6:.1f} MB ({size / BOOK.stat().st_size:.1f} x the scan) in {args.out}")
    if args.clean is not None:
        sys.path.insert(0, str(ROOT))
        from ocr_clean.batch import clean_paths

        import os
        import resource

        def cpu() -> float:
            return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                       for f in ("ru_utime", "ru_stime"))

        target = args.out.with_name(args.out.name + "-cleaned")
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), cpu()
        reports = clean_paths([args.out], target, jobs=args.clean, executor=args.executor)
        secs, cpus = time.perf_counter() - t0, cpu() - c0
        words = sum(r.words for r in reports)
        errors = [r for r in reports if r.error]
        print(f"cleaned {len(reports) - len(errors)} files ({words:,} words) with jobs={args.clean}, "
              f"executor={args.executor}: {secs:.1f} s, {len(reports) / secs:.2f} files/s, "
              f"{words / secs:,.0f} words/s; {len(errors)} error(s); CPU {cpus:.1f} s = {cpus / secs:.2f} "
              f"cores busy (load average before: {load:.2f})")
        for r in errors:
            print(f"  error: {r.error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

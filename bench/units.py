"""CPU seconds of each stage on many short texts through one warm pipeline (issue 11's bar:
the 834 units of the external dev set), and where the words stage spends them.

    .venv/bin/python bench/units.py                              # the external dev units
    .venv/bin/python bench/units.py FILE.jsonl --repeat 3        # the fastest of 3 passes
    .venv/bin/python bench/units.py --profile 25                 # + the 25 costliest functions (cProfile)
    .venv/bin/python bench/units.py --jobs 1 2                   # wall seconds of the units as one collection

With ``--jobs``, the units are cleaned as one collection (``clean_texts(units, jobs=N)``, as
``score_hipe.py --batch`` does for each source) in a fresh process for each N given, wall
seconds from the call to the last result; the results of every N are checked to be those of
the first (text for text, ledger for ledger).

FILE.jsonl holds HIPE-OCRepair-style records (``ocr_hypothesis.transcription_unit``); it
is only read, here, to time the stages. Each unit is cleaned alone (``Pipeline.run``, as
``clean_text`` does) by a pipeline whose tables and indexes are loaded (``warm``). The first
pass is what a fresh process pays (``score_hipe.py``); later passes find the prefix index's
letters already asked for (the words stage's candidate cache is cleared before each pass).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/profile.py would shadow the standard library's profile module that cProfile imports
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402
DEFAULT = ROOT.parent / "shared" / "eval" / "external" / "hipe-en-dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=1, help="passes timed: the first, and the fastest of the others")
    ap.add_argument("--profile", type=int, default=0, help="print this many functions of a cProfile")
    ap.add_argument("--jobs", type=int, nargs="+", default=None,
                    help="time clean_texts(units, jobs=N) for each N (wall seconds, fresh processes)")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"no units to time: {args.data} is not a file (give a HIPE-style JSONL file)", file=sys.stderr)
        return 2
    if args.jobs:
        return _collections(args.data, args.jobs)
    sys.path.insert(0, str(ROOT))
    from ocr_clean import Pipeline
    from ocr_clean.config import Config
    from ocr_clean.stages import base

    units = [json.loads(line)["ocr_hypothesis"]["transcription_unit"]
             for line in args.data.open(encoding="utf-8") if line.strip()]
    pipe = Pipeline(Config.from_dict({}))
    pipe.warm()
    parts: dict[str, float] = {}
    call = base.Stage.__call__

    def timed(self, doc):
        c = time.process_time()
        out = call(self, doc)
        parts[self.name] = parts.get(self.name, 0.0) + time.process_time() - c
        return out

    base.Stage.__call__ = timed

    def one_pass() -> dict[str, float]:
        for stage in pipe.stages:                 # every pass walks every token again
            cache = getattr(stage, "_cands_cache", None)
            if cache is not None:
                cache.clear()
        parts.clear()
        c = time.process_time()
        for u in units:
            pipe.run(u)
        parts["(all)"] = time.process_time() - c
        return dict(parts)

    first = one_pass()
    best: dict[str, float] = {}
    for _ in range(args.repeat - 1):
        for k, v in one_pass().items():
            best[k] = min(v, best.get(k, v))
    print(f"{len(units)} units, CPU seconds: the first pass"
          + (f", the fastest of {args.repeat - 1} more" if best else ""))
    for k, v in sorted(first.items(), key=lambda kv: -kv[1]):
        print(f"  {k:16s} {v:7.3f}" + (f" {best[k]:7.3f}" if k in best else ""))
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(one_pass)
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)
    return 0


_COLLECTION = """
import hashlib, json, sys, time
sys.path.insert(0, {root!r})
from ocr_clean import clean_texts
units = [json.loads(line)["ocr_hypothesis"]["transcription_unit"]
         for line in open({data!r}, encoding="utf-8") if line.strip()]
if __name__ == "__main__":
    t = time.perf_counter()
    results = clean_texts(units, jobs={jobs})
    wall = time.perf_counter() - t
    digest = hashlib.sha256("\\0".join(r.text + r.ledger.to_jsonl() for r in results).encode()).hexdigest()
    print(json.dumps({{"wall": wall, "digest": digest}}))
"""


def _collections(data: Path, jobs: list[int]) -> int:
    """Each of ``jobs``: the units cleaned as one collection on that many processes, in a
    fresh process (wall seconds; the results' digest checked against the first's)."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "collection.py"
        first = None
        print(f"units of {data.name} as one collection, wall seconds (load {os.getloadavg()[0]:.2f}):")
        for n in jobs:
            script.write_text(_COLLECTION.format(root=str(ROOT), data=str(data), jobs=n), encoding="utf-8")
            got = json.loads(subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                                            check=True).stdout.strip().splitlines()[-1])
            first = first or got["digest"]
            same = "same results" if got["digest"] == first else "DIFFERENT RESULTS"
            print(f"  jobs={n}: {got['wall']:6.2f} s  ({same})")
            if got["digest"] != first:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

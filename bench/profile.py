"""Where the time of one clean goes: a pyinstrument profile of ``Pipeline.run`` on the book.

    .venv/bin/pip install pyinstrument          # a profiling tool, not a dependency of ocr_clean
    .venv/bin/python bench/profile.py           # the whole book, a call tree of the hot paths
    .venv/bin/python bench/profile.py --copies 4 --html /tmp/profile.html

The pipeline is built and run once before profiling, so the profile shows the steady
cost of a run (what a batch worker pays per book), not the lexicon load.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=1, help="the book concatenated this many times")
    ap.add_argument("--html", type=Path, help="also write an HTML profile here")
    ap.add_argument("--interval", type=float, default=0.001, help="sampling interval, seconds")
    args = ap.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("needs pyinstrument: .venv/bin/pip install pyinstrument", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from ocr_clean import Pipeline
    from ocr_clean.config import DEFAULT_ORDER, Config
    from ocr_clean.stages import REGISTRY

    raw = (ROOT / "raw" / "writings-1930-31.txt").read_text(encoding="utf-8") * args.copies
    pipe = Pipeline(Config(order=tuple(n for n in DEFAULT_ORDER if n in REGISTRY)))
    pipe.run(raw)
    prof = Profiler(interval=args.interval)
    prof.start()
    result = pipe.run(raw)
    prof.stop()
    print(prof.output_text(unicode=False, color=False))
    print("Result.timings:", {k: round(v, 3) for k, v in result.timings.items()})
    if args.html:
        args.html.write_text(prof.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

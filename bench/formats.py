"""The cost of the formats layer: the book as one big ALTO file, read, cleaned, projected back
onto its words and written (ocr_clean.formats), each step timed (wall and CPU seconds).

    .venv/bin/python bench/formats.py            # the whole book (~154k words, 15 MB of ALTO)
    .venv/bin/python bench/formats.py --lines 2000

The ALTO is made here from the raw scan: one TextBlock, a TextLine a raw line, a String a
word (10 px a character).  Nothing is written to disk.
"""
from __future__ import annotations

import argparse
import html
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def alto_of(lines: list[str]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Description><MeasurementUnit>pixel'
           '</MeasurementUnit></Description><Layout><Page ID="P1"><PrintSpace><TextBlock ID="B1">']
    for li, line in enumerate(lines):
        x, items = 0, []
        for wi, w in enumerate(line.split()):
            items.append(f'<String ID="L{li}_W{wi}" HPOS="{x}" VPOS="{li * 20}" WIDTH="{10 * len(w)}" '
                         f'HEIGHT="15" CONTENT="{html.escape(w, quote=True)}"/>')
            x += 10 * len(w) + 10
        out.append(f'<TextLine ID="L{li}">' + "<SP/>".join(items) + "</TextLine>")
    out.append("</TextBlock></PrintSpace></Page></Layout></alto>")
    return "\n".join(out).encode() + b"\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=0, help="only the first N raw lines")
    a = ap.parse_args()
    from ocr_clean.formats import alto
    from ocr_clean.formats.project import project, removed_spans
    from ocr_clean.pipeline import Pipeline

    lines = (ROOT / "raw" / "writings-1930-31.txt").read_text(encoding="utf-8").split("\n")
    data = alto_of(lines[: a.lines] if a.lines else lines)
    pipe = Pipeline()
    pipe.run("Warm the lexicon up.\n")
    steps = {}

    def timed(name, fn):
        w, c = time.perf_counter(), time.process_time()
        value = fn()
        steps[name] = (time.perf_counter() - w, time.process_time() - c)
        return value

    parsed = timed("read", lambda: alto.read(data, "book.xml"))
    result = timed("clean", lambda: pipe.run(parsed.text))
    changes = timed("project", lambda: project(parsed, result.text, result.document.offset_map(),
                                               removed_spans(result.ledger)))
    out, n = timed("write", lambda: alto.write(parsed, changes, {"version": "bench"}))
    words = len(parsed.units)
    print(f"{len(data) / 1e6:.1f} MB of ALTO, {words:,} words, {len(changes):,} changes, {len(out) / 1e6:.1f} MB out")
    for name, (wall, cpu) in steps.items():
        print(f"  {name:8s} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    fmt = sum(steps[k][1] for k in ("read", "project", "write"))
    print(f"  formats layer (read + project + write): cpu {fmt:.2f} s, {words / fmt:,.0f} words/s; "
          f"cleaning: cpu {steps['clean'][1]:.2f} s")


if __name__ == "__main__":
    main()

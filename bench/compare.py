"""Two versions of ocr_clean on the whole book, side by side: CPU seconds of each part.

    .venv/bin/python bench/compare.py 5b76380 HEAD            # two commits (min of 7 runs each)
    .venv/bin/python bench/compare.py main HEAD --runs 11
    .venv/bin/python bench/compare.py main HEAD --warm 5      # a warm process: the book cleaned
                                                              # once, then 5 times (fastest kept)

On a shared machine a wall time says more about the other programs than about the code.
Here each version's package (``git archive`` of its ``ocr_clean/``, byte-compiled) runs in
fresh processes, the two taking turns, so that both see the same load; each part is timed in
CPU seconds of the process (``time.process_time``): import, ``Pipeline()`` (load), each stage
(``Stage.__call__``, its ``doc.apply`` included), the rest of ``run`` (the scan profile, the
set-aside pass) and writing the text and the ledger as ``ocr-clean clean`` does.  The
fastest of the runs is kept for each part (the other programs only ever add time).  The book
and the dictionaries' caches are those of this checkout (``OCR_CLEAN_CACHE`` as set).
``--warm N``: each process cleans the book once untimed, then N times more, keeping the fastest
of each stage (a warm process, as a batch worker runs: no first-run loading inside a stage);
the time of ``Document.apply`` inside the stages is shown too (``apply``, part of the stages').
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "raw" / "writings-1930-31.txt"

CHILD = r"""
import json, sys, time
c0 = time.process_time()
from ocr_clean import Pipeline
from ocr_clean.batch import write_outputs
from ocr_clean.io import read_text
from ocr_clean.stages import base
c1 = time.process_time()
pipe = Pipeline()
c2 = time.process_time()
parts = {}
call = base.Stage.__call__
def timed(self, doc):
    c = time.process_time()
    out = call(self, doc)
    parts[self.name] = time.process_time() - c
    return out
base.Stage.__call__ = timed
src = sys.argv[1]
from pathlib import Path
warm = int(sys.argv[3])
if warm:
    from ocr_clean.document import Document
    apply = Document.apply
    def timed_apply(self, stage, edits):
        c = time.process_time()
        out = apply(self, stage, edits)
        parts["apply"] = parts.get("apply", 0.0) + time.process_time() - c
        return out
    Document.apply = timed_apply
    pipe.run(read_text(Path(src)), name=Path(src).stem)
    best = {}
    for _ in range(warm):
        parts.clear()
        c = time.process_time()
        res = pipe.run(read_text(Path(src)), name=Path(src).stem)
        parts["rest of run"] = time.process_time() - c - sum(v for k, v in parts.items() if k != "apply")
        for k, v in parts.items():
            best[k] = min(v, best.get(k, v))
    print(json.dumps(best))
    raise SystemExit(0)
res = pipe.run(read_text(Path(src)), name=Path(src).stem)
c3 = time.process_time()
write_outputs(Path(src), Path(sys.argv[2]), res, {"source": src, "name": Path(src).stem})
c4 = time.process_time()
parts["rest of run"] = (c3 - c2) - sum(parts.values())
parts.update(import_=c1 - c0, load=c2 - c1, write=c4 - c3, total=c4 - c0)
print(json.dumps(parts))
"""


def export(rev: str, into: Path) -> Path:
    """The package of ``rev`` in ``into`` (byte-compiled, as an installed package is)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev, "ocr_clean"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "ocr_clean")], check=True,
                   capture_output=True)
    return into


def run_once(tree: Path, out: Path, child: Path, warm: int = 0) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, str(child), str(BOOK), str(out), str(warm)], env=env, cwd=tree,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{tree.name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="a commit (or branch) of this repository")
    ap.add_argument("new", help="another one")
    ap.add_argument("--runs", type=int, default=7, help="runs of each version (the fastest is kept)")
    ap.add_argument("--warm", type=int, default=0,
                    help="clean the book once, then this many times more in each process (a warm process)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ocr-clean-compare-") as tmp:
        tmp = Path(tmp)
        child = tmp / "child.py"
        child.write_text(CHILD, encoding="utf-8")
        trees = {rev: export(rev, tmp / f"v{i}") for i, rev in enumerate((args.old, args.new))}
        for rev, tree in trees.items():          # a first run of each fills the caches
            run_once(tree, tmp / "out", child)
        best: dict[str, dict[str, float]] = {rev: {} for rev in trees}
        for _ in range(args.runs):
            for rev, tree in trees.items():
                for part, sec in run_once(tree, tmp / "out", child, args.warm).items():
                    best[rev][part] = min(sec, best[rev].get(part, sec))
    parts = list(best[args.old]) + [p for p in best[args.new] if p not in best[args.old]]
    runs = f"{args.runs} processes each cleaning it once and {args.warm} times more" if args.warm \
        else f"{args.runs} fresh runs each"
    print(f"CPU seconds, fastest of {runs}, the versions taking turns")
    print(f"| part | {args.old} | {args.new} | change |\n|---|---:|---:|---:|")
    for part in parts:
        a, b = best[args.old].get(part), best[args.new].get(part)
        cells = [f"{x:.3f}" if x is not None else "-" for x in (a, b)]
        change = f"{b - a:+.3f}" if a is not None and b is not None else ""
        print(f"| {part.rstrip('_')} | {cells[0]} | {cells[1]} | {change} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

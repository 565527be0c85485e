"""Instructions (valgrind's callgrind) of cleaning short units, for versions of ocr_clean: a
figure that the machine's load does not move, where CPU seconds move by 10-25% from one run
to the next on a busy shared machine (a change of a few per cent is lost in them).

    .venv/bin/python bench/instructions.py main HEAD             # every 8th external dev unit (104)
    .venv/bin/python bench/instructions.py HEAD --every 4        # one version, more units
    .venv/bin/python bench/instructions.py main . --data FILE.jsonl
    .venv/bin/python bench/instructions.py main . --book        # the whole book instead (raw/writings-1930-31.txt)

Each version (a commit of this repository, or ``.`` for the working tree) is exported as
``bench/compare.py`` does and runs in two fresh processes under callgrind: one builds and
warms a pipeline (``Pipeline().warm()``), the other does the same and then cleans every
``--every``-th unit (``Pipeline.run``, as ``clean_text`` does); the difference is the
instructions of the cleaning.  Two processes run at a time.  Needs ``valgrind`` on the PATH;
one version takes a few minutes (callgrind runs Python about 50 times slower).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from compare import BOOK, ROOT, export

DEFAULT = ROOT.parent / "shared" / "eval" / "external" / "hipe-en-dev.jsonl"

CHILD = r"""
import json, sys
from ocr_clean import Pipeline
from ocr_clean.config import Config
every = int(sys.argv[2])
pipe = Pipeline(Config.from_dict({})).warm()
if every and sys.argv[1].endswith(".txt"):     # a book: cleaned once, as ocr-clean clean does
    from pathlib import Path
    from ocr_clean.io import read_text
    pipe.run(read_text(Path(sys.argv[1])), name=Path(sys.argv[1]).stem).ledger.to_jsonl({})
elif every:
    units = [json.loads(line)["ocr_hypothesis"]["transcription_unit"]
             for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    for unit in units[::every]:
        pipe.run(unit)
"""
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def callgrind(tree: Path, child: Path, data: Path, every: int) -> int:
    """Instructions of one run of ``child`` with the package in ``tree``."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, str(child), str(data), str(every)],
                          env=dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0"),
                          cwd=tree, capture_output=True, text=True)
    found = COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"{tree.name}: callgrind failed:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def working_tree(into: Path) -> Path:
    """The working tree's package in ``into`` (what ``.`` names)."""
    into.mkdir(parents=True)
    shutil.copytree(ROOT / "ocr_clean", into / "ocr_clean", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "ocr_clean")], check=True,
                   capture_output=True)
    return into


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("versions", nargs="+", help="commits (or branches) of this repository; '.' the working tree")
    ap.add_argument("--every", type=int, default=8, help="clean every n-th unit (default 8: 104 of 834)")
    ap.add_argument("--data", type=Path, default=DEFAULT, help="HIPE-style JSONL units")
    ap.add_argument("--book", action="store_true",
                    help="clean the whole book (raw/writings-1930-31.txt) once instead of units")
    args = ap.parse_args(argv)
    if args.book:
        args.data = BOOK
    if not args.data.is_file():
        print(f"no units: {args.data} is not a file (give a HIPE-style JSONL file)", file=sys.stderr)
        return 2
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ocr-clean-instructions-") as tmp:
        tmp = Path(tmp)
        child = tmp / "child.py"
        child.write_text(CHILD, encoding="utf-8")
        trees = [working_tree(tmp / f"v{i}") if v == "." else export(v, tmp / f"v{i}")
                 for i, v in enumerate(args.versions)]
        jobs = [(tree, every) for tree in trees for every in (0, args.every)]
        with ThreadPoolExecutor(2) as pool:
            counts = list(pool.map(lambda job: callgrind(job[0], child, args.data.resolve(), job[1]), jobs))
    runs = {}
    what = f"the book ({args.data.name})" if args.book else f"every {args.every}th unit of {args.data.name}"
    print(f"instructions (callgrind, millions): {what}")
    print("| version | load | cleaning | change |\n|---|---:|---:|---:|")
    for k, version in enumerate(args.versions):
        load, total = counts[2 * k], counts[2 * k + 1]
        runs[version] = total - load
        first = runs[args.versions[0]]
        change = f"{100 * (runs[version] - first) / first:+.1f}%" if k else ""
        print(f"| {version} | {load / 1e6:,.0f} | {runs[version] / 1e6:,.0f} | {change} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

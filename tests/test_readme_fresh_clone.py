"""The README's commands run from a fresh clone: nothing outside the repository is needed."""
from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from ocr_clean.cli import app

from .conftest import ROOT, raw_lines

runner = CliRunner()


def _code_blocks(text: str) -> list[str]:
    blocks, cur = [], None
    for line in text.split("\n"):
        if line.startswith("```"):
            if cur is None:
                cur = []
            else:
                blocks.append("\n".join(cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    return blocks


def test_readme_commands_need_nothing_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = readme.split("\n## Figures")[0]          # the lead's measured figures cite the dev set
    for block in _code_blocks(body):
        assert "../shared" not in block, block
    # nor a command or a file named in the text (a new user has no ../shared)
    assert "../shared" not in body, [ln for ln in body.splitlines() if "../shared" in ln]
    for path in re.findall(r"(tests/data/[\w.-]+)", body):
        assert (ROOT / path).exists(), path


def test_the_gold_sample_scores_through_the_cli(workdir):
    rows = [json.loads(x) for x in (ROOT / "tests/data/gold-sample.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 3 and all({"id", "raw", "gold"} <= r.keys() for r in rows)
    for r in rows:                                   # each raw passage is the scan's own text
        assert r["raw"] in (ROOT / "raw" / "writings-1930-31.txt").read_text(encoding="utf-8")
    (workdir / "raw").mkdir()
    (workdir / "raw" / "b.txt").write_text(raw_lines(1, 3700), encoding="utf-8")
    assert runner.invoke(app, ["clean", "raw/", "--out", "c", "--no-review"]).exit_code == 0
    res = runner.invoke(app, ["eval", str(ROOT / "tests/data/gold-sample.jsonl"), "c/b.txt", "--show", "5"])
    assert res.exit_code == 0, res.output
    summary = dict(kv.split("=") for kv in res.output.strip().splitlines()[-1].split())
    assert summary["passages"] == "3" and summary["found"] == "3" and summary["broken"] == "0"
    assert float(summary["clean_wer"]) < float(summary["raw_wer"])

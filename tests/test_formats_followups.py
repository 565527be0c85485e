"""Issue 14 follow-ups through the real CLI: --resume, the review queue of JSONL records,
apply and explain on ALTO, hOCR, PAGE XML and JSONL outputs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ocr_clean.cli import app

DATA = Path(__file__).parent / "data"
SAMPLES = ["page-alto4.xml", "page-hocr.hocr", "page-page2019.xml", "records.jsonl"]
runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _copy_sources(workdir: Path) -> Path:
    src = workdir / "src"
    src.mkdir()
    for name in SAMPLES:
        shutil.copy(DATA / name, src / name)
    shutil.copytree(DATA / "book-pages", src / "pages")
    return src


def _clean_all(*extra):
    return _run("clean", "src/page-alto4.xml", "src/page-hocr.hocr", "src/page-page2019.xml",
                "src/records.jsonl", "src/pages", "--out", "out", "--text-field", "ocr.text",
                "--no-review", "--json", *extra)


def _skipped(res) -> dict[str, bool]:
    assert res.exit_code == 0, res.output
    return {Path(f["source"]).name: f["skipped"] for f in json.loads(res.stdout)["files"]}


def test_resume_skips_sources_of_every_format_whose_outputs_are_current(workdir):
    _copy_sources(workdir)
    res = _clean_all()
    # records.jsonl is read by its ocr.text field; the others ignore --text-field
    assert not any(_skipped(res).values())
    again = _skipped(_clean_all("--resume"))
    assert again == {"page-alto4.xml": True, "page-hocr.hocr": True, "page-page2019.xml": True,
                     "records.jsonl": True, "pages": True}
    # an output changed on disk, a page of the book changed, other format options: cleaned again
    (workdir / "out" / "page-hocr.hocr").write_text("damaged", encoding="utf-8")
    page = workdir / "src" / "pages" / "0002.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new line .\n", encoding="utf-8")
    again = _skipped(_clean_all("--resume"))
    assert again == {"page-alto4.xml": True, "page-hocr.hocr": False, "page-page2019.xml": True,
                     "records.jsonl": True, "pages": False}
    assert "A new line." in (workdir / "out" / "0002.txt").read_text(encoding="utf-8")
    assert (workdir / "out" / "page-hocr.hocr").read_text(encoding="utf-8") != "damaged"
    again = _skipped(_clean_all("--resume", "--out-field", "clean"))
    assert again["records.jsonl"] is False and again["page-alto4.xml"] is True

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


def test_jsonl_records_put_their_uncertain_edits_in_the_review_queue_by_record(workdir):
    from ocr_clean.formats.jsonl import read_ledger
    from ocr_clean.review import ReviewStore

    # confusion and words made unsure of every fix: their fixes are queued (the raw words kept;
    # a words stage sure of the same reading would settle a confusion fix queued there)
    Path("c.toml").write_text("[stages.confusion]\napply_threshold = 1.01\n[stages.words]\napply_threshold = 1.01\n",
                              encoding="utf-8")
    recs = [{"id": "a", "text": "The rector spoke of the needs of the parish and of the school."},
            {"id": "b", "text": "The vicar spoke of the lnost urgent needs of the parish and the poor."}]
    Path("r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = _run("clean", "r.jsonl", "--out", "out", "--db", "q.sqlite", "--config", "c.toml")
    assert res.exit_code == 0, res.output
    with open(workdir / "out" / "r.ledger.jsonl", encoding="utf-8") as fh:
        _, ledgers = read_ledger(fh)
    queued = {e.id for e in ledgers[1] if e.status == "queued" and e.before == "lnost"}
    assert queued
    store = ReviewStore(workdir / "q.sqlite")
    assert queued <= store.ids_of("r#1")
    assert not store.ids_of("r") and not store.ids_of("r#0")
    # --no-review queues nothing and opens no database
    res = _run("clean", "r.jsonl", "--out", "out2", "--db", "q2.sqlite", "--config", "c.toml", "--no-review")
    assert res.exit_code == 0 and not (workdir / "q2.sqlite").exists()


def test_clean_texts_takes_a_review_port():
    from ocr_clean.batch import DecisionMap
    from ocr_clean.config import Config
    from ocr_clean.pipeline import clean_texts

    cfg = Config.from_dict({"stages": {"confusion": {"apply_threshold": 1.01}, "words": {"apply_threshold": 1.01}}})
    texts = ["The rector spoke of the needs of the parish and of the school.",
             "The vicar spoke of the lnost urgent needs of the parish and the poor."]
    port = DecisionMap()
    done = clean_texts(texts, config=cfg, names=["a", "b"], review=port)
    assert "lnost" in done[1].text and not port.by_doc.get("a")
    assert [e.id for e in port.by_doc["b"]] == [e.id for e in done[1].for_review]
    fix = next(e for e in port.by_doc["b"] if e.before == "lnost")
    # a person's decision reaches the next clean through the same port
    again = clean_texts(texts, config=cfg, names=["a", "b"], review=DecisionMap({fix.id: ("accepted", "most")}))
    assert "the most urgent needs" in again[1].text


def test_apply_and_explain_on_other_formats_say_what_to_do_and_a_clean_applies_the_decisions(workdir):
    from ocr_clean.review import ReviewStore

    Path("c.toml").write_text("[stages.confusion]\napply_threshold = 1.01\n[stages.words]\napply_threshold = 1.01\n",
                              encoding="utf-8")
    Path("r.jsonl").write_text(json.dumps({"text": "The vicar spoke of the lnost urgent needs of the parish."})
                               + "\n", encoding="utf-8")
    shutil.copy(DATA / "page-alto4.xml", "page-alto4.xml")
    res = _run("clean", "r.jsonl", "page-alto4.xml", "--out", "out", "--db", "q.sqlite", "--config", "c.toml")
    assert res.exit_code == 0, res.output
    res = _run("apply", "out", "--db", "q.sqlite")
    assert res.exit_code == 1
    assert "r.ledger.jsonl: a JSONL output; 'apply' reads plain-text outputs only: clean" in res.stderr
    assert "page-alto4.ledger.jsonl: an ALTO output; 'apply'" in res.stderr
    assert "changed since it was cleaned" not in res.stderr
    for out in ("out/r.jsonl", "out/page-alto4.xml"):
        res = _run("explain", out, "1")
        assert res.exit_code == 2 and "'explain' reads plain-text outputs only" in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1
    # what the error says to do: a person's decision goes into the record on the next clean
    store = ReviewStore(workdir / "q.sqlite")
    (item,) = [i for i in store.ids_of("r#0")]
    store.decide(item, "accepted")
    store.close()
    res = _run("clean", "r.jsonl", "--out", "out", "--db", "q.sqlite", "--config", "c.toml")
    assert res.exit_code == 0, res.output
    assert "the most urgent needs" in json.loads(Path("out/r.jsonl").read_text(encoding="utf-8"))["text"]

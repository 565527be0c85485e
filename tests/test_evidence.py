"""Evidence, not just a note: the factors and counts of each decision are recorded on the edit,
kept through the ledger, the document and the review store, and printed by 'explain'."""
from __future__ import annotations

import json
import math
import sqlite3

import pytest
from typer.testing import CliRunner

from ocr_clean import clean_text
from ocr_clean.cli import app
from ocr_clean.document import Document
from ocr_clean.explain import edit_text, evidence_text
from ocr_clean.ledger import QUEUED, Edit, Ledger, replay
from ocr_clean.review import ReviewStore

from .conftest import raw_lines

runner = CliRunner()


@pytest.fixture(scope="module")
def preface():
    """The real Preface (raw lines 1-125) cleaned by the whole pipeline."""
    raw = raw_lines(1, 125)
    return raw, clean_text(raw)


def _edit(result, stage, before):
    return next(e for e in result.edits if e.stage == stage and e.before == before)


def test_the_ledger_keeps_evidence_and_leaves_it_out_when_empty():
    doc = Document(raw="frOln tbe\n")
    e = Edit(0, 5, "from", "glyph", 0.99, evidence={"channel": 0.3, "book": 12, "case_only": True})
    plain = Edit(6, 9, "the", "glyph", 0.99)
    doc.apply("confusion", [e, plain])
    assert "evidence" not in plain.to_dict(compact=True)
    back = list(Ledger.load_jsonl(doc.ledger.to_jsonl().splitlines()))
    assert back[0].evidence == {"channel": 0.3, "book": 12, "case_only": True}
    assert back[1].evidence == {}
    assert Edit.from_dict(e.to_dict()).evidence == e.evidence


def test_apply_and_rebuild_keep_evidence(preface):
    raw, res = preface
    doc = Document.rebuild(raw, res.ledger)
    assert doc.text == res.text
    before = [(e.id, e.evidence, e.note) for e in res.ledger]
    after = [(e.id, e.evidence, e.note) for e in doc.ledger]
    assert before == after
    assert any(ev for _, ev, _ in after)
    assert replay(raw, res.ledger) == res.text


def test_confusion_records_each_factor_of_its_score(preface):
    """frOln -> from: the confidence is the product of the recorded factors over itself plus
    the odds of keeping the form and of the other readings."""
    _, res = preface
    e = _edit(res, "confusion", "frOln")
    ev = e.evidence
    assert e.after == "from" and e.note == "ln>m"
    for key in ("channel", "freq", "context", "score", "keep", "others", "form_uses"):
        assert key in ev
    assert ev["case"] == 0.5                   # one capital inside a lower-case word
    product = ev["channel"] * ev.get("profile", 1) * ev.get("case", 1) * ev.get("name", 1) \
        * ev["freq"] * ev["context"]
    assert math.isclose(product, ev["score"], rel_tol=5e-3)
    conf = ev["score"] / (ev["score"] + ev["keep"] + ev["others"]) * ev.get("mark", 1)
    assert math.isclose(conf, e.confidence, rel_tol=1e-3)


def test_dehyphenate_records_the_book_counts(preface):
    _, res = preface
    e = _edit(res, "dehyphenate", "revo\nlutionary")
    assert e.after == "revolutionary"
    assert e.evidence["book_joined"] >= 1 and e.evidence["book_hyphenated"] == 0
    # a plain line join decides nothing: no evidence
    assert not _edit(res, "dehyphenate", " \n").evidence


def test_explain_prints_rule_and_evidence_in_one_line(preface):
    _, res = preface
    line = edit_text(_edit(res, "confusion", "frOln"))
    assert "\n" not in line
    assert line.startswith("6:54 confusion:glyph 'frOln' -> 'from' ")
    assert "(ln>m); evidence: channel=0.3 " in line and " case=0.5 " in line
    assert evidence_text({"zipf": 2.0, "seen": False}) == "zipf=2 seen=no"


def test_cli_explain_shows_the_evidence(workdir):
    (workdir / "p.txt").write_text(raw_lines(1, 125), encoding="utf-8")
    res = runner.invoke(app, ["clean", "p.txt", "--out", "o", "--no-review"])
    assert res.exit_code == 0, res.output
    cleaned = (workdir / "o" / "p.txt").read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(cleaned, 1) if line.startswith("Leon Trotsky lived in Turkey"))
    res = runner.invoke(app, ["explain", "o/p.txt", str(n)])
    assert res.exit_code == 0, res.output
    lines = [x for x in res.output.splitlines() if "confusion:glyph 'frOln' -> 'from'" in x]
    assert len(lines) == 1 and "evidence: channel=" in lines[0] and "freq=" in lines[0]
    lines = [x for x in res.output.splitlines() if "'revo\\nlutionary' -> 'revolutionary'" in x]
    assert len(lines) == 1 and "book_joined=" in lines[0]


def test_the_review_store_keeps_evidence(tmp_path):
    raw = raw_lines(6, 6)
    doc = Document(raw=raw, name="p")
    start = raw.index("frOln")
    doc.apply("confusion", [Edit(start, start + 5, "from", "glyph", 0.7, QUEUED, ("from",),
                                 evidence={"channel": 0.3, "freq": 960.5})])
    path = tmp_path / "review.sqlite"
    with ReviewStore(path) as store:
        assert store.submit("p", list(doc.ledger)) == 1
    with ReviewStore(path) as store:
        (item,) = store.items()
        assert item.evidence == {"channel": 0.3, "freq": 960.5}
        assert item.to_dict()["evidence"] == {"channel": 0.3, "freq": 960.5}


def test_a_queue_of_schema_1_is_upgraded_and_keeps_its_items(tmp_path):
    path = tmp_path / "old.sqlite"
    with ReviewStore(path) as store:
        doc = Document(raw="the lnost decisive\n", name="d")
        doc.apply("confusion", [Edit(4, 9, "most", "glyph", 0.7, QUEUED, ("most",))])
        store.submit("d", list(doc.ledger))
    con = sqlite3.connect(path)             # make it the file an older ocr_clean wrote
    con.execute("ALTER TABLE items DROP COLUMN evidence")
    con.execute("UPDATE schema_version SET version=1")
    con.commit()
    con.close()
    with ReviewStore(path) as store:
        assert store.schema_version == 3   # 3: items.run_status (issue 12.5)
        (item,) = store.items()
        assert item.before == "lnost" and item.evidence == {}
    con = sqlite3.connect(path)
    assert json.loads(con.execute("SELECT evidence FROM items").fetchone()[0]) == {}
    con.close()


def test_punctuation_records_what_decided_each_edit_and_explain_prints_it(preface):
    """1931 . -> 1931.: the mark and its confidence in the table; a misread or spaced quote:
    the support of the quotes around; every punctuation edit of the Preface has evidence."""
    _, res = preface
    punct = [e for e in res.edits if e.stage == "punctuation"]
    assert punct and all(e.evidence for e in punct)
    e = next(e for e in punct if e.rule == "space-before-punct" and e.before == " " and e.evidence.get("mark") == ".")
    assert e.evidence["mark_confidence"] == e.confidence
    line = edit_text(e)
    assert "\n" not in line and " punctuation:space-before-punct ' ' -> '' " in line
    assert "; evidence: mark=. mark_confidence=" in line
    quotes = [e for e in punct if e.rule in ("quote-space", "quote-glyph")]
    assert quotes and all(any("support" in k for k in e.evidence) for e in quotes)


def test_every_confusion_edit_has_evidence_the_suffix_case_and_too_long_ones_too(preface):
    _, res = preface
    conf = [e for e in res.edits if e.stage == "confusion"]
    assert conf and all(e.evidence for e in conf)
    long_token = "ab" * 40
    res = clean_text(f"the view of Trotsky'S party and {long_token} there.\n", skip=["words"])
    case = next(e for e in res.edits if e.stage == "confusion" and e.rule == "case")
    assert case.after == "'s" and case.evidence == {"suffix": "'S"}
    far = next(e for e in res.edits if e.rule == "too-long")
    assert far.evidence == {"characters": 80, "max_token": 64}
    assert "evidence: characters=80 max_token=64" in edit_text(far)

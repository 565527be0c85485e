"""The review store: a real SQLite queue filled by the real pipeline over real scan lines."""
from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest

from ocr_clean import Config, Pipeline
from ocr_clean.batch import clean_paths
from ocr_clean.document import Document
from ocr_clean.ledger import ACCEPTED, EDITED, IN_OUTPUT, QUEUED, REJECTED, Edit, read_ledger, replay
from ocr_clean.review import ReviewStore, StoreError, apply_dir
from ocr_clean.review.apply import ApplyError, apply_decisions, attach_sources

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw" / "writings-1930-31.txt"
# Real scan lines with glyph errors ("m" read as "ln" / "1l1"); "frOln" five times.
GLYPH_LINES = [6, 18, 23, 399, 5274, 6019, 6785, 13974]
GLYPH = re.compile(r"[A-Za-z0-9]*(?:ln|1l1)[A-Za-z]*")
# Settings that leave more fixes to a person, so a short excerpt fills a queue.
REVIEW_CONFIG = {"confusion": {"apply_threshold": 1.01}, "split_words": {"apply_margin": 1e9},
                 "words": {"apply_threshold": 1.01}}   # (nor does the words stage settle their questions)


@functools.lru_cache(maxsize=1)
def scan_lines() -> tuple[str, ...]:
    return tuple(RAW.read_text(encoding="utf-8").split("\n"))


def excerpt(n: int = 600) -> str:
    return "\n".join(scan_lines()[:n]) + "\n"


def glyph_raw() -> str:
    lines = scan_lines()
    return "\n".join(lines[n - 1] for n in GLYPH_LINES) + "\n"


def glyph_document(name: str = "glyphs") -> Document:
    """Queued edits on real scan lines, recorded by the real Document (no stage needed)."""
    raw = glyph_raw()
    doc = Document(raw=raw, name=name)
    edits = []
    for m in GLYPH.finditer(raw):
        fix = m.group().replace("1l1", "m").replace("ln", "m").replace("Ol", "o")
        fix = fix[0] + fix[1:].lower()
        rule = "digit-glyph" if "1" in m.group() else "glyph"
        edits.append(Edit(m.start(), m.end(), fix, rule, confidence=0.7, status=QUEUED,
                          candidates=(fix, fix.upper())))
    doc.apply("confusion", edits)
    return doc


def review_config() -> Config:
    return Config.from_dict({"stages": REVIEW_CONFIG})


def make_book(tmp_path: Path, n: int = 600) -> Path:
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir(exist_ok=True)
    path = raw_dir / "book.txt"
    path.write_text(excerpt(n), encoding="utf-8")
    return path


def clean_book(tmp_path: Path, store: ReviewStore, n: int = 600):
    src = make_book(tmp_path, n)
    reports = clean_paths([src], tmp_path / "cleaned", config=review_config(), review=store)
    assert not reports[0].error
    return reports[0]


@pytest.fixture
def store(tmp_path):
    s = ReviewStore(tmp_path / "q" / "review.sqlite", who="tester")
    yield s
    s.close()


@pytest.fixture
def glyph_store(store):
    doc = glyph_document()
    queued = [e for e in doc.ledger if e.status == QUEUED]
    assert store.submit("glyphs", queued) == len(queued) == 8
    return store


# -- the file ------------------------------------------------------------------------------
def test_the_database_is_wal_with_a_schema_version(glyph_store, tmp_path):
    path = tmp_path / "q" / "review.sqlite"
    assert path.is_file()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT version FROM schema_version").fetchone()[0] == 3
    assert con.execute("SELECT COUNT(*) FROM items WHERE status='open'").fetchone()[0] == 8
    con.close()


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("this is not sqlite " * 200)
    with pytest.raises(StoreError, match="not a review queue"):
        ReviewStore(bad)


def test_items_keep_what_a_person_needs(glyph_store):
    glyph_store.fill_raw_lines("glyphs", glyph_raw())
    items = glyph_store.items(status="open")
    lnost = next(i for i in items if i.before == "lnost")
    assert (lnost.suggestion, lnost.stage, lnost.rule, lnost.raw_line) == ("most", "confusion", "glyph", 3)
    assert lnost.ranked == ["most", "MOST"]
    assert "\u27e8lnost\u2192most\u27e9" in lnost.context
    assert lnost.raw_lines == scan_lines()[22]
    assert lnost.raw_col == scan_lines()[22].index("lnost") + 1
    assert lnost.confidence == pytest.approx(0.7)


# -- the pipeline's sink ---------------------------------------------------------------------
def test_real_pipeline_queues_and_decisions_apply_on_the_next_run(tmp_path):
    path = tmp_path / "review.sqlite"
    raw = excerpt(600)
    with ReviewStore(path, who="tester") as s1:
        res = Pipeline(review_config(), review=s1).run(raw, name="book")
        queued = res.queued
        assert len(queued) >= 5, "the stages queue nothing on this excerpt any more"
        assert s1.counts()["open"] == len({e.id for e in res.for_review})
        first, second = queued[0], queued[1]
        s1.decide(first.id, ACCEPTED)
        s1.decide(second.id, REJECTED)
    with ReviewStore(path, who="tester") as s2:          # a new process, the same file
        res2 = Pipeline(review_config(), review=s2).run(raw, name="book")
        by_id = {e.id: e for e in res2.edits}
        assert by_id[first.id].status == ACCEPTED and by_id[first.id].after == first.after
        assert by_id[second.id].status == REJECTED
        assert first.id not in {e.id for e in res2.queued}
        assert s2.get(first.id).status == ACCEPTED            # never reopened
        assert s2.counts()["open"] == len({e.id for e in res.for_review}) - 2
        # the decided text is in the output, the rejected raw text stays
        assert replay(raw, res2.ledger) == res2.text


def test_submit_twice_adds_nothing_and_never_reopens(glyph_store):
    doc = glyph_document()
    queued = [e for e in doc.ledger if e.status == QUEUED]
    glyph_store.decide(queued[0].id, REJECTED)
    assert glyph_store.submit("glyphs", queued) == 0
    assert glyph_store.get(queued[0].id).status == REJECTED
    assert glyph_store.counts() == {"open": 7, "accepted": 0, "rejected": 1, "edited": 0}


def test_decision_answers_by_id_and_protects_a_rejected_fix(glyph_store):
    item = next(i for i in glyph_store.items() if i.before == "frOln")
    glyph_store.decide(item.id, REJECTED)
    # a later run over the same lines: the rejected id is rejected, and the same fix
    # elsewhere is not asked again
    doc = Document(raw=glyph_raw(), name="glyphs")
    doc.decide = lambda e: glyph_store.decision("glyphs", e)
    fresh = glyph_document()
    doc.apply("confusion", [Edit(e.start, e.end, e.run_after, e.rule, e.confidence, QUEUED, e.candidates)
                            for e in fresh.ledger])
    st = {e.id: e.status for e in doc.ledger}
    assert st[item.id] == REJECTED
    frolns = [e for e in doc.ledger if e.before == "frOln"]
    assert len(frolns) == 5 and all(e.status == REJECTED for e in frolns)
    assert all(e.status == QUEUED for e in doc.ledger if e.before != "frOln")
    assert glyph_store.rejected_forms() == {"frOln"}


def test_decisions_for_is_a_plain_dict(glyph_store):
    items = glyph_store.items()
    glyph_store.decide(items[0].id, ACCEPTED)
    glyph_store.decide(items[1].id, EDITED, "Hand typed")
    glyph_store.decide(items[2].id, REJECTED)
    d = glyph_store.decisions_for("glyphs")
    assert d == {items[0].id: (ACCEPTED, items[0].suggestion), items[1].id: (EDITED, "Hand typed"),
                 items[2].id: (REJECTED, items[2].suggestion)}
    json.dumps(d)   # crosses to worker processes as plain data
    assert glyph_store.decisions_for("another") == {}


def test_accepted_fixes_teach_words_and_pairs(glyph_store):
    lnost = next(i for i in glyph_store.items() if i.before == "lnost")
    some = next(i for i in glyph_store.items() if i.before == "sometilnes")
    glyph_store.decide(lnost.id, ACCEPTED)
    glyph_store.decide(some.id, EDITED, "sometimes")      # the same as the suggestion: accepted
    assert glyph_store.get(some.id).status == ACCEPTED
    assert glyph_store.learned_words() == {"most", "sometimes"}
    assert glyph_store.learned_pairs() == [("lnost", "most"), ("sometilnes", "sometimes")]
    assert glyph_store.rejected_forms() == set()
    # the pipeline takes them: learned words join the lexicon, rejections are protected
    pipe = Pipeline(review_config(), review=glyph_store)
    assert pipe.lexicon.is_english("sometimes") and "most" in pipe.lexicon.user_words


def test_typing_the_raw_text_back_is_a_rejection(glyph_store):
    it = glyph_store.items()[0]
    assert glyph_store.decide(it.id, EDITED, it.before).status == REJECTED


def test_undo_takes_back_the_last_decision_or_group(glyph_store):
    lnost = next(i for i in glyph_store.items() if i.before == "lnost")
    froln = next(i for i in glyph_store.items() if i.before == "frOln")
    glyph_store.decide(lnost.id, ACCEPTED)
    group = glyph_store.decide_alike(froln.id, ACCEPTED)
    assert len(group) == 5 and glyph_store.counts()["accepted"] == 6
    undone = glyph_store.undo()
    assert {i.id for i in undone} == {i.id for i in group}
    assert all(i.status == "open" for i in undone)
    assert glyph_store.get(lnost.id).status == ACCEPTED
    assert [i.id for i in glyph_store.undo()] == [lnost.id]
    assert glyph_store.undo() == []
    assert glyph_store.counts()["open"] == 8
    log = glyph_store.history(lnost.id)
    assert log[0]["who"] == "tester" and log[0]["undone"] == 1


def test_bad_decisions_are_refused(glyph_store):
    it = glyph_store.items()[0]
    with pytest.raises(StoreError, match="unknown decision"):
        glyph_store.decide(it.id, "maybe")
    with pytest.raises(StoreError, match="needs the text"):
        glyph_store.decide(it.id, EDITED)
    with pytest.raises(StoreError, match="no queued item"):
        glyph_store.decide("feedfacefeedface", ACCEPTED)
    with pytest.raises(StoreError, match="unknown status"):
        glyph_store.items(status="pending")


def test_export_import_brings_decisions_back(glyph_store, tmp_path):
    import io

    buf = io.StringIO()
    assert glyph_store.export_jsonl(buf) == 8
    with ReviewStore(tmp_path / "elsewhere.sqlite", who="colleague") as other:
        assert other.import_jsonl(buf.getvalue().splitlines())["added"] == 8
        for it in other.items():
            other.decide(it.id, REJECTED if it.before == "frOln" else ACCEPTED)
        out = io.StringIO()
        other.export_jsonl(out, status="decided")
    local = next(i for i in glyph_store.items() if i.before == "lnost")
    glyph_store.decide(local.id, EDITED, "most!")
    counts = glyph_store.import_jsonl(out.getvalue().splitlines())
    assert counts == {"added": 0, "decided": 7, "kept": 1, "same": 0}
    assert glyph_store.get(local.id).decision == "most!"         # a local decision stays
    assert glyph_store.counts() == {"open": 0, "accepted": 2, "rejected": 5, "edited": 1}
    assert {i.who for i in glyph_store.items(status="rejected")} == {"colleague"}
    glyph_store.import_jsonl(out.getvalue().splitlines(), overwrite=True)
    assert glyph_store.get(local.id).status == ACCEPTED
    with pytest.raises(StoreError, match="line 1"):
        glyph_store.import_jsonl(["{not json"])


def test_stats_count_by_rule_and_stage(glyph_store):
    glyph_store.decide(glyph_store.items()[0].id, ACCEPTED)
    st = glyph_store.stats()
    assert st["total"]["open"] == 7 and st["total"]["decided"] == 1
    assert st["by_rule"]["confusion:glyph"]["accepted"] == 1
    assert st["by_stage"]["confusion"]["open"] == 7


# -- apply: decisions into cleaned outputs without running the stages --------------------------
def test_apply_rewrites_text_and_ledger_from_the_decisions(tmp_path, store):
    rep = clean_book(tmp_path, store)
    out_txt = tmp_path / "cleaned" / "book.txt"
    out_led = tmp_path / "cleaned" / "book.ledger.jsonl"
    before_text = out_txt.read_text(encoding="utf-8")
    items = store.items(status="open")
    assert len(items) == rep.to_review and rep.queued >= 5
    acc, rej, edt = items[0], items[1], items[2]
    store.decide(acc.id, ACCEPTED)
    store.decide(rej.id, REJECTED)
    store.decide(edt.id, EDITED, "EDITED-BY-HAND")
    reports = apply_dir(tmp_path / "cleaned", store)
    assert [(r.error, r.decided, r.changed, r.written) for r in reports] == [(None, 3, 3, True)]
    text = out_txt.read_text(encoding="utf-8")
    ledger = read_ledger(out_led)
    raw = (tmp_path / "raw" / "book.txt").read_text(encoding="utf-8")
    assert replay(raw, ledger) == text                  # the rewritten ledger explains the text
    assert "EDITED-BY-HAND" in text and "EDITED-BY-HAND" not in before_text
    st = {e.id: (e.status, e.after) for e in ledger}
    assert st[acc.id] == (ACCEPTED, acc.suggestion)
    assert st[rej.id][0] == REJECTED and st[edt.id] == (EDITED, "EDITED-BY-HAND")
    assert len(text) - len(before_text) == (len(acc.suggestion) - len(acc.before)
                                            + len("EDITED-BY-HAND") - len(edt.before))
    # again: nothing changes; after an undo the edit is queued again
    assert apply_dir(tmp_path / "cleaned", store)[0].written is False
    store.undo()
    assert apply_dir(tmp_path / "cleaned", store)[0].changed == 1
    assert "EDITED-BY-HAND" not in out_txt.read_text(encoding="utf-8")
    assert {e.id: e.status for e in read_ledger(out_led)}[edt.id] == QUEUED


def test_apply_refuses_a_changed_or_missing_raw_text(tmp_path, store):
    clean_book(tmp_path, store, n=200)
    src = tmp_path / "raw" / "book.txt"
    src.write_text(src.read_text(encoding="utf-8") + "one more line\n", encoding="utf-8")
    rep = apply_dir(tmp_path / "cleaned", store)[0]
    assert rep.error and "changed since it was cleaned" in rep.error and not rep.written
    src.unlink()
    rep = apply_dir(tmp_path / "cleaned", store)[0]
    assert rep.error and "not found" in rep.error and "--raw" in rep.error
    with pytest.raises(ApplyError, match="no such folder"):
        apply_dir(tmp_path / "nowhere", store)


def test_apply_decisions_sets_statuses_and_replays():
    doc = glyph_document()
    ids = [e.id for e in doc.ledger]
    decisions = {ids[0]: (ACCEPTED, "from"), ids[2]: (REJECTED, "most"), ids[3]: (EDITED, "some times")}
    text, ledger, counts = apply_decisions(doc.raw, doc.ledger, decisions)
    assert counts == {"decided": 3, "changed": 3}
    assert text.count("from") == 1 and "some times" in text and "lnost" in text
    assert replay(doc.raw, ledger) == text
    assert replay(doc.raw, ledger, lambda e: False) == doc.raw
    assert [e.status for e in ledger if e.status in IN_OUTPUT] == [ACCEPTED, EDITED]


def test_raw_lines_come_from_the_ledger_header(tmp_path):
    with ReviewStore(tmp_path / "r.sqlite") as s:
        clean_book(tmp_path, s, n=400)
        assert all(i.raw_lines == "" for i in s.items())
        assert attach_sources(s, tmp_path / "cleaned") == 1
        lines = scan_lines()
        for it in s.items():
            assert it.raw_lines == "\n".join(lines[it.raw_line - 1:it.raw_line_end])
            assert it.before.split()[0][:3] in it.raw_lines
        src = s.docs()["book"]
        assert src["source"] == str((tmp_path / "raw" / "book.txt").resolve())
        assert src["raw_sha256"] == hashlib.sha256(excerpt(400).encode()).hexdigest()


def test_apply_takes_back_a_decision_the_last_clean_carried(tmp_path, store):
    clean_book(tmp_path, store)
    out_txt = tmp_path / "cleaned" / "book.txt"
    first = out_txt.read_text(encoding="utf-8")
    it = store.items(status="open")[0]
    store.decide(it.id, EDITED, "XYZZY")
    clean_book(tmp_path, store)                     # the clean itself carries the decision
    assert "XYZZY" in out_txt.read_text(encoding="utf-8")
    store.undo()
    rep = apply_dir(tmp_path / "cleaned", store)[0]
    assert (rep.error, rep.changed, rep.written) == (None, 1, True)
    text = out_txt.read_text(encoding="utf-8")
    assert text == first
    ledger = read_ledger(tmp_path / "cleaned" / "book.ledger.jsonl")
    e = next(e for e in ledger if e.id == it.id)
    assert (e.status, e.after, e.run_status, e.run_after) == (QUEUED, it.suggestion, EDITED, "XYZZY")
    assert replay(excerpt(600), ledger) == text


# -- the review port: decisions, submit, lessons ---------------------------------------------
def test_the_store_answers_the_port_with_its_lessons(glyph_store):
    from ocr_clean.review_port import Lessons

    items = {i.before: i for i in glyph_store.items()}
    glyph_store.decide(items["lnost"].id, ACCEPTED)
    glyph_store.decide(items["sometilnes"].id, ACCEPTED)
    glyph_store.decide(items["develop1l1ents"].id, REJECTED)
    lessons = glyph_store.lessons()
    assert lessons == Lessons(("most", "sometimes"), ("develop1l1ents",),
                              (("lnost", "most"), ("sometilnes", "sometimes")), (("develop1l1ents", "developments"),))
    assert Lessons.of(glyph_store) == lessons and Lessons.of(None) == Lessons() and Lessons().key() == ""
    # the pipeline reads them from the port and hands them to the stages as evidence
    # (the lexicon), never by rewriting a stage's settings
    pipe = Pipeline(review_config(), review=glyph_store)
    assert pipe.lessons == lessons
    assert pipe.lexicon.learned_pairs == lessons.pairs and "develop1l1ents" in pipe.lexicon.protected
    confusion = next(s for s in pipe.stages if s.name == "confusion")
    assert confusion.config["learned_pairs"] == ()
    # the same lessons given as data (a batch worker) clean the same text as the store itself
    raw = glyph_raw()
    by_store = Pipeline(review_config(), lessons=lessons).run(raw, name="x")
    assert by_store.text == pipe.run(raw, name="x").text


def test_a_run_submits_once_through_the_port(glyph_store):
    from ocr_clean.batch import DecisionMap

    sink = DecisionMap({}, [("probleln", "problem")])
    assert sink.lessons().rejected_pairs == (("probleln", "problem"),)
    pipe = Pipeline(review_config())
    pipe.review = sink
    res = pipe.run(excerpt(120), name="book")
    assert sink.submitted and [e.id for e in sink.submitted] == [e.id for e in res.for_review]

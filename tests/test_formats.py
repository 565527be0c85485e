"""ALTO, hOCR, PAGE XML, JSONL, page folders and stdin: read, clean, write back, read again.

The samples in tests/data were written by hand after the published schemas (ALTO 4, hOCR 1.2,
PAGE 2019-07-15): a page whose OCR split "organ" ("orga n"), detached punctuation from its
word ("church ,") and hyphenated "ex-/plained" at a line end (ALTO: HYP + SUBS_CONTENT).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from ocr_clean import Edit, replay
from ocr_clean.cli import app
from ocr_clean.document import Document
from ocr_clean.formats import detect, identity_map, project
from ocr_clean.formats.jsonl import read_ledger
from ocr_clean.formats.run import READERS, WRITERS
from ocr_clean.io import InputError
from ocr_clean.pipeline import Pipeline

DATA = Path(__file__).parent / "data"
SAMPLES = {"alto": DATA / "page-alto4.xml", "hocr": DATA / "page-hocr.hocr", "page": DATA / "page-page2019.xml"}
runner = CliRunner()


# -- what a word is and where its box is, per format, read straight from the tree ------------

def _words(fmt: str, data: bytes) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
    """id -> (text, box x0 y0 x1 y1) of every word of the file."""
    parsed = READERS[fmt](data, "t")
    out = {}
    for u in parsed.units:
        el = u.elem
        if fmt == "alto":
            x, y, w, h = (float(el.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
            out[el.get("ID")] = (el.get("CONTENT"), (x, y, x + w, y + h))
        elif fmt == "hocr":
            box = tuple(float(v) for v in re.search(r"bbox (\S+) (\S+) (\S+) (\S+?)(?:;|$)", el.get("title")).groups())
            out[el.get("id")] = ("".join(el.itertext()), box)
        else:
            ns = el.tag.split("}")[0] + "}"
            pts = [tuple(map(float, p.split(","))) for p in el.find(ns + "Coords").get("points").split()]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            out[el.get("id")] = (el.find(f"{ns}TextEquiv/{ns}Unicode").text, (min(xs), min(ys), max(xs), max(ys)))
    return out


def _by_text(words: dict) -> dict[str, list]:
    d: dict[str, list] = {}
    for ident, (text, box) in words.items():
        d.setdefault(text, []).append((ident, box))
    return d


def _union(*boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _clean(args, **kw):
    return runner.invoke(app, ["clean", *args, "--no-review"], catch_exceptions=False, **kw)


# -- detection ---------------------------------------------------------------------------------

def test_the_format_is_detected_from_the_content_not_the_name(tmp_path):
    for fmt, path in SAMPLES.items():
        renamed = tmp_path / f"{fmt}.dat"
        shutil.copy(path, renamed)
        assert detect(renamed.read_bytes(), str(renamed)) == fmt
    assert detect((DATA / "records.jsonl").read_bytes()) == "jsonl"
    assert detect((DATA / "book-pages" / "0001.txt").read_bytes()) == "txt"
    with pytest.raises(InputError, match="root <svg> is not ALTO, hOCR or PAGE XML"):
        detect(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "x.xml")


# -- undo all gives the input back ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_undoing_every_edit_gives_the_input_file_back(fmt):
    data = SAMPLES[fmt].read_bytes()
    parsed = READERS[fmt](data, "t")
    result = Pipeline().run(parsed.text)
    assert len(result.ledger) > 0 and result.text != parsed.text
    undone = replay(parsed.text, result.ledger, include=lambda e: False)
    assert undone == parsed.text
    again = READERS[fmt](data, "t")
    out, changed = WRITERS[fmt](again, project(again, undone, identity_map(undone)), {"version": "x"})
    assert changed == 0
    assert out == data                                        # byte for byte
    assert etree.tostring(etree.fromstring(out), method="c14n") == etree.tostring(etree.fromstring(data), method="c14n")


# -- parse -> clean -> write -> parse ------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_round_trip_gives_the_corrected_words_with_the_original_boxes(fmt, workdir):
    src = workdir / SAMPLES[fmt].name
    shutil.copy(SAMPLES[fmt], src)
    res = _clean([str(src), "--out", "out"])
    assert res.exit_code == 0, res.output
    out_path = workdir / "out" / src.name
    assert src.read_bytes() == SAMPLES[fmt].read_bytes()      # the input is never touched
    before, after = _words(fmt, src.read_bytes()), _words(fmt, out_path.read_bytes())
    b, a = _by_text(before), _by_text(after)
    # joined words: one word with the union of the boxes, the others gone
    assert "orga" not in a and "n" not in a and "," not in a
    (ident, box), = a["organ"]
    assert box == _union(b["orga"][0][1], b["n"][0][1]) and ident == b["orga"][0][0]
    assert a["church,"][0][1] == _union(b["church"][0][1], b[","][0][1])
    assert a["insufficient;"][0][1] == _union(b["insufficient"][0][1], b[";"][0][1])
    # every other word keeps its text and box
    gone = {i for t in ("orga", "n", ",", "church", "insufficient", ";") for i, _ in b[t]}
    for ident, (text, box) in before.items():
        if ident not in gone:
            assert after[ident] == (text, box), ident
    root_in, root_out = etree.fromstring(src.read_bytes()), etree.fromstring(out_path.read_bytes())
    assert root_out.tag == root_in.tag and root_out.nsmap == root_in.nsmap
    # the processing step is recorded where the format keeps it
    text = out_path.read_text(encoding="utf-8")
    marker = {"alto": "<softwareName>ocr-clean</softwareName>", "hocr": 'name="ocr-correction-system"',
              "page": 'type="processingStep" name="ocr-clean"'}[fmt]
    assert marker in text and marker not in src.read_text(encoding="utf-8")
    # the ledger header lists each change of the file, by element id
    header = json.loads((workdir / "out" / f"{src.stem}.ledger.jsonl").read_text().split("\n")[0])["header"]
    assert header["format"] == fmt
    ops = {(c["op"], tuple(c["before"]), tuple(c["after"])) for c in header["layout"]}
    assert ("replace", ("orga", "n"), ("organ",)) in ops


def test_alto_hyphenated_pair_stays_consistent(workdir):
    res = _clean([str(SAMPLES["alto"]), "--out", "out"])
    assert res.exit_code == 0, res.output
    root = etree.parse(str(workdir / "out" / SAMPLES["alto"].name)).getroot()
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    first, = root.xpath("//a:String[@SUBS_TYPE='HypPart1']", namespaces=ns)
    second, = root.xpath("//a:String[@SUBS_TYPE='HypPart2']", namespaces=ns)
    assert (first.get("CONTENT"), second.get("CONTENT")) == ("ex", "plained")
    assert first.get("SUBS_CONTENT") == second.get("SUBS_CONTENT") == "explained"
    assert first.getnext().tag == "{http://www.loc.gov/standards/alto/ns-v4#}HYP"
    # ALTO 4: a Processing element in the Description, after the engine's
    procs = root.xpath("a:Description/a:Processing", namespaces=ns)
    assert [p.get("ID") for p in procs][0] == "OCR_0" and len(procs) == 2


def test_a_hyphenated_pair_whose_letters_change_gets_parts_and_subs_content():
    data = SAMPLES["alto"].read_bytes()
    parsed = READERS["alto"](data, "t")
    doc = Document(parsed.text)
    i = parsed.text.index("ex-\nplained")
    doc.apply("test", [Edit(i, i + len("ex-\nplained"), "explaimed", "join")])
    out, _ = WRITERS["alto"](parsed, project(parsed, doc.text, doc.offset_map()), {"version": "x"})
    words = _by_text(_words("alto", out))
    assert "ex" in words and "plaimed" in words
    root = etree.fromstring(out)
    subs = {el.get("SUBS_CONTENT") for el in root.iter() if el.get("SUBS_TYPE")}
    assert subs == {"explaimed"}


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_a_split_word_gets_its_box_cut_in_proportion(fmt):
    data = SAMPLES[fmt].read_bytes()
    parsed = READERS[fmt](data, "t")
    doc = Document(parsed.text)
    i = parsed.text.index("Committee")
    doc.apply("test", [Edit(i, i + 9, "Commit tee", "split"),
                       Edit(parsed.text.index("Monday"), parsed.text.index("Monday") + 6, "Tuesday", "fix")])
    changes = project(parsed, doc.text, doc.offset_map())
    assert [c.op for c in changes] == ["replace", "change"]
    out, changed = WRITERS[fmt](parsed, changes, {"version": "x"})
    assert changed >= 3
    before, after = _by_text(_words(fmt, data)), _by_text(_words(fmt, out))
    (id0, box0), = before["Committee"]
    (id1, box1), (id2, box2) = after["Commit"][0], after["tee"][0]
    assert id1 == id0 and id2 != id0 and id2 not in {i for v in before.values() for i, _ in v}
    assert (box1[0], box2[2]) == (box0[0], box0[2]) and box1[1:4:2] == box0[1:4:2] == box2[1:4:2]
    assert box0[0] < box1[2] < box2[0] < box0[2]
    w = box0[2] - box0[0]     # 6 letters + a space + 3 letters: the cut falls at 6/10 and 7/10
    assert abs((box1[2] - box0[0]) - w * 6 / 10) <= 1 and abs((box2[0] - box0[0]) - w * 7 / 10) <= 1
    assert after["Tuesday"][0][1] == before["Monday"][0][1]
    if fmt == "page":   # the line's own text follows its words
        assert "The Commit tee of the Parish met on Tuesday" in out.decode()


# -- the evidence kept for the error model and the ledger -----------------------------------------

def test_confidences_and_the_words_each_edit_touched():
    for fmt, path in SAMPLES.items():
        parsed = READERS[fmt](path.read_bytes(), "t")
        spans = parsed.confidences
        assert len(spans) == len(parsed.units)
        i = parsed.text.index("orga n")
        assert (i, i + 4, 0.52) in spans and (i + 5, i + 6, 0.30) in spans
        result = Pipeline().run(parsed.text)
        edit, = [e for e in result.ledger if e.rule == "split-word"]
        touched = [parsed.unit_text(u) for u in parsed.units_at(edit.raw_start, edit.raw_end)]
        assert touched == ["orga", "n"], fmt


def test_page_reading_order_and_lines_without_words():
    parsed = READERS["page"](SAMPLES["page"].read_bytes(), "t")
    assert parsed.text.startswith("The Committee") and parsed.text.rstrip().endswith("Signed Secretary.")
    # a PAGE file with line text only: each line is one unit
    data = re.sub(rb"\s*<Word id=.*?</Word>", b"", SAMPLES["page"].read_bytes(), flags=re.S)
    assert b"<Word" not in data
    lines = READERS["page"](data, "t")
    assert len(lines.units) == 6 and lines.text == parsed.text
    result = Pipeline().run(lines.text)
    out, _ = WRITERS["page"](lines, project(lines, result.text, result.document.offset_map()), {"version": "x"})
    assert b"<Unicode>organ was discussed at some length. The rector ex-</Unicode>" in out


def test_alto_v2_gets_a_post_processing_step():
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">'
            b'<Description><MeasurementUnit>pixel</MeasurementUnit><OCRProcessing ID="P1"><ocrProcessingStep>'
            b'<processingSoftware><softwareName>old</softwareName></processingSoftware></ocrProcessingStep>'
            b'</OCRProcessing></Description><Layout><Page ID="p1"><PrintSpace><TextBlock ID="b1"><TextLine ID="l1">'
            b'<String ID="s1" CONTENT="the" HPOS="0" VPOS="0" WIDTH="30" HEIGHT="10"/><SP/>'
            b'<String ID="s2" CONTENT="orga" HPOS="40" VPOS="0" WIDTH="40" HEIGHT="10"/><SP/>'
            b'<String ID="s3" CONTENT="n" HPOS="90" VPOS="0" WIDTH="10" HEIGHT="10"/><SP/>'
            b'<String ID="s4" CONTENT="played." HPOS="110" VPOS="0" WIDTH="70" HEIGHT="10"/>'
            b'</TextLine></TextBlock></PrintSpace></Page></Layout></alto>\n')
    parsed = READERS["alto"](data, "t")
    result = Pipeline().run(parsed.text)
    out, _ = WRITERS["alto"](parsed, project(parsed, result.text, result.document.offset_map()), {"version": "x"})
    root = etree.fromstring(out)
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v2#"}
    assert root.xpath("//a:String/@CONTENT", namespaces=ns) == ["the", "organ", "played."]
    assert root.xpath("//a:OCRProcessing/a:postProcessingStep//a:softwareName/text()", namespaces=ns) == ["ocr-clean"]
    assert root.xpath("//a:String[@ID='s2']/@WIDTH", namespaces=ns) == ["60"]   # 40..100


# -- JSONL -------------------------------------------------------------------------------------

def test_jsonl_records_keep_their_fields_order_and_get_the_cleaned_text(workdir):
    res = _clean([str(DATA / "records.jsonl"), "--format", "jsonl", "--text-field", "ocr.text",
                  "--out-field", "clean.text", "--out", "out"])
    assert res.exit_code == 0, res.output
    ins = [json.loads(x) for x in (DATA / "records.jsonl").read_text().splitlines()]
    outs = [json.loads(x) for x in (workdir / "out" / "records.jsonl").read_text().splitlines()]
    assert [o["id"] for o in outs] == [i["id"] for i in ins]
    for i, o in zip(ins, outs):
        assert o["meta"] == i["meta"] and o["ocr"] == i["ocr"]
    assert outs[0]["clean"]["text"].startswith("The rector explained that the funds were insufficient;")
    assert "new organ was" in outs[1]["clean"]["text"]
    assert outs[2]["clean"]["text"] == ""
    with open(workdir / "out" / "records.ledger.jsonl", encoding="utf-8") as fh:
        header, ledgers = read_ledger(fh)
    assert header["records"] == 3 and header["text_field"] == "ocr.text"
    assert set(ledgers) == {0, 1}
    assert replay(ins[0]["ocr"]["text"], ledgers[0], include=lambda e: e.in_output) == outs[0]["clean"]["text"]


def test_a_bad_jsonl_line_is_named(workdir):
    bad = workdir / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "broken"\n', encoding="utf-8")
    res = _clean([str(bad), "--out", "out"])
    assert res.exit_code == 1
    assert "bad.jsonl: line 2: not JSON" in res.stderr
    res = _clean([str(DATA / "records.jsonl"), "--format", "jsonl", "--out", "out"])
    assert res.exit_code == 1 and "line 1: no field 'text'" in res.stderr
    res = _clean([str(DATA / "records.jsonl"), "--format", "yaml"])
    assert res.exit_code == 2 and "unknown --format 'yaml'" in res.stderr


# -- stdin/stdout -------------------------------------------------------------------------------

def test_stdin_to_stdout_with_the_report_on_stderr(workdir):
    res = _clean(["-"], input="The rector ex-\nplained it .\n")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "The rector explained it.\n"
    assert "stdin (txt): 2 edits" in res.stderr
    assert list(workdir.iterdir()) == []           # no ledger unless asked
    res = _clean(["-", "--ledger", "l.jsonl"], input=SAMPLES["hocr"].read_text(encoding="utf-8"))
    assert res.exit_code == 0 and 'class="ocrx_word"' in res.stdout and ">organ<" in res.stdout
    assert json.loads((workdir / "l.jsonl").read_text().split("\n")[0])["header"]["format"] == "hocr"


# -- books as folders of pages -------------------------------------------------------------------

def test_a_folder_of_numbered_pages_is_one_book(workdir):
    shutil.copytree(DATA / "book-pages", "pages")
    res = _clean(["pages", "--out", "out"])
    assert res.exit_code == 0, res.output
    outs = sorted(p.name for p in (workdir / "out").iterdir())
    assert outs == ["0001.txt", "0002.txt", "0003.txt", "pages.ledger.jsonl"]
    p1, p2, p3 = ((workdir / "out" / n).read_text(encoding="utf-8") for n in outs[:3])
    assert p1.rstrip().endswith("read to the meeting")       # broken across pages, joined on the first
    assert p2.startswith("by the rector,")
    assert "PARISH RECORD" not in p1 + p2 + p3                  # the running heads, learned across pages
    assert p3.endswith("fabric of the church.\n")
    header = json.loads((workdir / "out" / "pages.ledger.jsonl").read_text().split("\n")[0])["header"]
    assert [p["name"] for p in header["pages"]] == ["0001.txt", "0002.txt", "0003.txt"]


def test_a_book_of_alto_pages_and_output_never_over_the_input(workdir):
    (workdir / "scans").mkdir()
    for n in (1, 2):
        shutil.copy(SAMPLES["alto"], workdir / "scans" / f"page_{n:03d}.xml")
    res = _clean(["scans", "--book", "--out", "out"])
    assert res.exit_code == 0, res.output
    for n in (1, 2):
        words = _by_text(_words("alto", (workdir / "out" / f"page_{n:03d}.xml").read_bytes()))
        assert "organ" in words and "orga" not in words
    res = _clean([str(workdir / "scans" / "page_001.xml"), "--out", "scans"])
    assert res.exit_code == 1 and "is the input" in res.stderr
    assert (workdir / "scans" / "page_001.xml").read_bytes() == SAMPLES["alto"].read_bytes()


def _alto_page(lines: list[str], page: int) -> bytes:
    """A small ALTO 4 page of these lines (one block), each word 10 px a character."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Description><MeasurementUnit>pixel'
           '</MeasurementUnit></Description><Layout><Page ID="P%d"><PrintSpace><TextBlock ID="P%d_B1">' % (page, page)]
    for li, line in enumerate(lines):
        x, items = 0, []
        for wi, w in enumerate(line.split()):
            items.append(f'<String ID="P{page}_L{li}_W{wi}" HPOS="{x}" VPOS="{li * 20}" WIDTH="{10 * len(w)}" '
                         f'HEIGHT="15" CONTENT="{w}"/>')
            x += 10 * len(w) + 10
        out.append(f'<TextLine ID="P{page}_L{li}">' + "<SP/>".join(items) + "</TextLine>")
    out.append("</TextBlock></PrintSpace></Page></Layout></alto>")
    return "\n".join(out).encode() + b"\n"


def test_a_book_of_alto_pages_keeps_running_heads_in_the_xml_and_joins_across_pages(workdir):
    (workdir / "scans").mkdir()
    pages = sorted((DATA / "book-pages").glob("*.txt"))
    for n, p in enumerate(pages, 1):
        (workdir / "scans" / f"{n:04d}.xml").write_bytes(_alto_page(p.read_text().splitlines(), n))
    res = _clean(["scans", "--out", "out"])          # numbered pages: a book without --book
    assert res.exit_code == 0, res.output
    header = json.loads((workdir / "out" / "scans.ledger.jsonl").read_text().split("\n")[0])["header"]
    kept = [c for c in header["layout"] if c["op"] == "kept"]
    assert len(kept) >= 9 and {c["ids"][0].split("#")[0] for c in kept} == {"0001.xml", "0002.xml", "0003.xml"}
    across, = [c for c in header["layout"] if c["op"] == "hyphen" and c["token"] == "meeting"]
    assert across["ids"] == ["0001.xml#P1_L3_W12", "0002.xml#P2_L1_W0"]
    for n in (1, 2, 3):
        out = (workdir / "out" / f"{n:04d}.xml").read_bytes()
        assert b'CONTENT="RECORD"' in out                           # the running head is printed: kept
        assert etree.fromstring(out).tag.endswith("alto")
    assert _words("alto", (workdir / "out" / "0001.xml").read_bytes())["P1_L3_W12"][0] == "meet-"


def test_offset_map_copied_segments_are_raw_text():
    raw = "The orga n was ex-\nplained here .\n"
    doc = Document(raw)
    doc.apply("a", [Edit(4, 10, "organ", "join"), Edit(15, 26, "explained", "dehyphen")])
    doc.apply("b", [Edit(doc.text.index(" ."), doc.text.index(" .") + 1, "", "punct")])
    omap = doc.offset_map()
    assert omap[0][0] == 0 and [s[0] for s in omap] == sorted(s[0] for s in omap)
    ends = [s[0] for s in omap[1:]] + [len(doc.text)]
    for (c0, r0, r1, copied), c1 in zip(omap, ends):
        if copied:
            assert doc.text[c0:c1] == raw[r0:r1]
    assert doc.text == "The organ was explained here.\n"
    assert project(READERS["hocr"](_html_hocr(), "t"), "x", identity_map("x")) is not None


def _html_hocr() -> bytes:
    return (b"<html><head><title>t</title><meta name='ocr-system' content='x'></head><body>"
            b"<div class='ocr_page' title='bbox 0 0 100 100'><p class='ocr_par'><span class='ocr_line'>"
            b"<span class='ocrx_word' title='bbox 0 0 40 10; x_wconf 80'>orga</span> "
            b"<span class='ocrx_word' title='bbox 45 0 55 10; x_wconf 40'>n</span> "
            b"<span class='ocrx_word' title='bbox 60 0 90 10'>played</span><br>"
            b"</span></p></div></body></html>")


def test_hocr_that_is_html_not_xhtml():
    parsed = READERS["hocr"](_html_hocr(), "t")
    assert parsed.text == "orga n played \n" and parsed.confidences == [(0, 4, 0.8), (5, 6, 0.4)]
    result = Pipeline().run(parsed.text)
    out, _ = WRITERS["hocr"](parsed, project(parsed, result.text, result.document.offset_map()), {"version": "x"})
    assert b"bbox 0 0 55 10; x_wconf 80'>organ</span>" in out.replace(b'"', b"'")
    assert b'name="ocr-correction-system"' in out


def test_the_format_options_given_again_to_finish_an_interrupted_batch():
    from ocr_clean.cli.formats_opts import as_args, format_options

    opts = format_options("jsonl", "ocr.text", "clean.text", True)
    assert as_args(opts) == ["--format", "jsonl", "--text-field", "ocr.text", "--out-field", "clean.text", "--book"]
    assert as_args(format_options(None, "text", None, False)) == []
    with pytest.raises(ValueError, match="dotted"):
        format_options(None, "ocr..text", None, False)


def test_a_folder_of_ocr_files_without_text_files(workdir):
    (workdir / "ocr").mkdir()
    shutil.copy(SAMPLES["alto"], workdir / "ocr" / "issue-a.xml")
    shutil.copy(SAMPLES["page"], workdir / "ocr" / "issue-b.xml")
    shutil.copy(SAMPLES["hocr"], workdir / "ocr" / "issue-c.hocr")
    res = _clean(["ocr", "--out", "out"])
    assert res.exit_code == 0, res.output
    for name, fmt in (("issue-a.xml", "alto"), ("issue-b.xml", "page"), ("issue-c.hocr", "hocr")):
        assert "organ" in _by_text(_words(fmt, (workdir / "out" / name).read_bytes())), name


def test_text_a_layout_edit_moved_stays_where_it_is_printed():
    from ocr_clean.formats.project import moved_points, removed_spans

    data = _alto_page(["The vestry of the", "* A note at the foot.", "church was full ."], 1)
    parsed = READERS["alto"](data, "t")
    text = parsed.text
    note = "* A note at the foot. \n"
    i = text.index(note)
    doc = Document(text)     # page_structure's footnote-move: the note goes after the paragraph
    doc.apply("page_structure", [Edit(i, i + len(note), "", "footnote-move"),
                                 Edit(len(text), len(text), "\n" + note.strip() + "\n", "footnote-move")])
    k = doc.text.index("full .")
    doc.apply("punctuation", [Edit(k + 4, k + 5, "", "space-before-punct")])
    changes = project(parsed, doc.text, doc.offset_map(), removed_spans(doc.ledger), moved_points(doc.ledger))
    kept = [parsed.unit_text(parsed.units[c.units[0]]) for c in changes if c.op == "kept"]
    assert kept == ["*", "A", "note", "at", "the", "foot."]
    assert [(c.op, c.before, c.texts) for c in changes if c.op != "kept"] == [("replace", ["full", "."], ["full."])]


def test_jsonl_group_by_cleans_each_group_as_one_collection(workdir):
    from ocr_clean.pipeline import clean_texts

    texts = ["The rector ex-\nplained it .", "The new orga n was played.", "Tbe vestry was full ;\nall sang.",
             "The churchwardens met on Monday last."]
    recs = [{"n": i, "paper": {"title": "A" if i % 2 else "B"}, "text": t} for i, t in enumerate(texts)]
    src = workdir / "papers.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = _clean([str(src), "--group-by", "paper.title", "--out", "out"])
    assert res.exit_code == 0, res.output
    outs = [json.loads(x) for x in (workdir / "out" / "papers.jsonl").read_text().splitlines()]
    assert [o["n"] for o in outs] == [0, 1, 2, 3]
    for group in ([0, 2], [1, 3]):
        want = [r.text for r in clean_texts([texts[i] for i in group])]
        assert [outs[i]["text"] for i in group] == want
    del recs[3]["paper"]
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    res = _clean([str(src), "--group-by", "paper.title", "--out", "out"])
    assert res.exit_code == 1 and "record 4: no field 'paper.title'" in res.stderr

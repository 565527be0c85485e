"""The review screen shows an item in the line as the cleaned output reads it (every stage
done), not in the half-cleaned text the stage saw: real scan lines, a real SQLite queue, the
real CLI and the real TUI through textual's pilot."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ocr_clean import Config, Pipeline
from ocr_clean.document import Document
from ocr_clean.ledger import Edit
from ocr_clean.cli import app as cli_app
from ocr_clean.review import ReviewStore
from ocr_clean.review.tui import ReviewApp

from .conftest import raw_lines, screen_text

SIZE = (160, 45)
FIRST, LAST = 14625, 14636       # a passage with spaced marks, split words, spaced quotes


def text_of(app, selector: str) -> str:
    return screen_text(app, selector, SIZE[0])


@pytest.fixture
def queue(tmp_path):
    raw = raw_lines(FIRST, LAST)
    (tmp_path / "book.txt").write_text(raw, encoding="utf-8")
    path = tmp_path / "q.sqlite"
    with ReviewStore(path, who="t") as s:
        s.set_source("book", tmp_path / "book.txt", raw=raw)
        # the words stage kept from settling the split_words stage's question (i s -> is), so
        # that the queue holds a split word whose line the output reads otherwise
        unsure = Config.from_dict({"stages": {"words": {"apply_threshold": 1.01}}})
        result = Pipeline(unsure, review=s).run(raw, name="book")
    return path, result


def test_the_item_context_is_the_output_line(queue):
    path, result = queue
    out_lines = result.text.split("\n")
    with ReviewStore(path) as s:
        items = s.items()
    assert len(items) >= 3
    for it in items:
        i, j = it.context.index("\u27e8"), it.context.index("\u27e9")
        for around in (it.context[:i], it.context[j + 1:]):
            assert "\n" not in around and "  " not in around      # one paragraph, one line
        was, now = it.context[i + 1:j].split("\u2192")
        # put back what the file has there: the line is a line of the output, as it reads
        line = it.context[:i] + (now if it.run_status == "applied" else was) + it.context[j + 1:]
        assert any(line in ol for ol in out_lines), line
    # the stage saw the half-cleaned text (double spaces, split words), the ledger keeps that
    assert any("  " in e.context for e in result.for_review)


async def test_the_review_screen_shows_the_final_line(queue):
    path, _ = queue
    store = ReviewStore(path, who="t")
    app = ReviewApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen = {}
        for _ in range(store.count(status="open")):
            it = app.current
            seen[(it.rule, it.before)] = (text_of(app, "#cleaned"), text_of(app, "#raw"),
                                          text_of(app, "#where"), text_of(app, "#evidence"))
            await pilot.press("s")
            await pilot.pause()
    store.close()
    cleaned, raw, where, evidence = seen[("quote-space", " ")]
    assert "the cleaned line" in cleaned and "the file keeps the raw reading" in cleaned
    assert "it was established that" in cleaned            # the stage saw "it  was"
    assert "danger from now on!" in cleaned                 # ... and "now on !"
    assert "ALREADY IN THE TEXT" not in where
    assert "14630" not in raw and " 4 \u2502" in raw and " 8 \u2502" in raw   # two raw lines either side
    assert "evidence" in evidence
    cleaned, raw, where, evidence = seen[("split-word", "i s")]
    assert '"Trotskyism"' in cleaned                        # the stage saw "Trotskyi sm"
    cleaned, _, where, _ = seen[("quote-space", '  " ')]
    assert "ALREADY IN THE TEXT" in where and "the file has the suggestion" in cleaned


def test_queue_list_json_gives_the_output_line(queue):
    path, _ = queue
    res = CliRunner().invoke(cli_app, ["queue", "list", "--db", str(path), "--json"])
    assert res.exit_code == 0, res.output
    items = json.loads(res.stdout)
    [q] = [d for d in items if d["rule"] == "quote-space" and d["before"] == " "]
    assert 'established that "the Right Opposition is the main danger from now on!\u27e8 \u2192\u27e9"?' in q["context"]


def test_an_edit_inside_a_word_an_earlier_join_made():
    """A footnote marker read inside a word that a line join made one segment of: the mark is
    on the marker, not on the whole word; a queued edit shows what the file keeps there."""
    d = Document("lead\nershipY A correct\n")
    d.apply("dehyphenate", [Edit(0, 12, "leadershipY", "join")])
    [m] = d.apply("footnotes", [Edit(10, 11, ".[^1]", "marker", 0.6)])
    assert d.text == "leadership.[^1] A correct\n"
    assert d.final_context(m) == "leadership\u27e8Y\u2192.[^1]\u27e9 A correct"
    d = Document("the lnost  decisive\n")
    [q] = d.apply("confusion", [Edit(4, 9, "most", "glyph", 0.5, "queued")])
    d.apply("punctuation", [Edit(9, 11, " ", "double-space")])
    assert d.final_context(q) == "the \u27e8lnost\u2192most\u27e9 decisive"

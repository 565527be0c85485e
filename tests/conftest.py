"""Shared fixtures: real excerpts of the scan, a working folder, the CLI runner."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_BOOK = ROOT / "raw" / "writings-1930-31.txt"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


def raw_lines(first: int, last: int) -> str:
    """Raw lines first..last (1-based, inclusive) of the real scan, with their line ends."""
    lines = RAW_BOOK.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[first - 1:last]) + "\n"


@pytest.fixture
def excerpt() -> str:
    """The Preface of the scan: page starts, split words, glyph confusions, a lost hyphen."""
    return raw_lines(1, 125)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test session shares one lexicon cache; nothing is written to the user's home."""
    cache = tmp_path_factory.getbasetemp() / "ocr-clean-cache"
    monkeypatch.setenv("OCR_CLEAN_CACHE", str(cache))
    yield


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def screen_text(app, selector: str, width: int) -> str:
    """What a widget of a running textual app shows, as plain text (a rich renderable drawn
    the way the screen does, ``width`` columns)."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    content = app.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()

"""The lexicon: the fast word finder and the English list's cache on disk."""
from __future__ import annotations

import pytest

from ocr_clean import lexicon
from ocr_clean.lexicon import WORD, BookVocab, Lexicon, book_words

from .conftest import raw_lines

# (text) whose words the fast finder must find exactly as lexicon.WORD does
WORD_CASES = [
    "naïve café Ærø straße Δx ǅ x'y x\u2019 Ωmega",
    "½ ² 3rd 1930-31 l'Humanité — «quoted» «» Kai-shek.7",
    "combining: e\u0301 a\u0308b, digits a1b, under_score, 𝔄b",
    "",
]


@pytest.mark.parametrize("text", WORD_CASES)
def test_book_words_are_the_words_of_WORD(text):
    assert book_words(text) == WORD.findall(text)


def test_book_words_on_the_scan():
    text = raw_lines(1, 3000)
    assert book_words(text) == WORD.findall(text)
    vocab = BookVocab.from_text(text)
    assert vocab.total == len(WORD.findall(text))


def test_english_list_is_cached_on_disk_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("OCR_CLEAN_CACHE", str(tmp_path))
    built = lexicon._english_frequencies.__wrapped__()          # no cache yet: from wordfreq
    cached = list(tmp_path.glob("english-*.marshal"))
    assert len(cached) == 1
    again = lexicon._english_frequencies.__wrapped__()          # from the cache file
    assert again == built and again["the"] > 0.01


def test_a_broken_english_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("OCR_CLEAN_CACHE", str(tmp_path))
    built = lexicon._english_frequencies.__wrapped__()
    (path,) = tmp_path.glob("english-*.marshal")
    path.write_bytes(b"\x00not marshal")
    assert lexicon._english_frequencies.__wrapped__() == built
    assert path.read_bytes() != b"\x00not marshal"


def test_an_unwritable_cache_folder_still_loads(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("OCR_CLEAN_CACHE", str(blocked / "cache"))
    assert lexicon._english_frequencies.__wrapped__()["the"] > 0.01


def test_lexicon_knows_english_and_the_book():
    lex = Lexicon.load()
    book = BookVocab.from_text("Quarnebly quarnebly the Quarnebly")
    assert lex.is_english("revolution") and not lex.is_english("Quarnebly")
    assert lex.is_known("Quarnebly", book) and not lex.is_known("Quarnebly")

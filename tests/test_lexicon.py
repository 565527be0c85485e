"""The lexicon: the fast word finder, the English list's cache on disk, the book's vocabulary."""
from __future__ import annotations

import collections

import pytest
from hypothesis import given, settings, strategies as st

from ocr_clean import lexicon
from ocr_clean.document import Document
from ocr_clean.ledger import Edit
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


def test_chosen_word_pairs_are_counted_as_the_table_of_every_pair_counts_them():
    # the scan's own text: capitals, apostrophes, words beyond ASCII, words at the very end
    vocab = BookVocab.from_text(raw_lines(1, 3000) + "\nÉcole the École")
    bigrams = collections.Counter(zip(*[[w.lower() for w in vocab.words][k:] for k in (0, 1)]))
    assert vocab.folded() == [w.lower() for w in vocab.words] and vocab.bigrams == bigrams
    common = [p for p, _ in bigrams.most_common(40)]
    wanted = common + [(b, a) for a, b in common] + [("école", "the"), ("the", "école"), ("no", "such"), ("école", "")]
    got = vocab.pair_counts(wanted)
    assert got == {p: bigrams.get(p, 0) for p in wanted}
    assert got[("école", "the")] == 1 and got[("no", "such")] == 0 and vocab.pair_counts([]) == {}
    # pairs that make a word written together: every use of each, and no other pair
    joinable = {w for w, n in vocab.lower.items() if n >= 3}
    assert vocab.pairs_joining(joinable) == collections.Counter(
        {(a, b): n for (a, b), n in bigrams.items() if a + b in joinable})
    assert sum(vocab.pairs_joining(joinable).values()) > 0


def test_lexicon_knows_english_and_the_book():
    lex = Lexicon.load()
    book = BookVocab.from_text("Quarnebly quarnebly the Quarnebly")
    assert lex.is_english("revolution") and not lex.is_english("Quarnebly")
    assert lex.is_known("Quarnebly", book) and not lex.is_known("Quarnebly")


# -- the document's vocabulary, revised edit by edit ---------------------------------------
_ALPHABET = "ab Xy'\u2019-.\n\u00e9\u0130\u212a1 "


@settings(max_examples=300, deadline=None)
@given(raw=st.text(st.sampled_from(_ALPHABET), max_size=60),
       batches=st.lists(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3),
                                           st.text(st.sampled_from(_ALPHABET), max_size=3)),
                                 max_size=6), max_size=4))
def test_the_revised_vocabulary_is_a_new_count(raw, batches):
    doc = Document(raw)
    doc.recount_share = 0          # revise after every batch, however many edits it has
    for batch in batches:
        doc.vocab(BookVocab.from_text)
        edits, pos = [], 0
        for at, length, after in sorted(batch):
            start = max(at, pos)
            end = min(start + length, len(doc.text))
            if start > len(doc.text) or (start == end and not after) or (edits and start == edits[-1].end == edits[-1].start):
                continue
            edits.append(Edit(start, end, after, "r"))
            pos = end + 1
        doc.apply("s", edits)
        fresh = BookVocab.from_text(doc.text)
        vocab = doc.vocab()
        assert (vocab.counts, vocab.lower, vocab.total, vocab.words) == \
               (fresh.counts, fresh.lower, fresh.total, fresh.words)
        # the folded words and the pairs follow the revision too (nothing kept from before)
        assert vocab.folded() == [w.lower() for w in fresh.words]
        assert vocab.bigrams == fresh.bigrams


def test_the_stages_share_the_documents_vocabulary():
    from ocr_clean import Pipeline

    text = raw_lines(1, 400)
    doc = Pipeline().run(text).document
    fresh = BookVocab.from_text(doc.text)
    assert doc._vocab is not None, "no stage asked for the book's words"
    assert (doc._vocab.counts, doc._vocab.lower, doc._vocab.total) == (fresh.counts, fresh.lower, fresh.total)


def test_freq_lower_is_the_methods_answer_and_follows_its_table():
    """Each lexicon answers freq_lower through a plain function of its English table: the
    method's answers, for a new table set on it, and after a pickle or a copy."""
    import copy
    import pickle

    lex = Lexicon({"the": 0.05, "naïve": 1e-6}, user_words={"Zork"})
    words = ["the", "The", "naïve", "zork", "", "cat"]
    assert [lex.freq_lower(w) for w in words] == [Lexicon.freq_lower(lex, w) for w in words] \
        == [0.05, 0.0, 1e-6, 0.0, 0.0, 0.0]
    lex.english = {"cat": 0.01}
    assert (lex.freq_lower("cat"), lex.freq_lower("the")) == (0.01, 0.0)
    for other in (pickle.loads(pickle.dumps(lex)), copy.copy(lex), copy.deepcopy(lex)):
        assert (other.freq_lower("cat"), other.freq_lower("the")) == (0.01, 0.0)
        other.english = {"the": 0.5}
        assert other.freq_lower("the") == 0.5 and lex.freq_lower("the") == 0.0

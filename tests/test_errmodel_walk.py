"""The fast low-level searches of the words stage give exactly what plain reference versions
give: the candidate walk (a trie of ints, memoized sites, no-op states counted but not
stacked), the one-confusion rewrites, the one-letter neighbours, the word-pair and letter
models.  The references below are the straightforward code the fast versions replaced
(kept here, not in the package), run on generated tokens over small vocabularies, with
shifts, generic edits, ties and the ``max_steps`` cap."""
from __future__ import annotations

import math
import random

import pytest

from ocr_clean.errmodel import Candidate, Confusion, DeleteIndex, ErrorModel, PrefixIndex, load_confusions
from ocr_clean.langmodel import BACKOFF, FLOOR, CharModel, LanguageModel


# -- the references -------------------------------------------------------------------------
def ref_letters_after(words: list[str], prefix: str) -> str:
    return "".join(sorted({w[len(prefix)] for w in words if w.startswith(prefix) and len(w) > len(prefix)}))


def ref_candidates(model: ErrorModel, tok: str, words: set[str], *, max_cost=None, max_generic=None,
                   shift=0.0):
    """The walk as it was written first: depth-first over (position, candidate string,
    generic edits), every state pushed and popped, every step counted."""
    limit = model.max_cost if max_cost is None else max_cost
    gen_max = model.max_generic if max_generic is None else max_generic
    generic = max(0.1, model.generic + shift)
    ordered = sorted(words)
    follow_of: dict[str, str] = {}

    def follow(prefix):
        if prefix not in follow_of:
            follow_of[prefix] = ref_letters_after(ordered, prefix)
        return follow_of[prefix]

    by_start: dict[str, list] = {}
    for c in model.confusions:
        by_start.setdefault(c.seen[:1], []).append((c, max(0.1, c.cost + shift)))
    n = len(tok)
    at = [[(len(c.seen), c.printed, c_cost, c.family) for c, c_cost in by_start.get(ch, ())
           if c_cost <= limit and tok.startswith(c.seen, i)] for i, ch in enumerate(tok)]
    best: dict[str, tuple[float, tuple[str, ...]]] = {}

    def better(cand, cost, fams):
        if cand in words and (cand not in best or cost < best[cand][0]):
            best[cand] = (cost, fams)

    def ranked():
        out = [Candidate(w, c, f) for w, (c, f) in best.items()]
        return sorted(out, key=lambda c: (c.cost, c.word))

    steps = 0
    stack = [(0, "", 0.0, 0, ())]
    seen: dict[tuple[int, str, int], float] = {}
    while stack:
        steps += 1
        if steps > model.max_steps:
            return ranked(), True
        i, cand, cost, g, fams = stack.pop()
        if (i, cand, g) in seen and seen[(i, cand, g)] <= cost:
            continue
        seen[(i, cand, g)] = cost
        fol = follow(cand)
        spend = g < gen_max and cost + generic <= limit
        if i == n:
            if fams:
                better(cand, cost, fams)
            if spend:
                for letter in fol:
                    better(cand + letter, cost + generic, fams + ("generic",))
            continue
        ch = tok[i]
        if ch in fol:
            stack.append((i + 1, cand + ch, cost, g, fams))
        for k, p, c_cost, family in at[i]:
            if c_cost + cost <= limit:
                if not p:
                    stack.append((i + k, cand, cost + c_cost, g, fams + (family,)))
                elif p[0] in fol and (len(p) == 1 or p[-1] in follow(cand + p[:-1])):
                    stack.append((i + k, cand + p, cost + c_cost, g, fams + (family,)))
        if spend:
            c2, fam2 = cost + generic, fams + ("generic",)
            stack.append((i + 1, cand, c2, g + 1, fam2))
            for letter in fol:
                if letter != ch:
                    stack.append((i + 1, cand + letter, c2, g + 1, fam2))
                    stack.append((i, cand + letter, c2, g + 1, fam2))
    return ranked(), False


def ref_rewrites(model: ErrorModel, tok: str, words, max_cost: float):
    best = {}
    for i in range(len(tok)):
        for c in model.confusions:
            if c.seen and c.cost <= max_cost and tok.startswith(c.seen, i):
                w = tok[:i] + c.printed + tok[i + len(c.seen):]
                if w != tok and w in words and (w not in best or c.cost < best[w][0]):
                    best[w] = (c.cost, (c.family,))
    return sorted(((w, c, f) for w, (c, f) in best.items()), key=lambda t: (t[1], t[0]))


def ref_neighbours(words, tok: str) -> list[str]:
    def one_apart(a, b):
        if len(a) == len(b):
            return sum(x != y for x, y in zip(a, b)) == 1
        if len(a) + 1 == len(b):
            a, b = b, a
        return len(a) == len(b) + 1 and any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    return sorted(w for w in set(words) if one_apart(w, tok))


def ref_cond(lm: LanguageModel, prev, word, p_word=None) -> float:
    pw = max(lm.freq(word), FLOOR) if p_word is None else p_word
    if not prev:
        return pw
    n = lm.pairs.get(prev + " " + word)
    c_prev = lm.first_counts.get(prev)
    if n is not None and c_prev:
        return n / c_prev
    est = BACKOFF * pw
    return min(est, lm.least / c_prev) if c_prev else est


# -- generated cases ------------------------------------------------------------------------
ALPHABET = "aeilnrtbchmou"

# a small table with what the real one has: deletions, two letters printed, three seen,
# equal costs (ties between paths), and costs the shift pushes below the 0.1 floor
SMALL = [Confusion("b", "h", 1.0, "b/h"), Confusion("li", "h", 1.0, "li/h"), Confusion("rn", "m", 0.8, "rn/m"),
         Confusion("m", "rn", 1.2, "m/rn"), Confusion("c", "e", 1.0, "c/e"), Confusion("e", "c", 1.0, "e/c"),
         Confusion("i", "", 1.5, "i/-"), Confusion("'", "", 0.5, "'/-"), Confusion("ii", "u", 1.0, "ii/u"),
         Confusion("iii", "m", 1.3, "iii/m"), Confusion("o", "e", 0.15, "o/e"), Confusion("tl", "th", 1.0, "tl/th"),
         Confusion("l", "i", 1.0, "l/i"), Confusion("1", "l", 0.5, "1/l"), Confusion("n", "u", 1.0, "n/u"),
         Confusion("u", "n", 1.0, "u/n"), Confusion("h", "li", 1.1, "h/li"),
         # ties: one misreading under two names, and one reading by two paths of equal cost
         Confusion("c", "e", 1.0, "c/e-again"), Confusion("cl", "d", 1.0, "cl/d"), Confusion("c", "", 0.5, "c/-"),
         Confusion("l", "d", 0.5, "l/d")]


def _vocab(rng: random.Random, size: int) -> set[str]:
    words = {"the", "them", "then", "there", "and", "hand", "modern", "home", "thou", "mine", "mill", "cell",
             "do", "dee", "elder", "ended"}
    while len(words) < size:
        words.add("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 7))))
    return words


def _token(rng: random.Random, words: list[str]) -> str:
    w = list(rng.choice(words))
    for _ in range(rng.randint(0, 3)):                      # a few misreadings, in the table's terms
        op = rng.random()
        i = rng.randrange(len(w) + 1)
        if op < 0.4 and i < len(w):
            w[i] = rng.choice(ALPHABET + "1'")
        elif op < 0.7:
            w.insert(i, rng.choice(["i", "'", "rn", "li", "c", "ii", "cl"]))
        elif w and i < len(w):
            del w[i]
    return "".join(w) or "a"


@pytest.mark.parametrize("seed", range(4))
def test_the_walk_gives_what_the_reference_walk_gives(seed):
    rng = random.Random(seed)
    words = _vocab(rng, 120)
    ordered = sorted(words)
    confusions = SMALL if seed % 2 else load_confusions()
    for max_steps in (6, 60, 20000):                   # the cap cuts the small ones short
        model = ErrorModel(confusions, generic=2.0, max_cost=4.5, max_steps=max_steps)
        index = PrefixIndex(ordered, presorted=True)         # one index for every token, as the stage has
        for _ in range(16):
            tok = _token(rng, ordered)
            for gen_max in (0, 1, 2):
                for shift in (-0.5, 0.0, 0.3, 1.5):
                    limit = rng.choice((2.0, 4.5, 6.3))
                    got = model.candidates(tok, index, words, max_cost=limit, max_generic=gen_max, shift=shift)
                    want = ref_candidates(model, tok, words, max_cost=limit, max_generic=gen_max, shift=shift)
                    assert got == want, (tok, gen_max, shift, limit, max_steps)


def test_the_cap_is_met_and_missed_by_both_alike():
    """Tokens whose walk takes about ``max_steps``: the fast walk counts the states it does
    not stack, so it stops (or not) exactly where the reference does."""
    rng = random.Random(7)
    words = _vocab(rng, 200)
    cuts = {True: 0, False: 0}
    for _ in range(60):
        tok = _token(rng, sorted(words))
        steps_ref = _reference_steps(tok, words)
        for max_steps in (steps_ref - 1, steps_ref, steps_ref + 1):
            model = ErrorModel(SMALL, generic=2.0, max_cost=4.5, max_steps=max(max_steps, 1), max_generic=0)
            got = model.candidates(tok, PrefixIndex(words), words)
            assert got == ref_candidates(model, tok, words), (tok, max_steps)
            cuts[got[1]] += 1
    assert cuts[True] and cuts[False]


def _reference_steps(tok: str, words: set[str]) -> int:
    """The steps the reference walk takes on ``tok`` (SMALL, no generic edit, uncut)."""
    lo, hi = 1, 1 << 16
    while lo < hi:                                          # the least cap it is not cut at
        mid = (lo + hi) // 2
        model = ErrorModel(SMALL, generic=2.0, max_cost=4.5, max_steps=mid, max_generic=0)
        if ref_candidates(model, tok, words)[1]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def test_the_trie_of_the_index_is_its_prefixes():
    words = sorted(_vocab(random.Random(3), 150) | {"a", "ab", "abc", "abd", "b"})
    index = PrefixIndex(words, presorted=True)
    todo = [0]
    while todo:
        node = todo.pop()
        kids = index.expand(node)
        prefix = index._text[node]
        assert "".join(kids) == ref_letters_after(words, prefix) == index.get(prefix)
        for letter, child in kids.items():
            assert index._text[child] == prefix + letter
            todo.append(child)


@pytest.mark.parametrize("seed", range(3))
def test_rewrites_and_neighbours_give_what_the_references_give(seed):
    rng = random.Random(seed)
    words = _vocab(rng, 300)
    ordered = sorted(words)
    model = ErrorModel(SMALL if seed else load_confusions())
    index = DeleteIndex(words)
    for _ in range(200):
        tok = _token(rng, ordered)
        for limit in (0.5, 1.0, 2.2):
            got = [(c.word, c.cost, c.families) for c in model.rewrites(tok, words, limit)]
            assert got == ref_rewrites(model, tok, words, limit), (tok, limit)
        assert index.neighbours(tok) == ref_neighbours(words, tok), tok


def test_word_pair_probabilities_are_the_references():
    freq = {"the": 0.05, "tho": 2e-5, "in": 0.02, "of": 0.03, "zzqx": 0.0}.get
    lm = LanguageModel(lambda w: freq(w, 0.0))
    pairs = [("in", "the"), ("in", "tho"), (None, "the"), ("", "of"), ("zzqx", "the"), ("the", "zzqx"),
             ("of", "the"), ("tho", "in"), ("the", "of")]
    for prev, word in pairs:
        for p_word in (None, 1e-12, 0.3):
            want = ref_cond(lm, prev, word, p_word)
            assert lm.cond(prev, word, p_word) == want
            assert lm.logp(prev, word, p_word) == math.log10(want)


def test_letter_model_is_the_reference():
    cm = CharModel(["the", "then", "there", "other", "mother", "a"])
    for word in ("ther", "tqxr", "", "a", "mothers", "xx"):
        s = "^^" + word + "$"
        want = 0.0
        for i in range(len(s) - 2):
            t = s[i:i + 3]
            want += cm.tri[t] if t in cm.tri else cm.ctx.get(t[:2], math.log10(1 / 28.0))
        assert cm.logp(word) == want


def test_freq_lower_is_freq_of_a_lower_case_word():
    from ocr_clean.lexicon import Lexicon
    lex = Lexicon({"the": 0.05, "naïve": 1e-6}, user_words={"Zork"})
    for w in ("the", "naïve", "zork", "absent", ""):
        assert lex.freq_lower(w) == lex.freq(w)
    assert lex.freq("The") == lex.freq_lower("the") == 0.05


def _least_uncut(cut_at, hi: int = 1 << 16) -> int:
    """The least cap a walk is not cut at (``cut_at(cap)``: is it cut?)."""
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cut_at(mid):
            lo = mid + 1
        else:
            hi = mid
    return lo


@pytest.mark.parametrize("limit, shift", [(1.2, 0.0), (2.0, 0.3), (2.5, 1.5), (4.5, -0.5)])
def test_a_walk_past_its_last_affordable_confusion_takes_the_references_steps(limit, shift):
    """Where no confusion at the token's remaining places is cheap enough, the fast walk
    copies the rest of the token in place (no stacking): it counts every copy as the
    reference's step and marks the same states seen, so it is cut at exactly the reference's
    cap, and finds the same words, families and costs (low limits and high shifts make such
    tails common; a token reached by two paths meets its own marks)."""
    rng = random.Random(11)
    words = _vocab(rng, 150) | {"mill", "hill", "rnill", "iii", "them", "tlie", "lie"}
    ordered = sorted(words)
    toks = [_token(rng, ordered) for _ in range(30)] + ["rnill", "tliem", "iiiill", "cclle", "thc'ee"]
    for tok in toks:
        def model(cap):
            return ErrorModel(SMALL, generic=2.0, max_cost=limit, max_steps=cap, max_generic=0)

        def fast_cut(cap):
            return model(cap).candidates(tok, PrefixIndex(ordered, presorted=True), words, shift=shift)[1]

        def ref_cut(cap):
            return ref_candidates(model(cap), tok, words, shift=shift)[1]

        steps = _least_uncut(ref_cut, 4096)
        assert _least_uncut(fast_cut, 4096) == steps, tok
        for cap in (steps - 1, steps, 20000):
            m = model(max(cap, 1))
            assert m.candidates(tok, PrefixIndex(ordered, presorted=True), words, shift=shift) == \
                ref_candidates(m, tok, words, shift=shift), (tok, cap)


def test_a_tie_met_in_a_copied_tail_keeps_the_references_path():
    """Two paths of one cost to one state (``a`` -> ``x`` then ``b`` copied, against ``ab``
    -> ``xb``), the one popped first copying its tail in place: the reading keeps that path's
    family, as in the reference, and the walk is cut at the reference's cap."""
    table = [Confusion("ab", "xb", 1.0, "ab/xb"), Confusion("a", "x", 1.0, "a/x")]
    words = {"xbcd", "xbce"}
    ordered = sorted(words)

    def model(cap):
        return ErrorModel(table, generic=2.0, max_cost=1.2, max_steps=cap, max_generic=0)

    steps = _least_uncut(lambda cap: ref_candidates(model(cap), "abcd", words)[1], 64)
    fast = _least_uncut(lambda cap: model(cap).candidates("abcd", PrefixIndex(ordered, presorted=True), words)[1], 64)
    assert fast == steps
    got = model(20000).candidates("abcd", PrefixIndex(ordered, presorted=True), words)
    assert got == ref_candidates(model(20000), "abcd", words)
    assert [c.families for c in got[0]] == [("a/x",)]       # the path popped first (pushed last) is kept


def test_a_reading_between_its_neighbours_is_the_two_pair_probabilities_summed():
    """``logp_between`` (the words stage's one call for a reading in its context) is
    ``logp(prev, word, p) + logp(word, nxt)`` to the last bit, with and without neighbours,
    for words the pair table holds, words that start no pair and words no list knows."""
    table = {"the": 0.05, "of": 0.03, "war": 1e-4, "peace": 5e-5, "zorp": 0.0}
    lm = LanguageModel(lambda w: table.get(w, 0.0))
    firsts = sorted(lm.first_counts, key=lm.first_counts.get)[-40:]
    rng = random.Random(5)
    words = firsts + ["the", "of", "war", "peace", "zorp", "qqxv", "ofthe"]
    for _ in range(400):
        prev, word, nxt = (rng.choice(words + [None, ""]) for _ in range(3))
        word = word or "war"
        p = rng.choice([1e-9, 3e-7, 0.02, lm.p(word)])
        want = lm.logp(prev, word, p) + (lm.logp(word, nxt) if nxt else 0.0)
        assert lm.logp_between(prev, word, p, nxt) == want, (prev, word, nxt, p)

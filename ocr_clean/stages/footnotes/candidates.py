"""Finding the candidates: every place of the body that could hold a marker, read into
firm readings (:class:`Cand`, each with a cost) and tails to try by position
(:class:`.tails.WildTail`); and, for the numbers the chain misses, the candidates of
their stretch of text (:func:`wild_candidates`)."""
from __future__ import annotations

import bisect
import re

from ...note_numbers import MARKER, Cand
from .glyphs import TailDecoder
from .notes_section import text_candidates
from .scanners import (_alone, _glyph_runs, _lone_glyphs, _number_starts, _spaced, _tokens_to_read,
                       quantity_words)
from .tails import ANY_NUMBER, ORDINARY_PUNCT, WORDCHARS, WildTail, _token_cands
from .vocab import HAS_LETTER, _Known

DATE_OR_RANGE = re.compile(r",? \d{4}\b|-\d|\.\d| ?[-\u2013] ")
NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")


def body_candidates(text: str, end: int, decoder: TailDecoder, known: _Known,
                    cfg: dict) -> tuple[list[Cand], list[WildTail]]:
    """Firm candidates (clean, spaced, glyph) and tails to try by position, in text[:end].

    The text is searched once for the tokens to read (_tokens_to_read); the numbers and the
    short tokens of glyphs are looked for among them, not in the whole text again."""
    out: list[Cand] = []
    wild: list[WildTail] = []
    max_n = decoder.max_n
    # the readings of a token depend on the token alone (except a bare "?25" after a word):
    # each distinct token is read once
    cache: dict[str, tuple[list[Cand], list[WildTail]]] = {}

    def reads(tok: str) -> bool:
        """Read a plain word (with a letter, so wherever it stands) into the cache: any reading?"""
        o: list[Cand] = []
        w: list[WildTail] = []
        _token_cands(text, tok, 0, decoder, known, cfg, o, w)
        cache[tok] = (o, w)
        return bool(o or w)

    tokens = _tokens_to_read(text, end, decoder, known, reads)
    numbers = _number_starts(text, tokens)
    _read_tokens(text, tokens, cache, decoder, known, cfg, out, wild)
    out.extend(_spaced_cands(text, end, numbers, quantity_words(text, end, known, numbers), max_n, cfg))
    for m in MARKER.finditer(text, 0, end):
        # markers already written (a second run, or a reviewer's edit) hold their place
        n = int(m.group(1))
        if 1 <= n <= max_n:
            out.append(Cand(m.start(), m.end(), n, -1.0, "existing"))
    wild.extend(_lone_glyph_tails(text, end, tokens, decoder))
    wild.extend(_glyph_run_tails(text, end, decoder, known))
    for m in _alone(text, end):
        n = int(m.group(2))
        if 1 <= n <= max_n and m.group(2)[0] != "0":
            out.append(Cand(m.start(1), m.end(2), n, cfg["alone_cost"], "marker-spaced"))
    return out, wild


def _read_tokens(text: str, tokens: list[tuple[int, str]], cache: dict, decoder: TailDecoder,
                 known: _Known, cfg: dict, out: list[Cand], wild: list[WildTail]) -> None:
    """The readings of each token, each distinct token read once (moved to where it stands)."""
    for off, tok in tokens:
        hit = cache.get(tok)
        if hit is None:
            if "[^" in tok:
                cache[tok] = ([], [])
                continue
            o: list[Cand] = []
            w: list[WildTail] = []
            _token_cands(text, tok, off, decoder, known, cfg, o, w)
            if HAS_LETTER.search(tok.rstrip("0123456789")):
                cache[tok] = ([c.moved(-off) for c in o], [x.moved(-off) for x in w]) if o or w else ([], [])
            out.extend(o)
            wild.extend(w)
            continue
        o, w = hit
        if o:
            out.extend([c.moved(off) for c in o])
        if w:
            wild.extend([x.moved(off) for x in w])


def _spaced_cands(text: str, end: int, numbers: list[int], units: set[str], max_n: int,
                  cfg: dict) -> list[Cand]:
    """Digits set apart from their word or broken by spaces: "Neumann 17", "testament, 1 1 6";
    not a date, a range or a quantity ("100 percent")."""
    out = []
    for m in _spaced(text, end, numbers):
        digits = m.group(3)
        if " " not in digits and not m.group(2):
            continue                       # glued and unbroken: a token candidate already
        flat = digits.replace(" ", "")
        cost = cfg["spaced_cost"]
        skip_first = False
        if len(digits) == 4 and " " not in digits and m.group(2) and flat[0] in "17" and flat[1] != "0":
            # "Yat-senism 7115": a question mark or a stray stroke read as a digit
            flat, cost, skip_first = flat[1:], cost + 0.6, True
        if len(flat) > 3 or flat[0] == "0":
            continue
        n = int(flat)
        if not 1 <= n <= max_n:
            continue
        nxt = text[m.end(3):m.end(3) + 7]
        if DATE_OR_RANGE.match(nxt):
            continue                       # "February 25, 1927", "number 25-26", "October 1 - "
        unit = NEXT_WORD.match(text, m.end(3))
        if unit and unit.group(1) in units:
            continue                       # "100 percent": a quantity
        s = m.start(2) if m.group(2) else m.start(3)
        w0 = text.rfind(" ", 0, m.start(1)) + 1
        before = text[w0:m.start(1)]
        if not HAS_LETTER.search(before):
            continue
        if m.group(1) and not m.group(2):
            # "UglanOV,1 13": the first digit is glued to the punctuation
            s = m.start(3)
        if skip_first:
            s = m.start(3) + 1             # the misread first glyph stays as scanned
        out.append(Cand(s, m.end(3), n, cost, "marker-spaced"))
    return out


def _lone_glyph_tails(text: str, end: int, tokens: list[tuple[int, str]], decoder: TailDecoder) -> list[WildTail]:
    """"apparatus, Varga, IDS believe": the superscript set apart and read as letters;
    tried only for numbers missing from the chain, in their stretch."""
    wild = []
    for m in _lone_glyphs(text, end, tokens):
        tok = m.group(2)
        prev_word = text[text.rfind(" ", 0, m.start(1)) + 1:m.start(1)]
        if not HAS_LETTER.search(prev_word) or prev_word.isupper() or any(ch.isdigit() for ch in tok):
            continue
        readings = [(str(n), c, "") for n, c, letter in decoder.decode(tok) if not letter]
        if readings:
            wild.append(WildTail(m.start(1), m.end(2), readings, "", 1))
    return wild


def _glyph_run_tails(text: str, end: int, decoder: TailDecoder, known: _Known) -> list[WildTail]:
    """'the revolutionary party." l t-!': glyphs set apart at the end of a paragraph, none
    of them a word, at least one of them a digit's glyph and one a symbol."""
    wild = []
    for m in _glyph_runs(text, end):
        toks = m.group(1).split()
        joined = "".join(toks)
        s = m.start(1)
        w0 = max(text.rfind(" ", 0, s), text.rfind("\n", 0, s), text.rfind("\t", 0, s)) + 1
        before = WORDCHARS.match(text[w0:s])         # the word before, its marks stripped
        if before is None or not known.common(before.group(1)):
            continue
        if any(len(t) > 1 and t.isalpha() or t in ("a", "A", "I", "O") for t in toks):
            continue
        if not any(ch in decoder.digit_glyphs for ch in joined) or joined.isalpha():
            continue
        if not joined.strip(ORDINARY_PUNCT):
            continue
        wild.append(WildTail(m.start(1), m.end(1), [(ANY_NUMBER, 0.0, "")], "", 0, True))
    return wild


def wild_candidates(chain: list[Cand], wild: list[WildTail], max_n: int, cfg: dict,
                    text: str = "", notes: dict[int, str] | None = None) -> list[Cand]:
    """Candidates for the numbers the chain misses: the unreadable tails in their stretch, and
    (for a reviewer, never applied) the place where the words the note is about occur."""
    placed = sorted(chain, key=lambda c: c.n)
    gaps = []   # (first missing, last missing, lo position, hi position)
    prev_n, prev_end = 0, 0
    for c in placed + [Cand(10 ** 12, 10 ** 12, max_n + 1, 0.0, "")]:
        if c.n > prev_n + 1:
            gaps.append((prev_n + 1, c.n - 1, prev_end, c.start))
        prev_n, prev_end = c.n, c.end
    wild = sorted(wild, key=lambda w: w.start)
    starts = [w.start for w in wild]
    out = []
    for a, b, lo, hi in gaps:
        i = bisect.bisect_left(starts, lo)
        while i < len(wild) and wild[i].start < hi:
            w = wild[i]
            i += 1
            for n in range(a, b + 1):
                best = None
                for rx, c, letter in w.readings:
                    if re.fullmatch(rx, str(n)) and (best is None or c < best[0]):
                        best = (c, letter)
                if best is None:
                    continue
                if w.digits:
                    rule, cost = "marker-glyph", max(cfg["glyph_base"] + best[0], cfg["position_cost"] - 0.4 * w.digits)
                else:
                    rule, cost = "marker-position", cfg["position_cost"] + (cfg["loose_cost"] if w.loose else 0.0)
                # several numbers missing here: the one whose share of the stretch fits best
                if b > a and hi > lo:
                    cost += 0.2 * abs((w.start - lo) / (hi - lo) - (n - a + 1) / (b - a + 2))
                # a loose tail, or a word whose letters are rewritten, is never more than pinned
                out.append(Cand(w.start, w.end, n, cost, rule, w.lead + (best[1] or w.prefix), True,
                                loose=w.loose or bool(w.lead)))
        if notes:
            for n in range(a, b + 1):
                if n in notes:
                    out.extend(text_candidates(text, n, notes[n], lo, min(hi, len(text)), cfg["text_cost"]))
    return out


"""Word and character error rates of a cleaned book against gold passages, by alignment.

Gold passages are JSON lines ``{"id", "first_line", "last_line", "raw", "gold"}``.  Each gold
passage is found in the cleaned book by word 4-gram voting, then aligned token by token with
rapidfuzz (Levenshtein over token sequences), as dinglehopper does for OCR ground truth.
Tokens are words and punctuation marks; footnote markers ``[^N]`` are scored apart
(precision and recall).  The figures agree with the project's reference scorer.
"""
from __future__ import annotations

import collections
import json
from dataclasses import dataclass, field
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

MARK = regex.compile(r"\[\^(\d+)\]")
NOTE_DEF = regex.compile(r"^\s*\[\^(\d+)\]:\s*", regex.M)
_SPLIT_MARK = regex.compile(r"(\[\^\d+\])")
_EDGES = regex.compile(r"^(\W*)(.*?)(\W*)$", regex.S)


def tokenize(text: str) -> list[str]:
    """Words and punctuation marks; a footnote marker ``[^N]`` is one token."""
    text = NOTE_DEF.sub(lambda m: m.group(1) + ". ", text)
    out: list[str] = []
    for chunk in text.split():
        for part in _SPLIT_MARK.split(chunk):
            if not part:
                continue
            if MARK.fullmatch(part):
                out.append(part)
                continue
            lead, core, trail = _EDGES.match(part).groups()
            out.extend(lead)
            if core:
                out.append(core)
            out.extend(trail)
    return out


def _split_markers(toks: list[str]) -> tuple[list[str], list[int]]:
    words, index = [], []
    for i, t in enumerate(toks):
        if not MARK.fullmatch(t):
            words.append(t)
            index.append(i)
    return words, index


def _align(gold: list[str], hyp: list[str]) -> tuple[int, list[bool]]:
    ok = [False] * len(gold)
    for tag, g0, g1, _h0, _h1 in Levenshtein.opcodes(gold, hyp):
        if tag == "equal":
            for j in range(g0, g1):
                ok[j] = True
    return Levenshtein.distance(gold, hyp), ok


def _locate(gold: list[str], out: list[str], grams: dict) -> tuple[int, int] | None:
    hits = []
    for i in range(len(gold) - 3):
        for pos in grams.get(tuple(gold[i:i + 4]), ()):
            hits.append((i, pos))
    if not hits:
        return None
    off = collections.Counter(pos - i for i, pos in hits).most_common(1)[0][0]
    near = [(i, pos) for i, pos in hits if abs(pos - i - off) <= 40]
    i0, p0 = min(near)
    i1, p1 = max(near)
    k = min(20, len(gold))

    def best(candidates, est, piece, cut):
        return min(candidates, key=lambda p: (Levenshtein.distance(piece, cut(p)), abs(p - est)))

    est = p0 - i0
    start = best(range(max(0, est - 15), min(len(out), est + 16)), est, gold[:k], lambda p: out[p:p + k])
    est = p1 + (len(gold) - i1)
    ends = range(max(start + 1, est - 15), min(len(out), est + 15) + 1)
    if not ends:
        return None
    end = best(ends, est, gold[-k:], lambda p: out[max(start, p - k):p])
    return start, end


@dataclass
class PassageScore:
    id: str
    tokens: int
    raw_err: int
    clean_err: int
    fixed: int
    broken: int
    gold_marks: int
    out_marks: int
    mark_hit: int
    chars: int
    raw_cerr: int
    clean_cerr: int
    found: bool
    diffs: list[tuple[str, str]] = field(default_factory=list)   # (gold, output) pieces


@dataclass
class Scores:
    passages: list[PassageScore]

    def _sum(self, name: str) -> int:
        return sum(getattr(p, name) for p in self.passages)

    @property
    def summary(self) -> dict:
        n = max(self._sum("tokens"), 1)
        raw_err, clean_err = self._sum("raw_err"), self._sum("clean_err")
        return dict(
            passages=len(self.passages), found=sum(p.found for p in self.passages), tokens=self._sum("tokens"),
            raw_wer=round(raw_err / n, 5), clean_wer=round(clean_err / n, 5),
            reduction=round(1 - clean_err / max(raw_err, 1), 4),
            fixed=self._sum("fixed"), broken=self._sum("broken"),
            marker_precision=round(self._sum("mark_hit") / max(self._sum("out_marks"), 1), 4),
            marker_recall=round(self._sum("mark_hit") / max(self._sum("gold_marks"), 1), 4),
            gold_markers=self._sum("gold_marks"),
            raw_cer=round(self._sum("raw_cerr") / max(self._sum("chars"), 1), 5),
            clean_cer=round(self._sum("clean_cerr") / max(self._sum("chars"), 1), 5),
        )


def load_gold(path: Path | str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not a JSON line ({exc.msg})") from None
                if not {"raw", "gold"} <= row.keys():
                    raise ValueError(f"{path}:{n}: a gold passage needs 'raw' and 'gold'")
                rows.append(row)
    return rows


def score(gold_rows: list[dict], cleaned: str, context: int = 2) -> Scores:
    out_all = tokenize(cleaned)
    out_words, out_index = _split_markers(out_all)
    grams: dict = collections.defaultdict(list)
    for i in range(len(out_words) - 3):
        grams[tuple(out_words[i:i + 4])].append(i)
    rows = []
    for n, row in enumerate(gold_rows):
        g_all = tokenize(row["gold"])
        g_words, _ = _split_markers(g_all)
        r_words, _ = _split_markers(tokenize(row["raw"]))
        raw_err, raw_ok = _align(g_words, r_words)
        span = _locate(g_words, out_words, grams)
        if span is None:
            hyp_words, hyp_marks = [], []
        else:
            s, e = span
            hyp_words = out_words[s:e]
            lo = out_index[s]
            hi = out_index[e - 1] + 1 if e > s else lo
            while hi < len(out_all) and MARK.fullmatch(out_all[hi]):
                hi += 1
            hyp_marks = [t for t in out_all[lo:hi] if MARK.fullmatch(t)]
        cln_err, cln_ok = _align(g_words, hyp_words)
        g_marks = collections.Counter(t for t in g_all if MARK.fullmatch(t))
        h_marks = collections.Counter(hyp_marks)
        g_str, r_str, h_str = " ".join(g_words), " ".join(r_words), " ".join(hyp_words)
        diffs = []
        for tag, g0, g1, h0, h1 in Levenshtein.opcodes(g_words, hyp_words):
            if tag != "equal":
                diffs.append((" ".join(g_words[max(0, g0 - context):g1 + context]),
                              " ".join(hyp_words[max(0, h0 - context):h1 + context])))
        rows.append(PassageScore(
            id=str(row.get("id", n)), tokens=len(g_words), raw_err=raw_err, clean_err=cln_err,
            fixed=sum(1 for a, b in zip(raw_ok, cln_ok) if not a and b),
            broken=sum(1 for a, b in zip(raw_ok, cln_ok) if a and not b),
            gold_marks=sum(g_marks.values()), out_marks=sum(h_marks.values()),
            mark_hit=sum((g_marks & h_marks).values()), chars=len(g_str),
            raw_cerr=Levenshtein.distance(g_str, r_str), clean_cerr=Levenshtein.distance(g_str, h_str),
            found=span is not None, diffs=diffs))
    return Scores(rows)

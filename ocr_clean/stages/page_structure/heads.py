"""Running heads and page numbers: read with the glyph table, accepted when they fit the
sequence of page numbers found in the same text."""
from __future__ import annotations

import bisect
import collections
import difflib

from ...ledger import APPLIED, QUEUED
from .patterns import _ascii_lower, _Block, _DIGITS, _LOWER, MAX_BACK


class _Heads:
    """Finding the running heads and page numbers of the text (blocks to remove)."""

    # -- running heads and page numbers -------------------------------------------------------
    def _read_number(self, s: str) -> str | None:
        """The digits of a printed page number ('?' for an unknown digit), or None."""
        t = self.t
        out = []
        for c in s:
            if c in _DIGITS:
                out.append(c)
            elif c in t.digit:
                out.append(t.digit[c])
            elif c in t.noise or c.isspace():
                continue
            elif c in t.wildcard:
                out.append("?")
            else:
                return None
        r = "".join(out)
        if not r or len(r) > 4 or _DIGITS.isdisjoint(r) or r.count("?") > 2:
            return None
        if _DIGITS.isdisjoint(s):
            return None
        return r

    @staticmethod
    def _values(num: str) -> list[int]:
        if "?" not in num:            # (most readings: one value)
            return [int(num)] if num else []
        vals = [""]
        for c in num:
            vals = [v + d for v in vals for d in ("0123456789" if c == "?" else c)]
        return [int(v) for v in vals if v]

    def _head_form(self, s: str) -> str | None:
        """'TITLE / N' or 'N / TITLE' with an upper-case title: the number part, else None.
        The title's letters are kept in ``self.head_titles``."""
        if "/" not in s:
            return None
        for k, title_first in ((s.rfind("/"), True), (s.find("/"), False)):
            title, num = (s[:k], s[k + 1:]) if title_first else (s[k + 1:], s[:k])
            # more ASCII lower-case letters than the share allowed of all characters: more
            # lower-case letters than that share of the letters (a quick test, in C, that
            # spares a line of prose with a slash the count below, letter by letter)
            if _ascii_lower(title) > 0.1 * len(title):
                continue
            letters = [c for c in title if c.isalpha()]
            if len(letters) < 4 or sum(c.islower() for c in letters) > 0.1 * len(letters):
                continue
            got = self._read_number(num.strip())
            if got is not None:
                self.head_titles.append("".join(letters).upper())
                return got
        return None

    def _title_heads(self, taken: set[int]) -> list[_Block]:
        """Running heads whose number the scan lost: an upper-case line with the title of
        other heads of the book.  Applied when it cuts a sentence (a title never does),
        else queued."""
        titles = collections.Counter(t for t in self.head_titles if len(t) >= 8)
        if not titles:
            return []
        # one matcher per title, each line's letters set as its other sequence: the title's
        # index is made once; quick_ratio, a bound of ratio, spares most pairs the exact one
        matchers = [(t, cnt, difflib.SequenceMatcher(None, "", t)) for t, cnt in titles.items()]
        out = []
        for i in self.after_blank:   # a head follows a blank line
            s = self.strip[i]
            if i in taken or "/" in s:
                continue
            # more ASCII lower-case letters than the share allowed of all letters: prose (a
            # quick test that spares most lines the exact one)
            if _ascii_lower(s) > 0.1 * len(s):
                continue
            letters = "".join(filter(str.isalpha, s))
            if len(letters) < 8 or sum(map(str.islower, letters)) > 0.1 * len(letters):
                continue
            key = letters.upper()
            seen = 0
            for t, cnt, sm in matchers:
                if abs(len(t) - len(key)) > 0.2 * len(t):
                    continue
                sm.set_seq1(key)
                if sm.quick_ratio() >= 0.9 and sm.ratio() >= 0.9:
                    seen += cnt
            if not seen:
                continue
            a = self._prev_content(i, taken)
            b = i + 1
            while b < self.n and (self.blank[b] or b in taken):
                b += 1
            cuts = a >= 0 and b < self.n and self._continues(a, b)
            conf = 0.85 if cuts else 0.6
            status = APPLIED if conf >= self.config["queue_below"] else QUEUED
            out.append(_Block(i, i, "head", "running-head", conf, status,
                              note=f"the title of {seen} other head(s), without a page number"))
        return out

    def _head_without_slash(self, s: str) -> tuple[str, str] | None:
        """'TITLE N' or 'N TITLE' (the slash lost): (title letters, number part), else None.
        Only a number that fits the page sequence, or a title seen in other heads, makes
        it a head.  (The first and last words are split off alone, and a title cut only
        for a number word: most lines have none.)"""
        first = s.split(None, 1)
        if len(first) < 2:
            return None
        # the title is the line but for a number word (at most 8 characters): a line with more
        # ASCII lower-case letters than that and the share allowed is prose (a quick test)
        if _ascii_lower(s) - 8 > 0.1 * len(s):
            return None
        last = s.rsplit(None, 1)[1]
        for at_end in (True, False):
            num = last if at_end else first[0]
            if len(num) > 8 or _DIGITS.isdisjoint(num):
                continue
            title = s[:s.rfind(num)] if at_end else s[len(num):]
            if len(_LOWER.findall(title)) > 0.1 * len(title):
                continue
            letters = [c for c in title if c.isalpha()]
            if len(letters) < 8:
                continue
            got = self._read_number(num)
            if got is not None:
                return "".join(letters).upper(), got
        return None

    def _heads_and_numbers(self) -> list[_Block]:
        """The running heads and page numbers to remove: the lines that read as one
        (:meth:`_number_candidates`), judged by the sequence of page numbers they make
        (:meth:`_page_chain`, :meth:`_number_blocks`)."""
        cands = self._number_candidates()
        if not cands:
            return []
        return self._number_blocks(cands, self._page_chain(cands))

    def _number_candidates(self) -> list[tuple]:
        """(first line, last line, kind, number as read, set apart by blank lines) of each line
        (or few short lines) that reads as a head ("TITLE / N"), a bare page number, or a
        head whose slash the scan lost."""
        n, strip, blank, lead = self.n, self.strip, self.blank, self.lead
        cands = []   # (first, last, kind, number-string, position evidence)
        maxk = int(self.config["max_head_lines"])
        # only lines with a digit or a slash can be a head or a number, or start a head
        # split over lines (whose slash is on one of the next maxk - 1 lines)
        tried = set(self.number_lines)
        for j in self.number_lines:
            if "/" in strip[j]:
                tried.update(range(max(0, j - maxk + 1), j))
        done = 0   # the lines before this one are in a head or a number found already
        for i in sorted(tried):
            if i < done or blank[i]:
                continue
            after_blank = i == 0 or blank[i - 1]
            found = None
            num = self._head_form(strip[i])
            if num is not None:
                found = (i, i, "head", num)
            elif after_blank:
                # a head the scan split over a few short lines
                for k in range(1, maxk):
                    j = i + k
                    if j >= n or blank[j] or any(not self._short(x) for x in range(i, j + 1)):
                        break
                    num = self._head_form("".join(strip[i:j + 1]))
                    if num is not None:
                        found = (i, j, "head", num)
                        break
            if found is None and len(strip[i]) <= 8:
                num = self._read_number(strip[i])
                if num is not None:
                    found = (i, i, "number", num)
            if found is None and len(strip[i]) <= 1.3 * self.width[i]:
                got = self._head_without_slash(strip[i])
                if got is not None:
                    found = (i, i, "head-noslash", got[1])
            if found is not None:
                f, l, kind, num = found
                before = f == 0 or blank[f - 1]
                after = l + 1 >= n or blank[l + 1] or lead[l + 1]
                cands.append((f, l, kind, num, before and after))
                done = l + 1
        return cands

    def _page_chain(self, cands: list[tuple]) -> list[tuple[int, int]]:
        """The sequence of page numbers: (line, number) of the heaviest chain of exact readings
        increasing with the lines at a plausible rate."""
        lpp = self._lines_per_page()      # lines a page, from the page-start lines
        exact = [(c, self._values(c[3])[0]) for c in cands if "?" not in c[3]]
        m = len(exact)
        best = [0.0] * m
        prev = [-1] * m
        first_line = [c[0] for c, _v in exact]
        value = [v for _c, v in exact]
        # the last MAX_BACK readings as (value, index), sorted: those that may come before a
        # reading are found by value (the readings come in line order)
        window: list[tuple[int, int]] = []
        for j in range(m):
            (cj, vj) = exact[j]
            wj = (3.0 if cj[2] == "head" else 1.0) + (1.0 if cj[4] else 0.0)
            if cj[2] == "head-noslash":
                wj = 0.5
            # the predecessor is looked for among the last MAX_BACK readings only: a page's
            # number follows one of the pages just before it, and a text of many short lines
            # of numbers would otherwise take time growing with the square of their count
            lj, bj, pj = cj[0], wj, -1
            lo = max(0, j - MAX_BACK)
            if j:
                if lo:
                    del window[bisect.bisect_left(window, (value[lo - 1], lo - 1))]
                bisect.insort(window, (value[j - 1], j - 1))
            fit = range(lo, j)
            if lpp > 0 and j:
                # a fit has vj - vi <= 3 + 1.35 * dl, and dl is at most that of the first
                # line of the window: only the readings whose value is that close (and less)
                least = vj - 3 - 1.35 * ((lj - first_line[lo]) / lpp) - 1e-6
                fit = sorted(i for _v, i in window[bisect.bisect_left(window, (least,)):
                                                   bisect.bisect_left(window, (vj,))])
            for i2 in fit:
                vi = value[i2]
                if vi >= vj:
                    continue
                dl = (lj - first_line[i2]) / lpp
                if abs((vj - vi) - dl) <= 3 + 0.35 * dl and best[i2] + wj > bj:
                    bj = best[i2] + wj
                    pj = i2
            best[j], prev[j] = bj, pj
        chain: list[tuple[int, int]] = []
        if m:
            j = max(range(m), key=lambda x: best[x])
            while j >= 0:
                chain.append((exact[j][0][0], exact[j][1]))
                j = prev[j]
            chain.reverse()
        return chain

    def _number_blocks(self, cands: list[tuple], chain: list[tuple[int, int]]) -> list[_Block]:
        """The candidates as blocks to remove (applied or queued), each trusted as far as the
        page sequence ``chain`` and the titles of the other heads bear it out."""
        strip = self.strip
        lpp = self._lines_per_page()
        chain_lines = [c[0] for c in chain]
        in_chain = set(chain_lines)
        # head titles seen more than once (a left-page head repeats the book's title)
        title_count: dict[str, int] = {}
        for c in cands:
            if c[2] == "head":
                key = "".join(ch for ch in "".join(strip[c[0]:c[1] + 1]).upper() if ch.isalpha())
                title_count[key] = title_count.get(key, 0) + 1

        def predict(line: int) -> float | None:
            if not chain:
                return None
            k = bisect.bisect_left(chain_lines, line)
            if 0 < k < len(chain):
                (l0, v0), (l1, v1) = chain[k - 1], chain[k]
                return v0 + (v1 - v0) * (line - l0) / max(1, l1 - l0)
            l0, v0 = chain[0] if k == 0 else chain[-1]
            return v0 + (line - l0) / lpp

        queue_below = self.config["queue_below"]
        out = []
        for (f, l, kind, num, pos_ok) in cands:
            vals = self._values(num)
            # a reading is only trusted when another page number agrees with it
            fits = f in in_chain and "?" not in num and len(chain) >= 2
            note = ""
            if not fits and len(chain) >= 2:
                p = predict(f)
                if p is not None:
                    v = min(vals, key=lambda x: abs(x - p))
                    if abs(v - p) <= self.config["number_tolerance"]:
                        fits = True
                        note = f"read as page {v} (expected about {p:.0f})"
            if kind == "head-noslash":
                got = self._head_without_slash(strip[f])
                title_known = got is not None and any(
                    k.startswith(got[0]) or k.endswith(got[0]) for k in title_count if len(got[0]) >= 8)
                if fits and pos_ok:
                    conf = 0.9
                elif title_known and (fits or pos_ok):
                    conf = 0.8
                elif fits or title_known:
                    conf = 0.6
                else:
                    continue
                kind, rule = "head", "running-head"
                note = (note + "; " if note else "") + "a head whose slash the scan lost"
            elif kind == "head":
                key = "".join(ch for ch in "".join(strip[f:l + 1]).upper() if ch.isalpha())
                if fits:
                    conf = 0.97
                elif title_count.get(key, 0) > 1 or len(chain) < 2:
                    conf = 0.85    # the form alone: nothing to check the number against
                else:
                    conf = 0.6     # its number contradicts the page sequence
                rule = "running-head"
            else:
                if not fits and len(chain) >= 2:
                    continue       # a number that is not a page number: a note, a year, a list
                if not fits:       # a lone number, nothing to check it against
                    if not pos_ok or max(vals) >= self.config["max_lone_page"]:
                        continue
                    conf = 0.5
                else:
                    conf = 0.95 if pos_ok else 0.6
                wild = num.count("?")
                if wild == 1:
                    conf = min(conf, 0.8)
                elif wild > 1:
                    conf = min(conf, 0.5)
                rule = "page-number"
            status = APPLIED if conf >= queue_below else QUEUED
            out.append(_Block(f, l, kind if kind == "head" else "number", rule, conf, status, note))
        return out

    def _lines_per_page(self) -> float:
        """The profile's lines a page (measured from the page starts), else 40."""
        return float(self.lpp) if self.lpp else 40.0

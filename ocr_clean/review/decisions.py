"""Deciding the items of the review queue (one, many, all alike), undoing, and exchanging
decisions as JSONL: the part of :class:`~ocr_clean.review.store.ReviewStore` that writes
decisions, kept apart from opening the queue and reading it."""
from __future__ import annotations

import json
from typing import Iterable

from ..ledger import ACCEPTED, EDITED, REJECTED
from .items import DECIDED, ITEM_FIELDS, ITEM_STATUSES, OPEN, Item, StoreError, evidence_pattern, kept_apart, now


class Decisions:
    """Deciding and the exchange of decisions, for :class:`~ocr_clean.review.store.ReviewStore`
    (which gives ``conn``, ``who``, ``transaction``, ``get``, ``items``, ``_insert`` and
    ``_changed``)."""

    # -- deciding -------------------------------------------------------------------------
    def decide(self, item_id: str, status: str, text: str | None = None, *,
               who: str | None = None) -> Item:
        """Record a decision: ``accepted`` (the suggestion, or ``text`` = a chosen candidate),
        ``rejected`` (the raw text stays) or ``edited`` (``text`` = the person's own)."""
        return self.decide_many([item_id], status, text, who=who)[0]

    def decide_many(self, ids: Iterable[str], status: str, text: str | None = None, *,
                    who: str | None = None) -> list[Item]:
        """Decide several items as one undoable group."""
        if status not in DECIDED:
            raise StoreError(f"unknown decision {status!r}; one of: {', '.join(DECIDED)}")
        if status == EDITED and text is None:
            raise StoreError("an edit needs the text to put in")
        who = who or self.who
        stamp = now()
        done = []
        with self.transaction():
            grp = self.conn.execute("SELECT COALESCE(MAX(grp), 0) + 1 FROM log").fetchone()[0]
            for item_id in ids:
                it = self.get(item_id)
                if it is None:
                    raise StoreError(f"no queued item {item_id!r} (see: ocr-clean queue list)")
                if status == ACCEPTED:
                    dec = text if text is not None else it.suggestion
                elif status == EDITED:
                    dec = text
                else:
                    dec = None
                st = status
                if st == EDITED and dec == it.suggestion:
                    st = ACCEPTED
                if dec == it.before:
                    st, dec = REJECTED, None   # choosing the raw text is a rejection
                apart = kept_apart(it.before, it.suggestion) if st == REJECTED else None
                if apart is not None:
                    # a line join refused: the words stay apart, on one line (the raw break
                    # as a space), never a paragraph split in two
                    st, dec = EDITED, apart
                self.conn.execute(
                    "INSERT INTO log(grp, item, prev_status, prev_decision, prev_who, prev_at, status, decision, "
                    "who, at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (grp, it.id, it.status, it.decision, it.who, it.decided_at, st, dec, who, stamp))
                self.conn.execute("UPDATE items SET status=?, decision=?, who=?, decided_at=? WHERE id=?",
                                  (st, dec, who, stamp, it.id))
                it.status, it.decision, it.who, it.decided_at = st, dec, who, stamp
                done.append(it)
        self._changed()
        return done

    def alike(self, item: Item, *, status: str = OPEN) -> list[Item]:
        """Items (of ``status``) making the same fix for the same reason: the same stage and
        rule, the same raw text and suggestion, and the same pattern of evidence (the note
        without its numbers, the names of the structured evidence, applied or not)."""
        rows = self.conn.execute(
            "SELECT * FROM items WHERE before=? AND suggestion=? AND status=? AND stage=? AND rule=? "
            "ORDER BY doc, raw_start, seq", (item.before, item.suggestion, status, item.stage, item.rule))
        key = evidence_pattern(item)
        return [x for x in map(Item.from_row, rows) if evidence_pattern(x) == key]

    def decide_alike(self, item_id: str, status: str, text: str | None = None, *,
                     who: str | None = None) -> list[Item]:
        """Decide this item and every open item with the same ``before -> suggestion``."""
        it = self.get(item_id)
        if it is None:
            raise StoreError(f"no queued item {item_id!r}")
        ids = [it.id] + [x.id for x in self.alike(it) if x.id != it.id]
        return self.decide_many(ids, status, text, who=who)

    def undo(self, *, who: str | None = None) -> list[Item]:
        """Take back the last decision group (of ``who``, when given); returns the items restored."""
        sql = "SELECT MAX(grp) FROM log WHERE undone=0" + (" AND who=?" if who else "")
        grp = self.conn.execute(sql, (who,) if who else ()).fetchone()[0]
        if grp is None:
            return []
        out = []
        with self.transaction():
            rows = self.conn.execute("SELECT * FROM log WHERE grp=? AND undone=0 ORDER BY seq DESC",
                                     (grp,)).fetchall()
            for r in rows:
                self.conn.execute("UPDATE items SET status=?, decision=?, who=?, decided_at=? WHERE id=?",
                                  (r["prev_status"], r["prev_decision"], r["prev_who"], r["prev_at"], r["item"]))
            self.conn.execute("UPDATE log SET undone=1 WHERE grp=?", (grp,))
        self._changed()
        for r in rows:
            it = self.get(r["item"])
            if it is not None:
                out.append(it)
        return out

    def history(self, item_id: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM log WHERE item=? ORDER BY seq", (item_id,))]

    # -- exchange -------------------------------------------------------------------------
    def export_jsonl(self, fh, *, status: str | Iterable[str] | None = None) -> int:
        n = 0
        for it in self.items(status=status):
            fh.write(json.dumps(it.to_dict(), ensure_ascii=False) + "\n")
            n += 1
        return n

    def import_jsonl(self, lines: Iterable[str], *, overwrite: bool = False) -> dict[str, int]:
        """Bring back items and decisions made elsewhere.

        Unknown items are added; an open item takes the imported decision; a decided one
        keeps its own unless ``overwrite`` (then the imported decision wins, logged, undoable).
        """
        counts = {"added": 0, "decided": 0, "kept": 0, "same": 0}
        stamp = now()
        records = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                it = Item(**{k: v for k, v in d.items() if k in ITEM_FIELDS})
            except (ValueError, TypeError) as exc:
                raise StoreError(f"line {n}: not a queue item ({exc})") from None
            if it.status not in ITEM_STATUSES:
                raise StoreError(f"line {n}: unknown status {it.status!r}")
            records.append(it)
        with self.transaction():
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM items").fetchone()[0]
            grp = self.conn.execute("SELECT COALESCE(MAX(grp), 0) + 1 FROM log").fetchone()[0]
            for it in records:
                cur = self.conn.execute("SELECT * FROM items WHERE id=?", (it.id,)).fetchone()
                if cur is None:
                    seq += 1
                    self._insert(it, seq, stamp)
                    counts["added"] += 1
                    continue
                if it.status == OPEN:
                    counts["same" if cur["status"] == OPEN else "kept"] += 1
                    continue
                if cur["status"] == it.status and cur["decision"] == it.decision:
                    counts["same"] += 1
                    continue
                if cur["status"] != OPEN and not overwrite:
                    counts["kept"] += 1
                    continue
                self.conn.execute(
                    "INSERT INTO log(grp, item, prev_status, prev_decision, prev_who, prev_at, status, decision, "
                    "who, at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (grp, it.id, cur["status"], cur["decision"], cur["who"], cur["decided_at"], it.status,
                     it.decision, it.who, it.decided_at or stamp))
                self.conn.execute("UPDATE items SET status=?, decision=?, who=?, decided_at=? WHERE id=?",
                                  (it.status, it.decision, it.who, it.decided_at or stamp, it.id))
                counts["decided"] += 1
        self._changed()
        return counts

"""The review queue: uncertain edits waiting for a person, and the decisions made.

A :class:`ReviewStore` is a SQLite file (stdlib ``sqlite3``, WAL mode, one
transaction per change, a schema version table).  It is also the *review sink* of
:class:`~ocr_clean.pipeline.Pipeline`:

* :meth:`ReviewStore.decision` answers, for every edit a stage proposes, what a
  person already decided for it (by the edit's stable id), so a decided item is
  applied (or kept out) on every later run and never asked again;
* :meth:`ReviewStore.submit` receives the edits left queued at the end of a run and
  adds the new ones as open items (an item already decided is never reopened).

Decisions also teach the next clean: :meth:`learned_words` (the accepted forms, for
the lexicon), :meth:`learned_pairs` (accepted ``before -> after`` word pairs, for the
confusion profile) and :meth:`rejected_forms` (raw forms a person protected).

Statuses of an item: ``open``, ``accepted``, ``rejected``, ``edited``.  Every
decision is logged with who and when; :meth:`undo` takes back the last one (or the
last "decide all alike" group) and restores what was there before.

The parts: :mod:`.items` (an item as stored, its statuses, how it is shown),
:mod:`.queue_db` (the SQLite schema, transactions, raw lines), :mod:`.decisions`
(deciding, undoing, exchanging decisions as JSONL) and this module (the store: opening
it, the pipeline's review sink, what decisions teach, reading the queue).
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable

from ..ledger import ACCEPTED, EDITED, QUEUED, REJECTED, Edit
from ..lexicon import WORD
from ..review_port import Lessons
from .decisions import Decisions
from .items import (DECIDED, ITEM_STATUSES, OPEN, Item, StoreError, default_who, evidence_pattern,
                    is_word_form, kept_apart, marked_context, now, visible)
from .queue_db import SCHEMA, SCHEMA_VERSION, RawLines, Transaction, cannot_write

__all__ = ["DECIDED", "DEFAULT_DB", "ITEM_STATUSES", "OPEN", "SCHEMA_VERSION", "Item", "ReviewStore",
           "StoreError", "evidence_pattern", "is_word_form", "kept_apart", "marked_context", "visible"]

DEFAULT_DB = Path(".ocr_clean") / "review.sqlite"


class ReviewStore(Decisions):
    """The review queue in a SQLite file; also the pipeline's review sink (deciding and the
    exchange of decisions: :class:`~.decisions.Decisions`)."""

    def __init__(self, path: Path | str = DEFAULT_DB, *, who: str | None = None,
                 protect_alike: bool = True, read_only: bool = False) -> None:
        """Open (or make) the queue at ``path``.  ``read_only``: open an existing queue for
        reading only (nothing is written, not even SQLite's journal files); a queue that
        cannot be written (a read-only disk or file) is also opened so, for reading."""
        self.path = Path(path)
        self.who = who or default_who()
        # A queued edit making exactly a fix a person rejected elsewhere is kept out
        # without asking again (word forms only).
        self.protect_alike = protect_alike
        self.read_only = read_only
        self._sources: dict[str, str] = {}
        self._cache: dict[str, dict[str, tuple[str, str]]] = {}
        self._rejected_pairs: set[tuple[str, str]] | None = None
        if read_only:
            self._open_read_only()
            return
        if str(self.path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot make its folder ({exc.strerror or exc})") from None
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            if self.path.is_file():     # there, but not to be written: read it
                self._open_read_only()
                return
            raise StoreError(f"{self.path}: cannot open the review queue ({exc})") from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.OperationalError as exc:
            self.conn.close()
            if self.path.is_file() and cannot_write(exc):   # a read-only disk or file: read it
                self._open_read_only()
                return
            raise StoreError(f"{self.path}: not a review queue ({exc})") from None
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: not a review queue ({exc})") from None

    def _open_read_only(self) -> None:
        """Open the existing queue for reading only: SQLite's read-only mode, or, when even
        that would need to write (a WAL queue whose journal files are missing, on a read-only
        disk), as an immutable file."""
        self.read_only = True
        if not self.path.is_file():
            raise StoreError(f"{self.path}: no review queue there")
        uri = self.path.resolve().as_uri()
        last: Exception | None = None
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(uri + query, uri=True, timeout=30, isolation_level=None)
                conn.row_factory = sqlite3.Row
                version = conn.execute("SELECT version FROM schema_version").fetchone()
            except sqlite3.DatabaseError as exc:
                last = exc
                try:
                    conn.close()
                except (NameError, UnboundLocalError, sqlite3.Error):
                    pass
                continue
            if version is None:
                conn.close()
                raise StoreError(f"{self.path}: not a review queue (no schema version)")
            self.conn = conn
            return
        raise StoreError(f"{self.path}: not a review queue, or not readable ({last})")

    # -- plumbing -------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction():
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)
            row = self.conn.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                self.conn.execute("INSERT INTO schema_version(version) VALUES (?)", (SCHEMA_VERSION,))
            elif row[0] > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: made by a newer ocr_clean (schema {row[0]} > {SCHEMA_VERSION}); upgrade ocr_clean")
            elif row[0] < SCHEMA_VERSION:   # 1 -> 2: the evidence of each item; 2 -> 3: its run status
                have = {r["name"] for r in self.conn.execute("PRAGMA table_info(items)")}
                if "evidence" not in have:
                    self.conn.execute("ALTER TABLE items ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}'")
                if "run_status" not in have:
                    self.conn.execute("ALTER TABLE items ADD COLUMN run_status TEXT NOT NULL DEFAULT 'queued'")
                self.conn.execute("UPDATE schema_version SET version=?", (SCHEMA_VERSION,))

    def transaction(self):
        if self.read_only:
            raise StoreError(f"{self.path}: the review queue can be read here, not changed "
                             "(opened read-only: a read-only disk or file?)")
        return Transaction(self.conn, self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "ReviewStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _changed(self) -> None:
        self._cache.clear()
        self._rejected_pairs = None

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT version FROM schema_version").fetchone()[0])

    # -- documents and their raw text -----------------------------------------------------
    def set_source(self, doc: str, source: Path | str | None = None, *, raw: str | None = None,
                   raw_sha256: str | None = None, cleaned: Path | str | None = None,
                   words: int | None = None) -> None:
        """Remember where a document's raw text is (and optionally its text, for raw lines)."""
        if raw is not None:
            self._sources[doc] = raw
        with self.transaction():
            self.conn.execute(
                "INSERT INTO docs(name, source, raw_sha256, cleaned, words) VALUES (?,?,?,?,?) "
                "ON CONFLICT(name) DO UPDATE SET source=COALESCE(excluded.source, source), "
                "raw_sha256=COALESCE(excluded.raw_sha256, raw_sha256), "
                "cleaned=COALESCE(excluded.cleaned, cleaned), words=COALESCE(excluded.words, words)",
                (doc, str(source) if source else None, raw_sha256,
                 str(cleaned) if cleaned else None, words))
        if raw is not None:
            self.fill_raw_lines(doc, raw)

    def docs(self) -> dict[str, dict]:
        return {r["name"]: dict(r) for r in self.conn.execute("SELECT * FROM docs")}

    def fill_raw_lines(self, doc: str, raw: str) -> int:
        """Store the raw lines of the items of ``doc`` that have none yet."""
        rows = self.conn.execute(
            "SELECT id, raw_start, raw_end, raw_line FROM items WHERE doc=? AND raw_lines=''", (doc,)).fetchall()
        if not rows:
            return 0
        lines = RawLines(raw)
        with self.transaction():
            for r in rows:
                first, last, text = lines.around(r["raw_start"], r["raw_end"], r["raw_line"])
                self.conn.execute("UPDATE items SET raw_lines=?, raw_line_end=? WHERE id=?",
                                  (text, last, r["id"]))
        return len(rows)

    # -- the pipeline's review sink -------------------------------------------------------
    def decisions_for(self, doc: str) -> dict[str, tuple[str, str]]:
        """``{id: (status, text)}`` for every decided item of ``doc`` (a plain dict for workers)."""
        out = {}
        for r in self.conn.execute(
                "SELECT id, status, decision, suggestion FROM items WHERE doc=? AND status!='open'", (doc,)):
            text = r["decision"] if r["status"] in (ACCEPTED, EDITED) and r["decision"] is not None \
                else r["suggestion"]
            out[r["id"]] = (r["status"], text)
        return out

    def ids_of(self, doc: str) -> set[str]:
        """The ids of every item of ``doc``, whatever its status."""
        return {r[0] for r in self.conn.execute("SELECT id FROM items WHERE doc=?", (doc,))}

    def open_suggestions(self, doc: str) -> dict[str, str]:
        """``{id: suggestion}`` of the open items of ``doc``."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT id, suggestion FROM items WHERE doc=? AND status='open'", (doc,))}

    def decision(self, doc: str, edit: Edit) -> tuple[str, str] | None:
        known = self._cache.get(doc)
        if known is None:
            known = self._cache[doc] = self.decisions_for(doc)
        d = known.get(edit.id)
        if d is not None:
            return d
        if self.protect_alike and edit.status == QUEUED and is_word_form(edit.before):
            if self._rejected_pairs is None:
                self._rejected_pairs = {
                    (r[0], r[1]) for r in self.conn.execute(
                        "SELECT before, suggestion FROM items WHERE status='rejected'")}
            if (edit.before, edit.after) in self._rejected_pairs:
                return REJECTED, edit.after
        return None

    def submit(self, doc: str, edits: Iterable[Edit]) -> int:
        """Add the queued edits of a run as open items; returns how many are new.

        An open item seen again is refreshed (context, candidates); a decided one is
        left alone: it is never reopened.
        """
        stamp = now()
        new = 0
        raw = self._sources.get(doc)
        lines = RawLines(raw) if raw is not None else None
        with self.transaction():
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM items").fetchone()[0]
            for e in edits:
                it = Item.from_edit(doc, e)
                if lines is not None:
                    _, it.raw_line_end, it.raw_lines = lines.around(it.raw_start, it.raw_end, it.raw_line)
                row = self.conn.execute("SELECT status FROM items WHERE id=?", (it.id,)).fetchone()
                if row is None:
                    seq += 1
                    self._insert(it, seq, stamp)
                    new += 1
                elif row["status"] == OPEN:
                    self.conn.execute(
                        "UPDATE items SET candidates=?, confidence=?, context=?, note=?, evidence=?, seen_at=?, "
                        "run_status=?, "
                        "raw_line=?, raw_col=?, raw_start=?, raw_end=?, "
                        "raw_lines=CASE WHEN ?='' THEN raw_lines ELSE ? END, "
                        "raw_line_end=CASE WHEN ?='' THEN raw_line_end ELSE ? END WHERE id=?",
                        (json.dumps(it.candidates, ensure_ascii=False), it.confidence, it.context,
                         it.note, json.dumps(it.evidence, ensure_ascii=False), stamp, it.run_status, it.raw_line, it.raw_col, it.raw_start, it.raw_end,
                         it.raw_lines, it.raw_lines, it.raw_lines, it.raw_line_end, it.id))
        self._cache.pop(doc, None)
        return new

    def _insert(self, it: Item, seq: int, stamp: str) -> None:
        self.conn.execute(
            "INSERT INTO items(id, seq, doc, stage, rule, raw_line, raw_col, raw_line_end, raw_start, raw_end, "
            "before, suggestion, candidates, confidence, context, raw_lines, note, evidence, run_status, status, "
            "decision, who, decided_at, created_at, seen_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (it.id, seq, it.doc, it.stage, it.rule, it.raw_line, it.raw_col, it.raw_line_end or it.raw_line,
             it.raw_start, it.raw_end, it.before, it.suggestion,
             json.dumps(list(it.candidates), ensure_ascii=False), it.confidence, it.context, it.raw_lines,
             it.note, json.dumps(it.evidence, ensure_ascii=False), it.run_status or QUEUED, it.status, it.decision, it.who, it.decided_at,
             it.created_at or stamp, stamp))

    # -- what decisions teach -------------------------------------------------------------
    def learned_words(self) -> set[str]:
        """Words of the forms people accepted or typed (for the book's lexicon)."""
        out: set[str] = set()
        for r in self.conn.execute(
                "SELECT before, COALESCE(decision, suggestion) AS text FROM items "
                "WHERE status IN ('accepted', 'edited')"):
            before_words = set(WORD.findall(r["before"]))
            for w in WORD.findall(r["text"] or ""):
                if w not in before_words:
                    out.add(w)
        return out

    def learned_pairs(self) -> list[tuple[str, str]]:
        """Accepted ``(before, after)`` word pairs (for the confusion profile), oldest first."""
        out = []
        for r in self.conn.execute(
                "SELECT before, COALESCE(decision, suggestion) AS text FROM items "
                "WHERE status IN ('accepted', 'edited') ORDER BY decided_at, seq"):
            b, a = r["before"].strip(), (r["text"] or "").strip()
            if b != a and is_word_form(b) and is_word_form(a):
                out.append((b, a))
        return out

    def lessons(self) -> Lessons:
        """What the decisions teach the next clean (the review port's lessons)."""
        rejected_pairs: set[tuple[str, str]] = set()
        if self.protect_alike:
            rejected_pairs = {(it.before, it.suggestion) for it in self.items(status=REJECTED)}
        return Lessons(tuple(sorted(self.learned_words())), tuple(sorted(self.rejected_forms())),
                       tuple(tuple(p) for p in self.learned_pairs()), tuple(sorted(rejected_pairs)))

    def rejected_forms(self) -> set[str]:
        """Raw word forms a person protected by rejecting a fix of them."""
        return {r[0].strip() for r in self.conn.execute("SELECT before FROM items WHERE status='rejected'")
                if is_word_form(r[0])}

    # -- reading the queue ----------------------------------------------------------------
    def items(self, *, status: str | Iterable[str] | None = None, rule: str | None = None,
              stage: str | None = None, doc: str | None = None, limit: int | None = None) -> list[Item]:
        sql, args = self._where(status, rule, stage, doc)
        sql.insert(0, "SELECT * FROM items")
        sql.append("ORDER BY doc, raw_start, seq")
        if limit:
            sql.append("LIMIT ?")
            args.append(int(limit))
        return [Item.from_row(r) for r in self.conn.execute(" ".join(sql), args)]

    def count(self, *, status: str | Iterable[str] | None = None, rule: str | None = None,
              stage: str | None = None, doc: str | None = None) -> int:
        sql, args = self._where(status, rule, stage, doc)
        return int(self.conn.execute("SELECT COUNT(*) FROM items " + " ".join(sql), args).fetchone()[0])

    def _where(self, status, rule, stage, doc) -> tuple[list[str], list]:
        sql, args = ["WHERE 1=1"], []
        if status:
            sts = [status] if isinstance(status, str) else list(status)
            if "decided" in sts:
                sts = [s for s in sts if s != "decided"] + list(DECIDED)
            bad = [s for s in sts if s not in ITEM_STATUSES]
            if bad:
                raise StoreError(f"unknown status {bad[0]!r}; one of: {', '.join(ITEM_STATUSES)}, decided")
            sql.append(f"AND status IN ({','.join('?' * len(sts))})")
            args += sts
        for col, val in (("rule", rule), ("stage", stage), ("doc", doc)):
            if val:
                sql.append(f"AND {col}=?")
                args.append(val)
        return sql, args

    def get(self, item_id: str) -> Item | None:
        row = self.conn.execute("SELECT * FROM items WHERE id=?", (item_id,)).fetchone()
        if row is None:
            # a unique prefix is enough
            rows = self.conn.execute("SELECT * FROM items WHERE id LIKE ? LIMIT 2",
                                     (item_id.replace("%", "") + "%",)).fetchall()
            if len(rows) == 1:
                row = rows[0]
        return Item.from_row(row) if row is not None else None

    def find(self, item_id: str, limit: int = 50) -> list[Item]:
        """The item with this id, else every item whose id starts with it (at most ``limit``)."""
        row = self.conn.execute("SELECT * FROM items WHERE id=?", (item_id,)).fetchone()
        if row is not None:
            return [Item.from_row(row)]
        prefix = item_id.replace("\\", "").replace("%", "").replace("_", "")
        if not prefix or prefix != item_id:
            return []
        rows = self.conn.execute("SELECT * FROM items WHERE id LIKE ? ORDER BY doc, raw_start, seq LIMIT ?",
                                 (prefix + "%", int(limit)))
        return [Item.from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ITEM_STATUSES}
        for r in self.conn.execute("SELECT status, COUNT(*) FROM items GROUP BY status"):
            out[r[0]] = r[1]
        return out

    def stats(self) -> dict:
        """Open/decided counts overall, by rule (stage:rule), by stage and by document."""
        def group(col: str) -> dict[str, dict[str, int]]:
            out: dict[str, dict[str, int]] = {}
            for r in self.conn.execute(f"SELECT {col} AS k, status, COUNT(*) AS n FROM items GROUP BY k, status"):
                row = out.setdefault(r["k"], {s: 0 for s in ITEM_STATUSES})
                row[r["status"]] = r["n"]
            for row in out.values():
                row["decided"] = sum(row[s] for s in DECIDED)
            return dict(sorted(out.items()))
        total = self.counts()
        total["decided"] = sum(total[s] for s in DECIDED)
        return {"total": total, "by_rule": group("stage || ':' || rule"), "by_stage": group("stage"),
                "by_doc": group("doc")}

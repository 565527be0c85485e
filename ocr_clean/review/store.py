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
"""
from __future__ import annotations

import datetime as _dt
import getpass
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..ledger import ACCEPTED, APPLIED, EDITED, QUEUED, REJECTED, Edit
from ..lexicon import WORD
from ..review_port import Lessons

SCHEMA_VERSION = 3   # 2: items.evidence; 3: items.run_status
DEFAULT_DB = Path(".ocr_clean") / "review.sqlite"

OPEN = "open"
DECIDED = (ACCEPTED, REJECTED, EDITED)
ITEM_STATUSES = (OPEN, *DECIDED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    stage       TEXT NOT NULL,
    rule        TEXT NOT NULL,
    raw_line    INTEGER NOT NULL DEFAULT 0,
    raw_col     INTEGER NOT NULL DEFAULT 0,
    raw_line_end INTEGER NOT NULL DEFAULT 0,
    raw_start   INTEGER NOT NULL DEFAULT -1,
    raw_end     INTEGER NOT NULL DEFAULT -1,
    before      TEXT NOT NULL,
    suggestion  TEXT NOT NULL,
    candidates  TEXT NOT NULL DEFAULT '[]',
    confidence  REAL NOT NULL DEFAULT 0,
    context     TEXT NOT NULL DEFAULT '',
    raw_lines   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '{}',
    run_status  TEXT NOT NULL DEFAULT 'queued',
    status      TEXT NOT NULL DEFAULT 'open',
    decision    TEXT,
    who         TEXT,
    decided_at  TEXT,
    created_at  TEXT NOT NULL,
    seen_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_status ON items(status, seq);
CREATE INDEX IF NOT EXISTS items_doc ON items(doc, status);
CREATE INDEX IF NOT EXISTS items_pair ON items(before, suggestion, status);
CREATE TABLE IF NOT EXISTS log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    grp         INTEGER NOT NULL,
    item        TEXT NOT NULL,
    prev_status TEXT NOT NULL,
    prev_decision TEXT,
    prev_who    TEXT,
    prev_at     TEXT,
    status      TEXT NOT NULL,
    decision    TEXT,
    who         TEXT,
    at          TEXT NOT NULL,
    undone      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS docs (
    name        TEXT PRIMARY KEY,
    source      TEXT,
    raw_sha256  TEXT,
    cleaned     TEXT,
    words       INTEGER
);
"""


class StoreError(ValueError):
    """A problem with the queue the user can fix; the message is one line."""


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def default_who() -> str:
    for var in ("OCR_CLEAN_WHO", "USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return "unknown"


def is_word_form(s: str) -> bool:
    """A single token with a letter in it (no spaces): a form a person can protect or learn."""
    s = s.strip()
    return bool(s) and not any(c.isspace() for c in s) and any(c.isalpha() for c in s)


def visible(s: str) -> str:
    """Text a reader can see: an empty string, spaces at the edges and line breaks marked."""
    if s == "":
        return "\u2205"
    if not s.strip():
        return s.replace(" ", "\u2423").replace("\n", "\u23ce")
    lead, trail = len(s) - len(s.lstrip(" ")), len(s) - len(s.rstrip(" "))
    return ("\u2423" * lead + s.strip(" ") + "\u2423" * trail).replace("\n", "\u23ce")


def kept_apart(before: str, suggestion: str) -> str | None:
    """For a line join (``land\nholdings`` -> ``landholdings``): the raw text with its line
    break as a space (``land holdings``), which is what keeping the raw text means inside
    a paragraph (every paragraph is one line).  None for anything else."""
    if before.count("\n") != 1 or "\n" in suggestion:
        return None
    left, right = before.split("\n")
    if not left.strip() or not right.strip():
        return None
    return left.rstrip(" ") + " " + right.lstrip(" ")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def evidence_pattern(it: "Item") -> tuple:
    """What kind of evidence made an item: its note without the numbers, the evidence's
    names, and whether it is in the text already."""
    return _NUMBER.sub("#", it.note or ""), tuple(sorted(it.evidence or {})), it.run_status


@dataclass
class Item:
    """One queued edit as stored."""

    id: str
    doc: str
    stage: str
    rule: str
    before: str
    suggestion: str
    candidates: list[str] = field(default_factory=list)
    confidence: float = 0.0
    context: str = ""
    raw_lines: str = ""
    raw_line: int = 0
    raw_col: int = 0
    raw_line_end: int = 0
    raw_start: int = -1
    raw_end: int = -1
    note: str = ""
    evidence: dict = field(default_factory=dict)
    run_status: str = QUEUED     # "applied": a low-confidence fix already in the text, until rejected
    status: str = OPEN
    decision: str | None = None
    who: str | None = None
    decided_at: str | None = None
    created_at: str = ""
    seq: int = 0

    @property
    def decided(self) -> bool:
        return self.status in DECIDED

    @property
    def applied(self) -> bool:
        """Open, but already in the text: a fix applied at low confidence, shown for review."""
        return self.status == OPEN and self.run_status == APPLIED

    @property
    def chosen(self) -> str:
        """The text in the output if this decision stands (open: what the file has now)."""
        if self.status in (ACCEPTED, EDITED):
            return self.decision if self.decision is not None else self.suggestion
        if self.applied:
            return self.suggestion
        return self.before

    @property
    def ranked(self) -> list[str]:
        """The suggestion first, then the other candidates, without repeats."""
        out = [self.suggestion]
        for c in self.candidates:
            if c not in out and c != self.before:   # the raw text is the reject key
                out.append(c)
        return out

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["candidates"] = list(self.candidates)
        d["evidence"] = dict(self.evidence)
        return d

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Item":
        d = dict(row)
        d["candidates"] = json.loads(d.get("candidates") or "[]")
        d["evidence"] = json.loads(d.get("evidence") or "{}")
        return cls(**{k: v for k, v in d.items() if k in _ITEM_FIELDS})

    @classmethod
    def from_edit(cls, doc: str, e: Edit) -> "Item":
        return cls(
            id=e.id or e.make_id(doc), doc=doc, stage=e.stage, rule=e.rule,
            before=e.before, suggestion=e.after,
            candidates=[c for c in e.candidates if c != e.after],
            confidence=float(e.confidence), context=e.context, raw_line=e.raw_line,
            raw_col=e.raw_col, raw_start=e.raw_start, raw_end=e.raw_end, note=e.note,
            evidence=dict(e.evidence), run_status=APPLIED if e.status == APPLIED else QUEUED,
        )


_ITEM_FIELDS = set(Item.__dataclass_fields__)


class ReviewStore:
    """The review queue in a SQLite file; also the pipeline's review sink."""

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
            if self.path.is_file() and _cannot_write(exc):   # a read-only disk or file: read it
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
            for stmt in _SCHEMA.split(";"):
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
        return _Tx(self.conn, self.path)

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
        lines = _Lines(raw)
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
        lines = _Lines(raw) if raw is not None else None
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
                it = Item(**{k: v for k, v in d.items() if k in _ITEM_FIELDS})
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


def _cannot_write(exc: sqlite3.Error) -> bool:
    msg = str(exc).lower()
    return "readonly" in msg or "read-only" in msg or "unable to open" in msg


class _Tx:
    """``with store.transaction():`` BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error); nests.
    A queue that cannot be written (a read-only disk or file) gives a one-line StoreError."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path
        self.outer = False

    def __enter__(self):
        if not self.conn.in_transaction:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                self._read_only(exc)
                raise
            self.outer = True
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc2:
                self.conn.execute("ROLLBACK")
                self._read_only(exc2)
                raise
        else:
            self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                self._read_only(exc)

    def _read_only(self, exc: sqlite3.Error) -> None:
        if _cannot_write(exc):
            raise StoreError(f"{self.path}: the review queue can be read here, not changed "
                             "(a read-only disk or file?)") from None


class _Lines:
    """Raw line look-up by offset."""

    def __init__(self, raw: str) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self.raw = raw
        self.starts = [0] + [i + 1 for i, c in enumerate(raw) if c == "\n"]

    def line_of(self, offset: int) -> int:
        return self._bisect(self.starts, max(0, offset)) - 1  # 0-based

    def around(self, raw_start: int, raw_end: int, raw_line: int = 0) -> tuple[int, int, str]:
        """(first, last) 1-based line numbers and the text of the raw lines a span comes from."""
        if raw_start is None or raw_start < 0:
            if raw_line <= 0:
                return 0, 0, ""
            a = b = raw_line - 1
        else:
            a = self.line_of(raw_start)
            b = self.line_of(max(raw_start, (raw_end if raw_end is not None else raw_start) - 1))
        a = min(a, len(self.starts) - 1)
        b = min(max(a, b), len(self.starts) - 1)
        end = self.starts[b + 1] - 1 if b + 1 < len(self.starts) else len(self.raw)
        return a + 1, b + 1, self.raw[self.starts[a]:end]


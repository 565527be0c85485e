"""The review queue's SQLite file: its schema, transactions that give a one-line error on a
read-only disk, and the raw lines an item's span comes from."""
from __future__ import annotations

import bisect
import sqlite3
from pathlib import Path

from .items import StoreError

SCHEMA_VERSION = 3   # 2: items.evidence; 3: items.run_status

SCHEMA = """
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


def cannot_write(exc: sqlite3.Error) -> bool:
    msg = str(exc).lower()
    return "readonly" in msg or "read-only" in msg or "unable to open" in msg


class Transaction:
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
        if cannot_write(exc):
            raise StoreError(f"{self.path}: the review queue can be read here, not changed "
                             "(a read-only disk or file?)") from None


class RawLines:
    """Raw line look-up by offset."""

    def __init__(self, raw: str) -> None:
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

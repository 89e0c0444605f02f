"""The embedded default store: one SQLite file, WAL mode, ``synchronous=FULL``.

Each commit batch is one ``BEGIN IMMEDIATE`` transaction: the journal rows and the record
upserts become durable together or not at all. A file that is not an SQLite database is
refused with ``StoreCorruptError`` before SQLite touches it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence

from clawvm.errors import StoreCorruptError, StoreError
from clawvm.stores._util import (
    JOURNAL_COLUMNS,
    Slot,
    canonical,
    entry_from_row,
    entry_to_dict,
    journal_row,
    judge,
    lookup_slot,
)
from clawvm.stores.base import (
    ApplyFn,
    Decision,
    JournalEntry,
    ReadResult,
    Record,
    Scope,
    Staged,
)

MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    scope TEXT NOT NULL, session TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, version INTEGER NOT NULL, ptype TEXT,
    PRIMARY KEY (scope, session, key)
);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL, op TEXT NOT NULL, value TEXT NOT NULL,
    scope TEXT NOT NULL, principal TEXT NOT NULL, session TEXT NOT NULL,
    evidence_ref TEXT, base_version INTEGER, ptype TEXT,
    accepted INTEGER NOT NULL, reason TEXT, detail TEXT NOT NULL DEFAULT '',
    version INTEGER, result TEXT
);
CREATE INDEX IF NOT EXISTS journal_key ON journal (key, seq);
"""

_JOURNAL_COLS = ", ".join(JOURNAL_COLUMNS)


def _check_header(path: str) -> None:
    """Refuse a non-empty file that does not start with SQLite's magic string."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not an SQLite database") from None
    if head and head != MAGIC:
        raise StoreCorruptError(f"{path}: not an SQLite database (bad header {head[:16]!r})")


class SQLiteStore:
    """Records and journal in one SQLite database; safe across threads and processes."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        raw = os.fspath(path)
        memory = raw in (":memory:", "")
        self.path = ":memory:" if memory else os.path.abspath(raw)
        self.url = "sqlite://:memory:" if memory else "sqlite:///" + self.path
        if not memory:
            _check_header(self.path)
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        self._lock = threading.RLock()
        try:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=busy_timeout_ms / 1000,
            )
        except sqlite3.Error as e:
            raise StoreError(f"{self.url}: cannot open ({e})") from e
        self._conn: sqlite3.Connection | None = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        conn.execute(stmt)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as e:
            conn.close()
            self._conn = None
            if isinstance(e, sqlite3.OperationalError):
                raise StoreError(f"{self.url}: cannot open ({e})") from e
            raise StoreCorruptError(f"{self.url}: not a usable SQLite database ({e})") from e
        except BaseException:
            conn.close()
            self._conn = None
            raise

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.url}: store is closed")
        return self._conn

    def _current(self, slot: Slot) -> Record | None:
        row = (
            self._db()
            .execute(
                "SELECT value, version, ptype FROM records WHERE scope=? AND session=? AND key=?",
                slot,
            )
            .fetchone()
        )
        if row is None:
            return None
        scope, session, key = slot
        value = json.loads(row[0])
        return Record(key, scope, session, value, row[1], row[2])  # type: ignore[arg-type]

    def get(self, key: str, scope: Scope, session: str) -> ReadResult:
        slot = lookup_slot(key, scope, session)
        try:
            with self._lock:
                rec = self._current(slot)
        except (sqlite3.Error, StoreError) as e:
            return ReadResult("backend_error", reason=f"{self.url}: {e}")
        if rec is None:
            return ReadResult("no_match", reason=f"no committed record for {slot}")
        return ReadResult("ok", rec)

    def commit(self, batch: Sequence[Staged], apply: ApplyFn) -> list[Decision]:
        with self._lock:
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise _store_error(self.url, e) from e
            try:
                decisions, changed = judge(batch, apply, self._current)
                rows = [_sqlite_row(journal_row(entry_to_dict(0, d))) for d in decisions]
                db.executemany(f"INSERT INTO journal ({_JOURNAL_COLS}) VALUES ({_QMARKS})", rows)
                db.executemany(
                    "INSERT OR REPLACE INTO records (scope, session, key, value, version, ptype) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (r.scope, r.session, r.key, canonical(r.value), r.version, r.ptype)
                        for r in changed.values()
                    ],
                )
                db.execute("COMMIT")
            except BaseException as e:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):
                    raise _store_error(self.url, e) from e
                raise
        return decisions

    def history(self, key: str | None = None) -> Iterator[JournalEntry]:
        sql = f"SELECT {_JOURNAL_COLS} FROM journal"
        args: tuple[str, ...] = ()
        if key is not None:
            sql += " WHERE key = ?"
            args = (key,)
        with self._lock:
            try:
                rows = self._db().execute(sql + " ORDER BY seq", args).fetchall()
            except sqlite3.Error as e:
                raise _store_error(self.url, e) from e
        return (entry_from_row(row) for row in rows)

    def keys(self) -> list[tuple[Scope, str, str]]:
        with self._lock:
            rows = self._db().execute("SELECT scope, session, key FROM records").fetchall()
        return sorted(tuple(r) for r in rows)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_QMARKS = ", ".join("?" * len(JOURNAL_COLUMNS))


def _store_error(url: str, e: sqlite3.Error) -> StoreError:
    if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
        return StoreCorruptError(f"{url}: {e}")
    return StoreError(f"{url}: {e}")


def _sqlite_row(row: tuple[object, ...]) -> tuple[object, ...]:
    """seq is assigned by SQLite (insertion order); booleans are stored as integers."""
    return (None, *(int(v) if isinstance(v, bool) else v for v in row))

"""The embedded default store: one SQLite file, WAL mode, ``synchronous=FULL``.

Each commit batch is one ``BEGIN IMMEDIATE`` transaction: the journal rows and the record
upserts become durable together or not at all. Tables::

    clawvm_meta    (name, value)        schema_version = 1
    clawvm_records (scope, session, key, value, version, ptype)
    clawvm_journal (seq, key, op, value, ..., uid)    uid unique: the idempotency id

What a file may be, checked before anything is written to it (not even WAL mode):

* missing, empty, or an SQLite database with no schema objects at all: a new store;
* a database with ``clawvm_meta`` at this schema version and clawvm's tables: ours;
* anything else is refused, untouched: a file that is not SQLite (``StoreCorruptError``),
  and a *foreign* database, one that has tables, views, indexes or triggers but no
  ``clawvm_meta``, or whose ``clawvm_meta`` names another schema version or whose tables
  lack clawvm's columns (``StoreSchemaError``). clawvm never adds its tables to someone
  else's database: give it a file of its own.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from urllib.parse import quote

from clawvm.errors import StoreCorruptError, StoreError, StoreSchemaError
from clawvm.stores._util import (
    DROPPED_TEXT,
    JOURNAL_COLUMNS,
    Slot,
    canonical,
    check_batch,
    entry_from_row,
    entry_to_dict,
    journal_row,
    judge,
    lookup_slot,
    name_problem,
    no_record,
    resume_rows,
    storable,
    stored_records,
    stored_value,
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
SCHEMA_VERSION = "1"

_RECORD_COLUMNS = ("scope", "session", "key", "value", "version", "ptype")
_SCHEMA = (
    "CREATE TABLE clawvm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE clawvm_records (
    scope TEXT NOT NULL, session TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, version INTEGER NOT NULL, ptype TEXT,
    PRIMARY KEY (scope, session, key)
)""",
    """CREATE TABLE clawvm_journal (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL, op TEXT NOT NULL, value TEXT NOT NULL,
    scope TEXT NOT NULL, principal TEXT NOT NULL, session TEXT NOT NULL,
    evidence_ref TEXT, base_version INTEGER, ptype TEXT,
    accepted INTEGER NOT NULL, reason TEXT, detail TEXT NOT NULL DEFAULT '',
    version INTEGER, result TEXT, uid TEXT NOT NULL
)""",
    "CREATE INDEX clawvm_journal_key ON clawvm_journal (key, seq)",
    "CREATE UNIQUE INDEX clawvm_journal_uid ON clawvm_journal (uid)",
    f"INSERT INTO clawvm_meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
)

_JOURNAL_COLS = ", ".join(JOURNAL_COLUMNS)
_QMARKS = ", ".join("?" * len(JOURNAL_COLUMNS))
_UID_CHUNK = 500  # ids per lookup query (SQLite allows 999 parameters in older builds)


def _check_header(path: str) -> None:
    """Refuse a non-empty file that does not start with SQLite's magic string."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not an SQLite database") from None
    except OSError as e:
        raise StoreError(f"{path}: cannot open ({e.strerror or e})") from None
    if head and head != MAGIC:
        raise StoreCorruptError(f"{path}: not an SQLite database (bad header {head[:16]!r})")


def _schema_state(conn: sqlite3.Connection, where: str) -> bool:
    """True for a database with no schema objects (new), False for one of ours at this
    schema version; ``StoreSchemaError`` for anything else. Reads only."""
    names = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master"))
    if not names:
        return True
    if "clawvm_meta" not in names:
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        raise StoreSchemaError(
            f"{where}: a database clawvm did not create (it holds {shown}); "
            "clawvm adds its tables only to a new database: give it a file of its own"
        )
    row = conn.execute("SELECT value FROM clawvm_meta WHERE name = 'schema_version'").fetchone()
    if row is None or row[0] != SCHEMA_VERSION:
        have = "none" if row is None else repr(row[0])
        raise StoreSchemaError(
            f"{where}: clawvm schema version {have}; this clawvm reads version {SCHEMA_VERSION}"
        )
    for table, want in (("clawvm_records", _RECORD_COLUMNS), ("clawvm_journal", JOURNAL_COLUMNS)):
        have_cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = sorted(set(want) - have_cols)
        if missing:
            raise StoreSchemaError(f"{where}: table {table} lacks clawvm's columns {missing}")
    return False


class SQLiteStore:
    """Records and journal in one SQLite database; safe across threads and processes.

    ``path`` is a file system path, taken literally (``open_store`` does URL decoding and
    ``~`` expansion); ``busy_timeout_ms`` is how long a commit waits for another writer.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        raw = os.fspath(path)
        memory = raw in (":memory:", "")
        self.path = ":memory:" if memory else os.path.abspath(raw)
        self.url = "sqlite://:memory:" if memory else "sqlite:///" + quote(os.fsencode(self.path))
        if busy_timeout_ms != BUSY_TIMEOUT_MS:
            self.url += f"?timeout={busy_timeout_ms / 1000:g}"
        self.replayed = 0  # updates answered from the journal by their id, for reporting
        if not memory:
            _check_header(self.path)
            try:
                os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            except OSError as e:
                msg = f"{self.path}: cannot create its directory ({e.strerror or e})"
                raise StoreError(msg) from e
        self._lock = threading.RLock()
        try:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=busy_timeout_ms / 1000,
            )
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open ({e})") from e
        self._conn: sqlite3.Connection | None = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            _schema_state(conn, self.path)  # refuse a foreign database before writing to it
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                if _schema_state(conn, self.path):  # again: another process may have won
                    for stmt in _SCHEMA:
                        conn.execute(stmt)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        except BaseException as e:
            conn.close()
            self._conn = None
            if isinstance(e, sqlite3.OperationalError):
                raise StoreError(f"{self.path}: cannot open ({e})") from e
            if isinstance(e, sqlite3.DatabaseError):
                raise StoreCorruptError(f"{self.path}: not a usable SQLite database ({e})") from e
            raise

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.url}: store is closed")
        return self._conn

    def _current(self, slot: Slot) -> Record | None:
        if not storable(slot):
            return None  # no such name was ever committed (and sqlite3 cannot encode it)
        row = (
            self._db()
            .execute(
                "SELECT value, version, ptype FROM clawvm_records "
                "WHERE scope=? AND session=? AND key=?",
                slot,
            )
            .fetchone()
        )
        if row is None:
            return None
        scope, session, key = slot
        value = stored_value(row[0], self.url, slot)
        return Record(key, scope, session, value, row[1], row[2])  # type: ignore[arg-type]

    def _journaled(self, batch: list[Staged]) -> dict[str, JournalEntry]:
        """The journal entries already written under the batch's ids."""
        uids = sorted({s.uid for s in batch})
        found = {}
        for i in range(0, len(uids), _UID_CHUNK):
            chunk = uids[i : i + _UID_CHUNK]
            rows = self._db().execute(
                f"SELECT {_JOURNAL_COLS} FROM clawvm_journal "
                f"WHERE uid IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                entry = entry_from_row(row)
                found[entry.staged.uid] = entry
        return found

    def get(self, key: str, scope: Scope, session: str) -> ReadResult:
        slot = lookup_slot(key, scope, session)
        try:
            with self._lock:
                rec = self._current(slot)
        except sqlite3.Error as e:
            return ReadResult("backend_error", reason=f"{self.url}: {e}")
        except StoreError as e:  # (its message names the store)
            return ReadResult("backend_error", reason=str(e))
        if rec is None:
            return no_record(slot)
        return ReadResult("ok", rec)

    def commit(self, batch: Sequence[Staged], apply: ApplyFn) -> list[Decision]:
        batch = check_batch(batch)
        with self._lock:
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise _store_error(self.url, e) from e
            try:
                decisions, fresh, changed = judge(
                    batch, apply, self._current, self._journaled(batch)
                )
                rows = [_sqlite_row(journal_row(entry_to_dict(0, d))) for d in fresh]
                db.executemany(
                    f"INSERT INTO clawvm_journal ({_JOURNAL_COLS}) VALUES ({_QMARKS})", rows
                )
                db.executemany(
                    "INSERT OR REPLACE INTO clawvm_records "
                    "(scope, session, key, value, version, ptype) VALUES (?, ?, ?, ?, ?, ?)",
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
            self.replayed += len(decisions) - len(fresh)
        return decisions

    def history(self, key: str | None = None) -> Iterator[JournalEntry]:
        sql = f"SELECT {_JOURNAL_COLS} FROM clawvm_journal"
        args: tuple[str, ...] = ()
        if key is not None:
            if name_problem(key) is not None:
                return iter(())  # no such name is journaled: rejected names are escaped
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
            try:
                rows = self._db().execute("SELECT scope, session, key FROM clawvm_records")
                found = rows.fetchall()
            except sqlite3.Error as e:
                raise _store_error(self.url, e) from e
        return sorted(tuple(r) for r in found)

    def records(self, session: str) -> list[Record]:
        """Every project record and every record of ``session``, in key order, in one query
        (``scan``)."""
        with self._lock:
            try:
                rows = self._db().execute(
                    "SELECT scope, session, key, value, version, ptype FROM clawvm_records "
                    "WHERE scope = 'project' OR session = ?",
                    (session,),
                ).fetchall()
            except sqlite3.Error as e:
                raise _store_error(self.url, e) from e
        return stored_records(rows, self.url)

    def resume(self, session: str, archive: frozenset[str]) -> list[Record | tuple[str, Scope]]:
        """``records`` for ``resume_scan``: the values of ``archive`` types that cannot be
        tombstones stay in the database."""
        types = sorted(archive)
        query = (
            "SELECT scope, session, key, CASE WHEN ptype IN ({}) AND instr(value, ?) = 0 "
            "THEN NULL ELSE value END, version, ptype FROM clawvm_records "
            "WHERE scope = 'project' OR session = ?"
        ).format(", ".join("?" * len(types)))
        with self._lock:
            try:
                rows = self._db().execute(query, (*types, DROPPED_TEXT, session)).fetchall()
            except sqlite3.Error as e:
                raise _store_error(self.url, e) from e
        return resume_rows(rows, archive, self.url)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _store_error(url: str, e: sqlite3.Error) -> StoreError:
    if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
        return StoreCorruptError(f"{url}: {e}")
    return StoreError(f"{url}: {e}")


def _sqlite_row(row: tuple[object, ...]) -> tuple[object, ...]:
    """seq is assigned by SQLite (insertion order); booleans are stored as integers."""
    return (None, *(int(v) if isinstance(v, bool) else v for v in row))

"""PostgreSQL store: many harness workers (threads, processes, hosts) sharing one store.

URL: any libpq URI (``postgresql://user[:password]@host[:port]/dbname?sslmode=...``) plus two
query parameters of ours, removed before the URI reaches libpq:

* ``schema=NAME`` — put the tables in schema ``NAME`` (created when missing); default: the
  connection's ``search_path``;
* ``table_prefix=PFX`` — name the tables ``PFX``\\ ``records`` and ``PFX``\\ ``journal``.

Both may also be given as keyword arguments. Tables::

    records (scope, session, key, value, version, ptype)   primary key (scope, session, key)
    journal (seq bigserial primary key, key, op, value, scope, principal, session,
             evidence_ref, base_version, ptype, accepted, reason, detail, version, result,
             uid)                                          unique (uid): the idempotency id

Values are canonical JSON kept as ``text``: ``jsonb`` would rewrite numbers (``1e300`` comes
back as an integer) and refuse ``\\u0000``, and a store must return exactly what it was given.

**Concurrency.** A commit is one transaction. It first takes a transaction-scoped advisory
lock per (scope, session, key) slot the batch touches, in ascending lock-id order (so two
batches never deadlock), and only then reads the committed rows of those slots. In READ
COMMITTED each statement sees everything committed before it started, and a lock is only
released after its holder's commit is visible, so every staged update is judged by
``apply`` against the version actually committed — a ``set`` whose base version went stale
while a worker was thinking is rejected with ``DESTRUCTIVE_OP``, never applied — and later
entries of the batch see earlier accepted ones. Advisory locks (rather than ``SELECT ... FOR
UPDATE``) also serialise writers of a key that has no row yet. The journal rows and the
record upserts commit together or not at all; a client killed mid-transaction leaves
nothing behind, because the server rolls back a transaction whose connection dies.

**Unknown outcomes.** A connection can end after COMMIT was sent and before its answer
came back (a backend terminated, a network cut): the transaction may or may not have
committed. The store then reconnects and runs the same batch again. Under the same slot
locks (which wait for the old transaction to finish, if it still runs) it looks up the
batch's idempotency ids in the journal: an update found there is answered with its
recorded decision, one not found is judged and applied now. So the retry resolves the
outcome and applies each update exactly once; the unique index on ``uid`` backs this up.
Only when the store cannot get that far (the server stays unreachable, or the connection
keeps breaking) does it raise ``CommitOutcomeUnknownError``; committing the same staged
updates later is then still safe. A plain ``StoreError`` from ``commit`` always means
nothing was committed.

Journal order: ``seq`` comes from a sequence, assigned under the slot locks, so for each key
it increases in commit order. Across keys two concurrent batches may commit in the other
order than their ``seq``, and a rolled-back transaction leaves a gap in ``seq``.

Errors: a malformed URL raises ``InvalidInputError("url")``; an unreachable server or a
failed query raises ``StoreError`` (passwords are never part of a message); a table of the
same name that clawvm did not create (or created in an older layout) raises
``StoreSchemaError``, before anything is created. ``get`` never raises for
backend trouble: it returns ``ReadResult("backend_error", reason=...)``. A connection that
breaks is replaced on the next call; a forked child opens its own connection.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from clawvm.errors import (
    CommitOutcomeUnknownError,
    InvalidInputError,
    InvalidTypeError,
    StoreCorruptError,
    StoreError,
    StoreSchemaError,
)
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
    slot_of,
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

__all__ = ["PostgresStore"]

#: Seconds libpq waits for a server before giving up, unless the URL says otherwise.
CONNECT_TIMEOUT = 10
#: How often a commit is retried after a serialization failure, a deadlock or a broken
#: connection (before or after COMMIT was sent: the retry is idempotent).
RETRIES = 3

#: libpq >= 14 pipelines statements: a commit costs two round trips instead of six.
_PIPELINE = psycopg.Pipeline.is_supported()

#: Connections a forked child inherited: kept referenced so that they are never closed
#: (or warned about) from the child.
_INHERITED: list[Any] = []

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}\Z")
_PREFIX = re.compile(r"[A-Za-z0-9_]{0,40}\Z")
_OUR_PARAMS = ("schema", "table_prefix")

_RECORD_COLS = ("scope", "session", "key", "value", "version", "ptype")
# the SQL type of every inserted journal column, for the unnest() arrays
_JOURNAL_TYPES = (
    "text", "text", "text", "text", "text", "text", "text",
    "bigint", "text", "boolean", "text", "text", "bigint", "text", "text",
)  # fmt: skip

_DDL_RECORDS = """
CREATE TABLE {records} (
    scope text NOT NULL, session text NOT NULL, key text NOT NULL,
    value text NOT NULL, version bigint NOT NULL, ptype text,
    PRIMARY KEY (scope, session, key)
)"""
_DDL_JOURNAL = """
CREATE TABLE {journal} (
    seq bigserial PRIMARY KEY,
    key text NOT NULL, op text NOT NULL, value text NOT NULL,
    scope text NOT NULL, principal text NOT NULL, session text NOT NULL,
    evidence_ref text, base_version bigint, ptype text,
    accepted boolean NOT NULL, reason text, detail text NOT NULL DEFAULT '',
    version bigint, result text, uid text NOT NULL
)"""
_DDL_INDEXES = (
    "CREATE INDEX {index} ON {journal} (key, seq)",
    "CREATE UNIQUE INDEX {uid_index} ON {journal} (uid)",
)
#: Classes of SQLSTATE that say the connection, not the transaction, failed.
_CONNECTION_CLASSES = ("08", "57P")


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and reprs)."""
    url = re.sub(r"(://[^/?#@]*?:)[^/?#@]*@", r"\1***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def split_url(url: str) -> tuple[str, dict[str, str]]:
    """Separate our query parameters from the libpq URI; validate what libpq will parse."""
    if not isinstance(url, str):
        raise InvalidTypeError("url", f"expected str, got {type(url).__name__}")
    safe = redact(url)
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise InvalidInputError("url", f"{safe!r}: {e}") from None
    if parts.scheme.lower() not in ("postgresql", "postgres"):
        raise InvalidInputError("url", f"{safe!r} is not a postgresql:// URL")
    ours: dict[str, str] = {}
    rest: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in _OUR_PARAMS:
            ours[name] = value
        else:
            rest.append((name, value))
    conninfo = urlunsplit(
        (parts.scheme.lower(), parts.netloc, parts.path, urlencode(rest), parts.fragment)
    )
    try:
        conninfo_to_dict(conninfo)
    except psycopg.Error as e:
        raise InvalidInputError("url", f"{safe!r}: {redact(str(e))}") from None
    return conninfo, ours


class PostgresStore:
    """Records and journal in two PostgreSQL tables; safe across threads, processes, hosts."""

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        table_prefix: str | None = None,
        connect_timeout: float | None = None,
    ) -> None:
        conninfo, ours = split_url(url)
        self.url = url
        self.safe_url = redact(url)
        schema = ours.get("schema") if schema is None else schema
        prefix = ours.get("table_prefix", "") if table_prefix is None else table_prefix
        if schema is not None and (not isinstance(schema, str) or not _IDENT.match(schema)):
            raise InvalidInputError(
                "schema", f"{schema!r}: use letters, digits and _ (max 40, not a digit first)"
            )
        if not isinstance(prefix, str) or not _PREFIX.match(prefix):
            raise InvalidInputError("table_prefix", f"{prefix!r}: use letters, digits and _")
        self.schema = schema
        self.table_prefix = prefix
        self._conninfo = conninfo
        params = conninfo_to_dict(conninfo)
        self._connect_kwargs: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in params:
            timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
            self._connect_kwargs["connect_timeout"] = max(1, round(timeout))
        if "application_name" not in params:
            self._connect_kwargs["application_name"] = "clawvm"

        def name(table: str) -> sql.Composable:
            if schema is None:
                return sql.Identifier(prefix + table)
            return sql.Identifier(schema, prefix + table)

        self._records = name("records")
        self._journal = name("journal")
        self.replayed = 0  # updates answered from the journal by their id, for reporting
        self.unknown_outcomes = 0  # commit attempts cut off after COMMIT may have been sent
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._pid = os.getpid()
        self._closed = False
        self._table_oid = 0
        self._sql = self._statements()
        self._q: dict[str, str] = {}
        self._open()

    # --- connection management ---------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self._conninfo, **self._connect_kwargs)
        except psycopg.Error as e:
            raise StoreError(f"{self.safe_url}: cannot connect ({_msg(e)})") from None

    def _db(self) -> psycopg.Connection[Any]:
        """The live connection: a new one after a fork or after the old one broke."""
        if self._closed:
            raise StoreError(f"{self.safe_url}: store is closed")
        conn = self._conn
        if conn is not None and self._pid != os.getpid():
            # A forked child must not talk over its parent's socket, nor close it (that
            # would end the parent's session): it parks the inherited object unused.
            _INHERITED.append(conn)
            conn = self._conn = None
        if conn is not None and (conn.closed or conn.broken):
            with contextlib.suppress(psycopg.Error):
                conn.close()
            conn = self._conn = None
        if conn is None:
            conn = self._conn = self._connect()
            self._pid = os.getpid()
        return conn

    def _open(self) -> None:
        """Connect, create the schema and tables when missing, check them when present."""
        conn = self._db()
        schema_sql = self.schema or ""
        try:
            with conn.transaction(), conn.cursor() as cur:
                # concurrent first opens must not race on CREATE TABLE (catalog conflicts)
                lock_name = f"clawvm-ddl:{schema_sql}.{self.table_prefix}"
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_id(lock_name),))
                if self.schema is not None:
                    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,))
                    if cur.fetchone() is None:
                        cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
                fmt = {
                    "records": self._records,
                    "journal": self._journal,
                    "index": sql.Identifier(self.table_prefix + "journal_key"),
                    "uid_index": sql.Identifier(self.table_prefix + "journal_uid"),
                }
                for table, ddl in ((self._records, _DDL_RECORDS), (self._journal, _DDL_JOURNAL)):
                    if self._regclass(cur, table) is None:
                        cur.execute(sql.SQL(ddl).format(**fmt))
                        if table is self._journal:
                            for index in _DDL_INDEXES:
                                cur.execute(sql.SQL(index).format(**fmt))
                self._check_columns(cur, self._records, _RECORD_COLS)
                self._check_columns(cur, self._journal, JOURNAL_COLUMNS)
                oid = self._regclass(cur, self._records)
                assert oid is not None
                self._table_oid = oid
                # render once: psycopg caches the conversion of a plain query string
                self._q = {k: q.as_string(cur) for k, q in self._sql.items()}
        except psycopg.Error as e:
            self.close()
            raise StoreError(f"{self.safe_url}: cannot set up the tables ({_msg(e)})") from None
        except BaseException:
            self.close()
            raise

    def _regclass(self, cur: psycopg.Cursor[Any], table: sql.Composable) -> int | None:
        text = table.as_string(cur)
        cur.execute("SELECT to_regclass(%s)::oid", (text,))
        row = cur.fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def _check_columns(
        self, cur: psycopg.Cursor[Any], table: sql.Composable, want: tuple[str, ...]
    ) -> None:
        text = table.as_string(cur)
        cur.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) "
            "AND attnum > 0 AND NOT attisdropped",
            (text,),
        )
        have = {r[0] for r in cur.fetchall()}
        missing = sorted(set(want) - have)
        if missing:
            raise StoreSchemaError(
                f"{self.safe_url}: table {text} exists but is not a clawvm table of this "
                f"version (missing columns {missing}); use another schema or table_prefix"
            )

    def _statements(self) -> dict[str, sql.Composable]:
        r, j = self._records, self._journal
        cols = JOURNAL_COLUMNS[1:]
        arrays = sql.SQL(", ").join(sql.SQL("%b::{}[]").format(sql.SQL(t)) for t in _JOURNAL_TYPES)
        names = sql.SQL(", ").join(map(sql.Identifier, cols))
        return {
            "get": sql.SQL(
                "SELECT value, version, ptype FROM {} WHERE scope = %s AND session = %s "
                "AND key = %s"
            ).format(r),
            "lock": sql.SQL(
                "SELECT pg_advisory_xact_lock(k) FROM "
                "(SELECT DISTINCT unnest(%b::bigint[]) AS k ORDER BY k) AS ids"
            ),
            "rows": sql.SQL(
                "SELECT scope, session, key, value, version, ptype FROM {} "
                "WHERE (scope, session, key) IN "
                "(SELECT * FROM unnest(%b::text[], %b::text[], %b::text[]))"
            ).format(r),
            "journal": sql.SQL(
                "INSERT INTO {} ({}) SELECT {} FROM unnest({}) WITH ORDINALITY "
                "AS t({}, n) ORDER BY n"
            ).format(j, names, names, arrays, names),
            "upsert": sql.SQL(
                "INSERT INTO {} (scope, session, key, value, version, ptype) "
                "SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], "
                "%b::bigint[], %b::text[]) "
                "ON CONFLICT (scope, session, key) DO UPDATE SET value = EXCLUDED.value, "
                "version = EXCLUDED.version, ptype = EXCLUDED.ptype"
            ).format(r),
            "history": sql.SQL("SELECT {} FROM {}").format(
                sql.SQL(", ").join(map(sql.Identifier, JOURNAL_COLUMNS)), j
            ),
            "journaled": sql.SQL("SELECT {} FROM {} WHERE uid = ANY(%b::text[])").format(
                sql.SQL(", ").join(map(sql.Identifier, JOURNAL_COLUMNS)), j
            ),
            "keys": sql.SQL("SELECT scope, session, key FROM {}").format(r),
            "records": sql.SQL(
                "SELECT scope, session, key, value, version, ptype FROM {} "
                "WHERE scope = 'project' OR session = %s"
            ).format(r),
            "resume": sql.SQL(
                "SELECT scope, session, key, CASE WHEN ptype = ANY(%s::text[]) "
                "AND strpos(value, %s) = 0 THEN NULL ELSE value END, version, ptype FROM {} "
                "WHERE scope = 'project' OR session = %s"
            ).format(r),
        }

    # --- the Store protocol ------------------------------------------------------------
    def get(self, key: str, scope: Scope, session: str) -> ReadResult:
        slot = lookup_slot(key, scope, session)
        if not storable(slot):
            return no_record(slot)
        with self._lock:
            for attempt in range(2):  # a read is idempotent: retry once on a new connection
                try:
                    row = self._db().execute(self._q["get"], slot).fetchone()
                    break
                except StoreError as e:
                    return ReadResult("backend_error", reason=str(e))
                except psycopg.Error as e:
                    if attempt == 0 and self._conn is not None and self._conn.broken:
                        continue
                    return ReadResult("backend_error", reason=f"{self.safe_url}: {_msg(e)}")
        if row is None:
            return no_record(slot)
        value, version, ptype = row
        try:
            decoded = stored_value(value, self.safe_url, slot)
        except StoreCorruptError as e:
            return ReadResult("backend_error", reason=str(e))
        return ReadResult("ok", Record(key, scope, slot[1], decoded, version, ptype))

    def commit(self, batch: Sequence[Staged], apply: ApplyFn) -> list[Decision]:
        batch = check_batch(batch)
        if not batch:
            return []
        unknown = ""  # why the outcome of an earlier attempt is unknown, once it is
        with self._lock:
            for attempt in range(RETRIES + 1):
                try:
                    conn = self._db()
                except StoreError as e:
                    if unknown:
                        raise self._unknown(unknown, str(e)) from None
                    raise
                sent_commit = False
                try:
                    # Two round trips: BEGIN + locks + reads, then writes + COMMIT. Pipelining
                    # is safe: the server runs the statements in order, and the reads take
                    # their snapshots only when they start, i.e. after the locks are held.
                    pipeline = conn.pipeline() if _PIPELINE else contextlib.nullcontext()
                    with pipeline, conn.transaction():
                        decisions, fresh = self._commit_in(conn, batch, apply)
                        sent_commit = True  # from here on the server may commit
                    self.replayed += len(decisions) - fresh
                    return decisions
                except psycopg.Error as e:
                    # a race the next attempt settles: a unique uid means another transaction
                    # journaled this batch first, and the retry will answer from the journal
                    retry = isinstance(e, (pg_errors.SerializationFailure,
                                           pg_errors.DeadlockDetected,
                                           pg_errors.UniqueViolation))  # fmt: skip
                    if not retry and not _connection_lost(e, conn):
                        # the server refused the transaction: it rolled back, nothing landed
                        if unknown:
                            raise self._unknown(unknown, _msg(e)) from None
                        raise StoreError(f"{self.safe_url}: commit failed ({_msg(e)})") from None
                    if not retry:
                        self._discard(conn)
                        if sent_commit:
                            self.unknown_outcomes += 1
                            unknown = _msg(e)
                    if attempt == RETRIES:
                        if unknown:
                            raise self._unknown(unknown, "gave up retrying") from None
                        raise StoreError(f"{self.safe_url}: commit failed ({_msg(e)})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _unknown(self, why: str, last: str) -> CommitOutcomeUnknownError:
        return CommitOutcomeUnknownError(
            f"{self.safe_url}: connection lost after COMMIT was sent ({why}) and the outcome "
            f"could not be looked up ({last}); committing the same updates again is safe"
        )

    def _discard(self, conn: psycopg.Connection[Any]) -> None:
        """Drop a connection whose state is unknown; the next call opens a new one."""
        if self._conn is conn:
            self._conn = None
        with contextlib.suppress(Exception):
            conn.close()

    def _commit_in(
        self, conn: psycopg.Connection[Any], batch: list[Staged], apply: ApplyFn
    ) -> tuple[list[Decision], int]:
        """One attempt inside the transaction: the decisions and how many were new."""
        slots = sorted({slot_of(s) for s in batch})
        readable = [slot for slot in slots if storable(slot)]  # others cannot have a row
        committed: dict[Slot, Record] = {}
        # one cursor per statement whose result is read: in pipeline mode a cursor that ran
        # several statements may hand back an earlier one's result
        with conn.cursor() as lock, conn.cursor() as cur, conn.cursor() as seen:
            ids = sorted({_lock_id(self._table_oid, *slot) for slot in slots})
            lock.execute(self._q["lock"], (ids,))
            if readable:
                cur.execute(self._q["rows"], tuple(list(c) for c in zip(*readable, strict=True)))
            seen.execute(self._q["journaled"], (sorted({s.uid for s in batch}),))
            if readable:
                for scope, session, key, value, version, ptype in cur.fetchall():
                    decoded = stored_value(value, self.safe_url, (scope, session, key))
                    committed[(scope, session, key)] = Record(
                        key, scope, session, decoded, version, ptype
                    )
            journaled = {e.staged.uid: e for e in map(entry_from_row, seen.fetchall())}
            decisions, fresh, changed = judge(batch, apply, committed.get, journaled)
            if fresh:
                rows = [journal_row(entry_to_dict(0, d)) for d in fresh]
                cur.execute(self._q["journal"], tuple(list(c) for c in zip(*rows, strict=True)))
            if changed:
                recs = [
                    (r.scope, r.session, r.key, canonical(r.value), r.version, r.ptype)
                    for r in changed.values()
                ]
                cur.execute(self._q["upsert"], tuple(list(c) for c in zip(*recs, strict=True)))
        return decisions, len(fresh)

    def history(self, key: str | None = None) -> Iterator[JournalEntry]:
        query = self._q["history"]
        args: tuple[str, ...] = ()
        if key is not None:
            if not isinstance(key, str):
                raise InvalidTypeError("key", f"expected str, got {type(key).__name__}")
            if name_problem(key) is not None:
                return iter(())  # no such name is journaled: rejected names are escaped
            query += " WHERE key = %s"
            args = (key,)
        with self._lock:
            try:
                rows = self._db().execute(query + " ORDER BY seq", args).fetchall()
            except psycopg.Error as e:
                raise StoreError(f"{self.safe_url}: cannot read the journal ({_msg(e)})") from None
        return (entry_from_row(row) for row in rows)

    def keys(self) -> list[tuple[Scope, str, str]]:
        with self._lock:
            try:
                rows = self._db().execute(self._q["keys"]).fetchall()
            except psycopg.Error as e:
                raise StoreError(f"{self.safe_url}: cannot list keys ({_msg(e)})") from None
        return sorted(tuple(r) for r in rows)  # Python order, whatever the DB collation

    def records(self, session: str) -> list[Record]:
        """Every project record and every record of ``session``, in key order, in one query
        (``scan``)."""
        with self._lock:
            try:
                rows = self._db().execute(self._q["records"], (session,)).fetchall()
            except psycopg.Error as e:
                raise StoreError(f"{self.safe_url}: cannot read records ({_msg(e)})") from None
        return stored_records(rows, self.safe_url)  # Python order, whatever the collation

    def resume(self, session: str, archive: frozenset[str]) -> list[Record | tuple[str, Scope]]:
        """``records`` for ``resume_scan``: the values of ``archive`` types that cannot be
        tombstones stay in the database."""
        params = (sorted(archive), DROPPED_TEXT, session)
        with self._lock:
            try:
                rows = self._db().execute(self._q["resume"], params).fetchall()
            except psycopg.Error as e:
                raise StoreError(f"{self.safe_url}: cannot read records ({_msg(e)})") from None
        return resume_rows(rows, archive, self.safe_url)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
            if conn is not None and self._pid == os.getpid():
                conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore({self.safe_url!r})"


def _lock_id(*parts: object) -> int:
    """A signed 64-bit advisory lock id for ``parts`` (collisions only cost concurrency)."""
    text = "\x00".join(map(str, parts)).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


def _msg(e: BaseException) -> str:
    return redact(" ".join(str(e).split())) or type(e).__name__


def _connection_lost(e: psycopg.Error, conn: psycopg.Connection[Any]) -> bool:
    """Whether ``e`` came from a lost connection (whatever the server did, it could not say)
    rather than from the server refusing the transaction (which it then rolled back)."""
    if conn.closed or conn.broken or e.sqlstate is None:
        return True
    return e.sqlstate.startswith(_CONNECTION_CLASSES)

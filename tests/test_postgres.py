"""The PostgreSQL store (issue 6): behaviour, many concurrent workers, and SIGKILL safety.

Where the server comes from, in order:

1. ``CLAWVM_TEST_POSTGRES_URL`` (e.g. exported by ``source .ci/postgres.sh``);
2. otherwise, when PostgreSQL's binaries are installed (``pg_ctl``/``initdb`` on PATH or in
   /usr/lib/postgresql/*/bin), ``.ci/postgres.sh`` starts a throwaway server (it never
   apt-gets from here) and this process stops it again at exit;
3. otherwise the PostgreSQL tests are skipped with the reason — or, when
   ``CLAWVM_REQUIRE_POSTGRES`` is set (``.ci/run`` and the Linux CI jobs set it), they
   fail: CI must not go green without having tested this backend. Jobs that cannot have
   a server (macOS, Windows, wheel tests in containers) simply do not set it.

Every test runs in a fresh schema that is dropped afterwards, so runs never collide.
``tests/test_stores.py`` and ``bench/test_bench_stores.py`` load this module's helpers by
path (the suite runs in ``--import-mode=importlib``) to get the same server logic.

The concurrency test (8 processes x 500 updates on overlapping keys) also runs on SQLite.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import json
import multiprocessing
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from clawvm.errors import (
    ClawVMError,
    CommitOutcomeUnknownError,
    InvalidInputError,
    StoreError,
    StoreSchemaError,
)
from clawvm.journal import DESTRUCTIVE_OP, REASONS, SCHEMA_INVALID, Journal, Validator
from clawvm.stores import open_store
from clawvm.stores._util import slot_of
from clawvm.stores.base import Staged

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "postgres.sh"
ENV_URL = "CLAWVM_TEST_POSTGRES_URL"

# --- finding a server (shared with test_stores.py and the store benchmarks) -------------

_server: dict[str, str | None] = {}  # {"url": ..., "why": ...} once probed


def _have_binaries() -> bool:
    if shutil.which("pg_ctl") and shutil.which("initdb"):
        return True
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


def _script(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CLAWVM_PG_NO_INSTALL="1")
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _stop_server() -> None:
    with contextlib.suppress(Exception):
        _script("stop", timeout=60)


def _probe() -> tuple[str | None, str]:
    """A reachable server's URL, or None and why there is none."""
    if os.environ.get("CLAWVM_TEST_POSTGRES") == "skip":
        return None, "PostgreSQL tests disabled by CLAWVM_TEST_POSTGRES=skip"
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed (pip install 'clawvm[postgres]')"
    url = os.environ.get(ENV_URL)
    if not url:
        if not _have_binaries():
            return None, (
                f"no PostgreSQL server: set {ENV_URL} or install PostgreSQL "
                "(`.ci/postgres.sh` installs and starts one)"
            )
        if not SCRIPT.exists():
            return None, f"no PostgreSQL server: set {ENV_URL} ({SCRIPT} is not here)"
        if sys.platform == "win32" or shutil.which("bash") is None:
            return None, f"no PostgreSQL server: set {ENV_URL} (.ci/postgres.sh needs bash)"
        was_up = _script("status", timeout=30).returncode == 0
        try:
            run = _script(timeout=180)
        except subprocess.TimeoutExpired:
            return None, ".ci/postgres.sh timed out starting PostgreSQL"
        line = [x for x in run.stdout.splitlines() if x.startswith(f"export {ENV_URL}=")]
        if run.returncode != 0 or not line:
            tail = " | ".join(run.stderr.strip().splitlines()[-3:])
            return None, f".ci/postgres.sh could not start PostgreSQL: {tail}"
        url = line[-1].split("=", 1)[1]
        if not was_up:
            atexit.register(_stop_server)
        os.environ[ENV_URL] = url  # other modules (and worker processes) reuse it
    from clawvm.stores.postgres import redact, split_url

    try:
        conninfo, _ = split_url(url)
        psycopg.connect(conninfo, connect_timeout=10).close()
    except (psycopg.Error, ClawVMError) as e:
        return None, f"PostgreSQL at {redact(url)} is not reachable: {' '.join(str(e).split())}"
    return url, ""


def require_postgres() -> str:
    """The server URL; skips the test without one (fails when ``CLAWVM_REQUIRE_POSTGRES``)."""
    if "url" not in _server:
        url, why = _probe()
        _server.update(url=url, why=why)
    url = _server["url"]
    if url is None:
        why = str(_server["why"])
        if os.environ.get("CLAWVM_REQUIRE_POSTGRES"):
            pytest.fail(f"CLAWVM_REQUIRE_POSTGRES is set but PostgreSQL is unavailable: {why}",
                        pytrace=False)
        pytest.skip(why)
    return url


def with_params(url: str, **params: str) -> str:
    """``url`` with query parameters set (replacing any of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += sorted(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextlib.contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A store URL on a new, empty schema, dropped (with everything in it) afterwards."""
    import psycopg
    from psycopg import sql

    from clawvm.stores.postgres import split_url

    schema = f"clawvm_t_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    try:
        yield with_params(url, schema=schema)
    finally:
        with psycopg.connect(split_url(url)[0], autocommit=True) as conn:
            conn.execute("SET lock_timeout = '20s'")
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL store URL on a fresh schema."""
    with fresh_schema(require_postgres()) as url:
        yield url


def admin(url: str) -> Any:
    """A plain autocommit psycopg connection to the store's database."""
    import psycopg

    from clawvm.stores.postgres import split_url

    return psycopg.connect(split_url(url)[0], autocommit=True)


def schema_of(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["schema"]


# --- behaviour --------------------------------------------------------------------------

SESSION = "s1"


def write(store: Any, *updates: tuple[Any, ...], session: str = SESSION) -> list[Any]:
    j = Journal(store, Validator(), session=session)
    for key, op, value, *rest in updates:
        j.stage(key, op, value, base_version=rest[0] if rest else None)
    return j.commit()


def value_of(store: Any, key: str, scope: str = "session", session: str = SESSION) -> Any:
    got = store.get(key, scope, session)
    assert got.status in ("ok", "no_match"), got
    return None if got.record is None else (got.record.value, got.record.version)


def test_get_commit_history_keys(pg_url: str) -> None:
    from clawvm.stores.postgres import PostgresStore

    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore) and s.url == pg_url
        assert s.keys() == [] and list(s.history()) == []
        missing = s.get("a", "session", SESSION)
        assert missing.status == "no_match" and missing.record is None and missing.reason
        decisions = write(
            s, ("a", "set", {"x": 1}), ("b", "append", "hi"), ("a", "merge", {"y": 2})
        )
        assert [d.record.version for d in decisions] == [1, 1, 2]  # the batch sees itself
        write(s, ("b", "set", "no", 0), ("b", "append", "!"))
        assert value_of(s, "a") == ({"x": 1, "y": 2}, 2)
        assert value_of(s, "b") == ("hi!", 2)
        got = s.get("a", "session", SESSION)
        assert got.status == "ok" and got.record is not None
        assert (got.record.scope, got.record.session) == ("session", SESSION)
        before = list(s.history())
    with open_store(pg_url) as s:  # a second connection sees the same committed state
        assert s.keys() == [("session", SESSION, "a"), ("session", SESSION, "b")]
        after = list(s.history())
        assert after == before
        assert [e.seq for e in after] == [1, 2, 3, 4, 5]
        assert [e.reason for e in after] == [None, None, None, DESTRUCTIVE_OP, None]
        assert [e.version for e in after] == [1, 1, 2, None, 2]
        assert after[2].record is not None and after[2].record.value == {"x": 1, "y": 2}
        assert [e.staged.op for e in s.history("a")] == ["set", "merge"]
        assert list(s.history("zzz")) == []
        assert write(s, ("a", "set", "v3", 2))[0].accepted
        assert value_of(s, "a") == ("v3", 3)
        assert s.commit([], Validator().apply) == []


def test_values_round_trip_exactly(pg_url: str) -> None:
    """Values are stored as canonical JSON text, so nothing is normalised on the way."""
    values = [
        {"big": 1e300, "tiny": 5e-324, "neg0": -0.0, "int": 2**62, "float1": 1.0},
        'nul \x00 inside, emoji \U0001f980, quote " and \\ backslash',
        [None, True, False, [], {}, "", 0],
        {"z": 1, "a": {"nested": ["x" * 3000]}},
    ]
    with open_store(pg_url) as s:
        j = Journal(s, Validator(), session=SESSION)
        for i, v in enumerate(values):
            j.stage(f"k{i}", "set", v)
        assert all(d.accepted for d in j.commit())
        for i, v in enumerate(values):
            got = s.get(f"k{i}", "session", SESSION).record
            assert got is not None and got.value == v
            assert json.dumps(got.value, sort_keys=True) == json.dumps(v, sort_keys=True)
        assert [e.staged.value for e in s.history()] == values


def test_stale_set_is_rejected_never_applied(pg_url: str) -> None:
    with open_store(pg_url) as a, open_store(pg_url) as b:
        write(a, ("k", "set", "one"))
        assert value_of(b, "k") == ("one", 1)
        # both workers read version 1; b commits first, so a's base is stale at a's commit
        assert write(b, ("k", "set", "two", 1))[0].accepted
        d = write(a, ("k", "set", "three", 1))[0]
        assert not d.accepted and d.reason == DESTRUCTIVE_OP and "stale" in d.detail
        assert value_of(a, "k") == ("two", 2)
        # no base version on an existing key is stale too; a new key takes None or 0 only
        assert write(a, ("k", "set", "four"))[0].reason == DESTRUCTIVE_OP
        assert write(a, ("n", "set", "x", 5))[0].reason == DESTRUCTIVE_OP
        assert value_of(a, "n") is None
        # in one batch a later entry is judged against the earlier accepted one
        ds = write(a, ("k", "set", "five", 2), ("k", "set", "six", 2), ("k", "set", "seven", 3))
        assert [d.reason for d in ds] == [None, DESTRUCTIVE_OP, None]
        assert value_of(b, "k") == ("seven", 4)
        rejected = [e for e in b.history("k") if not e.accepted]
        assert len(rejected) == 3 and all(e.reason == DESTRUCTIVE_OP for e in rejected)
        assert all(e.version is None and e.record is None for e in rejected)


def test_session_keys_isolated_project_keys_shared(pg_url: str) -> None:
    with open_store(pg_url) as s1, open_store(pg_url) as s2:
        j1 = Journal(s1, Validator(), session="alpha")
        j2 = Journal(s2, Validator(), session="beta")
        j1.stage("notes", "append", ["a1"])
        j1.stage("style", "merge", {"tone": "terse"}, scope="project", principal="user")
        assert all(d.accepted for d in j1.commit())
        # beta does not see alpha's session key, but shares the project key
        assert s2.get("notes", "session", "beta").status == "no_match"
        shared = s2.get("style", "project", "beta")
        assert shared.status == "ok" and shared.record.value == {"tone": "terse"}
        assert shared.record.session == ""
        j2.stage("notes", "append", ["b1"])
        j2.stage("style", "merge", {"lang": "en"}, scope="project", principal="user")
        j2.stage("style", "merge", {"x": 1}, scope="project", principal="agent")  # not allowed
        ds = j2.commit()
        assert [d.reason for d in ds] == [None, None, "SCOPE_DENIED"]
        assert value_of(s1, "notes", session="alpha") == (["a1"], 1)
        assert value_of(s1, "notes", session="beta") == (["b1"], 1)
        assert value_of(s1, "style", "project", "alpha") == ({"tone": "terse", "lang": "en"}, 2)
        assert value_of(s1, "style", "project", "nobody") == ({"tone": "terse", "lang": "en"}, 2)
        assert s1.keys() == [
            ("project", "", "style"),
            ("session", "alpha", "notes"),
            ("session", "beta", "notes"),
        ]


def test_bad_urls_and_unreachable_server() -> None:
    try:
        from clawvm.stores.postgres import PostgresStore
    except ImportError as e:
        if os.environ.get("CLAWVM_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"psycopg is not installed ({e})")

    for url, field in [
        ("postgresql://u:secret@[::1/db", "url"),
        ("postgresql://host/db?nosuchparam=1", "url"),
        ("mysql://host/db", "url"),
        ("postgresql://host/db?schema=bad-name", "schema"),
        ("postgresql://host/db?table_prefix=a.b", "table_prefix"),
    ]:
        with pytest.raises(InvalidInputError) as info:
            PostgresStore(url)
        assert info.value.field == field, url
        assert "secret" not in str(info.value)
    for url in ["postgresql://u:secret@127.0.0.1:1/db", "postgres://u:secret@127.0.0.1:1/db"]:
        with pytest.raises(StoreError) as err:
            open_store(url)
        msg = str(err.value)
        assert "secret" not in msg and "cannot connect" in msg and "127.0.0.1" in msg, msg


def test_backend_errors_are_reported_not_raised_by_get(pg_url: str) -> None:
    s = open_store(pg_url)
    try:
        write(s, ("k", "set", 1))
        with admin(pg_url) as conn:  # the server drops the store's connection
            pid = s._conn.info.backend_pid
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert value_of(s, "k") == (1, 1)  # a read reconnects once, transparently
        with admin(pg_url) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (s._conn.info.backend_pid,))
        assert write(s, ("k", "set", 2, 1))[0].accepted  # so does a commit that did not start
        with admin(pg_url) as conn:
            conn.execute(f'DROP SCHEMA "{schema_of(pg_url)}" CASCADE')
        got = s.get("k", "session", SESSION)
        assert got.status == "backend_error" and got.record is None
        assert "does not exist" in got.reason
        with pytest.raises(StoreError):
            write(s, ("k", "set", 3, 2))
        with pytest.raises(StoreError):
            list(s.history())
    finally:
        s.close()
    s.close()  # idempotent
    got = s.get("k", "session", SESSION)
    assert got.status == "backend_error" and "closed" in got.reason
    with pytest.raises(StoreError, match="closed"):
        write(s, ("k", "set", 4))


def test_a_failed_commit_changes_nothing(pg_url: str) -> None:
    with open_store(pg_url) as s:
        write(s, ("k", "set", [1]))
        batch = [
            Staged("k", "append", [2], "session", "agent", SESSION),
            Staged("refused", "set", [3], "session", "agent", SESSION),
        ]

        def boom(current: Any, staged: Staged) -> Any:
            raise RuntimeError("the judge failed")

        with pytest.raises(RuntimeError, match="the judge failed"):
            s.commit(batch, boom)
        with admin(pg_url) as conn:  # the server refuses the batch's second journal row
            conn.execute(
                f'ALTER TABLE "{schema_of(pg_url)}".journal '
                "ADD CONSTRAINT no_refused CHECK (key <> 'refused')"
            )
        with pytest.raises(StoreError, match="commit failed") as info:
            s.commit(batch, Validator().apply)
        assert not isinstance(info.value, CommitOutcomeUnknownError)  # a known failure
        assert value_of(s, "k") == ([1], 1)  # nothing of the batch landed
        assert len(list(s.history())) == 1
        assert write(s, ("k", "append", [2]))[0].record.version == 2  # still usable


def test_nul_in_names_is_a_rejection_journaled_escaped(pg_url: str) -> None:
    """PostgreSQL text cannot hold NUL: such names are refused by the validator on every
    store (tests/test_journal.py), and journaled escaped, so nothing jams."""
    with open_store(pg_url) as s:
        (d,) = write(s, ("bad\x00key", "set", 1))
        assert d.reason == SCHEMA_INVALID and "NUL" in d.detail
        assert s.get("bad\x00key", "session", SESSION).status == "no_match"
        (entry,) = s.history()
        assert entry.staged.key == repr("bad\x00key") and not entry.accepted
        assert list(s.history("bad\x00key")) == []
        assert write(s, ("good", "set", 1))[0].accepted


def test_prefixes_and_foreign_tables(pg_url: str) -> None:
    a_url = with_params(pg_url, table_prefix="a_")
    with open_store(a_url) as a, open_store(with_params(pg_url, table_prefix="b_")) as b:
        write(a, ("k", "set", "in a"))
        assert value_of(b, "k") is None  # separate tables
        write(b, ("k", "set", "in b"))
        assert value_of(a, "k") == ("in a", 1)
    with admin(pg_url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
            (schema_of(pg_url),),
        ).fetchall()
        assert [t[0] for t in tables] == ["a_journal", "a_records", "b_journal", "b_records"]
        conn.execute(f'CREATE TABLE "{schema_of(pg_url)}".c_records (x int)')
        # a journal of the layout before idempotency ids: everything but the uid column
        conn.execute(
            f'CREATE TABLE "{schema_of(pg_url)}".d_journal AS SELECT * FROM '
            f'"{schema_of(pg_url)}".a_journal WITH NO DATA'
        )
        conn.execute(f'ALTER TABLE "{schema_of(pg_url)}".d_journal DROP COLUMN uid')
    with pytest.raises(StoreSchemaError, match="not a clawvm table"):
        open_store(with_params(pg_url, table_prefix="c_"))
    with pytest.raises(StoreSchemaError, match=r"missing columns \['uid'\]"):
        open_store(with_params(pg_url, table_prefix="d_"))
    with admin(pg_url) as conn:  # refused before anything was created
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
            (schema_of(pg_url),),
        ).fetchall()
        assert [t[0] for t in tables] == [
            "a_journal", "a_records", "b_journal", "b_records", "c_records", "d_journal"
        ]  # fmt: skip
    from clawvm.stores.postgres import PostgresStore

    with PostgresStore(pg_url, table_prefix="a_") as a:  # keyword arguments work too
        assert value_of(a, "k") == ("in a", 1)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_opens_its_own_connection(pg_url: str) -> None:
    with open_store(pg_url) as s:
        write(s, ("k", "append", ["parent"]))
        pid = os.fork()
        if pid == 0:  # the child uses the inherited store object
            code = 1
            try:
                code = 0 if write(s, ("k", "append", ["child"]))[0].accepted else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert write(s, ("k", "append", ["parent"]))[0].accepted  # the parent's still works
        assert value_of(s, "k") == (["parent", "child", "parent"], 3)


# --- unknown commit outcomes ------------------------------------------------------------


class CutProxy:
    """A TCP relay to the server that cuts a connection at COMMIT, deterministically.

    ``mode``: "pass" relays everything; "after_commit" relays the client's COMMIT, waits
    for the server's answer, drops it and closes the connection (the server committed, the
    client cannot know); "before_commit" closes the connection instead of relaying COMMIT
    (nothing was committed, the client cannot know either); "refuse" closes every new
    connection. After one cut the mode becomes ``then``.
    """

    def __init__(self, url: str) -> None:
        import socket
        import threading

        parts = urlsplit(url)
        self.server = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.listener = socket.create_server(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{port}"
        self.url = with_params(urlunsplit(parts._replace(netloc=netloc)), sslmode="disable")
        self.mode = self.then = "pass"
        self.cuts = 0
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._spawn(self._accept)

    def _spawn(self, target: Any, *args: Any) -> None:
        import threading

        t = threading.Thread(target=target, args=args, daemon=True)
        t.start()
        self._threads.append(t)

    def _accept(self) -> None:
        import socket

        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                client.close()
                continue
            self._spawn(self._relay, client, socket.create_connection(self.server))

    def _relay(self, client: Any, server: Any) -> None:
        with client, server:
            while True:
                ready, _, _ = select.select([client, server], [], [], 30)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is server:
                        client.sendall(data)
                    elif b"COMMIT" in data and self.mode in ("after_commit", "before_commit"):
                        self.cuts += 1
                        cut, self.mode = self.mode, self.then
                        if cut == "after_commit":
                            server.sendall(data)
                            reply = b""
                            while b"COMMIT\x00" not in reply:  # CommandComplete "COMMIT"
                                chunk = server.recv(65536)
                                assert chunk, "the server closed before answering COMMIT"
                                reply += chunk
                        return  # closes both sides without answering the client
                    else:
                        server.sendall(data)

    def close(self) -> None:
        self._closed = True
        self.listener.close()


@pytest.fixture
def proxy(pg_url: str) -> Iterator[CutProxy]:
    p = CutProxy(pg_url)
    yield p
    p.close()


BATCH = [("a", "append", ["x"]), ("b", "set", {"n": 1}), ("a", "append", ["y"])]


def staged_batch() -> list[Staged]:
    return [Staged(k, op, v, "session", "agent", SESSION) for k, op, v in BATCH]  # type: ignore[arg-type]


@pytest.mark.parametrize("cut", ["after_commit", "before_commit"])
def test_a_lost_commit_answer_is_resolved_by_the_retry(
    cut: str, proxy: CutProxy, pg_url: str
) -> None:
    """The store retries on a new connection and looks the batch's ids up: a batch that
    committed is answered from the journal, one that did not is applied now. Either way
    each update is applied once and the caller gets the true decisions."""
    with open_store(proxy.url) as s:
        assert write(s, ("warm", "set", 1))[0].accepted
        proxy.mode = cut
        batch = staged_batch()
        decisions = s.commit(batch, Validator().apply)
        assert proxy.cuts == 1 and s.unknown_outcomes == 1
        assert s.replayed == (3 if cut == "after_commit" else 0)
        assert [d.staged for d in decisions] == batch
        assert [(d.reason, d.record.version) for d in decisions] == [(None, 1), (None, 1), (None, 2)]
    with open_store(pg_url) as s:
        assert value_of(s, "a") == (["x", "y"], 2)
        assert value_of(s, "b") == ({"n": 1}, 1)
        assert [e.staged.uid for e in s.history()][1:] == [x.uid for x in batch]


def test_unknown_outcome_raised_then_retried_by_the_journal(proxy: CutProxy, pg_url: str) -> None:
    """When the store cannot look the outcome up, it says so with a distinct error; the
    journal keeps its pending updates and committing again applies each exactly once."""
    with open_store(proxy.url) as s:
        journal = Journal(s, Validator(), session=SESSION)
        for key, op, value in BATCH:
            journal.stage(key, op, value)
        pending = journal.pending()
        proxy.mode, proxy.then = "after_commit", "refuse"
        with pytest.raises(CommitOutcomeUnknownError, match="outcome") as info:
            journal.commit()
        assert isinstance(info.value, StoreError)
        assert journal.pending() == pending  # same updates, same ids
        proxy.mode = "pass"
        journal.stage("a", "append", ["z"])  # staged after the failure: applied once too
        decisions = journal.commit()
        assert [d.accepted for d in decisions] == [True] * 4 and journal.pending() == []
        assert [d.record.version for d in decisions] == [1, 1, 2, 3]
        assert s.replayed == 3
    with open_store(pg_url) as s:
        assert value_of(s, "a") == (["x", "y", "z"], 3)
        uids = [e.staged.uid for e in s.history()]
        assert uids == [x.uid for x in pending] + [decisions[-1].staged.uid]


class Recorder:
    """Passes every call to ``store``; notes each commit's ids and what it reported."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.url = store.url
        self.calls: list[tuple[list[str], str]] = []

    def get(self, key: str, scope: Any, session: str) -> Any:
        return self.store.get(key, scope, session)

    def keys(self) -> Any:
        return self.store.keys()

    def history(self, key: str | None = None) -> Any:
        return self.store.history(key)

    def close(self) -> None:
        self.store.close()

    def commit(self, batch: Any, apply: Any) -> Any:
        uids = [s.uid for s in batch]
        try:
            decisions = self.store.commit(batch, apply)
        except CommitOutcomeUnknownError:
            self.calls.append((uids, "unknown"))
            raise
        except StoreError:
            self.calls.append((uids, "failed"))
            raise
        self.calls.append((uids, "ok"))
        return decisions


TERMINATIONS = 400


def test_backend_terminations_during_vm_appends(pg_url: str) -> None:
    """Issue 11: 400 ``pg_terminate_backend`` from a second connection while a VM appends
    one unique item per flush, retrying failed flushes at its next boundary. No commit is
    reported failed that went through; no item is lost or committed twice."""
    import threading

    from clawvm import VM, Write
    from clawvm import pages as P

    app = f"clawvm-term-{os.getpid()}"
    store = open_store(with_params(pg_url, application_name=app))
    rec = Recorder(store)
    vm = VM(50_000, store=rec)
    vm.session_start("s")
    vm.add_page(P.bootstrap("log", "items:", scope="session"))
    vm.compaction()
    kills = [0]
    stop = threading.Event()

    def killer() -> None:
        rng = random.Random(20260426)
        with admin(pg_url) as conn:
            while kills[0] < TERMINATIONS and not stop.is_set():
                time.sleep(rng.uniform(0, 0.006))
                kills[0] += conn.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                    "FROM pg_stat_activity WHERE application_name = %s",
                    (app,),
                ).fetchone()[0]

    def journaled(uids: list[str]) -> set[str]:
        with admin(pg_url) as conn:
            rows = conn.execute(
                f'SELECT uid FROM "{schema_of(pg_url)}".journal WHERE uid = ANY(%s)', (uids,)
            ).fetchall()
        return {r[0] for r in rows}

    thread = threading.Thread(target=killer, daemon=True)
    t0 = time.monotonic()
    thread.start()
    known: set[str] = set()  # ids known to be journaled after each commit call
    misreported = committed_unknown = 0
    items = 0
    try:
        while (thread.is_alive() or items < TERMINATIONS) and time.monotonic() - t0 < 120:
            # the harness keeps this log (an agent may not write bootstrap pages)
            [d] = vm.post_model("", [Write("log", "append", f"<{items}>")], principal="harness")
            assert d.accepted, d
            items += 1
            try:
                vm.compaction()
            except StoreError:
                uids, outcome = rec.calls[-1]
                assert outcome in ("failed", "unknown")
                now = journaled(uids)
                if now - known:  # this call committed something
                    if outcome == "failed":
                        misreported += 1
                    else:
                        committed_unknown += 1
                known |= now
            else:
                known |= set(rec.calls[-1][0])
    finally:
        stop.set()
        thread.join(timeout=30)
    for _ in range(5):  # the killer is gone: the next boundary writes back what is pending
        try:
            vm.compaction()
            break
        except StoreError:
            continue
    elapsed = time.monotonic() - t0
    outcomes = Counter(outcome for _, outcome in rec.calls)

    want = "items:" + "".join(f"<{i}>" for i in range(items))
    assert vm.page("log").content == want
    with open_store(pg_url) as s:
        got = s.get("log", "session", "s").record
        history = list(s.history("log"))
    assert got is not None and got.value == want  # nothing lost, nothing doubled
    counts = Counter(got.value[len("items:"):].replace("><", ">\n<").split("\n"))
    duplicated = sum(n - 1 for n in counts.values())
    uids = Counter(e.staged.uid for e in history)
    assert max(uids.values()) == 1 and len(history) == items + 1
    assert [e.version for e in history] == list(range(1, items + 2))
    assert kills[0] == TERMINATIONS, kills[0]
    assert misreported == 0 and duplicated == 0
    assert outcomes["failed"] + outcomes["unknown"] > 0  # the VM's retry path was taken
    print(
        f"\npostgres: {kills[0]} backend terminations during {items} appends in {elapsed:.1f}s; "
        f"{len(rec.calls)} flushes: {dict(outcomes)}; inside the store "
        f"{store.unknown_outcomes} attempts cut after COMMIT, {store.replayed} updates answered "
        f"from the journal; {committed_unknown} unknown outcomes had committed; "
        f"misreported {misreported}, duplicated {duplicated}"
    )
    vm.close()
    store.close()


# --- many workers, overlapping keys (SQLite and PostgreSQL) -----------------------------

WORKERS = 8
UPDATES = 500
SESSIONS = ("sA", "sB")  # workers 0, 2, 4, 6 in sA; 1, 3, 5, 7 in sB
LIST_KEYS = ("L0", "L1", "L2")
DICT_KEYS = ("D0", "D1", "D2")
POLICY = {"worker": frozenset({"session", "project"})}


def uid_of(value: Any) -> str:
    """Every staged value carries its update's unique id."""
    return value[-1] if isinstance(value, list) else value["last"]


def _contend(url: str, worker: int, seed: int, out: str, barrier: Any) -> None:
    """One worker: ``UPDATES`` updates in small batches; its decisions go to ``out``."""
    try:
        store = open_store(url)
        validator = Validator(policy=POLICY)
        rng = random.Random(seed)
        session = SESSIONS[worker % 2]
        seen: dict[tuple[str, str, str], int] = {}  # the version this worker believes
        decisions: list[list[Any]] = []
        barrier.wait(timeout=120)
        i = 0
        while i < UPDATES:
            batch = []
            for _ in range(min(rng.choice((1, 1, 2, 3, 4)), UPDATES - i)):
                uid = f"w{worker}-{i}"
                i += 1
                key = rng.choice(LIST_KEYS + DICT_KEYS)
                scope = rng.choice(("session", "project"))
                slot = (scope, session if scope == "session" else "", key)
                if rng.random() < 0.3:
                    got = store.get(key, scope, session)
                    assert got.status in ("ok", "no_match"), got
                    seen[slot] = 0 if got.record is None else got.record.version
                r = rng.random()
                base = None
                if r < 0.03:  # invalid: merge needs a dict
                    op, value = "merge", ["oops", uid]
                elif r < 0.45:  # optimistic set from whatever version this worker last saw
                    op, base = "set", seen.get(slot, 0)
                    value = [uid] if key in LIST_KEYS else {"w": worker, "last": uid}
                elif key in LIST_KEYS:
                    op, value = "append", [uid]
                else:
                    op, value = "merge", {f"w{worker}": i, "last": uid}
                who = f"worker:{worker}"
                staged = Staged(key, op, value, scope, who, session, None, base)  # type: ignore[arg-type]
                batch.append(staged)
            for d in store.commit(batch, validator.apply):
                version = d.record.version if d.accepted else None
                if d.accepted:
                    seen[slot_of(d.staged)] = version
                decisions.append([uid_of(d.staged.value), d.accepted, d.reason, version])
        store.close()
        Path(out).write_text(json.dumps(decisions))
    except BaseException:
        Path(out + ".err").write_text(traceback.format_exc())
        raise


def _fold(entries: list[Any]) -> dict[tuple[str, str, str], tuple[Any, int]]:
    """Replay accepted updates in journal order, independently of clawvm's merge code."""
    state: dict[tuple[str, str, str], tuple[Any, int]] = {}
    for e in entries:
        slot = slot_of(e.staged)
        value, version = state.get(slot, (None, 0))
        s = e.staged
        if s.op == "set":  # the version it was judged against decides its fate
            fresh = s.base_version in (None, 0) if version == 0 else s.base_version == version
            assert e.accepted == fresh, (e.seq, s.base_version, version, e.reason)
        if not e.accepted:
            continue
        if s.op == "append":
            value = list(s.value) if value is None else value + list(s.value)
        elif s.op == "merge":
            value = dict(s.value) if value is None else {**value, **s.value}
        else:
            value = s.value
        version += 1
        assert e.version == version and e.record is not None, e.seq
        assert e.record.value == value, e.seq  # the journaled result is the fold so far
        state[slot] = (value, version)
    return state


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_concurrent_workers_fold_to_the_journal(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("pg_url") if kind == "postgres" else f"sqlite:///{tmp_path}/s.db"
    open_store(url).close()  # create the tables before the race
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(WORKERS)
    outs = [str(tmp_path / f"w{w}.json") for w in range(WORKERS)]
    procs = [
        ctx.Process(target=_contend, args=(url, w, 6000 + w, outs[w], barrier), daemon=True)
        for w in range(WORKERS)
    ]
    t0 = time.monotonic()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=150)
    elapsed = time.monotonic() - t0
    for w, p in enumerate(procs):
        if p.is_alive():
            p.kill()
        err = Path(outs[w] + ".err")
        assert p.exitcode == 0, err.read_text() if err.exists() else f"worker {w}: {p.exitcode}"

    reported = {}
    for out in outs:
        for uid, accepted, reason, version in json.loads(Path(out).read_text()):
            assert uid not in reported
            reported[uid] = (accepted, reason, version)
    assert len(reported) == WORKERS * UPDATES

    with open_store(url) as store:
        history = list(store.history())
        seqs = [e.seq for e in history]
        assert seqs == sorted(set(seqs))  # strictly increasing
        if kind == "sqlite":
            assert seqs == list(range(1, len(history) + 1))
        journaled = {uid_of(e.staged.value): e for e in history}
        assert len(journaled) == len(history) == WORKERS * UPDATES  # each once, none lost
        for uid, (accepted, reason, version) in reported.items():  # workers saw the journal
            e = journaled[uid]
            assert (e.accepted, e.reason, e.version) == (accepted, reason, version), uid
        accepted_reported = sum(a for a, _, _ in reported.values())
        assert accepted_reported == sum(e.accepted for e in history)
        reasons = Counter(e.reason for e in history if not e.accepted)
        assert set(reasons) <= {DESTRUCTIVE_OP, SCHEMA_INVALID} and set(reasons) <= set(REASONS)
        for e in history:
            if not e.accepted:
                assert e.reason and e.detail, e.seq
                if e.reason == SCHEMA_INVALID:
                    assert e.staged.value[0] == "oops"
                else:
                    assert e.staged.op == "set"
        state = _fold(history)
        for slot, (value, version) in state.items():  # the records are that fold
            scope, session, key = slot
            got = store.get(key, scope, session or "any")
            assert got.status == "ok" and got.record is not None, slot
            assert (got.record.value, got.record.version) == (value, version), slot
        assert sorted(state) == store.keys()

    # the test exercised what it claims to
    stale = reasons[DESTRUCTIVE_OP]
    sets_ok = sum(e.accepted and e.staged.op == "set" for e in history)
    assert stale > 40 and sets_ok > 100, (stale, sets_ok)
    for sess in SESSIONS:  # session keys stay within their session...
        writers = {e.staged.principal for e in history if slot_of(e.staged)[1] == sess}
        assert writers == {f"worker:{w}" for w in range(WORKERS) if SESSIONS[w % 2] == sess}
    project = {e.staged.principal for e in history if e.staged.scope == "project"}
    assert len(project) == WORKERS  # ...project keys are shared by all
    print(
        f"\n{kind}: {len(history)} updates by {WORKERS} workers in {elapsed:.1f}s, "
        f"{sum(e.accepted for e in history)} accepted, rejected {dict(reasons)}"
    )


# --- SIGKILL at random instants ---------------------------------------------------------

CRASH_KEYS = [f"k{i}" for i in range(8)]
CRASH_SESSION = "crash"
KILLS = 50


def _crash_worker(url: str, seed: int, rnd: int, out: int) -> None:
    """Commit batches of set/merge until killed, reporting each commit as it returns."""
    rng = random.Random(seed)
    store = open_store(url)
    journal = Journal(store, Validator(), session=CRASH_SESSION)
    os.write(out, b"R\n")
    batch = 0
    while True:
        batch += 1
        bid = rnd * 1_000_000 + batch
        keys = rng.sample(CRASH_KEYS, rng.choice([1, 1, 2, 3, 5, 8]))
        members = sorted(keys)
        for k in keys:
            got = store.get(k, "session", CRASH_SESSION)
            assert got.status in ("ok", "no_match"), got
            ver = got.record.version if got.record is not None else 0
            value = {"v": ver + 1, "b": bid, "m": members, "pad": "x" * rng.randint(0, 3000)}
            if ver == 0 or rng.random() < 0.5:
                journal.stage(k, "set", value, base_version=ver)
            else:
                journal.stage(k, "merge", value)
        if rng.random() < 0.2:  # a stale set: must be rejected and change nothing
            journal.stage(keys[0], "set", {"v": -1, "b": bid, "m": members}, base_version=99999)
        os.write(out, b"B\n")
        acked = [f"{d.record.key}={d.record.version}" for d in journal.commit() if d.accepted]
        os.write(out, ("C " + ",".join(acked) + "\n").encode())


def _kill_round(url: str, seed: int, rnd: int, rng: random.Random) -> tuple[dict[str, int], bool]:
    """Fork a worker, SIGKILL it at a random instant; the versions it saw commit, and
    whether it died inside ``commit``."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.close(r)
            _crash_worker(url, seed, rnd, w)
        except BaseException:  # noqa: BLE001 - a forked child must never return into pytest
            with contextlib.suppress(BaseException):
                os.write(2, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(w)
    buf = b""
    try:
        if rng.random() < 0.1:  # kill while it connects
            time.sleep(rng.uniform(0, 0.01))
        else:
            deadline = time.monotonic() + 30
            while b"R\n" not in buf:
                ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
                chunk = os.read(r, 65536) if ready else b""
                assert chunk, f"worker did not start (round {rnd})"
                buf += chunk
            time.sleep(rng.uniform(0, 0.04))
    finally:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    while chunk := os.read(r, 65536):
        buf += chunk
    os.close(r)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    acked: dict[str, int] = {}
    lines = buf.decode().splitlines()
    for line in lines:
        if line.startswith("C ") and len(line) > 2:
            for item in line[2:].split(","):
                key, version = item.split("=")
                acked[key] = max(acked.get(key, 0), int(version))
    return acked, bool(lines) and lines[-1] == "B"


def _check_after_kill(
    crash: Any, url: str, acked: dict[str, int], seen: dict[str, int], what: str
) -> None:
    with open_store(url) as store:
        seqs = [e.seq for e in store.history()]
        assert seqs == sorted(set(seqs)), what  # increasing; a rolled-back sequence leaves gaps
        crash.check_journal_and_records(store, CRASH_KEYS, CRASH_SESSION, acked, seen, what)
        # every slot lock the dead worker held is free again: take them all (stale sets,
        # rejected, so the history rule above still holds)
        probe = [
            Staged(k, "set", {"v": -1, "b": 0, "m": []}, "session", "agent", CRASH_SESSION,
                   base_version=10**9)
            for k in CRASH_KEYS
        ]  # fmt: skip
        assert all(d.reason == DESTRUCTIVE_OP for d in store.commit(probe, Validator().apply))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX only)")
def test_sigkill_mid_transaction_leaves_nothing_torn(pg_url: str, crash_helpers: Any) -> None:
    seed = 20260426
    rng = random.Random(seed)
    open_store(pg_url).close()
    seen = dict.fromkeys(CRASH_KEYS, 0)
    inside = 0
    for rnd in range(1, KILLS + 1):
        acked, in_commit = _kill_round(pg_url, rng.randrange(2**31), rnd, rng)
        inside += in_commit
        _check_after_kill(crash_helpers, pg_url, acked, seen, f"seed={seed} round={rnd}")
    assert sum(seen.values()) > KILLS, "the worker barely committed"
    assert inside >= 3, f"only {inside} of {KILLS} kills landed inside a commit"
    with admin(pg_url) as conn:  # the server rolled back every dead worker's transaction
        for _ in range(100):  # a backend notices its client's death when it next reads
            left = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%' AND application_name = 'clawvm'"
            ).fetchone()[0]
            if left == 0:
                break
            time.sleep(0.05)
        assert left == 0
    print(f"\npostgres: {KILLS} kills, {inside} inside a commit, versions {seen}")

"""Store backends: persistence, corruption handling, sharing, schemas, and ``open_store`` URLs."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawvm.errors import (
    ClawVMError,
    CorruptJournalError,
    InvalidInputError,
    InvalidTypeError,
    StoreCorruptError,
    StoreError,
    StoreSchemaError,
)
from clawvm.journal import Journal, TypeSchema, Validator
from clawvm.stores import (
    DEFAULT_URL,
    DirectoryStore,
    MemoryStore,
    SQLiteStore,
    open_store,
)
from clawvm.stores.base import DROPPED, Store, is_tombstone, resume_scan, scan
from clawvm.vm import VM

SESSION = "s1"
DURABLE = ["dir", "sqlite", "postgres"]


@pytest.fixture(autouse=True)
def _postgres_schema(request: pytest.FixtureRequest) -> Iterator[None]:
    """For ``kind="postgres"``: a fresh schema, its URL in ``tmp_path/postgres.url``.

    Skips without a server (fails when ``CLAWVM_REQUIRE_POSTGRES`` is set), as
    tests/test_postgres.py does.
    """
    callspec = getattr(request.node, "callspec", None)
    if callspec is None or callspec.params.get("kind") != "postgres":
        yield
        return
    pg = request.getfixturevalue("postgres_helpers")
    with pg.fresh_schema(pg.require_postgres()) as url:
        tmp_path: Path = request.getfixturevalue("tmp_path")
        (tmp_path / "postgres.url").write_text(url)
        yield


def store_url(kind: str, where: Path) -> str:
    if kind == "dir":
        return f"dir://{where / 'store'}"
    if kind == "sqlite":
        return f"sqlite:///{where / 'store.db'}"
    return (where / "postgres.url").read_text()


def open_kind(kind: str, where: Path) -> Any:
    if kind == "memory":
        return MemoryStore()
    if kind == "dir":
        return DirectoryStore(where / "store")
    if kind == "postgres":
        return open_store(store_url(kind, where))
    return SQLiteStore(where / "store.db")


def write(store: Store, *updates: tuple[Any, ...]) -> list[Any]:
    j = Journal(store, Validator(), session=SESSION)
    for key, op, value, *rest in updates:
        j.stage(key, op, value, base_version=rest[0] if rest else None)
    return j.commit()


def value_of(store: Store, key: str) -> Any:
    got = store.get(key, "session", SESSION)
    return None if got.record is None else (got.record.value, got.record.version)


# --- persistence ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["memory", *DURABLE])
def test_scan_reads_what_session_start_needs_in_key_order(kind: str, tmp_path: Path) -> None:
    """``scan``: project records and the session's, as reading each key would give them."""
    with open_kind(kind, tmp_path) as s:
        for session in (SESSION, "other"):
            j = Journal(s, Validator(), session=session)
            for key in ("b", "a", "c-é"):
                j.stage(key, "set", {"in": session, "k": key})
            j.stage(f"p-{session}", "set", [session], scope="project", principal="harness")
            assert all(d.accepted for d in j.commit())
        by_key = [
            s.get(key, scope, sess).record
            for scope, sess, key in s.keys()
            if scope == "project" or sess == SESSION
        ]
        got = scan(s, SESSION)
        assert got == by_key and len(got) == 5
        assert [(r.scope, r.session, r.key) for r in got] == sorted(
            (r.scope, r.session, r.key) for r in got
        )
        assert {r.session for r in got if r.scope == "session"} == {SESSION}
        bulk = getattr(s, "records", None)
        assert (bulk is not None) == (kind != "dir")  # the directory store reads each key


_ANY_VALUE = TypeSchema(frozenset({"str", "dict", "list", "number", "bool", "null"}))
_RESUME_TYPES = ("evidence", "segment", "plan")
_ARCHIVE = frozenset({"evidence", "segment"})
#: Values a resume must tell apart: tombstones (a dict whose DROPPED is true) and values
#: that only mention the marker, or hold it false, nested or in a list.
_RESUME_VALUES = [
    {DROPPED: True},
    {DROPPED: True, "tool": "pytest"},
    {DROPPED: 1},
    {DROPPED: "yes"},
    {DROPPED: False},
    {DROPPED: 0},
    {DROPPED: ""},
    {DROPPED: None},
    {"x": {DROPPED: True}},
    [DROPPED, True],
    f'mentions "{DROPPED}": true',
    {"result": "ok", "tool": "grep"},
    "plain text",
]


def _write_resume_records(store: Store, picks: list[tuple[str, int, int, bool]]) -> None:
    """Commit (key, type index, value index, project scope?) records, one session each."""
    v = Validator(schemas={t: _ANY_VALUE for t in _RESUME_TYPES})
    for session in (SESSION, "other"):
        j = Journal(store, v, session=session)
        for key, t, i, project in picks:
            scope = "project" if project else "session"
            if project and session != SESSION:
                continue
            j.stage(key, "set", _RESUME_VALUES[i], scope=scope, principal="harness",
                    ptype=_RESUME_TYPES[t])
        assert all(d.accepted for d in j.commit())


def _resume_by_definition(store: Store) -> list[Any]:
    """``resume_scan`` as its docstring defines it, from ``scan``."""
    return [
        (r.key, r.scope) if r.ptype in _ARCHIVE else r
        for r in scan(store, SESSION)
        if not (r.ptype in _ARCHIVE and is_tombstone(r.value))
    ]


@pytest.mark.parametrize("kind", ["memory", *DURABLE])
def test_resume_scan_leaves_archived_values_unread(kind: str, tmp_path: Path) -> None:
    """Every value kind under every type, in both scopes: the store's one read gives what
    ``scan`` would, with tombstones of archived types left out and no value of theirs."""
    picks = [
        (f"k{t}-{i}-{p}", t, i, p)
        for t in range(len(_RESUME_TYPES))
        for i in range(len(_RESUME_VALUES))
        for p in (False, True)
    ]
    with open_kind(kind, tmp_path) as s:
        _write_resume_records(s, picks)
        got = resume_scan(s, SESSION, _ARCHIVE)
        assert got == _resume_by_definition(s)
        assert (getattr(s, "resume", None) is not None) == (kind != "dir")
        stubs = [e for e in got if type(e) is tuple]
        # 5 of the 13 values are tombstones; 2 archived types; both scopes
        assert len(stubs) == 2 * 2 * (len(_RESUME_VALUES) - 4)
        assert resume_scan(s, SESSION, frozenset()) == scan(s, SESSION)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d-é", "e"]),
            st.integers(0, len(_RESUME_TYPES) - 1),
            st.integers(0, len(_RESUME_VALUES) - 1),
            st.booleans(),
        ),
        max_size=12,
        unique_by=lambda x: (x[0], x[3]),
    )
)
def test_resume_scan_agrees_with_its_definition(picks: list[tuple[str, int, int, bool]]) -> None:
    """Random records (a key may be in both scopes, of different types) on the memory store
    and a fresh SQLite file."""
    with MemoryStore() as s:
        _write_resume_records(s, picks)
        assert resume_scan(s, SESSION, _ARCHIVE) == _resume_by_definition(s)
    with tempfile.TemporaryDirectory() as where, SQLiteStore(Path(where) / "s.db") as s:
        _write_resume_records(s, picks)
        assert resume_scan(s, SESSION, _ARCHIVE) == _resume_by_definition(s)


def _damage(store: Any, kind: str, key: str, text: str) -> None:
    """Overwrite a record's stored text behind the store's back (a damaged or edited row)."""
    if kind == "sqlite":
        with contextlib.closing(sqlite3.connect(store.path)) as db, db:
            db.execute("UPDATE clawvm_records SET value = ? WHERE key = ?", (text, key))
    else:
        from psycopg import sql

        query = sql.SQL("UPDATE {} SET value = %s WHERE key = %s").format(store._records)
        store._db().execute(query, (text, key))


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
@pytest.mark.parametrize(
    "text", ["{not json", "[" * 100_000 + "]" * 100_000, "NaN", '{"x": Infinity}', ""],
    ids=["not-json", "deep", "nan", "infinity", "empty"],
)
def test_a_damaged_record_is_a_typed_error_naming_it(kind: str, text: str, tmp_path: Path) -> None:
    """No bare JSON or recursion error from a row clawvm could not have written: reads say
    which record, commits judged against it raise before anything is written, and the
    other records stay readable."""
    with open_kind(kind, tmp_path) as s:
        write(s, ("bad", "set", {"x": 1}), ("good", "set", "fine"))
        _damage(s, kind, "bad", text)
        got = s.get("bad", "session", SESSION)
        assert got.status == "backend_error" and "'bad'" in got.reason
        assert got.reason.count("://") == 1  # the store is named once
        assert value_of(s, "good") == ("fine", 1)
        with pytest.raises(StoreCorruptError, match="'bad'"):
            scan(s, SESSION)
        with pytest.raises(StoreCorruptError, match="'bad'"):
            write(s, ("bad", "set", {"x": 2}, 1), ("good", "set", "new", 1))
        assert value_of(s, "good") == ("fine", 1)  # the batch committed nothing
    vm = VM(1000, store=store_url(kind, tmp_path))
    with pytest.raises(StoreCorruptError, match="'bad'"):
        vm.session_start(SESSION)
    vm.close()


@pytest.mark.parametrize("kind", DURABLE)
def test_reopen_keeps_records_and_history(kind: str, tmp_path: Path) -> None:
    with open_kind(kind, tmp_path) as s:
        write(s, ("a", "set", {"x": 1}), ("b", "append", "hi"))
        write(s, ("a", "merge", {"y": [1, 2]}), ("b", "set", "no", 0), ("b", "append", "!"))
        before = list(s.history())
    with open_kind(kind, tmp_path) as s:
        assert value_of(s, "a") == ({"x": 1, "y": [1, 2]}, 2)
        assert value_of(s, "b") == ("hi!", 2)
        assert s.keys() == [("session", SESSION, "a"), ("session", SESSION, "b")]
        after = list(s.history())
        assert after == before
        assert [e.reason for e in after] == [None, None, None, "DESTRUCTIVE_OP", None]
        assert [e.seq for e in after] == [1, 2, 3, 4, 5]
        write(s, ("a", "set", "v3", 2))
    with open_kind(kind, tmp_path) as s:
        assert value_of(s, "a") == ("v3", 3)
        assert len(list(s.history("a"))) == 3


@pytest.mark.parametrize("kind", ["memory", *DURABLE])
def test_closed_store(kind: str, tmp_path: Path) -> None:
    s = open_kind(kind, tmp_path)
    write(s, ("a", "set", 1))
    s.close()
    s.close()  # idempotent
    got = s.get("a", "session", SESSION)
    assert got.status == "backend_error" and "closed" in got.reason
    with pytest.raises(StoreError):
        write(s, ("a", "set", 2, 1))


@pytest.mark.parametrize("kind", ["memory", *DURABLE])
def test_get_checks_argument_types(kind: str, tmp_path: Path) -> None:
    with open_kind(kind, tmp_path) as s:
        with pytest.raises(InvalidTypeError) as info:
            s.get(1, "session", SESSION)  # type: ignore[arg-type]
        assert info.value.field == "key"
        assert s.get("missing", "session", SESSION).status == "no_match"


@pytest.mark.parametrize("kind", DURABLE)
def test_two_handles_judge_against_committed_state(kind: str, tmp_path: Path) -> None:
    with open_kind(kind, tmp_path) as a, open_kind(kind, tmp_path) as b:
        write(a, ("k", "set", "one"))
        assert value_of(b, "k") == ("one", 1)  # b sees a's commit without reopening
        assert write(b, ("k", "set", "two", 1))[0].accepted
        # a's view of version 1 is stale now: judged against the store, not a cache
        assert write(a, ("k", "set", "three", 1))[0].reason == "DESTRUCTIVE_OP"
        assert value_of(a, "k") == ("two", 2)
        assert [e.seq for e in a.history()] == [1, 2, 3]


_WORKER = textwrap.dedent(
    """
    import sys
    from clawvm.journal import Journal
    from clawvm.stores import open_store
    store = open_store(sys.argv[1])
    j = Journal(store, session="s1")
    for i in range(int(sys.argv[2])):
        j.stage("shared", "append", [sys.argv[3]])
        assert j.commit()[0].accepted
    store.close()
    """
)


@pytest.mark.parametrize("kind", DURABLE)
def test_processes_serialise_commits(kind: str, tmp_path: Path) -> None:
    url = store_url(kind, tmp_path)
    n = 40
    procs = [
        subprocess.Popen([sys.executable, "-W", "ignore", "-c", _WORKER, url, str(n), tag])
        for tag in ("p", "q", "r")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    with open_store(url) as s:
        value, version = value_of(s, "shared")
        assert version == 3 * n
        assert sorted(value) == ["p"] * n + ["q"] * n + ["r"] * n
        assert [e.version for e in s.history()] == list(range(1, 3 * n + 1))


# --- the directory store's journal ----------------------------------------------------


def _three_batches(path: Path) -> DirectoryStore:
    s = DirectoryStore(path)
    write(s, ("a", "set", "a1"))
    write(s, ("b", "set", "b1"), ("a", "append", "+"))
    write(s, ("c", "set", "c1"), ("a", "append", "!"))
    return s


def _records(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (path / "records").iterdir()}


def _restore_records(path: Path, files: dict[str, bytes]) -> None:
    for p in (path / "records").iterdir():
        p.unlink()
    for name, data in files.items():
        (path / "records" / name).write_bytes(data)


def _lines(path: Path) -> list[bytes]:
    return (path / "journal.jsonl").read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize(
    "damage",
    [
        "cut_mid_line",
        "cut_before_end_line",
        "garbage_without_newline",
        "flipped_byte_last_line",
        "garbage_line",
    ],
)
def test_dir_torn_tail_is_truncated_to_valid_prefix(damage: str, tmp_path: Path) -> None:
    where = tmp_path / "store"
    s = DirectoryStore(where)
    write(s, ("a", "set", "a1"))
    write(s, ("b", "set", "b1"), ("a", "append", "+"))
    after_two = _records(where)  # a crash in batch 3's journal write precedes its files
    write(s, ("c", "set", "c1"), ("a", "append", "!"))
    s.close()
    journal = where / "journal.jsonl"
    lines = _lines(where)
    assert len(lines) == 5
    if damage != "garbage_line":
        _restore_records(where, after_two)
    prefix = b"".join(lines[:3])  # batches 1 and 2
    if damage == "cut_mid_line":  # batch 3 half written
        journal.write_bytes(prefix + lines[3] + lines[4][:-20])
    elif damage == "cut_before_end_line":  # batch 3 without its end line
        journal.write_bytes(prefix + lines[3])
    elif damage == "garbage_without_newline":
        journal.write_bytes(prefix + lines[3] + b"\x00\x00\x00")
    elif damage == "flipped_byte_last_line":
        last = bytearray(lines[4])
        last[30] ^= 0x01
        journal.write_bytes(prefix + lines[3] + bytes(last))
    else:
        full = b"".join(lines)
        journal.write_bytes(full + b"deadbeef {}\n")
        prefix = full
    with DirectoryStore(where) as s:
        assert s.truncated_bytes > 0
        assert journal.read_bytes() == prefix
        if damage == "garbage_line":
            assert value_of(s, "c") == ("c1", 1)
            return
        assert value_of(s, "a") == ("a1+", 2)  # batch 3 is gone entirely (atomic)
        assert value_of(s, "b") == ("b1", 1)
        assert value_of(s, "c") is None
        assert [e.seq for e in s.history()] == [1, 2, 3]
        write(s, ("c", "set", "again"))
    with DirectoryStore(where) as s:
        assert s.truncated_bytes == 0
        assert value_of(s, "c") == ("again", 1)
        assert [e.seq for e in s.history()] == [1, 2, 3, 4]


@pytest.mark.parametrize("line", [1, 2, 4])
def test_dir_corrupt_middle_line_raises_and_leaves_files(line: int, tmp_path: Path) -> None:
    where = tmp_path / "store"
    _three_batches(where).close()
    lines = _lines(where)
    bad = bytearray(lines[line - 1])
    bad[12] = ord("#")
    lines[line - 1] = bytes(bad)
    damaged = b"".join(lines)
    (where / "journal.jsonl").write_bytes(damaged)
    with pytest.raises(CorruptJournalError) as info:
        DirectoryStore(where)
    assert info.value.line == line
    assert f"line {line}" in str(info.value)
    assert isinstance(info.value, StoreCorruptError)
    assert (where / "journal.jsonl").read_bytes() == damaged


def test_dir_sequence_gap_is_corruption(tmp_path: Path) -> None:
    where = tmp_path / "store"
    _three_batches(where).close()
    lines = _lines(where)
    (where / "journal.jsonl").write_bytes(b"".join(lines[:1] + lines[2:]))
    with pytest.raises(CorruptJournalError) as info:
        DirectoryStore(where)
    assert info.value.line == 2


def test_dir_record_files_are_repaired_from_journal(tmp_path: Path) -> None:
    where = tmp_path / "store"
    s = _three_batches(where)
    path_a = Path(s.record_path("a", "session", SESSION))
    path_b = Path(s.record_path("b", "session", SESSION))
    path_c = Path(s.record_path("c", "session", SESSION))
    good_a = path_a.read_bytes()
    assert json.loads(good_a)["value"] == "a1+!"
    s.close()
    path_a.write_bytes(good_a.replace(b'"version":3', b'"version":2').replace(b"+!", b"+"))
    path_b.write_bytes(good_a[:10])  # torn
    path_c.unlink()
    (path_c.parent / ".leftover.123.tmp").write_bytes(b"half")
    with DirectoryStore(where) as s:
        assert s.repaired_records == 3
        assert path_a.read_bytes() == good_a
        assert json.loads(path_b.read_bytes())["value"] == "b1"
        assert json.loads(path_c.read_bytes())["version"] == 1
        assert not (path_c.parent / ".leftover.123.tmp").exists()
    with DirectoryStore(where) as s:
        assert s.repaired_records == 0


def test_dir_record_newer_than_journal_is_corruption(tmp_path: Path) -> None:
    where = tmp_path / "store"
    s = _three_batches(where)
    path = Path(s.record_path("b", "session", SESSION))
    s.close()
    path.write_bytes(path.read_bytes().replace(b'"version":1', b'"version":7'))
    with pytest.raises(StoreCorruptError, match="newer than the journal"):
        DirectoryStore(where)


# --- sqlite ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\n" * 50, b"SQLite format 3\x00" + b"\xff" * 4000, b"\x00" * 8192],
)
def test_sqlite_garbage_file_is_refused_untouched(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(content)
    with pytest.raises(StoreCorruptError):
        SQLiteStore(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.db"]
    with pytest.raises(StoreCorruptError):
        open_store(f"sqlite:///{path}")


def test_sqlite_empty_file_is_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"")
    with SQLiteStore(path) as s:
        write(s, ("a", "set", 1))
    with SQLiteStore(path) as s:
        assert value_of(s, "a") == (1, 1)
        mode = s._db().execute("PRAGMA journal_mode").fetchone()[0]
        sync = s._db().execute("PRAGMA synchronous").fetchone()[0]
        assert (mode, sync) == ("wal", 2)


# --- open_store -----------------------------------------------------------------------


def test_open_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert DEFAULT_URL == "sqlite:///clawvm.db"
    cases = {
        "memory://": (MemoryStore, None),
        "dir://rel/ws": (DirectoryStore, tmp_path / "rel" / "ws"),
        f"dir://{tmp_path / 'abs'}": (DirectoryStore, tmp_path / "abs"),
        "sqlite:///rel.db": (SQLiteStore, tmp_path / "rel.db"),
        f"sqlite:///{tmp_path / 'abs.db'}": (SQLiteStore, tmp_path / "abs.db"),
        "sqlite://:memory:": (SQLiteStore, None),
        "SQLITE://": (SQLiteStore, None),
    }
    for url, (cls, where) in cases.items():
        s = open_store(url)
        try:
            assert type(s) is cls, url
            write(s, ("k", "set", url))
            assert value_of(s, "k") == (url, 1)
            if where is not None:
                assert Path(s.path) == where and where.exists(), url
                with open_store(s.url) as again:  # the canonical URL round-trips
                    assert again.url == s.url
        finally:
            s.close()
    with open_store() as s:
        assert Path(s.path) == tmp_path / "clawvm.db"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://host/x", InvalidInputError),
        ("clawvm.db", InvalidInputError),
        ("memory://extra", InvalidInputError),
        ("dir://", InvalidInputError),
        ("sqlite://relative.db", InvalidInputError),
        (42, InvalidTypeError),
    ],
)
def test_open_store_rejects_bad_urls(url: Any, error: type, tmp_path: Path) -> None:
    with pytest.raises(error) as info:
        open_store(url)
    assert info.value.field == "url"


def test_open_store_postgres_reports_what_is_missing() -> None:
    try:
        store = open_store("postgresql://user:secret@localhost:1/clawvm")
    except ClawVMError as e:
        assert "postgres" in str(e).lower()
        assert "secret" not in str(e)
    else:  # a PostgreSQL backend exists and a server answered: nothing to check here
        store.close()


def test_open_store_parses_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Query options, percent-decoding and ``~`` (issue 11: ``?timeout=5`` was a file name)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with open_store("sqlite:///x.db?timeout=5") as s:
        assert Path(s.path) == tmp_path / "x.db"
        assert s._db().execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert s.url.endswith("/x.db?timeout=5")
        with open_store(s.url) as again:
            assert again.url == s.url
    with open_store("sqlite:///~/state%20one.db") as s:
        assert Path(s.path) == tmp_path / "home" / "state one.db"
        write(s, ("k", "set", 1))
        with open_store(s.url) as again:  # the canonical URL is percent-encoded
            assert "%20" in again.url and value_of(again, "k") == (1, 1)
    with open_store("sqlite:///what%3F%23.db") as s:
        assert Path(s.path) == tmp_path / "what?#.db"
    with open_store("dir://~/ws%2Fa") as s:
        assert Path(s.path) == tmp_path / "home" / "ws" / "a"
    with open_store("sqlite://:memory:?timeout=0.5") as s:
        assert s._db().execute("PRAGMA busy_timeout").fetchone()[0] == 500
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "what?#.db", "x.db"]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///x.db?timeout=soon",
        "sqlite:///x.db?timeout=-1",
        "sqlite:///x.db?timeout=nan",
        "sqlite:///x.db?timeout=1&timeout=2",
        "sqlite:///x.db?mode=ro",
        "sqlite:///x.db?timeout",
        "sqlite:///x.db#frag",
        "sqlite:///",
        "dir:///tmp/ws?sync=0",
        "dir:///tmp/a\nb",
        "memory://?x=1",
    ],
)
def test_open_store_refuses_what_it_does_not_understand(url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInputError) as info:
        open_store(url)
    assert info.value.field == "url"
    assert list(tmp_path.iterdir()) == []  # nothing was created


def test_os_errors_are_store_errors_naming_the_path(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a directory")
    for url in (f"dir://{afile}/ws", f"sqlite:///{afile}/x.db", f"sqlite:///{tmp_path}"):
        with pytest.raises(StoreError) as info:
            open_store(url)
        assert str(afile if "afile" in url else tmp_path) in str(info.value), url
        assert type(info.value) is StoreError  # not NotADirectoryError & co.
    # a directory store whose record files cannot be written: the journal (durable) wins,
    # the next commit refuses before writing anything, and all is repaired once it can
    where = tmp_path / "store"
    with DirectoryStore(where) as s:
        write(s, ("a", "set", 1))
        records = where / "records"
        records.rename(tmp_path / "aside")
        records.write_text("in the way")
        assert write(s, ("a", "set", 2, 1))[0].accepted  # journaled: the commit stands
        with pytest.raises(StoreError, match=re.escape(str(where))):
            write(s, ("b", "set", 1))
        records.unlink()
        (tmp_path / "aside").rename(records)
        assert write(s, ("b", "set", 1))[0].accepted
    with DirectoryStore(where) as s:
        assert value_of(s, "a") == (2, 2) and value_of(s, "b") == (1, 1)
        assert s.repaired_records == 0  # the commit above repaired the lagging file
        assert json.loads(Path(s.record_path("a", "session", SESSION)).read_bytes())["value"] == 2


def _tables(path: Path) -> list[str]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        return sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master"))


def test_sqlite_tables_are_clawvms_own(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with SQLiteStore(path) as s:
        write(s, ("a", "set", 1))
        meta = s._db().execute("SELECT name, value FROM clawvm_meta").fetchall()
        assert meta == [("schema_version", "1")]
    assert _tables(path) == [
        "clawvm_journal", "clawvm_journal_key", "clawvm_journal_uid", "clawvm_meta",
        "clawvm_records", "sqlite_autoindex_clawvm_meta_1", "sqlite_autoindex_clawvm_records_1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "match"),
    [
        ("CREATE TABLE records (id INTEGER PRIMARY KEY, body TEXT)", "did not create"),
        ("CREATE TABLE notes (x); CREATE VIEW v AS SELECT * FROM notes", "did not create"),
        (
            (
                "CREATE TABLE records (scope, session, key, value, version, ptype);"
                "CREATE TABLE journal (seq, key)"
            ),
            "did not create",  # an unversioned layout
        ),
        (
            (
                "CREATE TABLE clawvm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "INSERT INTO clawvm_meta VALUES ('schema_version', '2')"
            ),
            "schema version '2'",
        ),
        (
            (
                "CREATE TABLE clawvm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "INSERT INTO clawvm_meta VALUES ('schema_version', '1');"
                "CREATE TABLE clawvm_records (scope, session, key, value, version, ptype);"
                "CREATE TABLE clawvm_journal (seq, key)"
            ),
            "lacks clawvm's columns",
        ),
    ],
)
def test_sqlite_foreign_or_mismatched_schema_is_refused_untouched(
    setup: str, match: str, tmp_path: Path
) -> None:
    """Issue 11: a database with an unrelated ``records`` table died with a raw
    OperationalError after clawvm had added a ``journal`` table to it."""
    import sqlite3

    path = tmp_path / "app.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.executescript(setup)
    before = path.read_bytes()
    with pytest.raises(StoreSchemaError, match=match) as info:
        open_store(f"sqlite:///{path}")
    assert str(path) in str(info.value)
    assert path.read_bytes() == before  # not even WAL mode was set
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def test_sqlite_empty_database_becomes_a_store(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "empty.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 7")  # an SQLite file with no schema objects
    with SQLiteStore(path) as s:
        assert write(s, ("a", "set", 1))[0].accepted

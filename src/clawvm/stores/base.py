"""The one interface every durable store implements.

Stores are dumb about policy: the journal (``clawvm.journal``) owns validation and merge
rules as a pure function ``apply(current, staged) -> Decision``. A store's job is to run
that function *atomically against the committed state* — under its own lock or
transaction — and to make the result durable before ``commit`` returns. That is what lets
many workers share one PostgreSQL store with optimistic concurrency: a stale ``set`` is
judged against the version actually committed, never against a worker's cached copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from clawvm.stores._repr import fields_repr

Scope = Literal["session", "project"]
Op = Literal["append", "merge", "set"]
ReadStatus = Literal["ok", "no_match", "denied", "backend_error"]


def new_uid() -> str:
    """A fresh idempotency id: 128 random bits as 32 hex digits.

    Random rather than counted: workers on many hosts share one store, and two updates with
    the same id would be taken for one (the second would be answered with the first's
    decision and never applied). Ids never reach decision traces, so traces stay
    deterministic.
    """
    return os.urandom(16).hex()


@dataclass(frozen=True, slots=True)
class Staged:
    """One update as staged in the journal. ``value`` is JSON-serialisable.

    ``uid`` is the update's idempotency id, journaled with it: a store that finds the id
    already journaled returns the recorded decision instead of applying the update again,
    so a batch retried after an unknown commit outcome applies each update exactly once.
    Keep the same object (or the same ``uid``) across retries.
    """

    key: str
    op: Op
    value: Any
    scope: Scope
    principal: str
    session: str
    evidence_ref: str | None = None
    base_version: int | None = None
    ptype: str | None = None  # page type name, selects the schema; None = untyped record
    uid: str = field(default_factory=new_uid, repr=False)

    def __repr__(self) -> str:  # bounded: a rejected payload may nest 10,000 deep
        return fields_repr(self)


@dataclass(frozen=True, slots=True)
class Record:
    """A key's committed state. ``session`` is "" for project-scoped keys."""

    key: str
    scope: Scope
    session: str
    value: Any
    version: int
    ptype: str | None = None

    def __repr__(self) -> str:  # bounded: a value may be megabytes
        return fields_repr(self)


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one staged update: ``record`` when accepted, ``reason`` when rejected."""

    staged: Staged
    record: Record | None
    reason: str | None = None  # one of journal.REASONS when rejected
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A read that always says why: never a bare empty result."""

    status: ReadStatus
    record: Record | None = None
    reason: str = ""


#: The journal's pure validation + merge function, run by the store under its lock.
ApplyFn = Callable[[Record | None, Staged], Decision]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of a store's journal: what was staged, by whom, and what became of it."""

    seq: int
    staged: Staged
    accepted: bool
    reason: str | None
    version: int | None  # the committed version when accepted
    detail: str = ""  # why it was rejected, in words
    record: Record | None = None  # the committed record when accepted (lets stores replay)


class Store(Protocol):
    """Durable key → record storage with an append-only journal."""

    url: str

    def get(self, key: str, scope: Scope, session: str) -> ReadResult:
        """Read one key; session-scoped keys are looked up under ``session`` only."""
        ...

    def commit(self, batch: Sequence[Staged], apply: ApplyFn) -> list[Decision]:
        """Judge and apply ``batch`` in order, atomically, durable on return.

        Every entry is journaled once (accepted or rejected with its reason); rejected
        entries change nothing. Later entries in a batch see the effect of earlier accepted
        ones. An entry whose ``uid`` is already journaled is not judged again: its recorded
        decision is returned. ``StoreError`` means nothing was committed;
        ``CommitOutcomeUnknownError`` means it may have been (retry the same batch).
        """
        ...

    def history(self, key: str | None = None) -> Iterator[JournalEntry]:
        """The journal in commit order, optionally for one key."""
        ...

    def keys(self) -> list[tuple[Scope, str, str]]:
        """Every committed (scope, session, key), sorted."""
        ...

    def close(self) -> None:
        ...


#: Content key that marks a committed record as dropped (``VM.drop``): it never loads again.
DROPPED = "clawvm:dropped"


def is_tombstone(value: Any) -> bool:
    """Is ``value`` a dropped page's tombstone (a dict whose ``DROPPED`` is true)?"""
    return isinstance(value, dict) and bool(value.get(DROPPED))


def scan(store: Store, session: str) -> list[Record]:
    """Every committed record of project scope or of ``session``, in (scope, session, key)
    order: what ``VM.session_start`` loads. A store may answer it in one read with a
    ``records(session)`` method (the built-in SQLite, PostgreSQL and memory stores do);
    otherwise each key is read with ``get`` (a key that cannot be read is left out, as a
    missing one). Raises ``StoreError`` when the store cannot be read."""
    bulk = getattr(store, "records", None)
    if bulk is not None:
        return list(bulk(session))
    out = []
    for scope, sess, key in store.keys():
        if scope == "project" or sess == session:
            read = store.get(key, scope, sess)
            if read.status == "ok" and read.record is not None:
                out.append(read.record)
    return out


def resume_scan(
    store: Store, session: str, archive: frozenset[str]
) -> list[Record | tuple[str, Scope]]:
    """``scan`` for a session start that leaves pages of the types in ``archive`` in the
    store: each of their records is ``(key, scope)`` instead (its value is not needed), and
    their tombstones are left out; every other record is as ``scan`` gives it, in the same
    order. A store may answer in one read that never decodes those values with a
    ``resume(session, archive)`` method (the built-in SQLite, PostgreSQL and memory stores
    do); otherwise it is made from ``scan``."""
    fast = getattr(store, "resume", None)
    if fast is not None and archive:
        return list(fast(session, archive))
    out: list[Record | tuple[str, Scope]] = []
    for rec in scan(store, session):
        if rec.ptype not in archive:
            out.append(rec)
        elif not is_tombstone(rec.value):
            out.append((rec.key, rec.scope))
    return out

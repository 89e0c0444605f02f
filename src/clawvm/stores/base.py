"""The one interface every durable store implements.

Stores are dumb about policy: the journal (``clawvm.journal``) owns validation and merge
rules as a pure function ``apply(current, staged) -> Decision``. A store's job is to run
that function *atomically against the committed state* — under its own lock or
transaction — and to make the result durable before ``commit`` returns. That is what lets
many workers share one PostgreSQL store with optimistic concurrency: a stale ``set`` is
judged against the version actually committed, never against a worker's cached copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Scope = Literal["session", "project"]
Op = Literal["append", "merge", "set"]
ReadStatus = Literal["ok", "no_match", "denied", "backend_error"]


@dataclass(frozen=True, slots=True)
class Staged:
    """One update as staged in the journal (SPEC §4). ``value`` is JSON-serialisable."""

    key: str
    op: Op
    value: Any
    scope: Scope
    principal: str
    session: str
    evidence_ref: str | None = None
    base_version: int | None = None
    ptype: str | None = None  # page type name, selects the schema; None = untyped record


@dataclass(frozen=True, slots=True)
class Record:
    """A key's committed state. ``session`` is "" for project-scoped keys."""

    key: str
    scope: Scope
    session: str
    value: Any
    version: int
    ptype: str | None = None


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
    """A read that always says why: never a bare empty result (SPEC §1, observability)."""

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

        Every entry is journaled (accepted or rejected with its reason); rejected entries
        change nothing. Later entries in a batch see the effect of earlier accepted ones.
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

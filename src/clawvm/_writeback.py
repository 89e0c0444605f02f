"""The VM's one link to the journal (docs/journal.md): dry-run, stage, flush.

Updates are judged twice with the same pure ``Validator``: once when proposed, against the
page as the VM holds it (so a harness learns of a rejection at once and the prompt never
shows content that could not commit), and again by the store at flush, against what is
actually committed. Staged updates wait here, per page, until a destructive boundary.

A flush that raises keeps every staged update, each with its idempotency id, so the next
boundary commits them again; a store answers an update that did commit from its journal,
so nothing is lost and nothing is applied twice (also after ``CommitOutcomeUnknownError``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clawvm.journal import DEFAULT_POLICY, FlushResult, Journal, Validator
from clawvm.stores._repr import fields_repr
from clawvm.stores.base import Decision, ReadResult, Record, Staged, Store
from clawvm.stores.memory import MemoryStore

__all__ = ["Write", "Writeback"]

#: Largest page value the VM commits (canonical JSON); tool outputs can be big.
MAX_PAGE_BYTES = 8 * 2**20

#: Who may write which scope. ``system`` is the harness itself.
WRITE_POLICY: Mapping[str, frozenset[str]] = {
    **DEFAULT_POLICY,
    "system": frozenset({"session", "project"}),
}


@dataclass(frozen=True, slots=True)
class Write:
    """One proposed page update: ``op`` is append, merge or set.

    ``scope`` defaults to the page's; ``ptype`` is needed only to create a new page. There
    is no principal field: who writes is the harness's call (``principal=``), never part of
    a payload a model could shape.
    """

    key: str
    op: str
    value: Any
    scope: str | None = None
    evidence_ref: str | None = None
    base_version: int | None = None
    ptype: str | None = None

    def __repr__(self) -> str:  # bounded: a model's payload may nest 10,000 deep
        return fields_repr(self)


class Writeback:
    """Validator + journal + the VM's staged updates, in staging order."""

    def __init__(
        self, store: Store, session: str = "", policy: Mapping[str, frozenset[str]] | None = None
    ) -> None:
        self.store = store
        self.validator = Validator(
            policy=WRITE_POLICY if policy is None else policy, max_value_bytes=MAX_PAGE_BYTES
        )
        self.journal = Journal(store, self.validator, session=session)
        self.pending: list[Staged] = []
        self._staged_keys: Counter[str] = Counter()  # key -> its updates in ``pending``

    @property
    def session(self) -> str:
        return self.journal.session

    @session.setter
    def session(self, value: str) -> None:
        self.journal.session = value

    def staged(
        self,
        key: str,
        op: str,
        value: Any,
        scope: str,
        principal: str,
        *,
        ptype: str,
        evidence_ref: str | None = None,
        base_version: int | None = None,
    ) -> Staged:
        """Build a ``Staged`` for this session (not yet pending)."""
        return Staged(
            key=key,
            op=op,  # type: ignore[arg-type]
            value=value,
            scope=scope,  # type: ignore[arg-type]
            principal=principal,
            session=self.session,
            evidence_ref=evidence_ref,
            base_version=base_version,
            ptype=ptype,
        )

    def judge(self, current: Record | None, staged: Staged) -> Decision:
        """Dry run: what the journal would decide against ``current``."""
        return self.validator.apply(current, staged)

    def stage(self, staged: Staged) -> None:
        self.pending.append(staged)
        self._staged_keys[staged.key] += 1

    def drop(self, keys: set[str]) -> None:
        """Forget the staged updates of ``keys`` (their pages were destroyed unflushed).

        Searched from the newest: the page dropped is usually one staged lately."""
        left = sum(self._staged_keys.pop(k, 0) for k in keys)
        pending = self.pending
        i = len(pending)
        while left:
            i -= 1
            if pending[i].key in keys:
                del pending[i]
                left -= 1

    def flush(self) -> FlushResult:
        """Commit every staged update in one batch; pending is cleared only on success
        (on a ``StoreError`` the same ``Staged`` objects, ids and all, wait for a retry)."""
        result = self.journal.flush(self.pending)
        self.pending = []
        self._staged_keys.clear()
        return result

    def read(self, key: str, scope: str) -> ReadResult:
        return self.store.get(key, scope, self.session)  # type: ignore[arg-type]

    def record(self, key: str, scope: str) -> Record | None:
        """The committed record of ``key``, or None when the store has none or cannot read
        it (``read`` says which). An in-process store answers without building a reply: a
        new page meets no record on every page-in."""
        store = self.store
        if type(store) is MemoryStore:
            return store.peek(key, scope, self.session)  # type: ignore[arg-type]
        read = self.read(key, scope)
        return read.record if read.status == "ok" else None

"""In-process store for tests and ephemeral sessions; nothing survives the process."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence

from clawvm.errors import StoreError
from clawvm.stores._util import (
    Slot,
    canonical,
    check_batch,
    entry_from_dict,
    entry_to_dict,
    judge,
    lookup_slot,
    no_record,
    resume_rows,
)
from clawvm.stores.base import ApplyFn, Decision, JournalEntry, ReadResult, Record, Scope, Staged


class MemoryStore:
    """A dict and a list behind a lock. Values are copied in and out, never shared."""

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._records: dict[Slot, tuple[Record, str]] = {}  # record + its value as JSON
        self._journal: list[JournalEntry] = []
        self._by_uid: dict[str, JournalEntry] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.replayed = 0  # updates answered from the journal by their id, for reporting

    def _current(self, slot: Slot) -> Record | None:
        hit = self._records.get(slot)
        return None if hit is None else _thaw(*hit)

    def get(self, key: str, scope: Scope, session: str) -> ReadResult:
        slot = lookup_slot(key, scope, session)
        with self._lock:
            if self._closed:
                return ReadResult("backend_error", reason="store is closed")
            rec = self._current(slot)
        if rec is None:
            return no_record(slot)
        return ReadResult("ok", rec)

    def peek(self, key: str, scope: Scope, session: str) -> Record | None:
        """``get``'s record, or None for every other answer (no record, a closed store)."""
        slot = lookup_slot(key, scope, session)
        with self._lock:
            return None if self._closed else self._current(slot)

    def commit(self, batch: Sequence[Staged], apply: ApplyFn) -> list[Decision]:
        batch = check_batch(batch)
        with self._lock:
            if self._closed:
                raise StoreError("commit on a closed store")
            decisions, fresh, changed = judge(batch, apply, self._current, self._by_uid)
            frozen = {slot: (rec, canonical(rec.value)) for slot, rec in changed.items()}
            for d in fresh:
                entry = entry_from_dict(entry_to_dict(len(self._journal) + 1, d))
                self._journal.append(entry)
                self._by_uid[entry.staged.uid] = entry
            self._records.update(frozen)
            self.replayed += len(decisions) - len(fresh)
        return decisions

    def history(self, key: str | None = None) -> Iterator[JournalEntry]:
        with self._lock:
            entries = list(self._journal)
        return (e for e in entries if key is None or e.staged.key == key)

    def keys(self) -> list[tuple[Scope, str, str]]:
        with self._lock:
            return sorted(self._records)  # type: ignore[arg-type]

    def records(self, session: str) -> list[Record]:
        """Every project record and every record of ``session``, in key order (``scan``)."""
        with self._lock:
            if self._closed:
                raise StoreError("read on a closed store")
            hits = sorted(
                (slot, hit) for slot, hit in self._records.items()
                if slot[0] == "project" or slot[1] == session
            )
        return [_thaw(*hit) for _, hit in hits]

    def resume(self, session: str, archive: frozenset[str]) -> list[Record | tuple[str, Scope]]:
        """``records`` for ``resume_scan`` (the values of ``archive`` types not decoded)."""
        with self._lock:
            if self._closed:
                raise StoreError("read on a closed store")
            rows = [
                (*slot, text, rec.version, rec.ptype)
                for slot, (rec, text) in self._records.items()
                if slot[0] == "project" or slot[1] == session
            ]
        return resume_rows(rows, archive, "memory store")

    def close(self) -> None:
        with self._lock:
            self._closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _thaw(rec: Record, text: str) -> Record:
    return Record(rec.key, rec.scope, rec.session, json.loads(text), rec.version, rec.ptype)

"""Helpers shared by the store backends: slots, batch judging, journal (de)serialisation."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from clawvm.errors import InvalidTypeError
from clawvm.stores.base import ApplyFn, Decision, JournalEntry, Record, Scope, Staged

Slot = tuple[str, str, str]  # (scope, session, key); session is "" for project scope

#: A rejected value larger than this is journaled as a size note, not verbatim.
MAX_REJECTED_BYTES = 4096


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 text kept, NaN/Infinity refused."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def slot_of(staged: Staged) -> Slot:
    """Where a staged update lands: project keys are shared, so their session is ""."""
    return (staged.scope, staged.session if staged.scope == "session" else "", staged.key)


def lookup_slot(key: str, scope: Scope, session: str) -> Slot:
    """Validate ``get`` arguments and return the slot they name."""
    for name, v in (("key", key), ("scope", scope), ("session", session)):
        if not isinstance(v, str):
            raise InvalidTypeError(name, f"expected str, got {type(v).__name__}")
    return (scope, session if scope == "session" else "", key)


def judge(
    batch: Sequence[Staged], apply: ApplyFn, current: Callable[[Slot], Record | None]
) -> tuple[list[Decision], dict[Slot, Record]]:
    """Run ``apply`` over ``batch`` in order; later entries see earlier accepted ones.

    Returns the decisions and the final record of every slot the batch changed.
    """
    decisions: list[Decision] = []
    changed: dict[Slot, Record] = {}
    for staged in batch:
        slot = slot_of(staged)
        cur = changed[slot] if slot in changed else current(slot)
        d = apply(cur, staged)
        if not isinstance(d, Decision):
            raise InvalidTypeError("apply", f"must return a Decision, got {type(d).__name__}")
        if d.accepted:
            if d.record is None:
                raise InvalidTypeError("apply", "an accepted Decision must carry a record")
            changed[slot] = d.record
        decisions.append(d)
    return decisions, changed


def journal_value(value: Any, accepted: bool) -> Any:
    """The staged value as journaled: verbatim, or a note when it cannot or should not be."""
    try:
        text = canonical(value)
    except (TypeError, ValueError, RecursionError):
        return {"$unserialisable": repr(value)[:256]}
    if not accepted and len(text) > MAX_REJECTED_BYTES:
        return {"$omitted_bytes": len(text.encode("utf-8"))}
    return json.loads(text)


def entry_to_dict(seq: int, d: Decision) -> dict[str, Any]:
    """One journal entry as a JSON object (the dir store's line body)."""
    s = d.staged
    body: dict[str, Any] = {
        "seq": seq,
        "key": s.key,
        "op": s.op,
        "value": journal_value(s.value, d.accepted),
        "scope": s.scope,
        "principal": s.principal,
        "session": s.session,
        "evidence_ref": s.evidence_ref,
        "base_version": s.base_version,
        "ptype": s.ptype,
        "accepted": d.accepted,
        "reason": d.reason,
        "detail": d.detail,
    }
    if d.record is not None:
        body["version"] = d.record.version
        body["result"] = d.record.value
    return body


def entry_from_dict(body: dict[str, Any]) -> JournalEntry:
    """Inverse of ``entry_to_dict``."""
    staged = Staged(
        key=body["key"],
        op=body["op"],
        value=body["value"],
        scope=body["scope"],
        principal=body["principal"],
        session=body["session"],
        evidence_ref=body["evidence_ref"],
        base_version=body["base_version"],
        ptype=body["ptype"],
    )
    record = None
    if body["accepted"]:
        slot = slot_of(staged)
        record = Record(
            key=staged.key,
            scope=staged.scope,
            session=slot[1],
            value=body["result"],
            version=body["version"],
            ptype=staged.ptype,
        )
    return JournalEntry(
        seq=body["seq"],
        staged=staged,
        accepted=bool(body["accepted"]),
        reason=body["reason"],
        version=body.get("version"),
        detail=body.get("detail", ""),
        record=record,
    )


#: The SQL stores' journal columns, in table order.
JOURNAL_COLUMNS = (
    "seq", "key", "op", "value", "scope", "principal", "session", "evidence_ref",
    "base_version", "ptype", "accepted", "reason", "detail", "version", "result",
)  # fmt: skip


def journal_row(body: dict[str, Any]) -> tuple[Any, ...]:
    """One journal entry as ``JOURNAL_COLUMNS`` after ``seq``, values as canonical JSON."""
    accepted = bool(body["accepted"])
    return (
        body["key"],
        body["op"],
        canonical(body["value"]),
        body["scope"],
        body["principal"],
        body["session"],
        body["evidence_ref"],
        body["base_version"],
        body["ptype"],
        accepted,
        body["reason"],
        body["detail"],
        body.get("version"),
        canonical(body["result"]) if accepted else None,
    )


def entry_from_row(row: Sequence[Any]) -> JournalEntry:
    """A journal table row (``JOURNAL_COLUMNS``) as an entry: the inverse of ``journal_row``."""
    body = dict(zip(JOURNAL_COLUMNS, row, strict=True))
    body["value"] = json.loads(body["value"])
    body["accepted"] = bool(body["accepted"])  # SQLite stores booleans as integers
    if body["result"] is not None:
        body["result"] = json.loads(body["result"])
    return entry_from_dict(body)

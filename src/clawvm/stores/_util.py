"""Helpers shared by the store backends: limits, slots, batch judging, journal (de)serialisation.

Everything a store must agree on with every other store lives here, once: what a storable
name and value are, how a batch is judged (and how an update already journaled under its
idempotency id is answered from the journal), and how an entry is written to and read back
from a journal. See docs/journal.md.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from clawvm.errors import InvalidInputError, InvalidTypeError, StoreCorruptError
from clawvm.stores._repr import safe_repr
from clawvm.stores.base import (
    DROPPED,
    ApplyFn,
    Decision,
    JournalEntry,
    ReadResult,
    Record,
    Scope,
    Staged,
    is_tombstone,
)

Slot = tuple[str, str, str]  # (scope, session, key); session is "" for project scope

#: Deepest nesting of lists and dicts a value may have. Every reader decodes it with
#: recursion proportional to its depth; this keeps that far below Python's limit.
MAX_DEPTH = 100
#: Largest key, session, principal, evidence ref or page type name, in UTF-8 bytes (names are
#: indexed; PostgreSQL's index entries hold under 2.7 kB).
MAX_NAME_BYTES = 1024
#: Versions and base versions are signed 64-bit integers in the SQL stores.
MAX_VERSION = 2**63 - 1
#: A rejected value larger than this is journaled as a size note, not verbatim.
MAX_REJECTED_BYTES = 4096
#: Longest rejection detail journaled, in characters.
MAX_DETAIL_CHARS = 2048

_UID = re.compile(r"[A-Za-z0-9._:-]{1,128}\Z")


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 text kept, NaN/Infinity refused."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


#: How canonical JSON writes the tombstone key: a value whose text lacks it is no tombstone.
DROPPED_TEXT = canonical(DROPPED)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def stored_value(text: Any, where: str, slot: Slot) -> Any:
    """A committed value decoded from the JSON text a store keeps; ``StoreCorruptError``
    naming the record when it is not text ``canonical`` could have written (a damaged or
    hand-edited row: not JSON, NaN, nested past the decoder's recursion limit)."""
    try:
        return _DECODER.decode(text)
    except (ValueError, TypeError, RecursionError) as e:
        raise StoreCorruptError(
            f"{where}: the record {safe_repr(slot, 200)} holds no valid value "
            f"({type(e).__name__}: {safe_text(str(e), 120)})"
        ) from None


def stored_records(rows: list[tuple[Any, ...]], where: str) -> list[Record]:
    """``records`` from rows (scope, session, key, text, version, ptype), in key order."""
    rows.sort()  # (scope, session, key) is unique: the rest is never compared
    return [
        Record(key, scope, session, stored_value(text, where, (scope, session, key)), v, ptype)
        for scope, session, key, text, v, ptype in rows
    ]


def resume_rows(
    rows: list[tuple[Any, ...]], archive: frozenset[str], where: str
) -> list[Record | tuple[str, Scope]]:
    """``resume`` (``base.resume_scan``) from rows (scope, session, key, text, version,
    ptype), sorted here. ``text`` is canonical JSON; for a record of an ``archive`` type it
    may be None, which says its text lacks ``DROPPED_TEXT`` (so it is no tombstone)."""
    rows.sort()
    out: list[Record | tuple[str, Scope]] = []
    for scope, session, key, text, version, ptype in rows:
        if ptype not in archive:
            value = stored_value(text, where, (scope, session, key))
            out.append(Record(key, scope, session, value, version, ptype))
        elif (
            text is None
            or DROPPED_TEXT not in text
            or not is_tombstone(stored_value(text, where, (scope, session, key)))
        ):
            out.append((key, scope))
    return out


# --- limits ------------------------------------------------------------------------------


def deeper_than(value: Any, limit: int) -> bool:
    """Whether lists/dicts nest more than ``limit`` deep, found without recursion (a cycle
    counts as infinitely deep)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list, tuple)))
    return False


def encode_json(value: Any) -> tuple[str, bytes]:
    """``value`` as canonical JSON text and its UTF-8 bytes, or ``ValueError`` saying why not.

    Refused: nesting deeper than ``MAX_DEPTH``; what ``json`` cannot encode (NaN, sets,
    objects, cycles, ints past Python's digit limit); lone surrogates (``os.fsdecode`` of a
    non-UTF-8 file name), which are not Unicode text and which no store can hold. Depth is
    measured without recursion whenever it could matter, so the verdict never depends on
    how deep the caller's stack is.
    """
    try:
        text = canonical(value)
    except (TypeError, ValueError, RecursionError) as e:
        if deeper_than(value, MAX_DEPTH):
            raise ValueError(f"nests deeper than {MAX_DEPTH} levels (or is circular)") from None
        raise ValueError(f"is not JSON-serialisable: {safe_text(str(e), 200)}") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and deeper_than(value, MAX_DEPTH):
        raise ValueError(f"nests deeper than {MAX_DEPTH} levels")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = safe_repr(text[e.start], 20)
        raise ValueError(f"holds a lone surrogate {bad}, which is not Unicode text") from None
    return text, data


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a key, session, principal or ref in every store, or None."""
    if not isinstance(name, str):
        return f"must be a str, not {type(name).__name__}"
    if "\x00" in name:
        return "contains NUL (PostgreSQL text cannot hold it)"
    if name.isascii():
        size = len(name)
    else:
        try:
            size = len(name.encode("utf-8"))
        except UnicodeEncodeError:
            return "holds a lone surrogate, which is not Unicode text"
    if size > MAX_NAME_BYTES:
        return f"is {size} bytes, over {MAX_NAME_BYTES}"
    return None


def storable(slot: Slot) -> bool:
    """Whether a slot's names can exist in a store (if not, nothing was ever committed there,
    and an SQL store must not even look: its driver cannot encode them)."""
    return all(name_problem(part) is None for part in slot)


def safe_text(text: object, limit: int) -> str:
    """``text`` cut to ``limit`` characters if it is storable text, else its escaped repr."""
    if isinstance(text, str):
        cut = text[:limit]
        if "\x00" not in cut and (cut.isascii() or _encodes(cut)):
            return cut
    return safe_repr(text, limit)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def safe_name(name: object) -> str:
    """``name`` as journaled: itself when storable, else its escaped, bounded repr."""
    if name_problem(name) is None:
        return name  # type: ignore[return-value]
    return safe_repr(name, MAX_NAME_BYTES // 4)  # at most 4 UTF-8 bytes per character


# --- slots and batches ---------------------------------------------------------------------


def slot_of(staged: Staged) -> Slot:
    """Where a staged update lands: project keys are shared, so their session is ""."""
    return (staged.scope, staged.session if staged.scope == "session" else "", staged.key)


def lookup_slot(key: str, scope: Scope, session: str) -> Slot:
    """Validate ``get`` arguments and return the slot they name."""
    for name, v in (("key", key), ("scope", scope), ("session", session)):
        if not isinstance(v, str):
            raise InvalidTypeError(name, f"expected str, got {type(v).__name__}")
    return (scope, session if scope == "session" else "", key)


def no_record(slot: Slot) -> ReadResult:
    """The answer for a slot with no committed record (the same from every store)."""
    shown = tuple(safe_name(part) for part in slot)
    return ReadResult("no_match", reason=f"no committed record for {shown}")


def check_uid(uid: object) -> None:
    """Raise ``InvalidInputError("uid")`` unless ``uid`` is a well-formed idempotency id."""
    if type(uid) is str and 0 < len(uid) <= 128 and uid.isascii() and uid.isalnum():
        return  # the common case, clawvm's own hex ids, without the regex
    if not isinstance(uid, str) or not _UID.match(uid):
        raise InvalidInputError(
            "uid", f"{safe_repr(uid, 60)} is not 1-128 characters of [A-Za-z0-9._:-]"
        )


def check_batch(batch: Sequence[Staged]) -> list[Staged]:
    """The batch as a list; raise before any work unless every entry is a ``Staged`` with a
    well-formed id (ids come from clawvm, or from a caller's own idempotency keys)."""
    out = list(batch)
    for i, s in enumerate(out):
        if not isinstance(s, Staged):
            raise InvalidTypeError("batch", f"entry {i} is a {type(s).__name__}, not Staged")
        check_uid(s.uid)
    return out


def judge(
    batch: Sequence[Staged],
    apply: ApplyFn,
    current: Callable[[Slot], Record | None],
    journaled: Mapping[str, JournalEntry],
) -> tuple[list[Decision], list[Decision], dict[Slot, Record]]:
    """Run ``apply`` over ``batch`` in order; later entries see earlier accepted ones.

    ``journaled`` holds the entries already in the journal under the batch's ids (the store
    looked them up under the same lock or transaction): such an update is not judged again
    but answered with its recorded decision, and so is a repeat of an id within the batch.
    Returns every decision, the new ones (to journal), and the final record of every slot
    the new ones changed.
    """
    decisions: list[Decision] = []
    fresh: list[Decision] = []
    changed: dict[Slot, Record] = {}
    by_uid: dict[str, Decision] = {}
    for staged in batch:
        prior = by_uid.get(staged.uid)
        if prior is None and staged.uid in journaled:
            prior = _recorded(journaled[staged.uid], staged)
        if prior is not None:
            if prior.staged is not staged:
                prior = dataclasses.replace(prior, staged=staged)
            decisions.append(prior)
            continue
        slot = slot_of(staged)
        d = apply(changed[slot] if slot in changed else current(slot), staged)
        if not isinstance(d, Decision):
            raise InvalidTypeError("apply", f"must return a Decision, got {type(d).__name__}")
        if d.accepted:
            if d.record is None:
                raise InvalidTypeError("apply", "an accepted Decision must carry a record")
            changed[slot] = d.record
        by_uid[staged.uid] = d
        decisions.append(d)
        fresh.append(d)
    return decisions, fresh, changed


def _recorded(entry: JournalEntry, staged: Staged) -> Decision:
    """The decision journaled for ``staged``'s id; the id must name the same update."""
    was = entry.staged
    if (was.key, was.op, was.scope) != (safe_name(staged.key), safe_name(staged.op),
                                        safe_name(staged.scope)):  # fmt: skip
        shown = f"{safe_repr(was.key, 80)} {safe_repr(was.op, 20)}"
        raise InvalidInputError(
            "uid", f"{staged.uid!r} is journaled for another update ({shown}); ids are not reused"
        )
    return Decision(staged, entry.record, entry.reason, entry.detail)


# --- journal entries -------------------------------------------------------------------


def journal_value(value: Any, accepted: bool) -> Any:
    """The staged value as journaled: verbatim, or a note when it cannot or should not be."""
    if accepted:  # the validator encoded it already: it is plain JSON within the limits
        return json.loads(canonical(value))
    try:
        text, data = encode_json(value)
    except ValueError:
        return {"$unserialisable": safe_repr(value)}
    if len(data) > MAX_REJECTED_BYTES:
        return {"$omitted_bytes": len(data)}
    return json.loads(text)


def entry_to_dict(seq: int, d: Decision) -> dict[str, Any]:
    """One journal entry as a JSON object (the dir store's line body).

    A rejected update may carry what no store can hold (NUL or lone surrogates in names, a
    base version past 64 bits, an unserialisable value): it is journaled escaped, so that
    journaling a rejection can never fail.
    """
    s = d.staged
    accepted = d.accepted
    body: dict[str, Any] = {
        "seq": seq,
        "key": s.key,
        "op": s.op,
        "value": journal_value(s.value, accepted),
        "scope": s.scope,
        "principal": s.principal,
        "session": s.session,
        "evidence_ref": s.evidence_ref,
        "base_version": s.base_version,
        "ptype": s.ptype,
        "accepted": accepted,
        "reason": d.reason,
        "detail": d.detail,
        "uid": s.uid,
    }
    if d.record is not None:
        body["version"] = d.record.version
        body["result"] = d.record.value
    if not accepted:  # a rejection may hold what no store can: make it storable
        for name in _NAMES:
            if body[name] is not None:
                body[name] = safe_name(body[name])
        bv = body["base_version"]
        if not (type(bv) is int and 0 <= bv <= MAX_VERSION):
            body["base_version"] = None  # the detail says what it was
        body["detail"] = safe_text(d.detail, MAX_DETAIL_CHARS)
    return body


_NAMES = ("key", "op", "scope", "principal", "session", "evidence_ref", "ptype")


def entry_from_dict(body: dict[str, Any]) -> JournalEntry:
    """Inverse of ``entry_to_dict`` (a line written before ids existed reads with uid "")."""
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
        uid=body.get("uid") or "",
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
    "base_version", "ptype", "accepted", "reason", "detail", "version", "result", "uid",
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
        body["uid"],
    )


def entry_from_row(row: Sequence[Any]) -> JournalEntry:
    """A journal table row (``JOURNAL_COLUMNS``) as an entry: the inverse of ``journal_row``."""
    body = dict(zip(JOURNAL_COLUMNS, row, strict=True))
    body["value"] = json.loads(body["value"])
    body["accepted"] = bool(body["accepted"])  # SQLite stores booleans as integers
    if body["result"] is not None:
        body["result"] = json.loads(body["result"])
    return entry_from_dict(body)

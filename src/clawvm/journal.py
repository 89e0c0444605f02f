"""Validated writeback: stage, validate, commit (the design: docs/journal.md).

``Validator.apply(current, staged) -> Decision`` is the pure judge a store runs under its
lock. Checks run in this order; the first that fails names the rejection:

1. ``SCHEMA_INVALID`` — a name (key, session, principal, evidence ref, page type) that no
   store can hold (NUL, lone surrogates, over ``MAX_NAME_BYTES``), an empty key, a
   ``base_version`` outside 0..2**63-1, unknown op or page type, a value that is not plain
   JSON within the limits (nesting over ``MAX_DEPTH``, NaN, sets, lone surrogates, ...),
   value or result over ``max_value_bytes`` of canonical JSON, op/kind mismatch (append
   needs list or str and the committed value of the same kind; merge needs dict values),
   result not matching the page type's schema (kinds and required field types), or a
   ``ptype`` differing from the committed one.
2. ``PROVENANCE_DANGLING`` — ``evidence_ref`` is given and does not resolve to a known ref
   (a ``None`` ref claims no provenance and passes, unless the page type is listed in
   ``require_provenance``).
3. ``SCOPE_DENIED`` — the principal's policy does not allow the scope. A principal
   ``"kind:name"`` (e.g. ``subagent:search``) falls back to the policy of ``"kind"``.
4. ``DESTRUCTIVE_OP`` — a ``set`` whose ``base_version`` is not the committed version (on an
   existing key ``None`` is stale; on a missing key only ``None`` or ``0`` are current), or
   an update to a pinned key whose result drops a committed top-level dict field, is
   shorter than the committed str/list, or changes the value's JSON kind.
   ``append``/``merge`` ignore ``base_version`` (they cannot lose committed content).
5. ``PIN_VIOLATION`` — the result for a pinned key leaves its invariant blank: the type's
   invariant fields (constraint ``rule``, plan ``goal``, evidence ``tool``) must be non-blank
   strings; for other types the whole value must be non-empty. Applies to new keys too.

The judge never raises on a staged value, however hostile: every problem is a rejection,
so no value can jam a journal. Accepted updates merge deterministically: ``append``
concatenates, ``merge`` is a key-wise dict merge (newer values replace committed ones,
nothing is deleted), ``set`` replaces; every accepted op bumps the version by one (a new
key starts at 1).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.stores._repr import safe_repr
from clawvm.stores._util import (
    MAX_DEPTH,
    MAX_NAME_BYTES,
    MAX_VERSION,
    canonical,
    check_uid,
    encode_json,
    name_problem,
)
from clawvm.stores.base import Decision, Record, Staged, Store

SCHEMA_INVALID = "SCHEMA_INVALID"
PROVENANCE_DANGLING = "PROVENANCE_DANGLING"
SCOPE_DENIED = "SCOPE_DENIED"
DESTRUCTIVE_OP = "DESTRUCTIVE_OP"
PIN_VIOLATION = "PIN_VIOLATION"
REASONS = (SCHEMA_INVALID, PROVENANCE_DANGLING, SCOPE_DENIED, DESTRUCTIVE_OP, PIN_VIOLATION)

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_SCHEMAS",
    "MAX_DEPTH",
    "MAX_NAME_BYTES",
    "MAX_VALUE_BYTES",
    "MAX_VALUE_BYTES_CEILING",
    "MAX_VERSION",
    "REASONS",
    "FlushResult",
    "Journal",
    "TypeSchema",
    "Validator",
    "canonical",
    "check_staged",
]

OPS = ("append", "merge", "set")
_OPTIONAL = ("evidence_ref", "ptype")  # names that may be None
SCOPES = ("session", "project")
MAX_VALUE_BYTES = 64 * 1024
#: The largest ``max_value_bytes`` a validator takes: a journal row holds a value and its
#: result, and every store must be able to hold that row.
MAX_VALUE_BYTES_CEILING = 64 * 2**20

DEFAULT_POLICY: Mapping[str, frozenset[str]] = {
    "agent": frozenset({"session"}),
    "user": frozenset({"session", "project"}),
    "harness": frozenset({"session", "project"}),
}


@dataclass(frozen=True, slots=True)
class TypeSchema:
    """What a page type's committed value may look like.

    ``kinds`` are JSON kinds ("str", "dict", "list", "number", "bool", "null");
    ``fields`` maps required dict fields to their kind; ``optional`` types optional fields;
    ``invariant`` lists the fields a pin keeps non-blank (empty = the whole value non-empty).
    """

    kinds: frozenset[str]
    fields: Mapping[str, str] = field(default_factory=dict)
    optional: Mapping[str, str] = field(default_factory=dict)
    invariant: tuple[str, ...] = ()


_TEXTUAL = frozenset({"str", "dict", "list"})
_ANY = frozenset({"str", "dict", "list", "number", "bool", "null"})

DEFAULT_SCHEMAS: Mapping[str | None, TypeSchema] = {
    "bootstrap": TypeSchema(_TEXTUAL),
    "constraint": TypeSchema(frozenset({"dict"}), {"rule": "str"}, invariant=("rule",)),
    "plan": TypeSchema(
        frozenset({"dict"}),
        {"goal": "str", "step": "int"},
        {"steps": "list", "done": "bool"},
        invariant=("goal",),
    ),
    "preference": TypeSchema(_TEXTUAL),
    "evidence": TypeSchema(frozenset({"dict"}), {"tool": "str"}, invariant=("tool",)),
    "segment": TypeSchema(_TEXTUAL),
    None: TypeSchema(_ANY),
}


def kind_of(value: Any) -> str:
    """The JSON kind of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return type(value).__name__


def _has_kind(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return kind_of(value) == kind


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, dict)) and not value)


def _concat(old: Any, new: Any) -> Any:
    """list + list or str + str (the caller checked the kinds match)."""
    return old + new


class _Reject(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _record_session(staged: Staged) -> str:
    return staged.session if staged.scope == "session" else ""


class Validator:
    """The deterministic judge of staged updates; ``apply`` is what stores call."""

    def __init__(
        self,
        *,
        schemas: Mapping[str | None, TypeSchema] | None = None,
        max_value_bytes: int = MAX_VALUE_BYTES,
        policy: Mapping[str, Collection[str]] | None = None,
        known_refs: Collection[str] | Callable[[str], bool] = (),
        pinned: Collection[str] | Callable[[str], bool] = (),
        require_provenance: Collection[str] = (),
    ) -> None:
        if isinstance(max_value_bytes, bool) or not isinstance(max_value_bytes, int):
            raise InvalidTypeError("max_value_bytes", f"expected int, got {max_value_bytes!r}")
        if not 0 < max_value_bytes <= MAX_VALUE_BYTES_CEILING:
            raise InvalidInputError(
                "max_value_bytes",
                f"must be in 1..{MAX_VALUE_BYTES_CEILING}, got {max_value_bytes}",
            )
        self.schemas: dict[str | None, TypeSchema] = dict(
            DEFAULT_SCHEMAS if schemas is None else schemas
        )
        self.max_value_bytes = max_value_bytes
        self.policy: dict[str, frozenset[str]] = {
            p: frozenset(s) for p, s in (DEFAULT_POLICY if policy is None else policy).items()
        }
        self._refs_fn = known_refs if callable(known_refs) else None
        self.known_refs: set[str] = set() if callable(known_refs) else set(known_refs)
        self._pinned_fn = pinned if callable(pinned) else None
        self.pinned: set[str] = set() if callable(pinned) else set(pinned)
        self.require_provenance = frozenset(require_provenance)

    # --- configuration the VM updates as pages and tool calls appear -----------------
    def add_ref(self, ref: str) -> None:
        """Make ``ref`` (a page id or tool-call id) resolvable as provenance."""
        self.known_refs.add(ref)

    def pin(self, key: str) -> None:
        """Hard-pin ``key``: its committed content may not shrink nor its invariant blank."""
        self.pinned.add(key)

    def unpin(self, key: str) -> None:
        self.pinned.discard(key)

    def is_pinned(self, key: str) -> bool:
        return key in self.pinned or (self._pinned_fn is not None and bool(self._pinned_fn(key)))

    def resolves(self, ref: str) -> bool:
        return ref in self.known_refs or (self._refs_fn is not None and bool(self._refs_fn(ref)))

    def allowed_scopes(self, principal: str) -> frozenset[str]:
        if principal in self.policy:
            return self.policy[principal]
        return self.policy.get(principal.split(":", 1)[0], frozenset())

    # --- the judge --------------------------------------------------------------------
    def apply(self, current: Record | None, staged: Staged) -> Decision:
        """Judge ``staged`` against the committed ``current`` and return the decision."""
        try:
            value = self._check_schema(current, staged)
            self._check_provenance(staged)
            self._check_scope(staged)
            self._check_destructive(current, staged, value)
            self._check_pin(staged, value)
        except _Reject as r:
            return Decision(staged, None, r.reason, r.detail)
        record = Record(
            key=staged.key,
            scope=staged.scope,
            session=_record_session(staged),
            value=value,
            version=1 if current is None else current.version + 1,
            ptype=staged.ptype,
        )
        return Decision(staged, record)

    __call__ = apply

    def _plain(self, value: Any, what: str) -> tuple[Any, int]:
        try:
            text, data = encode_json(value)
        except ValueError as e:
            raise _Reject(SCHEMA_INVALID, f"{what} {e}") from None
        size = len(data)
        if size > self.max_value_bytes:
            raise _Reject(
                SCHEMA_INVALID, f"{what} is {size} bytes of JSON, over {self.max_value_bytes}"
            )
        decoded = json.loads(text)
        if decoded != value:
            raise _Reject(
                SCHEMA_INVALID, f"{what} is not plain JSON (tuples, non-str keys or subclasses)"
            )
        return decoded, size

    def _check_names(self, staged: Staged) -> None:
        """Names every store can hold and index, and a version every store can hold."""
        s = staged
        try:  # the common case at once: short ASCII names without NUL
            joined = s.key + s.session + s.principal + (s.evidence_ref or "") + (s.ptype or "")
        except TypeError:
            joined = "\x00"
        if not (joined.isascii() and "\x00" not in joined and len(joined) <= MAX_NAME_BYTES):
            names = (("key", s.key), ("session", s.session), ("principal", s.principal),
                     ("evidence_ref", s.evidence_ref), ("ptype", s.ptype))  # fmt: skip
            for name, v in names:
                problem = None if v is None and name in _OPTIONAL else name_problem(v)
                if problem is not None:
                    raise _Reject(SCHEMA_INVALID, f"{name} {safe_repr(v, 80)} {problem}")
        if not staged.key:
            raise _Reject(SCHEMA_INVALID, "key must be a non-empty str")
        bv = staged.base_version
        if bv is not None and (
            isinstance(bv, bool) or not isinstance(bv, int) or not 0 <= bv <= MAX_VERSION
        ):
            raise _Reject(
                SCHEMA_INVALID, f"base_version {safe_repr(bv, 40)} is not an int in 0..2**63-1"
            )

    def _check_schema(self, current: Record | None, staged: Staged) -> Any:
        op = staged.op
        self._check_names(staged)
        if op not in OPS:
            raise _Reject(SCHEMA_INVALID, f"unknown op {safe_repr(op, 40)}; expected one of {OPS}")
        if staged.ptype not in self.schemas:
            raise _Reject(SCHEMA_INVALID, f"unknown page type {safe_repr(staged.ptype, 80)}")
        if current is not None and current.ptype != staged.ptype:
            raise _Reject(
                SCHEMA_INVALID, f"ptype {staged.ptype!r} differs from committed {current.ptype!r}"
            )
        value, _ = self._plain(staged.value, "value")
        old: Any = None if current is None else current.value
        result: Any
        if op == "append":
            if not isinstance(value, (list, str)):
                raise _Reject(SCHEMA_INVALID, f"append needs a list or str, got {kind_of(value)}")
            if current is None:
                result = value
            elif type(old) is not type(value):
                raise _Reject(
                    SCHEMA_INVALID, f"cannot append {kind_of(value)} to committed {kind_of(old)}"
                )
            else:
                result = _concat(old, value)
        elif op == "merge":
            if not isinstance(value, dict):
                raise _Reject(SCHEMA_INVALID, f"merge needs a dict, got {kind_of(value)}")
            if current is None:
                result = value
            elif not isinstance(old, dict):
                raise _Reject(SCHEMA_INVALID, f"cannot merge into committed {kind_of(old)}")
            else:
                result = {**old, **value}
        else:
            result = value
        if result is not value:
            self._plain(result, "result")
        self._match_type(staged.ptype, result)
        return result

    def _match_type(self, ptype: str | None, value: Any) -> None:
        schema = self.schemas[ptype]
        kind = kind_of(value)
        if kind not in schema.kinds:
            raise _Reject(
                SCHEMA_INVALID, f"{ptype} value must be one of {sorted(schema.kinds)}, got {kind}"
            )
        if kind != "dict":
            return
        for name, want in schema.fields.items():
            if name not in value:
                raise _Reject(SCHEMA_INVALID, f"{ptype} value lacks required field {name!r}")
            if not _has_kind(value[name], want):
                raise _Reject(SCHEMA_INVALID, f"{ptype} field {name!r} must be {want}")
        for name, want in schema.optional.items():
            if name in value and not _has_kind(value[name], want):
                raise _Reject(SCHEMA_INVALID, f"{ptype} field {name!r} must be {want}")

    def _check_provenance(self, staged: Staged) -> None:
        ref = staged.evidence_ref
        if ref is None:
            if staged.ptype in self.require_provenance:
                raise _Reject(PROVENANCE_DANGLING, f"{staged.ptype} pages need an evidence_ref")
            return
        if not isinstance(ref, str) or not self.resolves(ref):
            raise _Reject(PROVENANCE_DANGLING, f"evidence_ref {ref!r} does not resolve")

    def _check_scope(self, staged: Staged) -> None:
        allowed = self.allowed_scopes(str(staged.principal))
        if staged.scope not in allowed:
            raise _Reject(
                SCOPE_DENIED,
                f"principal {staged.principal!r} may write {sorted(allowed)}, not {staged.scope!r}",
            )

    def _check_destructive(self, current: Record | None, staged: Staged, result: Any) -> None:
        if staged.op == "set":
            base = staged.base_version
            have = 0 if current is None else current.version
            fresh = base in (None, 0) if current is None else base == have
            if not fresh:
                raise _Reject(
                    DESTRUCTIVE_OP, f"stale set: base_version {base!r}, committed version {have}"
                )
        if current is None or not self.is_pinned(staged.key):
            return
        old = current.value
        if isinstance(old, dict) and isinstance(result, dict):
            lost = sorted(set(old) - set(result))
            if lost:
                raise _Reject(DESTRUCTIVE_OP, f"pinned {staged.key!r} would lose fields {lost}")
        elif isinstance(old, (str, list)) and type(result) is type(old):
            if len(result) < len(old):
                raise _Reject(
                    DESTRUCTIVE_OP,
                    f"pinned {staged.key!r} would shrink from {len(old)} to {len(result)}",
                )
        elif kind_of(old) != kind_of(result):
            raise _Reject(
                DESTRUCTIVE_OP,
                f"pinned {staged.key!r} would change from {kind_of(old)} to {kind_of(result)}",
            )

    def _check_pin(self, staged: Staged, result: Any) -> None:
        if not self.is_pinned(staged.key):
            return
        invariant = self.schemas[staged.ptype].invariant
        if invariant and isinstance(result, dict):
            blank = [
                f for f in invariant if not isinstance(result.get(f), str) or _blank(result[f])
            ]
            if blank:
                raise _Reject(PIN_VIOLATION, f"pinned {staged.key!r} would blank {blank}")
        elif _blank(result):
            raise _Reject(PIN_VIOLATION, f"pinned {staged.key!r} would become empty")


@dataclass(frozen=True, slots=True)
class FlushResult:
    """What a writeback at a destructive boundary did."""

    committed: list[Decision]
    rejected: list[Decision]

    @property
    def ok(self) -> bool:
        return not self.rejected


def _ptype_name(ptype: object) -> str | None:
    if ptype is None or isinstance(ptype, str):
        return ptype
    if isinstance(ptype, enum.Enum):
        return ptype.name.lower()
    raise InvalidTypeError("ptype", f"expected str, PageType or None, got {type(ptype).__name__}")


class Journal:
    """Stages updates and commits them through ``store`` with ``validator``'s rules.

    A commit that raises keeps every pending update, with its idempotency id: committing
    again is always safe, also after ``CommitOutcomeUnknownError`` (an update that did
    commit is answered from the journal, not applied twice). A value can never make a
    commit raise: the validator rejects it with a reason code instead.
    """

    def __init__(
        self, store: Store, validator: Validator | None = None, *, session: str = ""
    ) -> None:
        if not isinstance(session, str):
            raise InvalidTypeError("session", f"expected str, got {type(session).__name__}")
        self.store = store
        self.validator = validator if validator is not None else Validator()
        self.session = session
        self._pending: list[Staged] = []

    def stage(
        self,
        key: str,
        op: str,
        value: Any,
        scope: str = "session",
        principal: str = "agent",
        *,
        session: str | None = None,
        evidence_ref: str | None = None,
        base_version: int | None = None,
        ptype: object = None,
    ) -> Staged:
        """Append one update to the pending journal; nothing changes until ``commit``.

        Wrong Python types raise ``InvalidTypeError``/``InvalidInputError`` now; a bad op,
        name or value (limits included) is judged at commit and comes back as a rejected
        ``Decision``, the same on every store.
        """
        staged = Staged(
            key=key,
            op=op,  # type: ignore[arg-type]  # unknown ops are rejected, not raised
            value=value,
            scope=scope,  # type: ignore[arg-type]
            principal=principal,
            session=self.session if session is None else session,
            evidence_ref=evidence_ref,
            base_version=base_version,
            ptype=_ptype_name(ptype),
        )
        check_staged(staged, self.validator)
        self._pending.append(staged)
        return staged

    def pending(self) -> list[Staged]:
        """The staged, not yet committed updates, in order."""
        return list(self._pending)

    def commit(self) -> list[Decision]:
        """Judge and apply every pending update atomically; pending is cleared on success
        and kept, ids and all, when the store raises."""
        decisions = self.store.commit(list(self._pending), self.validator.apply)
        self._pending.clear()
        return decisions

    def flush(self, dirty: Iterable[Staged] = ()) -> FlushResult:
        """Write back pending plus ``dirty`` in one batch (compaction, reset, session end).

        On failure nothing is cleared: flushing the same ``dirty`` updates again is safe.
        """
        extra = list(dirty)
        for s in extra:
            if not isinstance(s, Staged):
                raise InvalidTypeError("dirty", f"expected Staged, got {type(s).__name__}")
            check_staged(s, self.validator)
        decisions = self.store.commit(self._pending + extra, self.validator.apply)
        self._pending.clear()
        return FlushResult(
            committed=[d for d in decisions if d.accepted],
            rejected=[d for d in decisions if not d.accepted],
        )


def check_staged(s: Staged, validator: Validator | None = None) -> None:
    """Raise if a field of ``s`` has the wrong Python type (ops, names and values are judged
    later, by the validator)."""
    for name in ("key", "op", "scope", "principal", "session"):
        v = getattr(s, name)
        if not isinstance(v, str):
            raise InvalidTypeError(name, f"expected str, got {type(v).__name__}")
    if not s.key:
        raise InvalidInputError("key", "must be a non-empty string")
    if not s.principal:
        raise InvalidInputError("principal", "must be a non-empty string")
    if s.scope not in SCOPES:
        raise InvalidInputError("scope", f"{safe_repr(s.scope, 40)} is not one of {SCOPES}")
    if s.scope == "session" and not s.session:
        raise InvalidInputError("session", "a session-scoped update needs a session id")
    if s.evidence_ref is not None and not isinstance(s.evidence_ref, str):
        got = type(s.evidence_ref).__name__
        raise InvalidTypeError("evidence_ref", f"expected str or None, got {got}")
    bv = s.base_version
    if bv is not None:
        if isinstance(bv, bool) or not isinstance(bv, int):
            got = type(bv).__name__
            raise InvalidTypeError("base_version", f"expected int or None, got {got}")
        if bv < 0:
            raise InvalidInputError("base_version", f"must be >= 0, got {bv}")
    if s.ptype is not None and not isinstance(s.ptype, str):
        raise InvalidTypeError("ptype", f"expected str or None, got {type(s.ptype).__name__}")
    if validator is not None and s.ptype not in validator.schemas:
        raise InvalidInputError("ptype", f"unknown page type {safe_repr(s.ptype, 80)}")
    check_uid(s.uid)

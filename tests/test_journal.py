"""Validated writeback (SPEC §4): the journal's checks, merge rules and history, on every store."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawvm._schema import PageType
from clawvm.errors import InvalidInputError, InvalidTypeError, StoreError
from clawvm.journal import (
    MAX_VALUE_BYTES,
    REASONS,
    FlushResult,
    Journal,
    Validator,
    canonical,
)
from clawvm.stores import DirectoryStore, MemoryStore, SQLiteStore
from clawvm.stores.base import Staged, Store

KINDS = ["memory", "dir", "sqlite"]
SESSION = "s1"


def make_store(kind: str, where: Path) -> Store:
    if kind == "memory":
        return MemoryStore()
    if kind == "dir":
        return DirectoryStore(where / "store")
    return SQLiteStore(where / "store.db")


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


def journal_for(store: Store, **kw: Any) -> Journal:
    kw.setdefault("known_refs", {"ev-1"})
    return Journal(store, Validator(**kw), session=SESSION)


# --- the property: committed state is the fold of accepted updates -------------------

NAN = float("nan")
KEY_KINDS = {"k0": "list", "k1": "str", "k2": "dict"}
PAYLOADS = {
    "list": st.lists(st.integers(0, 9), max_size=3),
    "str": st.text(alphabet="abc", max_size=3),
    "dict": st.dictionaries(st.sampled_from("xy"), st.integers(0, 9), min_size=1, max_size=2),
}
FAULTS = [None] * 8 + ["kind", "nan", "tuple", "op", "scope", "ref"]


@st.composite
def steps(draw: st.DrawFn) -> tuple:
    """One update: mostly valid for its key, sometimes with exactly one planted fault."""
    key = draw(st.sampled_from(sorted(KEY_KINDS)))
    kind = KEY_KINDS[key]
    fault = draw(st.sampled_from(FAULTS))
    op = draw(st.sampled_from(["merge", "set"] if kind == "dict" else ["append", "set"]))
    payload = draw(PAYLOADS[kind])
    if fault == "kind":
        payload = draw(PAYLOADS[draw(st.sampled_from(sorted(set(PAYLOADS) - {kind})))])
    elif fault == "nan":
        payload = NAN
    elif fault == "tuple":
        payload = tuple(draw(PAYLOADS["list"]))
    elif fault == "op":
        op = "delete"
    actor = draw(st.sampled_from([("agent", "session"), ("user", "project")]))
    if fault == "scope":
        actor = ("agent", "project")
    ref = "missing" if fault == "ref" else draw(st.sampled_from([None, "ev-1"]))
    base_kind = draw(st.sampled_from(["current"] * 4 + ["none", "zero", "plus1", "minus1"]))
    return (key, op, payload, base_kind, actor, ref)


def expected(model: dict[tuple[str, str], tuple[Any, int]], step: tuple) -> tuple[Any, ...]:
    """Predict (reason, base_version, new value) with the rules of SPEC §4, written out."""
    key, op, payload, base_kind, (principal, scope), ref = step
    cur = model.get((scope, key))
    version = cur[1] if cur else 0
    base = {
        "current": version if cur else None,
        "none": None,
        "zero": 0,
        "plus1": version + 1,
        "minus1": version - 1 if version >= 1 else version + 2,
    }[base_kind]
    plain = not (isinstance(payload, float) and math.isnan(payload)) and not isinstance(
        payload, tuple
    )
    old = cur[0] if cur else None
    if op not in ("append", "merge", "set") or not plain:
        return "SCHEMA_INVALID", base, None
    if op == "append" and (
        not isinstance(payload, (list, str)) or (cur and type(old) is not type(payload))
    ):
        return "SCHEMA_INVALID", base, None
    if op == "merge" and (not isinstance(payload, dict) or (cur and not isinstance(old, dict))):
        return "SCHEMA_INVALID", base, None
    if ref == "missing":
        return "PROVENANCE_DANGLING", base, None
    if principal == "agent" and scope == "project":
        return "SCOPE_DENIED", base, None
    if op == "set" and base != (version if cur else base if base in (None, 0) else -1):
        return "DESTRUCTIVE_OP", base, None
    if op == "append":
        new = old + payload if cur else payload
    elif op == "merge":
        new = {**old, **payload} if cur else payload
    else:
        new = payload
    return None, base, new


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(steps(), max_size=30), cuts=st.lists(st.integers(1, 6), max_size=10))
def test_state_is_fold_of_accepted_updates(kind: str, ops: list[tuple], cuts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as d:
        store = make_store(kind, Path(d))
        try:
            journal = journal_for(store)
            model: dict[tuple[str, str], tuple[Any, int]] = {}
            want_history: list[tuple[str, str, str | None, int | None, Any]] = []
            i = batch_no = 0
            while i < len(ops):
                size = cuts[batch_no % len(cuts)] if cuts else 3
                batch = ops[i : i + size]
                want = []
                staged = []
                for step in batch:
                    key, op, payload, _, (principal, scope), ref = step
                    reason, base, new = expected(model, step)
                    s = Staged(key, op, payload, scope, principal, SESSION, ref, base)  # type: ignore[arg-type]
                    staged.append(s)
                    if reason is None:
                        version = model[(scope, key)][1] + 1 if (scope, key) in model else 1
                        model[(scope, key)] = (new, version)
                        want_history.append((key, op, None, version, new))
                    else:
                        want_history.append((key, op, reason, None, None))
                    want.append(reason)
                if batch_no % 2:
                    result = journal.flush(staged)
                    assert isinstance(result, FlushResult)
                    got = [d.reason for d in result.committed + result.rejected]
                    assert sorted(got, key=str) == sorted(want, key=str)
                    assert all(d.accepted for d in result.committed)
                else:
                    for s in staged:
                        journal.stage(
                            s.key,
                            s.op,
                            s.value,
                            s.scope,
                            s.principal,
                            evidence_ref=s.evidence_ref,
                            base_version=s.base_version,
                        )
                    assert [d.reason for d in journal.commit()] == want
                assert journal.pending() == []
                i += size
                batch_no += 1

            for scope in ("session", "project"):
                for key in ("k0", "k1", "k2"):
                    got = store.get(key, scope, SESSION)  # type: ignore[arg-type]
                    if (scope, key) in model:
                        assert got.status == "ok"
                        assert got.record is not None
                        assert (got.record.value, got.record.version) == model[(scope, key)]
                    else:
                        assert got.status == "no_match" and got.record is None and got.reason
            assert store.keys() == sorted(
                (s, SESSION if s == "session" else "", k) for s, k in model
            )
            history = list(store.history())
            assert [e.seq for e in history] == sorted(e.seq for e in history)
            assert len({e.seq for e in history}) == len(history)
            got_history = [
                (e.staged.key, e.staged.op, e.reason, e.version, e.record and e.record.value)
                for e in history
            ]
            assert got_history == [
                (k, o, r, v, n if r is None else None) for k, o, r, v, n in want_history
            ]
            for e in history:
                assert e.accepted == (e.reason is None)
                assert e.reason is None or (e.reason in REASONS and e.detail)
        finally:
            store.close()


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 5), base=st.one_of(st.none(), st.integers(0, 9)))
def test_stale_set_is_always_rejected(kind: str, n: int, base: int | None) -> None:
    with tempfile.TemporaryDirectory() as d:
        store = make_store(kind, Path(d))
        try:
            journal = journal_for(store)
            for _ in range(n):
                journal.stage("k", "append", [1])
            journal.commit()
            journal.stage("k", "set", ["replaced"], base_version=base)
            (decision,) = journal.commit()
            if base == n:
                assert decision.accepted
                assert store.get("k", "session", SESSION).record.value == ["replaced"]
            else:
                assert decision.reason == "DESTRUCTIVE_OP"
                rec = store.get("k", "session", SESSION).record
                assert rec is not None and rec.value == [1] * n and rec.version == n
        finally:
            store.close()


# --- every reason code, by example ---------------------------------------------------


def one(journal: Journal, *args: Any, **kw: Any) -> Any:
    journal.stage(*args, **kw)
    (decision,) = journal.commit()
    return decision


def test_schema_invalid_cases(store: Store) -> None:
    j = journal_for(store)
    assert one(j, "k", "delete", 1).reason == "SCHEMA_INVALID"
    assert "unknown op" in one(j, "k", "delete", 1).detail
    assert one(j, "k", "set", {1, 2}).reason == "SCHEMA_INVALID"
    assert one(j, "k", "set", {"x": math.inf}).reason == "SCHEMA_INVALID"
    assert one(j, "k", "set", {1: "int key"}).reason == "SCHEMA_INVALID"
    assert one(j, "k", "set", "x" * (MAX_VALUE_BYTES + 1)).reason == "SCHEMA_INVALID"
    assert one(j, "k", "set", "x" * (MAX_VALUE_BYTES - 10)).accepted
    grown = one(j, "k", "append", "y" * 20)
    assert grown.reason == "SCHEMA_INVALID" and "result" in grown.detail
    assert one(j, "k", "append", ["list onto str"]).reason == "SCHEMA_INVALID"
    assert one(j, "k", "merge", {"a": 1}).reason == "SCHEMA_INVALID"
    assert one(j, "k", "append", {"a": 1}).reason == "SCHEMA_INVALID"
    assert one(j, "p", "set", {"goal": "ship"}, ptype="plan").reason == "SCHEMA_INVALID"
    assert one(j, "p", "set", {"goal": "ship", "step": True}, ptype="plan").reason == (
        "SCHEMA_INVALID"
    )
    assert one(j, "p", "set", {"goal": "ship", "step": 0}, ptype=PageType.PLAN).accepted
    assert one(j, "p", "merge", {"steps": "not a list"}, ptype="plan").reason == "SCHEMA_INVALID"
    assert one(j, "p", "merge", {"step": 1}, ptype="plan").accepted
    assert one(j, "p", "merge", {"step": 2}, ptype="segment").reason == "SCHEMA_INVALID"
    assert one(j, "c", "set", "a rule", ptype="constraint").reason == "SCHEMA_INVALID"
    assert one(j, "c", "set", {"rule": 7}, ptype="constraint").reason == "SCHEMA_INVALID"
    assert one(j, "e", "merge", {"out": "x"}, ptype="evidence").reason == "SCHEMA_INVALID"
    assert one(j, "e", "merge", {"tool": "grep"}, ptype="evidence").accepted
    assert one(j, "b", "set", 3, ptype="bootstrap").reason == "SCHEMA_INVALID"
    # nothing rejected changed anything
    assert store.get("k", "session", SESSION).record.version == 1
    assert store.get("p", "session", SESSION).record.value == {"goal": "ship", "step": 1}
    assert store.get("c", "session", SESSION).status == "no_match"


def test_provenance_dangling(store: Store) -> None:
    j = journal_for(store, require_provenance={"evidence"})
    assert one(j, "k", "set", 1, evidence_ref="ev-9").reason == "PROVENANCE_DANGLING"
    assert one(j, "k", "set", 1, evidence_ref="ev-1").accepted
    e = one(j, "e", "set", {"tool": "ls"}, ptype="evidence")
    assert e.reason == "PROVENANCE_DANGLING"
    j.validator.add_ref("call-7")
    assert one(j, "e", "set", {"tool": "ls"}, ptype="evidence", evidence_ref="call-7").accepted
    by_fn = journal_for(store, known_refs=lambda ref: ref.startswith("tool:"))
    assert one(by_fn, "f", "set", 1, evidence_ref="tool:1").accepted
    bad = one(by_fn, "f", "set", 2, base_version=1, evidence_ref="page:1")
    assert bad.reason == "PROVENANCE_DANGLING"


def test_scope_denied(store: Store) -> None:
    j = journal_for(store)
    assert one(j, "k", "set", 1, "project", "agent").reason == "SCOPE_DENIED"
    assert one(j, "k", "set", 1, "session", "stranger").reason == "SCOPE_DENIED"
    assert one(j, "k", "set", 1, "session", "subagent:search").reason == "SCOPE_DENIED"
    assert one(j, "k", "set", 1, "project", "user").accepted
    custom = journal_for(store, policy={"subagent": {"session"}})
    assert one(custom, "k", "set", 1, "session", "subagent:search").accepted
    assert one(custom, "k", "set", 1, "project", "user").reason == "SCOPE_DENIED"
    assert store.get("k", "project", "any-session").record.value == 1


def test_destructive_op(store: Store) -> None:
    j = journal_for(store, pinned={"c", "b"})
    assert one(j, "k", "set", 1, base_version=1).reason == "DESTRUCTIVE_OP"
    assert one(j, "k", "set", 1, base_version=0).accepted
    assert one(j, "k", "set", 2).reason == "DESTRUCTIVE_OP"  # no base on an existing key
    assert one(j, "k", "set", 2, base_version=1).accepted
    assert one(j, "k", "set", 3, base_version=1).reason == "DESTRUCTIVE_OP"
    # pinned: a set may not drop committed fields nor shrink committed text
    assert one(j, "c", "set", {"rule": "no force push", "why": "ci"}, ptype="constraint").accepted
    dropped = one(j, "c", "set", {"rule": "no force push"}, base_version=1, ptype="constraint")
    assert dropped.reason == "DESTRUCTIVE_OP" and "why" in dropped.detail
    assert one(j, "b", "set", "rules: be careful", ptype="bootstrap").accepted
    assert one(j, "b", "set", "rules", base_version=1, ptype="bootstrap").reason == (
        "DESTRUCTIVE_OP"
    )
    assert one(j, "b", "set", ["rules"], base_version=1, ptype="bootstrap").reason == (
        "DESTRUCTIVE_OP"
    )
    assert one(j, "b", "append", " always", ptype="bootstrap").accepted
    assert store.get("c", "session", SESSION).record.value == {"rule": "no force push", "why": "ci"}
    assert store.get("b", "session", SESSION).record.value == "rules: be careful always"
    # the same shrink on an unpinned key is fine
    assert one(j, "u", "set", "long text").accepted
    assert one(j, "u", "set", "t", base_version=1).accepted


def test_pin_violation(store: Store) -> None:
    j = journal_for(store, pinned={"c", "p", "b"})
    assert one(j, "c", "set", {"rule": "  "}, ptype="constraint").reason == "PIN_VIOLATION"
    assert one(j, "c", "set", {"rule": "tests first"}, ptype="constraint").accepted
    blank = one(j, "c", "merge", {"rule": ""}, ptype="constraint")
    assert blank.reason == "PIN_VIOLATION" and "rule" in blank.detail
    assert one(j, "p", "set", {"goal": "", "step": 0}, ptype="plan").reason == "PIN_VIOLATION"
    assert one(j, "p", "set", {"goal": "ship", "step": 0}, ptype="plan").accepted
    assert one(j, "p", "merge", {"goal": "\n"}, ptype="plan").reason == "PIN_VIOLATION"
    assert one(j, "p", "merge", {"step": 4}, ptype="plan").accepted
    assert one(j, "b", "set", [], ptype="bootstrap").reason == "PIN_VIOLATION"
    j.validator.unpin("c")
    assert one(j, "c", "merge", {"rule": ""}, ptype="constraint").accepted
    assert store.get("p", "session", SESSION).record.value == {"goal": "ship", "step": 4}


def test_pinned_predicate_and_order_of_checks(store: Store) -> None:
    j = journal_for(store, pinned=lambda key: key.startswith("pin/"))
    # schema is checked before provenance, provenance before scope, scope before staleness
    assert one(j, "pin/x", "set", math.nan, "project", evidence_ref="nope").reason == (
        "SCHEMA_INVALID"
    )
    assert one(j, "pin/x", "set", 1, "project", evidence_ref="nope").reason == (
        "PROVENANCE_DANGLING"
    )
    assert one(j, "pin/x", "set", 1, "project", base_version=5).reason == "SCOPE_DENIED"
    assert one(j, "pin/x", "set", "", base_version=5).reason == "DESTRUCTIVE_OP"
    assert one(j, "pin/x", "set", "").reason == "PIN_VIOLATION"


def test_batch_sees_its_own_earlier_entries(store: Store) -> None:
    j = journal_for(store)
    j.stage("k", "set", [1])
    j.stage("k", "set", [2], base_version=1)
    j.stage("k", "set", [3], base_version=1)  # stale: the batch already made version 2
    j.stage("k", "append", [4])
    assert [d.reason for d in j.commit()] == [None, None, "DESTRUCTIVE_OP", None]
    rec = store.get("k", "session", SESSION).record
    assert (rec.value, rec.version) == ([2, 4], 3)
    assert [e.version for e in store.history("k")] == [1, 2, None, 3]
    assert list(store.history("other")) == []


def test_project_keys_are_shared_across_sessions(store: Store) -> None:
    a = journal_for(store)
    b = Journal(store, Validator(), session="s2")
    assert one(a, "pref", "set", "tabs", "project", "user").accepted
    assert one(b, "pref", "set", "spaces", "project", "user", base_version=1).accepted
    assert one(b, "note", "set", "mine").accepted
    assert store.get("pref", "project", SESSION).record.value == "spaces"
    assert store.get("note", "session", SESSION).status == "no_match"
    assert store.get("note", "session", "s2").record.session == "s2"


def test_values_are_copied_not_shared(store: Store) -> None:
    j = journal_for(store)
    value = {"list": [1]}
    assert one(j, "k", "set", value).accepted
    value["list"].append(2)
    got = store.get("k", "session", SESSION).record.value
    assert got == {"list": [1]}
    got["list"].append(3)
    assert store.get("k", "session", SESSION).record.value == {"list": [1]}


def test_rejected_history_keeps_unserialisable_values(store: Store) -> None:
    j = journal_for(store)
    assert one(j, "k", "set", {1, 2}).reason == "SCHEMA_INVALID"
    assert one(j, "k", "set", "z" * (MAX_VALUE_BYTES + 5)).reason == "SCHEMA_INVALID"
    first, second = store.history("k")
    assert "$unserialisable" in first.staged.value
    assert second.staged.value == {"$omitted_bytes": MAX_VALUE_BYTES + 7}


# --- bad input raises, naming the field -----------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"key": 3}, InvalidTypeError, "key"),
        ({"key": ""}, InvalidInputError, "key"),
        ({"op": None}, InvalidTypeError, "op"),
        ({"scope": "global"}, InvalidInputError, "scope"),
        ({"scope": 1}, InvalidTypeError, "scope"),
        ({"principal": ""}, InvalidInputError, "principal"),
        ({"principal": b"agent"}, InvalidTypeError, "principal"),
        ({"session": ""}, InvalidInputError, "session"),
        ({"session": 5}, InvalidTypeError, "session"),
        ({"evidence_ref": 5}, InvalidTypeError, "evidence_ref"),
        ({"base_version": -1}, InvalidInputError, "base_version"),
        ({"base_version": True}, InvalidTypeError, "base_version"),
        ({"base_version": "1"}, InvalidTypeError, "base_version"),
        ({"ptype": "diary"}, InvalidInputError, "ptype"),
        ({"ptype": 2}, InvalidTypeError, "ptype"),
    ],
)
def test_stage_rejects_bad_input(kwargs: dict[str, Any], error: type, field: str) -> None:
    j = Journal(MemoryStore(), session=SESSION)
    args = {"key": "k", "op": "set", "value": 1, "scope": "session", "principal": "agent"}
    args.update(kwargs)
    with pytest.raises(error) as info:
        j.stage(**args)
    assert info.value.field == field
    assert isinstance(info.value, (ValueError, TypeError))
    assert j.pending() == []


def test_op_and_value_problems_are_rejections_not_exceptions() -> None:
    j = Journal(MemoryStore(), session=SESSION)
    j.stage("k", "upsert", object())
    (d,) = j.commit()
    assert d.reason == "SCHEMA_INVALID" and d.record is None and not d.accepted


def test_flush_checks_its_input_and_commit_keeps_pending_on_failure() -> None:
    store = MemoryStore()
    j = Journal(store, session=SESSION)
    with pytest.raises(InvalidTypeError):
        j.flush(["not staged"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError):
        j.flush([Staged("k", "set", 1, "session", "agent", "")])
    j.stage("k", "set", 1)
    store.close()
    with pytest.raises(StoreError):
        j.commit()
    assert len(j.pending()) == 1
    assert store.get("k", "session", SESSION).status == "backend_error"


def test_validator_configuration_errors() -> None:
    with pytest.raises(InvalidInputError):
        Validator(max_value_bytes=0)
    with pytest.raises(InvalidTypeError):
        Validator(max_value_bytes=1.5)  # type: ignore[arg-type]
    small = Validator(max_value_bytes=8)
    s = Staged("k", "set", "123456789", "session", "agent", SESSION)
    assert small.apply(None, s).reason == "SCHEMA_INVALID"


def test_canonical_json() -> None:
    assert canonical({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'
    with pytest.raises(ValueError):
        canonical(math.nan)

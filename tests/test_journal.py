"""Validated writeback: the journal's checks, limits, merge rules, idempotency and history,
on every store (PostgreSQL too when a server is available; see tests/test_postgres.py)."""

from __future__ import annotations

import contextlib
import itertools
import math
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawvm._schema import PageType
from clawvm._writeback import Write, Writeback
from clawvm.errors import (
    CommitOutcomeUnknownError,
    InvalidInputError,
    InvalidTypeError,
    StoreError,
)
from clawvm.journal import (
    MAX_DEPTH,
    MAX_NAME_BYTES,
    MAX_VALUE_BYTES,
    MAX_VALUE_BYTES_CEILING,
    REASONS,
    SCHEMA_INVALID,
    FlushResult,
    Journal,
    Validator,
    canonical,
)
from clawvm.stores import DirectoryStore, MemoryStore, SQLiteStore, open_store
from clawvm.stores.base import Staged, Store

KINDS = ["memory", "dir", "sqlite"]
SESSION = "s1"


def make_store(kind: str, where: Path) -> Store:
    if kind == "memory":
        return MemoryStore()
    if kind == "dir":
        return DirectoryStore(where / "store")
    return SQLiteStore(where / "store.db")


@pytest.fixture(params=[*KINDS, "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Each store; PostgreSQL on a fresh schema (skipped without a server, unless required)."""
    with contextlib.ExitStack() as stack:
        if request.param == "postgres":
            pg = request.getfixturevalue("postgres_helpers")
            s: Any = open_store(stack.enter_context(pg.fresh_schema(pg.require_postgres())))
        else:
            s = make_store(request.param, tmp_path)
        stack.callback(s.close)
        yield s


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
    """Predict (reason, base_version, new value) with the journal rules, written out."""
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


# --- limits: what every store can hold, judged the same everywhere -------------------------


def nested(depth: int, kind: str = "list", leaf: Any = 0) -> Any:
    """``leaf`` inside ``depth`` lists, dicts or both (built without recursion)."""
    value = leaf
    for i in range(depth):
        value = [value] if kind == "list" or (kind == "mixed" and i % 2) else {"k": value}
    return value


def test_a_rejected_payload_prints_bounded() -> None:
    """Printing a rejected decision (a log line, a debugger) neither recurses nor floods."""
    j = journal_for(MemoryStore())
    huge = "x" * 1_000_000
    for value in (nested(10_000, "mixed"), [huge], {huge: huge}):
        d = one(j, "a", "set", value)
        assert not d.accepted
        for text in (repr(d), str(d), repr(d.staged)):
            assert text.startswith(("Decision(staged=Staged(key='a', op='set', value=", "Staged("))
            assert len(text) < 2000, len(text)
    assert len(repr(Write("a", "set", nested(10_000, "mixed")))) < 400
    ok = one(j, "b", "set", {"a": [1, "two"]})
    assert repr(ok.record) == (
        f"Record(key='b', scope='session', session={SESSION!r}, value={{'a': [1, 'two']}}, "
        "version=1, ptype=None)"
    )


def at_stack_depth(frames: int, fn: Callable[[], Any]) -> Any:
    """Call ``fn`` from ``frames`` Python frames deep (a caller with a deep stack)."""
    return fn() if frames <= 0 else at_stack_depth(frames - 1, fn)


def test_limits_are_rejections_with_a_reason(store: Store) -> None:
    j = journal_for(store)
    too_long = "k" * (MAX_NAME_BYTES + 1)
    rejected = {
        "surrogate value": one(j, "a", "set", "\udc80"),
        "surrogate in a dict key": one(j, "a", "set", {"\ud800x": 1}),
        "too deep": one(j, "a", "set", nested(MAX_DEPTH + 1)),
        "too deep, dicts": one(j, "a", "set", nested(MAX_DEPTH + 1, "dict")),
        "far too deep": one(j, "a", "set", nested(5000, "mixed")),
        "huge int": one(j, "a", "set", [10**5000]),
        "NUL key": one(j, "a\x00", "set", 1),
        "surrogate key": one(j, "\udc80", "set", 1),
        "long key": one(j, too_long, "set", 1),
        "long session": one(j, "a", "set", 1, session="s" * (MAX_NAME_BYTES + 1)),
        "NUL principal": one(j, "a", "set", 1, principal="agent\x00"),
        "surrogate ref": one(j, "a", "set", 1, evidence_ref="\udc80"),
        "base over 64 bits": one(j, "a", "set", 1, base_version=2**63),
        "base far over": one(j, "a", "set", 1, base_version=2**200),
    }
    for what, d in rejected.items():
        assert d.reason == SCHEMA_INVALID and d.detail, what
    assert "surrogate" in rejected["surrogate value"].detail
    assert "deeper than 100" in rejected["too deep"].detail
    assert "NUL" in rejected["NUL key"].detail
    assert f"over {MAX_NAME_BYTES}" in rejected["long key"].detail
    assert "2**63-1" in rejected["base over 64 bits"].detail
    # the largest of each is accepted and reads back identical, also from a deep stack
    assert one(j, "a", "set", nested(MAX_DEPTH, "mixed", "\x00é🦀")).accepted
    assert one(j, "k" * MAX_NAME_BYTES, "set", [2**63, -(2**63) - 1, 1e308, -0.0]).accepted
    assert one(j, "a", "set", 7, base_version=1).accepted
    assert one(j, "a", "set", 8, base_version=2**63 - 1).reason == "DESTRUCTIVE_OP"
    assert one(j, "deep", "set", nested(MAX_DEPTH)).accepted
    frames = sys.getrecursionlimit() - 3 * MAX_DEPTH
    got = at_stack_depth(frames, lambda: store.get("deep", "session", SESSION))
    assert got.record is not None and got.record.value == nested(MAX_DEPTH)
    history = at_stack_depth(frames, lambda: list(store.history()))
    big = store.get("k" * MAX_NAME_BYTES, "session", SESSION).record
    assert canonical(big.value) == "[9223372036854775808,-9223372036854775809,1e+308,-0.0]"
    # nothing rejected changed anything; every rejection is journaled, names escaped
    assert store.get("a", "session", SESSION).record.value == 7
    assert store.get("a\x00", "session", SESSION).status == "no_match"
    assert store.get("\udc80", "session", SESSION).status == "no_match"
    assert store.get(too_long, "session", SESSION).status == "no_match"
    assert [e.reason for e in history[: len(rejected)]] == [SCHEMA_INVALID] * len(rejected)
    keys = [e.staged.key for e in history]
    assert keys[6:9] == [repr("a\x00"), repr("\udc80"), repr(too_long)[: MAX_NAME_BYTES // 4 - 3]
                         + "..."]  # fmt: skip
    assert history[0].staged.value == {"$unserialisable": repr("\udc80")}
    assert [e.staged.base_version for e in history[12:14]] == [None, None]


def test_validator_value_ceiling() -> None:
    with pytest.raises(InvalidInputError):
        Validator(max_value_bytes=MAX_VALUE_BYTES_CEILING + 1)
    assert Validator(max_value_bytes=MAX_VALUE_BYTES_CEILING).max_value_bytes > 0


# --- idempotency: a retried update is applied once ---------------------------------------


def test_a_retried_batch_is_answered_from_the_journal(store: Store) -> None:
    v = Validator()
    batch = [
        Staged("k", "append", [1], "session", "agent", SESSION),
        Staged("k", "set", [9], "session", "agent", SESSION, base_version=5),  # stale
        Staged("m", "merge", {"a": 1}, "session", "agent", SESSION),
    ]
    first = store.commit(batch, v.apply)
    assert [d.reason for d in first] == [None, "DESTRUCTIVE_OP", None]
    extra = Staged("k", "append", [2], "session", "agent", SESSION)
    again = store.commit([*batch, extra, batch[0]], v.apply)
    assert again[:3] == first  # the recorded decisions, not new ones
    assert again[4] == first[0]  # a repeat inside a batch too
    assert again[3].record.version == 2  # the new update saw the first one applied once
    assert store.get("k", "session", SESSION).record.value == [1, 2]
    history = list(store.history())
    assert [e.staged.uid for e in history] == [s.uid for s in [*batch, extra]]
    assert store.replayed == 4  # type: ignore[attr-defined]
    assert store.commit(batch, v.apply) == first  # and again: nothing new


def test_an_id_names_one_update(store: Store) -> None:
    v = Validator()
    s = Staged("k", "append", [1], "session", "agent", SESSION, uid="order-17")
    assert store.commit([s], v.apply)[0].accepted
    other = Staged("other", "append", [1], "session", "agent", SESSION, uid="order-17")
    with pytest.raises(InvalidInputError) as info:
        store.commit([Staged("n", "set", 1, "session", "agent", SESSION), other], v.apply)
    assert info.value.field == "uid"
    for bad in ("", "has space", "x" * 129, "nul\x00", 7):
        with pytest.raises(InvalidInputError):
            store.commit([Staged("k", "set", 1, "session", "agent", SESSION, uid=bad)], v.apply)  # type: ignore[arg-type]
    assert len(list(store.history())) == 1  # nothing of the refused batches landed


class LosesAnswers:
    """A store whose first ``fail`` commits go through and then lose their answer, as a
    connection cut right after COMMIT does."""

    def __init__(self, store: Store, fail: int = 1) -> None:
        self.store = store
        self.url = store.url
        self.fail = fail

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def commit(self, batch: Any, apply: Any) -> Any:
        decisions = self.store.commit(batch, apply)
        if self.fail:
            self.fail -= 1
            raise CommitOutcomeUnknownError("the answer was lost")
        return decisions


def test_journal_retry_after_unknown_outcome_applies_once(store: Store) -> None:
    j = Journal(LosesAnswers(store), Validator(), session=SESSION)  # type: ignore[arg-type]
    j.stage("k", "append", [1])
    j.stage("k", "append", [2])
    pending = j.pending()
    with pytest.raises(CommitOutcomeUnknownError):
        j.commit()
    assert j.pending() == pending
    j.stage("k", "append", [3])
    assert [d.record.version for d in j.commit()] == [1, 2, 3]
    assert store.get("k", "session", SESSION).record.value == [1, 2, 3]
    assert len(list(store.history())) == 3


def test_writeback_keeps_pending_with_its_ids_and_retries_once(store: Store) -> None:
    wb = Writeback(LosesAnswers(store, fail=2), session=SESSION)  # type: ignore[arg-type]
    first = wb.staged("log", "append", "a", "session", "agent", ptype="bootstrap")
    wb.stage(first)
    for _ in range(2):
        with pytest.raises(CommitOutcomeUnknownError):
            wb.flush()
        assert wb.pending == [first]
    wb.stage(wb.staged("log", "append", "b", "session", "agent", ptype="bootstrap"))
    result = wb.flush()
    assert [d.record.version for d in result.committed] == [1, 2] and wb.pending == []
    assert store.get("log", "session", SESSION).record.value == "ab"
    assert store.replayed == 2  # type: ignore[attr-defined]


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("stage"), st.sampled_from("abcd")),
            st.tuples(st.just("drop"), st.sets(st.sampled_from("abcde"), max_size=3)),
            st.tuples(st.just("flush"), st.none()),
        ),
        max_size=40,
    )
)
@settings(max_examples=200, deadline=None)
def test_dropping_staged_keys_keeps_the_rest_in_order(ops: list[tuple[str, Any]]) -> None:
    """``Writeback.drop`` forgets exactly the updates of its keys; the rest keep their order."""
    wb = Writeback(MemoryStore(), session=SESSION)
    model: list[Staged] = []
    for i, (op, arg) in enumerate(ops):
        if op == "stage":
            staged = wb.staged(arg, "append", [i], "session", "agent", ptype="bootstrap")
            wb.stage(staged)
            model.append(staged)
        elif op == "drop":
            wb.drop(arg)
            model = [s for s in model if s.key not in arg]
        else:
            assert len(wb.flush().committed) == len(model)
            model = []
        assert wb.pending == model


def test_staged_ids_are_unique_and_stay_out_of_repr() -> None:
    a = Staged("k", "set", 1, "session", "agent", SESSION)
    b = Staged("k", "set", 1, "session", "agent", SESSION)
    assert a.uid != b.uid and len(a.uid) == 32 and a != b
    assert repr(a) == repr(b) and a.uid not in repr(a)  # messages and traces stay the same


# --- the property: any staged value is committed intact or rejected, and nothing jams ------

TEXT = st.text(st.sampled_from(["a", "Z", "é", "\x00", "\n", '"', "\\", "🦀", "\u2028"]), max_size=6)
PLAIN_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 2**64]),
    st.builds(pow, st.just(10), st.just(4299)),  # 4,300 digits: the most Python prints
    st.floats(allow_nan=False, allow_infinity=False),  # -0.0 and 5e-324 included
    TEXT,
)
PLAIN = st.recursive(
    PLAIN_SCALARS,
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(TEXT, kids, max_size=4)),
    max_leaves=12,
)
#: Things a value must not hold, each planted alone into an otherwise plain value.
PLANTED = {
    "surrogate": st.sampled_from(["\udc80", "x\ud800y"]),
    "surrogate key": st.just({"ok": 1, "\udc80": 1}),
    "nan": st.sampled_from([math.nan, math.inf, -math.inf]),
    "huge int": st.builds(pow, st.just(10), st.sampled_from([4300, 5000])),
    "tuple": st.just((1, 2)),
    "set": st.just(frozenset({1})),
    "non-str key": st.sampled_from([{1: "a"}, {None: 1}, {True: 1}, {1.5: 1}, {"a": 1, 2: 3}]),
    "object": st.builds(object),
    "deep": st.builds(nested, st.integers(MAX_DEPTH + 1, 1200), st.sampled_from(["list", "mixed"])),
}
HOSTILE_NAMES = st.sampled_from(["\udc80", "a\x00b", "k" * (MAX_NAME_BYTES + 1), "é" * 600])
#: Anything at all, for combinations nobody thought of (no expected verdict, same property).
WILD = st.recursive(
    st.one_of(PLAIN_SCALARS, st.floats(), st.text(st.sampled_from(["a", "\udc80", "\x00"]))),
    lambda kids: st.one_of(
        st.lists(kids, max_size=3),
        st.dictionaries(st.one_of(TEXT, st.integers(-2, 2), st.none()), kids, max_size=3),
        st.tuples(kids),
    ),
    max_leaves=10,
)


@st.composite
def hostile_updates(draw: st.DrawFn) -> dict[str, Any]:
    """One update with at most one planted fault, and the verdict the rules predict."""
    fault = draw(st.sampled_from([None, None, None, *sorted(PLANTED)]))
    if fault is None:
        value = draw(st.one_of(PLAIN, st.builds(nested, st.integers(MAX_DEPTH - 3, MAX_DEPTH),
                                                 st.sampled_from(["list", "dict", "mixed"]),
                                                 PLAIN_SCALARS)))  # fmt: skip
    else:
        bad = draw(PLANTED[fault])
        depth = draw(st.integers(0, 3))
        value = draw(st.one_of(st.just(bad), st.builds(lambda v: [v, nested(depth, "mixed", bad)], PLAIN)))
    key = draw(st.one_of(st.just("k"), st.just("k"), HOSTILE_NAMES))
    principal = draw(st.one_of(st.just("agent"), st.just("agent"), HOSTILE_NAMES))
    op = draw(st.sampled_from(["set", "set", "append", "merge"]))
    base = draw(st.sampled_from([None, None, 0, 2**63 - 1, 2**63, 2**70]))
    if draw(st.integers(0, 9)) == 0:
        value, fault = draw(WILD), "wild"
    kind_ok = {"append": (list, str), "merge": dict}.get(op, object)
    bad_names = key != "k" or principal != "agent" or (base is not None and base >= 2**63)
    if fault or bad_names or not isinstance(value, kind_ok):
        want: Any = SCHEMA_INVALID
    elif op == "set" and base not in (None, 0):
        want = "DESTRUCTIVE_OP"
    else:
        want = None
    return {"key": key, "op": op, "value": value, "principal": principal, "base": base,
            "want": "any" if fault == "wild" else want}  # fmt: skip


@pytest.fixture(scope="module")
def every_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """One store of each kind, PostgreSQL included when a server is available."""
    where = tmp_path_factory.mktemp("every_store")
    with contextlib.ExitStack() as stack:
        stores: dict[str, Any] = {k: make_store(k, where) for k in KINDS}
        pg = request.getfixturevalue("postgres_helpers")
        try:
            url = pg.require_postgres()
        except pytest.skip.Exception:  # without CLAWVM_REQUIRE_POSTGRES: the others only
            url = None
        if url is not None:
            stores["postgres"] = open_store(stack.enter_context(pg.fresh_schema(url)))
        for s in stores.values():
            stack.callback(s.close)
        yield stores


_examples = itertools.count()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(update=hostile_updates())
def test_any_staged_value_commits_intact_or_is_rejected(
    every_store: dict[str, Any], update: dict[str, Any]
) -> None:
    """Every value is committed and read back identical, or rejected with the reason code
    the rules predict; the verdict is the same on every store, and the journal keeps
    working afterwards."""
    session = f"h{next(_examples)}"  # a fresh session: every key starts empty
    key, value = update["key"], update["value"]
    verdicts = {}
    for kind, store in every_store.items():
        j = Journal(store, Validator(), session=session)
        j.stage(key, update["op"], value, principal=update["principal"],
                base_version=update["base"])  # fmt: skip
        (d,) = j.commit()
        assert j.pending() == []
        verdicts[kind] = (d.reason, d.detail)
        if update["want"] != "any":
            assert d.reason == update["want"], (kind, d.detail)
        got = store.get(key, "session", session)
        if d.accepted:
            assert got.status == "ok" and got.record.version == 1
            assert canonical(got.record.value) == canonical(value)  # identical, not just ==
            assert canonical(d.record.value) == canonical(value)
        else:
            assert d.reason in REASONS and d.detail and d.record is None
            assert got.status == "no_match"
        entries = [e for e in store.history() if e.staged.session == session]
        assert len(entries) == 1 and entries[0].reason == d.reason
        canonical(entries[0].staged.value)  # journaled as storable JSON, whatever it was
        j.stage("after", "append", [1])  # the journal keeps working
        (after,) = j.commit()
        assert after.accepted and after.record.value == [1], kind
    assert len(set(verdicts.values())) == 1, verdicts  # the same on every store

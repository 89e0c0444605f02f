"""Replay drives the VM: no rule lives twice. Gates, bands, peers, shape checks that can fail,
crippled engines, the trace format, report determinism and the CLI around them."""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawvm import VM, cli
from clawvm._schema import Rep, ScoreMode
from clawvm._table import GIVEN_CALL, SelectionView
from clawvm._writeback import Write
from clawvm.errors import InvariantViolation
from clawvm.journal import Journal
from clawvm.pages import Page, bootstrap, path_of
from clawvm.replay import bands, checks, peers
from clawvm.replay.convert import from_openai
from clawvm.replay.driver import STORES, replay, session_id, stand_in
from clawvm.replay.format import Trace, TraceError, load, parse_lines
from clawvm.replay.gates import run_gates
from clawvm.replay.policies import CRIPPLED, REPLAY_POLICIES, ReplayPolicy
from clawvm.replay.report import write_outputs
from clawvm.replay.sweep import run_suite
from clawvm.replay.workloads import FAMILIES, TraceBuilder, generate, generate_lines
from clawvm.results import RecallResult
from clawvm.tokens import default_tokenizer
from clawvm.vm import fixed_region

HEADER = '{"clawvm_trace": 2, "session": "t"}'
MEM = STORES["memory"]


@pytest.fixture(scope="module")
def suite():
    """Shape checks and crippled engines on 20 seeds (a removed mechanism need not break a
    check on every seed), full tables on one."""
    return run_suite(check_seeds=range(20), table_seeds=range(1), procs=2)


def _run(trace: Trace, policy: str, budget: int):
    return replay(trace, REPLAY_POLICIES[policy], budget, store=MEM)


# ---------------------------------------------------------------------- one lifecycle


def _by_hand(trace: Trace, rp: ReplayPolicy, budget: int) -> dict[str, Any]:
    """The trace's events as a harness would make them, written out here, not by the driver:
    if the replay had a rule of its own, the counts would differ."""
    vm = VM(budget + fixed_region(default_tokenizer()), policy=rp.policy, store="memory://",
            selector=rp.selector)
    t = vm._table
    ids: dict[str, str] = {}
    turns = [e.args["demands"] for e in trace.events if e.op == "turn"]
    done = 0
    if trace.events[0].op != "session_start":
        vm.session_start(session_id(trace.session))

    def future(first: int) -> None:
        if rp.policy.score_mode != ScoreMode.ORACLE:
            return
        counts: dict[int, int] = {}
        for demands in turns[first:first + rp.policy.oracle_horizon]:
            for pid, _ in demands:
                v = ids.get(pid, pid)
                if v in vm:
                    counts[t.slot[v]] = counts.get(t.slot[v], 0) + 1
        vm.engine.set_future(sorted(counts), [counts[s] for s in sorted(counts)])

    for e in trace.events:
        a = e.args
        if e.op == "page":
            spec = a["page"]
            ids[spec.id] = spec.id
            content = stand_in(spec.id, spec)
            if not spec.dirty:  # durable before: the store holds it
                j = Journal(vm.store, t.wb.validator, session=vm.session or "")
                j.stage(spec.id, "set", content, spec.scope, "harness",
                        ptype=spec.type.name.lower())
                j.commit()
            t.given[spec.id] = (spec.tokens, None, None)
            vm.add_page(Page(spec.id, spec.type, content, scope=spec.scope, pin=spec.pin,
                             floor=spec.floor, base=spec.utility, recompute=spec.recompute,
                             reps={r: f"[page:{spec.id}] {r.name.lower()}"
                                   for r in path_of(spec.type)}))
        elif e.op == "tool":
            tool = a["tool"]
            cid = tool.call_id or f"call-{e.line}"
            vm.tools.declare(tool.name, read_only=tool.read_only,
                             resource=lambda _args, r=tool.resource: r)

            def run(tool: Any = tool, cid: str = cid) -> str:
                t.given[GIVEN_CALL + cid] = (tool.tokens, tool.utility, tool.recompute)
                return str(tool.page)

            ids[tool.page] = vm.tool_execute(tool.name, tool.args, run, call_id=cid).page_id
        elif e.op == "turn":
            done += 1
            future(done)
            vm.assemble([(ids[p], r) for p, r in a["demands"] if ids[p] in vm])
        elif e.op == "write":
            value = a["value"] if isinstance(a["value"], dict) else {"note": a["value"]}
            if ids[a["page"]] in vm:
                if a["tokens"] is not None:
                    t.given[ids[a["page"]]] = (a["tokens"], None, None)
                vm.post_model(writes=[Write(ids[a["page"]], "merge", value)],
                              principal=a["principal"])
        elif e.op == "recall":
            query = ids.get(a["page"], a["query"]) if a["page"] else a["query"]
            if a["status"] == "ok":
                vm.recall(query, principal=a["principal"])
            else:
                vm._recaller.deliver(query, a["principal"], RecallResult(a["status"]))
        elif e.op == "drop":
            if ids[a["page"]] in vm:
                t.remove(ids[a["page"]])
        elif e.op in ("compaction", "reset", "session_end"):
            future(done)
            if e.op == "compaction":
                vm.compaction(threshold_jump=a["threshold_jump"])
            else:
                getattr(vm, e.op)()
        elif e.op == "session_start":
            vm.session_start(session_id(a["session"]))
        elif e.op == "persist":
            vm.post_model(writes=[Write(a["key"], a["update"], a["value"], scope=a["scope"],
                                        base_version=a["base_version"], ptype=a["type"])],
                          principal=a["principal"])
    return vm.faults().as_dict()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_no_rule_lives_twice(family: str) -> None:
    """Replaying a trace and driving the VM by hand with its events count the same."""
    trace = generate(family, 5)
    b = bands.measure(trace)
    for policy in ("clawvm", "oracle", "retrieval", "compaction_hybrid", "trim_last"):
        for budget in (b.f1, b.fp):
            rp = REPLAY_POLICIES[policy]
            assert replay(trace, rp, budget, store=MEM).report.as_dict() == _by_hand(
                trace, rp, budget), (policy, budget)


def test_a_converted_chat_counts_as_the_same_chat_through_the_vm() -> None:
    """Real text through a VM by hand, and the same chat converted and replayed: equal counts
    (the converter prices pages as the VM renders them, and the replay adds no rule)."""
    chat = [
        {"role": "system", "content": "You are a support agent. Cite the order id."},
        {"role": "user", "content": "Where is order 4411?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function",
             "function": {"name": "get_order", "arguments": '{"order_id": "4411"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "shipped, 3 parcels, UPS 1Z999"},
        {"role": "assistant", "content": "It shipped in three parcels."},
        {"role": "user", "content": "/compact"},
        {"role": "user", "content": "Check again please."},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c2", "type": "function",
             "function": {"name": "get_order", "arguments": '{"order_id": "4411"}'}}]},
        {"role": "tool", "tool_call_id": "c2", "content": "shipped, 3 parcels, UPS 1Z999"},
        {"role": "assistant", "content": "Still shipped."},
    ]
    trace = parse_lines(from_openai(chat))
    turns = iter(e.args["demands"] for e in trace.events if e.op == "turn")
    for policy in ("clawvm", "retrieval", "compaction_hybrid"):
        for budget in (60, 120, 10_000):
            vm = VM(budget + fixed_region(default_tokenizer()), policy=policy)
            vm.session_start("openai")
            j = Journal(vm.store, vm._table.wb.validator, session="openai")
            j.stage("boot-system", "set", chat[0]["content"], "project", "harness",
                    ptype="bootstrap")
            j.commit()
            vm.add_page(bootstrap("boot-system", chat[0]["content"]))
            vm.tools.declare("get_order", read_only=True)
            ids: dict[str, str] = {}
            turns = iter(e.args["demands"] for e in trace.events if e.op == "turn")
            for m in chat[1:]:
                if m["role"] == "user" and m["content"] == "/compact":
                    vm.compaction()
                elif m["role"] == "user":
                    vm.post_user(m["content"])
                elif m["role"] == "assistant":
                    vm.assemble([(ids.get(p, p), r) for p, r in next(turns)
                                 if ids.get(p, p) in vm])
                    vm.post_model(m["content"] or "", tool_calls=m.get("tool_calls") or ())
                else:
                    call = next(c for c in chat if c.get("tool_calls")
                                and c["tool_calls"][0]["id"] == m["tool_call_id"])["tool_calls"][0]
                    res = vm.tool_execute("get_order", call["function"]["arguments"],
                                          lambda m=m: m["content"], call_id=m["tool_call_id"])
                    ids[f"ev-{len(ids) + 1}"] = res.page_id
            vm.session_end()
            assert _run(trace, policy, budget).report.as_dict() == vm.faults().as_dict(), (
                policy, budget)


def test_session_ids_reused_across_sessions_lose_nothing() -> None:
    """Each multisession session reuses the ids of its plan and notes (session scope): the
    VM keys versions by scope, session and id, so clawvm's writebacks are never stale."""
    for seed in range(3):
        trace = generate("multisession", seed)
        ids = [e.args["page"].id for e in trace.events if e.op == "page"]
        assert ids.count("plan") == ids.count("notes") == 3
        fp = bands.measure(trace).fp
        ours = _run(trace, "clawvm", fp)
        assert [r for r in ours.rejections if r[2] != "persist"] == []
        assert ours.report.faults["flush_miss"] == 0 and ours.lost == 0
        base = _run(trace, "compaction_hybrid", fp)  # no writeback at session end: counted
        assert base.report.faults["flush_miss"] > 0


def test_a_flush_miss_destroys_an_uncommitted_page_and_its_demands_are_lost() -> None:
    s = TraceBuilder(random.Random(0), "lost")
    s.pinned()
    s.message("user")
    s.turn(("rules", "structured"), (s.user_seg, "full"))  # type: ignore[arg-type]
    pid = s.read()
    s.turn((pid, "full"))
    s.add("reset")
    s.turn((pid, "structured"), ("plan", "structured"))
    trace = s.trace()
    base = _run(trace, "retrieval", 100_000)
    assert base.report.faults["flush_miss"] >= 2 and base.lost == 2  # the result and the plan
    ours = _run(trace, "clawvm", 100_000)
    assert ours.report.total_faults == 0 and ours.lost == 0


# ---------------------------------------------------------------------- gates and bands


def test_all_tier1_gates_pass() -> None:
    results = run_gates()
    assert len(results) == 6
    assert [(g.name, g.detail) for g in results if not g.passed] == []
    assert all(g.baseline_count > 0 for g in results)  # each baseline shows the failure


def test_bands_are_measured_on_the_vm() -> None:
    trace = generate("evidence_heavy", 2)
    b = bands.measure(trace)
    assert 0 < b.f1 <= b.fp
    labels = [label for label, _ in b.budgets()]
    assert labels == ["F1-10%", "F1", "F1+25%", "F1+50%", "FP", "1.5FP"]
    assert _run(trace, "clawvm", b.f1).pressure_turns == 0  # F1: every required set fits
    assert _run(trace, "clawvm", b.f1 - 1).pressure_turns > 0  # and not one token less


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(sorted(FAMILIES)), st.floats(1.0, 2.0))
def test_clawvm_has_no_policy_fault_where_fp_fits(seed: int, family: str, scale: float) -> None:
    """With pins, pointers and writeback, no preventable fault once FP fits (evaluation.md §6)."""
    trace = generate(family, seed)
    result = _run(trace, "clawvm", int(bands.measure(trace).fp * scale))
    assert result.pressure_turns == 0
    assert result.policy_faults == 0 and result.lost == 0, result.report.faults


def test_between_f1_and_fp_clawvm_can_fault() -> None:
    """The old claim ("no fault where the floor set fits") was wrong: between F1 and FP which
    pointers are kept decides, and clawvm does fault there on some traces."""
    faults = 0
    for seed in range(6):
        for family in FAMILIES:
            trace = generate(family, seed)
            b = bands.measure(trace)
            r = _run(trace, "clawvm", b.f1)
            assert r.pressure_turns == 0
            faults += r.policy_faults
    assert faults > 0


# ---------------------------------------------------------------------- peers


def _view(kinds: list[int], full: list[int], budget: int, tools: list[str] | None = None,
          pointer: int = 3) -> SelectionView:
    n = len(kinds)
    tokens = np.array([[pointer, pointer + 1, pointer + 2, f] for f in full], dtype=np.int32)
    return SelectionView(np.arange(n), np.array(kinds), np.zeros(n, dtype=np.int64),
                         tuple(tools or [""] * n), tokens, np.full(n, 5, dtype=np.uint8),
                         np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), budget)


SYS, STABLE, USER, ASSIST, TOOL = 0, 1, 2, 3, 4


def test_trim_last_keeps_the_system_and_a_suffix_starting_at_a_human_message() -> None:
    kinds = [SYS, USER, ASSIST, TOOL, TOOL, USER, ASSIST, TOOL]
    full = [10, 5, 5, 30, 30, 5, 5, 20]
    sel, unmet = peers.trim_last(_view(kinds, full, 70))
    # 20 + 5 + 5 fit, then the tool result 30 would not: the suffix starts at the user (5)
    assert sel.tolist() == [4, 0, 0, 0, 0, 4, 4, 4] and unmet.tolist() == []
    sel, _ = peers.trim_last(_view(kinds, full, 95))  # room for one result: not its turn
    assert sel.tolist() == [4, 0, 0, 0, 0, 4, 4, 4]
    sel, unmet = peers.trim_last(_view([SYS, USER], [50, 5], 40))
    assert sel.tolist() == [0, 4] and unmet.tolist() == [0]  # the system does not fit: unmet


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([USER, ASSIST, TOOL]), st.integers(1, 40)),
                min_size=1, max_size=14),
       st.integers(1, 30), st.integers(0, 200))
def test_trim_last_is_langchains_trim_messages(stream: list[tuple[int, int]], system: int,
                                               budget: int) -> None:
    """Cross-check with the real ``trim_messages`` (when installed): the same messages kept.

    A stream page is a message: an assistant text page an AIMessage (its turn's calls are
    priced with their results), a result a ToolMessage answering the latest AIMessage."""
    lc = pytest.importorskip("langchain_core.messages")
    kinds = [SYS] + [k for k, _ in stream]
    full = [system] + [c for _, c in stream]
    msgs: list[Any] = [lc.SystemMessage("s", id="0")]
    call = 0
    for i, (kind, _) in enumerate(stream, start=1):
        if kind == USER:
            msgs.append(lc.HumanMessage("h", id=str(i)))
        elif kind == ASSIST or call == 0 or kinds[i - 1] not in (ASSIST, TOOL):
            call += 1
            msgs.append(lc.AIMessage("", id=str(i) if kind == ASSIST else f"a{i}",
                                     tool_calls=[] if kind == ASSIST else [
                                         {"name": "t", "args": {}, "id": f"c{call}"}]))
            if kind == TOOL:
                msgs.append(lc.ToolMessage("r", tool_call_id=f"c{call}", id=str(i)))
        else:
            msgs.append(lc.ToolMessage("r", tool_call_id=f"c{call}", id=str(i)))
    cost = {str(i): c for i, c in enumerate(full)}
    kept = lc.trim_messages(msgs, max_tokens=max(budget, system), strategy="last",
                            token_counter=lambda ms: sum(cost.get(str(m.id), 0) for m in ms),
                            include_system=True, start_on="human", allow_partial=False)
    sel, _ = peers.trim_last(_view(kinds, full, max(budget, system)))
    assert sorted(int(m.id) for m in kept if str(m.id).isdigit()) == np.flatnonzero(sel).tolist()


def test_clear_tool_uses_keeps_the_last_n_and_clears_at_least_m() -> None:
    kinds = [SYS, USER, TOOL, TOOL, TOOL, TOOL, USER]
    full = [10, 5, 40, 40, 40, 40, 5]
    tools = ["", "", "grep", "read", "grep", "grep", ""]
    sel, _ = peers.clear_tool_uses(keep=2)(_view(kinds, full, 150, tools))
    assert sel.tolist() == [4, 4, 1, 1, 4, 4, 4]  # over the trigger: the two oldest cleared
    sel, _ = peers.clear_tool_uses(keep=2, exclude_tools=["read"])(_view(kinds, full, 150, tools))
    assert sel.tolist() == [4, 4, 1, 4, 4, 4, 4]
    sel, _ = peers.clear_tool_uses(keep=2, clear_at_least=100)(_view(kinds, full, 500, tools))
    assert sel.tolist() == [4] * 7  # under the trigger: nothing cleared
    sel, _ = peers.clear_tool_uses(keep=2, clear_at_least=100)(_view(kinds, full, 150, tools))
    assert set(sel.tolist()) <= {0, 4}  # 74 tokens freed < 100: not applied; then trimmed


def test_a_selector_is_checked_and_accounted_like_the_engine() -> None:
    def bad(view: SelectionView) -> tuple[np.ndarray, np.ndarray]:
        sel = np.zeros(len(view.ptype), dtype=np.uint8)
        sel[view.order] = Rep.FULL
        return sel, np.zeros(0, dtype=np.int32)

    vm = VM(40, selector=bad)
    vm.session_start("s")
    vm.post_user("x " * 200)
    with pytest.raises(InvariantViolation, match="tokens"):
        vm.assemble()
    trace = generate("evidence_heavy", 1)
    fp = bands.measure(trace).fp
    for name in ("trim_last", "clear_tool_uses"):
        r = _run(trace, name, fp)
        assert r.report.total_faults > 0 and r.turns > 0  # same accounting: it faults


# ---------------------------------------------------------------------- shape checks


def test_shape_checks_hold_on_the_check_seeds(suite) -> None:
    results = {c.name: c for c in checks.run_checks(suite)}
    assert set(results) == set(checks.CHECKS)
    for name in ("zero_at_fp", "lifecycle", "phase2", "headroom"):
        assert results[name].holds, (name, results[name].failed)
    # The paper's ordering is a result, not a guarantee: on a few seeds retrieval_cached
    # ties retrieval (no evidence page of either was ever at a pointer). It is never
    # inverted, and clawvm is below every baseline on every seed.
    for seed in suite.check_seeds:
        mean = {p: statistics.fmean(checks.failures(suite.get(f, seed, p, "F1").result)
                                    for f in FAMILIES)
                for p in ("retrieval", "retrieval_cached", "compaction_hybrid", "clawvm")}
        assert (mean["retrieval"] >= mean["retrieval_cached"] > mean["compaction_hybrid"]
                > mean["clawvm"]), (seed, mean)
    assert results["order"].held >= 0.8 * len(suite.check_seeds), results["order"].failed


def test_crippled_engines_break_the_checks_that_depend_on_them(suite) -> None:
    rows = checks.crippled_checks(suite)
    assert {(e, c) for e, c, *_ in rows} == {(e, c) for e, cs in checks.DEPENDS.items()
                                             for c in cs}
    assert set(checks.DEPENDS) == set(CRIPPLED)
    assert [(e, c) for e, c, held, broke, ok in rows if not ok] == []


def test_a_check_names_where_and_why_it_fails(suite) -> None:
    (check,) = checks.run_checks(suite, "clawvm-no-writeback", suite.crippled_seeds,
                                 ("lifecycle",))
    assert not check.holds
    seed, why = sorted(check.failed.items())[0]
    assert any("flush_miss" in w for w in why) and seed in suite.crippled_seeds


def test_suite_outputs_are_byte_identical(tmp_path: Path) -> None:
    """In one process or two: the same files, byte for byte."""
    first = write_outputs(run_suite(check_seeds=range(1), table_seeds=range(1), procs=1),
                          run_gates(), tmp_path / "a")
    again = write_outputs(run_suite(check_seeds=range(1), table_seeds=range(1), procs=2),
                          run_gates(), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in again]
    assert any(p.suffix == ".png" for p in first)
    for a, b in zip(first, again):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_workloads_are_deterministic_and_seeded() -> None:
    for family in FAMILIES:
        assert generate(family, 1) == generate(family, 1)
        assert generate(family, 1) != generate(family, 2)


# ---------------------------------------------------------------------- trace format

def _page(pid: str, ptype: str, tokens: str = "1, 2, 3, 4", extra: str = "") -> str:
    return (f'{{"op": "page", "id": "{pid}", "type": "{ptype}", "tokens": [{tokens}]'
            + (f", {extra}" if extra else "") + "}")


def _persist(field: str) -> str:
    """A persist event with ``field`` (JSON text) replacing or adding one field."""
    name = field.split(":")[0].strip('"')
    fields = {"key": '"k"', "update": '"set"', "principal": '"user"'}
    fields[name] = field.split(":", 1)[1].strip()
    return '{"op": "persist", ' + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"


def _tool(extra: str = "") -> str:
    return ('{"op": "tool", "name": "grep", "page": "r1", "tokens": [1, 2, 3, 4]'
            + (f", {extra}" if extra else "") + "}")


BAD_TRACES = [
    (["not json"], 1, "not valid JSON"),
    (['{"op": "turn"}'], 1, "header"),
    (['{"clawvm_trace": 1, "session": "old"}'], 1, "version 1 trace"),
    ([HEADER, "{oops"], 2, "not valid JSON"),
    ([HEADER, '{"op": "teleport"}'], 2, "unknown op 'teleport'"),
    ([HEADER, '{"op": "turn", "demands": [["ghost", "full"]]}'], 2, "unknown page 'ghost'"),
    ([HEADER, '{"op": "page", "type": "segment", "tokens": [1, 2, 3, 4]}'], 2, "needs field 'id'"),
    ([HEADER, '{"op": "page", "id": "b", "type": "bootstrap", "tokens": [1, 2, 0, 4]}'], 2,
     "no pointer rep"),
    ([HEADER, '{"op": "page", "id": "s", "type": "segment", "tokens": [1, 2, 3, 4]}',
      '{"op": "turn", "demands": [["s", "huge"]]}'], 3, "demand rep"),
    ([HEADER, '{"op": "recall", "query": "x", "status": "maybe"}'], 2, "recall status"),
    # what json.loads would crash on, or accept and leave to crash later
    ([HEADER, '{"op": "tool", "name": "t", "args": ' + "[" * 5000 + "]" * 5000 + "}"], 2,
     "nested deeper than 64 levels at column 100"),  # the 65th level: the outer object is 1
    ([HEADER, _page("s", "segment", "1, 2, 3, " + "4" * 5000)], 2, "integer outside the 64-bit"),
    ([HEADER, '{"op": "tool", "name": "\\udc80"}'], 2, "lone surrogate"),
    ([HEADER, _page("s", "segment", "1, 2, 3, 4", '"utility": NaN')], 2, "NaN and Infinity"),
    ([HEADER, '{"op": "reset", "op": "teleport"}'], 2, "duplicate key 'op'"),
    (['{"clawvm_trace": true}'], 1, "header"),
    (['{"clawvm_trace": 2.0}'], 1, "header"),
    (['{"clawvm_trace": 2, "session": ["s"]}'], 1, "'session' must be a string"),
    ([HEADER, _page("s", "segment", "1, 2, 3, 4.0")], 2, "tokens"),
    ([HEADER, _page("s", "segment", "1, 2, 3, 2147483648")], 2, "integers in [0, 2147483647]"),
    ([HEADER, _page("a b", "segment")], 2, "'id' must be one word"),
    ([HEADER, _page("", "segment")], 2, "'id' must be one word"),
    ([HEADER, _page("p" * 129, "segment")], 2, "at most 128 characters"),
    ([HEADER, _page("s", "segment", extra='"dirty": 1')], 2, "'dirty' must be a boolean"),
    ([HEADER, _page("s", "segment", extra='"speaker": "robot"')], 2, "speaker must be one of"),
    ([HEADER, '{"op": "tool", "name": ""}'], 2, "must be a tool name"),
    ([HEADER, '{"op": "tool", "name": "a b", "page": "r", "tokens": [1, 2, 3, 4]}'], 2,
     "must be a tool name"),
    ([HEADER, '{"op": "tool", "name": "grep", "tokens": [1, 2, 3, 4]}'], 2, "needs field 'page'"),
    ([HEADER, _tool('"read_only": "yes"')], 2, "'read_only' must be a boolean"),
    ([HEADER, _tool('"resource": 7')], 2, "resource must be a string, a list of strings"),
    ([HEADER, _tool('"call_id": "a b"')], 2, "call_id must be 1-128 printable"),
    ([HEADER, _page("r1", "segment"), _tool()], 3, "page 'r1' is already defined"),
    ([HEADER, _persist('"base_version": -1')], 2, "base_version must be a non-negative integer"),
    ([HEADER, _persist('"base_version": 1.5')], 2, "base_version"),
    ([HEADER, _persist('"principal": ""')], 2, "'principal' must not be blank"),
    ([HEADER, _persist('"key": "k k"')], 2, "'key' must be one word"),
    ([HEADER, _persist('"evidence_ref": 7')], 2, "evidence_ref must be a string"),
    ([HEADER, _persist('"type": "memo"')], 2, "persist type must be one of"),
    ([HEADER, '{"op": "session_start", "session": {"id": 1}}'], 2, "'session' must be a string"),
    ([HEADER, '{"op": "session_start", "session": "a"}', '{"op": "session_start", "session": "b"}'],
     3, "session 'a' is still open"),
    ([HEADER, '{"op": "session_end"}', '{"op": "reset"}'], 3, "no session is open"),
    ([HEADER, '{"op": "' + "x" * 100_000 + '"}'], 2, "unknown op 'xxxxxxxx"),
]


@pytest.mark.parametrize(("lines", "line", "text"), BAD_TRACES)
def test_malformed_trace_names_line_and_problem(lines: list[str], line: int, text: str) -> None:
    with pytest.raises(TraceError) as info:
        parse_lines(lines, source="t.jsonl")
    assert info.value.line == line
    assert text.lower() in str(info.value).lower()
    assert str(info.value).startswith(f"t.jsonl:{line}:")
    assert len(str(info.value)) < 400  # a hostile value is quoted, not copied


def test_what_the_vm_refuses_is_a_trace_error_naming_the_line() -> None:
    lines = [HEADER, _page("x", "segment"), '{"op": "tool", "name": "t", "call_id": "c", '
             '"page": "r1", "tokens": [1, 2, 3, 4]}', '{"op": "tool", "name": "t", '
             '"call_id": "c", "page": "r2", "tokens": [1, 2, 3, 4]}']
    with pytest.raises(TraceError, match="t.jsonl:4: the VM refused it: .*call id 'c'"):
        _run(parse_lines(lines, source="t.jsonl"), "clawvm", 100)


def test_what_the_reader_accepts_at_its_limits_replays(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Extreme but valid values: the largest costs and ids, huge and negative floats, a
    version at the top of the 64-bit range, a large value: every policy, both stores."""
    big, pid = 2**31 - 1, "p" * 128
    deep: object = {"deep": 2**63 - 1}
    for _ in range(60):
        deep = [deep]
    rows = [
        {"clawvm_trace": 2, "session": "\u00e9" * 1000},
        {"op": "page", "id": pid, "type": "segment", "tokens": [big] * 4, "utility": 1e308,
         "recompute": 1e308, "scope": "project"},
        {"op": "tool", "name": "t" * 64, "args": deep, "page": "ev", "tokens": [0, big, big, big],
         "utility": -1e308, "recompute": -5, "read_only": True, "resource": ["/", ""]},
        {"op": "turn", "demands": [[pid, "full"], ["ev", "pointer"], [pid, "pointer"]] * 50},
        {"op": "tool", "name": "t" * 64, "args": deep, "page": "ev2", "tokens": [1, 1, 1, 1],
         "read_only": True},
        {"op": "write", "page": pid, "value": "v" * 200_000},
        {"op": "persist", "key": "k", "update": "set", "value": {"x": -(2**63)}, "scope": "project",
         "principal": "user", "base_version": 2**63 - 1, "evidence_ref": "nowhere", "type": "plan"},
        {"op": "persist", "key": pid, "update": "append", "value": "x" * 100_000,
         "principal": "agent"},
        {"op": "recall", "query": "q" * 10_000, "status": "backend_error"},
        {"op": "compaction", "threshold_jump": True},
        {"op": "session_end"},
        {"op": "session_start", "session": ""},
        {"op": "turn", "demands": [[pid, "full"]]},
        {"op": "session_end"},
    ]
    path = tmp_path / "edge.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for store in ("sqlite", "memory"):
        for budget in ("0", str(2**62)):
            argv = ["replay", str(path), "--store", store, "--budget", budget, "--trace-out",
                    str(tmp_path / "d.jsonl")]
            assert cli.main(argv) == 0, capsys.readouterr().err
            assert "policy" in capsys.readouterr().out
    assert len(list(tmp_path.glob("d.*.jsonl"))) == len(REPLAY_POLICIES)


@pytest.mark.parametrize(("lines", "line", "text"), BAD_TRACES[1:5])
def test_cli_replay_of_a_malformed_trace_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], line: int, text: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert cli.main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"bad.jsonl:{line}:" in err and text.lower() in err.lower()


def test_trace_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text("".join(generate_lines("multisession", 0)))
    assert load(path) == generate("multisession", 0)


# ---------------------------------------------------------------------- CLI


def test_cli_replay_reports_every_policy(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(generate_lines("evidence_heavy", 0)))
    fp = bands.measure(generate("evidence_heavy", 0)).fp
    assert cli.main(["replay", str(path), "--budget", str(fp), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["policy"] for r in rows] == list(REPLAY_POLICIES)
    by = {r["policy"]: r for r in rows}
    assert by["clawvm"]["total_faults"] == 0 < by["retrieval"]["total_faults"]


def test_cli_replay_writes_identical_decision_traces(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(generate_lines("plan_reset", 0)))
    outs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.trace.jsonl"
        assert cli.main(["replay", str(path), "--policy", "clawvm", "--budget", "3000",
                         "--trace-out", str(out)]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 100


def test_cli_replays_a_corpus_and_lists_each_bad_trace(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    for i, family in enumerate(sorted(FAMILIES)[:2]):
        (corpus / f"t{i}.jsonl").write_text("".join(generate_lines(family, i)))
    (corpus / "sub" / "bad.jsonl").write_text(HEADER + '\n{"op": "teleport"}\n')
    out = tmp_path / "out"
    code = cli.main(["replay", str(corpus), "--bands", "F1,FP,8k", "--policy", "clawvm",
                     "-j", "2", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"clawvm: {corpus}/sub/bad.jsonl:2: unknown op 'teleport' " \
                           "(expected one of page, turn, tool, write, recall, persist, drop, " \
                           "compaction, reset, session_start, session_end)\n"
    assert "2 traces replayed, 1 with errors" in captured.out
    summary = (out / "summary.csv").read_text().splitlines()
    assert summary[0].startswith("policy,band,traces,failures_mean,failures_median")
    assert [line.split(",")[:3] for line in summary[1:]] == [
        ["clawvm", "F1", "2"], ["clawvm", "FP", "2"], ["clawvm", "8k", "2"]]
    assert cli.main(["replay", str(corpus / "t*.jsonl"), "--bands", "FP", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["traces"] == 2


def test_cli_gates_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gates"]) == 0
    assert capsys.readouterr().out.count("PASS") == 6
    for command in ("suite", "replay", "convert", "gates"):
        with pytest.raises(SystemExit) as info:
            cli.main([command, "--help"])
        assert info.value.code == 0
        assert "usage: clawvm " + command in capsys.readouterr().out


def test_cli_suite_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["suite", "--out", str(tmp_path), "--seeds", "1", "--table-seeds", "1", "--quiet",
            "-j", "2"]
    code = cli.main(argv)
    results = json.loads((tmp_path / "results.json").read_text())
    assert all(g["passed"] for g in results["gates"])
    # on one seed a removed mechanism may break nothing: the exit status says so
    assert code == (0 if all(row["depends"] for row in results["crippled"]) else 1)
    out = capsys.readouterr().out
    for heading in ("Tier-1 gates", "Mean failures per policy and band", "Shape checks",
                    "Crippled engines"):
        assert heading in out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["summary.md", "summary.csv", "runs.csv", "results.json",
                            "failures_by_band.png", "residency_by_band.png"])


def test_cli_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["replay", "/nonexistent/trace.jsonl"]) == 2
    assert "no such file" in capsys.readouterr().err

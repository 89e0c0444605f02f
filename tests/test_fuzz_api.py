"""Fuzzing the VM's public API the way an agent loop drives it, with hostile payloads.

Random sequences of user and model messages (with proposed writes and tool calls), tool
calls, ``page_in`` calls, demands, boundaries, drops, archives and recalls, where every
payload a model shapes may be hostile: nested thousands deep, 5,000-digit integers, NaN,
lone surrogates, bytes, JSON strings of any of these. Whatever happens, only clawvm's typed
errors (``ClawVMError``) may escape, and the session must still end with nothing left
pending: the journal never jams.
"""

from __future__ import annotations

import json
import tempfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawvm import VM
from clawvm import pages as P
from clawvm.errors import ClawVMError


def _nest(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"page_id": value}
    return value


def _json(value: Any) -> Any:
    try:
        return json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return value


LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.builds(pow, st.just(10), st.just(5000)),  # 5,001 digits: over the str() limit
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["\udc80", "x" * 5000, "agents", "plan", "ev-1", "full", "pointer"]),
    st.binary(max_size=8),
)
VALUE = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["page_id", "rep", "path", "value"]), inner, max_size=3),
    ),
    max_leaves=12,
)
PAYLOAD = st.one_of(VALUE, st.builds(_nest, st.integers(90, 3000)), st.builds(_json, VALUE))
IDS = st.sampled_from(["agents", "plan", "seg-1", "seg-2", "ev-1", "ev-2", "ref-1", "nope"])
TOOLS = st.sampled_from(["grep", "write_file", "read_file", "page_in"])
CALL_IDS = st.sampled_from(["c1", "c2", "c3"])
WRITE = st.fixed_dictionaries(
    {"key": st.one_of(IDS, PAYLOAD), "op": st.sampled_from(["set", "merge", "append"]),
     "value": PAYLOAD},
    optional={"ptype": st.sampled_from(["fact", "plan", "evidence", "segment"])},
)
STEP = st.one_of(
    st.tuples(st.just("user"), st.text(max_size=20)),
    st.tuples(st.just("model"), st.text(max_size=20), st.lists(WRITE, max_size=2),
              st.lists(st.tuples(CALL_IDS, TOOLS, PAYLOAD), max_size=2)),
    st.tuples(st.just("tool"), TOOLS, PAYLOAD, PAYLOAD, st.one_of(st.none(), CALL_IDS)),
    st.tuples(st.just("assemble"),
              st.lists(st.one_of(IDS, st.tuples(IDS, st.sampled_from(["full", "pointer", 2]))),
                       max_size=3)),
    st.tuples(st.just("page_in"), PAYLOAD),
    st.tuples(st.sampled_from(["compaction", "reset", "restart"])),
    st.tuples(st.sampled_from(["drop", "archive", "recall"]), IDS),
)


def _step(vm: VM, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "user":
        vm.post_user(step[1])
    elif kind == "model":
        calls = [{"id": c, "type": "function", "function": {"name": n, "arguments": _json(a)}}
                 for c, n, a in step[3]]
        vm.post_model(step[1], step[2], tool_calls=calls)
    elif kind == "tool":
        result = step[3]
        vm.tool_execute(step[1], step[2], None if step[1] == "page_in" else (lambda: result),
                        call_id=step[4])
    elif kind == "assemble":
        prompt = vm.assemble(step[1])
        prompt.openai(), prompt.anthropic(), prompt.responses(), prompt.anthropic_system(cache=True)
    elif kind == "page_in":
        vm.page_in(step[1])
    elif kind == "restart":
        vm.session_end()
        vm.session_start("s1")
    elif kind in ("compaction", "reset"):
        getattr(vm, kind)()
    else:
        getattr(vm, kind)(step[1])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(STEP, max_size=30), st.integers(300, 5000), st.booleans(), st.booleans())
def test_agent_loop_with_hostile_payloads(
    steps: list[tuple[Any, ...]], budget: int, durable: bool, retire: bool
) -> None:
    """``durable``: on a SQLite file (a fresh one per example) instead of in memory;
    ``retire``: pages retire, and a restart archives the conversation unread."""
    with tempfile.TemporaryDirectory() as tmp:
        store = f"sqlite:///{tmp}/fuzz.db" if durable else "memory://"
        vm = VM(budget, system_prompt="You are a coding agent.", store=store,
                retire_after=1 if retire else None)
        try:
            _loop(vm, steps)
        finally:
            vm.close()


def _loop(vm: VM, steps: list[tuple[Any, ...]]) -> None:
    vm.tools.declare("read_file", read_only=True, resource="path")
    vm.session_start("s1")
    vm.add_page(P.bootstrap("agents", "- Always run the tests."))
    vm.add_page(P.plan("plan", "ship", ["reproduce", "fix"]))
    for step in steps:
        try:
            _step(vm, step)
        except ClawVMError:
            pass  # typed: the harness can tell what was wrong
    vm.session_end()
    assert not vm._table.wb.pending
    vm.session_start("s1")  # the store resumes what was committed
    vm.session_end()

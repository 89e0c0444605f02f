"""Conversation-native prompts, tool mediation and model-driven paging (docs/rendering.md).

Every rendered prompt here is also checked against the chat APIs' own rules
(``tests/api_rules.py``), so a test that builds a prompt also proves it would be accepted.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawvm import VM, paging_tool
from clawvm import pages as P
from clawvm._render import CONTINUES, MESSAGE_TOKENS
from clawvm._schema import Outcome, Pin, Rep, round_up
from clawvm.errors import InvalidInputError, InvalidTypeError, SessionError
from clawvm.reps import parse_pointer
from clawvm.tools import signature
from clawvm.trace import DecisionTrace

SYS = "You are a careful coding agent."


def convo(budget: int = 10**6, policy: str = "clawvm", **kw: Any) -> VM:
    vm = VM(budget, policy=policy, system_prompt=SYS, trace=DecisionTrace(), **kw)
    vm.tools.declare("read_file", read_only=True, resource="path")
    vm.tools.declare("grep", read_only=True, resource="path")
    vm.tools.declare("write_file", resource="path")
    vm.session_start("s")
    return vm


def wire(cid: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """A tool call as an OpenAI-style SDK returns it (dict form)."""
    return {
        "id": cid,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }


def step(vm: VM, text: str, *calls: tuple[str, str, dict[str, Any], Any]) -> list[Any]:
    """One model reply: text and calls, then each call executed under its id."""
    vm.post_model(text, tool_calls=[wire(c, n, a) for c, n, a, _ in calls])
    return [vm.tool_execute(n, json.dumps(a), lambda r=r: r, call_id=c) for c, n, a, r in calls]


def accepted(api_rules: Any, a: Any) -> None:
    assert api_rules.openai_problems(a.openai()) == []
    assert (
        api_rules.anthropic_problems(a.anthropic_system(cache=True), a.anthropic(cache=True)) == []
    )
    assert api_rules.anthropic_problems(a.system or None, a.anthropic()) == []


def full(vm: VM, *pids: str) -> int:
    return sum(vm.page(p).tokens[Rep.FULL - 1] for p in pids)


def pointer(vm: VM, pid: str) -> int:
    return vm.page(pid).tokens[Rep.POINTER - 1]


def snapshot(vm: VM) -> tuple[Any, ...]:
    t = vm._table
    n = t.engine.n_slots
    return (
        vm.trace.to_bytes(),
        t.engine.counters.tolist(),
        t.engine.selection[:n].tolist(),
        sorted((p.id, repr(p.content), p.version) for p in vm.pages()),
        list(t.wb.pending),
        vm.turn,
    )


# ---------------------------------------------------------------- structure
def test_conversation_keeps_roles_and_native_tool_pairs(api_rules: Any) -> None:
    vm = convo()
    vm.post_user("Fix the bug in src/a.py")
    step(
        vm,
        "Let me look.",
        ("call_1", "read_file", {"path": "src/a.py"}, "def f():\n    return 1"),
        ("call_2", "grep", {"path": "src/", "q": "f("}, "src/a.py:1: def f():"),
    )
    vm.post_user("And the tests?")
    vm.post_model("f returns 1; the tests expect 2.")
    a = vm.assemble()
    calls = [
        {"id": "call_1", "type": "function"},
        {"id": "call_2", "type": "function"},
    ]
    calls[0]["function"] = {"name": "read_file", "arguments": '{"path": "src/a.py"}'}
    calls[1]["function"] = {"name": "grep", "arguments": '{"path": "src/", "q": "f("}'}
    assert a.openai() == [
        {"role": "system", "content": SYS},
        {"role": "user", "content": "Fix the bug in src/a.py"},
        {"role": "assistant", "content": "Let me look.", "tool_calls": calls},
        {"role": "tool", "tool_call_id": "call_1", "content": "def f():\n    return 1"},
        {"role": "tool", "tool_call_id": "call_2", "content": "src/a.py:1: def f():"},
        {"role": "user", "content": "And the tests?"},
        {"role": "assistant", "content": "f returns 1; the tests expect 2."},
    ]
    uses = [
        {"type": "tool_use", "id": "call_1", "name": "read_file", "input": {"path": "src/a.py"}},
        {"type": "tool_use", "id": "call_2", "name": "grep", "input": {"path": "src/", "q": "f("}},
    ]
    results = [
        {"type": "tool_result", "tool_use_id": "call_1", "content": "def f():\n    return 1"},
        {"type": "tool_result", "tool_use_id": "call_2", "content": "src/a.py:1: def f():"},
    ]
    assert a.anthropic() == [
        {"role": "user", "content": [{"type": "text", "text": "Fix the bug in src/a.py"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Let me look."}, *uses]},
        {"role": "user", "content": [*results, {"type": "text", "text": "And the tests?"}]},
        {
            "role": "assistant",
            "content": [{"type": "text", "text": "f returns 1; the tests expect 2."}],
        },
    ]
    assert a.system == SYS and a.anthropic_system() == [{"type": "text", "text": SYS}]
    assert a.responses() == [
        {"role": "system", "content": SYS},
        {"role": "user", "content": "Fix the bug in src/a.py"},
        {"role": "assistant", "content": "Let me look."},
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "read_file",
            "arguments": '{"path": "src/a.py"}',
        },
        {
            "type": "function_call",
            "call_id": "call_2",
            "name": "grep",
            "arguments": '{"path": "src/", "q": "f("}',
        },
        {"type": "function_call_output", "call_id": "call_1", "output": "def f():\n    return 1"},
        {"type": "function_call_output", "call_id": "call_2", "output": "src/a.py:1: def f():"},
        {"role": "user", "content": "And the tests?"},
        {"role": "assistant", "content": "f returns 1; the tests expect 2."},
    ]
    accepted(api_rules, a)


def test_sdk_objects_pass_straight_through() -> None:
    """Calls as SDK objects (attributes, not dicts): OpenAI, Anthropic and Responses shapes."""

    class Obj:
        def __init__(self, **kw: Any) -> None:
            self.__dict__.update(kw)

    vm = convo()
    vm.post_user("go")
    openai_call = Obj(
        id="call_o", type="function", function=Obj(name="grep", arguments='{"path": "a"}')
    )
    anthropic_call = Obj(type="tool_use", id="toolu_1", name="grep", input={"path": "b"})
    responses_call = Obj(
        type="function_call", id="fc_9", call_id="call_r", name="grep", arguments="{}"
    )
    vm.post_model("", tool_calls=[openai_call, anthropic_call, responses_call])
    for cid in ("call_o", "toolu_1", "call_r"):
        vm.tool_execute("grep", vm._table.stream.declared(cid).args, lambda: "hit", call_id=cid)
    [msg] = [m for m in vm.assemble().openai() if m["role"] == "assistant"]
    assert [c["id"] for c in msg["tool_calls"]] == ["call_o", "toolu_1", "call_r"]
    assert "content" not in msg  # no text: only the calls


def test_rules_are_system_text_and_model_text_never_is(api_rules: Any) -> None:
    vm = convo()
    vm.add_page(P.bootstrap("agents", "- Always run the tests."))
    vm.add_page(P.constraint("py310", "Code must run on Python 3.10."))
    vm.add_page(P.plan("plan", "fix it", ["read", "patch"]))
    vm.add_page(P.preference("pref", "style", "black"))
    vm.post_user("go")
    [d] = vm.post_model(
        "I will read first.", [{"key": "plan", "op": "merge", "value": {"step": 1}}]
    )
    assert d.accepted  # the model moved its plan on: the plan is model-written text
    a = vm.assemble()
    system, stable, user, said = a.openai()
    assert system["role"] == "system"
    assert system["content"].index("[page:agents]") < system["content"].index("[page:py310]")
    assert "plan" not in system["content"] and "I will read" not in system["content"]
    assert stable["role"] == "user" and stable["content"].startswith("[page:plan]\ngoal: fix it")
    assert "[>] 2. patch" in stable["content"] and "[page:pref]" in stable["content"]
    assert user == {"role": "user", "content": "go"}
    assert said == {"role": "assistant", "content": "I will read first."}
    accepted(api_rules, a)


def test_degraded_results_keep_their_call_and_say_so(api_rules: Any) -> None:
    vm = convo(budget=700)
    vm.post_user("read everything")
    body = "\n".join(f"line {i}: some text that is long enough to cost tokens" for i in range(80))
    for i in range(6):
        step(vm, "", (f"call_{i}", "read_file", {"path": f"src/m{i}.py"}, body))
    a = vm.assemble()
    reps = a.selection
    degraded = [pid for pid, rep in reps.items() if pid.startswith("ev-") and rep < Rep.FULL]
    assert degraded, reps  # the budget forces some results down
    tool = {m["tool_call_id"]: m["content"] for m in a.openai() if m["role"] == "tool"}
    assert len(tool) == sum(pid.startswith("ev-") for pid in reps)  # one result per call kept
    for pid in degraded:
        cid = vm.page(pid).provenance["call_id"]
        text = tool[cid]
        assert parse_pointer(text) == pid  # it names the page, so the model can page it in
        if reps[pid] > Rep.POINTER:
            assert text.split("\n")[0].endswith("degraded; page_in for full]")
    accepted(api_rules, a)


def test_eviction_drops_call_and_result_together(api_rules: Any) -> None:
    def scene(budget: int) -> VM:
        vm = convo(budget=budget, policy="retrieval")  # no pointers: evicted pages vanish
        vm.post_user("start")
        step(vm, "", ("call_old", "read_file", {"path": "old.py"}, "x = 1\n" * 120))
        vm.post_user("now the other file")
        step(vm, "Reading.", ("call_new", "read_file", {"path": "new.py"}, "y = 2"))
        return vm

    keep = ["seg-1", "seg-2", "seg-3", "ev-2"]
    probe = scene(10**6)
    vm = scene(probe.fixed_tokens + full(probe, *keep) + pointer(probe, "ev-1") - 1)
    a = vm.assemble(keep)
    assert "ev-1" not in a.selection and a.unmet == ()
    text = json.dumps(a.openai()) + json.dumps(a.anthropic())
    assert "call_old" not in text  # neither the call nor its result
    roles = [m["role"] for m in a.openai()]
    assert roles == ["system", "user", "user", "assistant", "tool"]  # the emptied turn is gone
    accepted(api_rules, a)


def test_anthropic_alternates_merges_and_opens_with_a_user_message(api_rules: Any) -> None:
    vm = VM(10**6)
    vm.session_start("s")
    assert vm.assemble().anthropic() == [
        {"role": "user", "content": [{"type": "text", "text": CONTINUES}]}
    ]
    assert vm.assemble().openai() == [{"role": "user", "content": CONTINUES}]  # never empty
    vm.post_model("Hello, how can I help?")
    vm.post_user("one")
    vm.post_user("two")
    a = vm.assemble()
    msgs = a.anthropic()
    assert msgs[0]["content"] == [{"type": "text", "text": CONTINUES}]
    assert [m["role"] for m in msgs] == ["user", "assistant", "user"]
    assert [b["text"] for b in msgs[2]["content"]] == ["one", "two"]
    accepted(api_rules, a)


def test_every_rendering_is_fresh(api_rules: Any) -> None:
    vm = convo()
    vm.add_page(P.plan("plan", "fix it", ["read"]))
    vm.post_user("go")
    step(vm, "ok", ("call_1", "read_file", {"path": "a.py", "opts": {"n": [1, 2]}}, "body"))
    a = vm.assemble()
    first = a.anthropic(cache=True)
    pristine = json.dumps(first)
    for m in first:  # a harness that decorates its request
        for b in m["content"]:
            b["cache_control"] = {"type": "ephemeral", "ttl": "1h"}
            if b["type"] == "tool_use":
                b["input"]["opts"]["n"].append(3)
    first.append({"role": "user", "content": "extra"})
    oa = a.openai()
    [said] = [m for m in oa if m["role"] == "assistant"]
    said["tool_calls"][0]["function"]["arguments"] = "{}"
    oa[0]["content"] = "hacked"
    assert json.dumps(a.anthropic(cache=True)) == pristine
    later = vm.assemble()
    assert "ttl" not in json.dumps(later.anthropic()) and "hacked" not in json.dumps(later.openai())
    [said] = [m for m in later.openai() if m["role"] == "assistant"]
    assert said["tool_calls"][0]["function"]["arguments"].startswith('{"path"')
    assert vm.page("ev-1").content["args"]["opts"] == {"n": [1, 2]}
    accepted(api_rules, later)


def test_cache_breakpoints_sit_on_the_stable_region_and_the_tail(api_rules: Any) -> None:
    vm = convo()
    vm.add_page(P.bootstrap("agents", "- rule"))
    vm.add_page(P.plan("plan", "goal", ["a"]))
    vm.post_user("go")
    a = vm.assemble()
    system, msgs = a.anthropic_system(cache=True), a.anthropic(cache=True)
    marked = [b for b in system if "cache_control" in b]
    marked += [b for m in msgs for b in m["content"] if "cache_control" in b]
    assert marked == [system[-1], msgs[0]["content"][0], msgs[-1]["content"][-1]]
    assert msgs[0]["content"][0]["text"].startswith("[page:plan]")  # end of the stable region
    assert msgs[-1]["content"][-1]["text"] == "go"  # and the tail
    assert not [b for m in a.anthropic() for b in m["content"] if "cache_control" in b]
    accepted(api_rules, a)


# ---------------------------------------------------------------- texts and costs
def prepared(vm: VM, pid: str) -> dict[Rep, tuple[Any, ...]]:
    """The item a page renders as at each rep on its path (made now where it was lazy)."""
    t = vm._table
    slot = t.slot[pid]
    return {r: t.render.item(slot, r) for r in vm.page(pid).path}


def test_full_reads_as_sent_and_lower_reps_name_the_page() -> None:
    vm = convo()
    text = "Please rename every helper in the parser module. " * 12
    pid = vm.post_user(text)
    reps = prepared(vm, pid)
    assert reps[Rep.FULL][2] == text
    for rep in (Rep.COMPRESSED, Rep.STRUCTURED):
        head = reps[rep][2].split("\n")[0]
        assert head == f"[page:{pid} {rep.name.lower()} · degraded; page_in for full]"
    assert parse_pointer(reps[Rep.POINTER][2]) == pid
    doc = vm.add_page(P.evidence("doc-1", "a document", tool="read"))
    assert prepared(vm, doc.id)[Rep.FULL][2].startswith("[page:doc-1]\n")  # context names itself


def test_costs_cover_the_call_as_sent_at_each_rep() -> None:
    vm = convo()
    content = "\n".join(f"print({i})" for i in range(3000))
    [r] = step(
        vm, "", ("call_w", "write_file", {"path": "big.py", "content": content}, "wrote 3000 lines")
    )
    page = vm.page(r.page_id)
    reps = prepared(vm, r.page_id)
    full_args = reps[Rep.FULL][3][2]
    assert full_args == json.dumps({"path": "big.py", "content": content})  # verbatim
    assert page.tokens[Rep.FULL - 1] >= vm.tokenizer.count(full_args)
    for rep in (Rep.STRUCTURED, Rep.POINTER):
        args = json.loads(reps[rep][3][2])
        assert args["path"] == "big.py" and "more chars; page_in for all]" in args["content"]
        assert reps[rep][3][3] == args  # the Anthropic input says the same
    assert page.tokens[Rep.POINTER - 1] < 80 < page.tokens[Rep.FULL - 1] / 10


# ---------------------------------------------------------------- mediation
def test_undeclared_and_side_effecting_calls_run_every_time() -> None:
    vm = convo()
    runs: list[str] = []
    for i in range(3):
        vm.tool_execute(
            "bash", {"cmd": "pytest"}, lambda: runs.append("bash") or "1 failed", call_id=f"b{i}"
        )
        vm.tool_execute(
            "write_file",
            {"path": "a.py", "content": "x "},
            lambda: runs.append("w") or "ok",
            call_id=f"w{i}",
        )
        vm.assemble()
    assert runs == ["bash", "w"] * 3
    assert vm.faults().alerts == 0 and vm.faults().total_faults == 0


def test_read_only_repeat_is_served_and_answers_its_own_call(api_rules: Any) -> None:
    vm = convo()
    vm.post_user("go")
    [first] = step(vm, "", ("call_1", "read_file", {"path": "a.py", "n": 1}, "A"))
    vm.assemble()
    vm.post_model("", tool_calls=[wire("call_2", "read_file", {"n": 1, "path": "a.py"})])

    def boom() -> str:
        raise AssertionError("must not run")

    again = vm.tool_execute("read_file", '{ "n" : 1 , "path": " a.py "}', boom, call_id="call_2")
    assert again.duplicate and again.page_id == first.page_id and again.value == "A"
    assert again.call_id == "call_2"
    assert vm.faults().alerts == 1 and vm.faults().total_faults == 0
    a = vm.assemble()
    tool = {m["tool_call_id"]: m["content"] for m in a.openai() if m["role"] == "tool"}
    assert tool["call_1"] == "A" and f"page {first.page_id}" in tool["call_2"]
    accepted(api_rules, a)


def test_a_read_after_a_write_runs_again() -> None:
    vm = convo()
    body = {"a.py": "old", "b.py": "B"}

    def read(path: str) -> Any:
        return lambda: body[path]

    r1 = vm.tool_execute("read_file", {"path": "a.py"}, read("a.py"))
    rb = vm.tool_execute("read_file", {"path": "b.py"}, read("b.py"))
    body["a.py"] = "new"
    vm.tool_execute("write_file", {"path": "./a.py", "content": "new"}, lambda: "ok")
    r2 = vm.tool_execute("read_file", {"path": "a.py"}, read("a.py"))
    assert not r2.duplicate and r2.value == "new" and r2.page_id != r1.page_id
    assert vm.page(r1.page_id).content["result"] == "old"  # history stays as it was
    assert vm.tool_execute("read_file", {"path": "b.py"}, read("b.py")).duplicate  # not touched
    vm.tool_execute("bash", {"cmd": "git checkout ."}, lambda: "")  # undeclared: touches all
    assert not vm.tool_execute("read_file", {"path": "b.py"}, read("b.py")).duplicate
    vm.tool_execute("write_file", {"path": "src"}, lambda: "ok")  # a directory: reads under it
    vm.tool_execute("grep", {"path": "src/x"}, lambda: "1")
    vm.tool_execute("write_file", {"path": "src/x/y.py"}, lambda: "ok")
    assert not vm.tool_execute("grep", {"path": "src/x"}, lambda: "2").duplicate
    assert vm.faults().alerts == 1 and vm.faults().total_faults == 0
    assert rb.page_id != r2.page_id


def test_idempotent_tools_are_served_until_something_changes() -> None:
    vm = convo()
    vm.tools.declare("put", idempotent=True, resource=lambda a: a["key"])
    runs: list[int] = []
    put = {"key": "k", "value": 1}
    vm.tool_execute("put", put, lambda: runs.append(1) or "ok")
    assert vm.tool_execute("put", put, lambda: runs.append(1) or "ok").duplicate
    vm.tool_execute("put", {"key": "k", "value": 2}, lambda: runs.append(2) or "ok")
    assert not vm.tool_execute("put", put, lambda: runs.append(1) or "ok").duplicate
    assert runs == [1, 2, 1]


def test_json_argument_strings_hash_as_their_value() -> None:
    assert signature("t", '{"b": 1, "a": [1, 2]}') == signature("t", {"a": [1, 2], "b": 1})
    assert signature("t", '{"b": 1') == signature("t", '{"b": 1')  # invalid JSON: the text
    assert signature("t", '{"b": 1') != signature("t", {"b": 1})
    assert signature("t", "ls -la") == signature("t", " ls  -la")


# ---------------------------------------------------------------- paging
def test_paging_tool_round_trip(api_rules: Any) -> None:
    big = "\n".join(f"row {i}: value {i * 7}" for i in range(60))
    small = "\n".join(f"import mod{j}" for j in range(40))

    def scene(budget: int) -> VM:
        vm = convo(budget=budget, tool_schemas=[paging_tool("openai")])
        vm.post_user("read the big file, then the small ones")
        step(vm, "", ("call_big", "read_file", {"path": "big.csv"}, big))
        for i in range(4):
            step(vm, "", (f"call_{i}", "read_file", {"path": f"s{i}.py"}, small))
        return vm

    probe = scene(10**6)
    others = [p.id for p in probe.pages() if p.id != "ev-1"]
    vm = scene(probe.fixed_tokens + full(probe, *others) + pointer(probe, "ev-1") + 1)
    a = vm.assemble(others)
    tool = {m["tool_call_id"]: m["content"] for m in a.openai() if m["role"] == "tool"}
    assert a.selection["ev-1"] == Rep.POINTER and parse_pointer(tool["call_big"]) == "ev-1"
    before = vm.faults()
    # the model reads the pointer and calls the tool
    vm.post_model("", tool_calls=[wire("call_p", "page_in", {"page_id": "ev-1"})])
    r = vm.tool_execute("page_in", '{"page_id": "ev-1"}', call_id="call_p")
    assert r.page_id == "ev-1" and "back at full" in r.value and r.call_id == "call_p"
    after = vm.faults()
    assert after.page_ins == before.page_ins + 1 and after.total_faults == 0
    b = vm.assemble()
    assert b.selection["ev-1"] == Rep.FULL and b.unmet == ()
    msgs = b.openai()
    tool = {m["tool_call_id"]: m["content"] for m in msgs if m["role"] == "tool"}
    assert tool["call_big"] == big  # back at full, in its own place
    ids = [m.get("tool_call_id") for m in msgs]
    assert ids.index("call_big") < ids.index("call_p")
    assert "back at full" in tool["call_p"]
    assert vm.faults().total_faults == 0
    page_ins = [e for e in vm.trace if e["event"] == "page_in" and e.get("call") == "call_p"]
    assert [e["outcome"] for e in page_ins] == ["page_in"]
    accepted(api_rules, b)


def test_paging_tool_definitions() -> None:
    oa, an, rs = paging_tool("openai"), paging_tool("anthropic"), paging_tool("responses")
    assert oa["type"] == "function" and oa["function"]["name"] == "page_in"
    assert oa["function"]["parameters"]["required"] == ["page_id"]
    assert an["name"] == "page_in" and an["input_schema"] == oa["function"]["parameters"]
    assert rs["name"] == "page_in" and rs["parameters"] == oa["function"]["parameters"]
    oa["function"]["parameters"]["required"].append("x")
    assert paging_tool("openai")["function"]["parameters"]["required"] == ["page_id"]  # fresh
    assert convo().paging_tool("anthropic") == an
    with pytest.raises(InvalidInputError):
        paging_tool("gemini")  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "arguments, problem",
    [
        ("{not json", "is not a page id"),
        ("{}", "expected"),
        ('{"page_id": 7}', "expected"),
        ('{"page_id": "nope"}', "no page"),
        ('{"page_id": "ev-1", "rep": "huge"}', "rep must be"),
        ('{"page_id": "a b"}', "not a page id"),
        (json.dumps({"page_id": "ev-1", "pad": "x" * 5000}), "longer than"),
    ],
)
def test_page_in_problems_are_told_to_the_model(
    api_rules: Any, arguments: str, problem: str
) -> None:
    vm = convo()
    vm.post_user("go")
    step(vm, "", ("call_1", "read_file", {"path": "a.py"}, "A"))
    vm.assemble()
    counters = vm.engine.counters.tolist()
    vm.post_model(
        "",
        tool_calls=[
            {
                "id": "call_p",
                "type": "function",
                "function": {"name": "page_in", "arguments": arguments},
            }
        ],
    )
    r = vm.page_in(arguments, call_id="call_p")
    assert r.page_id == "" and r.value.startswith("page_in failed") and problem in r.value
    assert vm.engine.counters.tolist() == counters
    a = vm.assemble()
    tool = {m["tool_call_id"]: m["content"] for m in a.openai() if m["role"] == "tool"}
    assert tool["call_p"] == r.value
    assert any(e["event"] == "page_in" and e.get("status") == "rejected" for e in vm.trace)
    accepted(api_rules, a)


def test_page_in_accepts_a_pointer_and_respects_read_scopes() -> None:
    vm = convo()
    vm.post_user("secret session note")
    vm.assemble()
    denied = vm.page_in({"page_id": "seg-1"}, principal="subagent:helper")
    assert denied.page_id == "" and "denied" in denied.value
    ok = vm.page_in({"page_id": "[page:seg-1 segment · user]", "rep": "structured"})
    assert ok.page_id == "seg-1" and "structured" in ok.value


def evicted(budget: int) -> VM:
    """A long user message, then a tool result; demanding the message leaves no room."""
    vm = convo(budget=budget, policy="retrieval")
    vm.post_user("Here is the whole log, please read it:\n" + "log line with words\n" * 80)
    step(vm, "", ("call_1", "read_file", {"path": "a.py"}, "result line\n" * 60))
    return vm


def evicting_budget() -> int:
    probe = evicted(10**6)
    return probe.fixed_tokens + full(probe, "seg-1") + pointer(probe, "ev-1") - 1


def test_paging_in_an_evicted_page_is_an_honest_refetch() -> None:
    vm = evicted(evicting_budget())
    vm.assemble(["seg-1"])
    assert vm.engine.selection[vm._table.slot["ev-1"]] == Rep.NONE
    vm.page_in({"page_id": "ev-1"})
    assert vm.faults().faults["refetch"] == 1  # it was not in the prompt the model saw


# ---------------------------------------------------------------- hostile and bad input
@pytest.mark.parametrize(
    "call, error",
    [
        (dict(name="read_file", call_id="x" * 129), InvalidInputError),
        (dict(name="read_file", call_id="has space"), InvalidInputError),
        (dict(name="read_file", call_id=7), InvalidTypeError),
        (dict(name="read_file", call_id="call_1"), InvalidInputError),  # already answered
        (dict(name="bad name!", call_id="c9"), InvalidInputError),
        (dict(name="", call_id="c9"), InvalidInputError),
    ],
)
def test_bad_calls_raise_and_change_nothing(call: dict[str, Any], error: type) -> None:
    vm = convo()
    step(vm, "", ("call_1", "read_file", {"path": "a.py"}, "A"))
    vm.assemble()
    before = snapshot(vm)
    runs: list[int] = []
    with pytest.raises(error):
        vm.tool_execute(
            call["name"], {"path": "b"}, lambda: runs.append(1) or "x", call_id=call["call_id"]
        )
    assert runs == [] and snapshot(vm) == before


def test_oversized_arguments_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    import clawvm.tools

    monkeypatch.setattr(clawvm.tools, "MAX_ARGS_CHARS", 100)
    vm = convo()
    with pytest.raises(InvalidInputError) as e:
        vm.tool_execute("read_file", json.dumps({"path": "x" * 200}), lambda: "x")
    assert e.value.field == "args"


def test_malformed_model_calls_record_nothing() -> None:
    vm = convo()
    before = snapshot(vm)
    for bad in ([{"id": "c1", "function": {"arguments": "{}"}}], [{"name": "grep", "input": {}}]):
        with pytest.raises(InvalidInputError):
            vm.post_model("text", tool_calls=bad)
    with pytest.raises(InvalidInputError):
        vm.post_model("text", tool_calls=[wire("dup", "grep", {}), wire("dup", "grep", {})])
    with pytest.raises(InvalidTypeError):
        vm.post_model("text", tool_calls=wire("c1", "grep", {}))  # type: ignore[arg-type]
    assert snapshot(vm) == before and len(vm) == 0


def test_unanswered_calls_are_never_sent_and_odd_ids_are_rewritten(api_rules: Any) -> None:
    vm = convo()
    vm.post_user("go")
    vm.post_model(
        "",
        tool_calls=[
            wire("functions.grep:0", "grep", {}),
            wire("call_never", "grep", {"path": "x"}),
        ],
    )
    vm.tool_execute("grep", "{}", lambda: "hit", call_id="functions.grep:0")
    a = vm.assemble()
    text = json.dumps(a.openai())
    assert "call_never" not in text and "functions.grep:0" not in text
    [said] = [m for m in a.openai() if m["role"] == "assistant"]
    [tool] = [m for m in a.openai() if m["role"] == "tool"]
    sent = said["tool_calls"][0]["id"]
    assert sent.startswith("functions_grep_0_") and tool["tool_call_id"] == sent
    accepted(api_rules, a)


def test_post_user_checks_its_text() -> None:
    vm = VM(1000)
    with pytest.raises(SessionError):
        vm.post_user("hi")
    vm.session_start("s")
    with pytest.raises(InvalidInputError):
        vm.post_user("   ")
    with pytest.raises(InvalidTypeError):
        vm.post_user(b"hi")  # type: ignore[arg-type]
    assert vm.page(vm.post_user("hi")).content["speaker"] == "user"


def test_a_rerun_answers_the_new_call(api_rules: Any) -> None:
    vm = evicted(evicting_budget())
    vm.assemble(["seg-1"])
    assert vm.engine.selection[vm._table.slot["ev-1"]] == Rep.NONE  # evicted, no pointer
    vm.post_user("read it again")
    [r] = step(vm, "", ("call_2", "read_file", {"path": "a.py"}, "result line\n" * 60))
    assert r.page_id == "ev-1" and vm.faults().faults["duplicate_tool"] == 1
    a = vm.assemble(["ev-1"])
    assert a.selection["ev-1"] == Rep.FULL
    text = json.dumps(a.openai())
    assert "call_1" not in text and '"call_2"' in text
    accepted(api_rules, a)


# ---------------------------------------------------------------- determinism and twins
def scripted() -> tuple[VM, list[str]]:
    vm = convo(budget=900)
    vm.add_page(P.bootstrap("agents", "- Always run tests.\n- Never push."))
    vm.add_page(P.plan("plan", "ship", ["a", "b"]))
    out = []
    for t in range(25):
        vm.post_user(f"turn {t}: continue")
        step(
            vm,
            f"on it {t}",
            (f"c{t}", "read_file", {"path": f"m{t % 7}.py"}, f"body {t}\n" * (t % 9 + 1)),
        )
        if t % 6 == 5:
            vm.tool_execute("write_file", {"path": f"m{t % 7}.py"}, lambda: "ok", call_id=f"w{t}")
        if t == 12:
            vm.compaction()
        a = vm.assemble()
        out.append(
            json.dumps([a.openai(), a.anthropic(cache=True), a.anthropic_system(), a.responses()])
        )
    return vm, out


def test_rendering_and_trace_are_deterministic() -> None:
    vm1, out1 = scripted()
    vm2, out2 = scripted()
    assert out1 == out2 and vm1.trace.to_bytes() == vm2.trace.to_bytes()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_native_renderer_matches_the_reference(seed: int, cache: bool) -> None:
    from clawvm import _render_py

    native = pytest.importorskip("clawvm._render_core")
    vm, _ = scripted()
    t = vm._table
    rng = np.random.default_rng(seed)
    r = t.render
    live = r.order()
    sel = np.zeros(max(t.engine.n_slots, len(r.turn)), dtype=np.uint8)
    for s in live.tolist():  # any rep on the page's path, or none
        reps = [rep for rep in range(1, 5) if r.items[s * 5 + rep] is not None]
        sel[s] = rng.choice([0, *reps])
    n_prev = int(rng.integers(0, len(live) + 1))
    prev = r.code[live[:n_prev] * 5 + sel[live[:n_prev]]].astype(np.int64)
    prev[rng.random(n_prev) < 0.05] += 1  # an occasional difference
    prev_turns = r.turn[live[:n_prev]].copy()
    args = (live, sel, r.code, r.tok, r.rtok, r.turn, r.items, prev, prev_turns, r.make)
    py, cy = _render_py.turn_items(*args), native.turn_items(*args)
    assert py[0] == cy[0] and py[1] == cy[1]
    assert py[2].tolist() == cy[2].tolist() and py[3].tolist() == cy[3].tolist()
    items = py[0]
    for fn, fargs in (
        ("openai_messages", ("sys", items)),
        ("responses_items", ("sys", items)),
        ("anthropic_messages", (items, cache)),
        ("anthropic_system", ("sys", items, cache)),
        ("system_text", ("", items)),
    ):
        assert json.dumps(getattr(_render_py, fn)(*fargs)) == json.dumps(
            getattr(native, fn)(*fargs)
        )


_DEMAND = st.one_of(
    st.sampled_from(["a", "b", "missing"]),
    st.tuples(
        st.sampled_from(["a", "b", "missing"]),
        st.sampled_from([1, 2, 4, 0, 9, True, 4.0, "full", "FULL", "huge", Rep.POINTER, None]),
    ),
    st.sampled_from([42, ("a",), ("a", 1, 2), ("a", [4])]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_DEMAND, max_size=6), st.booleans())
def test_native_demand_parse_matches_the_reference(demands: list[Any], as_tuple: bool) -> None:
    """The fast demand parse agrees with its twin, and where it gives up (None) the
    checked parse decides: the same slots and reps, or the same typed error."""
    from clawvm import _render_py
    from clawvm._checks import DEMAND_REPS

    native = pytest.importorskip("clawvm._render_core")
    slot_of = {"a": 3, "b": 7}
    seq = tuple(demands) if as_tuple else demands
    py, cy = (k.demand_arrays(seq, slot_of, DEMAND_REPS) for k in (_render_py, native))
    assert (py is None) == (cy is None)
    if py is not None and cy is not None:
        assert py[0].tolist() == cy[0].tolist() and py[1].tolist() == cy[1].tolist()
    vm = VM(10_000)
    vm.session_start("s")
    vm.add_page(P.evidence("a", "x\n" * 5, tool="t"))
    vm.add_page(P.evidence("b", "y\n" * 5, tool="t"))
    checked: Any
    try:  # a generator never takes the fast path
        checked = [a.tolist() for a in vm._turns.parse(d for d in demands)]
    except (InvalidInputError, InvalidTypeError, LookupError) as e:
        checked = type(e)
    try:
        fast = [a.tolist() for a in vm._turns.parse(seq)]
    except (InvalidInputError, InvalidTypeError, LookupError) as e:
        fast = type(e)
    assert fast == checked


def _sent_tokens(vm: VM, messages: list[Any]) -> int:
    """A Chat Completions request as a provider counts it: each message's text and each
    call's name and arguments, plus the frame around every message and call, plus the
    reply's start (3 tokens each, OpenAI's count; not the VM's constant, which is tested)."""
    frame = 3
    n = frame
    for m in messages:
        n += frame + vm.tokenizer.count(m.get("content") or "")
        for c in m.get("tool_calls") or ():
            fn = c["function"]
            n += frame + vm.tokenizer.count(f"{fn['name']} {fn['arguments']}")
    return n


def test_the_request_with_its_message_frames_fits_the_budget() -> None:
    """Under pressure the pages fill the budget; the request as sent, frames included,
    still fits (without frames in the costs, many small messages overflow it)."""
    budget, filled = 10**6, 0
    for attempt in range(2):  # the whole session, then again at 40 % of its size
        vm = convo(budget)
        for t in range(40):
            vm.post_user(f"step {t}: ok")
            step(vm, "", (f"c{t}", "grep", {"q": f"x{t}"}, "\n".join(["hit"] * (t % 4 + 1))))
            vm.post_model("done")
            a = vm.assemble([])
            if attempt:
                sent = _sent_tokens(vm, a.openai())
                assert sent <= vm.budget, (t, sent, vm.budget)
                filled += a.tokens_used >= 0.9 * vm.budget
        budget = a.tokens_used * 2 // 5
    assert filled >= 10  # the budget was really full on many turns
    assert vm.faults().unmet == 0


# ---------------------------------------------------------------- prompt-prefix reuse
def test_prefix_reuse_counts_what_repeats(api_rules: Any) -> None:
    vm = convo()
    vm.add_page(P.bootstrap("agents", "- rule one\n- rule two"))
    vm.post_user("hello")
    first = vm.assemble()
    assert first.prefix_tokens == 0  # nothing before the first prompt
    vm.post_model("hi")
    vm.post_user("read a.py")
    second = vm.assemble()
    assert second.prefix_tokens == first.tokens_used  # it only grew
    [r] = step(vm, "", ("c1", "read_file", {"path": "a.py"}, "A" * 40))
    third = vm.assemble()
    assert third.prefix_tokens == second.tokens_used
    # a second call joins the same turn: its call is sent before the first result
    vm.tool_execute("read_file", {"path": "b.py"}, lambda: "B", call_id="c2")
    fourth = vm.assemble()
    result_tokens = vm.tokenizer.count("A" * 40) + MESSAGE_TOKENS  # its text and its frame
    assert fourth.prefix_tokens == third.tokens_used - result_tokens
    # a change in the middle: everything from there on is new
    vm.upsert(P.bootstrap("agents", "- rule one\n- rule two\n- rule three"))
    fifth = vm.assemble()
    assert fifth.prefix_tokens == vm.fixed_tokens
    stats = vm.stats()
    assert stats.prompts == 4 and stats.prompt_tokens == sum(
        a.tokens_used for a in (second, third, fourth, fifth)
    )
    assert stats.prefix_tokens == sum(a.prefix_tokens for a in (second, third, fourth, fifth))
    selects = [e for e in vm.trace if e["event"] == "select"]
    assert [e["prefix_tokens"] for e in selects] == [
        a.prefix_tokens for a in (first, second, third, fourth, fifth)
    ]
    vm.session_end()
    vm.session_start("t")
    assert vm.stats().prompts == 0


def _coding_turns(vm: VM, turns: int, back: int) -> list[tuple[list[str], Any]]:
    """A user message, a read_file call and its 30-line result per turn; every ``back``-th
    turn also demands the result of ten turns before. Returns (demands, assembly) per turn."""
    out: list[tuple[list[str], Any]] = []
    results: list[str] = []
    last: list[str] = []
    for t in range(turns):
        user = vm.post_user(f"Step {t}: look at module {t} and tell me what it does.")
        demands = [user, *last]
        if t % back == 0 and len(results) > 10:
            demands.append(results[-10])
        out.append((demands, vm.assemble(demands)))
        body = "\n".join(f"def f{t}_{j}(x):  # line {j} of module {t}" for j in range(30))
        [r] = step(vm, f"Reading src/mod{t}.py.", (f"c{t}", "read_file", {"path": f"m{t}"}, body))
        last = [r.page_id]
        results.append(r.page_id)
    return out


def _headroom_session(engine_cls: type, budget: int, headroom: float) -> tuple[VM, list[Any]]:
    vm = VM(budget, system_prompt=SYS, cache_headroom=headroom)
    vm.tools.declare("read_file", read_only=True, resource="path")
    vm.engine = engine_cls(64, **vm.policy.engine_flags())
    vm.session_start("s")
    vm.add_page(P.bootstrap("agents", "- Always run the tests.\n- Never push to main."))
    return vm, _coding_turns(vm, 120, 3)


def test_cache_headroom_keeps_the_prefix_without_more_faults(engine_cls: type) -> None:
    probe, _ = _headroom_session(engine_cls, 10**9, 0.0)
    size = sum(p.tokens[Rep.FULL - 1] for p in probe.pages())
    budget = size // 3 + probe.fixed_tokens
    free, free_turns = _headroom_session(engine_cls, budget, 0.0)
    kept, kept_turns = _headroom_session(engine_cls, budget, 0.2)
    assert free.stats().prefix_reuse < 0.7  # under pressure, re-selecting moves the middle
    assert kept.stats().prefix_reuse >= 0.8 and kept.stats().repacks > 0
    assert kept.faults().total_faults <= free.faults().total_faults
    for demands, a in kept_turns:  # every demand served at full, never over budget
        assert all(a.selection[d] == Rep.FULL for d in demands)
        assert a.tokens_used <= budget and not a.unmet
    assert len(free_turns) == len(kept_turns)


def test_cache_headroom_changes_nothing_when_everything_fits(engine_cls: type) -> None:
    a, a_turns = _headroom_session(engine_cls, 10**9, 0.0)
    b, b_turns = _headroom_session(engine_cls, 10**9, 0.3)
    assert [x.selection for _, x in a_turns] == [y.selection for _, y in b_turns]
    assert b.stats().repacks == 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(st.tuples(st.sampled_from("utrd"), st.integers(0, 30), st.integers(1, 400)),
                 min_size=5, max_size=60),
    budget=st.integers(200, 3000),
    headroom=st.sampled_from([0.05, 0.2, 0.5]),
)
def test_cache_headroom_keeps_the_selection_invariants(
    engine_cls: type, ops: list[tuple[str, int, int]], budget: int, headroom: float
) -> None:
    """Random sessions: every kept or repacked selection has each rep on its page's path,
    hard pins at their floors, every demand met at its rep unless reported unmet, and its
    tokens within the budget."""
    vm = VM(budget, system_prompt=SYS, cache_headroom=headroom)
    vm.engine = engine_cls(64, **vm.policy.engine_flags())
    vm.session_start("s")
    vm.add_page(P.bootstrap("agents", "- rule"))
    ids: list[str] = []
    for op, k, size in ops:
        if op == "u":
            ids.append(vm.post_user("word " * size))
        elif op == "t":
            result = "line\n" * size
            ids.append(vm.tool_execute("grep", {"q": len(ids)}, lambda r=result: r).page_id)
        elif op == "d" and ids:
            demands = [(ids[k % len(ids)], Rep.COMPRESSED)]
            a = vm.assemble(demands)
            eng, t = vm.engine, vm._table
            assert a.page_tokens <= t.page_budget
            shown = 0
            for pid, page in ((p.id, p) for p in vm.pages()):
                rep = Rep(a.selection.get(pid, Rep.NONE))
                slot = t.slot[pid]
                assert rep == Rep.NONE or rep in page.path
                shown += int(eng.tokens[slot, rep - 1]) if rep else 0
                if page.pin == Pin.HARD and pid not in a.unmet:
                    assert rep >= page.floor
            assert shown == a.page_tokens
            for pid, want in demands:
                assert pid in a.unmet or a.selection[pid] >= round_up(int(vm.page(pid).type), want)
        else:
            vm.assemble([])


@pytest.mark.parametrize(
    ("value", "error"),
    [(1.0, InvalidInputError), (-0.1, InvalidInputError), ("0.1", InvalidTypeError),
     (True, InvalidTypeError)],
)
def test_cache_headroom_is_checked(value: Any, error: type) -> None:
    with pytest.raises(error, match="cache_headroom"):
        VM(1000, cache_headroom=value)


def test_trace_records_calls_and_invalidations() -> None:
    vm = convo()
    vm.tool_execute("read_file", {"path": "a.py"}, lambda: "A", call_id="c1")
    vm.tool_execute("write_file", {"path": "a.py"}, lambda: "ok", call_id="c2")
    tools = [e for e in vm.trace if e["event"] == "tool"]
    assert [(e["call"], e["invalidated"]) for e in tools] == [("c1", []), ("c2", ["ev-1"])]
    assert vm.engine.counters[Outcome.ALERT] == 0


def test_api_rules_reject_what_the_providers_reject(api_rules: Any) -> None:
    """The checks every prompt above passes can fail: known-bad requests are caught."""
    call = {"id": "c1", "type": "function", "function": {"name": "t", "arguments": "{}"}}
    bad_openai = [
        [{"role": "tool", "tool_call_id": "c1", "content": "orphan result"}],
        [{"role": "assistant", "tool_calls": [call]}, {"role": "user", "content": "no result"}],
        [{"role": "user", "content": ""}],
        [{"role": "robot", "content": "x"}],
        [],
    ]
    for msgs in bad_openai:
        assert api_rules.openai_problems(msgs), msgs
    use = {"type": "tool_use", "id": "c1", "name": "t", "input": {}}
    result = {"type": "tool_result", "tool_use_id": "c1", "content": "r"}
    text = {"type": "text", "text": "hi"}
    bad_anthropic = [
        [{"role": "assistant", "content": [text]}],
        [{"role": "user", "content": [text]}, {"role": "user", "content": [text]}],
        [
            {"role": "user", "content": [text]},
            {"role": "assistant", "content": [use]},
            {"role": "user", "content": [text, result]},
        ],
        [
            {"role": "user", "content": [text]},
            {"role": "assistant", "content": [use]},
            {"role": "user", "content": [text]},
        ],
        [{"role": "user", "content": [{"type": "text", "text": " "}]}],
        [{"role": "user", "content": []}],
        [],
    ]
    for msgs in bad_anthropic:
        assert api_rules.anthropic_problems(None, msgs), msgs
    many = [{"type": "text", "text": "s", "cache_control": {"type": "ephemeral"}}] * 5
    assert api_rules.anthropic_problems(many, [{"role": "user", "content": "x"}])


def test_a_new_session_is_a_new_conversation(api_rules: Any) -> None:
    vm = convo()
    vm.post_user("first session")
    step(vm, "", ("call_1", "read_file", {"path": "a.py"}, "A"))
    vm.add_page(P.segment("notes", "shared notes", speaker="user", scope="project"))
    assert {"role": "user", "content": "shared notes"} in vm.assemble().openai()
    vm.session_end()
    vm.session_start("s2")  # call ids start over; what stayed is context now
    vm.post_user("second session")
    step(vm, "", ("call_1", "read_file", {"path": "a.py"}, "A again"))
    a = vm.assemble()
    assert "first session" not in json.dumps(a.openai())
    [notes, user] = [m for m in a.openai() if m["role"] == "user"]
    assert notes["content"] == "[page:notes]\nuser: shared notes"  # context from before
    assert user["content"] == "second session"
    accepted(api_rules, a)


def test_a_late_result_stays_with_its_call(api_rules: Any) -> None:
    vm = convo()
    vm.post_model("", tool_calls=[wire("c1", "grep", {"path": "a"})])
    vm.post_user("meanwhile, a question")
    vm.tool_execute("grep", {"path": "a"}, lambda: "hit", call_id="c1")  # answered late
    vm.tool_execute("grep", {"path": "b"}, lambda: "hit b", call_id="c2")  # not declared
    roles = [(m["role"], m.get("tool_call_id")) for m in vm.assemble().openai()]
    assert roles == [
        ("system", None),
        ("assistant", None),
        ("tool", "c1"),
        ("user", None),
        ("assistant", None),
        ("tool", "c2"),
    ]
    accepted(api_rules, vm.assemble())

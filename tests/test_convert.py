"""Transcript converters (docs/transcripts.md): one fixture test per rule, and hostile input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from clawvm import VM
from clawvm._schema import PATH_MASK, PageType
from clawvm.pages import bootstrap
from clawvm.replay import format as fmt
from clawvm.replay.convert import from_anthropic, from_claude_code, from_openai
from clawvm.replay.driver import STORES, replay
from clawvm.replay.policies import REPLAY_POLICIES

SESSION = "5f1c2a7e-0d3b-4c55-9a61-2b9f0c7d1e44"
CLAUDE_MD = (
    "<system-reminder>\nAs you answer the user's questions, you can use the following context:\n"
    "# claudeMd\nContents of /repo/CLAUDE.md (project instructions, checked into the codebase):\n\n"
    "- Always run `uv run pytest` before claiming a fix.\n- Never edit files under vendor/.\n"
    "</system-reminder>"
)
PYTEST = {"command": "uv run pytest tests/test_parse.py -q", "description": "Run the parser tests"}
FAILING = "\n".join(
    ["============================= test session starts ==============================",
     "collected 12 items", "", "tests/test_parse.py ........F...                  [100%]", ""]
    + [f"    line {i}: assert parse('{i}') == {i}" for i in range(40)]
    + ["E   AssertionError: assert None == 7", "FAILED tests/test_parse.py::test_int - AssertionError",
       "1 failed, 11 passed in 0.21s"]
)
NEW_TEST = "def test_empty():\n    assert parse('') is None\n"


def _cc(kind: str, n: int, content: Any, mid: str | None = None, **extra: Any) -> dict[str, Any]:
    """A Claude Code line; an assistant line's message.id is ``mid`` (default: its own)."""
    message: dict[str, Any] = {"role": kind, "content": content}
    if kind == "assistant":
        message["id"] = mid or f"msg_{n:03d}"
    return {"type": kind, "sessionId": SESSION, "uuid": f"u-{n:03d}",
            "timestamp": f"2025-06-01T10:{n:02d}:00.000Z", "message": message, **extra}


def _use(tid: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_use", "id": tid, "name": name, "input": args}


def _res(tid: str, content: Any, error: bool = False) -> dict[str, Any]:
    return {"type": "tool_result", "tool_use_id": tid, "content": content, "is_error": error}


def claude_code_session(error: bool = True) -> list[str]:
    """A realistic session: bootstrap, 2 user requests, 6 tool calls (1 repeat, 1 error), compaction."""
    rows = [
        {"type": "summary", "summary": "Fix the int parser", "leafUuid": "u-021"},
        {"type": "file-history-snapshot", "messageId": "x", "snapshot": {}},
        {"type": "system", "message": {"role": "system", "content": "You are Claude Code, a coding agent.\n"
                                       "- Use the tools to read before you edit.\n- Be concise."}},
        _cc("user", 1, [{"type": "text", "text": CLAUDE_MD},
                        {"type": "text", "text": "tests/test_parse.py fails on ints, can you fix it?"}]),
        _cc("assistant", 2, [{"type": "text", "text": "I'll run the failing test first."}], mid="msg_A"),
        _cc("assistant", 3, [_use("tu_1", "Bash", PYTEST)], mid="msg_A"),
        _cc("user", 4, [_res("tu_1", FAILING)]),
        _cc("assistant", 5, [_use("tu_2", "Read", {"file_path": "/repo/src/parse.py"})]),
        _cc("user", 6, [_res("tu_2", [{"type": "text", "text": "def parse(s):\n    if s.isalpha():\n"
                                                          "        return s\n    return None\n"}])]),
        _cc("assistant", 7, [_use("tu_3", "Read", {"file_path": "/repo/src/numbers.py"})]),
        _cc("user", 8, [_res("tu_3", "<tool_use_error>File does not exist.</tool_use_error>", error)]),
        _cc("assistant", 9, [_use("tu_4", "Edit", {"file_path": "/repo/src/parse.py",
                                                    "old_string": "    return None",
                                                    "new_string": "    return int(s)"})]),
        _cc("user", 10, [_res("tu_4", "The file /repo/src/parse.py has been updated.")]),
        _cc("assistant", 11, [_use("tu_5", "Bash", dict(PYTEST))]),  # the repeat
        _cc("user", 12, [_res("tu_5", "12 passed in 0.19s")]),
        _cc("assistant", 13, [{"type": "text", "text": "Fixed: parse() now returns int(s) for digits."}]),
        _cc("user", 14, "Thanks. Also add a test for the empty string."),
        {"type": "system", "subtype": "compact_boundary", "content": "Conversation compacted",
         "compactMetadata": {"trigger": "auto", "preTokens": 155000}, "sessionId": SESSION},
        _cc("user", 15, "This session is being continued from a previous conversation. Summary: "
                        "fixed parse() for ints; the user asked for an empty-string test.",
            isCompactSummary=True),
        _cc("assistant", 16, [{"type": "text", "text": "Adding the test now."},
                              _use("tu_6", "Write", {"file_path": "/repo/tests/test_empty.py",
                                                     "content": NEW_TEST})]),
        _cc("user", 17, [_res("tu_6", "File created successfully at: /repo/tests/test_empty.py")]),
        _cc("assistant", 18, [{"type": "text", "text": "Done: tests/test_empty.py added."}]),
        _cc("assistant", 19, [{"type": "text", "text": "subagent chatter"}], isSidechain=True),
    ]
    return [json.dumps(r) for r in rows]


def openai_chat() -> list[dict[str, Any]]:
    def call(cid: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return {"id": cid, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}

    status = json.dumps({"id": "4411", "status": "shipped"})
    return [
        {"role": "system", "content": "You are a support agent.\nAlways cite the order id. Never refund > $100."},
        {"role": "user", "content": "Where is my order 4411?"},
        {"role": "assistant", "content": None, "tool_calls": [
            call("call_1", "get_order", {"order_id": "4411"}),
            call("call_2", "get_shipping", {"order_id": "4411", "carrier": "ups"})]},
        {"role": "tool", "tool_call_id": "call_1", "content": status},
        {"role": "tool", "tool_call_id": "call_2", "content": "In transit, ETA Friday."},
        {"role": "assistant", "content": "Order 4411 shipped; UPS says it arrives Friday."},
        {"role": "user", "content": [{"type": "text", "text": "Can you double-check the status?"}]},
        {"role": "assistant", "content": "Checking again.",
         "tool_calls": [call("call_3", "get_order", {"order_id": "4411"})]},  # the repeat
        {"role": "tool", "tool_call_id": "call_3", "content": status},
        {"role": "assistant", "content": "Still shipped (order 4411)."},
    ]


def anthropic_chat() -> dict[str, Any]:
    """A Messages API transcript: a system string, tool use with an error result, an image."""
    return {
        "id": "conv-a1",
        "system": "You are a data assistant.\nNever share raw customer emails.",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "How many orders shipped?"},
                                         {"type": "image", "source": {"type": "base64"}}]},
            {"role": "assistant", "content": [
                {"type": "text", "text": "Let me query that."},
                {"type": "tool_use", "id": "toolu_1", "name": "query_orders",
                 "input": {"status": "shipped"}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "412 rows"}]},
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": "toolu_2", "name": "export_csv", "input": {"path": "o.csv"}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_2", "is_error": True,
                 "content": [{"type": "text", "text": "permission denied"}]}]},
            {"role": "assistant", "content": "412 orders shipped; I could not export them."},
        ],
    }


def _events(lines: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fmt.parse_lines(lines)  # must validate
    objs = [json.loads(x) for x in lines]
    return objs[0], objs[1:]


def _pages(events: list[dict[str, Any]], ptype: str | None = None) -> list[dict[str, Any]]:
    return [e for e in events if e["op"] == "page" and ptype in (None, e["type"])]


def _ops(events: list[dict[str, Any]], op: str) -> list[dict[str, Any]]:
    return [e for e in events if e["op"] == op]


def _turns(events: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each turn's demands as {page: rep}."""
    return [{d["page"]: d["rep"] for d in e["demands"]} for e in _ops(events, "turn")]


def _check_tokens(events: list[dict[str, Any]]) -> None:
    for p in [*_pages(events), *({**e, "type": "evidence"} for e in _ops(events, "tool"))]:
        mask = PATH_MASK[PageType[p["type"].upper()]]
        on = [c for r, c in enumerate(p["tokens"], start=1) if mask >> r & 1]
        assert all(c > 0 for c in on) and on == sorted(set(on)), p  # strictly increasing
        assert all(c == 0 for r, c in enumerate(p["tokens"], start=1) if not mask >> r & 1)


def _cc_lines(*rows: dict[str, Any]) -> list[str]:
    return [json.dumps(r) for r in rows]


def _replay(lines: list[str], policy: str = "clawvm", budget: int = 10**6):
    return replay(fmt.parse_lines(lines), REPLAY_POLICIES[policy], budget, store=STORES["memory"])


# ---------------------------------------------------------------------- the three formats


def test_claude_code_session() -> None:
    header, events = _events(from_claude_code(claude_code_session()))
    assert header["session"] == SESSION and header["source"] == "claude_code:claude-code"
    assert header["tokenizer"] == "fast"
    _check_tokens(events)
    assert [p["id"] for p in _pages(events, "bootstrap")] == ["boot-claude-md", "boot-system"]
    assert len(_pages(events, "segment")) == 7  # 2 user, 1 summary, 4 assistant
    tools = _ops(events, "tool")
    assert [t["page"] for t in tools] == [f"ev-{i}" for i in range(1, 7)]
    assert tools[0]["name"] == "Bash" and tools[0]["args"] == PYTEST
    assert tools[0]["call_id"] == "tu_1"
    assert len(_ops(events, "turn")) == 8
    assert len(_ops(events, "compaction")) == 1 and events[-1]["op"] == "session_end"
    run = _replay(from_claude_code(claude_code_session()))
    assert run.report.total_faults == 0 and run.turns == 8 and not run.rejections


def test_cc_skips_sidechains_and_unknown_lines() -> None:
    header, events = _events(from_claude_code(claude_code_session()))
    assert header["skipped"] == 2  # the file-history snapshot and the sidechain reply
    assert not any("subagent chatter" in json.dumps(e) for e in events)
    meta = _cc("user", 30, "Caveat: the messages below were generated by local commands.",
               isMeta=True)
    h2, _ = _events(from_claude_code([*claude_code_session(), json.dumps(meta)]))
    assert h2["skipped"] == 3


def test_openai_content_parts_and_argument_strings() -> None:
    header, events = _events(from_openai(openai_chat()))
    assert header["session"] == "openai" and header["source"] == "openai:messages"
    _check_tokens(events)
    tools = _ops(events, "tool")
    assert [t["args"] for t in tools] == [{"order_id": "4411"},
                                          {"order_id": "4411", "carrier": "ups"},
                                          {"order_id": "4411"}]  # argument strings, parsed
    second = _turns(events)[1]
    assert "seg-3" not in second  # the content-part message comes later
    third = _turns(events)[2]
    assert third["seg-3"] == "full"  # the content-part array is the user's text
    assert len(_ops(events, "turn")) == 4 and events[-1]["op"] == "session_end"


def test_anthropic_messages() -> None:
    header, events = _events(from_anthropic(anthropic_chat()))
    assert header["session"] == "conv-a1" and header["source"] == "anthropic:messages"
    _check_tokens(events)
    assert [p["id"] for p in _pages(events, "bootstrap")] == ["boot-system"]
    assert [r["id"] for r in _pages(events, "constraint")] == []  # "Never" in the system prompt
    tools = _ops(events, "tool")
    assert [(t["name"], t["read_only"], t["resource"]) for t in tools] == [
        ("query_orders", True, None), ("export_csv", False, "o.csv")]
    assert tools[1]["tokens"][1] > 0  # the error result is evidence too
    assert len(_ops(events, "turn")) == 3
    with pytest.raises(fmt.TraceError, match="unknown role 'system'"):
        from_anthropic([{"role": "system", "content": "x"}])


# ---------------------------------------------------------------------- rules, one test each


def test_rule1_system_prompt_is_bootstrap() -> None:
    _, events = _events(from_openai(openai_chat()))
    (boot,) = _pages(events, "bootstrap")
    assert events[0] is boot and boot["id"] == "boot-system"
    assert boot["scope"] == "project" and boot["dirty"] is False
    chat = [*openai_chat(), {"role": "system", "content": "A late system note."}]
    _, late = _events(from_openai(chat))
    assert len(_pages(late, "bootstrap")) == 1  # after the first reply: a segment
    assert _pages(late, "segment")[-1]["speaker"] == "other"


def test_rule2_rule_files_are_bootstrap_pages() -> None:
    both = (CLAUDE_MD.replace("</system-reminder>", "")
            + "\nContents of /repo/AGENTS.md (agent rules):\n\n- Keep PRs small.\n"
            + "</system-reminder>")
    rows = [_cc("user", 1, [{"type": "text", "text": both}, {"type": "text", "text": "hi"}]),
            _cc("assistant", 2, [{"type": "text", "text": "Hello."}])]
    _, events = _events(from_claude_code(_cc_lines(*rows)))
    boots = _pages(events, "bootstrap")
    assert [b["id"] for b in boots] == ["boot-claude-md", "boot-agents-md"]
    assert all(b["scope"] == "project" and b["dirty"] is False for b in boots)
    plain = [_cc("user", 1, "Please add a section on releases to CLAUDE.md"),
             _cc("assistant", 2, [{"type": "text", "text": "Sure."}])]
    _, events = _events(from_claude_code(_cc_lines(*plain)))
    assert not _pages(events, "bootstrap") and len(_pages(events, "segment")) == 2


def test_rule3_bootstrap_demanded_every_turn() -> None:
    _, events = _events(from_claude_code(claude_code_session()))
    for demands in _turns(events):
        assert demands["boot-claude-md"] == demands["boot-system"] == "structured"


def test_rule4_standing_rules_are_constraints() -> None:
    chat = [
        {"role": "user", "content": "Hi. I always forget the flags."},
        {"role": "assistant", "content": "Hello."},
        {"role": "user", "content": "Fix the bug.\n- Always run the tests first.\nDon't push."},
        {"role": "assistant", "content": "On it."},
        {"role": "user", "content": "Thanks"},
        {"role": "assistant", "content": "Done."},
    ]
    _, events = _events(from_openai(chat))
    rules = _pages(events, "constraint")
    assert [r["id"] for r in rules] == ["rule-1", "rule-2"]  # "I always ..." is not a rule
    turns = _turns(events)
    assert "rule-1" not in turns[0]  # a rule is needed from the message that states it on
    assert turns[1]["rule-1"] == turns[1]["rule-2"] == turns[2]["rule-1"] == "structured"
    run = _replay(from_openai(chat), budget=200)
    assert run.report.total_faults == 0


def _todo(tid: str, *statuses: str) -> dict[str, Any]:
    todos = [{"content": f"step {i}", "status": s, "activeForm": f"doing {i}"}
             for i, s in enumerate(statuses)]
    return _use(tid, "TodoWrite", {"todos": todos})


def test_rule5_todo_tools_are_the_plan() -> None:
    rows = [_cc("user", 1, "Do three things."),
            _cc("assistant", 2, [_todo("t1", "in_progress", "pending", "pending")]),
            _cc("user", 3, [_res("t1", "Todos have been modified successfully.")]),
            _cc("assistant", 4, [_todo("t2", "completed", "in_progress", "pending")]),
            _cc("user", 5, [_res("t2", "Todos have been modified successfully.")]),
            _cc("assistant", 6, [_todo("t3", "completed", "completed", "completed")]),
            _cc("user", 7, [_res("t3", "Todos have been modified successfully.")]),
            _cc("assistant", 8, [{"type": "text", "text": "All done."}])]
    lines = from_claude_code(_cc_lines(*rows))
    _, events = _events(lines)
    assert [p["id"] for p in _pages(events, "plan")] == ["plan"]
    writes = [w for w in _ops(events, "write") if w["page"] == "plan"]
    assert [(w["value"]["step"], w["value"]["done"]) for w in writes] == [(0, False), (1, False),
                                                                         (2, True)]
    turns = _turns(events)
    assert "plan" not in turns[0] and turns[1]["plan"] == turns[2]["plan"] == "structured"
    assert "plan" not in turns[3]  # done: no longer needed
    assert len(_ops(events, "tool")) == 3  # the calls themselves are mediated too
    pins = []

    def observe(vm: VM, demands: Any) -> None:
        if "plan" in vm:
            pins.append(int(vm.page("plan").pin))

    replay(fmt.parse_lines(lines), REPLAY_POLICIES["clawvm"], 10**6, store=STORES["memory"],
           observe=observe)
    assert pins[:2] == [2, 2] and pins[-1] == 1  # hard while active, soft when done


def test_rule6_compaction_and_clear_are_events() -> None:
    _, events = _events(from_claude_code(claude_code_session()))
    assert len(_ops(events, "compaction")) == 1  # boundary line + compact summary: one
    rows = [_cc("user", 1, "hi"), _cc("assistant", 2, [{"type": "text", "text": "hello"}]),
            _cc("user", 3, "<command-name>/compact</command-name>\n<command-args></command-args>"),
            _cc("assistant", 4, [{"type": "text", "text": "compacted"}]),
            _cc("user", 5, "<command-name>/clear</command-name>"),
            _cc("user", 6, "new task"), _cc("assistant", 7, [{"type": "text", "text": "ok"}])]
    _, events = _events(from_claude_code(_cc_lines(*rows)))
    boundaries = [e["op"] for e in events if e["op"] in ("compaction", "reset")]
    assert boundaries == ["compaction", "reset"]
    assert not any("command-name" in json.dumps(p) for p in _pages(events))
    assert _turns(events)[1] == {}  # after the compaction nothing from before is the latest
    chat = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
            {"role": "user", "content": "/clear"}, {"role": "user", "content": "again"},
            {"role": "assistant", "content": "ok"}]
    _, events = _events(from_openai(chat))
    assert len(_ops(events, "reset")) == 1


def test_rule7_memory_file_edits_are_writes() -> None:
    rows = [_cc("user", 1, [{"type": "text", "text": CLAUDE_MD}, {"type": "text", "text": "hi"}]),
            _cc("assistant", 2, [_use("e1", "Edit", {"file_path": "/repo/CLAUDE.md",
                                                     "old_string": "vendor/",
                                                     "new_string": "vendor/ or dist/"})]),
            _cc("user", 3, [_res("e1", "The file /repo/CLAUDE.md has been updated.")]),
            _cc("assistant", 4, [_use("w1", "Write", {"file_path": "/repo/memory/notes.md",
                                                      "content": "- the parser is in src/"})]),
            _cc("user", 5, [_res("w1", "File created successfully.")]),
            _cc("assistant", 6, [_use("r1", "Read", {"file_path": "/repo/README.md"})]),
            _cc("user", 7, [_res("r1", "# readme")]),
            _cc("assistant", 8, [{"type": "text", "text": "Noted."}])]
    lines = from_claude_code(_cc_lines(*rows))
    _, events = _events(lines)
    writes = _ops(events, "write")
    assert [(w["page"], w["principal"]) for w in writes] == [("boot-claude-md", "harness"),
                                                             ("mem-notes-md", "harness")]
    boot = next(p for p in _pages(events) if p["id"] == "boot-claude-md")
    assert writes[0]["tokens"][3] > boot["tokens"][3]  # the rules file grew
    (mem,) = _pages(events, "preference")
    assert mem["id"] == "mem-notes-md" and mem["scope"] == "project"
    ours, base = _replay(lines), _replay(lines, "retrieval")
    assert not ours.rejections and ours.report.total_faults == 0
    assert base.report.faults["flush_miss"] > 0  # no writeback: the memory edits die


def test_rule8_reread_after_edit_is_a_new_result() -> None:
    read = {"file_path": "/repo/a.py"}
    rows = [_cc("user", 1, "go"),
            _cc("assistant", 2, [_use("r1", "Read", read)]), _cc("user", 3, [_res("r1", "x = 1")]),
            _cc("assistant", 4, [_use("r2", "Read", read)]), _cc("user", 5, [_res("r2", "x = 1")]),
            _cc("assistant", 6, [_use("e1", "Edit",
                                      {**read, "old_string": "1", "new_string": "2"})]),
            _cc("user", 7, [_res("e1", "updated")]),
            _cc("assistant", 8, [_use("r3", "Read", read)]), _cc("user", 9, [_res("r3", "x = 2")]),
            _cc("assistant", 10, [{"type": "text", "text": "done"}])]
    lines = from_claude_code(_cc_lines(*rows))
    _, events = _events(lines)
    tools = _ops(events, "tool")
    assert [(t["read_only"], t["resource"]) for t in tools] == [
        (True, "/repo/a.py"), (True, "/repo/a.py"), (False, "/repo/a.py"), (True, "/repo/a.py")]
    assert len({t["page"] for t in tools}) == 4  # the converter deduplicates nothing
    run = _replay(lines)
    assert run.report.alerts == 1  # r2 is served; r3, after the edit, is a new result


def test_rule9_long_arguments_are_shortened() -> None:
    big = "x = 1\n" * 10_000
    write = {"file_path": "/repo/big.py", "content": big}
    rows = [_cc("user", 1, "write it"),
            _cc("assistant", 2, [_use("w1", "Write", write)]),
            _cc("user", 3, [_res("w1", "File created successfully at: /repo/big.py")]),
            _cc("assistant", 4, [_use("w2", "Write", dict(write))]),
            _cc("user", 5, [_res("w2", "File created successfully at: /repo/big.py")]),
            _cc("assistant", 6, [{"type": "text", "text": "done"}])]
    _, events = _events(from_claude_code(_cc_lines(*rows)))
    first, second = _ops(events, "tool")
    assert first["tokens"][3] < 200  # a one-line result: a short page, not 15,000 tokens
    assert first["args"] == second["args"] and first["args"]["content"].startswith("x = 1\nx = 1")
    assert "60000 chars · xxh64 " in first["args"]["content"]


def test_rule10_turn_demands() -> None:
    _, events = _events(from_claude_code(claude_code_session()))
    turns = _turns(events)
    boots = {"boot-claude-md": "structured", "boot-system": "structured"}
    assert turns[0] == {**boots, "seg-1": "full"}
    assert turns[1] == {**boots, "seg-1": "full", "seg-2": "structured", "ev-1": "full"}
    after = events[[e["op"] for e in events].index("compaction") + 1:]
    summary = next(e for e in after if e["op"] == "page")
    assert next(e for e in after if e["op"] == "turn")["demands"] == [
        {"page": p, "rep": r} for p, r in {**boots, summary["id"]: "full"}.items()]


def test_rule11_costs_are_the_vms() -> None:
    """A VM driven by hand with the same chat holds every page at the trace's costs."""
    chat = openai_chat()[:6]  # system, user, two calls and their results, a reply
    _, events = _events(from_openai(chat))
    vm = VM(10**6)
    vm.session_start("s")
    vm.add_page(bootstrap("boot-system", chat[0]["content"]))
    vm.post_user(chat[1]["content"])
    vm.assemble(["seg-1"])
    vm.post_model("", tool_calls=chat[2]["tool_calls"])
    for call, result in zip(chat[2]["tool_calls"], chat[3:5], strict=True):
        fn = call["function"]
        vm.tool_execute(fn["name"], fn["arguments"], lambda r=result: r["content"],
                        call_id=call["id"])
    vm.assemble(["seg-1"])
    vm.post_model(chat[5]["content"])
    want = {e.get("id") or e["page"]: e["tokens"] for e in events if e["op"] in ("page", "tool")}
    assert {p.id: list(p.tokens) for p in vm.pages()} == want


def test_rule12_no_turn_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(fmt.TraceError, match="no model call") as info:
        from_openai([{"role": "user", "content": "hello?"}])
    assert info.value.line == 1
    with pytest.raises(fmt.TraceError, match="no model call"):
        from_anthropic({"messages": []})
    only_users = _cc_lines(_cc("user", 1, "one"), _cc("user", 2, "two"))
    with pytest.raises(fmt.TraceError, match="no model call"):
        from_claude_code(only_users)
    from clawvm import cli

    path = tmp_path / "empty.jsonl"
    path.write_text("\n".join(only_users) + "\n", encoding="utf-8")
    assert cli.main(["convert", "claude-code", str(path)]) == 2


def test_claude_code_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    path.write_text("\n".join(claude_code_session()) + "\n", encoding="utf-8")
    first, second = from_claude_code(path), from_claude_code(str(path))
    assert first == second
    assert first[1:] == from_claude_code(claude_code_session())[1:]  # only the source differs
    assert json.loads(first[0])["source"] == "claude_code:session.jsonl"


@pytest.mark.parametrize(("bad", "problem"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"type": "assistant", "uuid": "x"}), "needs a 'message' object"),
    (json.dumps(_cc("user", 9, [_res("tu_404", "ok")])), "unknown call id 'tu_404'"),
    (json.dumps(_cc("user", 9, 42)), "content must be a string or a list"),
    (json.dumps(_cc("assistant", 9, [{"type": "tool_use", "id": "t", "input": {}}])), "'name'"),
])
def test_claude_code_malformed_names_the_line(bad: str, problem: str) -> None:
    lines = claude_code_session()[:4] + [bad]
    with pytest.raises(fmt.TraceError, match=problem) as info:
        from_claude_code(lines)
    assert info.value.line == 5 and ":5:" in str(info.value)


def test_openai_wrapper_file_and_determinism(tmp_path: Path) -> None:
    chat = openai_chat()
    assert from_openai(chat) == from_openai(openai_chat()) == from_openai({"messages": chat})
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"id": "conv-7", "messages": chat}, indent=2), encoding="utf-8")
    lines = from_openai(path)
    assert lines == from_openai(path) and lines[1:] == from_openai(chat)[1:]
    assert json.loads(lines[0])["session"] == "conv-7"


@pytest.mark.parametrize(("bad", "problem"), [
    ({"role": "narrator", "content": "hi"}, "unknown role 'narrator'"),
    ({"role": "assistant", "tool_calls": [{"id": "c9", "type": "function",
                                           "function": {"name": "f", "arguments": "{oops"}}]},
     "arguments must be a JSON string"),
    ({"role": "tool", "tool_call_id": "nope", "content": "x"}, "unknown call id 'nope'"),
    ({"role": "tool", "content": "x"}, "'tool_call_id'"),
    ("hello", "must be an object"),
])
def test_openai_malformed_names_the_message(bad: Any, problem: str) -> None:
    chat = [*openai_chat()[:2], bad]
    with pytest.raises(fmt.TraceError, match=problem) as info:
        from_openai(chat)
    assert info.value.line == 3


def test_the_other_formats_tool_messages_are_not_dropped() -> None:
    """A tool call or result kept the other API's way stops the conversion, naming the
    converter that reads it, instead of vanishing from the trace."""
    openai_call = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}
    for bad in (openai_call, {"role": "user", "tool_call_id": "c1", "content": "x"}):
        with pytest.raises(fmt.TraceError, match="convert openai") as info:
            from_anthropic([{"role": "user", "content": "hi"}, bad])
        assert info.value.line == 2
    tool_use = {"role": "assistant", "content": [
        {"type": "text", "text": "reading"},
        {"type": "tool_use", "id": "t1", "name": "read", "input": {}}]}
    tool_result = {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t1", "content": "text"}]}
    for bad in (tool_use, tool_result):
        with pytest.raises(fmt.TraceError, match="convert anthropic") as info:
            from_openai([{"role": "user", "content": "hi"}, bad])
        assert info.value.line == 2
    from_anthropic([{"role": "user", "content": "hi"}, tool_use, tool_result])  # its own


def test_openai_wrong_shape(tmp_path: Path) -> None:
    with pytest.raises(fmt.TraceError, match="list of messages"):
        from_openai({"conversation": []})
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"role": "user", "content": "hi"},\n  {oops}\n]', encoding="utf-8")
    with pytest.raises(fmt.TraceError, match="not valid JSON") as info:
        from_openai(path)
    assert info.value.line == 3 and "broken.json:3" in str(info.value)


@pytest.mark.parametrize("kind", ["claude-code", "openai", "anthropic"])
def test_convert_then_replay_end_to_end(kind: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI path a user takes: transcript file -> trace file -> faults per policy."""
    from clawvm import cli

    src = tmp_path / ("session.jsonl" if kind == "claude-code" else "chat.json")
    if kind == "claude-code":
        src.write_text("".join(line + "\n" for line in claude_code_session()))
    else:
        src.write_text(json.dumps(openai_chat() if kind == "openai" else anthropic_chat()))
    out = tmp_path / "trace.jsonl"
    assert cli.main(["convert", kind, str(src), "-o", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["replay", str(out), "--budget", "100000", "--json"]) == 0
    rows = {r["policy"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(REPLAY_POLICIES)
    ours = rows["clawvm"]
    assert ours["total_faults"] == 0 and ours["turns"] > 0
    if kind == "openai":
        assert ours["alerts"] == 1  # the repeated read-only call is served


# ---------------------------------------------------------------------- hostile, mislabelled input


def _chat_file(tmp_path: Path, chat: Any, name: str = "chat.json") -> tuple[Path, list[str]]:
    path = tmp_path / name
    text = json.dumps(chat, indent=2)
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines()


def test_openai_file_errors_name_the_line_where_the_message_starts(tmp_path: Path) -> None:
    chat = openai_chat()
    chat.insert(4, {"role": "narrator", "content": "hi"})
    path, lines = _chat_file(tmp_path, {"id": "c", "messages": chat})
    with pytest.raises(fmt.TraceError, match="unknown role 'narrator'") as info:
        from_openai(path)
    assert lines[info.value.line - 2].strip() == "},"  # the message before ends on the line above
    assert lines[info.value.line - 1].strip() == "{"
    assert lines[info.value.line].strip() == '"role": "narrator",'
    assert str(info.value).startswith(f"{path}:{info.value.line}: ")


def test_openai_file_limits_name_the_line_of_the_problem(tmp_path: Path) -> None:
    chat = openai_chat()
    chat[5]["content"] = "PLACEHOLDER"
    path, lines = _chat_file(tmp_path, chat)
    want = next(i for i, line in enumerate(lines, start=1) if "PLACEHOLDER" in line)
    for hostile, problem in [("9" * 5000, "integer outside the 64-bit range"),
                             ('"\\udc80"', "lone surrogate"),
                             ("[" * 100 + "]" * 100, "nested deeper"),
                             ("NaN", "NaN and Infinity"),
                             ('{"a": 1, "a": 2}', "duplicate key 'a'")]:
        path.write_text("\n".join(lines).replace('"PLACEHOLDER"', hostile), encoding="utf-8")
        with pytest.raises(fmt.TraceError, match=problem) as info:
            from_openai(path)
        assert info.value.line == want


def test_openai_tool_arguments_are_held_to_the_limits(tmp_path: Path) -> None:
    chat = openai_chat()
    chat[2]["tool_calls"][0]["function"]["arguments"] = "[" * 63 + "]" * 63
    path, lines = _chat_file(tmp_path, chat)
    with pytest.raises(fmt.TraceError, match="arguments must be a JSON string: nested deeper"):
        from_openai(path)
    # the deepest a trace holds: tool args sit two levels down in a page line
    chat[2]["tool_calls"][0]["function"]["arguments"] = "[" * 62 + "]" * 62
    fmt.parse_lines(from_openai(chat))


def test_a_file_in_the_other_format_is_an_error_naming_a_line(tmp_path: Path) -> None:
    session = tmp_path / "session.jsonl"
    session.write_text("\n".join(claude_code_session()) + "\n", encoding="utf-8")
    with pytest.raises(fmt.TraceError, match="extra data") as info:
        from_openai(session)
    assert info.value.line == 2
    chat, _ = _chat_file(tmp_path, openai_chat())
    with pytest.raises(fmt.TraceError, match="not valid JSON") as info:
        from_claude_code(chat)
    assert info.value.line == 1
    trace = tmp_path / "t.trace.jsonl"
    trace.write_text("".join(from_openai(openai_chat())), encoding="utf-8")
    with pytest.raises(fmt.TraceError, match="no model call") as info:
        from_claude_code(trace)  # a trace is not a transcript: nothing in it is a model call
    assert info.value.line == 1


def test_streams_convert_as_files_do(tmp_path: Path) -> None:
    session = tmp_path / "session.jsonl"
    session.write_text("\n".join(claude_code_session()) + "\n", encoding="utf-8")
    streamed = from_claude_code(io.BytesIO(session.read_bytes()), name="piped")
    assert streamed[1:] == from_claude_code(session)[1:]
    assert json.loads(streamed[0])["source"] == "claude_code:piped"
    chat, _ = _chat_file(tmp_path, openai_chat())
    assert from_openai(io.BytesIO(chat.read_bytes()))[1:] == from_openai(chat)[1:]

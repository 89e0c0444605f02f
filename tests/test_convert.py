"""Transcript converters: Claude Code JSONL and OpenAI message lists to trace v1."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from clawvm._schema import PATH_MASK, PageType
from clawvm.replay import format as fmt
from clawvm.replay.convert import from_claude_code, from_openai
from clawvm.tools import signature

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


def _events(lines: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fmt.parse_lines(lines)  # must validate
    objs = [json.loads(x) for x in lines]
    return objs[0], objs[1:]


def _pages(events: list[dict[str, Any]], ptype: str | None = None) -> list[dict[str, Any]]:
    return [e for e in events if e["op"] == "page" and ptype in (None, e["type"])]


def _check_tokens(events: list[dict[str, Any]]) -> None:
    for p in _pages(events):
        mask = PATH_MASK[PageType[p["type"].upper()]]
        on = [c for r, c in enumerate(p["tokens"], start=1) if mask >> r & 1]
        assert all(c > 0 for c in on) and on == sorted(set(on)), p  # strictly increasing
        assert all(c == 0 for r, c in enumerate(p["tokens"], start=1) if not mask >> r & 1)


def _check_repeats(events: list[dict[str, Any]]) -> list[int]:
    """Evidence signatures are unique; returns the indexes of repeat tool events."""
    seen: set[str] = set()
    repeats = []
    for i, e in enumerate(events):
        if e["op"] == "page" and e["type"] == "evidence":
            sig = signature(e["tool"]["name"], e["tool"]["args"])
            assert sig not in seen
            seen.add(sig)
        elif e["op"] == "tool" and signature(e["name"], e["args"]) in seen:
            repeats.append(i)
    return repeats


def test_claude_code_session() -> None:
    header, events = _events(from_claude_code(claude_code_session()))
    assert header["session"] == SESSION and header["skipped"] == 2
    assert header["source"] == "claude_code:claude-code" and header["tokenizer"] == "fast"
    _check_tokens(events)
    boot = events[0]
    assert boot["op"] == "page" and boot["id"] == "boot" and boot["pin"] == "hard"
    assert len(_pages(events, "bootstrap")) == 1
    assert len(_pages(events, "segment")) == 7  # 2 user, 1 summary, 4 assistant
    evidence = _pages(events, "evidence")
    assert [p["id"] for p in evidence] == ["ev-0001", "ev-0002", "ev-0003", "ev-0004", "ev-0005"]
    assert all(p["utility"] == 1.0 and p["recompute"] >= 1.0 for p in evidence)
    assert evidence[0]["tool"] == {"name": "Bash", "args": PYTEST}
    assert evidence[0]["recompute"] > evidence[3]["recompute"]  # a bigger result costs more to redo
    ops = [e["op"] for e in events]
    assert ops.count("tool") == 6 and ops.count("turn") == 8
    assert ops.count("compaction") == 1 and ops[-1] == "session_end"


def test_claude_code_repeat_is_a_tool_event_only() -> None:
    _, events = _events(from_claude_code(claude_code_session()))
    (i,) = _check_repeats(events)
    assert events[i]["name"] == "Bash" and events[i]["args"] == PYTEST
    assert events[i + 1]["op"] == "turn"  # no page between the repeat and the next model call
    assert {"page": "ev-0001", "rep": "full"} in events[i + 1]["demands"]


def test_claude_code_turn_demands() -> None:
    _, events = _events(from_claude_code(claude_code_session()))
    turns = [e["demands"] for e in events if e["op"] == "turn"]
    user, first_reply = "seg-0001", "seg-0002"
    assert turns[0] == [{"page": user, "rep": "full"}]
    assert turns[1] == [{"page": user, "rep": "full"}, {"page": first_reply, "rep": "structured"},
                        {"page": "ev-0001", "rep": "full"}]
    after = events[[e["op"] for e in events].index("compaction") + 1:]
    summary = next(e for e in after if e["op"] == "page")
    first_turn = next(e for e in after if e["op"] == "turn")
    assert first_turn["demands"] == [{"page": summary["id"], "rep": "full"}]  # nothing pre-compaction


def test_claude_code_error_result_is_evidence() -> None:
    _, with_error = _events(from_claude_code(claude_code_session(error=True)))
    _, without = _events(from_claude_code(claude_code_session(error=False)))
    err = next(p for p in _pages(with_error, "evidence")
               if p["tool"]["args"].get("file_path") == "/repo/src/numbers.py")
    ok = next(p for p in _pages(without, "evidence") if p["id"] == err["id"])
    assert err["tokens"][1] > ok["tokens"][1]  # the structured rep records the failure


def test_claude_md_only_from_a_reminder() -> None:
    rows = [_cc("user", 1, "Please add a section on releases to CLAUDE.md"),
            _cc("assistant", 2, [{"type": "text", "text": "Sure."}])]
    _, events = _events(from_claude_code([json.dumps(r) for r in rows]))
    assert not _pages(events, "bootstrap") and len(_pages(events, "segment")) == 2


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


def test_openai_chat() -> None:
    header, events = _events(from_openai(openai_chat()))
    assert header["session"] == "openai" and header["source"] == "openai:messages"
    _check_tokens(events)
    assert events[0]["id"] == "boot" and len(_pages(events, "bootstrap")) == 1
    assert len(_pages(events, "segment")) == 5  # 2 user, 3 assistant texts
    assert [p["tool"]["name"] for p in _pages(events, "evidence")] == ["get_order", "get_shipping"]
    ops = [e["op"] for e in events]
    assert ops.count("tool") == 3 and ops.count("turn") == 4 and ops[-1] == "session_end"
    (i,) = _check_repeats(events)
    assert events[i]["name"] == "get_order" and events[i + 1]["op"] == "turn"
    assert {"page": "ev-0001", "rep": "full"} in events[i + 1]["demands"]
    second = [e for e in events if e["op"] == "turn"][1]["demands"]
    assert [d["page"] for d in second] == ["seg-0001", "ev-0001", "ev-0002"]


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


def test_openai_wrong_shape(tmp_path: Path) -> None:
    with pytest.raises(fmt.TraceError, match="list of messages"):
        from_openai({"conversation": []})
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"role": "user", "content": "hi"},\n  {oops}\n]', encoding="utf-8")
    with pytest.raises(fmt.TraceError, match="not valid JSON") as info:
        from_openai(path)
    assert info.value.line == 3 and "broken.json:3" in str(info.value)


@pytest.mark.parametrize("kind", ["claude-code", "openai"])
def test_convert_then_replay_end_to_end(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI path a user takes: transcript file -> trace file -> faults per policy."""
    from clawvm import cli

    src = tmp_path / ("session.jsonl" if kind == "claude-code" else "chat.json")
    if kind == "claude-code":
        src.write_text("".join(line if line.endswith("\n") else line + "\n" for line in claude_code_session()))
    else:
        src.write_text(json.dumps(openai_chat()))
    out = tmp_path / "trace.jsonl"
    assert cli.main(["convert", kind, str(src), "-o", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["replay", str(out), "--budget", "100000", "--json"]) == 0
    rows = {r["policy"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"retrieval", "retrieval_cached", "compaction_hybrid", "lru", "clawvm", "oracle"}
    ours = rows["clawvm"]
    assert ours["total_faults"] == 0 and ours["turns"] > 0
    assert ours["alerts"] >= 1  # the repeated tool call is served from the resident result


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
    with pytest.raises(fmt.TraceError, match="not a Claude Code session") as info:
        from_claude_code(trace)
    assert info.value.line == 1


def test_streams_convert_as_files_do(tmp_path: Path) -> None:
    session = tmp_path / "session.jsonl"
    session.write_text("\n".join(claude_code_session()) + "\n", encoding="utf-8")
    streamed = from_claude_code(io.BytesIO(session.read_bytes()), name="piped")
    assert streamed[1:] == from_claude_code(session)[1:]
    assert json.loads(streamed[0])["source"] == "claude_code:piped"
    chat, _ = _chat_file(tmp_path, openai_chat())
    assert from_openai(io.BytesIO(chat.read_bytes()))[1:] == from_openai(chat)[1:]

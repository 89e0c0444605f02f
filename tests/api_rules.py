"""What the chat APIs check in a request's messages, as problem lists (empty: accepted).

Written from the providers' documented rules and error messages, independently of how
clawvm renders: the unit tests check every rendered prompt with these, and the local HTTP
server of the SDK tests rejects a request (400, as the providers do) when any is found.
"""

from __future__ import annotations

import re
from typing import Any

_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_ANTHROPIC_ID = re.compile(r"[a-zA-Z0-9_-]+")


def _text_ok(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _parts_ok(content: Any) -> bool:
    """A str, or a non-empty list of text parts, none empty."""
    if isinstance(content, str):
        return bool(content.strip())
    return (
        isinstance(content, list)
        and bool(content)
        and all(
            isinstance(p, dict) and p.get("type") == "text" and _text_ok(p.get("text"))
            for p in content
        )
    )


def openai_problems(messages: Any) -> list[str]:
    """Chat Completions: roles, contents, and every tool call answered right after its message."""
    out: list[str] = []
    if not isinstance(messages, list) or not messages:
        return ["messages must be a non-empty list"]
    seen: set[str] = set()
    pending: list[str] = []  # calls of the last assistant message not yet answered
    for i, m in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(m, dict):
            out.append(f"{where}: not an object")
            continue
        role = m.get("role")
        if role != "tool" and pending:
            out.append(f"{where}: tool calls {pending} have no tool message before this {role}")
            pending = []
        if role in ("system", "developer", "user"):
            if not _parts_ok(m.get("content")):
                out.append(f"{where}: {role} content must be non-empty")
        elif role == "assistant":
            calls = m.get("tool_calls")
            content = m.get("content")
            if calls is None:
                if not _parts_ok(content):
                    out.append(f"{where}: assistant without tool_calls needs content")
            else:
                if not isinstance(calls, list) or not calls:
                    out.append(f"{where}: tool_calls must be a non-empty list")
                    continue
                if content is not None and not _parts_ok(content):
                    out.append(f"{where}: assistant content, when given, must be non-empty")
                for c in calls:
                    fn = c.get("function") if isinstance(c, dict) else None
                    cid = c.get("id") if isinstance(c, dict) else None
                    if not isinstance(cid, str) or not cid or len(cid) > 40:
                        out.append(f"{where}: tool call id {cid!r} invalid")
                    elif cid in seen:
                        out.append(f"{where}: duplicate tool call id {cid!r}")
                    if c.get("type") != "function" or not isinstance(fn, dict):
                        out.append(f"{where}: tool call must be type function with a function")
                        continue
                    if not isinstance(fn.get("name"), str) or not _NAME.fullmatch(fn["name"]):
                        out.append(f"{where}: function name {fn.get('name')!r} invalid")
                    if not isinstance(fn.get("arguments"), str):
                        out.append(f"{where}: function arguments must be a string")
                    if isinstance(cid, str):
                        seen.add(cid)
                        pending.append(cid)
        elif role == "tool":
            cid = m.get("tool_call_id")
            if cid not in pending:
                out.append(f"{where}: tool message {cid!r} answers no call of the message before")
            else:
                pending.remove(cid)
            if not _parts_ok(m.get("content")):
                out.append(f"{where}: tool content must be non-empty")
        else:
            out.append(f"{where}: role {role!r} invalid")
    if pending:
        out.append(f"tool calls {pending} are never answered")
    return out


def anthropic_problems(system: Any, messages: Any) -> list[str]:
    """Messages API: alternation, user first, non-empty content, tool_use/tool_result pairs."""
    out: list[str] = []
    breakpoints = 0
    if system is not None and not isinstance(system, str):
        if not isinstance(system, list):
            out.append("system must be a string or a list of text blocks")
        else:
            for b in system:
                if (
                    not isinstance(b, dict)
                    or b.get("type") != "text"
                    or not _text_ok(b.get("text"))
                ):
                    out.append(f"system block {b!r:.60} must be non-empty text")
                breakpoints += isinstance(b, dict) and "cache_control" in b
    if not isinstance(messages, list) or not messages:
        return [*out, "messages must be a non-empty list"]
    seen: set[str] = set()
    prev_uses: set[str] = set()
    for i, m in enumerate(messages):
        where = f"messages[{i}]"
        role = m.get("role") if isinstance(m, dict) else None
        if role not in ("user", "assistant"):
            out.append(f"{where}: role {role!r} invalid")
            continue
        if i == 0 and role != "user":
            out.append(f"{where}: the first message must be a user message")
        if i and messages[i - 1].get("role") == role:
            out.append(f"{where}: roles must alternate (two {role} messages)")
        content = m.get("content")
        if isinstance(content, str):
            blocks: list[Any] = [{"type": "text", "text": content}]
        elif isinstance(content, list) and content:
            blocks = content
        else:
            out.append(f"{where}: content must be a non-empty string or list")
            continue
        uses: set[str] = set()
        answered: set[str] = set()
        text_seen = False
        for j, b in enumerate(blocks):
            bw = f"{where}.content[{j}]"
            kind = b.get("type") if isinstance(b, dict) else None
            breakpoints += isinstance(b, dict) and "cache_control" in b
            if kind == "text":
                text_seen = True
                if not _text_ok(b.get("text")):
                    out.append(f"{bw}: text blocks must be non-empty")
            elif kind == "tool_use" and role == "assistant":
                bid = b.get("id")
                if not isinstance(bid, str) or not _ANTHROPIC_ID.fullmatch(bid):
                    out.append(f"{bw}: tool_use id {bid!r} invalid")
                elif bid in seen:
                    out.append(f"{bw}: tool_use ids must be unique ({bid!r})")
                else:
                    seen.add(bid)
                    uses.add(bid)
                if not isinstance(b.get("name"), str) or not _NAME.fullmatch(b["name"]):
                    out.append(f"{bw}: tool name invalid")
                if not isinstance(b.get("input"), dict):
                    out.append(f"{bw}: tool_use input must be an object")
            elif kind == "tool_result" and role == "user":
                rid = b.get("tool_use_id")
                if text_seen:
                    out.append(f"{bw}: tool_result blocks must come first in the user message")
                if rid not in prev_uses or rid in answered:
                    out.append(f"{bw}: tool_result {rid!r} has no tool_use in the previous message")
                answered.add(rid)
                c = b.get("content")
                if not (isinstance(c, str) and c.strip()) and not _parts_ok(c):
                    out.append(f"{bw}: tool_result content must be non-empty")
            else:
                out.append(f"{bw}: block type {kind!r} not allowed in a {role} message")
        if role == "user" and prev_uses - answered:
            out.append(f"{where}: tool_use {sorted(prev_uses - answered)} without tool_result")
        if role == "assistant" and i == len(messages) - 1:
            last = blocks[-1]
            if last.get("type") == "text" and last.get("text", "") != last.get("text", "").rstrip():
                out.append(f"{where}: final assistant content cannot end with whitespace")
        prev_uses = uses if role == "assistant" else set()
    if prev_uses:
        out.append(f"tool_use {sorted(prev_uses)} in the last message are never answered")
    if breakpoints > 4:
        out.append(f"{breakpoints} cache_control blocks (at most 4)")
    return out

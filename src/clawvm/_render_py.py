"""Per-turn rendering, reference implementation (the native twin is ``_render_core.pyx``).

``turn_items`` gathers the resident pages' prepared items in stream order and measures how
much of the prompt repeats the previous one; the ``*_messages`` functions turn items into
fresh message objects of each API. Both implementations must give identical results
(tests compare them on random streams); ``clawvm._render`` picks one.

An item is ``(kind, turn, text, call, page_id, rep)``: ``kind`` is where it renders
(``_stream.K_*``), ``turn`` the assistant turn it belongs to (-1: none), ``call`` a tool
call as ``(sent id, name, argument string, input object)`` or None. Every message object
is built new (strings are shared: they are immutable), so nothing handed out is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "CONTINUES",
    "anthropic_messages",
    "anthropic_system",
    "demand_arrays",
    "evidence_texts",
    "openai_messages",
    "responses_items",
    "system_text",
    "turn_items",
]

# The kinds of ``clawvm._stream`` (repeated in the native twin).
K_SYS, K_STABLE, K_USER = 0, 1, 2
_N_REPS = 5
#: The user message that opens an Anthropic conversation whose start was evicted.
CONTINUES = "[earlier conversation omitted]"


def demand_arrays(
    demands: list[Any] | tuple[Any, ...], slot_of: dict[str, int], rep_of: dict[Any, int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """A turn's demands as (slots, reps) int64 arrays, when every one is a known page id
    (at full) or a (known id, rep) pair whose rep ``rep_of`` maps; None when any is not (the
    caller's checked parse then says what is wrong)."""
    n = len(demands)
    slots = np.empty(n, dtype=np.int64)
    reps = np.empty(n, dtype=np.int64)
    for i, d in enumerate(demands):
        rep: int | None
        if type(d) is str:
            pid, rep = d, 4
        elif type(d) is tuple and len(d) == 2:
            pid, want = d
            if type(want) is bool or type(pid) is not str:
                return None
            try:
                rep = rep_of.get(want)
            except TypeError:  # unhashable
                return None
            if rep is None:
                return None
        else:
            return None
        slot = slot_of.get(pid)
        if slot is None:
            return None
        slots[i] = slot
        reps[i] = rep
    return slots, reps


def turn_items(
    order: np.ndarray,
    selection: np.ndarray,
    code: np.ndarray,
    tok: np.ndarray,
    rtok: np.ndarray,
    turn: np.ndarray,
    items: np.ndarray,
    prev_codes: np.ndarray,
    prev_turns: np.ndarray,
    make: Callable[[int, int], None],
) -> tuple[list[Any], int, np.ndarray, np.ndarray]:
    """(resident items in stream order, page tokens shared with the previous prompt's start,
    this prompt's item codes and turns to compare the next prompt with).

    An item that is ``...`` is not made yet: ``make(slot, rep)`` makes it first.
    Items compare by ``code`` (per slot and rep; equal when they render the same). Within an
    assistant turn the calls are sent before the results, so the results of calls ahead of
    the first difference in the same turn are not part of the shared prefix.
    """
    reps = selection[order]
    nz = np.flatnonzero(reps)
    slots = order
    if len(nz) != len(slots):  # (with room for every pointer, all pages are resident)
        slots = slots[nz]
        reps = reps[nz]
    flat = slots * _N_REPS + reps
    codes = code[flat]
    turns = turn[slots]
    m = min(len(codes), len(prev_codes))
    neq = np.flatnonzero(codes[:m] != prev_codes[:m])
    first = int(neq[0]) if len(neq) else m
    shared = int(tok[flat[:first]].sum())
    if first < len(codes):
        at = int(turns[first])
    elif first < len(prev_codes):
        at = int(prev_turns[first])
    else:
        at = -1
    j = first - 1
    while at >= 0 and j >= 0 and turns[j] == at:
        shared -= int(rtok[flat[j]])
        j -= 1
    out = items[flat].tolist()
    for k, it in enumerate(out):
        if it is ...:
            make(int(slots[k]), int(reps[k]))
            out[k] = items[flat[k]]
    return out, shared, codes, turns


def system_text(system: str, items: list[Any]) -> str:
    """The system prompt and the rule pages (bootstrap, constraints), as one text."""
    parts = [system] if system else []
    for it in items:
        if it[0] != K_SYS:
            break
        parts.append(it[2])
    return "\n\n".join(parts)


def _stream_start(items: list[Any]) -> int:
    i = 0
    while i < len(items) and items[i][0] <= K_STABLE:
        i += 1
    return i


def _stable_text(items: list[Any], end: int) -> str:
    return "\n\n".join([it[2] for it in items[:end] if it[0] == K_STABLE])


def _opening(system: str, items: list[Any], out: list[dict[str, Any]]) -> int:
    """Append the system message and the stable user message (OpenAI and Responses open the
    same way); returns where the stream starts."""
    sys_text = system_text(system, items)
    if sys_text:
        out.append({"role": "system", "content": sys_text})
    i = _stream_start(items)
    stable = _stable_text(items, i)
    if stable:
        out.append({"role": "user", "content": stable})
    return i


def openai_messages(system: str, items: list[Any]) -> list[dict[str, Any]]:
    """Chat Completions messages: system, the stable user message, then the stream."""
    out: list[dict[str, Any]] = []
    i = _opening(system, items, out)
    n = len(items)
    while i < n:
        it = items[i]
        i += 1
        if it[0] == K_USER:
            out.append({"role": "user", "content": it[2]})
            continue
        turn = it[1]
        msg: dict[str, Any] = {"role": "assistant"}
        out.append(msg)
        calls: list[dict[str, Any]] | None = None
        while True:
            call = it[3]
            if call is None:
                msg["content"] = it[2]
            else:
                fn = {"name": call[1], "arguments": call[2]}
                wire = {"id": call[0], "type": "function", "function": fn}
                if calls is None:
                    calls = msg["tool_calls"] = [wire]
                else:
                    calls.append(wire)
                out.append({"role": "tool", "tool_call_id": call[0], "content": it[2]})
            if i == n or items[i][1] != turn:
                break
            it = items[i]
            i += 1
    if not out:  # the API rejects an empty list
        out.append({"role": "user", "content": CONTINUES})
    return out


def responses_items(system: str, items: list[Any]) -> list[dict[str, Any]]:
    """Responses API ``input`` items: messages, ``function_call`` and ``function_call_output``."""
    out: list[dict[str, Any]] = []
    i = _opening(system, items, out)
    results: list[dict[str, Any]] = []
    n = len(items)
    while i < n:
        kind, turn, text, call = items[i][:4]
        i += 1
        if call is None and results:
            out.extend(results)
            results = []
        if kind == K_USER:
            out.append({"role": "user", "content": text})
        elif call is None:
            out.append({"role": "assistant", "content": text})
        else:
            out.append(
                {"type": "function_call", "call_id": call[0], "name": call[1], "arguments": call[2]}
            )
            results.append({"type": "function_call_output", "call_id": call[0], "output": text})
        if results and (i == n or items[i][1] != turn):
            out.extend(results)
            results = []
    if not out:
        out.append({"role": "user", "content": CONTINUES})
    return out


def _copy_json(value: Any) -> Any:
    """A fresh copy of plain JSON (containers new, strings and numbers shared)."""
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


def anthropic_system(system: str, items: list[Any], cache: bool) -> list[dict[str, Any]]:
    """Messages API ``system`` as text blocks; ``cache`` marks the last one for caching."""
    blocks: list[dict[str, Any]] = [{"type": "text", "text": system}] if system.strip() else []
    for it in items:
        if it[0] != K_SYS:
            break
        blocks.append({"type": "text", "text": it[2]})
    if cache and blocks:
        blocks[-1]["cache_control"] = {"type": "ephemeral"}
    return blocks


def anthropic_messages(items: list[Any], cache: bool) -> list[dict[str, Any]]:
    """Messages API ``messages``: strictly alternating, starting with a user message.

    Same-role neighbours merge (a turn's tool results lead the user message that follows
    it). ``cache`` puts breakpoints after the stable region and on the last block.
    """
    out: list[dict[str, Any]] = []
    i = _stream_start(items)
    stable: list[dict[str, Any]] = [
        {"type": "text", "text": it[2]} for it in items[:i] if it[0] == K_STABLE
    ]
    stable_end = stable[-1] if stable else None  # (later user blocks may join its message)
    if stable:
        out.append({"role": "user", "content": stable})
    n = len(items)
    while i < n:
        kind, turn, text, call = items[i][:4]
        i += 1
        if kind == K_USER:
            block = {"type": "text", "text": text}
            if out and out[-1]["role"] == "user":
                out[-1]["content"].append(block)
            else:
                out.append({"role": "user", "content": [block]})
            continue
        said: list[dict[str, Any]] = []
        results: list[dict[str, Any]] = []
        while True:
            if call is None:
                said.append({"type": "text", "text": text})
            else:
                use = {"type": "tool_use", "id": call[0], "name": call[1]}
                use["input"] = _copy_json(call[3])
                said.append(use)
                results.append({"type": "tool_result", "tool_use_id": call[0], "content": text})
            if i == n or items[i][1] != turn:
                break
            kind, turn, text, call = items[i][:4]
            i += 1
        if out and out[-1]["role"] == "assistant":
            out[-1]["content"].extend(said)
        else:
            out.append({"role": "assistant", "content": said})
        if results:
            out.append({"role": "user", "content": results})
    if not out or out[0]["role"] != "user":
        out.insert(0, {"role": "user", "content": [{"type": "text", "text": CONTINUES}]})
    if cache:
        if stable_end is not None:
            stable_end["cache_control"] = {"type": "ephemeral"}
        out[-1]["content"][-1]["cache_control"] = {"type": "ephemeral"}
    return out


def evidence_texts(
    page_id: str, call: str, result: str, exit: str | None, message: bool, build: bool = True
) -> tuple[Any, tuple[Any, ...], tuple[int, ...]]:
    """A tool result's default reps and what they render as and cost (reference twin).

    Returns (bodies, texts, counts): ``bodies`` the reps (full, compressed, structured,
    pointer) of ``reps.evidence_bodies``; ``texts`` and ``counts`` per rep (pointer,
    structured, compressed, full) what the prompt shows in a context role or, with
    ``message``, as a tool call's result, and its tokens by the default estimate. The native
    twin prices the same texts from one scan of the result (the estimate is line-additive).
    Without ``build`` only the pointer's text is returned (bodies None, other texts None).
    """
    from clawvm import _text_py
    from clawvm.reps import evidence_bodies, result_lines

    bodies = evidence_bodies(page_id, call, result, exit)
    full, compressed, structured, pointer = bodies
    tail = "" if exit is None else f"[exit {exit}]"
    if message:
        text_full = f"{result}\n{tail}" if result and tail else result or tail
    else:
        text_full = f"[page:{page_id}]\n{full}"
    if not text_full.strip():
        text_full = f"[page:{page_id} empty]"
    if message:
        n = len(result_lines(result))
        status = "" if exit is None else f" · exit {exit}"
        pointer = f"[page:{page_id} result · {n} line{'' if n == 1 else 's'}{status}]"
    texts = (
        pointer,
        f"[page:{page_id} structured · degraded; page_in for full]\n{structured}",
        f"[page:{page_id} compressed · degraded; page_in for full]\n{compressed}",
        text_full,
    )
    counts = tuple(_text_py.count(t) for t in texts)
    if not build:
        return None, (texts[0], None, None, None), counts
    return bodies, texts, counts

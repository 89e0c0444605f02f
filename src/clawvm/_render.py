"""Rendering (SPEC §3.5): what each page shows at each rep, and the prompt built from them.

Rendering a turn must cost next to nothing, so what a page shows at each rep — its text,
its tool call with the arguments as sent at that rep, its token cost — is prepared when the
page is created or changed (``prepare``) and kept in flat numpy arrays indexed by
``slot * 5 + rep``. A turn gathers the resident items in stream order in one pass
(``RenderTable.turn_items``); the ``*_messages`` functions turn them into fresh message
objects of each API, keeping a tool call and its result together, merging same-role
neighbours where Anthropic needs it. The per-turn functions are native
(``_render_core``) unless the reference engine is in use (``_render_py``, identical output).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from clawvm._engine import load_native
from clawvm._schema import Rep
from clawvm._stream import K_ASSIST, K_TOOL, K_USER, Call, Role
from clawvm.pages import Page
from clawvm.reps import as_text, monotone_costs, render
from clawvm.tokens import Tokenizer

if TYPE_CHECKING:
    from clawvm import _render_py as kernels
else:
    kernels, _why = load_native("clawvm._render_core")  # warns only for a broken native build
    if kernels is None:
        from clawvm import _render_py as kernels

__all__ = ["CONTINUES", "Item", "RenderTable", "kernels", "prepare"]

_N_REPS = 5
#: (kind, assistant turn or -1, text, call as (sent id, name, argument string, input) or
#: None, page id, rep): see ``_render_py``.
Item = tuple[int, int, str, tuple[str, str, str, Any] | None, str, int]
CONTINUES = kernels.CONTINUES
#: Longest string argument a call keeps at compressed/structured and at pointer.
_ARG_CHARS = {Rep.COMPRESSED: 240, Rep.STRUCTURED: 240, Rep.POINTER: 48}


# ------------------------------------------------------------------ preparing one page
def _original(page: Page, kind: int) -> str:
    """A conversation message at full: the message as it was, with no header."""
    c = page.content
    if kind == K_TOOL:
        text = as_text(c.get("result", ""))
        if c.get("exit") is not None:
            text = f"{text}\n[exit {c['exit']}]" if text else f"[exit {c['exit']}]"
        return text
    return str(c["text"]) if isinstance(c, dict) and "text" in c else as_text(c)


def _result_pointer(page: Page) -> str:
    """A tool result's pointer: its call is shown beside it, so it need not name the call."""
    c = page.content
    n = len(as_text(c.get("result", "")).splitlines())
    status = f" · exit {c['exit']}" if c.get("exit") is not None else ""
    return f"[page:{page.id} result · {n} line{'' if n == 1 else 's'}{status}]"


def _shorten(value: Any, limit: int) -> Any:
    if isinstance(value, str):
        if len(value) <= limit:
            return value
        return f"{value[:limit]}… [{len(value) - limit} more chars; page_in for all]"
    if isinstance(value, list):
        return [_shorten(v, limit) for v in value]
    if isinstance(value, dict):
        return {k: _shorten(v, limit) for k, v in value.items()}
    return value


def _arguments(call: Call, rep: Rep) -> tuple[str, dict[str, Any]]:
    """The call's argument string (OpenAI) and input object (Anthropic) at ``rep``."""
    if rep == Rep.FULL:
        value = call.args
        text = call.raw if call.raw is not None else json.dumps(value, ensure_ascii=False)
    else:
        try:
            value = _shorten(call.args, _ARG_CHARS[rep])
        except RecursionError:  # absurdly nested: keep it as (short) text
            value = _shorten(json.dumps(call.args, ensure_ascii=False), _ARG_CHARS[rep])
        text = json.dumps(value, ensure_ascii=False)
    return text, value if isinstance(value, dict) else {"arguments": value}


#: What ``prepare`` makes of a page: item per rep, engine costs, result-text tokens per rep,
#: and per rep the highest rep that renders exactly the same (for the prefix metric).
Prepared = tuple[dict[Rep, Item], tuple[int, int, int, int], dict[Rep, int], dict[Rep, int]]


def prepare(page: Page, role: Role, bodies: Mapping[Rep, str], tokenizer: Tokenizer) -> Prepared:
    """What ``page`` renders as at each rep on its path, in ``role``, and what that costs.

    A conversation message at full reads as sent; a lower rep says it is degraded and names
    the page, so the model can page it in (a tool result's pointer does not repeat its call,
    which is shown beside it). A lower rep is never longer than the full text: where it
    would be (a short page under a header), it is the full text. A tool result's cost
    includes its call as sent at that rep (long arguments are shortened below full).
    """
    message = not role.context and role.kind in (K_USER, K_ASSIST, K_TOOL)
    path = page.path
    texts: dict[Rep, str] = {}
    for rep in path:
        text = None
        if message and rep == Rep.FULL:
            text = _original(page, role.kind)
        elif message and rep == Rep.POINTER and role.call is not None:
            text = _result_pointer(page)
        if text is None:
            text = render(page, rep, bodies[rep], message=message)
        texts[rep] = text if text.strip() else f"[page:{page.id} empty]"  # never empty content
    counted: dict[str, int] = {}  # equal texts (arguments short enough to stay whole) count once

    def count(text: str) -> int:
        n = counted.get(text)
        if n is None:
            n = counted[text] = int(tokenizer.count(text))
        return n

    counts = {rep: count(texts[rep]) for rep in path}
    full = counts[Rep.FULL]
    for rep in path:
        if counts[rep] >= full:
            texts[rep], counts[rep] = texts[Rep.FULL], full
    items: dict[Rep, Item] = {}
    costs: dict[Rep, int] = {}
    shown: dict[Rep, tuple[str, str]] = {}
    result_tokens: dict[Rep, int] = {}
    for rep in path:
        text = texts[rep]
        call = None
        costs[rep] = counts[rep]
        arguments = ""
        if role.call is not None:
            arguments, value = _arguments(role.call, rep)
            call = (role.call.rid, role.call.name, arguments, value)
            costs[rep] += count(f"{role.call.name} {arguments}")
            result_tokens[rep] = counts[rep]
        items[rep] = (role.kind, role.turn, text, call, page.id, int(rep))
        shown[rep] = (text, arguments)
    same = {rep: int(max(r for r in path if shown[r] == shown[rep])) for rep in path}
    return items, monotone_costs(path, costs), result_tokens, same


# ------------------------------------------------------------------ the table
class RenderTable:
    """Per slot: page id, role, sort key; per (slot, rep): item and token costs."""

    def __init__(self, capacity: int = 64) -> None:
        self._cap = 0
        self.ids = np.empty(0, dtype=object)
        self.roles = np.empty(0, dtype=object)
        self.items = np.empty(0, dtype=object)
        self.tok = np.zeros(0, dtype=np.int64)
        self.rtok = np.zeros(0, dtype=np.int64)
        self.turn = np.zeros(0, dtype=np.int64)
        self.code = np.zeros(0, dtype=np.int64)  # per (slot, rep): equal iff it renders the same
        self._key = np.zeros(0, dtype=np.int64)
        self._live: set[int] = set()
        self._order: np.ndarray | None = None
        self._uids = 0
        self._prev_codes = np.zeros(0, dtype=np.int64)
        self._prev_turns = np.zeros(0, dtype=np.int64)
        self._grow(max(capacity, 1))

    def _grow(self, need: int) -> None:
        cap = max(self._cap, 1)
        while cap < need:
            cap *= 2
        if cap == self._cap:
            return
        old, n = self._cap, self._cap * _N_REPS
        for name, size, dtype in (
            ("ids", cap, object),
            ("roles", cap, object),
            ("turn", cap, np.int64),
            ("_key", cap, np.int64),
            ("items", cap * _N_REPS, object),
            ("tok", cap * _N_REPS, np.int64),
            ("rtok", cap * _N_REPS, np.int64),
            ("code", cap * _N_REPS, np.int64),
        ):
            arr = np.empty(size, dtype=object) if dtype is object else np.zeros(size, dtype=dtype)
            arr[: n if size > cap else old] = getattr(self, name)
            setattr(self, name, arr)
        self._cap = cap

    def set(
        self,
        slot: int,
        page_id: str,
        role: Role,
        prepared: Prepared,
    ) -> None:
        """(Re)place one page's items; called on create, on every update and on a move."""
        self._grow(slot + 1)
        if slot not in self._live or self._key[slot] != role.key:
            self._order = None
        self._live.add(slot)
        items, costs, result_tokens, same = prepared
        self.ids[slot] = page_id
        self.roles[slot] = role
        self._key[slot] = role.key
        self.turn[slot] = role.turn
        self._uids += 1  # a new number whenever a page's items change
        base = slot * _N_REPS
        for rep in range(1, _N_REPS):
            r = Rep(rep)
            self.items[base + rep] = items.get(r)
            self.tok[base + rep] = costs[rep - 1]
            self.rtok[base + rep] = result_tokens.get(r, 0)
            self.code[base + rep] = self._uids * 8 + same.get(r, rep)

    def clear(self, slot: int) -> None:
        self._live.discard(slot)
        self._order = None
        self.ids[slot] = None
        self.roles[slot] = None
        self.items[slot * _N_REPS : (slot + 1) * _N_REPS] = None

    def role(self, slot: int) -> Role:
        role = self.roles[slot]
        assert isinstance(role, Role)
        return role

    def order(self) -> np.ndarray:
        """Live slots in render order (int64), cached until the page set or a place changes."""
        if self._order is None:
            live = np.fromiter(self._live, dtype=np.int64, count=len(self._live))
            self._order = live[np.argsort(self._key[live], kind="stable")]
        return self._order

    def gather(self, selection: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Resident pages in render order: (slots, reps)."""
        slots = self.order()
        reps = selection[slots]
        nz = np.flatnonzero(reps)
        return slots[nz], reps[nz]

    def forget_prompt(self) -> None:
        """No previous prompt (a new session): the next one shares nothing."""
        self._prev_codes = self._prev_turns = np.zeros(0, dtype=np.int64)

    def turn_items(self, selection: np.ndarray) -> tuple[list[Item], int]:
        """This prompt's resident items in stream order, and its page tokens that repeat the
        previous prompt's start (then this prompt is the previous one)."""
        items, shared, self._prev_codes, self._prev_turns = kernels.turn_items(
            self.order(),
            selection,
            self.code,
            self.tok,
            self.rtok,
            self.turn,
            self.items,
            self._prev_codes,
            self._prev_turns,
        )
        return items, shared

"""Rendering (docs/rendering.md): what each page shows at each rep, and the prompt built from them.

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
from collections.abc import Callable, Mapping
from types import EllipsisType
from typing import TYPE_CHECKING, Any

import numpy as np

from clawvm._engine import load_native
from clawvm._schema import Rep
from clawvm._stream import K_ASSIST, K_TOOL, K_USER, Call, Role
from clawvm.pages import Page
from clawvm.reps import as_text, evidence_parts, monotone_costs, render, result_lines
from clawvm.tokens import TEXT_IMPLEMENTATION, Tokenizer

if TYPE_CHECKING:
    from clawvm import _render_py as kernels
else:
    kernels, _why = load_native("clawvm._render_core")  # warns only for a broken native build
    if kernels is None:
        from clawvm import _render_py as kernels

__all__ = [
    "CONTINUES",
    "FAST_EVIDENCE",
    "MESSAGE_TOKENS",
    "Item",
    "RenderTable",
    "kernels",
    "prepare",
]

#: Tool results are priced natively from one scan of their text (``prepare_evidence``).
FAST_EVIDENCE = kernels.__name__ == "clawvm._render_core" and TEXT_IMPLEMENTATION == "native"
#: An item not made yet (``RenderTable.make`` makes it when a prompt first shows it).
LAZY = ...

_N_REPS = 5
#: (kind, assistant turn or -1, text, call as (sent id, name, argument string, input) or
#: None, page id, rep): see ``_render_py``.
Item = tuple[int, int, str, tuple[str, str, str, Any] | None, str, int]
CONTINUES = kernels.CONTINUES
#: Tokens a chat API adds around each message besides its text (role and delimiters; 3 in
#: OpenAI's count): every item is a message, or a block of one, and a tool call is an
#: entry in an assistant message. Counted in each rep's cost, so that the request as sent,
#: not only its texts, stays within the budget (docs/tokens.md).
MESSAGE_TOKENS = 3
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
    n = len(result_lines(as_text(c.get("result", ""))))
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


#: What ``prepare`` makes of a page: item per rep (``LAZY``: made when shown), engine costs,
#: result-text tokens per rep, per rep the highest rep that renders exactly the same (for
#: the prefix metric), and per rep the rep whose text it shows (a short page's lower reps
#: show its full text).
Prepared = tuple[
    dict[Rep, Item | EllipsisType],
    tuple[int, int, int, int],
    dict[Rep, int],
    dict[Rep, int],
    dict[Rep, Rep],
]


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
    counts = {rep: int(tokenizer.count(texts[rep])) for rep in path}
    return _finish(page, role, dict(texts), counts, tokenizer)


def prepare_evidence(
    page: Page,
    role: Role,
    tokenizer: Tokenizer,
    build: bool,
    parts: tuple[str, str, str | None] | None = None,
) -> Prepared | None:
    """``prepare`` of a tool result with the default reps and estimate, priced natively from
    one scan of its text; without ``build`` only its pointer is made (the other items are
    ``LAZY`` until a prompt shows them). None where this does not apply (a message role
    other than a call's result). ``parts``: its ``evidence_parts``, when already taken."""
    message = not role.context and role.kind in (K_USER, K_ASSIST, K_TOOL)
    if message and role.kind != K_TOOL:
        return None
    if parts is None:
        parts = evidence_parts(page.content)
    _, rendered, counted = kernels.evidence_texts(page.id, *parts, message, build)
    texts = dict(zip(_FOUR, rendered))
    return _finish(page, role, texts, dict(zip(_FOUR, counted)), tokenizer)


_FOUR = (Rep.POINTER, Rep.STRUCTURED, Rep.COMPRESSED, Rep.FULL)


def evidence_item(
    page: Page,
    role: Role,
    rep: int,
    source: int,
    parts: tuple[str, str, str | None] | None = None,
) -> Item:
    """The item of a tool result made lazily: ``rep`` shows the text of rep ``source``
    (``parts``: the page's ``evidence_parts``, when already taken)."""
    message = not role.context
    call, result, exit = evidence_parts(page.content) if parts is None else parts
    if source == Rep.FULL:  # no scan: the result under its call (context) or as sent
        tail = "" if exit is None else f"[exit {exit}]"
        if message:
            text = f"{result}\n{tail}" if result and tail else result or tail
            if not text or text.isspace():
                text = f"[page:{page.id} empty]"
        else:
            text = f"[page:{page.id}]\n$ {call}\n{result}" + (f"\n{tail}" if tail else "")
    else:
        text = kernels.evidence_texts(page.id, call, result, exit, message, True)[1][source - 1]
    call_item = None
    if role.call is not None:
        arguments, value = _arguments(role.call, Rep(rep))
        call_item = (role.call.rid, role.call.name, arguments, value)
    return role.kind, role.turn, text, call_item, page.id, int(rep)


def _finish(
    page: Page,
    role: Role,
    texts: dict[Rep, str | None],
    counts: dict[Rep, int],
    tokenizer: Tokenizer,
) -> Prepared:
    """Items, engine costs, result tokens and sameness from each rep's text and count (a
    None text is made later; its count is known). A rep that would cost no less than full
    shows the full text."""
    path = page.path
    full, full_text = counts[Rep.FULL], texts[Rep.FULL]
    call = role.call
    kind, turn, pid = role.kind, role.turn, page.id
    counted: dict[str, int] = {}  # equal texts (arguments short enough to stay whole) count once
    items: dict[Rep, Item | EllipsisType] = {}
    source: dict[Rep, Rep] = {}  # the rep whose text a rep shows
    result_tokens: dict[Rep, int] = {}
    shown: list[tuple[object, str]] = []
    costs: dict[Rep, int] = {}
    for rep in path:
        n = counts[rep]
        if n >= full:
            text, n, source[rep] = full_text, full, Rep.FULL
        else:
            text, source[rep] = texts[rep], rep
        costs[rep] = n + MESSAGE_TOKENS
        sent = None
        arguments = ""
        if call is not None:
            arguments, value = _arguments(call, rep)
            sent = (call.rid, call.name, arguments, value)
            label = f"{call.name} {arguments}"
            k = counted.get(label)
            if k is None:
                k = counted[label] = int(tokenizer.count(label))
            # its entry in the assistant message, and that message's frame (a call may be
            # all the message says)
            costs[rep] += k + 2 * MESSAGE_TOKENS
            result_tokens[rep] = n + MESSAGE_TOKENS
        items[rep] = LAZY if text is None else (kind, turn, text, sent, pid, int(rep))
        shown.append((source[rep] if text is None else text, arguments))
    same: dict[Rep, int] = {}
    top = len(path) - 1
    for i, rep in enumerate(path):
        j = top
        while shown[j] != shown[i]:
            j -= 1
        same[rep] = int(path[j])
    return items, monotone_costs(path, costs), result_tokens, same, source


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
        self.src = np.zeros(0, dtype=np.int8)  # per (slot, rep): the rep whose text it shows
        self._key = np.zeros(0, dtype=np.int64)
        self._live: set[int] = set()
        self._lazy: set[int] = set()  # slots whose items are made when shown
        #: live slots in render order are ``_order[:_n_order]`` (-1: to be sorted again); a
        #: new page at the end of the stream is appended in place
        self._order = np.zeros(0, dtype=np.int64)
        self._n_order = 0
        self._uids = 0
        self._prev_codes = np.zeros(0, dtype=np.int64)
        self._prev_turns = np.zeros(0, dtype=np.int64)
        #: makes a ``LAZY`` item: ``make(slot, rep)`` (set by the page table)
        self.make: Callable[[int, int], None] = _no_maker
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
            ("_order", cap, np.int64),
            ("items", cap * _N_REPS, object),
            ("tok", cap * _N_REPS, np.int64),
            ("rtok", cap * _N_REPS, np.int64),
            ("code", cap * _N_REPS, np.int64),
            ("src", cap * _N_REPS, np.int8),
        ):
            arr = np.empty(size, dtype=object) if dtype is object else np.zeros(size, dtype=dtype)
            arr[: n if size > cap else old] = getattr(self, name)
            setattr(self, name, arr)
        self._cap = cap
        # per-element writes through memoryviews cost a fraction of numpy's
        self._w = (self.tok.data, self.rtok.data, self.code.data, self.src.data)
        self._wkey, self._worder = self._key.data, self._order.data

    def set(self, slot: int, page_id: str, role: Role, prepared: Prepared, lazy: bool) -> None:
        """(Re)place one page's items; called on create, on every update and on a move.

        ``lazy``: items above pointer may be ``LAZY`` (``make`` makes them when shown).
        """
        if slot >= self._cap:
            self._grow(slot + 1)
        if lazy:
            self._lazy.add(slot)
        else:
            self._lazy.discard(slot)
        key, n = role.key, self._n_order
        if slot not in self._live:
            # a new page at the end of the stream (the usual case) extends the order
            if n >= 0 and (not n or key > self._wkey[self._worder[n - 1]]):
                self._worder[n] = slot
                self._n_order = n + 1
            else:
                self._n_order = -1
            self._live.add(slot)
        elif self._wkey[slot] != key:
            self._n_order = -1
        items, costs, result_tokens, same, source = prepared
        self.ids[slot] = page_id
        self.roles[slot] = role
        self._wkey[slot] = key
        self.turn[slot] = role.turn
        self._uids += 1  # a new number whenever a page's items change
        uid = self._uids * 8
        tok, rtok, code, src = self._w
        base = slot * _N_REPS
        for rep in _FOUR:
            at = base + rep
            self.items[at] = items.get(rep)
            tok[at] = costs[rep - 1]
            rtok[at] = result_tokens.get(rep, 0)
            code[at] = uid + same.get(rep, rep)
            src[at] = source.get(rep, rep)

    def item(self, slot: int, rep: int) -> Item | None:
        """What ``slot`` renders as at ``rep`` (made now if it was lazy); None off its path."""
        it = self.items[slot * _N_REPS + rep]
        if it is LAZY:
            self.make(slot, rep)
            it = self.items[slot * _N_REPS + rep]
        return it  # type: ignore[no-any-return]

    def shed(self, slot: int, keep: int) -> None:
        """Forget the made items of ``slot`` above rep ``keep`` (they are made again when
        shown): a page set aside keeps only what it renders as."""
        base = slot * _N_REPS
        for rep in range(keep + 1, _N_REPS):
            if self.items[base + rep] is not None:
                self.items[base + rep] = LAZY

    def lazy_slots(self) -> list[int]:
        return sorted(self._lazy)

    def clear(self, slot: int) -> None:
        self._live.discard(slot)
        self._lazy.discard(slot)
        n = self._n_order
        if n > 0 and self._worder[n - 1] == slot:  # the newest page (a turn's result) goes
            self._n_order = n - 1
        elif n > 0:
            kept = self._order[:n][self._order[:n] != slot]
            self._order[: len(kept)] = kept
            self._n_order = len(kept)
        self.ids[slot] = None
        self.roles[slot] = None
        self.items[slot * _N_REPS : (slot + 1) * _N_REPS] = None

    def role(self, slot: int) -> Role:
        role = self.roles[slot]
        assert isinstance(role, Role)
        return role

    def order(self) -> np.ndarray:
        """Live slots in render order (int64), cached until the page set or a place changes;
        a view, valid until the next change."""
        if self._n_order < 0:
            live = np.fromiter(self._live, dtype=np.int64, count=len(self._live))
            self._order[: len(live)] = live[np.argsort(self._key[live], kind="stable")]
            self._n_order = len(live)
        return self._order[: self._n_order]

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
            self.make,
        )
        return items, shared


def _no_maker(slot: int, rep: int) -> None:
    raise AssertionError(f"slot {slot} has a lazy item and no maker")

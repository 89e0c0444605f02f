"""The conversation as a stream (docs/rendering.md §1): where each page is rendered, in which role.

Pages of rules, constraints, the plan and preferences form the *stable region* (system
prompt first, then bootstrap and constraint pages in the system role, then plan and
preferences in a leading user message), in a fixed order. Everything else is the
*stream*, in the order it happened: user messages, assistant turns (the model's text and
the tool calls it made, each call paired with its result by the model's call id) and
context pages (documents, pages loaded back from the store) as user messages.

A page's place is its ``Role``: a render kind, a sort key and, for an assistant turn, the
turn it belongs to. Roles are planned without side effects and committed when the page is
installed, so a rejected page leaves the stream as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from clawvm._schema import PageType
from clawvm.errors import InvalidInputError
from clawvm.tools import ToolCall, render_id

#: Render kinds: where a page goes and in which role.
K_SYS, K_STABLE, K_USER, K_ASSIST, K_TOOL = 0, 1, 2, 3, 4
#: Stable-region order by type; the stream sorts after it.
_REGION = {PageType.BOOTSTRAP: 0, PageType.CONSTRAINT: 1, PageType.PLAN: 2, PageType.PREFERENCE: 3}
_STREAM = 4
_SUB_BITS = 16
#: Tool calls one assistant turn may hold (a model payload is bounded).
MAX_CALLS_PER_TURN = (1 << _SUB_BITS) - 1


@dataclass(frozen=True, slots=True)
class Call:
    """A tool call as rendered: the model's id, the id sent, tool name, arguments."""

    id: str
    rid: str
    name: str
    args: object
    raw: str | None


@dataclass(frozen=True, slots=True)
class Role:
    """Where a page renders: ``kind``, sort ``key``, assistant ``turn`` (-1: none), ``call``."""

    kind: int
    key: int
    turn: int = -1
    call: Call | None = None
    #: a plain page (a document, a page loaded back) shows its id even at full
    context: bool = False


def stable_role(ptype: PageType, seq: int) -> Role:
    region = _REGION[ptype]
    return Role(K_SYS if region < 2 else K_STABLE, region << 58 | seq)


def _key(pos: int, sub: int = 0) -> int:
    return _STREAM << 58 | pos << _SUB_BITS | sub


class Stream:
    """Positions of the stream, the open assistant turn and the calls it was told about."""

    def __init__(self) -> None:
        self._pos = 0
        self._open = -1  # the assistant turn new calls attach to; -1 when the last entry is not one
        self._next_sub: dict[int, int] = {}  # turn -> next free call index
        self._declared: dict[str, tuple[int, int, ToolCall]] = {}  # id -> (turn, sub, call)
        self._used: set[str] = set()  # call ids declared or answered: never reused
        self._generated = 0

    # ------------------------------------------------------------------ planning (no effects)
    def message(self, kind: int, *, context: bool = False) -> Role:
        """A user message or context page at the end of the stream."""
        return Role(kind, _key(self._pos + 1), context=context)

    def turn_text(self, turn: int | None = None) -> Role:
        """The text of assistant ``turn`` (default: a new turn at the end of the stream)."""
        pos = self._pos + 1 if turn is None else turn
        return Role(K_ASSIST, _key(pos), pos)

    def check_new_ids(self, ids: list[str]) -> None:
        """Raise unless every id is unused and they are distinct."""
        seen: set[str] = set()
        for cid in ids:
            if cid in self._used or cid in seen:
                raise InvalidInputError(
                    "call_id", f"call id {cid!r} is already in the conversation"
                )
            seen.add(cid)

    def call_role(self, call: ToolCall) -> Role:
        """Where the result of ``call`` renders: with its declaration, else in the open turn."""
        declared = self._declared.get(call.id)
        if declared is not None:
            turn, sub, _ = declared
        else:
            self.check_new_ids([call.id])
            turn = self._open if self._open >= 0 else self._pos + 1
            sub = self._next_sub.get(turn, 1)
            if sub > MAX_CALLS_PER_TURN:
                raise InvalidInputError(
                    "call_id", f"an assistant turn holds at most {MAX_CALLS_PER_TURN} calls"
                )
        c = Call(call.id, render_id(call.id), call.name, call.args, call.raw)
        return Role(K_TOOL, _key(turn, sub), turn, c)

    def new_call_id(self) -> str:
        """An id for a call the harness made without one (deterministic, never reused)."""
        self._generated += 1
        while f"call_clawvm_{self._generated}" in self._used:
            self._generated += 1
        return f"call_clawvm_{self._generated}"

    # ------------------------------------------------------------------ committing
    def commit(self, role: Role) -> None:
        """Record that a page now holds ``role`` (called when the page is installed)."""
        if role.kind < K_USER:
            return
        pos = role.key >> _SUB_BITS & ((1 << 42) - 1)
        self._pos = max(self._pos, pos)
        if role.kind == K_USER:
            self._open = -1
            return
        if role.turn == self._pos:  # (a late result of an earlier turn does not reopen it)
            self._open = role.turn
        sub = role.key & MAX_CALLS_PER_TURN
        self._next_sub[role.turn] = max(self._next_sub.get(role.turn, 1), sub + 1)
        if role.call is not None:
            self._used.add(role.call.id)
            self._declared.pop(role.call.id, None)

    def open_turn(self, declared: list[ToolCall]) -> int:
        """Start an assistant turn holding ``declared`` calls (results attach as they come)."""
        if len(declared) > MAX_CALLS_PER_TURN:
            raise InvalidInputError(
                "tool_calls", f"an assistant turn holds at most {MAX_CALLS_PER_TURN} calls"
            )
        self.check_new_ids([c.id for c in declared])
        self._pos += 1
        turn = self._open = self._pos
        for sub, call in enumerate(declared, start=1):
            self._declared[call.id] = (turn, sub, call)
            self._used.add(call.id)
        self._next_sub[turn] = len(declared) + 1
        return turn

    def declared(self, call_id: str) -> ToolCall | None:
        """The call the model declared with this id and that has no result yet."""
        d = self._declared.get(call_id)
        return None if d is None else d[2]

"""Tool mediation (docs/rendering.md §6): which calls run, which are served, what they invalidate.

A call of a tool the harness declared read-only (or idempotent) whose earlier result is
still valid — nothing that could change it ran since — and resident (or a resolvable
pointer) is a duplicate: counted as an alert and served from that result, with a short
reference as its own result message. If that result was evicted without a pointer, the
tool runs again (a duplicate-tool fault) into the same page, which moves to the new call.
Every other call runs. A call that is not read-only first invalidates the cached results
it could change (all of them, unless its declared ``resource`` says which).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clawvm._checks import REP_NAME_OF, check_principal, rep_of, repair_text
from clawvm._schema import Outcome, Rep
from clawvm._stream import Role
from clawvm._table import PageTable
from clawvm._writeback import Write
from clawvm._writes import Writes
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.pages import evidence, size_bound
from clawvm.results import ToolResult
from clawvm.stores._repr import safe_repr
from clawvm.stores._util import canonical, deeper_than, encode_json
from clawvm.tools import (
    MAX_ARGS_DEPTH,
    ToolCall,
    ToolRegistry,
    check_args,
    check_call_id,
    check_result,
    check_tool_name,
    exit_of,
    parse_args,
    signature,
    touches,
)

#: Bytes kept free in a result's page beyond its measured fields (JSON punctuation).
_ROOM_MARGIN = 256


def _json_bytes(value: Any) -> int:
    """UTF-8 bytes of ``value`` (plain JSON, no lone surrogates: ``repair_text`` first) as
    canonical JSON, measured as the journal measures it."""
    return len(encode_json(value)[1])


def clip_text(text: str, limit: int) -> str:
    """``text`` cut in the middle, with a line saying how much, so that its canonical JSON
    is at most ``limit`` UTF-8 bytes: the head and the tail of a log say the most. The cut
    falls on line ends where there are some near it."""
    size, keep, n = _json_bytes(text), len(text), len(text)
    out = text
    while size > limit and keep > 0:
        keep = int(keep * limit / size * 0.95)
        head, tail = keep // 2, n - (keep - keep // 2)
        nl = text.rfind("\n", head - head // 16, head)
        head = head if nl < 0 else nl
        nl = text.find("\n", tail, tail + (n - tail) // 16 + 1)
        tail = tail if nl < 0 else nl + 1
        note = f"[… {tail - head:,} characters cut: the whole result is over what a page keeps …]"
        out = f"{text[:head]}\n{note}\n{text[tail:]}"
        size = _json_bytes(out)
    return out


class Mediator:
    """``tool_execute`` of one VM: the registry, the servable results and their dependencies."""

    def __init__(self, table: PageTable, writes: Writes, tools: ToolRegistry) -> None:
        self.t = table
        self.writes = writes
        self.tools = tools
        self._cached: dict[str, str] = {}  # signature -> page whose result may be served
        self._sig: dict[str, str] = {}  # that page -> its signature
        self._deps: dict[str, frozenset[str] | None] = {}  # that page -> what it depends on
        table.on_remove.append(self._forget)

    def cached(self, sig: str) -> str | None:
        """The page whose result a call with this signature may be served from, if any."""
        return self._cached.get(sig)

    def check_size(self, args: Any) -> None:
        """Arguments (already ``check_args``-ed) may take half of what a page holds: the
        result gets the rest. ``InvalidInputError`` naming ``args`` otherwise."""
        half = self.t.wb.validator.max_value_bytes // 2
        if size_bound(args) > half:  # (a bound: measured as its page will keep it)
            n = _json_bytes(repair_text(args))
            if n > half:
                raise InvalidInputError(
                    "args", f"{n:,} bytes of JSON is over {half:,} (half a page)"
                )

    def call(self, name: Any, args: Any, call_id: Any) -> tuple[ToolCall, Role, str]:
        """The call checked (``check_size`` included, before the tool runs), where its
        result will render, and its signature."""
        name = check_tool_name(name)
        value, raw = parse_args(args)
        check_args(value)
        self.check_size(value)
        sig = signature(name, value)
        t = self.t
        cid = t.stream.new_call_id() if call_id is None else check_call_id(call_id)
        call = ToolCall(cid, name, value, raw)
        return call, t.stream.call_role(call), sig

    def execute(
        self,
        name: str,
        args: Any,
        run: Callable[[], Any] | None,
        need: Rep | int,
        principal: str,
        call_id: str | None,
    ) -> ToolResult:
        t = self.t
        if run is None or not callable(run):
            raise InvalidTypeError("run", f"expected a callable, got {type(run).__name__}")
        need = Rep(rep_of("need", need))
        if need == Rep.NONE:
            raise InvalidInputError("need", "a tool result is needed at pointer or above")
        check_principal(principal)
        t.require_session("tool_execute")
        call, role, sig = self.call(name, args, call_id)
        spec = self.tools.get(call.name)
        touched = None if spec is None else spec.resources(call.args)
        pid = self._cached.get(sig) if spec is not None and spec.cacheable else None
        if pid is not None:
            slot = t.slot[pid]
            sel = int(t.engine.selection[slot])
            if (
                slot in t.fresh
                or sel >= need
                or (sel >= Rep.POINTER and t.policy.evidence_pointers_resolve)
            ):
                return self._serve(pid, call, role, sig, principal, REP_NAME_OF[sel])
        # A call that may change things invalidates first: its effects can happen even if it fails.
        invalidated = [] if spec is not None and spec.read_only else self._invalidate(touched)
        value = run()
        # The tool has run: its result is kept whatever its depth or size (the page keeps
        # what a store can encode and hold; the caller gets the value as returned).
        clipped = None
        result = value
        limit = t.wb.validator.max_value_bytes
        if deeper_than(result, MAX_ARGS_DEPTH):
            clipped = f"nested deeper than {MAX_ARGS_DEPTH} levels: shown as text"
            result = safe_repr(result, limit)
        result = repair_text(result)
        check_result(result)
        content_exit = exit_of(result)
        args = repair_text(call.args)
        if size_bound(result) > limit // 2 - _ROOM_MARGIN:  # (arguments take at most half)
            other = {"args": args, "exit": content_exit, "result": "", "tool": call.name}
            room = limit - _json_bytes(other) - _ROOM_MARGIN
            total = _json_bytes(result)
            if total > room:
                result = clip_text(result if isinstance(result, str) else canonical(result), room)
                clipped = f"{total:,} bytes of JSON, over the {room:,} a page has for it: cut"
        rerun = pid is not None
        if pid is not None:  # evicted without a resolvable pointer: it had to run again
            t.engine.counters[Outcome.DUPLICATE_TOOL] += 1
            t.trace.emit("fault", kind="duplicate_tool", page=pid, signature=sig, tool=call.name)
            page = t.pages[pid]
            new = dict(page.content, result=result, args=args)
            if content_exit is not None:
                new["exit"] = content_exit
            d = self.writes.propose(
                Write(pid, "set", new, base_version=page.version), principal, role
            )
            if not d.accepted:
                raise InvalidInputError(
                    "result", f"the journal would reject it: {d.reason}: {d.detail}"
                )
            page.provenance["call_id"] = call.id
        else:
            pid = t.new_id("ev")
            page = evidence(
                pid,
                result,
                tool=call.name,
                args=args,
                exit=content_exit,
                provenance={"call": f"call:{sig}", "signature": sig, "call_id": call.id},
            )
            self.writes.add_page(page, principal, role)
            t.wb.validator.add_ref(f"call:{sig}")
        if spec is not None and spec.cacheable:
            self._forget(pid)
            self._cached[sig], self._sig[pid], self._deps[pid] = pid, sig, touched
        t.trace.emit(
            "tool",
            page=pid,
            signature=sig,
            tool=call.name,
            call=call.id,
            rerun=rerun,
            invalidated=invalidated,
            **({"clipped": clipped} if clipped else {}),
        )
        return ToolResult(pid, value, sig, False, call.id)

    def _serve(
        self, pid: str, call: ToolCall, role: Role, sig: str, principal: str, rep: str
    ) -> ToolResult:
        """A duplicate: an alert, and a short reference as the result of the new call."""
        t = self.t
        t.engine.counters[Outcome.ALERT] += 1
        t.trace.emit("alert", page=pid, signature=sig, tool=call.name, rep=rep)
        first = t.render.role(t.slot[pid]).call
        since = f"call {first.rid}" if first is not None else f"page {pid}"
        note = (
            f"Unchanged since {since}: the result is page {pid} "
            f'(page_in "{pid}" if it is not shown in full).'
        )
        ref = evidence(
            t.new_id("ref"),
            note,
            tool=call.name,
            args=repair_text(call.args),
            provenance={"served_from": pid, "signature": sig, "call_id": call.id},
        )
        self.writes.add_page(ref, principal, role)
        t.trace.emit(
            "tool", page=ref.id, signature=sig, tool=call.name, call=call.id, served_from=pid
        )
        return ToolResult(pid, t.pages[pid].content.get("result"), sig, True, call.id)

    def _invalidate(self, touched: frozenset[str] | None) -> list[str]:
        """Forget servable results a write touching ``touched`` could change; their pages."""
        gone = sorted(p for p, deps in self._deps.items() if touches(touched, deps))
        for p in gone:
            self._forget(p)
        return gone

    def _forget(self, page_id: str) -> None:
        sig = self._sig.pop(page_id, None)
        if sig is not None:
            del self._cached[sig]
            del self._deps[page_id]

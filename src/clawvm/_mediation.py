"""Tool mediation (SPEC §3.4): canonical signatures, duplicate detection, results as evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clawvm._checks import REP_NAME_OF, check_principal, rep_of, repair_text
from clawvm._schema import Outcome, Rep
from clawvm._table import PageTable
from clawvm._writeback import Write
from clawvm._writes import Writes
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.pages import evidence
from clawvm.results import ToolResult
from clawvm.tools import check_result, exit_of, signature


class Mediator:
    """``tool_execute`` of one VM."""

    def __init__(self, table: PageTable, writes: Writes) -> None:
        self.t = table
        self.writes = writes

    def execute(
        self, name: str, args: Any, run: Callable[[], Any], need: Rep | int, principal: str
    ) -> ToolResult:
        t = self.t
        sig = signature(name, args)
        check_result(args, "args")
        if not callable(run):
            raise InvalidTypeError("run", f"expected a callable, got {type(run).__name__}")
        need = Rep(rep_of("need", need))
        if need == Rep.NONE:
            raise InvalidInputError("need", "a tool result is needed at pointer or above")
        check_principal(principal)
        t.require_session("tool_execute")
        pid = t.calls.get(sig)
        if pid is not None and pid in t.pages:
            slot = t.slot[pid]
            sel = int(t.engine.selection[slot])
            resident = (
                slot in t.fresh
                or sel >= need
                or (sel >= Rep.POINTER and t.policy.evidence_pointers_resolve)
            )
            if resident:
                t.engine.counters[Outcome.ALERT] += 1
                t.trace.emit("alert", page=pid, signature=sig, tool=name, rep=REP_NAME_OF[sel])
                return ToolResult(pid, t.pages[pid].content.get("result"), sig, True)
        value = run()
        try:  # the page keeps what a store can encode; the caller gets the value as returned
            result = repair_text(value)
        except RecursionError:
            raise InvalidTypeError("result", "nested too deeply to keep as a page") from None
        content_exit = exit_of(result)
        check_result(result)
        if pid is not None and pid in t.pages:  # evicted without a resolvable pointer
            t.engine.counters[Outcome.DUPLICATE_TOOL] += 1
            t.trace.emit("fault", kind="duplicate_tool", page=pid, signature=sig, tool=name)
            new = dict(t.pages[pid].content, result=result)
            if content_exit is not None:
                new["exit"] = content_exit
            d = self.writes.propose(
                Write(pid, "set", new, base_version=t.pages[pid].version), principal
            )
            if not d.accepted:
                raise InvalidInputError(
                    "result", f"the journal would reject it: {d.reason}: {d.detail}"
                )
            t.trace.emit("tool", page=pid, signature=sig, tool=name, rerun=True)
            return ToolResult(pid, value, sig)
        pid = t.new_id("ev")
        tool = repair_text(name.strip())
        page = evidence(
            pid,
            result,
            tool=tool,
            args=repair_text(args),
            exit=content_exit,
            provenance={"call": f"call:{sig}", "signature": sig, "tool": tool},
        )
        self.writes.add_page(page, principal)
        t.wb.validator.add_ref(f"call:{sig}")
        t.trace.emit("tool", page=pid, signature=sig, tool=name, rerun=False)
        return ToolResult(pid, value, sig)

"""Model-driven paging (docs/rendering.md §7): a ``page_in`` tool called with a pointer's id.

The handler resolves the id (from the VM, or else from the store, scope-checked), counts the
demand at once against what the model saw — a page-in when the pointer was in its prompt —
and demands the page for the next prompt, where it renders in its own place. The call's
own result is a one-line note. The arguments are the model's payload: problems become that
note (and a trace event), never an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from clawvm._checks import REP_NAME_OF, REP_NAMES, check_principal, repair_text
from clawvm._recall import Recaller
from clawvm._schema import Outcome, Rep
from clawvm._table import PageTable
from clawvm._writes import Writes
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.pages import ID_PATTERN, evidence
from clawvm.reps import parse_pointer
from clawvm.results import ToolResult
from clawvm.stores._repr import safe_repr
from clawvm.stores._util import safe_text
from clawvm.tools import ToolCall, check_args, check_call_id, parse_args, signature

if TYPE_CHECKING:  # the SDKs are optional: without them these are Any
    from anthropic.types import ToolParam  # type: ignore[import-not-found, unused-ignore]
    from openai.types.chat import (  # type: ignore[import-not-found, unused-ignore]
        ChatCompletionToolParam,
    )
    from openai.types.responses import (  # type: ignore[import-not-found, unused-ignore]
        FunctionToolParam,
    )

__all__ = ["PAGING_TOOL", "Pager", "paging_tool"]

#: The paging tool's name.
PAGING_TOOL = "page_in"
#: Longest argument string the paging tool takes (an id and a rep need far less).
MAX_PAGING_ARGS = 4096
_DESCRIPTION = (
    "Show a page of earlier context again. Context that was shortened or set aside appears "
    "as [page:<id> ...]; pass that id. The page comes back in its own place in the "
    "conversation, in full unless you ask for less."
)
_REPS = ["full", "compressed", "structured"]


def _parameters() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "page_id": {"type": "string", "description": "the id after 'page:' in [page:<id> ...]"},
            "rep": {"type": "string", "enum": list(_REPS), "description": "default full"},
        },
        "required": ["page_id"],
        "additionalProperties": False,
    }


@overload
def paging_tool(api: Literal["openai"]) -> ChatCompletionToolParam: ...
@overload
def paging_tool(api: Literal["anthropic"]) -> ToolParam: ...
@overload
def paging_tool(api: Literal["responses"]) -> FunctionToolParam: ...
def paging_tool(api: str) -> Any:
    """The ``page_in`` tool definition for ``api`` (openai, anthropic or responses), fresh."""
    if api == "openai":
        fn = {"name": PAGING_TOOL, "description": _DESCRIPTION, "parameters": _parameters()}
        return {"type": "function", "function": fn}
    if api == "anthropic":
        return {"name": PAGING_TOOL, "description": _DESCRIPTION, "input_schema": _parameters()}
    if api == "responses":
        return {
            "type": "function",
            "name": PAGING_TOOL,
            "description": _DESCRIPTION,
            "parameters": _parameters(),
            "strict": False,
        }
    raise InvalidInputError("api", f"{safe_repr(api, 80)} is not openai, anthropic or responses")


def _request(value: Any, raw: str | None) -> tuple[str, int, str]:
    """(page id, rep, problem) from the model's arguments; problem is "" when they are fine."""
    if raw is not None and len(raw) > MAX_PAGING_ARGS:
        return "", 0, f"arguments longer than {MAX_PAGING_ARGS} characters"
    if isinstance(value, dict):
        want, rep_name = value.get("page_id"), value.get("rep", "full")
    else:
        want, rep_name = value, "full"
    if not isinstance(want, str) or not want.strip():
        return "", 0, 'expected {"page_id": "<id from a [page:<id> ...] handle>"}'
    want = want.strip()
    pid = parse_pointer(want) or (want[5:] if want.startswith("page:") else want)
    if not ID_PATTERN.fullmatch(pid):
        return "", 0, f"{want[:80]!r} is not a page id"
    rep = REP_NAMES.get(rep_name.lower()) if isinstance(rep_name, str) else None
    if rep is None or rep < Rep.STRUCTURED:
        return "", 0, f"rep must be one of {_REPS}, not {safe_repr(rep_name, 40)}"
    return pid, int(rep), ""


class Pager:
    """The ``page_in`` handler of one VM."""

    def __init__(self, table: PageTable, writes: Writes, recaller: Recaller) -> None:
        self.t = table
        self.writes = writes
        self.recaller = recaller

    def handle(
        self, arguments: Any, call_id: str | None, reader: str, principal: str
    ) -> ToolResult:
        """Serve one ``page_in`` call: ``reader`` is who asks (scope check), ``principal``
        who records the call's result."""
        t = self.t
        check_principal(reader)
        check_principal(principal)
        t.require_session("page_in")
        try:
            value, raw = parse_args(arguments)
            check_args(value)
        except (InvalidInputError, InvalidTypeError) as e:  # told to the model, not raised
            value = raw = safe_text(arguments, 200)
            pid, rep, problem = "", 0, str(e)
        else:
            pid, rep, problem = _request(value, raw)
        cid = t.stream.new_call_id() if call_id is None else check_call_id(call_id)
        if problem and raw is not None and len(raw) > MAX_PAGING_ARGS:  # keep the record small
            value = raw = raw[:200]
        call = ToolCall(cid, PAGING_TOOL, value, raw)
        t.stream.call_role(call)  # a reused id raises here, before anything is counted
        if not problem:
            problem = self._bring(pid, rep, reader, cid)
        role = t.stream.call_role(call)  # (after a page loaded from the store took its place)
        note = (
            f"page_in failed: {problem}"
            if problem
            else f"Page {pid} is back at {REP_NAME_OF[rep]} in its place in the conversation."
        )
        if problem:
            t.trace.emit("page_in", call=cid, status="rejected", reason=problem)
        ref = evidence(
            t.new_id("ref"),
            note,
            tool=PAGING_TOOL,
            args=repair_text(value),
            provenance={"call_id": cid},
        )
        self.writes.add_page(ref, principal, role)
        return ToolResult("" if problem else pid, note, signature(PAGING_TOOL, value), False, cid)

    def _bring(self, pid: str, rep: int, reader: str, cid: str) -> str:
        """Demand ``pid`` at ``rep`` for the next prompt, counted now; a problem or ""."""
        t = self.t
        found = self.recaller.fetch(pid, reader)
        if found.status != "ok":
            return f"{found.status}: {found.reason}"
        page = t.pages[pid]
        rep = next((int(r) for r in page.path if r >= rep), int(page.path[-1]))
        slot = t.slot[pid]
        eng = t.engine
        if slot in t.fresh:  # created or changed since the last prompt: in context already
            eng.counters[Outcome.HIT] += 1
            outcome = Outcome.HIT
        else:
            one, want = np.array([slot], np.int64), np.array([rep], np.int64)
            eng.account(one, want, np.zeros(1, np.int64), t.after_compaction)
            outcome = Outcome(int(eng.outcomes[0]))
        if outcome >= Outcome.POST_COMPACTION_BOOTSTRAP:
            kind = outcome.name.lower()
            t.trace.emit("fault", kind=kind, page=pid, rep=REP_NAME_OF[rep], call=cid)
        else:
            t.trace.emit(
                "page_in", page=pid, rep=REP_NAME_OF[rep], call=cid, outcome=outcome.name.lower()
            )
        t.pending[slot] = max(t.pending.get(slot, 0), rep)
        return ""

"""The harness-facing VM (docs/design.md §6): pages in, prompts out, durable state journaled.

A harness calls ``session_start``, then per turn ``assemble`` (before the model call),
``post_model`` (after it) and ``tool_execute`` (for each tool call), and ``compaction``,
``reset`` and ``session_end`` at lifecycle boundaries. Every decision goes to the
``DecisionTrace``. Bad input raises a typed error and leaves the VM unchanged.

The conversation keeps its structure: ``post_user`` records user messages, ``post_model``
the model's text and the tool calls it made, ``tool_execute`` each call's result under the
model's call id, and ``assemble(...).openai()`` / ``.anthropic()`` render them natively
(see ``_render``). The model pages context back in through the ``page_in`` tool
(``paging_tool``).

``VM`` is the public surface only; each concern lives in its own module over one shared
page table (``_table``): writes (``_writes``), boundaries (``_lifecycle``), turns
(``_turn``), the conversation's order (``_stream``), rendering (``_render``), tool
mediation (``_mediation``), recall (``_recall``) and paging (``_paging``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal, overload

from clawvm._checks import check_principal, nonneg, repair_text
from clawvm._lifecycle import Lifecycle
from clawvm._mediation import Mediator
from clawvm._paging import PAGING_TOOL, Pager, paging_tool
from clawvm._prefix import PrefixKeeper
from clawvm._recall import Recaller
from clawvm._render import CONTINUES, MESSAGE_TOKENS
from clawvm._schema import Rep
from clawvm._stream import K_USER, MAX_CALLS_PER_TURN
from clawvm._table import PageTable, SelectionView, Selector
from clawvm._turn import Demand, Turns
from clawvm._writeback import Write, Writeback
from clawvm._writes import MAX_WRITES_PER_REPLY, Writes
from clawvm.errors import InvalidInputError, InvalidTypeError, UnknownPageError
from clawvm.faults import FaultReport
from clawvm.pages import SCOPES, Page, segment
from clawvm.policy import Policy, get_policy
from clawvm.reps import DEFAULT_REGISTRY, Registry
from clawvm.results import Assembly, RecallResult, SessionStats, ToolResult
from clawvm.stores import open_store
from clawvm.stores._repr import safe_repr
from clawvm.stores.base import Decision, Store
from clawvm.tokens import Tokenizer, default_tokenizer, get_tokenizer
from clawvm.tools import ToolRegistry, canonical_json, signature, tool_call
from clawvm.trace import DecisionTrace

if TYPE_CHECKING:  # the SDKs are optional: without them these are Any
    from anthropic.types import ToolParam  # type: ignore[import-not-found, unused-ignore]
    from openai.types.chat import (  # type: ignore[import-not-found, unused-ignore]
        ChatCompletionToolParam,
    )
    from openai.types.responses import (  # type: ignore[import-not-found, unused-ignore]
        FunctionToolParam,
    )

__all__ = [
    "PAGING_TOOL",
    "VM",
    "Assembly",
    "Demand",
    "RecallResult",
    "SelectionView",
    "SessionStats",
    "ToolResult",
    "Write",
    "paging_tool",
    "signature",
]

_BOTH = frozenset(SCOPES)
#: Who may read which scope; a subagent sees project pages, not the session's private ones.
READ_POLICY: Mapping[str, frozenset[str]] = {
    "agent": _BOTH,
    "user": _BOTH,
    "harness": _BOTH,
    "system": _BOTH,
    "subagent": frozenset({"project"}),
}


def fixed_region(
    tokenizer: Tokenizer, system_prompt: str = "", tool_schemas: Sequence[Any] = ()
) -> int:
    """Tokens every prompt spends before any page: the system prompt, the tool schemas, the
    note that opens a conversation whose start was evicted, and the framing around the
    system message and the reply's start."""
    return (
        tokenizer.count(system_prompt)
        + sum(tokenizer.count(canonical_json(s, "tool_schemas")) for s in tool_schemas)
        + tokenizer.count(CONTINUES)
        + 2 * MESSAGE_TOKENS
    )


class VM:
    """Harness-managed virtual memory over one per-turn engine.

    ``budget`` is the whole prompt in tokens; pages get what is left after the fixed region
    (system prompt + tool schemas, and a few tokens for the line that opens a conversation
    whose start was evicted) and ``output_reserve``. ``store`` is a URL for ``open_store``
    or a ``Store``. ``tokenizer`` is a ``Tokenizer`` or a name for ``tokens.get_tokenizer``
    (``"fast"``, the default estimate; ``"o200k_base"`` or ``"cl100k_base"`` for exact
    counts). ``trace`` receives every decision (none kept if None). ``tools`` is the
    registry where the harness declares which tools are read-only (``tools.declare``).
    ``retire_after``: at a compaction, archive the unpinned pages (no floor, committed) that
    nobody needed since before the compaction that many compactions ago, and resume a
    session with its earlier conversation archived; None (the default) keeps every page
    (docs/memory.md).
    ``cache_headroom`` (0 <= h < 1) keeps the prompt's prefix for provider prompt caches:
    a turn keeps last turn's representation of every page while that fits the budget, and
    when it does not, re-selects under the budget less h of it so the next turns can
    append (docs/rendering.md §5); 0, the default, re-selects freely every turn.
    ``selector``, if given, computes every selection instead of the engine (another context
    strategy, for comparison in replays): called with a ``SelectionView``, it returns one rep
    per slot and the slots it wanted but could not fit; the VM checks the reps against the
    pages' paths and the page budget and accounts demands against them as against the
    engine's (``clawvm.replay.peers`` has two).
    """

    def __init__(
        self,
        budget: int,
        *,
        policy: str | Policy = "clawvm",
        store: str | Store = "memory://",
        tokenizer: Tokenizer | str | None = None,
        system_prompt: str = "",
        tool_schemas: Sequence[Mapping[str, Any]] = (),
        output_reserve: int = 0,
        trace: DecisionTrace | None = None,
        generators: Registry | None = None,
        read_policy: Mapping[str, Iterable[str]] | None = None,
        retire_after: int | None = None,
        cache_headroom: float = 0.0,
        selector: Selector | None = None,
    ) -> None:
        self.policy = get_policy(policy) if isinstance(policy, str) else policy
        if not isinstance(self.policy, Policy):
            raise InvalidTypeError(
                "policy", f"expected a policy name or Policy, got {type(policy).__name__}"
            )
        self.tokenizer: Tokenizer = (
            default_tokenizer()
            if tokenizer is None
            else get_tokenizer(tokenizer)
            if isinstance(tokenizer, str)
            else tokenizer
        )
        if not callable(getattr(self.tokenizer, "count", None)):
            raise InvalidTypeError("tokenizer", "expected an object with count(text) -> int")
        if not isinstance(system_prompt, str):
            raise InvalidTypeError(
                "system_prompt", f"expected str, got {type(system_prompt).__name__}"
            )
        self.system_prompt = system_prompt
        if isinstance(tool_schemas, (str, bytes, Mapping)) or not isinstance(
            tool_schemas, Iterable
        ):
            raise InvalidTypeError(
                "tool_schemas",
                f"expected a sequence of tool definitions, got {type(tool_schemas).__name__}",
            )
        self.tool_schemas = tuple(tool_schemas)
        self.fixed_tokens = fixed_region(self.tokenizer, system_prompt, self.tool_schemas)
        self.output_reserve = nonneg("output_reserve", output_reserve)
        self.budget = nonneg("budget", budget)
        page_budget = self.budget - self.fixed_tokens - self.output_reserve
        if page_budget < 0:
            raise InvalidInputError(
                "budget",
                f"{budget} is below the fixed region ({self.fixed_tokens} tokens of system prompt "
                f"and tool schemas) plus the output reserve ({self.output_reserve})",
            )
        if trace is not None and not isinstance(trace, DecisionTrace):
            raise InvalidTypeError(
                "trace", f"expected DecisionTrace or None, got {type(trace).__name__}"
            )
        if generators is not None and not isinstance(generators, Registry):
            raise InvalidTypeError(
                "generators", f"expected a reps.Registry, got {type(generators).__name__}"
            )
        self._owns_store = isinstance(store, str)
        store_obj = open_store(store) if isinstance(store, str) else store
        if not callable(getattr(store_obj, "commit", None)) or not callable(
            getattr(store_obj, "get", None)
        ):
            raise InvalidTypeError(
                "store", f"expected a store URL or Store, got {type(store).__name__}"
            )
        self.trace = trace if trace is not None else DecisionTrace(enabled=False)
        self.generators = DEFAULT_REGISTRY if generators is None else generators
        self.read_policy = {
            k: frozenset(v)
            for k, v in (READ_POLICY if read_policy is None else read_policy).items()
        }
        self._table = t = PageTable(
            self.policy,
            self.tokenizer,
            self.generators,
            Writeback(store_obj),
            self.trace,
            self.read_policy,
        )
        t.page_budget = page_budget
        if retire_after is not None:
            t.retire_after = nonneg("retire_after", retire_after)
        if isinstance(cache_headroom, bool) or not isinstance(cache_headroom, (int, float)):
            raise InvalidTypeError(
                "cache_headroom", f"expected a number, got {type(cache_headroom).__name__}"
            )
        if not 0.0 <= cache_headroom < 1.0:
            raise InvalidInputError("cache_headroom", f"must be in [0, 1), got {cache_headroom}")
        if cache_headroom > 0.0:
            t.keeper = PrefixKeeper(float(cache_headroom))
        if selector is not None and not callable(selector):
            raise InvalidTypeError(
                "selector", f"expected a callable, got {type(selector).__name__}"
            )
        t.selector = selector
        self.tools = ToolRegistry()
        self._writes = Writes(t)
        self._lifecycle = Lifecycle(t)
        self._turns = Turns(t, system_prompt, self.fixed_tokens)
        self._mediator = Mediator(t, self._writes, self.tools)
        self._recaller = Recaller(t)
        self._pager = Pager(t, self._writes, self._recaller)

    # ------------------------------------------------------------------ state
    @property
    def engine(self) -> Any:
        """The per-turn engine (native or reference); replaceable before pages are added."""
        return self._table.engine

    @engine.setter
    def engine(self, engine: Any) -> None:
        self._table.engine = engine

    @property
    def store(self) -> Store:
        return self._table.wb.store

    @property
    def session(self) -> str | None:
        return self._table.session

    @property
    def turn(self) -> int:
        """Prompts assembled so far."""
        return self._table.turn

    @property
    def unmet_total(self) -> int:
        """Required pages that did not fit, summed over every prompt so far."""
        return self._table.unmet_total

    @property
    def page_budget(self) -> int:
        """Tokens available to pages: budget minus fixed region minus output reserve."""
        return self._table.page_budget

    def __contains__(self, page_id: object) -> bool:
        return page_id in self._table.pages

    def __len__(self) -> int:
        return len(self._table.pages)

    def page(self, page_id: str) -> Page:
        """The resident-table page (any rep); ``UnknownPageError`` if the VM does not hold it."""
        try:
            return self._table.pages[page_id]
        except (KeyError, TypeError):
            raise UnknownPageError(f"unknown page id {safe_repr(page_id, 80)}") from None

    def pages(self) -> Iterator[Page]:
        """Every page, in creation order."""
        return self._table.ordered()

    @property
    def archived(self) -> frozenset[str]:
        """Ids of pages archived (``archive``, retirement): in the store, not in the table."""
        return frozenset(self._table.archived)

    # ------------------------------------------------------------------ pages
    def add_page(self, page: Page, *, principal: str = "harness") -> Page:
        """Add a page (dirty: its creation is staged for the next writeback); returns it.

        If the store already holds the same content for this id, the page starts clean.
        """
        return self._writes.add_page(page, principal)

    def upsert(self, page: Page, *, principal: str = "harness") -> Page:
        """Add ``page``, or replace the content of the page with its id (a validated ``set``)."""
        return self._writes.upsert(page, principal)

    def archive(self, page_id: str) -> bool:
        """Take a page out of the table; it stays in the store and comes back by id (a demand,
        ``page_in``, ``recall``, ``resolve``). A page with changes not yet written back
        leaves at the next boundary that commits them (returns False then).
        Hard-pinned pages stay (``InvalidInputError``).
        """
        return self._lifecycle.archive(page_id)

    def drop(self, page_id: str, *, principal: str = "harness") -> None:
        """Delete a page: it leaves the table (or the archive) now, and the store once the
        journal accepts its tombstone at the next writeback; if the journal refuses, the
        page comes back as committed. A page never committed is gone at once. Hard-pinned
        pages stay (``InvalidInputError``)."""
        self._lifecycle.drop(page_id, principal)

    # ------------------------------------------------------------------ lifecycle
    def session_start(self, session_id: str) -> list[str]:
        """Open a session; project pages and this session's committed pages load from the store.

        Returns the ids loaded. A session must end before another starts.
        """
        fresh = self._table.session is None
        loaded = self._lifecycle.session_start(session_id)
        if fresh:
            self._turns.start()
        return loaded

    def assemble(self, demands: Iterable[Demand] = ()) -> Assembly:
        """Build this turn's prompt: account demands, select reps under budget, render.

        A demand is a page id (wanted at full) or ``(page_id, rep)``. Unknown ids raise
        ``UnknownPageError`` before anything changes.
        """
        return self._turns.assemble(demands)

    def post_user(self, text: str, *, principal: str = "user") -> str:
        """Record a user message (a segment page, rendered in the user role); returns its id."""
        if not isinstance(text, str):
            raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
        if not text.strip():
            raise InvalidInputError("text", "a user message needs non-blank text")
        t = self._table
        t.require_session("post_user")
        page = segment(t.new_id("seg"), repair_text(text), speaker="user", turn=t.turn)
        self._writes.add_page(page, principal, t.stream.message(K_USER))
        return page.id

    def post_model(
        self,
        text: str = "",
        writes: Iterable[Write | Mapping[str, Any]] = (),
        *,
        tool_calls: Iterable[Any] = (),
        principal: str = "agent",
        record: bool = True,
    ) -> list[Decision]:
        """Record the model's reply (text and tool calls) and validate the updates it proposed.

        ``text`` becomes an assistant message (a segment page). ``tool_calls`` are the calls
        the reply made, as the SDK returned them (OpenAI ``message.tool_calls``, Anthropic
        ``tool_use`` blocks, Responses ``function_call`` items, or their dict forms): their
        results attach to this message as ``tool_execute(..., call_id=call.id)`` records
        them; a call never answered is never sent. ``writes`` are the model's payload:
        hostile input. Each gets a ``Decision``: accepted updates change their pages now
        and are staged for writeback (the pages turn dirty); malformed, unknown or
        forbidden ones (a payload naming its own ``principal``, an unknown page id, an
        agent writing rules) change nothing and come back rejected with their reason code.
        Who writes is always ``principal``, the harness's word. Malformed tool calls (and
        arguments ``tool_execute`` would refuse: too deep, or over half a page), more than
        65,535 calls or more than ``MAX_WRITES_PER_REPLY`` (1,024) writes raise
        ``InvalidInputError`` before anything is recorded.
        """
        if not isinstance(text, str):
            raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
        check_principal(principal)
        if isinstance(writes, (str, bytes, Mapping)):
            raise InvalidTypeError("writes", "expected an iterable of writes, not one write")
        if isinstance(tool_calls, (str, bytes, Mapping)):
            raise InvalidTypeError("tool_calls", "expected an iterable of tool calls")
        t = self._table
        t.require_session("post_model")
        calls = [tool_call(c) for c in islice(tool_calls, MAX_CALLS_PER_TURN + 1)]
        for c in calls:  # a call whose arguments tool_execute would refuse is not recorded
            self._mediator.check_size(c.args)
        t.stream.check_new_ids([c.id for c in calls])
        writes = list(islice(writes, MAX_WRITES_PER_REPLY + 1))
        if len(writes) > MAX_WRITES_PER_REPLY:
            raise InvalidInputError(
                "writes", f"a reply proposes at most {MAX_WRITES_PER_REPLY:,} writes"
            )
        todo = [self._writes.payload(w, principal) for w in writes]
        said = bool(text.strip()) and record
        if said or calls:
            turn = t.stream.open_turn(calls)
            if said:
                page = segment(t.new_id("seg"), repair_text(text), speaker="assistant", turn=t.turn)
                self._writes.add_page(page, principal, t.stream.turn_text(turn))
        return [w if isinstance(w, Decision) else self._writes.propose(w, principal) for w in todo]

    def tool_execute(
        self,
        name: str,
        args: Any,
        run: Callable[[], Any] | None = None,
        *,
        call_id: str | None = None,
        need: Rep | int = Rep.STRUCTURED,
        principal: str = "harness",
    ) -> ToolResult:
        """Mediate one tool call and record its result under the model's ``call_id``.

        ``args`` are the call's arguments (a dict, or OpenAI's JSON argument string).
        ``run()`` produces the result (str or plain JSON), which becomes an evidence page
        rendered as the call's result. A tool declared read-only (or idempotent) in
        ``tools`` whose earlier result is still valid and resident at ``need`` (or a
        resolvable pointer) is not run: the call counts an alert and is served that
        result. Undeclared and side-effecting tools always run. A result too deep or too
        big for its page is kept as its text, cut in the middle with a line saying so
        (``ToolResult.value`` is what ``run`` returned). ``run`` may be omitted for
        the paging tool (``page_in``), which the VM answers itself. Without ``call_id`` an
        id is generated (``ToolResult.call_id``).
        """
        if run is None and name == PAGING_TOOL:
            return self._pager.handle(args, call_id, "agent", principal)
        return self._mediator.execute(name, args, run, need, principal, call_id)

    def page_in(
        self, arguments: Any, *, call_id: str | None = None, principal: str = "agent"
    ) -> ToolResult:
        """Answer a ``page_in`` call: ``arguments`` as the model sent them (``{"page_id": ...,
        "rep": ...}``, dict or JSON string).

        The page is demanded for the next prompt, where it is back in its own place; the
        demand is counted now against what the model saw (a page-in when its pointer was
        there). Bad arguments, unknown or unreadable pages are told to the model in the
        call's result (``ToolResult.value``; ``page_id`` is then ""), never raised.
        ``principal`` is who asks (its read scopes apply).
        """
        return self._pager.handle(arguments, call_id, principal, "harness")

    @overload
    def paging_tool(self, api: Literal["openai"]) -> ChatCompletionToolParam: ...
    @overload
    def paging_tool(self, api: Literal["anthropic"]) -> ToolParam: ...
    @overload
    def paging_tool(self, api: Literal["responses"]) -> FunctionToolParam: ...
    def paging_tool(self, api: str) -> Any:
        """The ``page_in`` tool definition for ``api`` (also ``clawvm.paging_tool``)."""
        return paging_tool(api)  # type: ignore[call-overload]

    def stats(self) -> SessionStats:
        """This session's prompt-cache figures: how much of each prompt repeats the last."""
        return self._turns.stats

    def compaction(self, *, threshold_jump: bool = False) -> None:
        """Destructive boundary: write back dirty pages, empty the context, keep the floors.

        ``threshold_jump`` says the context leapt past the compaction threshold in one step;
        policies that flush only at a soft threshold (``flush_on_threshold_only``) miss it.
        """
        p = self.policy
        self._lifecycle.boundary(
            "compaction",
            p.writeback_at_compaction and not (p.flush_on_threshold_only and threshold_jump),
        )

    def reset(self) -> None:
        """Destructive boundary (``/reset``, ``/new``): write back, then start a fresh context."""
        self._lifecycle.boundary("reset", self.policy.writeback_at_reset)

    def session_end(self) -> None:
        """Destructive boundary: write back, then drop the session's pages (project pages stay).

        Ending when no session is open does nothing (so it is safe in ``finally``).
        """
        if self._table.session is None:
            return
        self._lifecycle.boundary("session_end", self.policy.writeback_at_session_end)

    def recall(self, query: str, *, principal: str = "agent", k: int = 5) -> RecallResult:
        """Page in by id, pointer text or keywords; never a bare empty result (docs/design.md §1).

        Under a policy without ``typed_recall`` a denied or failed recall comes back as an
        empty ``no_match`` with no reason and counts a silent-recall fault.
        """
        return self._recaller.recall(query, principal, k)

    def resolve(self, pointer: str) -> Page:
        """The page a ``[page:<id> ...]`` handle names, from the VM or else from the store."""
        return self._recaller.resolve(pointer)

    def faults(self) -> FaultReport:
        """Counts so far: hits, page-ins, faults by kind, alerts, unmet (invariant pressure)."""
        return FaultReport.from_counters(self._table.engine.counters, self._table.unmet_total)

    def close(self) -> None:
        """Close the store if the VM opened it (pending writes are not flushed: end the session)."""
        if self._owns_store:
            self._table.wb.store.close()

    def __enter__(self) -> VM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""The VM's page table: pages by id, their engine slots and rendered messages, and the session.

Every other part of the VM (writes, boundaries, mediation, recall, turns) works through this
one object, so a page is installed, changed and removed in exactly one place: its engine
row, its rendered messages and its journal bookkeeping always move together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from clawvm._checks import tname
from clawvm._engine import Engine
from clawvm._prefix import PrefixKeeper
from clawvm._render import (
    FAST_EVIDENCE,
    Prepared,
    RenderTable,
    evidence_item,
    prepare,
    prepare_evidence,
)
from clawvm._schema import PATH_MASK, PageType, Pin, Rep
from clawvm._stream import K_USER, Role, Stream, stable_role
from clawvm._writeback import Writeback
from clawvm.errors import (
    InvalidInputError,
    InvalidTypeError,
    InvariantViolation,
    SessionError,
    StoreError,
)
from clawvm.pages import Page
from clawvm.policy import Policy
from clawvm.reps import LazyReps, Registry, evidence_parts, lazy_evidence_reps
from clawvm.stores.base import Record, Staged, is_tombstone
from clawvm.tokens import FastTokenizer, Tokenizer
from clawvm.trace import DecisionTrace


class Refs(set):  # type: ignore[type-arg]
    """The validator's provenance refs, kept bounded: a page id resolves while the VM holds
    the page or has archived it (so ids are never stored here), and a tool call's ref
    (``call:<signature>``) lives as long as the page of its result."""

    def __init__(self, table: PageTable) -> None:
        super().__init__()
        self._t = table

    def __contains__(self, ref: object) -> bool:
        t = self._t
        return super().__contains__(ref) or ref in t.pages or ref in t.archived

    def add(self, ref: str) -> None:
        if ref not in self._t.pages:
            super().add(ref)


#: (rep bodies, a ``LazyReps`` for a tool result whose reps are made when shown; what
#: ``_render.prepare`` makes of them; role)
Measured = tuple[dict[Rep, str], Prepared, Role]
#: Costs given instead of the rendered ones (pointer, structured, compressed, full), and the
#: utility and recompute cost to use instead of the page's (None: the page's own).
Given = tuple[tuple[int, int, int, int], float | None, float | None]
#: ``PageTable.given`` key prefix for the result of a tool call, by the model's call id.
GIVEN_CALL = "call:"
_MASKS = np.array([PATH_MASK[PageType(t)] for t in range(len(PageType))] + [0] * 250, np.int64)


@dataclass(frozen=True, slots=True)
class SelectionView:
    """What a ``selector`` sees each time a selection is due (a turn, or after a boundary).

    ``order``: live slots in render order (the stable region first, then the stream);
    ``kinds``: each slot's render kind (``_stream.K_*``); ``turns``: its assistant turn (-1
    when none); ``tools``: the tool name of a tool result ("" otherwise); ``tokens``,
    ``ptype``: the engine's columns; ``demand_slots``/``demand_reps``: this turn's demands
    (empty after a boundary); ``budget``: the page budget.
    """

    order: np.ndarray
    kinds: np.ndarray
    turns: np.ndarray
    tools: tuple[str, ...]
    tokens: np.ndarray
    ptype: np.ndarray
    demand_slots: np.ndarray
    demand_reps: np.ndarray
    budget: int


#: A selection computed outside the engine: one rep per slot, and the slots it wanted but
#: could not fit (invariant pressure, reported as unmet).
Selector = Callable[[SelectionView], tuple[np.ndarray, np.ndarray]]


def _labelled(
    page: Page, role: Role, bodies: dict[Rep, str], costs: tuple[int, int, int, int]
) -> Prepared:
    """``prepare``'s result for a page whose costs are given: each rep shows its label."""
    call = role.call
    items: dict[Rep, Any] = {}
    sent: tuple[str, str, str, Any] | None = None
    if call is not None:
        sent = (call.rid, call.name, "{}", {})
    for rep in page.path:
        items[rep] = (role.kind, role.turn, bodies[rep], sent, page.id, int(rep))
    result_tokens = {} if call is None else {r: costs[r - 1] for r in page.path}
    same = {r: int(r) for r in page.path}
    return items, costs, result_tokens, same, {r: r for r in page.path}


def _checked(chosen: Any, eng: Any, budget: int) -> tuple[np.ndarray, int]:
    """A selector's choice, held to the engine's invariants: one rep per slot, each on its
    page's path (none for a free slot), within the budget. Returns (reps, tokens used)."""
    n = eng.n_slots
    sel = np.asarray(chosen)
    if sel.shape != (n,) or sel.dtype.kind not in "iu":
        raise InvariantViolation(f"a selector must return one rep per slot ({n} integers)")
    sel = sel.astype(np.int64)
    if n and (sel.min() < 0 or sel.max() > Rep.FULL):
        raise InvariantViolation("a selector chose a rep outside none..full")
    types = eng.ptype[:n].astype(np.int64)
    if np.any((sel > 0) & (((_MASKS[types] >> sel) & 1) == 0)):  # a free slot's mask is 0
        raise InvariantViolation("a selector chose a rep off a page's path or a free slot")
    costs = np.where(sel > 0, eng.tokens[:n][np.arange(n), np.maximum(sel, 1) - 1], 0)
    used = int(costs.sum())
    if used > budget:
        raise InvariantViolation(f"a selector used {used} tokens of {budget}")
    return sel, used


class PageTable:
    """Pages, engine, render table, journal link and session state of one VM."""

    def __init__(
        self,
        policy: Policy,
        tokenizer: Tokenizer,
        generators: Registry,
        wb: Writeback,
        trace: DecisionTrace,
        read_policy: Mapping[str, frozenset[str]],
    ) -> None:
        self.policy = policy
        self.tokenizer = tokenizer
        self.generators = generators
        self.wb = wb
        self.trace = trace
        self.read_policy = read_policy
        self.engine = Engine(64, **policy.engine_flags())  # type: ignore[arg-type]
        self.render = RenderTable(64)
        self.render.make = self.make_items
        wb.validator.known_refs = Refs(self)
        self.pages: dict[str, Page] = {}
        self.slot: dict[str, int] = {}
        self.stream = Stream()
        self.fresh: set[int] = set()  # slots created or changed since the last assemble
        self.pending: dict[int, int] = {}  # slot -> rep the model paged in for the next prompt
        self.on_remove: list[Callable[[str], None]] = []  # who forgets a page with it
        self.page_budget = 0  # tokens for pages: set by the VM from its budget
        #: pages that left the table but stay in the store, by id: their scope
        self.archived: dict[str, str] = {}
        #: pages dropped whose tombstone waits for the next writeback: id -> scope
        self.dropped: dict[str, str] = {}
        self.to_archive: set[str] = set()  # archived once their changes are committed
        #: per slot, the last turn the page was needed (created, changed, demanded, paged in)
        self.need = np.zeros(64, dtype=np.int64)
        self.retire_after: int | None = None  # compactions a pointer outlives unneeded
        self.compactions: list[int] = []  # turns of the compactions so far
        self.session: str | None = None
        self.after_compaction = False
        self.turn = 0
        self.unmet_total = 0
        self._ids_made: dict[str, int] = {}
        #: Costs to use instead of rendering, by page id (or ``GIVEN_CALL`` + call id for the
        #: result of that call): how a replay installs pages whose costs a trace recorded.
        self.given: dict[str, Given] = {}
        #: Keeps last turn's reps while they fit, for prompt caches (``VM(cache_headroom=)``).
        self.keeper: PrefixKeeper | None = None
        #: Computes every selection instead of the engine when set (a peer policy in replays).
        self.selector: Selector | None = None
        self.last_unmet = np.zeros(0, dtype=np.int32)  # slots the last selection left unmet

    def require_session(self, call: str) -> None:
        if self.session is None:
            raise SessionError(
                f"{call}: no session is open; call session_start(session_id) first "
                "(there is no implicit shared session)"
            )

    def ordered(self) -> Iterator[Page]:
        """Every page, in creation order."""
        seq = self.engine.seq
        return iter(sorted(self.pages.values(), key=lambda p: int(seq[self.slot[p.id]])))

    def seq_of(self, page_id: str) -> int:
        return int(self.engine.seq[self.slot[page_id]])

    def new_id(self, prefix: str) -> str:
        n = self._ids_made.get(prefix, 0)
        while f"{prefix}-{n + 1}" in self.pages:
            n += 1
        self._ids_made[prefix] = n + 1
        return f"{prefix}-{n + 1}"

    def role(self, page: Page, *, loaded: bool = False) -> Role:
        """Where a new page renders: rules and plans in the stable region, others in the stream.

        A segment keeps its speaker's role (user or assistant message); other stream pages,
        and any page loaded back from the store, are context shown as user messages.
        """
        if page.type not in (PageType.EVIDENCE, PageType.SEGMENT):
            return stable_role(page.type, 0)  # (its creation order is known once installed)
        speaker = page.content.get("speaker") if page.type == PageType.SEGMENT else None
        if loaded or speaker not in ("user", "assistant"):
            return self.stream.message(K_USER, context=True)
        return self.stream.turn_text() if speaker == "assistant" else self.stream.message(K_USER)

    def new_conversation(self) -> None:
        """A new session is a new conversation: call ids start over, and pages that stayed
        from the last one (project-scoped stream pages) become context, in their order."""
        self.stream = Stream()
        for page in self.ordered():
            slot = self.slot[page.id]
            if self.render.role(slot).kind < K_USER:
                continue
            role = self.stream.message(K_USER, context=True)
            self.stream.commit(role)
            bodies, prepared, _ = self.measure(page, role)
            page.tokens = prepared[1]
            self.engine.update_page(slot, tokens=page.tokens)
            self.render.set(slot, page.id, role, prepared, type(bodies) is LazyReps)

    def _lazy(self, page: Page) -> bool:
        """Is ``page`` a tool result whose reps can wait: default generators and estimate?"""
        return (
            FAST_EVIDENCE
            and page.type == PageType.EVIDENCE
            and type(self.tokenizer) is FastTokenizer
            and self.generators.is_default(PageType.EVIDENCE)
            and (type(page.reps) is LazyReps or not page.reps)
        )

    def full_text(self, page: Page) -> str:
        """The page's full rep, without making (and keeping) lazy reps."""
        reps = page.reps
        if type(reps) is LazyReps and not reps.made:
            call, result, exit = reps.parts
            return f"$ {call}\n{result}" + ("" if exit is None else f"\n[exit {exit}]")
        return reps[Rep.FULL]

    def measure(self, page: Page, role: Role) -> Measured:
        """Rep bodies, what the page shows at each rep in ``role``, and its engine costs.

        A tool result with the default reps is priced from one scan of its text; its reps
        and items above pointer are made when first needed (``make_items``). A page with
        ``given`` costs (its own or its call's) is not rendered or counted: each rep shows a
        label.
        """
        given = self._given(page, role) if self.given else None
        if given is not None:  # nothing to render or count: what each rep shows is a label
            bodies = dict(page.reps) or {r: f"[page:{page.id}] {r.name.lower()}" for r in page.path}
            return bodies, _labelled(page, role, bodies, given[0]), role
        if self._lazy(page):
            parts = evidence_parts(page.content)
            prepared = prepare_evidence(page, role, self.tokenizer, False, parts)
            if prepared is not None:
                return lazy_evidence_reps(page, parts), prepared, role
        bodies = dict(page.reps) if page.reps else self.generators.generate(page)
        return bodies, prepare(page, role, bodies, self.tokenizer), role

    def make_items(self, slot: int, rep: int) -> None:
        """Make the lazy item of ``slot`` at ``rep`` (a prompt shows it above pointer)."""
        r = self.render
        page = self.pages[r.ids[slot]]
        parts = page.reps.parts if type(page.reps) is LazyReps else None
        r.items[slot * 5 + rep] = evidence_item(
            page, r.role(slot), rep, int(r.src[slot * 5 + rep]), parts
        )

    def shed(self) -> None:
        """Forget the made items of pages shown at no more than pointer (made again when
        shown): after a boundary, memory holds the texts of what the prompt shows."""
        render, sel = self.render, self.engine.selection
        for slot in render.lazy_slots():
            render.shed(slot, int(sel[slot]))

    def _given(self, page: Page, role: Role) -> Given | None:
        """The given costs of ``page``; a call's are moved to the page id it now has."""
        if role.call is not None:
            by_call = self.given.pop(GIVEN_CALL + role.call.id, None)
            if by_call is not None:
                self.given[page.id] = by_call
                return by_call
        return self.given.get(page.id)

    def select(self, slots: np.ndarray, reps: np.ndarray, update_recency: bool) -> tuple[int, Any]:
        """This selection, by the engine (a turn keeping last turn's reps where ``keeper``
        says so) or else by ``selector`` (validated): (tokens used, unmet slots). The one
        place both turns and boundaries select."""
        eng = self.engine
        if self.selector is None:
            used = int(eng.select(self.page_budget, slots, reps, update_recency))
            self.last_unmet = eng.unmet()
            if self.keeper is not None:
                if update_recency:  # a turn; after a boundary the selection starts afresh
                    used, self.last_unmet = self.keeper.turn(
                        eng, self.page_budget, slots, reps, used, self.last_unmet
                    )
                self.keeper.remember(eng)
            return used, self.last_unmet
        n = eng.n_slots
        render = self.render
        order = render.order()
        roles = [render.role(int(s)) for s in order]
        view = SelectionView(
            order.copy(),  # (the table's order is a view it changes in place)
            np.array([r.kind for r in roles], dtype=np.int64),
            np.array([r.turn for r in roles], dtype=np.int64),
            tuple(r.call.name if r.call is not None else "" for r in roles),
            eng.tokens[:n],
            eng.ptype[:n],
            slots,
            reps,
            self.page_budget,
        )
        chosen, unmet = self.selector(view)
        sel, used = _checked(chosen, eng, self.page_budget)
        eng.selection[:n] = sel
        self.last_unmet = np.asarray(unmet, dtype=np.int32)
        return used, self.last_unmet

    def committed(self, page: Page) -> Record | None:
        """The store's committed record of ``page``'s id, if any (a type clash is an error)."""
        try:
            record = self.wb.record(page.id, page.scope)
        except StoreError:
            return None
        if record is not None and record.ptype != tname(page.type):
            raise InvalidInputError("page.type", f"{page.id!r} is committed as {record.ptype!r}")
        return record

    def install(self, page: Page, measured: Measured, staged: Staged | None) -> None:
        """Give ``page`` a slot, its messages and its journal refs; stage it when ``staged``."""
        eng = self.engine
        bodies, prepared, role = measured
        tokens = prepared[1]
        page.reps = bodies
        given = self.given.get(page.id) if self.given else None
        if given is not None:
            page.base = page.base if given[1] is None else given[1]
            page.recompute = page.recompute if given[2] is None else given[2]
        assert page.floor is not None and page.pin is not None and page.recompute is not None
        slot = eng.add_page(
            int(page.type), tokens, int(page.floor), int(page.pin), page.base, page.recompute
        )
        page.tokens = tokens
        self.pages[page.id] = page
        self.slot[page.id] = slot
        self.archived.pop(page.id, None)
        self.needed(slot)
        if role.kind < K_USER:  # the stable region keeps creation order within each type
            role = stable_role(page.type, int(eng.seq[slot]))
        self.stream.commit(role)
        self.render.set(slot, page.id, role, prepared, type(bodies) is LazyReps)
        self.wb.validator.add_ref(page.id)
        if page.pin == Pin.HARD:
            self.wb.validator.pin(page.id)
        self.fresh.add(slot)
        if staged is not None:
            self.wb.stage(staged)
            eng.mark_dirty(slot)
            self.trace.emit(
                "stage",
                page=page.id,
                op=staged.op,
                principal=staged.principal,
                version=page.version,
            )
        else:
            eng.mark_clean(slot, page.version)

    def load(self, rec: Record) -> bool:
        """Install a committed record as a clean page; False if it is not a page clawvm knows
        (or one dropped: its tombstone, or a drop waiting for writeback)."""
        if rec.key in self.dropped or is_tombstone(rec.value):
            return False
        try:
            page = Page(
                rec.key,
                PageType[str(rec.ptype).upper()],
                rec.value,
                scope=rec.scope,
                version=rec.version,
            )
        except (KeyError, InvalidInputError, InvalidTypeError):
            return False
        self.install(page, self.measure(page, self.role(page, loaded=True)), None)
        self.fresh.discard(self.slot[page.id])
        return True

    def needed(self, slot: int) -> None:
        """The page in ``slot`` is needed now (it stays a candidate for the prompt)."""
        if slot >= len(self.need):
            grown = np.zeros(max(slot + 1, 2 * len(self.need)), np.int64)
            grown[: len(self.need)] = self.need
            self.need = grown
        self.need[slot] = self.turn

    def archive(self, page_id: str) -> None:
        """Take a committed, clean page out of the table; it stays in the store (and in
        ``archived``), where paging, recall and pointers find it by id."""
        page = self.pages[page_id]
        self.remove(page_id)
        self.archived[page_id] = page.scope

    def remove(self, page_id: str) -> None:
        self.given.pop(page_id, None)
        slot = self.slot.pop(page_id)
        page = self.pages.pop(page_id)
        call = page.provenance.get("call")
        if isinstance(call, str):
            self.wb.validator.known_refs.discard(call)
        self.engine.remove_page(slot)
        self.render.clear(slot)
        self.fresh.discard(slot)
        self.pending.pop(slot, None)
        self.wb.validator.unpin(page_id)
        for forget in self.on_remove:
            forget(page_id)

    def replace(self, page: Page, content: Any, version: int, role: Role | None = None) -> None:
        """Give ``page`` new content: reps, costs, floor and pin follow (a plan when done).

        ``role`` moves the page in the stream too (a re-run tool call answers a new call).
        """
        new = Page(
            page.id,
            page.type,
            content,
            scope=page.scope,
            pin=page.pin if page.explicit_floor else None,
            floor=page.floor if page.explicit_floor else None,
            provenance=page.provenance,
            base=page.base,
            recompute=page.recompute,
            version=version,
            explicit_floor=page.explicit_floor,
        )
        slot = self.slot[page.id]
        if role is None:
            role = self.render.role(slot)
        else:
            self.stream.commit(role)
        bodies, prepared, _ = self.measure(new, role)
        tokens = prepared[1]
        assert new.floor is not None and new.pin is not None
        self.engine.update_page(slot, tokens=tokens, floor=int(new.floor), pin=int(new.pin))
        page.content, page.version, page.tokens = content, version, tokens
        page.reps = bodies
        page.floor, page.pin = new.floor, new.pin
        if page.pin == Pin.HARD:
            self.wb.validator.pin(page.id)
        else:
            self.wb.validator.unpin(page.id)
        self.render.set(slot, page.id, role, prepared, type(bodies) is LazyReps)
        self.fresh.add(slot)
        self.needed(slot)

    def revert(self, pid: str) -> bool:
        """Reload ``pid`` from its committed record; False if it was never committed."""
        page = self.pages[pid]
        read = self.wb.read(pid, page.scope)
        if read.status != "ok" or read.record is None:
            self.engine.mark_clean(self.slot[pid], page.version)
            return False
        self.replace(page, read.record.value, read.record.version)
        self.engine.mark_clean(self.slot[pid], read.record.version)
        return True

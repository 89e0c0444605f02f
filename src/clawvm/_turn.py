"""One turn's prompt: account the demands (docs/design.md §7), select (docs/selection.md), gather.

Demands are classified against the selection the model last saw (hit, page-in or a fault),
then the engine selects this turn's reps. Pages created or changed since the last prompt
are in the model's context already: demanding them is a hit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from clawvm._checks import DEMAND_REPS, REP_NAME_OF, rep_of
from clawvm._schema import Outcome, Rep
from clawvm._render import kernels
from clawvm._table import PageTable
from clawvm.errors import InvalidInputError, InvalidTypeError, UnknownPageError
from clawvm.results import Assembly, SessionStats
from clawvm.stores._repr import safe_repr

Demand = str | tuple[str, Rep | int | str]

_EMPTY = np.zeros(0, dtype=np.int64)
_FLAGS = np.zeros(256, dtype=np.int64)


class Turns:
    """``assemble`` of one VM."""

    def __init__(self, table: PageTable, system_prompt: str, fixed_tokens: int) -> None:
        self.t = table
        self.system_prompt = system_prompt
        self.fixed_tokens = fixed_tokens
        self._prev_sel = np.zeros(0, dtype=np.uint8)
        self._prompts = self._prompt_tokens = self._prefix_tokens = 0
        self._first = True  # the next prompt is the session's first: nothing before it

    def start(self) -> None:
        """A new session: its first prompt has no previous prompt to share a prefix with."""
        self._prompts = self._prompt_tokens = self._prefix_tokens = 0
        self._first = True
        self.t.render.forget_prompt()
        if self.t.keeper is not None:
            self.t.keeper.reset()

    @property
    def stats(self) -> SessionStats:
        keeper = self.t.keeper
        return SessionStats(
            self._prompts,
            self._prompt_tokens,
            self._prefix_tokens,
            keeper.repacks if keeper is not None else 0,
        )

    def assemble(self, demands: Iterable[Demand]) -> Assembly:
        t = self.t
        t.require_session("assemble")
        sl, rp = self.parse(demands)
        eng = t.engine
        asl, arp = sl, rp
        if t.fresh:
            keep = [i for i, s in enumerate(sl.tolist()) if s not in t.fresh]
            fresh_hits = len(sl) - len(keep)
            if fresh_hits:  # content the model just produced or received is in its context
                asl, arp = sl[keep], rp[keep]
                eng.counters[Outcome.HIT] += fresh_hits
            t.fresh.clear()
        n = len(asl)
        flags = _FLAGS[:n] if n <= len(_FLAGS) else np.zeros(n, dtype=np.int64)
        faults = eng.account(asl, arp, flags, t.after_compaction)
        if t.pending:  # pages the model paged in (counted when it asked) are required now
            sl = np.concatenate([sl, np.fromiter(t.pending, np.int64, len(t.pending))])
            rp = np.concatenate([rp, np.fromiter(t.pending.values(), np.int64, len(t.pending))])
            t.pending = {}
        used, unmet_slots = t.select(sl, rp, True)
        t.turn += 1
        if len(sl):
            t.need[sl] = t.turn
        t.trace.turn = t.turn
        unmet = tuple(t.render.ids[unmet_slots].tolist()) if len(unmet_slots) else ()
        t.unmet_total += len(unmet)
        sel = eng.selection
        items, shared = t.render.turn_items(sel)
        prompt = used + self.fixed_tokens
        if self._first:
            prefix = 0
            self._first = False
        else:
            prefix = shared + self.fixed_tokens
            self._prompts += 1
            self._prompt_tokens += prompt
            self._prefix_tokens += prefix
        if t.trace.enabled:
            self._trace(asl, arp, sl, rp, used, unmet, sel, prefix, prompt)
        return Assembly(
            self.system_prompt,
            t.turn,
            items,
            used,
            self.fixed_tokens,
            prefix,
            unmet,
            int(faults),
        )

    def parse(self, demands: Iterable[Demand]) -> tuple[np.ndarray, np.ndarray]:
        """Demands as (slots, reps) arrays; unknown ids and bad reps raise before anything
        changes. A list of known ids and pairs takes the native path; the rest (errors,
        archived pages, other iterables) is checked here."""
        if type(demands) is list or type(demands) is tuple:
            if not demands:
                return _EMPTY, _EMPTY
            known = kernels.demand_arrays(demands, self.t.slot, DEMAND_REPS)
            if known is not None:
                return known
        if isinstance(demands, (str, bytes)):
            raise InvalidTypeError(
                "demands", "expected an iterable of page ids or (id, rep) pairs, got a str"
            )
        try:
            demands = iter(demands)
        except TypeError:
            raise InvalidTypeError(
                "demands",
                "expected an iterable of page ids or (id, rep) pairs, got "
                + type(demands).__name__,
            ) from None
        slots: list[int] = []
        reps: list[int] = []
        slot_of = self.t.slot
        fast = DEMAND_REPS
        for d in demands:
            rep: int | None
            if type(d) is str:
                pid, rep = d, 4
            elif type(d) is tuple and len(d) == 2:
                pid, want = d
                try:
                    rep = fast.get(want) if type(want) is not bool else None
                except TypeError:  # unhashable: rep_of says what it is
                    rep = None
                if rep is None:
                    rep = rep_of("demands", want)
                    if rep == Rep.NONE:
                        raise InvalidInputError(
                            "demands",
                            f"{safe_repr(pid, 80)}: a demand needs a rep from pointer to full",
                        )
            else:
                raise InvalidTypeError(
                    "demands", f"expected a page id or (id, rep), got {safe_repr(d, 80)}"
                )
            slot = slot_of.get(pid) if isinstance(pid, str) else None
            if slot is None:
                slot = self._unarchive(pid)
            slots.append(slot)
            reps.append(rep)
        if not slots:
            return _EMPTY, _EMPTY
        return np.array(slots, dtype=np.int64), np.array(reps, dtype=np.int64)

    def _unarchive(self, pid: Any) -> int:
        """The slot of an archived page demanded again, loaded back from the store."""
        t = self.t
        scope = t.archived.get(pid) if isinstance(pid, str) else None
        if scope is not None:
            read = t.wb.read(pid, scope)
            if read.status == "ok" and read.record is not None and t.load(read.record):
                return t.slot[pid]
        raise UnknownPageError(f"demands: unknown page id {safe_repr(pid, 80)}")

    def _trace(
        self,
        asl: np.ndarray,
        arp: np.ndarray,
        sl: np.ndarray,
        rp: np.ndarray,
        used: int,
        unmet: tuple[str, ...],
        sel: np.ndarray,
        prefix: int,
        prompt: int,
    ) -> None:
        t = self.t
        ids = t.render.ids
        eng = t.engine
        tr = t.trace
        for i in np.flatnonzero(eng.outcomes).tolist():
            kind = Outcome(int(eng.outcomes[i]))
            pid = ids[int(asl[i])]
            rep = REP_NAME_OF[int(arp[i])]
            if kind == Outcome.PAGE_IN:
                tr.emit("page_in", page=pid, rep=rep)
            else:
                tr.emit("fault", kind=kind.name.lower(), page=pid, rep=rep)
        n = eng.n_slots
        cur = sel[:n]
        prev = np.zeros(n, dtype=np.uint8)
        m = min(n, len(self._prev_sel))
        prev[:m] = self._prev_sel[:m]
        changed = np.flatnonzero(cur != prev).tolist()
        self._prev_sel = cur.copy()
        demanded: list[Any] = [
            [ids[s], REP_NAME_OF[r]] for s, r in zip(sl.tolist(), rp.tolist(), strict=True)
        ]
        tr.emit(
            "select",
            demands=demanded,
            tokens=int(used),
            budget=t.page_budget,
            unmet=list(unmet),
            changed=sorted(
                [ids[s], REP_NAME_OF[int(cur[s])]] for s in changed if ids[s] is not None
            ),
            prompt_tokens=prompt,
            prefix_tokens=prefix,
        )

"""The per-turn engine in plain Python: the readable twin of ``clawvm._core`` and its oracle.

This module is the selection, dirty-tracking and fault-accounting engine in code, written
for a reader; ``docs/selection.md`` explains the selection rules and why they are what they
are. The native core must produce exactly the same results (rep per page, tokens used,
unmet set, outcomes, every column) for every input; tests check that on random tables. It
is also the runtime fallback when the extension is missing or ``CLAWVM_PURE_PYTHON=1`` is set.

A turn (``select``) has three stages, each a plain function of the table below:

1. **Phase 1** (``_phase1``): hard-pinned floors and demands, in priority order; a required
   page that does not fit is *unmet* and stays at ``none``.
2. **Prefetch** (``_prefetch``): every other page at ``none`` gets its pointer if it fits, in
   order of predicted re-demand (``prefetch_order_key``).
3. **Phase 2** (``Engine._phase2``): a multiple-choice knapsack over each page's levels,
   solved exactly when small, otherwise by a greedy over the edges of each page's upper
   convex hull (``hull_next``); then pages of value 0 take what is left.

``exact_select`` solves the same knapsack exactly (or within stated bounds) for measuring
the greedy.

The page table is a set of numpy columns indexed by integer *slot*. Removed slots are
reused; each page also has a sequence number (creation order) used for every tie-break,
so results never depend on slot layout. Arrays exposed as attributes are views that stay
valid until the next call that grows the table.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from clawvm._schema import (
    COLUMNS,
    CRITICAL_SHARE,
    DEMAND_REISSUES_TOOL,
    EXACT_CELLS,
    FREE_SLOT,
    MAX_TOKENS,
    N_OUTCOMES,
    ORACLE_W_FUTURE,
    PATH_MASK,
    PIN_BOOST,
    PREDICT_DECAY,
    PREDICT_FLOOR,
    RECENCY_DECAY,
    RECENCY_FLOOR,
    RECENCY_MODE_W_RECENCY,
    RECENCY_MODE_W_RECOMPUTE,
    W_RECENCY,
    W_RECOMPUTE,
    Outcome,
    PageType,
    Pin,
    Rep,
    ScoreMode,
)
from clawvm.errors import InvalidInputError, InvalidTypeError, InvariantViolation

__all__ = [
    "Engine",
    "ExactResult",
    "check_page",
    "check_pages",
    "exact_select",
    "hull_next",
    "lower_bounds",
    "prefetch_order_key",
    "selection_utility",
]

_MAX_BUDGET = 2**62
_N_TYPES = len(PageType)
_MASKS = tuple(PATH_MASK[PageType(t)] for t in range(_N_TYPES))
_REP_NAMES = ("none", "pointer", "structured", "compressed", "full")


def _path(ptype: int) -> list[int]:
    """The reps on a type's degradation path, lowest first."""
    return [r for r in range(1, 5) if _MASKS[ptype] >> r & 1]


def _as_int(field: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, f"expected an integer, got {type(value).__name__}")
    return int(value)


def _as_float(field: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise InvalidTypeError(field, f"expected a number, got {type(value).__name__}")
    x = float(value)
    if not math.isfinite(x):
        raise InvalidInputError(field, f"must be finite, got {x!r}")
    return x


def _int_array(field: str, values: Any) -> np.ndarray:
    """Accept any 1-D sequence of integers; reject floats, bools and other dtypes clearly."""
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.ndim != 1:
        raise InvalidInputError(field, f"expected a 1-D array, got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        raise InvalidTypeError(field, f"expected integers, got dtype {arr.dtype}")
    return arr.astype(np.int64)


def check_page(
    ptype: Any, tokens: Any, floor: Any, pin: Any, base: Any, recompute: Any
) -> tuple[int, list[int], int, int, float, float]:
    """Validate one page's columns; raises a typed error naming the field."""
    t = _as_int("ptype", ptype)
    if not 0 <= t < _N_TYPES:
        raise InvalidInputError("ptype", f"{t} is not a PageType")
    toks = list(tokens) if not isinstance(tokens, (str, bytes)) else None
    if toks is None or len(toks) != 4:
        raise InvalidInputError("tokens", "expected 4 costs (pointer, structured, compressed, full)")
    costs = [_as_int("tokens", c) for c in toks]
    mask = _MASKS[t]
    last = 0
    for r in range(1, 5):
        c = costs[r - 1]
        name = f"tokens[{_REP_NAMES[r]}]"
        if not 0 <= c <= MAX_TOKENS:
            raise InvalidInputError(name, f"must be in [0, {MAX_TOKENS}], got {c}")
        if not mask >> r & 1:
            if c != 0:
                raise InvalidInputError(
                    name, f"{_REP_NAMES[r]} is off the path of {PageType(t).name.lower()}; cost must be 0"
                )
            continue
        if c < last:
            raise InvalidInputError(name, f"{c} is below the cost of a lower rep ({last})")
        last = c
    f = _as_int("floor", floor)
    if not 0 <= f <= 4 or (f != 0 and not mask >> f & 1):
        raise InvalidInputError(
            "floor", f"{f} is not a rep on the path of {PageType(t).name.lower()}"
        )
    p = _as_int("pin", pin)
    if not 0 <= p <= 2:
        raise InvalidInputError("pin", f"{p} is not a Pin")
    b = _as_float("base", base)
    rc = _as_float("recompute", recompute)
    if rc < 0:
        raise InvalidInputError("recompute", f"must be >= 0, got {rc}")
    return t, costs, f, p, b, rc


def check_pages(
    ptype: Any, tokens: Any, floor: Any, pin: Any, base: Any, recompute: Any
) -> list[tuple[int, list[int], int, int, float, float]]:
    """Validate columns of many pages; returns one ``check_page`` tuple per page."""
    types = _int_array("ptype", ptype)
    n = len(types)
    tok = np.asarray(tokens)
    if tok.shape != (n, 4) and not (n == 0 and tok.size == 0):
        raise InvalidInputError("tokens", f"expected shape ({n}, 4), got {tok.shape}")
    cols = {"floor": _int_array("floor", floor), "pin": _int_array("pin", pin)}
    for name in ("base", "recompute"):
        arr = np.asarray(base if name == "base" else recompute)
        if arr.dtype.kind not in "iuf":
            raise InvalidTypeError(name, f"expected numbers, got dtype {arr.dtype}")
        cols[name] = arr.astype(np.float64).reshape(-1) if arr.size else np.zeros(0)
    for name, arr in cols.items():
        if len(arr) != n:
            raise InvalidInputError(name, f"length {len(arr)} does not match ptype length {n}")
    if n and tok.dtype.kind not in "iu":
        raise InvalidTypeError("tokens", f"expected integers, got dtype {tok.dtype}")
    checked = [
        check_page(
            int(types[i]),
            [int(c) for c in tok[i]],
            int(cols["floor"][i]),
            int(cols["pin"][i]),
            float(cols["base"][i]),
            float(cols["recompute"][i]),
        )
        for i in range(n)
    ]
    return checked


class Engine:
    """Per-turn policy engine over numpy page-table columns.

    Parameters
    ----------
    capacity : int
        Initial number of slots; the table doubles when full.
    score_mode : int
        A ``ScoreMode``: the utility used by Phase 2 upgrades.
    auto_pin_hard : bool
        Hard-pinned pages are required at their floor every turn.
    prefetch_pointers : bool
        Pages left at ``none`` get their pointer when it fits.
    prefetch_prediction : bool
        Prefetch in order of predicted re-demand (the ``predicted`` column) before
        recompute cost; off, the order is recompute cost alone (static).
    evidence_pointers_resolve : bool
        A demand for evidence resident below the demanded rep is a page-in, not a fault.
    upgrades : bool
        Phase 2 runs; off, the selection is Phase 1 and prefetch alone (an ablation).
    """

    def __init__(
        self,
        capacity: int = 64,
        *,
        score_mode: int = 0,
        auto_pin_hard: bool = True,
        prefetch_pointers: bool = True,
        evidence_pointers_resolve: bool = True,
        prefetch_prediction: bool = True,
        upgrades: bool = True,
    ) -> None:
        cap = _as_int("capacity", capacity)
        if cap < 1:
            raise InvalidInputError("capacity", f"must be >= 1, got {cap}")
        self._alloc(cap)
        self.n_slots = 0
        self.n_pages = 0
        self._free: list[int] = []
        self._next_seq = 0
        self.counters = np.zeros(N_OUTCOMES, dtype=np.int64)
        self.outcomes = np.zeros(0, dtype=np.uint8)
        self._unmet = np.zeros(0, dtype=np.int32)
        self.tokens_used = 0
        self.score_mode = 0
        self.auto_pin_hard = True
        self.prefetch_pointers = True
        self.evidence_pointers_resolve = True
        self.prefetch_prediction = True
        self.upgrades = True
        self.configure(
            score_mode=score_mode,
            auto_pin_hard=auto_pin_hard,
            prefetch_pointers=prefetch_pointers,
            evidence_pointers_resolve=evidence_pointers_resolve,
            prefetch_prediction=prefetch_prediction,
            upgrades=upgrades,
        )

    # ------------------------------------------------------------------ configuration
    def configure(
        self,
        *,
        score_mode: int | None = None,
        auto_pin_hard: bool | None = None,
        prefetch_pointers: bool | None = None,
        evidence_pointers_resolve: bool | None = None,
        prefetch_prediction: bool | None = None,
        upgrades: bool | None = None,
    ) -> None:
        """Change policy flags; ``None`` leaves a flag as it is."""
        if score_mode is not None:
            mode = _as_int("score_mode", score_mode)
            if mode not in ScoreMode._value2member_map_:
                raise InvalidInputError("score_mode", f"{mode} is not a ScoreMode")
            self.score_mode = mode
        if auto_pin_hard is not None:
            self.auto_pin_hard = bool(auto_pin_hard)
        if prefetch_pointers is not None:
            self.prefetch_pointers = bool(prefetch_pointers)
        if evidence_pointers_resolve is not None:
            self.evidence_pointers_resolve = bool(evidence_pointers_resolve)
        if prefetch_prediction is not None:
            self.prefetch_prediction = bool(prefetch_prediction)
        if upgrades is not None:
            self.upgrades = bool(upgrades)

    # ------------------------------------------------------------------ storage
    def _alloc(self, cap: int) -> None:
        self.capacity = cap
        self.tokens = np.zeros((cap, 4), dtype=COLUMNS["tokens"])
        self.ptype = np.full(cap, FREE_SLOT, dtype=COLUMNS["ptype"])
        self.floor = np.zeros(cap, dtype=COLUMNS["floor"])
        self.pin = np.zeros(cap, dtype=COLUMNS["pin"])
        self.base = np.zeros(cap, dtype=COLUMNS["base"])
        self.recompute = np.zeros(cap, dtype=COLUMNS["recompute"])
        self.recency = np.zeros(cap, dtype=COLUMNS["recency"])
        self.future = np.zeros(cap, dtype=COLUMNS["future"])
        self.predicted = np.zeros(cap, dtype=COLUMNS["predicted"])
        self.dirty = np.zeros(cap, dtype=COLUMNS["dirty"])
        self.version = np.zeros(cap, dtype=COLUMNS["version"])
        self.seq = np.zeros(cap, dtype=COLUMNS["seq"])
        self.selection = np.zeros(cap, dtype=COLUMNS["selection"])

    def _grow(self, need: int) -> None:
        cap = self.capacity
        while cap < need:
            cap *= 2
        if cap == self.capacity:
            return
        old = {name: getattr(self, name) for name in COLUMNS}
        n = self.n_slots
        self._alloc(cap)
        for name, arr in old.items():
            getattr(self, name)[:n] = arr[:n]

    @property
    def table_nbytes(self) -> int:
        """Bytes held by the page-table columns (capacity slots)."""
        return sum(getattr(self, name).nbytes for name in COLUMNS)

    @property
    def index_nbytes(self) -> int:
        """Bytes of derived orders and scratch; the reference keeps none (it sorts per turn)."""
        return 0

    # ------------------------------------------------------------------ validation
    def _check_slot(self, field: str, slot: Any) -> int:
        s = _as_int(field, slot)
        if not 0 <= s < self.n_slots or self.ptype[s] == FREE_SLOT:
            raise InvalidInputError(field, f"{s} is not a live page slot")
        return s

    # ------------------------------------------------------------------ page table
    def _store(self, s: int, t: int, costs: list[int], f: int, p: int, b: float, rc: float) -> None:
        self.ptype[s] = t
        self.tokens[s] = costs
        self.floor[s] = f
        self.pin[s] = p
        self.base[s] = b
        self.recompute[s] = rc

    def _take_slot(self) -> int:
        if self._free:
            return self._free.pop()
        self._grow(self.n_slots + 1)
        self.n_slots += 1
        return self.n_slots - 1

    def _init_slot(self, s: int) -> None:
        self.recency[s] = 0.0
        self.future[s] = 0
        self.predicted[s] = 0.0
        self.dirty[s] = 0
        self.version[s] = 0
        self.selection[s] = Rep.NONE
        self.seq[s] = self._next_seq
        self._next_seq += 1
        self.n_pages += 1

    def add_page(
        self,
        ptype: int,
        tokens: Sequence[int],
        floor: int,
        pin: int,
        base: float = 0.0,
        recompute: float = 0.0,
    ) -> int:
        """Add one page; ``tokens`` are the costs of (pointer, structured, compressed, full).

        Returns the page's slot. A cost off the type's path must be 0.
        """
        t, costs, f, p, b, rc = check_page(ptype, tokens, floor, pin, base, recompute)
        s = self._take_slot()
        self._store(s, t, costs, f, p, b, rc)
        self._init_slot(s)
        return s

    def add_pages(
        self,
        ptype: Any,
        tokens: Any,
        floor: Any,
        pin: Any,
        base: Any,
        recompute: Any,
    ) -> np.ndarray:
        """Add many pages at once (``tokens`` has shape (n, 4)); all are validated first.

        Returns their slots as int32. Nothing is added when any page is invalid.
        """
        checked = check_pages(ptype, tokens, floor, pin, base, recompute)
        n = len(checked)
        slots = np.zeros(n, dtype=np.int32)
        for i, page in enumerate(checked):
            s = self._take_slot()
            self._store(s, *page)
            self._init_slot(s)
            slots[i] = s
        return slots

    def update_page(
        self,
        slot: int,
        tokens: Sequence[int] | None = None,
        floor: int | None = None,
        pin: int | None = None,
        base: float | None = None,
        recompute: float | None = None,
    ) -> None:
        """Change a page's costs or attributes; ``None`` keeps a value. The type is fixed."""
        s = self._check_slot("slot", slot)
        page = check_page(
            int(self.ptype[s]),
            [int(c) for c in self.tokens[s]] if tokens is None else tokens,
            int(self.floor[s]) if floor is None else floor,
            int(self.pin[s]) if pin is None else pin,
            float(self.base[s]) if base is None else base,
            float(self.recompute[s]) if recompute is None else recompute,
        )
        self._store(s, *page)

    def remove_page(self, slot: int) -> None:
        """Free a slot; a later add may reuse it (with a new sequence number)."""
        s = self._check_slot("slot", slot)
        self.ptype[s] = FREE_SLOT
        self.tokens[s] = 0
        self.selection[s] = Rep.NONE
        self.dirty[s] = 0
        self.recency[s] = 0.0
        self.future[s] = 0
        self.predicted[s] = 0.0
        self.n_pages -= 1
        self._free.append(s)

    # ------------------------------------------------------------------ dirty tracking
    def mark_dirty(self, slot: int) -> None:
        """The page's content changed since its last commit."""
        self.dirty[self._check_slot("slot", slot)] = 1

    def mark_clean(self, slot: int, version: int) -> None:
        """The journal committed the page at ``version``: clear its dirty bit."""
        s = self._check_slot("slot", slot)
        v = _as_int("version", version)
        if not 0 <= v < 2**32:
            raise InvalidInputError("version", f"must be in [0, 2**32), got {v}")
        self.dirty[s] = 0
        self.version[s] = v

    def dirty_slots(self) -> np.ndarray:
        """Slots of dirty pages in sequence order (int32)."""
        live = [s for s in range(self.n_slots) if self.ptype[s] != FREE_SLOT and self.dirty[s]]
        live.sort(key=lambda s: int(self.seq[s]))
        return np.asarray(live, dtype=np.int32)

    def set_future(self, slots: Any, counts: Any) -> None:
        """Oracle input: demands for each page in the next h turns (every other page: 0)."""
        sl = _int_array("slots", slots)
        ct = _int_array("counts", counts)
        if len(ct) != len(sl):
            raise InvalidInputError("counts", f"length {len(ct)} does not match slots length {len(sl)}")
        for i in range(len(sl)):
            self._check_slot("slots", sl[i])
            if not 0 <= ct[i] < 2**31:
                raise InvalidInputError("counts", f"must be in [0, 2**31), got {int(ct[i])}")
        self.future[:] = 0
        for i in range(len(sl)):
            self.future[sl[i]] = ct[i]

    # ------------------------------------------------------------------ per turn
    def _check_demands(self, slots: Any, reps: Any) -> tuple[np.ndarray, np.ndarray]:
        sl = _int_array("demand_slots", slots)
        rp = _int_array("demand_reps", reps)
        if len(rp) != len(sl):
            raise InvalidInputError(
                "demand_reps", f"length {len(rp)} does not match demand_slots length {len(sl)}"
            )
        for i in range(len(sl)):
            self._check_slot("demand_slots", sl[i])
            if not Rep.POINTER <= rp[i] <= Rep.FULL:
                raise InvalidInputError("demand_reps", f"{int(rp[i])} is not a rep from pointer to full")
        return sl, rp

    def _cost(self, s: int, rep: int) -> int:
        return 0 if rep == Rep.NONE else int(self.tokens[s, rep - 1])

    def _score(self, s: int) -> float:
        rec = float(self.recency[s])
        rc = float(self.recompute[s])
        base = float(self.base[s])
        mode = self.score_mode
        if mode == ScoreMode.LRU:
            return rec
        if mode == ScoreMode.RECENCY:
            return base + RECENCY_MODE_W_RECENCY * rec + RECENCY_MODE_W_RECOMPUTE * rc
        score = base + PIN_BOOST[int(self.pin[s])] + W_RECENCY * rec + W_RECOMPUTE * rc
        if mode == ScoreMode.ORACLE:
            score = score + ORACLE_W_FUTURE * float(self.future[s])
        return score

    def scores(self) -> np.ndarray:
        """The current score of every slot (0 for free slots), as float64."""
        out = np.zeros(self.n_slots, dtype=np.float64)
        for s in range(self.n_slots):
            if self.ptype[s] != FREE_SLOT:
                out[s] = self._score(s)
        return out

    def account(
        self, demand_slots: Any, demand_reps: Any, demand_flags: Any, after_compaction: bool
    ) -> int:
        """Classify this turn's demands against the *current* selection (docs/design.md §7).

        Call before ``select``. Writes one ``Outcome`` per demand to ``outcomes``, adds
        them to ``counters`` and returns the number of faults. Each demand adds 1 to the
        page's predicted re-demand, and 1 more when flagged ``DEMAND_REISSUES_TOOL``: the
        VM and the replay account only demands of pages already in the model's view
        before, so what this counts is re-demand.
        """
        sl, rp = self._check_demands(demand_slots, demand_reps)
        fl = _int_array("demand_flags", demand_flags)
        if len(fl) != len(sl):
            raise InvalidInputError(
                "demand_flags", f"length {len(fl)} does not match demand_slots length {len(sl)}"
            )
        out = np.zeros(len(sl), dtype=np.uint8)
        faults = 0
        for i in range(len(sl)):
            s, r, f = int(sl[i]), int(rp[i]), int(fl[i])
            sel = int(self.selection[s])
            t = int(self.ptype[s])
            if sel >= r:
                kind = Outcome.HIT
            elif sel >= Rep.POINTER and (t != PageType.EVIDENCE or self.evidence_pointers_resolve):
                kind = Outcome.PAGE_IN
            elif t == PageType.BOOTSTRAP and after_compaction:
                kind = Outcome.POST_COMPACTION_BOOTSTRAP
            elif self.pin[s] == Pin.HARD and sel < self.floor[s]:
                kind = Outcome.PINNED_INVARIANT
            elif t == PageType.EVIDENCE and f & DEMAND_REISSUES_TOOL:
                kind = Outcome.DUPLICATE_TOOL
            else:
                kind = Outcome.REFETCH
            self.predicted[s] += 2.0 if f & DEMAND_REISSUES_TOOL else 1.0
            out[i] = kind
            self.counters[kind] += 1
            faults += kind >= Outcome.POST_COMPACTION_BOOTSTRAP
        self.outcomes = out
        return faults

    def select(
        self, budget: int, demand_slots: Any, demand_reps: Any, update_recency: bool = True
    ) -> int:
        """Choose one rep per page under ``budget`` tokens; returns tokens used.

        Phase 1, prefetch and Phase 2 (see the module docstring). The result is in
        ``selection``; required pages that did not fit are in ``unmet()``. With
        ``update_recency`` the end-of-turn update of recency and predicted re-demand runs.
        """
        b = _as_int("budget", budget)
        if not 0 <= b <= _MAX_BUDGET:
            raise InvalidInputError("budget", f"must be in [0, 2**62], got {b}")
        sl, rp = self._check_demands(demand_slots, demand_reps)
        self.selection[: self.n_slots] = Rep.NONE
        remaining, unmet = _phase1(self, b, sl, rp, self.selection)
        unmet_set = set(unmet)
        if self.prefetch_pointers:
            remaining = _prefetch(self, remaining, unmet_set, self.selection)
        if self.upgrades:
            remaining = self._phase2(remaining, unmet_set)
        self._unmet = np.asarray(unmet, dtype=np.int32)
        self.tokens_used = b - remaining
        self.check_invariants(b)
        if update_recency:
            self._update_recency(sl)
        return self.tokens_used

    def _phase2(self, remaining: int, unmet: set[int]) -> int:
        """Upgrades within ``remaining`` tokens (see ``docs/selection.md``); returns what is left.

        A page's value at rep r is ``v * level(r)`` with ``v = max(score, 0)``. Pages with
        ``v > 0`` (not unmet) are the knapsack's; the others come last (zero-value pages).

        * **Small knapsack**: when (pages that can move at all) x (tokens + 1) is at most
          ``EXACT_CELLS`` (so fewer tokens than that), ``_exact_pass`` solves it exactly.
        * Otherwise the **upgrade pass** (``_upgrade_pass``) runs. If the first edge that did
          not fit (the *critical* edge) is worth more than ``CRITICAL_SHARE`` of the pass's
          utility, the pass runs again from the same start once for each rep of the
          critical page above its start rep, up to the edge's target, whose extra cost fits
          (lowest first), with the page raised to that rep first; a result replaces the
          kept one only if its utility is strictly higher. Otherwise the first result is
          within a factor ``1 + CRITICAL_SHARE`` of the optimum (the LP bound is below the
          result plus the critical edge's value).
        * **Zero-value pages**, by sequence number, rise to the highest rep that fits.
        """
        sel = self.selection
        order = sorted(
            (s for s in range(self.n_slots) if self.ptype[s] != FREE_SLOT and s not in unmet),
            key=lambda s: int(self.seq[s]),
        )
        values = {s: v for s in order if (v := self._score(s)) > 0.0}  # in sequence order
        small = remaining < EXACT_CELLS
        if small and self._movable(values, remaining) * (remaining + 1) <= EXACT_CELLS:
            left = self._exact_pass(remaining, values)
        else:
            left = self._greedy(remaining, values)
        for s in order:
            if s not in values:
                frm = int(sel[s])
                best = _highest_fit(int(self.ptype[s]), self.tokens[s], frm, Rep.FULL + 1, left)
                left -= self._cost(s, best) - self._cost(s, frm)
                sel[s] = best
        return left

    def _movable(self, values: dict[int, float], remaining: int) -> int:
        """How many valued pages have a next rep whose extra cost fits."""
        count = 0
        for s in values:
            t, cur = int(self.ptype[s]), int(self.selection[s])
            up = [r for r in _path(t) if r > cur]
            count += bool(up) and self._cost(s, up[0]) - self._cost(s, cur) <= remaining
        return count

    def _exact_pass(self, remaining: int, values: dict[int, float]) -> int:
        """The knapsack solved exactly (small cases, ``_knapsack``); returns the tokens left.

        Pages in sequence order, each staying or taking one rep above its current whose
        extra cost fits; ties go to staying, then to the lower rep. Then each of these
        pages, in sequence order, takes the highest rep that still fits: a gain too small
        to change a floating-point sum (1e-160 next to 1) is still a gain.
        """
        sel = self.selection
        options = []
        for s, v in values.items():
            t, cur = int(self.ptype[s]), int(sel[s])
            options.append([
                (self._cost(s, r) - self._cost(s, cur), v * (_level(t, r) - _level(t, cur)), r)
                for r in _path(t)
                if r > cur
            ])
        _, picks = _knapsack(options, remaining, True)
        for s, r in zip(values, picks):
            if r:
                remaining -= self._cost(s, r) - self._cost(s, int(sel[s]))
                sel[s] = r
        for s in values:  # a gain too small to change a sum in floating point still counts
            frm = int(sel[s])
            top = _highest_fit(int(self.ptype[s]), self.tokens[s], frm, Rep.FULL + 1, remaining)
            remaining -= self._cost(s, top) - self._cost(s, frm)
            sel[s] = top
        return remaining

    def _greedy(self, remaining: int, values: dict[int, float]) -> int:
        """The upgrade pass, and again with the critical page raised first when its edge is
        worth more than ``CRITICAL_SHARE`` of the result; returns the tokens left."""
        sel = self.selection
        start = sel.copy()
        left, critical = self._upgrade_pass(remaining, values)
        if critical is None:
            return left
        c, frm, to = critical
        t = int(self.ptype[c])
        worth = values[c] * (_level(t, to) - _level(t, frm))
        best = self._utility(values)
        if worth > CRITICAL_SHARE * best:
            kept, kept_left = sel.copy(), left
            for r in _path(t):
                if not start[c] < r <= to:
                    continue
                forced = self._cost(c, r) - self._cost(c, int(start[c]))
                if forced > remaining:
                    break
                sel[:] = start
                sel[c] = r
                again, _ = self._upgrade_pass(remaining - forced, values)
                if self._utility(values) > best:
                    best, kept, kept_left = self._utility(values), sel.copy(), again
            sel[:] = kept
            left = kept_left
        return left

    def _upgrade_pass(
        self, remaining: int, values: dict[int, float]
    ) -> tuple[int, tuple[int, int, int] | None]:
        """The greedy over hull edges; returns (tokens left, the first edge that did not fit).

        Each page with a value has one candidate at a time: the edge from its current rep
        to ``hull_next`` below its *ceiling* (at first above its top rep), keyed by
        ``ratio = v * dlevel / dcost`` (infinite when ``dcost == 0``). The candidate with the
        largest ratio goes first (ties: lower sequence number, then lower target rep). If
        its ``dcost`` fits it is applied and the page's next edge becomes its candidate;
        if not, the page's ceiling drops to the edge's target and the edge toward the best
        rep below it becomes the candidate. A page's ratios never increase, so this is one
        pass in ratio order over the hull edges, where a page whose edge did not fit may
        still take a lower rep between. It stops when no page has a candidate: then no page
        can move up within the tokens left.
        """
        sel = self.selection
        heap: list[tuple[float, int, int, int, int]] = []
        ceiling = dict.fromkeys(values, Rep.FULL + 1)
        critical: tuple[int, int, int] | None = None
        for s, v in values.items():
            self._push_edge(heap, s, v, ceiling[s])
        while heap:
            _key, _seq, to, s, dc = heapq.heappop(heap)
            if dc <= remaining:
                sel[s] = to
                remaining -= dc
            else:
                if critical is None:
                    critical = (s, int(sel[s]), to)
                ceiling[s] = to
            self._push_edge(heap, s, values[s], ceiling[s])
        return remaining, critical

    def _push_edge(
        self, heap: list[tuple[float, int, int, int, int]], s: int, v: float, ceiling: int
    ) -> None:
        """Page ``s``'s candidate: its next hull edge below ``ceiling``, if any."""
        t, frm = int(self.ptype[s]), int(self.selection[s])
        to = hull_next(t, self.tokens[s], frm, ceiling)
        if to != frm:
            dl = _level(t, to) - _level(t, frm)
            dc = self._cost(s, to) - self._cost(s, frm)
            ratio = v * dl / dc if dc > 0 else math.inf
            heapq.heappush(heap, (-ratio, int(self.seq[s]), to, s, dc))

    def _utility(self, values: dict[int, float]) -> float:
        """Sum of ``v * level`` over the valued pages, in sequence order (so that it never
        depends on slot layout, and both engines add alike)."""
        total = 0.0
        for s, v in values.items():
            total += v * _level(int(self.ptype[s]), int(self.selection[s]))
        return total

    def _update_recency(self, sl: np.ndarray) -> None:
        """End of turn: recency and predicted re-demand decay (to 0 below their floors);
        each demanded page's recency +1, once."""
        for s in range(self.n_slots):
            if self.ptype[s] == FREE_SLOT:
                continue
            r = float(self.recency[s]) * RECENCY_DECAY
            self.recency[s] = 0.0 if r < RECENCY_FLOOR else r
            p = float(self.predicted[s]) * PREDICT_DECAY
            self.predicted[s] = 0.0 if p < PREDICT_FLOOR else p
        for s in sorted({int(x) for x in sl}):
            self.recency[s] += 1.0

    def unmet(self) -> np.ndarray:
        """Required pages of the last ``select`` that did not fit, in priority order (int32)."""
        return self._unmet.copy()

    def evict_all(self) -> None:
        """Drop every page to ``none`` (a compaction or reset empties the context)."""
        self.selection[: self.n_slots] = Rep.NONE
        self.tokens_used = 0

    def check_invariants(self, budget: int) -> None:
        """Raise ``InvariantViolation`` if the current selection breaks the selection invariants:
        a free slot selected, a rep off its page's path, a hard pin below its floor that is
        not reported unmet, or tokens over the budget."""
        total = 0
        unmet = {int(s) for s in self._unmet}
        for s in range(self.n_slots):
            t = int(self.ptype[s])
            sel = int(self.selection[s])
            if t == FREE_SLOT:
                if sel != Rep.NONE:
                    raise InvariantViolation(f"free slot {s} is selected at {sel}")
                continue
            if sel != Rep.NONE and not _MASKS[t] >> sel & 1:
                raise InvariantViolation(f"slot {s} selected at rep {sel}, off its path")
            total += self._cost(s, sel)
            if (
                self.auto_pin_hard
                and self.pin[s] == Pin.HARD
                and sel < self.floor[s]
                and s not in unmet
            ):
                raise InvariantViolation(f"hard-pinned slot {s} below its floor and not unmet")
        if total != self.tokens_used or total > budget:
            raise InvariantViolation(
                f"tokens used {total} (recorded {self.tokens_used}) vs budget {budget}"
            )


# ---------------------------------------------------------------------- selection rules
# Module-level so that ``exact_select`` gives the optimum exactly the lower bounds the
# engine's own Phase 1 and prefetch produce, on either engine (they read only columns
# and flags both engines expose).


def _round_up(ptype: int, rep: int) -> int:
    mask = _MASKS[ptype]
    r = max(rep, 1)
    while not mask >> r & 1:
        r += 1
    return r


def _level(ptype: int, rep: int) -> int:
    """Steps from ``none`` to ``rep`` along the type's path (Phase 2's unit of value)."""
    return 0 if rep == Rep.NONE else _path(ptype).index(rep) + 1


def _cost_of(costs: Any, rep: int) -> int:
    return 0 if rep == Rep.NONE else int(costs[rep - 1])


def hull_next(ptype: int, costs: Any, rep: int, ceiling: int = Rep.FULL + 1) -> int:
    """The next point after ``rep`` on the upper convex hull of (cost, level) (``rep`` at the top).

    Among the reps above ``rep`` on the type's path, the one with the largest
    ``dlevel / dcost`` (``dcost == 0`` counts as infinite); equal ratios take the farther,
    higher rep. Ratios are compared exactly, by cross-multiplying integers. Chained from a
    page's current rep this gives its hull, whose edge ratios strictly decrease. The hull
    depends on costs alone, never on the score.
    """
    path = (Rep.NONE, *_path(ptype))
    i = path.index(rep)
    base = _cost_of(costs, rep)
    best, best_dl, best_dc = rep, 0, 1
    for j in range(i + 1, len(path)):
        if path[j] >= ceiling:
            break
        dl, dc = j - i, _cost_of(costs, path[j]) - base
        if best == rep or dl * best_dc >= best_dl * dc:
            best, best_dl, best_dc = path[j], dl, dc
    return best


def _highest_fit(ptype: int, costs: Any, frm: int, below: int, remaining: int) -> int:
    """The highest rep strictly between ``frm`` and ``below`` whose extra cost fits, else
    ``frm``."""
    base = _cost_of(costs, frm)
    best = frm
    for r in _path(ptype):
        if frm < r < below and _cost_of(costs, r) - base <= remaining:
            best = r
    return best


def _required(engine: Any, sl: np.ndarray, rp: np.ndarray) -> dict[int, int]:
    """Phase 1's required set: slot -> required rep (rounded up onto the path)."""
    req: dict[int, int] = {}
    if engine.auto_pin_hard:
        for s in range(engine.n_slots):
            t = int(engine.ptype[s])
            if t != FREE_SLOT and engine.pin[s] == Pin.HARD and engine.floor[s] != Rep.NONE:
                req[s] = int(engine.floor[s])
    for i in range(len(sl)):
        s = int(sl[i])
        want = _round_up(int(engine.ptype[s]), max(int(rp[i]), int(engine.floor[s])))
        req[s] = max(req.get(s, 0), want)
    return req


def _priority_key(engine: Any, s: int) -> tuple[int, int, float, int]:
    """Phase 1 order: hard pin > soft > none, bootstrap > constraint > other, base, seq."""
    t = int(engine.ptype[s])
    type_class = 0 if t == PageType.BOOTSTRAP else 1 if t == PageType.CONSTRAINT else 2
    return (-int(engine.pin[s]), type_class, -float(engine.base[s]), int(engine.seq[s]))


def _phase1(
    engine: Any, budget: int, sl: np.ndarray, rp: np.ndarray, sel: np.ndarray
) -> tuple[int, list[int]]:
    """Install the required set into ``sel`` in priority order; returns (tokens left, unmet)."""
    remaining = budget
    req = _required(engine, sl, rp)
    unmet: list[int] = []
    for s in sorted(req, key=lambda s: _priority_key(engine, s)):
        cost = _cost_of(engine.tokens[s], req[s])
        if cost <= remaining:
            sel[s] = req[s]
            remaining -= cost
        else:
            unmet.append(s)
    return remaining, unmet


def prefetch_order_key(engine: Any, s: int) -> tuple[float, ...]:
    """Prefetch order, ascending: predicted re-demand, then recompute cost, then base utility
    (all descending), then sequence number.

    Without ``prefetch_prediction`` the first key is left out (the static order). Under the
    oracle score mode the page's true demands in the next turns (``future``) come first.
    """
    key: tuple[float, ...] = (
        -float(engine.recompute[s]), -float(engine.base[s]), int(engine.seq[s])
    )
    if engine.prefetch_prediction:
        key = (-float(engine.predicted[s]), *key)
    if engine.score_mode == ScoreMode.ORACLE:
        key = (-int(engine.future[s]), *key)
    return key


def _prefetch(engine: Any, remaining: int, unmet: set[int], sel: np.ndarray) -> int:
    """Every page still at ``none`` (not unmet, with a pointer) gets its pointer if it fits."""
    waiting = [
        s
        for s in range(engine.n_slots)
        if engine.ptype[s] != FREE_SLOT
        and sel[s] == Rep.NONE
        and s not in unmet
        and _MASKS[engine.ptype[s]] >> Rep.POINTER & 1
    ]
    waiting.sort(key=lambda s: prefetch_order_key(engine, s))
    for s in waiting:
        cost = int(engine.tokens[s, Rep.POINTER - 1])
        if cost <= remaining:
            sel[s] = Rep.POINTER
            remaining -= cost
    return remaining


def lower_bounds(
    engine: Any, budget: int, demand_slots: Any, demand_reps: Any, *, prefetch: bool | None = None
) -> tuple[np.ndarray, list[int], int]:
    """What Phase 1 and prefetch choose this turn, as the engine would (either engine; it
    is left unchanged): (rep per slot, unmet slots, tokens left). ``prefetch`` overrides
    the engine's flag."""
    b = _as_int("budget", budget)
    if not 0 <= b <= _MAX_BUDGET:
        raise InvalidInputError("budget", f"must be in [0, 2**62], got {b}")
    sl = _int_array("demand_slots", demand_slots)
    rp = _int_array("demand_reps", demand_reps)
    reps = np.zeros(engine.n_slots, dtype=np.uint8)
    remaining, unmet = _phase1(engine, b, sl, rp, reps)
    if engine.prefetch_pointers if prefetch is None else prefetch:
        remaining = _prefetch(engine, remaining, set(unmet), reps)
    return reps, unmet, remaining


# ---------------------------------------------------------------------- measuring the greedy


def _values(engine: Any) -> np.ndarray:
    """Phase 2's per-level value of every slot: ``max(score, 0)``."""
    return np.maximum(np.asarray(engine.scores(), dtype=np.float64), 0.0)


def selection_utility(engine: Any, reps: Any = None) -> float:
    """Phase 2's objective for a selection: sum over pages of ``max(score, 0) * level(rep)``."""
    sel = engine.selection if reps is None else np.asarray(reps)
    values = _values(engine)
    total = 0.0
    for s in range(engine.n_slots):
        if engine.ptype[s] != FREE_SLOT and sel[s] != Rep.NONE:
            total += values[s] * _level(int(engine.ptype[s]), int(sel[s]))
    return float(total)


@dataclass(frozen=True, slots=True)
class ExactResult:
    """What ``exact_select`` found.

    ``value`` is the utility of ``reps``, a feasible selection; ``upper`` bounds the optimum
    from above. With ``granularity == 1`` the dynamic program ran in whole tokens and
    ``value == upper`` is the optimum. ``base`` is the utility of the lower bounds alone
    (Phase 1 and prefetch), what every selection starts from.
    """

    value: float
    upper: float
    base: float
    reps: np.ndarray
    granularity: int

    @property
    def exact(self) -> bool:
        return self.granularity == 1


def exact_select(
    engine: Any, budget: int, demand_slots: Any, demand_reps: Any, *, max_cells: int = 20_000_000
) -> ExactResult:
    """The best utility Phase 2 could reach this turn: a multiple-choice knapsack by dynamic
    programming over tokens. Works on either engine and leaves it unchanged.

    The optimum gets the greedy's own lower bounds: Phase 1 and prefetch run exactly as the
    engine runs them (same flags, same order), every page must stay at or above the rep
    they gave it, and unmet pages stay at ``none``. Values are ``max(score, 0) * level``.

    Pages whose value is 0 or that cannot move are left out of the program. When
    ``pages x (tokens left + 1)`` would exceed ``max_cells``, the program works in units of
    ``granularity`` tokens and says so: costs rounded *up* give a feasible selection
    (``value``, ``reps``); costs rounded *down* give a relaxation that every feasible
    selection satisfies, so its optimum bounds the true one from above. ``upper`` is the
    smaller of that and the LP bound (the fractional greedy over hull edges).
    """
    reps, unmet_list, remaining = lower_bounds(engine, budget, demand_slots, demand_reps)
    unmet = set(unmet_list)
    n = engine.n_slots
    values = _values(engine)
    base = selection_utility(engine, reps)

    # Each movable page: its options above the lower bound as (extra tokens, extra value, rep).
    pages: list[tuple[int, list[tuple[int, float, int]]]] = []
    lp_edges: list[tuple[float, int, float]] = []
    for s in range(n):
        t = int(engine.ptype[s])
        if t == FREE_SLOT or s in unmet or values[s] <= 0.0:
            continue
        lo = int(reps[s])
        c0, l0 = _cost_of(engine.tokens[s], lo), _level(t, lo)
        options = [
            (_cost_of(engine.tokens[s], r) - c0, values[s] * (_level(t, r) - l0), r)
            for r in _path(t)
            if r > lo
        ]
        if not options:
            continue
        pages.append((s, options))
        frm = lo
        while frm != _path(t)[-1]:
            to = hull_next(t, engine.tokens[s], frm)
            dc = _cost_of(engine.tokens[s], to) - _cost_of(engine.tokens[s], frm)
            dv = values[s] * (_level(t, to) - _level(t, frm))
            lp_edges.append((math.inf if dc == 0 else dv / dc, dc, dv))
            frm = to

    # Budget beyond what every page at its top costs changes nothing.
    cap = min(remaining, sum(max(c for c, _, _ in opts) for _, opts in pages))
    g = max(1, -(-len(pages) * (cap + 1) // max(1, max_cells)))
    up = [[(-(-c // g), v, r) for c, v, r in opts] for _, opts in pages]  # costs rounded up
    gain, picks = _knapsack(up, cap // g, True)
    for (s, _), r in zip(pages, picks):
        if r:
            reps[s] = r
    value = base + gain
    if g == 1:
        upper = value
    else:
        down = [[(c // g, v, r) for c, v, r in opts] for _, opts in pages]  # rounded down
        relaxed, _ = _knapsack(down, cap // g, False)
        upper = base + min(relaxed, _lp_bound(lp_edges, cap))
    return ExactResult(
        value=float(value),
        upper=float(max(upper, value)),
        base=float(base),
        reps=reps,
        granularity=g,
    )


def _knapsack(
    pages: list[list[tuple[int, float, int]]], cap: int, traceback: bool
) -> tuple[float, list[int]]:
    """Multiple-choice knapsack by dynamic programming over tokens.

    Each page either stays or takes one of its options ``(extra cost, extra value, rep)``
    (in rep order); ``best[j]`` is the best value within ``j`` tokens. Pages are taken in
    the order given; an option replaces what a cell holds only when strictly better, so
    staying, then the earlier option, wins ties. Returns ``best[cap]`` and, with
    ``traceback``, the chosen rep per page (0: stay), traced back from ``cap``.
    """
    best = np.zeros(cap + 1)
    choice: list[np.ndarray] = []
    for options in pages:
        nxt = best.copy()
        pick = np.zeros(cap + 1, dtype=np.uint8)
        for c, v, r in options:
            if c > cap:
                continue
            cand = best[: cap + 1 - c] + v
            better = cand > nxt[c:]
            nxt[c:][better] = cand[better]
            pick[c:][better] = r
        best = nxt
        if traceback:
            choice.append(pick)
    picks = [0] * len(pages)
    if traceback:
        at = cap
        for i in range(len(pages) - 1, -1, -1):
            r = int(choice[i][at])
            picks[i] = r
            if r:
                at -= next(c for c, _, rr in pages[i] if rr == r)
    return float(best[cap]), picks


def _lp_bound(edges: list[tuple[float, int, float]], cap: int) -> float:
    """The LP relaxation's optimum: hull edges by ratio, the last one taken fractionally."""
    total = 0.0
    left = cap
    for ratio, dc, dv in sorted(edges, key=lambda e: -e[0]):
        if dc <= left:
            total += dv
            left -= dc
        else:
            total += dv * left / dc
            break
    return total

"""The per-turn engine in plain Python: the readable twin of ``clawvm._core`` and its oracle.

This module is the specification of SPEC §3.2–§3.3 and §5 in code. The native core must
produce exactly the same results (rep per page, tokens used, unmet set, outcomes, every
column) for every input; tests check that on random tables. It is also the runtime
fallback when the extension is missing or ``CLAWVM_PURE_PYTHON=1`` is set.

The page table is a set of numpy columns indexed by integer *slot*. Removed slots are
reused; each page also has a sequence number (creation order) used for every tie-break,
so results never depend on slot layout. Arrays exposed as attributes are views that stay
valid until the next call that grows the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from clawvm._schema import (
    COLUMNS,
    DEMAND_REISSUES_TOOL,
    FREE_SLOT,
    MAX_TOKENS,
    N_OUTCOMES,
    ORACLE_W_FUTURE,
    PATH_MASK,
    PIN_BOOST,
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

__all__ = ["Engine", "check_page", "check_pages", "exact_select", "selection_utility"]

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
    evidence_pointers_resolve : bool
        A demand for evidence resident below the demanded rep is a page-in, not a fault.
    """

    def __init__(
        self,
        capacity: int = 64,
        *,
        score_mode: int = 0,
        auto_pin_hard: bool = True,
        prefetch_pointers: bool = True,
        evidence_pointers_resolve: bool = True,
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
        self.configure(
            score_mode=score_mode,
            auto_pin_hard=auto_pin_hard,
            prefetch_pointers=prefetch_pointers,
            evidence_pointers_resolve=evidence_pointers_resolve,
        )

    # ------------------------------------------------------------------ configuration
    def configure(
        self,
        *,
        score_mode: int | None = None,
        auto_pin_hard: bool | None = None,
        prefetch_pointers: bool | None = None,
        evidence_pointers_resolve: bool | None = None,
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
        """Classify this turn's demands against the *current* selection (SPEC §5).

        Call before ``select``. Writes one ``Outcome`` per demand to ``outcomes``, adds
        them to ``counters`` and returns the number of faults.
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
            out[i] = kind
            self.counters[kind] += 1
            faults += kind >= Outcome.POST_COMPACTION_BOOTSTRAP
        self.outcomes = out
        return faults

    def _required(self, sl: np.ndarray, rp: np.ndarray) -> dict[int, int]:
        """Phase 1's required set: slot -> required rep (rounded up onto the path)."""
        req: dict[int, int] = {}
        if self.auto_pin_hard:
            for s in range(self.n_slots):
                t = int(self.ptype[s])
                if t != FREE_SLOT and self.pin[s] == Pin.HARD and self.floor[s] != Rep.NONE:
                    req[s] = int(self.floor[s])
        for i in range(len(sl)):
            s = int(sl[i])
            want = _round_up(int(self.ptype[s]), max(int(rp[i]), int(self.floor[s])))
            req[s] = max(req.get(s, 0), want)
        return req

    def _priority(self, s: int) -> tuple[int, int, float, int]:
        t = int(self.ptype[s])
        type_class = 0 if t == PageType.BOOTSTRAP else 1 if t == PageType.CONSTRAINT else 2
        return (-int(self.pin[s]), type_class, -float(self.base[s]), int(self.seq[s]))

    def select(
        self, budget: int, demand_slots: Any, demand_reps: Any, update_recency: bool = True
    ) -> int:
        """Choose one rep per page under ``budget`` tokens (SPEC §3.2); returns tokens used.

        The result is in ``selection``; required pages that did not fit are in ``unmet()``.
        With ``update_recency`` the recency update of the turn runs after selection.
        """
        b = _as_int("budget", budget)
        if not 0 <= b <= _MAX_BUDGET:
            raise InvalidInputError("budget", f"must be in [0, 2**62], got {b}")
        sl, rp = self._check_demands(demand_slots, demand_reps)
        n = self.n_slots
        live = [s for s in range(n) if self.ptype[s] != FREE_SLOT]
        self.selection[:n] = Rep.NONE
        remaining = b

        # Phase 1: install the required set in priority order; what does not fit is unmet.
        req = self._required(sl, rp)
        unmet: list[int] = []
        for s in sorted(req, key=self._priority):
            cost = self._cost(s, req[s])
            if cost <= remaining:
                self.selection[s] = req[s]
                remaining -= cost
            else:
                unmet.append(s)
        unmet_set = set(unmet)

        # Prefetch: pointers make eviction recoverable.
        if self.prefetch_pointers:
            waiting = [
                s
                for s in live
                if self.selection[s] == Rep.NONE
                and s not in unmet_set
                and _MASKS[self.ptype[s]] >> Rep.POINTER & 1
            ]
            waiting.sort(key=lambda s: (-float(self.recompute[s]), -float(self.base[s]), int(self.seq[s])))
            for s in waiting:
                cost = self._cost(s, Rep.POINTER)
                if cost <= remaining:
                    self.selection[s] = Rep.POINTER
                    remaining -= cost

        # Phase 2: one pass over single-step upgrades, best score per token first.
        cands: list[tuple[float, int, int, int, int, int]] = []
        for s in live:
            if s in unmet_set:
                continue
            score = self._score(s)
            cur = int(self.selection[s])
            for to in _path(int(self.ptype[s])):
                if to <= cur:
                    continue
                delta = self._cost(s, to) - self._cost(s, cur)
                ratio = score / delta + 0.0 if delta > 0 else math.inf  # + 0.0: no -0.0 keys
                cands.append((-ratio, int(self.seq[s]), to, s, cur, delta))
                cur = to
        cands.sort()
        for _neg_ratio, _seq, to, s, frm, delta in cands:
            if self.selection[s] == frm and delta <= remaining:
                self.selection[s] = to
                remaining -= delta

        self._unmet = np.asarray(unmet, dtype=np.int32)
        self.tokens_used = b - remaining
        self.check_invariants(b)
        if update_recency:
            self._update_recency(sl)
        return self.tokens_used

    def _update_recency(self, sl: np.ndarray) -> None:
        for s in range(self.n_slots):
            if self.ptype[s] == FREE_SLOT:
                continue
            r = float(self.recency[s]) * RECENCY_DECAY
            self.recency[s] = 0.0 if r < RECENCY_FLOOR else r
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
        """Raise ``InvariantViolation`` if the current selection breaks SPEC §3.2's invariants."""
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


def _round_up(ptype: int, rep: int) -> int:
    mask = _MASKS[ptype]
    r = max(rep, 1)
    while not mask >> r & 1:
        r += 1
    return r


def _level(ptype: int, rep: int) -> int:
    """Steps from ``none`` to ``rep`` along the type's path (the greedy's unit of value)."""
    return 0 if rep == Rep.NONE else _path(ptype).index(rep) + 1


def selection_utility(engine: Any, reps: Any = None) -> float:
    """Utility of a selection: sum of score x steps up the path (Phase 2's objective)."""
    sel = engine.selection if reps is None else np.asarray(reps)
    scores = engine.scores()
    total = 0.0
    for s in range(engine.n_slots):
        if engine.ptype[s] != FREE_SLOT and sel[s] != Rep.NONE:
            total += scores[s] * _level(int(engine.ptype[s]), int(sel[s]))
    return total


def exact_select(engine: Any, budget: int, demand_slots: Any, demand_reps: Any) -> tuple[float, np.ndarray]:
    """Best achievable utility under the same floors, by dynamic programming (small tables).

    Works on either engine and leaves it unchanged. Feasible choices match the greedy's:
    required pages that Phase 1 can install must be at or above their required rep,
    required pages it cannot install (unmet) stay at ``none``, every other page is free.
    So the greedy's own selection is always feasible and its utility can never exceed
    the result. Returns (utility, rep per slot as uint8).
    """
    b = _as_int("budget", budget)
    if not 0 <= b <= 1_000_000:
        raise InvalidInputError("budget", f"exact solver takes budgets in [0, 1e6], got {b}")
    sl = _int_array("demand_slots", demand_slots)
    rp = _int_array("demand_reps", demand_reps)
    n = engine.n_slots
    ptypes = [int(engine.ptype[s]) for s in range(n)]
    live = [s for s in range(n) if ptypes[s] != FREE_SLOT]
    floor = {s: int(engine.floor[s]) for s in live}
    req: dict[int, int] = {}
    if engine.auto_pin_hard:
        for s in live:
            if int(engine.pin[s]) == Pin.HARD and floor[s] != Rep.NONE:
                req[s] = floor[s]
    for i in range(len(sl)):
        s = int(sl[i])
        req[s] = max(req.get(s, 0), _round_up(ptypes[s], max(int(rp[i]), floor[s])))

    def priority(s: int) -> tuple[int, int, float, int]:
        t = ptypes[s]
        return (-int(engine.pin[s]), 0 if t == 0 else 1 if t == 1 else 2, -float(engine.base[s]), int(engine.seq[s]))

    def cost(s: int, r: int) -> int:
        return 0 if r == Rep.NONE else int(engine.tokens[s, r - 1])

    remaining = b
    unmet: set[int] = set()
    for s in sorted(req, key=priority):
        if cost(s, req[s]) <= remaining:
            remaining -= cost(s, req[s])
        else:
            unmet.add(s)
    scores = engine.scores()
    neg = -math.inf
    best = np.full(b + 1, neg)
    best[0] = 0.0
    choice: list[np.ndarray] = []
    for s in live:
        options: list[int]
        if s in unmet:
            options = [Rep.NONE]
        elif s in req:
            options = [r for r in _path(ptypes[s]) if r >= req[s]]
        else:
            options = [Rep.NONE, *_path(ptypes[s])]
        nxt = np.full(b + 1, neg)
        pick = np.zeros(b + 1, dtype=np.uint8)
        for r in options:
            c = cost(s, r)
            if c > b:
                continue
            value = scores[s] * _level(ptypes[s], r)
            shifted = np.full(b + 1, neg)
            shifted[c:] = best[: b + 1 - c] + value
            better = shifted > nxt
            nxt[better] = shifted[better]
            pick[better] = r
        best = nxt
        choice.append(pick)
    reps = np.zeros(n, dtype=np.uint8)
    at = int(np.argmax(best))
    utility = float(best[at])
    if utility == neg:
        raise InvalidInputError("budget", "no selection satisfies the met required set")
    for s, pick in zip(reversed(live), reversed(choice)):
        r = int(pick[at])
        reps[s] = r
        at -= cost(s, r)
    return utility, reps

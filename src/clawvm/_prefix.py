"""Keeping the prompt's prefix across turns, for provider prompt caches (docs/rendering.md §5).

Under budget pressure the engine's choice moves a little every turn: something in the
middle of the conversation is demoted to make room for the newest message, and a provider's
prompt cache misses from that point on. With a *headroom* h, a turn keeps last turn's
representation for every page that is still there, and the engine's choice only for new
pages and for what the turn requires (demanded and paged-in pages, hard-pinned floors,
pointers of pages that had none) — as long as that fits the page budget. When it does not,
the turn *repacks*: the engine selects under the budget less h of it, so the next turns
have room to append before anything earlier changes again. A repack that would leave out
a required page or a pointer that the full budget fits keeps the engine's full-budget
choice (near the required set, headroom would cost faults), and when everything fits at
full the engine's choice (the whole conversation) stands.

Deterministic, and the same for both engines: it only reads and writes the engine's
columns between ``select`` calls.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from clawvm._schema import FREE_SLOT, PageType, Pin, Rep, round_up

__all__ = ["PrefixKeeper"]

#: The lowest rep on each type's path (a page shown at all is shown at least at this).
_LOWEST = np.array([round_up(t, Rep.POINTER) for t in PageType], dtype=np.int64)


class PrefixKeeper:
    """Last turn's selection, per page (by sequence number), and the repack rule."""

    def __init__(self, headroom: float) -> None:
        self.headroom = headroom
        self._sel = np.zeros(0, dtype=np.int64)  # last selection, per slot
        self._seq = np.zeros(0, dtype=np.int64)  # the page each slot held then
        self.repacks = 0  # turns of this session that re-selected under the reduced budget

    def turn(
        self, eng: Any, budget: int, slots: np.ndarray, reps: np.ndarray, used: int, unmet: Any
    ) -> tuple[int, Any]:
        """After ``eng.select(budget, slots, reps, ...)`` (which used ``used`` tokens and left
        ``unmet``): keep last turn's reps where that fits, else repack. Returns the tokens
        the selection now in ``eng.selection`` uses, and its unmet slots."""
        n = int(eng.n_slots)
        sel = eng.selection[:n].astype(np.int64)
        live = eng.ptype[:n] != FREE_SLOT
        if np.all(sel[live] == Rep.FULL):  # everything fits at full: the whole conversation
            return used, unmet
        prev = np.zeros(n, dtype=np.int64)
        seq = np.full(n, -1, dtype=np.int64)
        m = min(n, len(self._sel))
        prev[:m], seq[:m] = self._sel[:m], self._seq[:m]
        same = live & (eng.seq[:n].astype(np.int64) == seq)  # the page last turn showed
        keep = np.where(same, prev, sel)
        required = live & (eng.pin[:n] == Pin.HARD)
        required[np.asarray(slots, dtype=np.int64)] = True
        keep = np.where(required, np.maximum(keep, sel), keep)
        # a page the engine shows and last turn did not gets its lowest rep (its pointer)
        lowest = _LOWEST[np.where(live, eng.ptype[:n], 0)]
        keep = np.where((keep == Rep.NONE) & (sel > Rep.NONE), np.minimum(lowest, sel), keep)
        rows = np.flatnonzero(keep)
        cost = int(eng.tokens[rows, keep[rows] - 1].sum())
        if cost <= budget:
            eng.selection[:n] = keep
            return cost, unmet
        chosen = eng.selection[:n].copy()
        hidden = int(np.count_nonzero(live & (sel == Rep.NONE)))
        again = int(eng.select(budget - int(self.headroom * budget), slots, reps, False))
        if (len(eng.unmet()) > len(unmet)  # the reduced budget leaves a required page out
                or np.count_nonzero(live & (eng.selection[:n] == Rep.NONE)) > hidden):  # or
            eng.selection[:n] = chosen  # a pointer: a fault the full budget would not have
            return used, unmet
        self.repacks += 1
        return again, eng.unmet()

    def reset(self) -> None:
        """A new session: nothing to keep, no repack yet."""
        self._sel = np.zeros(0, dtype=np.int64)
        self._seq = np.zeros(0, dtype=np.int64)
        self.repacks = 0

    def remember(self, eng: Any) -> None:
        """Record the selection in ``eng.selection`` as the one the next turn keeps."""
        n = int(eng.n_slots)
        self._sel = eng.selection[:n].astype(np.int64)
        self._seq = eng.seq[:n].astype(np.int64)

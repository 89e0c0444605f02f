"""Message rendering for ``VM.assemble``: per-(page, rep) message dicts built once.

Rendering a turn must cost next to nothing, so every message a page can become is built
when the page is created or updated and kept in flat numpy object arrays indexed by
``slot * 5 + rep``. A turn gathers the resident ones with one fancy index, in a render
order (bootstrap, constraints, plans, preferences, then the rest by creation) that is
re-sorted only when the set of pages changes.
"""

from __future__ import annotations

import numpy as np

from clawvm._schema import PageType, Rep

__all__ = ["RenderTable"]

_N_REPS = 5
#: Render class per type: stable rules first (good for prompt caches), then the stream.
_CLASS = {
    PageType.BOOTSTRAP: 0,
    PageType.CONSTRAINT: 1,
    PageType.PLAN: 2,
    PageType.PREFERENCE: 3,
    PageType.EVIDENCE: 4,
    PageType.SEGMENT: 4,
}


class RenderTable:
    """Page ids, OpenAI messages and Anthropic text blocks per slot and rep."""

    def __init__(self, capacity: int = 64) -> None:
        self._cap = 0
        self.ids = np.empty(0, dtype=object)
        self.openai = np.empty(0, dtype=object)
        self.anthropic = np.empty(0, dtype=object)
        self._key = np.zeros(0, dtype=np.int64)
        self._live: set[int] = set()
        self._order: np.ndarray | None = None
        self._grow(max(capacity, 1))

    def _grow(self, need: int) -> None:
        cap = max(self._cap, 1)
        while cap < need:
            cap *= 2
        if cap == self._cap:
            return
        ids = np.empty(cap, dtype=object)
        oa = np.empty(cap * _N_REPS, dtype=object)
        an = np.empty(cap * _N_REPS, dtype=object)
        key = np.zeros(cap, dtype=np.int64)
        ids[: self._cap] = self.ids
        oa[: self._cap * _N_REPS] = self.openai
        an[: self._cap * _N_REPS] = self.anthropic
        key[: self._cap] = self._key
        self.ids, self.openai, self.anthropic, self._key, self._cap = ids, oa, an, key, cap

    def set(
        self, slot: int, page_id: str, ptype: PageType, seq: int, texts: dict[Rep, str]
    ) -> None:
        """(Re)build the messages of one page; called on create and on every update."""
        self._grow(slot + 1)
        if slot not in self._live or self._key[slot] != (_CLASS[ptype] << 48 | seq):
            self._order = None
        self._live.add(slot)
        self.ids[slot] = page_id
        self._key[slot] = _CLASS[ptype] << 48 | seq
        base = slot * _N_REPS
        for rep in range(1, _N_REPS):
            text = texts.get(Rep(rep))
            self.openai[base + rep] = None if text is None else {"role": "user", "content": text}
            self.anthropic[base + rep] = None if text is None else {"type": "text", "text": text}

    def clear(self, slot: int) -> None:
        self._live.discard(slot)
        self._order = None
        self.ids[slot] = None
        self.openai[slot * _N_REPS : (slot + 1) * _N_REPS] = None
        self.anthropic[slot * _N_REPS : (slot + 1) * _N_REPS] = None

    def order(self) -> np.ndarray:
        """Live slots in render order (int64), cached until the page set changes."""
        if self._order is None:
            live = np.fromiter(self._live, dtype=np.int64, count=len(self._live))
            self._order = live[np.argsort(self._key[live], kind="stable")]
        return self._order

    def gather(
        self, selection: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Resident pages in render order: (ids, reps, openai messages, anthropic blocks)."""
        slots = self.order()
        reps = selection[slots]
        nz = np.flatnonzero(reps)
        if len(nz) != len(slots):  # (with room for every pointer, all pages are resident)
            slots = slots[nz]
            reps = reps[nz]
        flat = slots * _N_REPS + reps
        return self.ids[slots], reps, self.openai[flat], self.anthropic[flat]

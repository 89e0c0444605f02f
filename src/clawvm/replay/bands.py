"""Budgets relative to each trace (docs/evaluation.md §6): F1, FP and the bands around them.

* **F1** — the largest required set of any selection: every hard-pinned page at its floor
  plus every demanded page at its demanded rep (at least its floor, rounded up onto its
  path), as Phase 1 installs them. Below F1 some required page cannot fit: invariant
  pressure, which no policy can prevent.
* **FP** — the largest required set plus a pointer for every other live page, at any
  selection. At FP every page the trace will need again can keep at least a resolvable
  pointer, so a policy with pins, pointers and writeback has no fault it could not have
  prevented; between F1 and FP, which pointers are kept decides the faults.

Both are measured on one replay under ``clawvm`` with an unlimited budget, so they count
every page the VM holds, its own included (the short reference a served duplicate call
leaves is a page too), at the costs the trace gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clawvm._schema import FREE_SLOT, PATH_MASK, PageType, Pin, Rep, round_up
from clawvm.replay.driver import STORES, replay
from clawvm.replay.format import Trace
from clawvm.replay.policies import REPLAY_POLICIES
from clawvm.vm import VM

__all__ = ["BANDS", "WINDOWS", "Bands", "measure"]

#: The bands, as (label, multiple of F1 or FP).
BANDS = (("F1-10%", "F1", 0.9), ("F1", "F1", 1.0), ("F1+25%", "F1", 1.25),
         ("F1+50%", "F1", 1.5), ("FP", "FP", 1.0), ("1.5FP", "FP", 1.5))
#: Real context windows, for real transcripts.
WINDOWS = (("8k", 8_000), ("32k", 32_000), ("128k", 128_000), ("200k", 200_000))
_UNLIMITED = 2**40
_HAS_POINTER = np.array([bool(PATH_MASK[PageType(t)] >> Rep.POINTER & 1) for t in range(6)])


@dataclass(frozen=True, slots=True)
class Bands:
    """F1 and FP of one trace; ``budgets()`` the bands as (label, tokens)."""

    f1: int
    fp: int

    def budgets(self) -> list[tuple[str, int]]:
        base = {"F1": self.f1, "FP": self.fp}
        return [(label, int(round(base[of] * k))) for label, of, k in BANDS]


class _Probe:
    def __init__(self) -> None:
        self.f1 = self.fp = 0

    def __call__(self, vm: VM, demands: list[tuple[str, Rep]] | None) -> None:
        eng = vm.engine
        n = eng.n_slots
        ptype = eng.ptype[:n].astype(np.int64)
        live = ptype != FREE_SLOT
        tokens = eng.tokens[:n].astype(np.int64)
        req = np.where(live & (eng.pin[:n] == Pin.HARD), eng.floor[:n], 0).astype(np.int64)
        slot = vm._table.slot
        for pid, rep in demands or ():
            s = slot[pid]
            want = round_up(int(ptype[s]), max(int(rep), int(eng.floor[s])))
            req[s] = max(req[s], want)
        rows = np.flatnonzero(req)
        required = int(tokens[rows, req[rows] - 1].sum())
        others = live & (req == 0) & _HAS_POINTER[np.where(live, ptype, 0)]
        pointers = int(tokens[others, Rep.POINTER - 1].sum())
        self.f1 = max(self.f1, required)
        self.fp = max(self.fp, required + pointers)


def measure(trace: Trace, store: str = STORES["memory"]) -> Bands:
    """F1 and FP of ``trace`` (one replay under ``clawvm``, unlimited budget)."""
    probe = _Probe()
    replay(trace, REPLAY_POLICIES["clawvm"], _UNLIMITED, store=store, observe=probe)
    return Bands(probe.f1, probe.fp)

"""The one table of codes shared by the native engine, its reference twin and the API.

Every integer that crosses the boundary between Python and ``clawvm._core`` is defined
here; ``_core.pyx`` mirrors these values in a ``cdef enum`` and a test checks they agree.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Rep(IntEnum):
    """Representation (fidelity level), ordered: none < pointer < structured < compressed < full."""

    NONE = 0
    POINTER = 1
    STRUCTURED = 2
    COMPRESSED = 3
    FULL = 4


class PageType(IntEnum):
    """The six page types (docs/design.md §2)."""

    BOOTSTRAP = 0
    CONSTRAINT = 1
    PLAN = 2
    PREFERENCE = 3
    EVIDENCE = 4
    SEGMENT = 5


class Pin(IntEnum):
    """Pin class: hard-pinned pages are required at their floor every turn."""

    NONE = 0
    SOFT = 1
    HARD = 2


class ScoreMode(IntEnum):
    """Utility function used by Phase 2 upgrades (docs/selection.md §5)."""

    CLAWVM = 0
    LRU = 1
    RECENCY = 2
    ORACLE = 3


class Outcome(IntEnum):
    """What a demand turned out to be (docs/design.md §7); codes >= POST_COMPACTION_BOOTSTRAP
    are faults.

    ``ALERT`` (duplicate-signature alert) is not a fault; it is counted beside them.
    """

    HIT = 0
    PAGE_IN = 1
    POST_COMPACTION_BOOTSTRAP = 2
    PINNED_INVARIANT = 3
    DUPLICATE_TOOL = 4
    REFETCH = 5
    FLUSH_MISS = 6
    SILENT_RECALL = 7
    ALERT = 8


#: Outcomes that are policy-controllable faults.
FAULTS: tuple[Outcome, ...] = (
    Outcome.POST_COMPACTION_BOOTSTRAP,
    Outcome.PINNED_INVARIANT,
    Outcome.DUPLICATE_TOOL,
    Outcome.REFETCH,
    Outcome.FLUSH_MISS,
    Outcome.SILENT_RECALL,
)
N_OUTCOMES = len(Outcome)

#: Demand flag bit: the demand re-issues the page's tool call (an evidence page).
DEMAND_REISSUES_TOOL = 1

#: Sentinel in the type column for a free (removed) slot.
FREE_SLOT = 255

#: Largest token cost of one representation (costs are int32 columns; sums are int64).
MAX_TOKENS = 2**31 - 1

#: Bit mask of the representations on each type's degradation path (bit r set = rep r exists).
PATH_MASK: dict[PageType, int] = {
    PageType.BOOTSTRAP: (1 << Rep.STRUCTURED) | (1 << Rep.FULL),
    PageType.CONSTRAINT: (1 << Rep.STRUCTURED) | (1 << Rep.FULL),
    PageType.PLAN: (1 << Rep.POINTER) | (1 << Rep.STRUCTURED) | (1 << Rep.FULL),
    PageType.PREFERENCE: 0b11110,
    PageType.EVIDENCE: 0b11110,
    PageType.SEGMENT: 0b11110,
}

#: Per-type defaults (docs/design.md §2): (floor, pin). A plan's floor drops to pointer when
#: done.
TYPE_DEFAULTS: dict[PageType, tuple[Rep, Pin]] = {
    PageType.BOOTSTRAP: (Rep.STRUCTURED, Pin.HARD),
    PageType.CONSTRAINT: (Rep.STRUCTURED, Pin.HARD),
    PageType.PLAN: (Rep.STRUCTURED, Pin.HARD),
    PageType.PREFERENCE: (Rep.POINTER, Pin.SOFT),
    PageType.EVIDENCE: (Rep.POINTER, Pin.SOFT),
    PageType.SEGMENT: (Rep.POINTER, Pin.NONE),
}

#: Default score weights (docs/selection.md §5). Both engines read these, so they agree by
#: construction.
PIN_BOOST = (0.0, 0.6, 2.0)  # indexed by Pin
W_RECENCY = 0.6
W_RECOMPUTE = 0.4
RECENCY_MODE_W_RECENCY = 0.9
RECENCY_MODE_W_RECOMPUTE = 0.1
ORACLE_W_FUTURE = 2.2
RECENCY_DECAY = 0.88
RECENCY_FLOOR = 1e-4
#: Phase 2 solves the knapsack exactly when (pages that can move) x (tokens left + 1) is at
#: most this: the small cases, where a greedy's integrality loss is largest.
EXACT_CELLS = 4096
#: Phase 2 tries the alternative with its critical edge forced in first when that edge is
#: worth more than this share of the result (below it, the result is within 1 + share of
#: the optimum).
CRITICAL_SHARE = 0.03
#: Predicted re-demand (the prefetch order): an LRFU-style decayed count of a page's accounted
#: demands and tool re-issues. It halves every turn: a short memory did best on every
#: workload we replayed between F1 and FP (0.3-0.6 alike, 0.9 worse; docs/selection.md).
PREDICT_DECAY = 0.5
PREDICT_FLOOR = RECENCY_FLOOR

#: Column dtypes of the page table (both engines allocate exactly these).
COLUMNS: dict[str, np.dtype] = {
    "tokens": np.dtype(np.int32),  # shape (capacity, 4): cost of Rep r in column r - 1
    "ptype": np.dtype(np.uint8),
    "floor": np.dtype(np.uint8),
    "pin": np.dtype(np.uint8),
    "base": np.dtype(np.float64),
    "recompute": np.dtype(np.float64),
    "recency": np.dtype(np.float64),
    "future": np.dtype(np.int32),  # oracle: demands for the page in the next h turns
    "predicted": np.dtype(np.float64),  # predicted re-demand: decayed demands + tool re-issues
    "dirty": np.dtype(np.uint8),
    "version": np.dtype(np.uint32),
    "seq": np.dtype(np.int64),
    "selection": np.dtype(np.uint8),
}


def on_path(ptype: int, rep: int) -> bool:
    """True when ``rep`` exists on the degradation path of ``ptype``."""
    return bool(PATH_MASK[PageType(ptype)] >> rep & 1)


def round_up(ptype: int, rep: int) -> int:
    """The lowest rep on the type's path that is >= ``rep`` (FULL is on every path)."""
    mask = PATH_MASK[PageType(ptype)]
    r = max(int(rep), 1)
    while not mask >> r & 1:
        r += 1
    return r

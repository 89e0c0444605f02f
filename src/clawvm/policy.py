"""Policies as configurations of the one engine (docs/evaluation.md §4): each ablation is one
flag.

The VM and the replay both take a ``Policy``. ``POLICIES`` holds the six policies of the
evaluation; ``ABLATIONS`` names the mechanisms that ``Policy.without`` can remove.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from clawvm._schema import ScoreMode
from clawvm.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class Policy:
    """Which residency and durability mechanisms are on.

    ``flush_on_threshold_only`` models harnesses whose memory flush runs when the context
    crosses a soft threshold below the compaction threshold: a single large jump past both
    skips the flush (the threshold-jump race). ClawVM flushes at the boundary itself.
    ``typed_recall`` makes a denied or failed recall carry its reason instead of ``[]``.
    ``prefetch_prediction`` orders prefetched pointers by predicted re-demand (a decayed
    count of the page's past demands and tool re-issues); off, by recompute cost alone.
    ``upgrades`` runs Phase 2; off, a turn is Phase 1 and prefetch alone.
    """

    name: str = "clawvm"
    score_mode: ScoreMode = ScoreMode.CLAWVM
    auto_pin_hard: bool = True
    prefetch_pointers: bool = True
    prefetch_prediction: bool = True
    upgrades: bool = True
    evidence_pointers_resolve: bool = True
    writeback_at_compaction: bool = True
    writeback_at_reset: bool = True
    writeback_at_session_end: bool = True
    flush_on_threshold_only: bool = False
    typed_recall: bool = True
    oracle_horizon: int = 3

    def engine_flags(self) -> dict[str, Any]:
        """Keyword arguments for ``Engine(...)`` / ``Engine.configure(...)``."""
        return {
            "score_mode": int(self.score_mode),
            "auto_pin_hard": self.auto_pin_hard,
            "prefetch_pointers": self.prefetch_pointers,
            "evidence_pointers_resolve": self.evidence_pointers_resolve,
            "prefetch_prediction": self.prefetch_prediction,
            "upgrades": self.upgrades,
        }

    def without(self, mechanism: str) -> Policy:
        """This policy minus one mechanism of ``ABLATIONS`` (named ``<policy>-no-<mechanism>``)."""
        if mechanism not in ABLATIONS:
            raise InvalidInputError("mechanism", f"{mechanism!r} is not one of {sorted(ABLATIONS)}")
        field, off = ABLATIONS[mechanism]
        changes: dict[str, Any] = {"name": f"{self.name}-no-{mechanism}", field: off}
        return dataclasses.replace(self, **changes)


#: mechanism -> (Policy field, value that turns it off)
ABLATIONS: dict[str, tuple[str, object]] = {
    "pointer_resolution": ("evidence_pointers_resolve", False),
    "writeback_compaction": ("writeback_at_compaction", False),
    "auto_pin": ("auto_pin_hard", False),
    "writeback_reset": ("writeback_at_reset", False),
    "upgrade_scoring": ("score_mode", ScoreMode.LRU),
    "prefetch": ("prefetch_pointers", False),
    "prefetch_prediction": ("prefetch_prediction", False),
    "phase2": ("upgrades", False),
}

_BASELINE = Policy(
    name="retrieval",
    score_mode=ScoreMode.RECENCY,
    auto_pin_hard=False,
    prefetch_pointers=False,
    prefetch_prediction=False,  # the baselines' prefetch (compaction_hybrid) keeps the static order
    evidence_pointers_resolve=False,
    writeback_at_compaction=False,
    writeback_at_reset=False,
    writeback_at_session_end=False,
    typed_recall=False,
)

POLICIES: dict[str, Policy] = {
    "retrieval": _BASELINE,
    "retrieval_cached": dataclasses.replace(
        _BASELINE, name="retrieval_cached", evidence_pointers_resolve=True
    ),
    "compaction_hybrid": dataclasses.replace(
        _BASELINE,
        name="compaction_hybrid",
        prefetch_pointers=True,
        evidence_pointers_resolve=True,
        writeback_at_compaction=True,
        flush_on_threshold_only=True,
    ),
    "lru": Policy(name="lru", score_mode=ScoreMode.LRU),
    "clawvm": Policy(),
    "oracle": Policy(name="oracle", score_mode=ScoreMode.ORACLE),
}


def get_policy(name: str) -> Policy:
    """A policy by name, with a clear error listing the known ones."""
    try:
        return POLICIES[name]
    except KeyError:
        raise InvalidInputError("policy", f"{name!r} is not one of {sorted(POLICIES)}") from None

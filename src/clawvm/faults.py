"""Fault accounting (docs/design.md §7): the counters a harness reads, and thrash.

The engine counts demand outcomes in ``Engine.counters`` (one int64 per ``Outcome``);
the VM and the replay add flush misses, silent recalls and duplicate-signature alerts to
the same array. ``FaultReport`` is the readable snapshot of those counters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clawvm._schema import FAULTS, Outcome


@dataclass(frozen=True, slots=True)
class FaultReport:
    """Counts of one session (or one replay). Page-ins count as hits: the page was there."""

    hits: int = 0
    page_ins: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    alerts: int = 0
    unmet: int = 0  # invariant pressure: required pages that did not fit (not a fault)

    @classmethod
    def from_counters(cls, counters: Any, unmet: int = 0) -> FaultReport:
        """Build a report from an ``Engine.counters`` array."""
        c = [int(x) for x in counters]
        return cls(
            hits=c[Outcome.HIT] + c[Outcome.PAGE_IN],
            page_ins=c[Outcome.PAGE_IN],
            faults={k.name.lower(): c[k] for k in FAULTS},
            alerts=c[Outcome.ALERT],
            unmet=int(unmet),
        )

    @property
    def total_faults(self) -> int:
        return sum(self.faults.values())

    @property
    def thrash(self) -> float:
        """(faults + alerts) / (hits + 1), as defined in docs/design.md §7."""
        return (self.total_faults + self.alerts) / (self.hits + 1)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form with a stable key order."""
        return {
            "alerts": self.alerts,
            "faults": dict(sorted(self.faults.items())),
            "hits": self.hits,
            "page_ins": self.page_ins,
            "thrash": self.thrash,
            "total_faults": self.total_faults,
            "unmet": self.unmet,
        }

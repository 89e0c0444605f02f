"""Prefetch order: faults with the static order, the predicted order and the oracle's.

The order of prefetched pointers only matters when the pointers of every waiting page do
not fit: between F1 (the budget at which the required set of every turn fits) and FP (F1
plus a pointer for every live page). Above FP every order gives every pointer; below F1
the result is invariant pressure. So the comparison runs at the paper-scale grid and at
budgets between F1 and FP of each trace.

Besides the four families of the sweep it replays ``working_set``: the same kind of
session, but the agent goes back mostly to tool output it used in the last few turns (the
locality real sessions show), where the families re-demand older output uniformly at
random. On uniform re-demand a page's past says nothing about its future, so no order
built from the past can beat another there; locality is what a prediction can use.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from clawvm.policy import POLICIES, Policy
from clawvm.replay.format import Trace
from clawvm.replay.sim import STORES, replay
from clawvm.replay.workloads import FAMILIES, TraceBuilder, generate

__all__ = ["BAND_POINTS", "ORDERS", "PrefetchRow", "bands", "markdown", "run", "working_set"]

#: The three prefetch orders compared (the policies they run under).
ORDERS: dict[str, Policy] = {
    "static": POLICIES["clawvm"].without("prefetch_prediction"),
    "predicted": POLICIES["clawvm"],
    "oracle": POLICIES["oracle"],
}
#: Budgets between F1 and FP, as fractions of the way from F1 to FP.
BAND_POINTS = (0.0, 0.25, 0.5, 0.75, 1.0)
_STORE = STORES["memory"]


def working_set(seed: int) -> Trace:
    """A session with locality: 80% of re-demands and repeated calls go to one of the last
    eight tool outputs used, the rest to older output at random; up to 40 outputs live."""
    s = TraceBuilder(random.Random(seed), f"working_set-{seed}")
    r = s.rng
    recent: list[str] = []
    s.pinned()
    s.turn(("rules", "full"), ("plan", "structured"))

    def pick() -> str:
        pool = (
            [p for p in dict.fromkeys(reversed(recent)) if p in s.calls][:8]
            if r.random() < 0.8
            else []
        )
        return r.choice(pool or s.evidence[:-1])

    for t in range(120):
        demands = [(s.segment(), "compressed")]
        if r.random() < 0.6:
            demands.append((s.tool_call(keep=40), "compressed"))
            recent.append(demands[-1][0])
        for _ in range(2):
            if len(s.evidence) > 1 and r.random() < 0.7:
                demands.append((pick(), "structured"))
                recent.append(demands[-1][0])
        s.turn(*demands)
        if t % 3 == 2 and len(s.evidence) > 1:
            pid = pick()
            s.add("tool", name=s.calls[pid][0], args=s.calls[pid][1])
            s.turn((pid, "structured"))
        if t in (40, 85):
            s.compaction()
            s.turn(("rules", "structured"), ("plan", "structured"))
    s.add("session_end")
    return s.trace()


def bands(trace: Trace) -> tuple[int, int]:
    """(F1, FP) of a trace: the smallest budget with no invariant pressure under clawvm
    (by bisection), and F1 plus the largest pointer region of live pages in any turn (an
    upper estimate: it counts required pages' pointers too)."""
    lo, hi = 0, 1
    while replay(trace, ORDERS["predicted"], hi, store=_STORE).pressure_turns:
        lo, hi = hi, hi * 2
    while lo < hi:
        mid = (lo + hi) // 2
        if replay(trace, ORDERS["predicted"], mid, store=_STORE).pressure_turns:
            lo = mid + 1
        else:
            hi = mid
    live: dict[str, tuple[int, str]] = {}  # page -> (pointer cost, scope)
    region = 0
    for e in trace.events:
        if e.op == "page":
            spec = e.args["page"]
            live[spec.id] = (spec.tokens[0], spec.scope)
        elif e.op == "drop":
            live.pop(e.args["page"], None)
        elif e.op == "session_end":
            live = {p: v for p, v in live.items() if v[1] == "project"}
        elif e.op == "turn":
            region = max(region, sum(c for c, _ in live.values()))
    return lo, lo + region


@dataclass(frozen=True, slots=True)
class PrefetchRow:
    """Faults of one trace at one budget under each order."""

    family: str
    band: str  # "120" for a grid budget, "F1+25%" for a band
    budget: int
    faults: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {"family": self.family, "band": self.band, "budget": self.budget, **self.faults}


def run(seed: int = 0, grid: Sequence[int] = (), families: Sequence[str] = ()) -> list[PrefetchRow]:
    """Replay each family (and ``working_set``) under the three orders at the ``grid``
    budgets and at the bands between F1 and FP."""
    traces = {f: generate(f, seed) for f in (families or FAMILIES)}
    traces["working_set"] = working_set(seed)
    rows = []
    for family, trace in traces.items():
        f1, fp = bands(trace)
        points = [(str(b), b) for b in grid]
        points += [
            (f"F1+{round(100 * x)}%" if x else "F1", f1 + round(x * (fp - f1))) for x in BAND_POINTS
        ]
        for label, budget in points:
            faults = {
                k: replay(trace, p, budget, store=_STORE).report.total_faults
                for k, p in ORDERS.items()
            }
            rows.append(PrefetchRow(family, label.replace("F1+100%", "FP"), budget, faults))
    return rows


def markdown(rows: Sequence[PrefetchRow]) -> str:
    """Faults per band, summed over the sweep's families, and for ``working_set`` apart."""
    from clawvm.replay.report import markdown_table

    out = []
    for group, keep in (
        ("the four families", lambda f: f != "working_set"),
        ("working_set (locality)", lambda f: f == "working_set"),
    ):
        table = []
        for band in dict.fromkeys(r.band for r in rows):
            sel = [r for r in rows if r.band == band and keep(r.family)]
            if sel:
                table.append({"budget": band, **{k: sum(r.faults[k] for r in sel) for k in ORDERS}})
        out.append(f"Faults, {group}:\n\n" + markdown_table(table))
    return "\n".join(out)

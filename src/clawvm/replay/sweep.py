"""Tier-2 sweep (SPEC §6): policies x workload families x budgets, plus ablations, the
prefetch-order comparison and the selection-quality measurement.

Deterministic: the same seed gives the same rows in the same order. ``progress`` (if
given) is called once per finished run with (done, total, label).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from clawvm import optimality
from clawvm.policy import ABLATIONS, POLICIES, Policy
from clawvm.replay import prefetch as prefetch_order
from clawvm.replay.sim import STORES, RunResult, replay
from clawvm.replay.workloads import FAMILIES, generate

__all__ = ["BUDGETS", "ABLATION_BUDGET", "Row", "Sweep", "run_sweep"]

BUDGETS = (120, 180, 240, 300, 380, 500)
ABLATION_BUDGET = 180
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Row:
    """One replay of one family under one policy at one budget."""

    family: str
    policy: str
    budget: int
    result: RunResult

    def as_dict(self) -> dict[str, object]:
        r = self.result.report
        return {
            "family": self.family, "policy": self.policy, "budget": self.budget,
            "faults": r.total_faults, "thrash": round(r.thrash, 6), "hits": r.hits,
            "page_ins": r.page_ins, "alerts": r.alerts, "pressure_turns": self.result.pressure_turns,
            "floor_fits": self.result.floor_fits, **{f"fault_{k}": v for k, v in sorted(r.faults.items())},
        }


@dataclass(frozen=True, slots=True)
class Sweep:
    rows: tuple[Row, ...]
    ablations: tuple[Row, ...]
    seed: int
    budgets: tuple[int, ...]
    prefetch: tuple[prefetch_order.PrefetchRow, ...] = ()  # static vs predicted vs oracle
    optimality: tuple[optimality.Point, ...] = ()  # Phase 2's greedy vs the exact optimum

    def summary(self) -> list[dict[str, object]]:
        """Per policy: mean faults and thrash over all configurations, gap to the oracle,
        invariant pressure, and the faults where the floor set fits."""
        oracle = {(r.family, r.budget): r.result.report.total_faults for r in self.rows if r.policy == "oracle"}
        out = []
        for name in dict.fromkeys(r.policy for r in self.rows):
            rows = [r for r in self.rows if r.policy == name]
            faults = [r.result.report.total_faults for r in rows]
            fits = [r.result.report.total_faults for r in rows if r.result.floor_fits]
            out.append({
                "policy": name,
                "configs": len(rows),
                "mean_faults": round(fmean(faults), 3),
                "mean_thrash": round(fmean(r.result.report.thrash for r in rows), 4),
                "oracle_gap": round(fmean(f - oracle.get((r.family, r.budget), 0) for f, r in zip(faults, rows)), 3),
                "pressure_configs": sum(not r.result.floor_fits for r in rows),
                "max_faults_where_floor_fits": max(fits, default=0),
            })
        return out

    def ablation_summary(self) -> list[dict[str, object]]:
        """Per removed mechanism at the ablation budget: mean faults over the families."""
        out = []
        for name in dict.fromkeys(r.policy for r in self.ablations):
            rows = [r for r in self.ablations if r.policy == name]
            out.append({
                "ablation": name, "budget": rows[0].budget,
                "mean_faults": round(fmean(r.result.report.total_faults for r in rows), 3),
                "mean_thrash": round(fmean(r.result.report.thrash for r in rows), 4),
            })
        return out


def run_sweep(
    seed: int = 0,
    budgets: Sequence[int] = BUDGETS,
    policies: Sequence[str] = tuple(POLICIES),
    ablation_budget: int = ABLATION_BUDGET,
    store: str = STORES["sqlite"],
    progress: Progress | None = None,
) -> Sweep:
    """Replay every family under every policy and budget, then ClawVM minus each mechanism."""
    traces = {name: generate(name, seed) for name in FAMILIES}
    jobs: list[tuple[str, Policy, int, bool]] = [
        (fam, POLICIES[p], b, False) for p in policies for fam in traces for b in budgets
    ]
    jobs += [(fam, POLICIES["clawvm"].without(m), ablation_budget, True) for m in ABLATIONS for fam in traces]
    rows: list[Row] = []
    ablations: list[Row] = []
    for i, (fam, policy, budget, is_ablation) in enumerate(jobs, start=1):
        row = Row(fam, policy.name, budget, replay(traces[fam], policy, budget, store=store))
        (ablations if is_ablation else rows).append(row)
        if progress is not None:
            progress(i, len(jobs), f"{policy.name} {fam} {budget}")
    return Sweep(
        rows=tuple(rows), ablations=tuple(ablations), seed=seed, budgets=tuple(budgets),
        prefetch=tuple(prefetch_order.run(seed, grid=budgets)),
        optimality=tuple(
            optimality.run(optimality.SUITE_SIZES, (seed,), optimality.SUITE_FRACTIONS)
        ),
    )

"""The evaluation's replays: which run, in parallel processes, with results in a fixed order.

A *trace* here is one workload family at one seed. Each is first probed for its bands (F1,
FP: ``bands.measure``), then replayed under policies at budgets relative to it. Two sets:

* the **check set**: every seed of ``CHECK_SEEDS``, only the runs the shape checks need
  (``checks.NEEDS``);
* the **crippled set**: the seeds of ``CRIPPLED_SEEDS``, the crippled engines at the bands
  of the checks that depend on what they lack (``checks.CRIPPLED_NEEDS``);
* the **table set**: the seeds of ``TABLE_SEEDS``, every policy at every band, the
  ablations, and the static prefetch order (``clawvm-no-prefetch_prediction``) at the bands
  from F1 to FP, where the order of pointers decides faults (``PREFETCH_BANDS``).

Besides the replays, a suite measures Phase 2's greedy against the exact optimum on
realistic tables of the table seeds (``clawvm.optimality``).

Jobs run in ``procs`` worker processes (each regenerates its traces from family and seed:
nothing but names crosses the process boundary) and come back in submission order, so the
same arguments give the same results whatever the scheduling. ``progress(done, total,
label)`` is called once per finished job.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from clawvm import optimality
from clawvm.policy import ABLATIONS
from clawvm.replay import bands as band_mod
from clawvm.replay import policies
from clawvm.replay.driver import STORES, RunResult, replay
from clawvm.replay.format import Trace
from clawvm.replay.workloads import FAMILIES, generate

__all__ = ["ABLATION_BAND", "CHECK_SEEDS", "CRIPPLED_SEEDS", "PREFETCH_BANDS", "STATIC_ORDER",
           "TABLE_SEEDS", "Run", "Suite", "run_jobs", "run_suite"]

CHECK_SEEDS = tuple(range(50))
TABLE_SEEDS = tuple(range(3))
CRIPPLED_SEEDS = tuple(range(20))
#: The band where the ablations run: between F1 and FP, where pointers decide.
ABLATION_BAND = "F1+25%"
#: The bands where the prefetch order can matter (below F1: pressure; above FP: every pointer).
PREFETCH_BANDS = ("F1", "F1+25%", "F1+50%", "FP")
#: clawvm with prefetch in the static order (recompute cost only).
STATIC_ORDER = "clawvm-no-prefetch_prediction"
Progress = Callable[[int, int, str], None]
J = TypeVar("J")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Run:
    """One replay: which trace, policy and band, and what it counted."""

    family: str
    seed: int
    policy: str
    band: str
    budget: int
    result: RunResult

    def as_dict(self) -> dict[str, object]:
        r = self.result
        return {
            "family": self.family, "seed": self.seed, "policy": self.policy, "band": self.band,
            "budget": self.budget, "policy_faults": r.policy_faults,
            "residency_faults": r.residency_faults, "lifecycle_faults": r.lifecycle_faults,
            "lost": r.lost, "pressure_turns": r.pressure_turns,
            "pressure_faults": r.pressure_faults, "hits": r.report.hits,
            "direct_hits": r.direct_hits, "page_ins": r.report.page_ins,
            "alerts": r.report.alerts, "thrash": round(r.report.thrash, 6),
            "rejections": len(r.rejections),
            **{f"fault_{k}": v for k, v in sorted(r.report.faults.items())},
        }


@dataclass(frozen=True)
class Suite:
    """Every run of a suite, and the bands of every trace."""

    runs: tuple[Run, ...]
    bands: dict[tuple[str, int], band_mod.Bands]
    check_seeds: tuple[int, ...]
    table_seeds: tuple[int, ...]
    crippled_seeds: tuple[int, ...]
    #: Phase 2's greedy against the exact optimum, on realistic tables of the table seeds.
    optimality: tuple[optimality.Point, ...] = ()

    def get(self, family: str, seed: int, policy: str, band: str) -> Run | None:
        return self._index.get((family, seed, policy, band))

    @functools.cached_property
    def _index(self) -> dict[tuple[str, int, str, str], Run]:
        return {(r.family, r.seed, r.policy, r.band): r for r in self.runs}


@functools.lru_cache(maxsize=8)
def _trace(family: str, seed: int) -> Trace:
    return generate(family, seed)


def _probe(job: tuple[str, int], store: str) -> band_mod.Bands:
    return band_mod.measure(_trace(*job), store)


def _replay(job: tuple[str, int, str, str, int], store: str) -> RunResult:
    family, seed, policy, _band, budget = job
    return replay(_trace(family, seed), policies.get(policy), budget, store=store)


def run_jobs(fn: Callable[[J], R], jobs: Sequence[J], procs: int,
             progress: Progress | None, label: Callable[[J], str]) -> list[R]:
    """``fn`` over ``jobs`` in ``procs`` processes (1: in this one), results in job order."""
    out: list[R] = []
    if procs <= 1 or len(jobs) < 8:
        results: Iterable[R] = map(fn, jobs)
        pool = None
    else:
        pool = multiprocessing.get_context("fork" if _can_fork() else "spawn").Pool(procs)
        results = pool.imap(fn, jobs, chunksize=max(1, len(jobs) // (procs * 16)))
    try:
        for i, (job, res) in enumerate(zip(jobs, results, strict=True), start=1):
            out.append(res)
            if progress is not None:
                progress(i, len(jobs), label(job))
    finally:
        if pool is not None:
            pool.terminate()
    return out


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def plan(
    bands: dict[tuple[str, int], band_mod.Bands],
    seeds: dict[str, Sequence[int]],
    needs: dict[str, Iterable[tuple[str, str]]],
) -> list[tuple[str, int, str, str, int]]:
    """The replays of a suite, each once: (family, seed, policy, band, budget). ``seeds``
    and ``needs`` name, per set (checks, crippled), its seeds and its (policy, band) runs;
    the table seeds get every policy at every band and the ablations."""
    jobs: dict[tuple[str, int, str, str], int] = {}
    wanted_by = {k: list(v) for k, v in needs.items()}
    for (family, seed), b in bands.items():
        budget = dict(b.budgets())
        wanted: list[tuple[str, str]] = []
        for key, runs in wanted_by.items():
            if seed in seeds[key]:
                wanted += runs
        if seed in seeds["table"]:
            wanted += [(p, label) for p in policies.REPLAY_POLICIES for label, _ in b.budgets()]
            wanted += [(f"clawvm-no-{m}", ABLATION_BAND) for m in ABLATIONS]
            wanted += [(STATIC_ORDER, label) for label in PREFETCH_BANDS]
        for policy, label in wanted:
            jobs.setdefault((family, seed, policy, label), budget[label])
    return [(f, s, p, label, b) for (f, s, p, label), b in jobs.items()]


def run_suite(
    check_seeds: Sequence[int] = CHECK_SEEDS,
    table_seeds: Sequence[int] = TABLE_SEEDS,
    crippled_seeds: Sequence[int] | None = None,
    procs: int = 1,
    progress: Progress | None = None,
    selection_quality: bool = True,
    store: str = STORES["sqlite"],
) -> Suite:
    """Probe every trace, then replay the plan (deterministic for the same arguments).
    ``crippled_seeds`` defaults to the check seeds among ``CRIPPLED_SEEDS``;
    ``selection_quality`` measures Phase 2 against the exact optimum too. Every replay
    writes through the journal into a fresh ``store`` (default: SQLite, in memory)."""
    from clawvm.replay import checks

    if crippled_seeds is None:
        crippled_seeds = [s for s in check_seeds if s in CRIPPLED_SEEDS]
    seeds = sorted(set(check_seeds) | set(table_seeds) | set(crippled_seeds))
    traces = [(f, s) for s in seeds for f in FAMILIES]
    probed = run_jobs(functools.partial(_probe, store=store), traces, procs, progress,
                      lambda j: f"bands {j[0]} {j[1]}")
    bands = dict(zip(traces, probed, strict=True))
    jobs = plan(bands, {"checks": check_seeds, "crippled": crippled_seeds, "table": table_seeds},
                {"checks": checks.NEEDS, "crippled": checks.CRIPPLED_NEEDS})
    results = run_jobs(functools.partial(_replay, store=store), jobs, procs, progress,
                       lambda j: f"{j[2]} {j[0]} {j[1]} {j[3]}")
    runs = tuple(Run(f, s, p, label, b, r)
                 for (f, s, p, label, b), r in zip(jobs, results, strict=True))
    quality: tuple[optimality.Point, ...] = ()
    if selection_quality and table_seeds:
        quality = tuple(optimality.run(optimality.SUITE_SIZES, tuple(table_seeds),
                                       optimality.SUITE_FRACTIONS, progress=progress))
    return Suite(runs, bands, tuple(check_seeds), tuple(table_seeds), tuple(crippled_seeds),
                 quality)

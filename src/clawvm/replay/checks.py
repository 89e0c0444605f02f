"""Shape checks (docs/evaluation.md §9): the paper's claims as statements each seed can break.

Every check is evaluated per seed (the four families of that seed) and reports the seeds
where it holds and, where it does not, the band, family and numbers that broke it. The
checks about one of clawvm's mechanisms are run again, on the crippled seeds, with the
engine that lacks it (``policies.CRIPPLED``, ``DEPENDS``): a check *depends* on a mechanism
when removing it breaks the check on a seed where the full engine kept it. Failures
counted here are *policy failures*: faults a policy could have prevented (all but those
invariant pressure caused) plus lost demands (demands for pages the policy destroyed).

1. ``order`` — the paper's ordering: retrieval > retrieval_cached > compaction_hybrid >
   clawvm, in mean policy failures over the families, at F1 (the tightest budget with no
   invariant pressure).
2. ``zero_at_fp`` — clawvm has no policy failure where FP fits (FP and 1.5·FP), on every
   family. Between F1 and FP it may: which pointers it keeps decides.
3. ``lifecycle`` — clawvm has no lifecycle fault (flush miss, a writeback rejected at a
   boundary included; silent recall) at F1 and FP.
4. ``oracle_bound`` — the oracle has no more policy failures than clawvm at F1 (where
   pointers do not all fit, so prefetch order matters), on every family.
5. ``phase2`` — budget above FP serves demands directly: clawvm's direct hits (demands
   resident at the rep needed, not paged in) at 1.5·FP exceed those at FP.
6. ``headroom`` — keeping the prompt's prefix costs nothing: ``clawvm_headroom`` has no
   more policy failures than clawvm at F1 and FP, on every family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import fmean

from clawvm.replay.driver import RunResult
from clawvm.replay.sweep import Suite
from clawvm.replay.workloads import FAMILIES

__all__ = ["CHECKS", "CRIPPLED_NEEDS", "DEPENDS", "NEEDS", "CheckResult", "run_checks"]

_ORDER = ("retrieval", "retrieval_cached", "compaction_hybrid")
#: The bands each check reads the engine's runs at.
BANDS: dict[str, tuple[str, ...]] = {
    "order": ("F1",),
    "zero_at_fp": ("FP", "1.5FP"),
    "lifecycle": ("F1", "FP"),
    "oracle_bound": ("F1",),
    "phase2": ("FP", "1.5FP"),
    "headroom": ("F1", "FP"),
}
#: What each crippled engine must break (check names).
DEPENDS = {"clawvm-no-phase2": ("phase2",), "clawvm-no-prefetch": ("zero_at_fp",),
           "clawvm-no-writeback": ("lifecycle",)}
#: (policy, band) runs the checks need on every check seed ("clawvm" is the engine checked).
NEEDS: tuple[tuple[str, str], ...] = tuple(dict.fromkeys([
    *(("clawvm", b) for bands in BANDS.values() for b in bands),
    *(("oracle", b) for b in BANDS["oracle_bound"]),
    *(("clawvm_headroom", b) for b in BANDS["headroom"]),
    *((p, b) for p in _ORDER for b in BANDS["order"]),
]))
#: The runs of the crippled engines, on the crippled seeds.
CRIPPLED_NEEDS: tuple[tuple[str, str], ...] = tuple(
    (engine, b) for engine, names in DEPENDS.items() for name in names for b in BANDS[name])


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check under one engine: the seeds it held on and why it failed elsewhere."""

    name: str
    claim: str
    engine: str
    seeds: tuple[int, ...]
    failed: dict[int, list[str]] = field(default_factory=dict)  # seed -> what broke it

    @property
    def held(self) -> int:
        return len(self.seeds) - len(self.failed)

    @property
    def holds(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "claim": self.claim, "engine": self.engine,
                "seeds": len(self.seeds), "held": self.held,
                "failed": {str(s): why for s, why in sorted(self.failed.items())}}


def failures(r: RunResult) -> int:
    """Policy failures: preventable faults and lost demands."""
    return r.policy_faults + r.lost


def _why(r: RunResult) -> str:
    kinds = ", ".join(f"{k} {v}" for k, v in r.report.faults.items() if v)
    lost = f", lost {r.lost}" if r.lost else ""
    pressure = f" ({r.pressure_faults} under pressure)" if r.pressure_faults else ""
    return (kinds or "no fault") + lost + pressure


Check = Callable[[Suite, int, str], list[str]]


def _run(s: Suite, family: str, seed: int, policy: str, band: str) -> RunResult:
    run = s.get(family, seed, policy, band)
    if run is None:
        raise KeyError(f"the suite has no run of {policy} at {band} for {family} seed {seed}")
    return run.result


def _order(s: Suite, seed: int, engine: str) -> list[str]:
    out = []
    for band in BANDS["order"]:
        means = {p: fmean(failures(_run(s, f, seed, p, band)) for f in FAMILIES)
                 for p in (*_ORDER, engine)}
        vals = list(means.values())
        if not all(a > b for a, b in zip(vals, vals[1:])):
            out.append(f"{band}: " + " vs ".join(f"{p} {v:.1f}" for p, v in means.items()))
    return out


def _zero_at_fp(s: Suite, seed: int, engine: str) -> list[str]:
    out = []
    for band in BANDS["zero_at_fp"]:
        for f in FAMILIES:
            r = _run(s, f, seed, engine, band)
            if failures(r):
                out.append(f"{band} {f}: {_why(r)}")
    return out


def _lifecycle(s: Suite, seed: int, engine: str) -> list[str]:
    out = []
    for band in BANDS["lifecycle"]:
        for f in FAMILIES:
            r = _run(s, f, seed, engine, band)
            if r.lifecycle_faults:
                out.append(f"{band} {f}: " + ", ".join(
                    f"{k} {r.report.faults[k]}" for k in ("flush_miss", "silent_recall")
                    if r.report.faults[k]))
    return out


def _no_worse(s: Suite, seed: int, engine: str, policy: str, bands: tuple[str, ...]
              ) -> list[str]:
    """Where ``policy`` has more policy failures than ``engine`` (a family at a band)."""
    out = []
    for band in bands:
        for f in FAMILIES:
            p, c = _run(s, f, seed, policy, band), _run(s, f, seed, engine, band)
            if failures(p) > failures(c):
                out.append(f"{band} {f}: {policy} {failures(p)} ({_why(p)}) > "
                           f"{engine} {failures(c)}")
    return out


def _oracle_bound(s: Suite, seed: int, engine: str) -> list[str]:
    return _no_worse(s, seed, engine, "oracle", BANDS["oracle_bound"])


def _phase2(s: Suite, seed: int, engine: str) -> list[str]:
    at = {b: sum(_run(s, f, seed, engine, b).direct_hits for f in FAMILIES)
          for b in BANDS["phase2"]}
    if at["1.5FP"] > at["FP"]:
        return []
    return [f"direct hits: {at['FP']} at FP, {at['1.5FP']} at 1.5FP"]


def _headroom(s: Suite, seed: int, engine: str) -> list[str]:
    return _no_worse(s, seed, engine, "clawvm_headroom", BANDS["headroom"])


#: name -> (claim, function)
CHECKS: dict[str, tuple[str, Check]] = {
    "order": ("policy failures: retrieval > retrieval_cached > compaction_hybrid > clawvm "
              "(means over families, at F1)", _order),
    "zero_at_fp": ("clawvm: no policy failure where FP fits (FP, 1.5FP; every family)",
                   _zero_at_fp),
    "lifecycle": ("clawvm: no flush miss or silent recall (F1, FP; every family)", _lifecycle),
    "oracle_bound": ("oracle <= clawvm in policy failures at F1 (every family)",
                     _oracle_bound),
    "phase2": ("clawvm serves more demands directly at 1.5FP than at FP", _phase2),
    "headroom": ("clawvm_headroom <= clawvm in policy failures at F1 and FP (every family)",
                 _headroom),
}


def run_checks(s: Suite, engine: str = "clawvm", seeds: tuple[int, ...] | None = None,
               names: tuple[str, ...] | None = None) -> list[CheckResult]:
    """The checks ``names`` (default: all) for ``engine`` over ``seeds`` (default: the
    suite's check seeds)."""
    seeds = s.check_seeds if seeds is None else seeds
    out = []
    for name, (claim, fn) in CHECKS.items():
        if names is None or name in names:
            failed = {seed: why for seed in seeds if (why := fn(s, seed, engine))}
            out.append(CheckResult(name, claim, engine, tuple(seeds), failed))
    return out


def crippled_checks(s: Suite) -> list[tuple[str, str, int, int, bool]]:
    """For each crippled engine and each check it must break, over the crippled seeds:
    (engine, check, seeds where the full engine held, of those the seeds where the crippled
    one failed, whether it broke on any)."""
    out = []
    full = {c.name: c for c in run_checks(s, "clawvm", s.crippled_seeds)}
    for engine, names in DEPENDS.items():
        crippled = {c.name: c for c in run_checks(s, engine, s.crippled_seeds, names)}
        for name in names:
            held = [seed for seed in s.crippled_seeds if seed not in full[name].failed]
            broke = [seed for seed in held if seed in crippled[name].failed]
            out.append((engine, name, len(held), len(broke), bool(broke)))
    return out

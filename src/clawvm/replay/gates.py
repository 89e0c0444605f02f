"""Tier-1 gates (docs/evaluation.md §7): six scenarios every release must pass, replayed on the VM.

Each gate is a small scripted trace, replayed at a budget relative to itself (its F1 or
FP, ``bands``). It passes when a baseline policy shows the expected fault (so the scenario
really exercises the failure) and ClawVM shows none, or, for the persistence gate, when
the journal rejects each unsafe write with the expected reason.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from clawvm.replay import bands
from clawvm.replay.driver import STORES, RunResult, replay
from clawvm.replay.format import Trace
from clawvm.replay.policies import REPLAY_POLICIES
from clawvm.replay.workloads import TraceBuilder

__all__ = ["GATES", "GateResult", "run_gates"]


@dataclass(frozen=True, slots=True)
class GateResult:
    name: str
    passed: bool
    expected: str  # the fault kind or reason code the gate is about
    baseline: str  # policy that must show it ("-" for journal gates)
    budget: str  # the band, and its tokens
    baseline_count: int
    clawvm_faults: int
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


def _session(name: str) -> TraceBuilder:
    s = TraceBuilder(random.Random(7), f"gate-{name}")
    s.pinned()
    s.message("user")
    s.turn(("rules", "structured"), ("plan", "structured"),
           (s.user_seg, "full"))  # type: ignore[arg-type]
    return s


def _busy(s: TraceBuilder, turns: int) -> None:
    """Large fresh tool output the model reads: it outranks older context when room is short."""
    for _ in range(turns):
        pid = s.read(full=1500)
        s.turn((pid, "full"), (s.message("user"), "full"))


def post_compaction_bootstrap() -> Trace:
    s = _session("post_compaction_bootstrap")
    _busy(s, 8)
    s.add("compaction")
    s.turn(("rules", "structured"))
    return s.trace()


def flush_miss_on_reset() -> Trace:
    s = _session("flush_miss_on_reset")
    _busy(s, 3)
    s.add("write", page="plan", value={"note": "step 2 done"})
    s.add("reset")
    s.turn(("plan", "structured"))
    s.add("recall", page="plan", status="ok")
    return s.trace()


def threshold_jump_race() -> Trace:
    s = _session("threshold_jump_race")
    _busy(s, 3)
    s.add("write", page="plan", value={"note": "step 3 done"})
    pid = s.read()  # one huge result: the context jumps past both thresholds at once
    s.add("compaction", threshold_jump=True)
    s.turn((pid, "structured"), ("plan", "structured"))
    return s.trace()


def silent_recall() -> Trace:
    s = _session("silent_recall")
    s.add("recall", query="deploy credentials", status="denied")
    s.add("recall", query="yesterday's notes", status="backend_error")
    return s.trace()


def unsafe_persistence() -> Trace:
    s = _session("unsafe_persistence")
    pref = {"key": "style", "value": {"tabs": False}}
    s.add("persist", key="pref-style", update="set", value=pref, scope="project",
          principal="user", type="preference")
    s.add("persist", key="pref-style", update="set", value={**pref, "value": {"tabs": True}},
          scope="project", principal="agent")  # an agent may not write project scope
    s.add("persist", key="pref-style", update="set", value={**pref, "value": {"tabs": True}},
          scope="project", principal="user", base_version=0)  # stale: version 1 is current
    return s.trace()


def evidence_churn() -> Trace:
    s = _session("evidence_churn")
    _busy(s, 8)
    for _ in range(6):
        if pid := s.repeat():
            s.turn((pid, "structured"))
        _busy(s, 2)
    return s.trace()


@dataclass(frozen=True, slots=True)
class _Gate:
    name: str
    build: Callable[[], Trace]
    expected: str
    baseline: str
    band: str


GATES: tuple[_Gate, ...] = (
    _Gate("post_compaction_bootstrap", post_compaction_bootstrap, "post_compaction_bootstrap",
          "compaction_hybrid", "F1"),
    _Gate("flush_miss_on_reset", flush_miss_on_reset, "flush_miss", "compaction_hybrid", "FP"),
    _Gate("threshold_jump_race", threshold_jump_race, "flush_miss", "compaction_threshold", "FP"),
    _Gate("silent_recall", silent_recall, "silent_recall", "retrieval", "FP"),
    _Gate("unsafe_persistence", unsafe_persistence, "SCOPE_DENIED,DESTRUCTIVE_OP", "-", "FP"),
    _Gate("evidence_churn", evidence_churn, "duplicate_tool", "retrieval", "FP"),
)


def _check(gate: _Gate, store: str) -> GateResult:
    trace = gate.build()
    budget = dict(bands.measure(trace, store).budgets())[gate.band]
    where = f"{gate.band} = {budget}"

    def run(policy: str) -> RunResult:
        return replay(trace, REPLAY_POLICIES[policy], budget, store=store)

    ours = run("clawvm")
    if gate.baseline == "-":
        want = gate.expected.split(",")
        got = [reason for _, reason, _ in ours.rejections]
        passed = got == want and ours.report.total_faults == 0
        return GateResult(gate.name, passed, gate.expected, "-", where, len(got),
                          ours.report.total_faults, f"rejections {got}")
    base = run(gate.baseline)
    seen = base.report.faults[gate.expected]
    passed = seen > 0 and ours.report.total_faults == 0 and ours.lost == 0
    detail = f"{gate.baseline}: {seen} {gate.expected}; clawvm: {ours.report.total_faults} faults"
    if gate.expected == "silent_recall":
        passed = passed and len(ours.typed_recalls) == seen
        detail += f", reasons reported: {list(ours.typed_recalls)}"
    if gate.expected == "duplicate_tool":
        passed = passed and ours.report.alerts > 0
        detail += f", {ours.report.alerts} duplicate-signature alerts served"
    return GateResult(gate.name, passed, gate.expected, gate.baseline, where, seen,
                      ours.report.total_faults, detail)


def run_gates(store: str = STORES["sqlite"]) -> list[GateResult]:
    """Run every gate, each replay into a fresh ``store``; deterministic."""
    return [_check(g, store) for g in GATES]

"""Four seeded workload families shaped like assistant and coding sessions (SPEC §6).

Each family is a generator ``family(seed) -> Trace``. Page sizes are paper-scale (budgets
120-500 tokens for pages): a few pinned pages (rules, constraints, the plan) whose floors
take 24 tokens, at most ~25 live soft pages (tool outputs, transcript segments,
preferences) whose pointers take 1-2 tokens, and one to three demands per turn, new
context at compressed and older context at structured. So the
floor set (pinned floors + demanded reps + pointers of live pages) fits even at 120 tokens,
and a correct policy has no fault to blame on the budget. Sizes grow along each path
(pointer < structured < compressed < full) by more than the ratio of the scores, so a
page's upgrade steps sort in path order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from clawvm.errors import InvalidInputError
from clawvm.replay.format import Trace, dump_lines, parse_lines

__all__ = ["FAMILIES", "TraceBuilder", "generate", "generate_lines"]


class TraceBuilder:
    """Builds a trace event by event; keeps the live set small by dropping the oldest."""

    def __init__(self, rng: random.Random, name: str) -> None:
        self.rng = rng
        self.name = name
        self.events: list[dict[str, Any]] = []
        self.n = 0
        self.evidence: list[str] = []
        self.segments: list[str] = []
        self.calls: dict[str, tuple[str, dict[str, Any]]] = {}

    def _id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n:04d}"

    def add(self, op: str, **fields: Any) -> None:
        self.events.append({"op": op, **fields})

    def pinned(self, rules: bool = True) -> None:
        """Project rules and two constraints, and this session's plan: 10 + 4 + 4 + 6 tokens
        at their floors."""
        if rules:
            self.add("page", id="rules", type="bootstrap", scope="project", tokens=[0, 10, 0, 40])
            for cid in ("c-tests", "c-scope"):
                self.add("page", id=cid, type="constraint", scope="project", utility=0.2, tokens=[0, 4, 0, 16])
        self.add("page", id="plan", type="plan", utility=0.5, tokens=[2, 6, 0, 24])

    def segment(self, keep: int = 3) -> str:
        pid = self._id("seg")
        r = self.rng
        self.add("page", id=pid, type="segment", utility=0.5,
                 tokens=[1, r.randint(6, 10), r.randint(14, 20), r.randint(30, 60)])
        self.segments.append(pid)
        if len(self.segments) > keep:
            self.add("drop", page=self.segments.pop(0))
        return pid

    def tool_call(self, keep: int = 18) -> str:
        """A new tool call and its output (an evidence page)."""
        r = self.rng
        pid = self._id("ev")
        name = r.choice(["grep", "read_file", "run_tests", "web_search", "list_dir"])
        args = {"q": pid, "n": r.randint(1, 9)}
        self.add("tool", name=name, args=args)
        self.add("page", id=pid, type="evidence", utility=round(r.uniform(0.6, 1.4), 3),
                 recompute=round(r.uniform(0.5, 2.5), 3), tool={"name": name, "args": args},
                 tokens=[1, r.randint(8, 12), r.randint(18, 28), r.randint(60, 160)])
        self.calls[pid] = (name, args)
        self.evidence.append(pid)
        if len(self.evidence) > keep:
            old = self.evidence.pop(0)
            self.calls.pop(old, None)
            self.add("drop", page=old)
        return pid

    def repeat_call(self) -> str | None:
        """Re-issue an earlier call with the same signature (the agent forgot it ran it)."""
        older = self.evidence[:-1]
        if not older:
            return None
        pid = self.rng.choice(older)
        name, args = self.calls[pid]
        self.add("tool", name=name, args=args)
        return pid

    def notes(self, k: int = 3) -> None:
        """The agent records findings as the context fills up: k tool outputs get dirty."""
        for pid in self.rng.sample(self.evidence, min(k, len(self.evidence))):
            self.add("write", page=pid, value={"note": self.n})

    def compaction(self, jump: bool = False) -> None:
        self.notes()
        self.add("compaction", threshold_jump=jump)

    def turn(self, *demands: tuple[str, str]) -> None:
        self.add("turn", demands=[[p, r] for p, r in demands])

    def work_turn(self) -> None:
        """A user message, maybe a tool call, and demands on recent context."""
        r = self.rng
        seg = self.segment()
        demands = [(seg, "compressed")]
        if r.random() < 0.6:
            demands.append((self.tool_call(), "compressed"))
        for _ in range(2):  # agents keep going back to earlier tool output
            if len(self.evidence) > 1 and r.random() < 0.7:
                demands.append((r.choice(self.evidence[:-1]), "structured"))
        if r.random() < 0.05:
            demands.append(("c-tests", "structured"))
        self.turn(*demands)

    def lines(self) -> list[str]:
        """The trace as JSONL lines (what ``clawvm replay`` reads)."""
        return list(dump_lines({"session": self.name, "source": "clawvm.replay.workloads"}, self.events))

    def trace(self) -> Trace:
        return parse_lines(self.lines(), source=self.name)


def evidence_heavy(seed: int) -> TraceBuilder:
    """Many tool outputs, re-demanded later; repeated tool calls; two compactions."""
    s = TraceBuilder(random.Random(seed), f"evidence_heavy-{seed}")
    s.pinned()
    s.turn(("rules", "full"), ("plan", "structured"))
    for t in range(120):
        s.work_turn()
        if t % 3 == 2 and (pid := s.repeat_call()):
            s.turn((pid, "structured"))
        if t % 9 == 4:
            s.add("write", page="plan", value={"step": t})
        if t in (40, 85):
            s.compaction()
            s.turn(("rules", "structured"), ("plan", "structured"))
        if t % 30 == 17:
            s.add("recall", query="earlier build failure", status=s.rng.choice(["denied", "backend_error"]))
    s.add("session_end")
    return s


def compaction_bootstrap(seed: int) -> TraceBuilder:
    """Long sessions with frequent compactions; the rules are demanded right after each."""
    s = TraceBuilder(random.Random(seed), f"compaction_bootstrap-{seed}")
    s.pinned()
    s.turn(("rules", "full"))
    for t in range(160):
        s.work_turn()
        if t % 6 == 3:
            s.add("write", page="plan", value={"step": t})
        if t % 8 == 5:
            s.add("write", page=s.evidence[-1], value={"note": t}) if s.evidence else None
        if t % 20 == 19:
            s.compaction(jump=t % 60 == 59)
            s.turn(("rules", "structured"), ("c-scope", "structured"), (s.segment(), "full"))
    s.add("session_end")
    return s


def plan_reset(seed: int) -> TraceBuilder:
    """Multi-step plans with dirty state, and resets that must not lose it."""
    s = TraceBuilder(random.Random(seed), f"plan_reset-{seed}")
    s.pinned()
    s.turn(("rules", "full"), ("plan", "full"))
    for t in range(140):
        s.work_turn()
        if t % 4 == 1:
            s.add("write", page="plan", value={"step": t // 4})
            s.turn(("plan", "full"))
        if t % 35 == 34:
            s.add("reset")
            s.turn(("rules", "structured"), ("plan", "structured"), ("c-tests", "structured"))
            s.add("recall", page="plan", status="ok")
        if t == 70:
            s.compaction()
    s.add("session_end")
    return s


def multisession(seed: int) -> TraceBuilder:
    """Project-scoped preferences written in one session and needed in the next ones."""
    s = TraceBuilder(random.Random(seed), f"multisession-{seed}")
    prefs: list[str] = []
    for k in range(4):
        s.add("session_start", session=f"multisession-{seed}-s{k}")
        s.pinned(rules=k == 0)
        s.turn(("rules", "full"), *((p, "structured") for p in prefs[-2:]))
        for t in range(35):
            s.work_turn()
            if t % 12 == 5:
                pid = f"pref-{k}-{t}"
                s.add("page", id=pid, type="preference", scope="project", utility=0.8,
                      tokens=[2, 5, 8, 14])
                s.add("write", page=pid, value={"likes": f"style-{k}-{t}"})
                prefs.append(pid)
            if prefs and t % 10 == 8:
                s.turn((s.rng.choice(prefs), "structured"))
            if t == 20:
                s.compaction()
        for pid in prefs[-2:]:
            s.add("recall", page=pid, status="ok")
        s.add("session_end")
        s.segments.clear()  # session-scoped pages end with the session
        s.evidence.clear()
        s.calls.clear()
    return s


FAMILIES: dict[str, Callable[[int], TraceBuilder]] = {
    "evidence_heavy": evidence_heavy,
    "compaction_bootstrap": compaction_bootstrap,
    "plan_reset": plan_reset,
    "multisession": multisession,
}


def _builder(family: str, seed: int) -> TraceBuilder:
    if family not in FAMILIES:
        raise InvalidInputError("family", f"{family!r} is not one of {sorted(FAMILIES)}")
    return FAMILIES[family](seed)


def generate(family: str, seed: int = 0) -> Trace:
    """The trace of one family for one seed (deterministic)."""
    return _builder(family, seed).trace()


def generate_lines(family: str, seed: int = 0) -> list[str]:
    """The same trace as JSONL lines, as a file for ``clawvm replay`` would hold them."""
    return _builder(family, seed).lines()

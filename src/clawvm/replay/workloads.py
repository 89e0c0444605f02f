"""Four seeded workload families like coding-agent sessions (docs/evaluation.md §5), trace v2.

Each family is a generator ``family(seed) -> TraceBuilder``. A session has rules (a
bootstrap page from a file), two user constraints, a plan the agent keeps up to date, user
and assistant messages, and tool calls with their results: files read (read-only, by
path), searched and edited (an edit changes what later reads of that file return), tests
run, the web searched. The agent goes back to earlier output — mostly what it used in the
last few turns, sometimes anything older — and sometimes re-issues a call it already made.

Sizes are drawn per page (tool output from a line to a few thousand tokens, log-uniform),
and no budget is assumed: the suite replays each trace at budgets relative to its own
required set (F1) and pointer set (FP), so a family's sizes shift its bands, not its
result. Nothing here is tuned to make any policy win: families differ in what they stress
(re-demand, boundaries, dirty plans, sessions), not in how much room they leave.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from clawvm.errors import InvalidInputError
from clawvm.replay.format import Trace, dump_lines, parse_lines

__all__ = ["FAMILIES", "TraceBuilder", "generate", "generate_lines"]

_SRC_DIRS = ("src", "tests", "docs")


class TraceBuilder:
    """Builds a v2 trace event by event, with the agent's working memory of what it used."""

    def __init__(self, rng: random.Random, name: str) -> None:
        self.rng = rng
        self.name = name
        self.events: list[dict[str, Any]] = []
        self.n = 0
        self.evidence: list[str] = []  # tool results, oldest first
        self.recent: list[str] = []  # results the agent used lately, most recent last
        self.calls: dict[str, tuple[str, dict[str, Any], bool, Any]] = {}  # page -> its call
        self.edited: set[str] = set()  # files edited since they were last read
        self.files = [f"{rng.choice(_SRC_DIRS)}/m{k:02d}.py" for k in range(rng.randint(8, 24))]
        self.user_seg: str | None = None
        self.reply_seg: str | None = None

    def _id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n:04d}"

    def add(self, op: str, **fields: Any) -> None:
        self.events.append({"op": op, **fields})

    # ------------------------------------------------------------------ sizes
    def _size(self, lo: int, hi: int) -> int:
        """Log-uniform in [lo, hi]: most outputs small, some large."""
        return int(round(math.exp(self.rng.uniform(math.log(lo), math.log(hi)))))

    def _costs(self, pointer: int, full: int, path: str = "psc") -> list[int]:
        """Costs rising along the path: structured ~1/8 and compressed ~1/3 of full."""
        r = self.rng
        s = max(pointer + 1, int(full * r.uniform(0.08, 0.2)))
        c = max(s + 1, int(full * r.uniform(0.25, 0.45)))
        full = max(full, c + 1)
        return [pointer, s, c if "c" in path else 0, full]

    # ------------------------------------------------------------------ pages
    def pinned(self, rules: bool = True, plan: bool = True, plan_id: str = "plan") -> None:
        """Rules from a file and two user constraints (durable already); this session's plan."""
        r = self.rng
        if rules:
            s = r.randint(120, 240)
            self.add("page", id="rules", type="bootstrap", scope="project", dirty=False,
                     tokens=[0, s, 0, s * r.randint(3, 5)])
            for cid in ("c-tests", "c-scope"):
                s = r.randint(20, 45)
                self.add("page", id=cid, type="constraint", scope="project", dirty=False,
                         utility=0.5, tokens=[0, s, 0, 2 * s])
        if plan:
            self.add("page", id=plan_id, type="plan", utility=0.8,
                     tokens=[r.randint(10, 14), r.randint(40, 70), 0, r.randint(120, 260)])

    def message(self, speaker: str) -> str:
        pid = self._id("u" if speaker == "user" else "a")
        full = self._size(30, 600 if speaker == "user" else 400)
        self.add("page", id=pid, type="segment", speaker=speaker, utility=0.4,
                 recompute=0.2, tokens=self._costs(self.rng.randint(10, 14), full))
        if speaker == "user":
            self.user_seg = pid
        else:
            self.reply_seg = pid
        return pid

    def call(self, name: str, args: dict[str, Any], read_only: bool, resource: Any,
             full: int | None = None) -> str:
        """A tool call and its result page (``full`` tokens, default drawn); the VM decides
        whether it runs."""
        pid = self._id("r")
        if full is None:
            full = self._size(40, 6000) if read_only else self._size(15, 60)
        tokens = self._costs(self.rng.randint(14, 24), full)
        self.add("tool", name=name, args=args, read_only=read_only, resource=resource, page=pid,
                 tokens=tokens, utility=round(self.rng.uniform(0.6, 1.4), 3),
                 recompute=round(1 + math.log10(full), 3))
        self.calls[pid] = (name, args, read_only, resource)
        if read_only:
            self.evidence.append(pid)
        return pid

    # ------------------------------------------------------------------ agent actions
    def read(self, path: str | None = None, full: int | None = None) -> str:
        path = path or self.rng.choice(self.files)
        self.edited.discard(path)
        return self.call("read_file", {"path": path}, True, path, full)

    def edit(self) -> str:
        path = self.rng.choice(self.files)
        self.edited.add(path)
        return self.call("edit_file", {"path": path, "patch": f"p{self.n}"}, False, path)

    def tool_step(self) -> list[str]:
        """Zero to three calls, the results the model reads next."""
        r = self.rng
        out = []
        for _ in range(r.choice((0, 1, 1, 1, 2, 2, 3))):
            x = r.random()
            if x < 0.35:
                out.append(self.read())
            elif x < 0.5:
                d = r.choice(_SRC_DIRS)
                out.append(self.call("grep", {"pattern": f"k{r.randint(0, 30)}", "dir": d},
                                     True, d))
            elif x < 0.65:
                out.append(self.edit())
            elif x < 0.75:
                out.append(self.call("run_tests", {"target": r.choice(_SRC_DIRS)}, True, None))
            elif x < 0.82:
                q = f"q{r.randint(0, 12)}"
                out.append(self.call("web_search", {"query": q}, True, f"web/{q}"))
            else:
                repeat = self.repeat()
                if repeat:
                    out.append(repeat)
        return out

    def repeat(self) -> str | None:
        """Re-issue an earlier read-only call (the agent forgot it made it)."""
        older = [p for p in self.evidence[:-1] if p in self.calls]
        if not older:
            return None
        name, args, read_only, resource = self.calls[self.pick(older)]
        return self.call(name, args, read_only, resource)

    def pick(self, pool: list[str]) -> str:
        """An earlier result: mostly one used in the last turns, else any."""
        r = self.rng
        recent = [p for p in dict.fromkeys(reversed(self.recent)) if p in pool][:6]
        return r.choice(recent) if recent and r.random() < 0.7 else r.choice(pool)

    def turn(self, *demands: tuple[str, str]) -> None:
        self.add("turn", demands=[[p, r] for p, r in demands])
        self.recent += [p for p, _ in demands if p in self.calls]

    def work(self) -> None:
        """A user message (sometimes), the model's call with what it needs, its reply."""
        r = self.rng
        if self.user_seg is None or r.random() < 0.4:
            self.message("user")
        demands: list[tuple[str, str]] = [(self.user_seg, "full")]  # type: ignore[list-item]
        if self.reply_seg is not None:
            demands.append((self.reply_seg, "structured"))
        older = [p for p in self.evidence if p in self.calls]
        for _ in range(2):
            if older and r.random() < 0.6:
                demands.append((self.pick(older), r.choice(("structured", "compressed"))))
        self.turn(*demands)
        new = self.tool_step()
        if new:  # the model reads its results in the next call
            self.turn(*((p, "full") for p in new))
        self.message("assistant")

    def plan_step(self, step: int) -> None:
        r = self.rng
        self.add("write", page="plan", value={"step": 0, "note": f"step {step}"},
                 tokens=[r.randint(10, 14), r.randint(40, 80), 0, r.randint(140, 320)])

    def notes(self, k: int = 2) -> None:
        """The agent writes findings into tool outputs it is working from: dirty pages."""
        pool = [p for p in self.evidence if p in self.calls]
        for pid in self.rng.sample(pool, min(k, len(pool))):
            self.add("write", page=pid, value={"finding": self.n})

    def compaction(self, jump: bool = False) -> None:
        self.notes()
        self.add("compaction", threshold_jump=jump)
        self.user_seg = self.reply_seg = None

    def recall_failure(self, query: str) -> None:
        self.add("recall", query=query, status=self.rng.choice(["denied", "backend_error"]))

    def lines(self) -> list[str]:
        """The trace as JSONL lines (what ``clawvm replay`` reads)."""
        header = {"session": self.name, "source": "clawvm.replay.workloads"}
        return list(dump_lines(header, self.events))

    def trace(self) -> Trace:
        return parse_lines(self.lines(), source=self.name)


def evidence_heavy(seed: int) -> TraceBuilder:
    """Many tool outputs re-demanded later, repeated calls, edits; two compactions."""
    s = TraceBuilder(random.Random(seed), f"evidence_heavy-{seed}")
    s.pinned()
    s.message("user")
    s.turn(("rules", "full"), ("plan", "full"), (s.user_seg, "full"))  # type: ignore[arg-type]
    n = s.rng.randint(14, 20)
    cuts = sorted(s.rng.sample(range(4, n - 2), 2))
    for t in range(n):
        s.work()
        if t % 7 == 3:
            s.plan_step(t)
        if t in cuts:
            s.compaction()
            s.message("user")
            s.turn((s.user_seg, "full"), ("plan", "structured"))  # type: ignore[arg-type]
        if s.rng.random() < 0.05:
            s.recall_failure("earlier build failure")
    s.add("session_end")
    return s


def compaction_bootstrap(seed: int) -> TraceBuilder:
    """Frequent compactions, some by a threshold jump; the rules are needed after each."""
    s = TraceBuilder(random.Random(seed), f"compaction_bootstrap-{seed}")
    s.pinned()
    s.message("user")
    s.turn(("rules", "full"), (s.user_seg, "full"))  # type: ignore[arg-type]
    n = s.rng.randint(16, 22)
    every = s.rng.randint(5, 7)
    for t in range(n):
        s.work()
        if t % 5 == 2:
            s.plan_step(t)
        if t % every == every - 1:
            s.compaction(jump=s.rng.random() < 0.3)
            s.message("user")
            s.turn(("rules", "structured"), ("c-scope", "structured"),
                   (s.user_seg, "full"))  # type: ignore[arg-type]
    s.add("session_end")
    return s


def plan_reset(seed: int) -> TraceBuilder:
    """A multi-step plan advanced often and read in full; resets that must not lose it."""
    s = TraceBuilder(random.Random(seed), f"plan_reset-{seed}")
    s.pinned()
    s.message("user")
    s.turn(("rules", "full"), ("plan", "full"), (s.user_seg, "full"))  # type: ignore[arg-type]
    n = s.rng.randint(14, 20)
    resets = set(s.rng.sample(range(4, n - 2), 2))
    for t in range(n):
        s.work()
        if t % 3 == 1:
            s.plan_step(t)
            s.turn(("plan", "full"))
        if t in resets:
            s.add("reset")
            s.user_seg = s.reply_seg = None
            s.message("user")
            s.turn(("rules", "structured"), ("plan", "structured"), ("c-tests", "structured"),
                   (s.user_seg, "full"))  # type: ignore[arg-type]
            s.add("recall", page="plan", status="ok")
        if t == n // 2:
            s.compaction()
    s.add("session_end")
    return s


def multisession(seed: int) -> TraceBuilder:
    """Preferences stated in one session and needed in later ones; each session reuses the
    same session-scoped ids (its plan, its notes) as the one before."""
    s = TraceBuilder(random.Random(seed), f"multisession-{seed}")
    prefs: list[str] = []
    r = s.rng
    for k in range(3):
        s.add("session_start", session=f"multisession-{seed}-s{k}")
        s.pinned(rules=k == 0)
        s.add("page", id="notes", type="segment", speaker="other", utility=0.6,
              tokens=[12, 30, 60, r.randint(80, 200)])
        s.message("user")
        s.turn(("rules", "full"), (s.user_seg, "full"),  # type: ignore[arg-type]
               *((p, "structured") for p in prefs[-2:]))
        for t in range(r.randint(6, 9)):
            s.work()
            if t % 6 == 2:
                pid = f"pref-{k}-{t}"
                s.add("page", id=pid, type="preference", scope="project", utility=0.8,
                      tokens=s._costs(10, r.randint(40, 90)))
                s.add("write", page=pid, value={"value": f"style-{k}-{t}"}, principal="user")
                prefs.append(pid)
            if t % 5 == 4:
                s.add("write", page="notes", value={"line": t})
            if prefs and t % 4 == 3:
                s.turn((s.rng.choice(prefs), "structured"))
            if t == 4:
                s.compaction()
        for pid in prefs[-2:]:
            s.add("recall", page=pid, status="ok")
        s.add("persist", key="team-style", update="set", value={"key": "team", "value": k},
              scope="project", principal="agent", type="preference")  # not the agent's to write
        s.add("session_end")
        s.evidence.clear()  # session-scoped pages end with the session
        s.recent.clear()
        s.calls.clear()
        s.user_seg = s.reply_seg = None
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

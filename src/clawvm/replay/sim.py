"""Replay a session trace under a policy and count what would have happened (SPEC §5-§6).

The replay drives the same engine as the VM, with the page costs the trace records instead
of rendered text, and the journal over an in-memory store for writebacks and persistence.
The rules it shares with the VM:

* a page created or written since the last turn is in the model's view: demanding it in
  the next turn is a hit;
* a destructive boundary first writes back every dirty page (when the policy does so at
  that boundary; otherwise each dirty page is a flush miss), then empties the context and
  re-selects with no demands, so pinned pages are resident in the first prompt after it;
* a repeated tool call demands its evidence page and re-issues the tool: resident (or a
  resolvable pointer) means a duplicate-signature alert, otherwise a duplicate-tool fault.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clawvm._engine import Engine as DefaultEngine
from clawvm._schema import DEMAND_REISSUES_TOOL, Outcome, Rep, ScoreMode
from clawvm.faults import FaultReport
from clawvm.journal import Journal, Validator
from clawvm.policy import Policy
from clawvm.replay.format import Event, PageSpec, Trace
from clawvm.stores import open_store
from clawvm.tools import signature
from clawvm.trace import DecisionTrace

__all__ = ["STORES", "RunResult", "replay"]

#: Per-run store backends for replays: each run starts from an empty store.
STORES = {"sqlite": "sqlite://:memory:", "memory": "memory://"}

_NO_DEMANDS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one replay counted."""

    policy: str
    budget: int
    report: FaultReport
    turns: int
    demands: int
    pressure_turns: int  # turns where a required page did not fit (invariant pressure)
    rejections: tuple[tuple[str, str], ...] = ()  # (key, reason) of rejected persists
    silent_recalls: int = 0
    typed_recalls: tuple[str, ...] = ()  # statuses a typed recall reported

    @property
    def floor_fits(self) -> bool:
        return self.pressure_turns == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy, "budget": self.budget, "turns": self.turns,
            "demands": self.demands, "pressure_turns": self.pressure_turns,
            "rejections": [list(r) for r in self.rejections], **self.report.as_dict(),
        }


@dataclass
class _State:
    slot: dict[str, int] = field(default_factory=dict)
    page_at: dict[int, str] = field(default_factory=dict)  # slot -> page id
    spec: dict[str, PageSpec] = field(default_factory=dict)
    by_signature: dict[str, str] = field(default_factory=dict)
    value: dict[str, Any] = field(default_factory=dict)
    version: dict[str, int] = field(default_factory=dict)  # committed version per page
    lost: set[str] = field(default_factory=set)  # dirty state destroyed without writeback
    fresh: set[str] = field(default_factory=set)  # created or written since the last turn
    after_compaction: bool = False
    session: str = "session"


class _Replay:
    def __init__(
        self, trace: Trace, policy: Policy, budget: int, engine_cls: Any, store: str, sink: DecisionTrace | None
    ):
        self.policy = policy
        self.budget = budget
        self.engine = (engine_cls or DefaultEngine)(64, **policy.engine_flags())
        self.validator = Validator()
        self.journal = Journal(open_store(store), self.validator, session=trace.session)
        self.st = _State(session=trace.session)
        self.sink = sink
        self.turns = self.demands = self.pressure = self.silent = 0
        self.rejections: list[tuple[str, str]] = []
        self.typed: list[str] = []
        turns = [e for e in trace.events if e.op == "turn"]
        self.future = _lookahead(turns, policy.oracle_horizon) if policy.score_mode == ScoreMode.ORACLE else None

    # ------------------------------------------------------------------ events
    def run(self, events: tuple[Event, ...]) -> None:
        for event in events:
            getattr(self, "_" + event.op)(event)

    def _page(self, e: Event) -> None:
        spec: PageSpec = e.args["page"]
        st = self.st
        slot = self.engine.add_page(
            int(spec.type), list(spec.tokens), int(spec.floor), int(spec.pin), spec.utility, spec.recompute
        )
        st.slot[spec.id] = slot
        st.page_at[slot] = spec.id
        st.spec[spec.id] = spec
        st.fresh.add(spec.id)
        if spec.tool is not None:
            st.by_signature[signature(*spec.tool)] = spec.id
            self.validator.add_ref(spec.id)

    def _turn(self, e: Event) -> None:
        st, eng = self.st, self.engine
        demands: list[tuple[str, Rep]] = e.args["demands"]
        self.turns += 1
        self.demands += len(demands)
        old = [(p, r) for p, r in demands if p not in st.fresh]
        eng.counters[Outcome.HIT] += len(demands) - len(old)
        if old:
            self._account(old, 0)
        if self.future is not None:
            self._set_future(self.turns - 1)
        slots = np.array([st.slot[p] for p, _ in demands], dtype=np.int64)
        reps = np.array([int(r) for _, r in demands], dtype=np.int64)
        used = eng.select(self.budget, slots, reps)
        unmet = eng.unmet()
        self.pressure += bool(len(unmet))
        st.fresh.clear()
        st.after_compaction = False
        self._emit("select", tokens=used, unmet=[self._id_of(s) for s in unmet])

    def _tool(self, e: Event) -> None:
        pid = self.st.by_signature.get(signature(e.args["name"], e.args["args"]))
        if pid is None or pid not in self.st.slot:
            return  # a first call: its evidence page follows
        if pid in self.st.fresh:
            self.engine.counters[Outcome.ALERT] += 1
            return
        kind = self._account([(pid, Rep.STRUCTURED)], DEMAND_REISSUES_TOOL)[0]
        if kind in (Outcome.HIT, Outcome.PAGE_IN):
            self.engine.counters[Outcome.ALERT] += 1  # served from the resident result
        else:
            self.st.fresh.add(pid)  # the tool ran again; its result is in view
        self._emit("tool", page=pid, outcome=Outcome(kind).name.lower())

    def _write(self, e: Event) -> None:
        pid = e.args["page"]
        st = self.st
        st.value[pid] = e.args["value"] if e.args["value"] is not None else st.version.get(pid, 0) + 1
        st.fresh.add(pid)
        st.lost.discard(pid)
        self.engine.mark_dirty(st.slot[pid])

    def _recall(self, e: Event) -> None:
        pid = e.args["page"]
        status = "no_match" if pid is not None and pid in self.st.lost else e.args["status"]
        if status != "ok":
            if self.policy.typed_recall:
                self.typed.append(status)
            else:
                self.engine.counters[Outcome.SILENT_RECALL] += 1
                self.silent += 1
        self._emit("recall", page=pid, status=status, typed=self.policy.typed_recall)

    def _persist(self, e: Event) -> None:
        a = e.args
        self.journal.stage(
            a["key"], a["update"], a["value"], a["scope"], a["principal"],
            base_version=a["base_version"], evidence_ref=a["evidence_ref"], ptype=a["type"],
        )
        for d in self.journal.commit():
            if not d.accepted:
                self.rejections.append((d.staged.key, str(d.reason)))
            self._emit("commit" if d.accepted else "reject", key=d.staged.key, reason=d.reason)

    def _drop(self, e: Event) -> None:
        self._remove(e.args["page"])

    def _compaction(self, e: Event) -> None:
        skip = self.policy.flush_on_threshold_only and e.args["threshold_jump"]
        self._boundary("compaction", self.policy.writeback_at_compaction and not skip)
        self.st.after_compaction = True

    def _reset(self, e: Event) -> None:
        self._boundary("reset", self.policy.writeback_at_reset)

    def _session_end(self, e: Event) -> None:
        self._boundary("session_end", self.policy.writeback_at_session_end)
        for pid in [p for p, s in self.st.spec.items() if s.scope == "session" and p in self.st.slot]:
            self._remove(pid)

    def _session_start(self, e: Event) -> None:
        self.st.session = e.args["session"] or self.st.session
        self.journal.session = self.st.session
        self._emit("session_start", session=self.st.session)

    # ------------------------------------------------------------------ helpers
    def _account(self, demands: list[tuple[str, Rep]], flag: int) -> list[int]:
        slots = np.array([self.st.slot[p] for p, _ in demands], dtype=np.int64)
        reps = np.array([int(r) for _, r in demands], dtype=np.int64)
        flags = np.full(len(demands), flag, dtype=np.int64)
        faults = self.engine.account(slots, reps, flags, self.st.after_compaction)
        kinds = [int(k) for k in self.engine.outcomes]
        if faults:
            self._emit("fault", pages=[p for (p, _), k in zip(demands, kinds) if k >= Outcome.POST_COMPACTION_BOOTSTRAP],
                       kinds=[Outcome(k).name.lower() for k in kinds if k >= Outcome.POST_COMPACTION_BOOTSTRAP])
        return kinds

    def _boundary(self, kind: str, writeback: bool) -> None:
        st, eng = self.st, self.engine
        dirty = [self._id_of(s) for s in eng.dirty_slots()]
        if dirty and writeback:
            for pid in dirty:
                spec = st.spec[pid]
                self.journal.stage(pid, "set", st.value.get(pid, 0), spec.scope, "harness",
                                   base_version=st.version.get(pid, 0))
            result = self.journal.flush()
            for d in result.committed:
                st.version[d.staged.key] = d.record.version if d.record else 0
                eng.mark_clean(st.slot[d.staged.key], st.version[d.staged.key])
            for d in result.rejected:
                self.rejections.append((d.staged.key, str(d.reason)))
        elif dirty:
            eng.counters[Outcome.FLUSH_MISS] += len(dirty)
            for pid in dirty:
                st.lost.add(pid)
                eng.mark_clean(st.slot[pid], st.version.get(pid, 0))
        eng.evict_all()
        st.fresh.clear()
        eng.select(self.budget, _NO_DEMANDS, _NO_DEMANDS, update_recency=False)
        self._emit("boundary", kind=kind, writeback=writeback, dirty=dirty)

    def _set_future(self, turn: int) -> None:
        assert self.future is not None  # only called under the oracle policy
        counts = self.future[turn] if turn < len(self.future) else {}
        live = [(self.st.slot[p], c) for p, c in sorted(counts.items()) if p in self.st.slot]
        self.engine.set_future([s for s, _ in live], [c for _, c in live])

    def _id_of(self, slot: int) -> str:
        return self.st.page_at[int(slot)]

    def _remove(self, pid: str) -> None:
        slot = self.st.slot.pop(pid)
        del self.st.page_at[slot]
        self.engine.remove_page(slot)
        self.st.fresh.discard(pid)

    def _emit(self, event: str, **fields: Any) -> None:
        if self.sink is not None:
            self.sink.emit(event, turn=self.turns, **fields)


def _lookahead(turns: list[Event], horizon: int) -> list[dict[str, int]]:
    """For each turn, how often each page is demanded in the next ``horizon`` turns."""
    out = []
    for i in range(len(turns)):
        c: Counter[str] = Counter()
        for e in turns[i + 1 : i + 1 + horizon]:
            c.update(p for p, _ in e.args["demands"])
        out.append(dict(c))
    return out


def replay(
    trace: Trace,
    policy: Policy,
    budget: int,
    *,
    engine_cls: Any = None,
    store: str = STORES["sqlite"],
    sink: DecisionTrace | None = None,
) -> RunResult:
    """Run ``trace`` under ``policy`` with ``budget`` tokens for pages; returns the counts.

    Writebacks and persistence go through the journal into a fresh store per run (an
    in-memory SQLite database by default; see ``STORES``).
    """
    r = _Replay(trace, policy, budget, engine_cls, store, sink)
    try:
        r.run(trace.events)
    finally:
        r.journal.store.close()
    eng = r.engine
    return RunResult(
        policy=policy.name,
        budget=budget,
        report=FaultReport.from_counters(eng.counters, unmet=r.pressure),
        turns=r.turns,
        demands=r.demands,
        pressure_turns=r.pressure,
        rejections=tuple(r.rejections),
        silent_recalls=r.silent,
        typed_recalls=tuple(r.typed),
    )


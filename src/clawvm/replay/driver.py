"""Replay a session trace by driving the VM (docs/evaluation.md §3): costs from the trace.

Every event becomes the call a harness makes: a page is ``add_page``d (its costs the ones
the trace recorded instead of rendered ones), a turn is ``assemble``, a tool event is
``tool_execute`` (the VM decides whether the call runs, is served from an earlier result
or runs again after its result was lost), a write and a persist are updates proposed
through ``post_model`` and judged by the journal, a recall goes through the VM's recall
(a denial or failure the trace recorded is the backend's answer), boundaries are
``compaction``, ``reset``, ``session_start`` and ``session_end``. Faults, alerts, hits and
page-ins are the VM's counters; nothing here decides one.

What the replay adds is bookkeeping the VM has no reason to keep:

* trace page ids to the VM's (a tool's result page is named by the VM; a served call's
  ``page`` names the result it was served from);
* *lost* demands: demands for a page the policy destroyed (a dirty page that was never
  committed dies with the context at a boundary without writeback). The VM counted the
  flush miss; the later demand cannot reach it and is reported, not counted as a fault;
* *pressure faults*: faults on pages that were unmet (did not fit at all) in the selection
  they were checked against — invariant pressure, not a choice of the policy;
* under the oracle policy, the engine's ``future`` column from the trace's next turns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import xxhash

from clawvm._checks import tname
from clawvm._schema import FAULTS, PageType, Rep, ScoreMode
from clawvm._table import GIVEN_CALL, Selector
from clawvm._writeback import Write
from clawvm.errors import ClawVMError
from clawvm.faults import FaultReport
from clawvm.pages import ID_PATTERN, Page, path_of
from clawvm.policy import Policy
from clawvm.replay.format import Event, PageSpec, ToolSpec, Trace, TraceError
from clawvm.replay.policies import ReplayPolicy
from clawvm.results import RecallResult
from clawvm.tokens import default_tokenizer
from clawvm.trace import DecisionTrace
from clawvm.vm import VM, fixed_region

__all__ = ["LIFECYCLE", "RESIDENCY", "STORES", "RunResult", "replay"]

#: Per-run store backends for replays: each run starts from an empty store.
STORES = {"sqlite": "sqlite://:memory:", "memory": "memory://"}
#: Faults of what the selection kept (docs/design.md §7's residency failures) ...
RESIDENCY = ("post_compaction_bootstrap", "pinned_invariant", "duplicate_tool", "refetch")
#: ... and of the lifecycle: durability (flush misses) and observability (silent recalls).
LIFECYCLE = ("flush_miss", "silent_recall")
_FIRST_FAULT = int(min(FAULTS))
#: Called after every selection with the VM and the turn's demands (None: no turn).
Observer = Callable[[VM, "list[tuple[str, Rep]] | None"], None]
_FIXED = fixed_region(default_tokenizer())  # the VM's fixed region with no system prompt


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one replay counted: the VM's report and the replay's bookkeeping."""

    policy: str
    budget: int
    report: FaultReport
    turns: int
    demands: int
    pressure_turns: int  # turns whose required set did not fit (invariant pressure)
    pressure_faults: int = 0  # faults on pages unmet in the selection they were checked against
    lost: int = 0  # demands for pages the policy had destroyed
    rejections: tuple[tuple[str, str, str], ...] = ()  # (page or key, reason, where)
    typed_recalls: tuple[str, ...] = ()  # statuses a typed recall reported
    prompt_tokens: int = 0  # tokens of every prompt after a session's first
    prefix_tokens: int = 0  # of those, tokens equal to a prefix of the prompt before

    @property
    def prefix_reuse(self) -> float:
        """Share of prompt tokens a provider's prompt cache could reuse (``VM.stats``)."""
        return self.prefix_tokens / self.prompt_tokens if self.prompt_tokens else 0.0

    @property
    def floor_fits(self) -> bool:
        return self.pressure_turns == 0

    @property
    def direct_hits(self) -> int:
        """Demands served at the rep resident (hits that were not page-ins)."""
        return self.report.hits - self.report.page_ins

    def kinds(self, names: tuple[str, ...]) -> int:
        return sum(self.report.faults[k] for k in names)

    @property
    def residency_faults(self) -> int:
        return self.kinds(RESIDENCY)

    @property
    def lifecycle_faults(self) -> int:
        return self.kinds(LIFECYCLE)

    @property
    def policy_faults(self) -> int:
        """Faults a policy could have prevented: all but those invariant pressure caused."""
        return self.report.total_faults - self.pressure_faults

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy, "budget": self.budget, "turns": self.turns,
            "demands": self.demands, "pressure_turns": self.pressure_turns,
            "pressure_faults": self.pressure_faults, "lost": self.lost,
            "residency_faults": self.residency_faults, "lifecycle_faults": self.lifecycle_faults,
            "direct_hits": self.direct_hits, "prefix_reuse": round(self.prefix_reuse, 6),
            "rejections": [list(r) for r in self.rejections], **self.report.as_dict(),
        }


def session_id(name: str) -> str:
    """A trace's session name as a VM session id (a hash of it when it is not one word)."""
    name = name or "session"
    if ID_PATTERN.fullmatch(name):
        return name
    return "s-" + xxhash.xxh64_hexdigest(name.encode("utf-8", "surrogatepass"))


def stand_in(pid: str, spec: PageSpec) -> Any:
    """Content for a page the trace knows only by its costs: the smallest its type takes."""
    t = spec.type
    if t == PageType.CONSTRAINT:
        return {"rule": pid}
    if t == PageType.PLAN:
        return {"goal": pid, "steps": [pid], "step": 0, "done": False}
    if t == PageType.PREFERENCE:
        return {"key": pid}
    if t == PageType.EVIDENCE:
        return {"tool": "document", "args": {}, "result": pid}
    if t == PageType.SEGMENT:
        return {"span": pid, "speaker": spec.speaker, "text": pid}
    return {"text": pid}


@dataclass
class _Counts:
    turns: int = 0
    demands: int = 0
    pressure_turns: int = 0
    pressure_faults: int = 0
    lost: int = 0
    rejections: list[tuple[str, str, str]] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    prefix_tokens: int = 0


class _Driver:
    def __init__(self, trace: Trace, policy: Policy, budget: int, store: str,
                 sink: DecisionTrace | None, selector: Selector | None,
                 observe: Observer | None, cache_headroom: float = 0.0) -> None:
        self.trace = trace
        self.observe = observe
        self.vm = VM(budget + _FIXED, policy=policy, store=store, trace=sink, selector=selector,
                     cache_headroom=cache_headroom)
        self.t = self.vm._table
        self.ids: dict[str, str] = {}  # trace page id -> VM page id
        self.c = _Counts()
        self.n_writes = 0
        self._resource: tuple[str, ...] | None = None
        turns = [e.args["demands"] for e in trace.events if e.op == "turn"]
        self.turn_demands = turns
        self.oracle = policy.score_mode == ScoreMode.ORACLE
        self.horizon = policy.oracle_horizon

    # ------------------------------------------------------------------ helpers
    def run(self) -> None:
        source = self.trace.name
        for event in self.trace.events:
            try:
                if self.vm.session is None and event.op not in ("session_start", "session_end"):
                    self.vm.session_start(session_id(self.trace.session))
                getattr(self, "_" + event.op)(event)
            except TraceError:
                raise
            except ClawVMError as exc:
                raise TraceError(event.line, f"the VM refused it: {exc}", source) from None
        if self.vm.session is not None:
            self._count_prompts()

    def _count_prompts(self) -> None:
        """Add this session's prompt-cache figures (``VM.stats`` starts over per session)."""
        stats = self.vm.stats()
        self.c.prompt_tokens += stats.prompt_tokens
        self.c.prefix_tokens += stats.prefix_tokens

    def vid(self, pid: str) -> str | None:
        """The VM id of trace page ``pid``, or None if the VM no longer holds it."""
        v = self.ids.get(pid, pid)
        return v if v in self.t.pages else None

    def _new_vid(self, pid: str) -> str:
        """The VM id for a new trace page: its own, unless the VM gave that id to a page it
        made itself (a served call's reference, say)."""
        vid, n = pid, 0
        while vid in self.t.pages:
            n += 1
            vid = f"t{n}-{xxhash.xxh64_hexdigest(pid.encode())}"
        self.ids[pid] = vid
        return vid

    def _set_future(self, first: int) -> None:
        """Oracle: demands per page in the ``horizon`` turns from turn index ``first``."""
        counts: Counter[int] = Counter()
        for demands in self.turn_demands[first : first + self.horizon]:
            for pid, _ in demands:
                v = self.vid(pid)
                if v is not None:
                    counts[self.t.slot[v]] += 1
        slots = sorted(counts)
        self.vm.engine.set_future(slots, [counts[s] for s in slots])

    def _decided(self, decisions: list[Any], where: str) -> None:
        for d in decisions:
            if not d.accepted:
                self.c.rejections.append((d.staged.key, str(d.reason), where))

    # ------------------------------------------------------------------ events
    def _page(self, e: Event) -> None:
        spec: PageSpec = e.args["page"]
        vid = self._new_vid(spec.id)
        content = stand_in(vid, spec)
        page = Page(vid, spec.type, content, scope=spec.scope, pin=spec.pin, floor=spec.floor,
                    base=spec.utility, recompute=spec.recompute,
                    reps={r: f"[page:{vid}] {r.name.lower()}" for r in path_of(spec.type)})
        if not spec.dirty:  # its content is durable already: as if committed before
            current = self.t.committed(page)
            if current is None or current.value != content:
                wb = self.t.wb
                wb.journal.flush([wb.staged(
                    vid, "set", content, spec.scope, "harness", ptype=tname(spec.type),
                    base_version=None if current is None else current.version)])
        self.t.given[vid] = (spec.tokens, None, None)
        self.vm.add_page(page, principal="harness")

    def _tool(self, e: Event) -> None:
        tool: ToolSpec = e.args["tool"]
        self.vm.tools.declare(tool.name, read_only=tool.read_only, resource=self._resources)
        self._resource = tool.resource
        cid = tool.call_id or f"call-{e.line}"
        given = (tool.tokens, tool.utility, tool.recompute)

        def run() -> str:  # only when the call runs: a served call keeps its earlier result
            self.t.given[GIVEN_CALL + cid] = given
            return tool.page

        res = self.vm.tool_execute(tool.name, tool.args, run, call_id=cid)
        self.ids[tool.page] = res.page_id

    def _resources(self, args: Any) -> tuple[str, ...] | None:
        return self._resource

    def _turn(self, e: Event) -> None:
        c = self.c
        t = self.t
        demands: list[tuple[str, Rep]] = []
        for pid, rep in e.args["demands"]:
            v = self.vid(pid)
            if v is None:
                c.lost += 1
            else:
                demands.append((v, rep))
        c.turns += 1
        c.demands += len(e.args["demands"])
        if self.oracle:
            self._set_future(c.turns)  # this selection is checked against the next turns
        unmet_before = set(t.last_unmet.tolist())
        accounted = [t.slot[v] for v, _ in demands if t.slot[v] not in t.fresh]
        a = self.vm.assemble(demands)
        if a.faults and unmet_before:
            out = self.vm.engine.outcomes
            c.pressure_faults += sum(
                1 for s, k in zip(accounted, out.tolist(), strict=True)
                if k >= _FIRST_FAULT and s in unmet_before
            )
        c.pressure_turns += bool(a.unmet)
        if self.observe is not None:
            self.observe(self.vm, demands)

    def _write(self, e: Event) -> None:
        vid = self.vid(e.args["page"])
        if vid is None:
            return  # the page was destroyed: nothing to write to (its demands count as lost)
        self.n_writes += 1
        value = e.args["value"]
        update = value if isinstance(value, dict) else {
            "note": value if value is not None else self.n_writes}
        old = self.t.given.get(vid)
        if e.args["tokens"] is not None:
            self.t.given[vid] = (e.args["tokens"], None, None)
        decisions = self.vm.post_model(writes=[Write(vid, "merge", update)],
                                       principal=e.args["principal"])
        if not decisions[0].accepted and old is not None:
            self.t.given[vid] = old
        self._decided(decisions, "write")

    def _recall(self, e: Event) -> None:
        a = e.args
        query = a["query"]
        if a["page"] is not None:
            query = self.ids.get(a["page"], a["page"])
        if a["status"] == "ok":
            res = self.vm.recall(query, principal=a["principal"])
        else:  # the backend's recorded answer, delivered as the policy delivers answers
            answer = RecallResult(a["status"], reason=f"the backend answered {a['status']}")
            res = self.vm._recaller.deliver(query, a["principal"], answer)
        if res.status in ("denied", "backend_error"):  # told with its reason, not silent
            self.c.typed.append(res.status)

    def _persist(self, e: Event) -> None:
        a = e.args
        key = self.ids.get(a["key"], a["key"])
        ref = a["evidence_ref"]
        w = Write(key, a["update"], a["value"], scope=a["scope"],
                  evidence_ref=self.ids.get(ref, ref) if ref is not None else None,
                  base_version=a["base_version"], ptype=a["type"])
        self._decided(self.vm.post_model(writes=[w], principal=a["principal"]), "persist")

    def _drop(self, e: Event) -> None:
        vid = self.vid(e.args["page"])
        if vid is not None:
            self.t.remove(vid)

    def _boundary(self, call: Callable[[], None]) -> None:
        if self.oracle:
            self._set_future(self.c.turns)
        lc = self.vm._lifecycle
        seen = len(lc.rejections)
        call()
        self.c.rejections += [(p, r, k) for p, r, k in lc.rejections[seen:]]
        if self.observe is not None and self.vm.session is not None:
            self.observe(self.vm, None)

    def _compaction(self, e: Event) -> None:
        self._boundary(lambda: self.vm.compaction(threshold_jump=e.args["threshold_jump"]))

    def _reset(self, e: Event) -> None:
        self._boundary(self.vm.reset)

    def _session_end(self, e: Event) -> None:
        if self.vm.session is not None:
            self._count_prompts()
        self._boundary(self.vm.session_end)

    def _session_start(self, e: Event) -> None:
        self.vm.session_start(session_id(e.args["session"] or self.trace.session))
        if self.observe is not None:
            self.observe(self.vm, None)


def replay(
    trace: Trace,
    policy: Policy | ReplayPolicy,
    budget: int,
    *,
    store: str = STORES["sqlite"],
    sink: DecisionTrace | None = None,
    observe: Observer | None = None,
) -> RunResult:
    """Drive a VM under ``policy`` with ``budget`` tokens for pages through ``trace``.

    Writebacks and persistence go through the VM's journal into a fresh store per run (an
    in-memory SQLite database by default; see ``STORES``). A ``ReplayPolicy`` with a
    selector (a peer) chooses the context instead of the engine. ``observe(vm, demands)``
    is called after every selection (``demands`` None after a boundary or a session start).
    A trace the VM refuses raises ``TraceError`` naming the line.
    """
    headroom = 0.0
    if isinstance(policy, ReplayPolicy):
        selector, name, headroom = policy.selector, policy.name, policy.cache_headroom
        policy = policy.policy
    else:
        selector, name = None, policy.name
    d = _Driver(trace, policy, budget, store, sink, selector, observe, headroom)
    try:
        d.run()
    finally:
        d.vm.close()
    c = d.c
    return RunResult(
        policy=name,
        budget=budget,
        report=d.vm.faults(),
        turns=c.turns,
        demands=c.demands,
        pressure_turns=c.pressure_turns,
        pressure_faults=c.pressure_faults,
        lost=c.lost,
        rejections=tuple(c.rejections),
        typed_recalls=tuple(c.typed),
        prompt_tokens=c.prompt_tokens,
        prefix_tokens=c.prefix_tokens,
    )

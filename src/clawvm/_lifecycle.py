"""Sessions and destructive boundaries (SPEC §3.1): write back first, then empty the context.

``compaction``, ``reset`` and ``session_end`` flush every staged update through the journal
before anything is destroyed (a store failure raises before the boundary changes the
context); a policy that skips the flush loses the dirty pages, one flush miss each.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from clawvm._checks import REP_NAME_OF
from clawvm._schema import Outcome
from clawvm._table import PageTable
from clawvm.errors import InvalidInputError
from clawvm.faults import FaultReport
from clawvm.pages import ID_PATTERN
from clawvm.stores.base import Decision

_EMPTY = np.zeros(0, dtype=np.int64)


class Lifecycle:
    """Session start and the three destructive boundaries of one VM."""

    def __init__(self, table: PageTable) -> None:
        self.t = table
        #: (page, reason, boundary kind) of every page whose writeback a boundary rejected
        self.rejections: list[tuple[str, str, str]] = []

    def session_start(self, session_id: str) -> list[str]:
        t = self.t
        if not isinstance(session_id, str) or not ID_PATTERN.fullmatch(session_id):
            raise InvalidInputError(
                "session_id", f"{session_id!r} must be one word of [A-Za-z0-9._:/@+#=-]"
            )
        if t.session is not None:
            if t.session == session_id:
                return []
            raise InvalidInputError(
                "session_id", f"session {t.session!r} is active; call session_end() first"
            )
        store = t.wb.store
        keys = [k for k in store.keys() if k[0] == "project" or k[1] == session_id]
        t.new_conversation()
        t.session = session_id
        t.wb.session = session_id
        loaded = []
        for scope, sess, key in keys:
            if key in t.pages:
                continue
            read = store.get(key, scope, sess)
            if read.status == "ok" and read.record is not None and t.load(read.record):
                loaded.append(key)
        # The context a session starts with, as after a boundary: what the policy keeps.
        t.select(_EMPTY, _EMPTY, False)
        t.trace.emit("session_start", session=session_id, loaded=loaded, policy=t.policy.name)
        return loaded

    def boundary(self, kind: str, writeback: bool) -> None:
        """Run one destructive boundary; ``writeback`` says whether the policy flushes first."""
        t = self.t
        t.require_session(kind)
        eng = t.engine
        dirty = [t.render.ids[s] for s in eng.dirty_slots().tolist()]
        committed: list[str] = []
        rejected: list[list[str]] = []
        if writeback:
            result = t.wb.flush()  # a store failure raises here, before anything is destroyed
            committed, rejected = self._settle(result.committed, result.rejected, kind)
        else:
            t.wb.drop(set(dirty))
            for pid in dirty:
                eng.counters[Outcome.FLUSH_MISS] += 1
                t.trace.emit("fault", kind="flush_miss", page=pid, boundary=kind)
                if not t.revert(pid):  # never committed: the page dies with the context
                    t.remove(pid)
        eng.evict_all()
        t.fresh.clear()
        if kind == "session_end":
            for pid in [p.id for p in t.pages.values() if p.scope == "session"]:
                t.remove(pid)
            t.trace.emit(
                "boundary",
                kind=kind,
                committed=committed,
                rejected=rejected,
                flush_miss=[] if writeback else dirty,
            )
            t.trace.emit("session_end", session=t.session, faults=self.faults_dict())
            t.session = None
            t.wb.session = ""
            t.after_compaction = False
            return
        t.after_compaction = t.after_compaction or kind == "compaction"
        # The context after the boundary: what the policy keeps (hard pins at floor, pointers).
        t.select(_EMPTY, _EMPTY, False)
        t.trace.emit(
            "boundary",
            kind=kind,
            committed=committed,
            rejected=rejected,
            flush_miss=[] if writeback else dirty,
            resident=self.resident_ids(),
        )

    def faults_dict(self) -> dict[str, Any]:
        return FaultReport.from_counters(self.t.engine.counters, self.t.unmet_total).as_dict()

    def resident_ids(self) -> list[list[Any]]:
        render = self.t.render
        slots, reps = render.gather(self.t.engine.selection)
        return [
            [i, REP_NAME_OF[r]]
            for i, r in zip(render.ids[slots].tolist(), reps.tolist(), strict=True)
        ]

    def _settle(
        self, ok: list[Decision], bad: list[Decision], kind: str
    ) -> tuple[list[str], list[list[str]]]:
        """After a flush: committed pages turn clean; a page whose update was rejected reverts
        to what is committed, and the boundary destroyed its dirty state: a flush miss."""
        t = self.t
        versions: dict[str, int] = {}
        for d in ok:
            assert d.record is not None
            versions[d.staged.key] = d.record.version
            t.trace.emit("commit", page=d.staged.key, op=d.staged.op, version=d.record.version)
        for d in bad:
            t.trace.emit(
                "reject", page=d.staged.key, op=d.staged.op, reason=d.reason, detail=d.detail
            )
        reasons: dict[str, str] = {}
        for d in bad:
            reasons.setdefault(d.staged.key, str(d.reason))
        for pid in sorted(reasons):
            self.rejections.append((pid, reasons[pid], kind))
            if pid in t.pages:
                t.engine.counters[Outcome.FLUSH_MISS] += 1
                t.trace.emit("fault", kind="flush_miss", page=pid, boundary=kind, rejected=True)
                if not t.revert(pid):  # never committed: the page dies with the context
                    t.remove(pid)
                versions.pop(pid, None)
        for pid, version in versions.items():
            if pid in t.pages:
                t.pages[pid].version = version
                t.engine.mark_clean(t.slot[pid], version)
        return sorted(versions), [[d.staged.key, str(d.reason)] for d in bad]

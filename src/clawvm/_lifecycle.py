"""Sessions and destructive boundaries (docs/design.md §6): write back, then empty the context.

``compaction``, ``reset`` and ``session_end`` flush every staged update through the journal
before anything is destroyed (a store failure raises before the boundary changes the
context); a policy that skips the flush loses the dirty pages, one flush miss each.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from clawvm._checks import REP_NAME_OF, check_principal
from clawvm._schema import Outcome, Pin, Rep
from clawvm._table import PageTable
from clawvm.errors import InvalidInputError, UnknownPageError
from clawvm.faults import FaultReport
from clawvm.pages import ID_PATTERN
from clawvm.stores._repr import safe_repr
from clawvm.stores.base import DROPPED, Decision, resume_scan

_EMPTY = np.zeros(0, dtype=np.int64)
#: What a tombstone keeps of a dropped page's value: what the type's schema requires.
_TOMBSTONE_KEEP = {
    "constraint": ("rule",),
    "plan": ("goal", "steps", "step", "done"),
    "evidence": ("tool",),
    "preference": ("key",),
}
#: Page types of the conversation (everything outside the stable region).
_STREAM_TYPES = frozenset({"evidence", "segment"})


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
                "session_id",
                f"{safe_repr(session_id, 80)} must be one word of [A-Za-z0-9._:/@+#=-]",
            )
        if t.session is not None:
            if t.session == session_id:
                return []
            raise InvalidInputError(
                "session_id", f"session {t.session!r} is active; call session_end() first"
            )
        # With retirement the earlier conversation was not needed since the last boundary:
        # its pages wait in the store, found by id (paging, recall, pointers, demands), and
        # their values are not read now. One read where the store can.
        retire = t.retire_after is not None
        records = resume_scan(t.wb.store, session_id, _STREAM_TYPES if retire else frozenset())
        t.new_conversation()
        t.session = session_id
        t.wb.session = session_id
        loaded = []
        archived = []
        for rec in records:
            if isinstance(rec, tuple):
                key, scope = rec
                if key not in t.pages:
                    t.archived[key] = scope
                    archived.append(key)
            elif rec.key not in t.pages and t.load(rec):
                loaded.append(rec.key)
        # The context a session starts with, as after a boundary: what the policy keeps.
        t.select(_EMPTY, _EMPTY, False)
        t.trace.emit(
            "session_start",
            session=session_id,
            loaded=loaded,
            policy=t.policy.name,
            **({"archived": len(archived)} if retire else {}),
        )
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
            for pid in [p for p, scope in t.archived.items() if scope == "session"]:
                del t.archived[pid]
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
        waiting = sorted(p for p in t.to_archive if p in t.pages and not eng.dirty[t.slot[p]])
        for pid in waiting:
            t.archive(pid)
        t.to_archive.clear()
        if waiting:
            t.trace.emit("archive", pages=waiting)
        retired = self._retire() if kind == "compaction" else []
        t.select(_EMPTY, _EMPTY, False)
        t.shed()
        if retired:
            t.trace.emit("retire", pages=retired)
        t.trace.emit(
            "boundary",
            kind=kind,
            committed=committed,
            rejected=rejected,
            flush_miss=[] if writeback else dirty,
            resident=self.resident_ids(),
        )

    def drop(self, page_id: str, principal: str) -> None:
        """Take ``page_id`` out for good: out of the table now, out of the store once the
        journal accepts its tombstone at the next writeback (refused, the page comes back).
        A page never committed is simply gone; its staged changes are discarded."""
        t = self.t
        t.require_session("drop")
        check_principal(principal)
        page = t.pages.get(page_id) if isinstance(page_id, str) else None
        scope = t.archived.get(page_id) if page is None and isinstance(page_id, str) else None
        if page is None and scope is None:
            raise UnknownPageError(f"drop: unknown page id {safe_repr(page_id, 80)}")
        if page is not None and page.pin == Pin.HARD:
            raise InvalidInputError("page_id", f"{page_id!r} is hard-pinned: unpin it first")
        where = page.scope if page is not None else scope
        read = t.wb.read(page_id, str(where))
        rec = read.record if read.status == "ok" else None
        t.wb.drop({page_id})
        if page is not None:
            t.remove(page_id)
        t.archived.pop(page_id, None)
        t.to_archive.discard(page_id)
        if rec is None:  # never committed: nothing to write
            t.trace.emit("drop", page=page_id, committed=False)
            return
        keep = _TOMBSTONE_KEEP.get(str(rec.ptype), ())
        old = rec.value
        value = {k: old[k] for k in keep if k in old} if isinstance(old, dict) else {}
        value[DROPPED] = True
        staged = t.wb.staged(
            page_id,
            "set",
            value,
            rec.scope,
            principal,
            ptype=str(rec.ptype),
            base_version=rec.version,
        )
        t.wb.stage(staged)
        t.dropped[page_id] = rec.scope
        t.trace.emit("drop", page=page_id, committed=True, principal=principal)

    def archive(self, page_id: str) -> bool:
        """Move ``page_id`` out of the table into the store (``archived``); True if done now,
        False if it waits for the next writeback (it has changes not yet committed)."""
        t = self.t
        t.require_session("archive")
        page = t.pages.get(page_id) if isinstance(page_id, str) else None
        if page is None:
            if isinstance(page_id, str) and page_id in t.archived:
                return True
            raise UnknownPageError(f"archive: unknown page id {safe_repr(page_id, 80)}")
        if page.pin == Pin.HARD:
            raise InvalidInputError("page_id", f"{page_id!r} is hard-pinned: unpin it first")
        if t.engine.dirty[t.slot[page_id]]:
            t.to_archive.add(page_id)
            return False
        t.archive(page_id)
        t.trace.emit("archive", pages=[page_id])
        return True

    def _retire(self) -> list[str]:
        """At a compaction: archive the pages nobody needed since before the compaction
        ``retire_after`` compactions ago (not hard-pinned, no floor above pointer, committed):
        their pointers leave the prompt, so the pointer region stays bounded; an archived
        page comes back by id."""
        t = self.t
        t.compactions.append(t.turn)
        if t.retire_after is None or len(t.compactions) <= t.retire_after:
            return []
        cutoff = t.compactions[-1 - t.retire_after]
        eng = t.engine
        gone = [
            pid
            for pid, slot in t.slot.items()
            if t.need[slot] < cutoff
            and eng.floor[slot] <= Rep.POINTER
            and eng.pin[slot] != Pin.HARD
            and not eng.dirty[slot]
            and slot not in t.pending
        ]
        for pid in gone:
            t.archive(pid)
        return gone

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
            elif pid in t.dropped:  # the journal refused the drop: the page comes back
                scope = t.dropped.pop(pid)
                read = t.wb.read(pid, scope)
                if read.status == "ok" and read.record is not None:
                    t.load(read.record)
                versions.pop(pid, None)
        for pid in [p for p in versions if p in t.dropped]:
            del t.dropped[pid]
            del versions[pid]
        for pid, version in versions.items():
            if pid in t.pages:
                t.pages[pid].version = version
                t.engine.mark_clean(t.slot[pid], version)
        return sorted(versions), [[d.staged.key, str(d.reason)] for d in bad]

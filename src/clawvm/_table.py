"""The VM's page table: pages by id, their engine slots and rendered messages, and the session.

Every other part of the VM (writes, boundaries, mediation, recall, turns) works through this
one object, so a page is installed, changed and removed in exactly one place: its engine
row, its rendered messages and its journal bookkeeping always move together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from clawvm._checks import tname
from clawvm._engine import Engine
from clawvm._render import RenderTable
from clawvm._schema import PageType, Pin, Rep
from clawvm._writeback import Writeback
from clawvm.errors import InvalidInputError, InvalidTypeError, SessionError, StoreError
from clawvm.pages import Page
from clawvm.policy import Policy
from clawvm.reps import Registry, path_costs, render
from clawvm.stores.base import Record, Staged
from clawvm.tokens import Tokenizer
from clawvm.tools import signature
from clawvm.trace import DecisionTrace

Measured = tuple[dict[Rep, str], dict[Rep, str], tuple[int, int, int, int]]


class PageTable:
    """Pages, engine, render table, journal link and session state of one VM."""

    def __init__(
        self,
        policy: Policy,
        tokenizer: Tokenizer,
        generators: Registry,
        wb: Writeback,
        trace: DecisionTrace,
        read_policy: Mapping[str, frozenset[str]],
    ) -> None:
        self.policy = policy
        self.tokenizer = tokenizer
        self.generators = generators
        self.wb = wb
        self.trace = trace
        self.read_policy = read_policy
        self.engine = Engine(64, **policy.engine_flags())  # type: ignore[arg-type]
        self.render = RenderTable(64)
        self.pages: dict[str, Page] = {}
        self.slot: dict[str, int] = {}
        self.fresh: set[int] = set()  # slots created or changed since the last assemble
        self.calls: dict[str, str] = {}  # tool signature -> evidence page id
        self.sig_of: dict[str, str] = {}  # evidence page id -> tool signature
        self.page_budget = 0  # tokens for pages: set by the VM from its budget
        self.session: str | None = None
        self.after_compaction = False
        self.turn = 0
        self.unmet_total = 0
        self._ids_made: dict[str, int] = {}

    def require_session(self, call: str) -> None:
        if self.session is None:
            raise SessionError(
                f"{call}: no session is open; call session_start(session_id) first "
                "(there is no implicit shared session)"
            )

    def ordered(self) -> Iterator[Page]:
        """Every page, in creation order."""
        seq = self.engine.seq
        return iter(sorted(self.pages.values(), key=lambda p: int(seq[self.slot[p.id]])))

    def seq_of(self, page_id: str) -> int:
        return int(self.engine.seq[self.slot[page_id]])

    def new_id(self, prefix: str) -> str:
        n = self._ids_made.get(prefix, 0)
        while f"{prefix}-{n + 1}" in self.pages:
            n += 1
        self._ids_made[prefix] = n + 1
        return f"{prefix}-{n + 1}"

    def measure(self, page: Page) -> Measured:
        """Rep bodies, rendered text per rep, and the engine costs (never below a lower rep's)."""
        bodies = dict(page.reps) if page.reps else self.generators.generate(page)
        texts = {rep: render(page, rep, body) for rep, body in bodies.items()}
        return bodies, texts, path_costs(page, texts, self.tokenizer)

    def committed(self, page: Page) -> Record | None:
        """The store's committed record of ``page``'s id, if any (a type clash is an error)."""
        try:
            read = self.wb.read(page.id, page.scope)
        except StoreError:
            return None
        if read.status != "ok" or read.record is None:
            return None
        if read.record.ptype != tname(page.type):
            raise InvalidInputError(
                "page.type", f"{page.id!r} is committed as {read.record.ptype!r}"
            )
        return read.record

    def install(self, page: Page, measured: Measured, staged: Staged | None) -> None:
        """Give ``page`` a slot, its messages and its journal refs; stage it when ``staged``."""
        eng = self.engine
        bodies, texts, tokens = measured
        page.reps = bodies
        assert page.floor is not None and page.pin is not None and page.recompute is not None
        slot = eng.add_page(
            int(page.type), tokens, int(page.floor), int(page.pin), page.base, page.recompute
        )
        page.tokens = tokens
        self.pages[page.id] = page
        self.slot[page.id] = slot
        self.render.set(slot, page.id, page.type, int(eng.seq[slot]), texts)
        self.wb.validator.add_ref(page.id)
        if page.pin == Pin.HARD:
            self.wb.validator.pin(page.id)
        if page.type == PageType.EVIDENCE:  # its call, for duplicate detection
            sig = page.provenance.get("signature") or signature(
                page.content["tool"], page.content.get("args")
            )
            self.calls.setdefault(sig, page.id)
            self.sig_of[page.id] = sig
        self.fresh.add(slot)
        if staged is not None:
            self.wb.stage(staged)
            eng.mark_dirty(slot)
            self.trace.emit(
                "stage",
                page=page.id,
                op=staged.op,
                principal=staged.principal,
                version=page.version,
            )
        else:
            eng.mark_clean(slot, page.version)

    def load(self, rec: Record) -> bool:
        """Install a committed record as a clean page; False if it is not a page clawvm knows."""
        try:
            page = Page(
                rec.key,
                PageType[str(rec.ptype).upper()],
                rec.value,
                scope=rec.scope,
                version=rec.version,
            )
        except (KeyError, InvalidInputError, InvalidTypeError):
            return False
        self.install(page, self.measure(page), None)
        self.fresh.discard(self.slot[page.id])
        return True

    def remove(self, page_id: str) -> None:
        slot = self.slot.pop(page_id)
        self.pages.pop(page_id)
        self.engine.remove_page(slot)
        self.render.clear(slot)
        self.fresh.discard(slot)
        self.wb.validator.unpin(page_id)
        sig = self.sig_of.pop(page_id, None)
        if sig is not None and self.calls.get(sig) == page_id:
            del self.calls[sig]

    def replace(self, page: Page, content: Any, version: int) -> None:
        """Give ``page`` new content: reps, costs, floor and pin follow (a plan when done)."""
        new = Page(
            page.id,
            page.type,
            content,
            scope=page.scope,
            pin=page.pin if page.explicit_floor else None,
            floor=page.floor if page.explicit_floor else None,
            provenance=page.provenance,
            base=page.base,
            recompute=page.recompute,
            version=version,
            explicit_floor=page.explicit_floor,
        )
        bodies, texts, tokens = self.measure(new)
        slot = self.slot[page.id]
        assert new.floor is not None and new.pin is not None
        self.engine.update_page(slot, tokens=tokens, floor=int(new.floor), pin=int(new.pin))
        page.content, page.version, page.reps, page.tokens = content, version, bodies, tokens
        page.floor, page.pin = new.floor, new.pin
        if page.pin == Pin.HARD:
            self.wb.validator.pin(page.id)
        else:
            self.wb.validator.unpin(page.id)
        self.render.set(slot, page.id, page.type, int(self.engine.seq[slot]), texts)
        self.fresh.add(slot)

    def revert(self, pid: str) -> bool:
        """Reload ``pid`` from its committed record; False if it was never committed."""
        page = self.pages[pid]
        read = self.wb.read(pid, page.scope)
        if read.status != "ok" or read.record is None:
            self.engine.mark_clean(self.slot[pid], page.version)
            return False
        self.replace(page, read.record.value, read.record.version)
        self.engine.mark_clean(self.slot[pid], read.record.version)
        return True

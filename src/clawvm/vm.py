"""The harness-facing VM (SPEC §3.1): pages in, prompts out, durable state through the journal.

A harness calls ``session_start``, then per turn ``assemble`` (before the model call),
``post_model`` (after it) and ``tool_execute`` (for each tool call), and ``compaction``,
``reset`` and ``session_end`` at lifecycle boundaries. Every decision goes to the
``DecisionTrace``. Bad input raises a typed error and leaves the VM unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from clawvm._engine import Engine
from clawvm._recall import search
from clawvm._render import RenderTable
from clawvm._schema import Outcome, PageType, Pin, Rep
from clawvm._writeback import Write, Writeback
from clawvm.errors import (
    ClawVMError,
    InvalidInputError,
    InvalidTypeError,
    SessionError,
    StoreError,
    UnknownPageError,
)
from clawvm.faults import FaultReport
from clawvm.journal import SCHEMA_INVALID, SCOPE_DENIED, check_staged
from clawvm.pages import ID_PATTERN, SCOPES, Page, check_content, default_scope, evidence, segment
from clawvm.policy import Policy, get_policy
from clawvm.reps import DEFAULT_REGISTRY, Registry, parse_pointer, path_costs, render
from clawvm.results import Assembly, RecallResult, ToolResult
from clawvm.stores import open_store
from clawvm.stores.base import Decision, Record, Staged, Store
from clawvm.tokens import Tokenizer, default_tokenizer
from clawvm.tools import canonical_json, check_result, exit_of, signature
from clawvm.trace import DecisionTrace

__all__ = ["VM", "Assembly", "RecallResult", "ToolResult", "Write", "signature"]

Demand = str | tuple[str, Rep | int | str]

_EMPTY = np.zeros(0, dtype=np.int64)
_FLAGS = np.zeros(256, dtype=np.int64)
_BOTH = frozenset(SCOPES)
#: Who may read which scope; a subagent sees project pages, not the session's private ones.
READ_POLICY: Mapping[str, frozenset[str]] = {
    "agent": _BOTH,
    "user": _BOTH,
    "harness": _BOTH,
    "system": _BOTH,
    "subagent": frozenset({"project"}),
}
_REP_NAMES = {r.name.lower(): r for r in Rep}


class VM:
    """Harness-managed virtual memory over one per-turn engine.

    ``budget`` is the whole prompt in tokens; pages get what is left after the fixed region
    (system prompt + tool schemas) and ``output_reserve``. ``store`` is a URL for
    ``open_store`` or a ``Store``. ``trace`` receives every decision (none kept if None).
    """

    def __init__(
        self,
        budget: int,
        *,
        policy: str | Policy = "clawvm",
        store: str | Store = "memory://",
        tokenizer: Tokenizer | None = None,
        system_prompt: str = "",
        tool_schemas: Sequence[Mapping[str, Any]] = (),
        output_reserve: int = 0,
        trace: DecisionTrace | None = None,
        generators: Registry | None = None,
        read_policy: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.policy = get_policy(policy) if isinstance(policy, str) else policy
        if not isinstance(self.policy, Policy):
            raise InvalidTypeError(
                "policy", f"expected a policy name or Policy, got {type(policy).__name__}"
            )
        self.tokenizer: Tokenizer = default_tokenizer() if tokenizer is None else tokenizer
        if not callable(getattr(self.tokenizer, "count", None)):
            raise InvalidTypeError("tokenizer", "expected an object with count(text) -> int")
        if not isinstance(system_prompt, str):
            raise InvalidTypeError(
                "system_prompt", f"expected str, got {type(system_prompt).__name__}"
            )
        self.system_prompt = system_prompt
        self.tool_schemas = tuple(tool_schemas)
        self.fixed_tokens = self.tokenizer.count(system_prompt) + sum(
            self.tokenizer.count(canonical_json(s, "tool_schemas")) for s in self.tool_schemas
        )
        self.output_reserve = _nonneg("output_reserve", output_reserve)
        self.budget = _nonneg("budget", budget)
        self._page_budget = self.budget - self.fixed_tokens - self.output_reserve
        if self._page_budget < 0:
            raise InvalidInputError(
                "budget",
                f"{budget} is below the fixed region ({self.fixed_tokens} tokens of system prompt "
                f"and tool schemas) plus the output reserve ({self.output_reserve})",
            )
        if trace is not None and not isinstance(trace, DecisionTrace):
            raise InvalidTypeError(
                "trace", f"expected DecisionTrace or None, got {type(trace).__name__}"
            )
        if generators is not None and not isinstance(generators, Registry):
            raise InvalidTypeError(
                "generators", f"expected a reps.Registry, got {type(generators).__name__}"
            )
        self._owns_store = isinstance(store, str)
        store_obj = open_store(store) if isinstance(store, str) else store
        if not callable(getattr(store_obj, "commit", None)) or not callable(
            getattr(store_obj, "get", None)
        ):
            raise InvalidTypeError(
                "store", f"expected a store URL or Store, got {type(store).__name__}"
            )
        self.trace = trace if trace is not None else DecisionTrace(enabled=False)
        self.generators = DEFAULT_REGISTRY if generators is None else generators
        self.read_policy = {
            k: frozenset(v)
            for k, v in (READ_POLICY if read_policy is None else read_policy).items()
        }
        self.engine = Engine(64, **self.policy.engine_flags())  # type: ignore[arg-type]
        self._wb = Writeback(store_obj)
        self._render = RenderTable(64)
        self._system_msg = {"role": "system", "content": system_prompt} if system_prompt else None
        self._pages: dict[str, Page] = {}
        self._slot: dict[str, int] = {}
        self._fresh: set[int] = set()  # slots created or changed since the last assemble
        self._calls: dict[str, str] = {}  # tool signature -> evidence page id
        self._sig_of: dict[str, str] = {}  # evidence page id -> tool signature
        self._session: str | None = None
        self._after_compaction = False
        self._prev_sel = np.zeros(0, dtype=np.uint8)
        self._ids_made: dict[str, int] = {}
        self.turn = 0
        self.unmet_total = 0

    # ------------------------------------------------------------------ pages
    @property
    def store(self) -> Store:
        return self._wb.store

    @property
    def session(self) -> str | None:
        return self._session

    @property
    def page_budget(self) -> int:
        """Tokens available to pages: budget minus fixed region minus output reserve."""
        return self._page_budget

    def __contains__(self, page_id: object) -> bool:
        return page_id in self._pages

    def __len__(self) -> int:
        return len(self._pages)

    def page(self, page_id: str) -> Page:
        """The resident-table page (any rep); ``UnknownPageError`` if the VM does not hold it."""
        try:
            return self._pages[page_id]
        except (KeyError, TypeError):
            raise UnknownPageError(f"unknown page id {page_id!r}") from None

    def pages(self) -> Iterator[Page]:
        """Every page, in creation order."""
        seq = self.engine.seq
        return iter(sorted(self._pages.values(), key=lambda p: int(seq[self._slot[p.id]])))

    def add_page(self, page: Page, *, principal: str = "harness") -> Page:
        """Add a page (dirty: its creation is staged for the next writeback); returns it.

        If the store already holds the same content for this id, the page starts clean.
        """
        if not isinstance(page, Page):
            raise InvalidTypeError("page", f"expected a Page, got {type(page).__name__}")
        if page.id in self._pages:
            raise InvalidInputError("page.id", f"{page.id!r} already exists; use upsert()")
        _principal(principal)
        self._require_session("add_page")
        page.validate()
        denied = _type_denied(page.type, principal)
        if denied:
            raise InvalidInputError("page", f"the journal would reject {page.id!r}: {denied}")
        measured = self._measure(page)
        current = self._committed(page)
        staged = None
        if current is None or current.value != page.content:
            staged = self._wb.staged(
                page.id,
                "set",
                page.content,
                page.scope,
                principal,
                ptype=_tname(page.type),
                base_version=None if current is None else current.version,
            )
            check_staged(staged, self._wb.validator)
            decision = self._wb.judge(current, staged)
            if not decision.accepted:
                raise InvalidInputError(
                    "page",
                    f"the journal would reject {page.id!r}: {decision.reason}: {decision.detail}",
                )
            assert decision.record is not None
            page.version = decision.record.version
        else:
            page.version = current.version
        self._install(page, measured, staged)
        return page

    def upsert(self, page: Page, *, principal: str = "harness") -> Page:
        """Add ``page``, or replace the content of the page with its id (a validated ``set``)."""
        if not isinstance(page, Page):
            raise InvalidTypeError("page", f"expected a Page, got {type(page).__name__}")
        old = self._pages.get(page.id)
        if old is None:
            return self.add_page(page, principal=principal)
        if old.type != page.type:
            raise InvalidInputError(
                "page.type", f"{page.id!r} is a {_tname(old.type)} page, not {_tname(page.type)}"
            )
        if old.content != page.content:
            w = self._check_write(
                Write(page.id, "set", page.content, base_version=old.version), principal
            )
            d = self._propose(w, principal)
            if not d.accepted:
                raise InvalidInputError(
                    "page", f"the journal would reject {page.id!r}: {d.reason}: {d.detail}"
                )
        return old

    # ------------------------------------------------------------------ lifecycle
    def session_start(self, session_id: str) -> list[str]:
        """Open a session; project pages and this session's committed pages load from the store.

        Returns the ids loaded. A session must end before another starts.
        """
        if not isinstance(session_id, str) or not ID_PATTERN.fullmatch(session_id):
            raise InvalidInputError(
                "session_id", f"{session_id!r} must be one word of [A-Za-z0-9._:/@+#=-]"
            )
        if self._session is not None:
            if self._session == session_id:
                return []
            raise InvalidInputError(
                "session_id", f"session {self._session!r} is active; call session_end() first"
            )
        store = self._wb.store
        keys = [k for k in store.keys() if k[0] == "project" or k[1] == session_id]
        self._session = session_id
        self._wb.session = session_id
        loaded = []
        for scope, sess, key in keys:
            if key in self._pages:
                continue
            read = store.get(key, scope, sess)
            if read.status == "ok" and read.record is not None and self._load(read.record):
                loaded.append(key)
        self.trace.emit("session_start", session=session_id, loaded=loaded, policy=self.policy.name)
        return loaded

    def assemble(self, demands: Iterable[Demand] = ()) -> Assembly:
        """Build this turn's prompt: account demands, select reps under budget, render.

        A demand is a page id (wanted at full) or ``(page_id, rep)``. Unknown ids raise
        ``UnknownPageError`` before anything changes.
        """
        self._require_session("assemble")
        slots, reps = self._parse_demands(demands)
        eng = self.engine
        sl = np.array(slots, dtype=np.int64) if slots else _EMPTY
        rp = np.array(reps, dtype=np.int64) if slots else _EMPTY
        asl, arp = sl, rp
        fresh_hits = 0
        if self._fresh:
            keep = [i for i, s in enumerate(slots) if s not in self._fresh]
            fresh_hits = len(slots) - len(keep)
            if fresh_hits:  # content the model just produced or received is in its context
                asl, arp = sl[keep], rp[keep]
                eng.counters[Outcome.HIT] += fresh_hits
            self._fresh.clear()
        n = len(asl)
        flags = _FLAGS[:n] if n <= len(_FLAGS) else np.zeros(n, dtype=np.int64)
        faults = eng.account(asl, arp, flags, self._after_compaction)
        used = self._select(sl, rp, True)
        self.turn += 1
        self.trace.turn = self.turn
        unmet_slots = eng.unmet()
        unmet = tuple(self._render.ids[unmet_slots].tolist()) if len(unmet_slots) else ()
        self.unmet_total += len(unmet)
        sel = eng.selection
        ids, rsel, oa, an = self._render.gather(sel)
        if self.trace.enabled:
            self._trace_turn(asl, arp, sl, rp, used, unmet, sel)
        return Assembly(
            self.system_prompt,
            self._system_msg,
            self.turn,
            (ids, rsel, oa, an),
            int(used),
            self.fixed_tokens,
            unmet,
            int(faults),
        )

    def post_model(
        self,
        text: str = "",
        writes: Iterable[Write | Mapping[str, Any]] = (),
        *,
        principal: str = "agent",
        record: bool = True,
    ) -> list[Decision]:
        """Record the model's output (as a segment page) and validate the updates it proposed.

        ``writes`` are the model's payload: hostile input. Each gets a ``Decision``: accepted
        updates change their pages now and are staged for writeback (the pages turn dirty);
        malformed, unknown or forbidden ones (a payload naming its own ``principal``, an
        unknown page id, an agent writing rules) change nothing and come back rejected with
        their reason code. Who writes is always ``principal``, the harness's word.
        """
        if not isinstance(text, str):
            raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
        _principal(principal)
        if isinstance(writes, (str, bytes, Mapping)):
            raise InvalidTypeError("writes", "expected an iterable of writes, not one write")
        self._require_session("post_model")
        todo = [self._payload(w, principal) for w in writes]
        if text and record:
            self.add_page(
                segment(
                    self._new_id("seg"), repair_text(text), speaker="assistant", turn=self.turn
                ),
                principal=principal,
            )
        return [w if isinstance(w, Decision) else self._propose(w, principal) for w in todo]

    def tool_execute(
        self,
        name: str,
        args: Any,
        run: Callable[[], Any],
        *,
        need: Rep | int = Rep.STRUCTURED,
        principal: str = "harness",
    ) -> ToolResult:
        """Mediate a tool call: a duplicate of a resident result is served, not re-run.

        ``run()`` produces the result (str or plain JSON). The result becomes an evidence
        page whose provenance is the call. A repeat whose earlier result is resident at
        ``need`` or as a resolvable pointer counts an alert and returns that result.
        """
        sig = signature(name, args)
        check_result(args, "args")
        if not callable(run):
            raise InvalidTypeError("run", f"expected a callable, got {type(run).__name__}")
        need = Rep(_rep("need", need))
        if need == Rep.NONE:
            raise InvalidInputError("need", "a tool result is needed at pointer or above")
        _principal(principal)
        self._require_session("tool_execute")
        pid = self._calls.get(sig)
        if pid is not None and pid in self._pages:
            slot = self._slot[pid]
            sel = int(self.engine.selection[slot])
            resident = (
                slot in self._fresh
                or sel >= need
                or (sel >= Rep.POINTER and self.policy.evidence_pointers_resolve)
            )
            if resident:
                self.engine.counters[Outcome.ALERT] += 1
                self.trace.emit(
                    "alert", page=pid, signature=sig, tool=name, rep=_REP_NAMES_BY_VALUE[sel]
                )
                return ToolResult(pid, self._pages[pid].content.get("result"), sig, True)
        value = run()
        try:  # the page keeps what a store can encode; the caller gets the value as returned
            result = repair_text(value)
        except RecursionError:
            raise InvalidTypeError("result", "nested too deeply to keep as a page") from None
        content_exit = exit_of(result)
        check_result(result)
        if pid is not None and pid in self._pages:  # evicted without a resolvable pointer
            self.engine.counters[Outcome.DUPLICATE_TOOL] += 1
            self.trace.emit("fault", kind="duplicate_tool", page=pid, signature=sig, tool=name)
            new = dict(self._pages[pid].content, result=result)
            if content_exit is not None:
                new["exit"] = content_exit
            d = self._propose(
                Write(pid, "set", new, base_version=self._pages[pid].version), principal
            )
            if not d.accepted:
                raise InvalidInputError(
                    "result", f"the journal would reject it: {d.reason}: {d.detail}"
                )
            self.trace.emit("tool", page=pid, signature=sig, tool=name, rerun=True)
            return ToolResult(pid, value, sig)
        pid = self._new_id("ev")
        tool = repair_text(name.strip())
        page = evidence(
            pid,
            result,
            tool=tool,
            args=repair_text(args),
            exit=content_exit,
            provenance={"call": f"call:{sig}", "signature": sig, "tool": tool},
        )
        self.add_page(page, principal=principal)
        self._wb.validator.add_ref(f"call:{sig}")
        self.trace.emit("tool", page=pid, signature=sig, tool=name, rerun=False)
        return ToolResult(pid, value, sig)

    def compaction(self, *, threshold_jump: bool = False) -> None:
        """Destructive boundary: write back dirty pages, empty the context, keep the floors.

        ``threshold_jump`` says the context leapt past the compaction threshold in one step;
        policies that flush only at a soft threshold (``flush_on_threshold_only``) miss it.
        """
        p = self.policy
        self._boundary(
            "compaction",
            p.writeback_at_compaction and not (p.flush_on_threshold_only and threshold_jump),
        )

    def reset(self) -> None:
        """Destructive boundary (``/reset``, ``/new``): write back, then start a fresh context."""
        self._boundary("reset", self.policy.writeback_at_reset)

    def session_end(self) -> None:
        """Destructive boundary: write back, then drop the session's pages (project pages stay).

        Ending when no session is open does nothing (so it is safe in ``finally``).
        """
        if self._session is None:
            return
        self._boundary("session_end", self.policy.writeback_at_session_end)

    def recall(self, query: str, *, principal: str = "agent", k: int = 5) -> RecallResult:
        """Page in by id, pointer text or keywords; never a bare empty result (SPEC §1).

        Under a policy without ``typed_recall`` a denied or failed recall comes back as an
        empty ``no_match`` with no reason and counts a silent-recall fault.
        """
        if not isinstance(query, str) or not query.strip():
            raise InvalidInputError("query", f"expected a non-blank str, got {query!r}")
        _principal(principal)
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise InvalidInputError("k", f"must be an int >= 1, got {k!r}")
        self._require_session("recall")
        res = self._recall(query.strip(), principal, k)
        if not self.policy.typed_recall and res.status != "ok":
            if res.status in ("denied", "backend_error"):
                self.engine.counters[Outcome.SILENT_RECALL] += 1
                self.trace.emit("fault", kind="silent_recall", query=query, status=res.status)
            res = RecallResult("no_match")
        self.trace.emit(
            "recall",
            query=query,
            principal=principal,
            status=res.status,
            pages=list(res.page_ids),
            reason=res.reason,
        )
        return res

    def resolve(self, pointer: str) -> Page:
        """The page a ``[page:<id> ...]`` handle names, from the VM or else from the store."""
        if not isinstance(pointer, str):
            raise InvalidTypeError("pointer", f"expected str, got {type(pointer).__name__}")
        pid = parse_pointer(pointer)
        if pid is None:
            raise InvalidInputError("pointer", f"{pointer[:80]!r} holds no [page:<id> ...] handle")
        self._require_session("resolve")
        if pid in self._pages:
            return self._pages[pid]
        for scope in SCOPES:
            read = self._wb.read(pid, scope)
            if read.status == "ok" and read.record is not None and self._load(read.record):
                return self._pages[pid]
            if read.status == "backend_error":
                raise StoreError(f"resolving {pid!r}: {read.reason}")
        raise UnknownPageError(f"pointer names unknown page {pid!r}")

    def faults(self) -> FaultReport:
        """Counts so far: hits, page-ins, faults by kind, alerts, unmet (invariant pressure)."""
        return FaultReport.from_counters(self.engine.counters, self.unmet_total)

    def close(self) -> None:
        """Close the store if the VM opened it (pending writes are not flushed: end the session)."""
        if self._owns_store:
            self._wb.store.close()

    def __enter__(self) -> VM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals: pages
    def _require_session(self, call: str) -> None:
        if self._session is None:
            raise SessionError(
                f"{call}: no session is open; call session_start(session_id) first "
                "(there is no implicit shared session)"
            )

    def _new_id(self, prefix: str) -> str:
        n = self._ids_made.get(prefix, 0)
        while f"{prefix}-{n + 1}" in self._pages:
            n += 1
        self._ids_made[prefix] = n + 1
        return f"{prefix}-{n + 1}"

    def _measure(
        self, page: Page
    ) -> tuple[dict[Rep, str], dict[Rep, str], tuple[int, int, int, int]]:
        """Rep bodies, rendered text per rep, and the engine costs (never below a lower rep's)."""
        bodies = dict(page.reps) if page.reps else self.generators.generate(page)
        texts = {rep: render(page, rep, body) for rep, body in bodies.items()}
        return bodies, texts, path_costs(page, texts, self.tokenizer)

    def _committed(self, page: Page) -> Record | None:
        try:
            read = self._wb.read(page.id, page.scope)
        except StoreError:
            return None
        if read.status != "ok" or read.record is None:
            return None
        if read.record.ptype != _tname(page.type):
            raise InvalidInputError(
                "page.type", f"{page.id!r} is committed as {read.record.ptype!r}"
            )
        return read.record

    def _install(
        self,
        page: Page,
        measured: tuple[dict[Rep, str], dict[Rep, str], tuple[int, int, int, int]],
        staged: Staged | None,
    ) -> None:
        eng = self.engine
        bodies, texts, tokens = measured
        page.reps = bodies
        assert page.floor is not None and page.pin is not None and page.recompute is not None
        slot = eng.add_page(
            int(page.type), tokens, int(page.floor), int(page.pin), page.base, page.recompute
        )
        page.tokens = tokens
        self._pages[page.id] = page
        self._slot[page.id] = slot
        self._render.set(slot, page.id, page.type, int(eng.seq[slot]), texts)
        self._wb.validator.add_ref(page.id)
        if page.pin == Pin.HARD:
            self._wb.validator.pin(page.id)
        if page.type == PageType.EVIDENCE:  # its call, for duplicate detection
            sig = page.provenance.get("signature") or signature(
                page.content["tool"], page.content.get("args")
            )
            self._calls.setdefault(sig, page.id)
            self._sig_of[page.id] = sig
        self._fresh.add(slot)
        if staged is not None:
            self._wb.stage(staged)
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

    def _load(self, rec: Record) -> bool:
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
        self._install(page, self._measure(page), None)
        self._fresh.discard(self._slot[page.id])
        return True

    def _remove(self, page_id: str) -> None:
        slot = self._slot.pop(page_id)
        page = self._pages.pop(page_id)
        self.engine.remove_page(slot)
        self._render.clear(slot)
        self._fresh.discard(slot)
        self._wb.validator.unpin(page_id)
        sig = self._sig_of.pop(page_id, None)
        if sig is not None and self._calls.get(sig) == page_id:
            del self._calls[sig]
        del page

    def _replace(self, page: Page, content: Any, version: int) -> None:
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
        bodies, texts, tokens = self._measure(new)
        slot = self._slot[page.id]
        assert new.floor is not None and new.pin is not None
        self.engine.update_page(slot, tokens=tokens, floor=int(new.floor), pin=int(new.pin))
        page.content, page.version, page.reps, page.tokens = content, version, bodies, tokens
        page.floor, page.pin = new.floor, new.pin
        if page.pin == Pin.HARD:
            self._wb.validator.pin(page.id)
        else:
            self._wb.validator.unpin(page.id)
        self._render.set(slot, page.id, page.type, int(self.engine.seq[slot]), texts)
        self._fresh.add(slot)

    # ------------------------------------------------------------------ internals: writes
    def _check_write(self, w: Write | Mapping[str, Any], principal: str) -> Write:
        """The write as a ``Write``, checked for shape; raises a typed error naming the field."""
        if isinstance(w, Mapping):
            if "principal" in w:
                raise InvalidInputError(
                    "writes.principal",
                    "a write may not name its principal: who writes is the harness's call",
                )
            unknown = set(w) - _WRITE_FIELDS
            if unknown:
                raise InvalidInputError("writes", f"unknown fields {sorted(map(str, unknown))}")
            try:
                w = Write(**w)
            except TypeError as e:
                raise InvalidInputError("writes", str(e)) from None
        if not isinstance(w, Write):
            raise InvalidTypeError("writes", f"expected Write or mapping, got {type(w).__name__}")
        page = self._pages.get(w.key) if isinstance(w.key, str) else None
        if page is None:
            if w.ptype is None:
                raise UnknownPageError(
                    f"writes: unknown page id {w.key!r} (give ptype to create one)"
                )
            if not isinstance(w.key, str) or not ID_PATTERN.fullmatch(w.key):
                raise InvalidInputError("writes.key", f"{w.key!r} is not a valid page id")
            if not isinstance(w.ptype, str) or w.ptype.upper() not in PageType.__members__:
                raise InvalidInputError("writes.ptype", f"{w.ptype!r} is not a page type")
        elif w.ptype is not None and w.ptype != _tname(page.type):
            raise InvalidInputError(
                "writes.ptype", f"{w.key!r} is a {_tname(page.type)} page, not {w.ptype!r}"
            )
        elif w.scope is not None and w.scope != page.scope:
            raise InvalidInputError(
                "writes.scope", f"{w.key!r} is {page.scope}-scoped, not {w.scope!r}"
            )
        check_staged(self._staged_for(w, page, principal), self._wb.validator)
        return w

    def _payload(self, w: Any, principal: str) -> Write | Decision:
        """A model-proposed write, or its rejection: payload problems never raise."""
        try:
            return self._check_write(w, principal)
        except ClawVMError as e:
            fields = dict(w) if isinstance(w, Mapping) else {}
            if isinstance(w, Write):
                fields = {"key": w.key, "op": w.op, "value": w.value}
            key = fields.get("key")
            staged = Staged(
                key=key if isinstance(key, str) else repr(key)[:80],
                op=str(fields.get("op"))[:16],  # type: ignore[arg-type]
                value=fields.get("value"),
                scope=fields.get("scope") if fields.get("scope") in SCOPES else "session",
                principal=principal,
                session=self._wb.session,
            )
            d = Decision(staged, None, SCHEMA_INVALID, str(e))
            self._trace_reject(d)
            return d

    def _staged_for(self, w: Write, page: Page | None, principal: str) -> Staged:
        ptype = _tname(page.type) if page is not None else str(w.ptype).lower()
        scope = w.scope or (
            page.scope if page is not None else default_scope(PageType[ptype.upper()])
        )
        return self._wb.staged(
            w.key,
            w.op,
            w.value,
            scope,
            principal,
            ptype=ptype,
            evidence_ref=w.evidence_ref,
            base_version=w.base_version,
        )

    def _propose(self, w: Write, principal: str) -> Decision:
        """Dry-run ``w`` against the page as held; if accepted, apply, stage, mark dirty."""
        page = self._pages.get(w.key)
        staged = self._staged_for(w, page, principal)
        denied = _type_denied(PageType[str(staged.ptype).upper()], principal)
        current = (
            None
            if page is None
            else Record(
                page.id,
                page.scope,  # type: ignore[arg-type]
                self._wb.session if page.scope == "session" else "",
                page.content,
                page.version,
                _tname(page.type),
            )
        )
        d = (
            Decision(staged, None, SCOPE_DENIED, denied)
            if denied
            else self._wb.judge(current, staged)
        )
        if d.accepted:
            assert d.record is not None
            try:
                check_content(PageType[str(staged.ptype).upper()], d.record.value)
                if page is None:
                    Page(
                        w.key,
                        PageType[str(staged.ptype).upper()],
                        d.record.value,
                        scope=staged.scope,
                    )
            except (InvalidInputError, InvalidTypeError) as e:
                d = Decision(staged, None, "SCHEMA_INVALID", str(e))
        if not d.accepted:
            self._trace_reject(d)
            return d
        assert d.record is not None
        self.trace.emit(
            "validate", page=w.key, op=w.op, principal=principal, version=d.record.version
        )
        if page is None:
            new = Page(
                w.key,
                PageType[str(staged.ptype).upper()],
                d.record.value,
                scope=staged.scope,
                version=d.record.version,
            )
            self._install(new, self._measure(new), staged)
        else:
            self._replace(page, d.record.value, d.record.version)
            self._wb.stage(staged)
            self.engine.mark_dirty(self._slot[page.id])
            self.trace.emit(
                "stage",
                page=page.id,
                op=staged.op,
                principal=staged.principal,
                version=page.version,
            )
        return d

    def _trace_reject(self, d: Decision) -> None:
        s = d.staged
        self.trace.emit(
            "reject", page=s.key, op=s.op, principal=s.principal, reason=d.reason, detail=d.detail
        )

    # ------------------------------------------------------------------ internals: boundaries
    def _boundary(self, kind: str, writeback: bool) -> None:
        self._require_session(kind)
        eng = self.engine
        dirty = [self._render.ids[s] for s in eng.dirty_slots().tolist()]
        committed: list[str] = []
        rejected: list[list[str]] = []
        if writeback:
            result = self._wb.flush()  # a store failure raises here, before anything is destroyed
            committed, rejected = self._settle(result.committed, result.rejected)
        else:
            self._wb.drop(set(dirty))
            for pid in dirty:
                eng.counters[Outcome.FLUSH_MISS] += 1
                self.trace.emit("fault", kind="flush_miss", page=pid, boundary=kind)
                self._destroy(pid)
        eng.evict_all()
        self._fresh.clear()
        if kind == "session_end":
            for pid in [p.id for p in self._pages.values() if p.scope == "session"]:
                self._remove(pid)
            self.trace.emit(
                "boundary",
                kind=kind,
                committed=committed,
                rejected=rejected,
                flush_miss=[] if writeback else dirty,
            )
            self.trace.emit("session_end", session=self._session, faults=self.faults().as_dict())
            self._session = None
            self._wb.session = ""
            self._after_compaction = False
            return
        self._after_compaction = self._after_compaction or kind == "compaction"
        # The context after the boundary: what the policy keeps (hard pins at floor, pointers).
        self._select(_EMPTY, _EMPTY, False)
        self.trace.emit(
            "boundary",
            kind=kind,
            committed=committed,
            rejected=rejected,
            flush_miss=[] if writeback else dirty,
            resident=self._resident_ids(),
        )

    def _settle(self, ok: list[Decision], bad: list[Decision]) -> tuple[list[str], list[list[str]]]:
        """After a flush: committed pages turn clean; rejected ones revert to what is committed."""
        versions: dict[str, int] = {}
        for d in ok:
            assert d.record is not None
            versions[d.staged.key] = d.record.version
            self.trace.emit("commit", page=d.staged.key, op=d.staged.op, version=d.record.version)
        for d in bad:
            self.trace.emit(
                "reject", page=d.staged.key, op=d.staged.op, reason=d.reason, detail=d.detail
            )
        for pid in sorted({d.staged.key for d in bad}):
            if pid in self._pages:
                self._revert(pid)
                versions.pop(pid, None)
        for pid, version in versions.items():
            if pid in self._pages:
                self._pages[pid].version = version
                self.engine.mark_clean(self._slot[pid], version)
        return sorted(versions), [[d.staged.key, str(d.reason)] for d in bad]

    def _revert(self, pid: str) -> bool:
        """Reload ``pid`` from its committed record; False if it was never committed."""
        page = self._pages[pid]
        read = self._wb.read(pid, page.scope)
        if read.status != "ok" or read.record is None:
            self.engine.mark_clean(self._slot[pid], page.version)
            return False
        self._replace(page, read.record.value, read.record.version)
        self.engine.mark_clean(self._slot[pid], read.record.version)
        return True

    def _destroy(self, pid: str) -> None:
        """A dirty page dies unflushed: back to its committed value, or gone if it had none."""
        if not self._revert(pid):
            self._remove(pid)

    # ------------------------------------------------------------------ internals: turns
    def _select(self, sl: np.ndarray, rp: np.ndarray, update_recency: bool) -> int:
        return int(self.engine.select(self._page_budget, sl, rp, update_recency))

    def _parse_demands(self, demands: Iterable[Demand]) -> tuple[list[int], list[int]]:
        if isinstance(demands, (str, bytes)):
            raise InvalidTypeError(
                "demands", "expected an iterable of page ids or (id, rep) pairs, got a str"
            )
        slots: list[int] = []
        reps: list[int] = []
        slot_of = self._slot
        fast = _DEMAND_REPS
        for d in demands:
            rep: int | None
            if type(d) is str:
                pid, rep = d, 4
            elif type(d) is tuple and len(d) == 2:
                pid, want = d
                rep = fast.get(want) if type(want) is not bool else None
                if rep is None:
                    rep = _rep("demands", want)
                    if rep == Rep.NONE:
                        raise InvalidInputError(
                            "demands", f"{pid!r}: a demand needs a rep from pointer to full"
                        )
            else:
                raise InvalidTypeError("demands", f"expected a page id or (id, rep), got {d!r}")
            slot = slot_of.get(pid) if isinstance(pid, str) else None
            if slot is None:
                raise UnknownPageError(f"demands: unknown page id {pid!r}")
            slots.append(slot)
            reps.append(rep)
        return slots, reps

    def _resident_ids(self) -> list[list[Any]]:
        ids, reps, _, _ = self._render.gather(self.engine.selection)
        return [
            [i, _REP_NAMES_BY_VALUE[r]] for i, r in zip(ids.tolist(), reps.tolist(), strict=True)
        ]

    def _trace_turn(
        self,
        asl: np.ndarray,
        arp: np.ndarray,
        sl: np.ndarray,
        rp: np.ndarray,
        used: int,
        unmet: tuple[str, ...],
        sel: np.ndarray,
    ) -> None:
        ids = self._render.ids
        eng = self.engine
        tr = self.trace
        for i in np.flatnonzero(eng.outcomes).tolist():
            kind = Outcome(int(eng.outcomes[i]))
            pid = ids[int(asl[i])]
            if kind == Outcome.PAGE_IN:
                tr.emit("page_in", page=pid, rep=_REP_NAMES_BY_VALUE[int(arp[i])])
            else:
                tr.emit(
                    "fault", kind=kind.name.lower(), page=pid, rep=_REP_NAMES_BY_VALUE[int(arp[i])]
                )
        n = eng.n_slots
        cur = sel[:n]
        prev = np.zeros(n, dtype=np.uint8)
        m = min(n, len(self._prev_sel))
        prev[:m] = self._prev_sel[:m]
        changed = np.flatnonzero(cur != prev).tolist()
        self._prev_sel = cur.copy()
        tr.emit(
            "select",
            demands=[
                [ids[s], _REP_NAMES_BY_VALUE[r]]
                for s, r in zip(sl.tolist(), rp.tolist(), strict=True)
            ],
            tokens=int(used),
            budget=self._page_budget,
            unmet=list(unmet),
            changed=sorted(
                [ids[s], _REP_NAMES_BY_VALUE[int(cur[s])]] for s in changed if ids[s] is not None
            ),
        )

    # ------------------------------------------------------------------ internals: recall
    def _seq_of(self, page_id: str) -> int:
        return int(self.engine.seq[self._slot[page_id]])

    def _recall(self, query: str, principal: str, k: int) -> RecallResult:
        readable = self.read_policy.get(
            principal, self.read_policy.get(principal.split(":", 1)[0], frozenset())
        )
        if not readable:
            return RecallResult("denied", reason=f"principal {principal!r} may read no scope")
        pid = parse_pointer(query) or (query if ID_PATTERN.fullmatch(query) else None)
        if pid is not None:
            page = self._pages.get(pid)
            if page is None:
                for scope in SCOPES:
                    try:
                        read = self._wb.read(pid, scope)
                    except StoreError as e:
                        return RecallResult("backend_error", reason=f"store: {e}")
                    if read.status == "backend_error":
                        return RecallResult("backend_error", reason=f"store: {read.reason}")
                    if read.status == "ok" and read.record is not None:
                        if read.record.scope not in readable:  # deny before paging it in
                            why = (
                                f"{pid!r} is {scope}-scoped; {principal!r} reads {sorted(readable)}"
                            )
                            return RecallResult("denied", reason=why)
                        if self._load(read.record):
                            page = self._pages[pid]
                            break
            if page is not None:
                if page.scope not in readable:
                    why = f"{pid!r} is {page.scope}-scoped; {principal!r} reads {sorted(readable)}"
                    return RecallResult("denied", reason=why)
                return RecallResult("ok", (pid,), (page.reps[Rep.FULL],), f"page {pid!r}")
        return search(self._pages.values(), query, readable, principal, k, self._seq_of)


_REP_NAMES_BY_VALUE = {int(r): r.name.lower() for r in Rep}
#: Fast path of demand parsing: Rep members, ints and lowercase names of pointer..full.
_DEMAND_REPS: dict[Any, int] = {
    **{int(r): int(r) for r in Rep if r},
    **{r.name.lower(): int(r) for r in Rep if r},
}
_WRITE_FIELDS = frozenset(f.name for f in dataclasses.fields(Write))


def _tname(ptype: PageType) -> str:
    return ptype.name.lower()


def _nonneg(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, f"expected an int, got {type(value).__name__}")
    if value < 0:
        raise InvalidInputError(field, f"must be >= 0, got {value}")
    return int(value)


#: Page types whose text the model reads as rules: only the harness and the user write them.
_RULE_TYPES = frozenset({PageType.BOOTSTRAP, PageType.CONSTRAINT})
_AGENT_KINDS = frozenset({"agent", "subagent"})


def _type_denied(ptype: PageType, principal: str) -> str:
    """Why ``principal`` may not write pages of ``ptype`` ("" when it may).

    A model (or subagent) that could write bootstrap or constraint pages could pin its own
    instructions into every later prompt, so those stay the harness's and the user's.
    """
    if ptype in _RULE_TYPES and principal.split(":", 1)[0] in _AGENT_KINDS:
        return f"principal {principal!r} may not write {_tname(ptype)} pages"
    return ""


def repair_text(value: Any) -> Any:
    """``value`` with lone surrogates in its strings escaped as ``\\udcXX`` text.

    ``os.fsdecode`` turns undecodable file-name bytes into lone surrogates, which no store
    can encode; a tool result keeps its information as visible escapes instead.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, list):
        return [repair_text(v) for v in value]
    if isinstance(value, dict):
        return {repair_text(k): repair_text(v) for k, v in value.items()}
    return value


def _principal(principal: Any) -> None:
    if not isinstance(principal, str) or not principal:
        raise InvalidInputError("principal", f"expected a non-empty str, got {principal!r}")


def _rep(field: str, rep: Any) -> int:
    if isinstance(rep, str):
        r = _REP_NAMES.get(rep.lower())
        if r is None:
            raise InvalidInputError(field, f"{rep!r} is not a rep")
        return int(r)
    if isinstance(rep, bool) or not isinstance(rep, (int, np.integer)) or not 0 <= rep <= 4:
        raise InvalidInputError(field, f"{rep!r} is not a rep")
    return int(rep)

"""Page writes through the journal (docs/journal.md): new pages, upserts, model-proposed updates.

Every change to a page's content is judged by the journal's validator first, against the
page as the VM holds it; only accepted changes touch the page table, and they are staged
for the next writeback. A model's payload never raises: its problems come back as rejected
``Decision`` objects with a reason code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from clawvm._checks import check_principal, tname, type_denied
from clawvm._schema import PageType
from clawvm._stream import Role
from clawvm._table import PageTable
from clawvm._writeback import Write
from clawvm.errors import ClawVMError, InvalidInputError, InvalidTypeError, UnknownPageError
from clawvm.journal import (
    DEFAULT_SCHEMAS,
    MAX_DEPTH,
    SCHEMA_INVALID,
    SCOPE_DENIED,
    Validator,
    check_staged,
)
from clawvm.pages import ID_PATTERN, Page, check_content, default_scope, size_bound
from clawvm.stores._repr import safe_repr
from clawvm.stores._util import name_problem, safe_text
from clawvm.stores.base import Decision, Record, Staged

_WRITE_FIELDS = frozenset(f.name for f in dataclasses.fields(Write))
#: Writes one model reply may propose (each is judged at once; a payload is bounded).
MAX_WRITES_PER_REPLY = 1024


class Writes:
    """The write paths of one VM, over its page table."""

    def __init__(self, table: PageTable) -> None:
        self.t = table

    def add_page(self, page: Page, principal: str, role: Role | None = None) -> Page:
        """Add a new page, judged as the journal would judge its creation (or clean if stored).

        ``role`` places it in the conversation (default: by its type and speaker).
        """
        t = self.t
        if not isinstance(page, Page):
            raise InvalidTypeError("page", f"expected a Page, got {type(page).__name__}")
        if page.id in t.pages:
            raise InvalidInputError("page.id", f"{page.id!r} already exists; use upsert()")
        check_principal(principal)
        t.require_session("add_page")
        page.validate()
        denied = type_denied(page.type, principal)
        if denied:
            raise InvalidInputError("page", f"the journal would reject {page.id!r}: {denied}")
        measured = t.measure(page, t.role(page) if role is None else role)
        current = t.committed(page)
        staged = None
        if current is None or current.value != page.content:
            v = t.wb.validator
            staged = t.wb.staged(
                page.id,
                "set",
                page.content,
                page.scope,
                principal,
                ptype=tname(page.type),
                base_version=None if current is None else current.version,
            )
            check_staged(staged, v)
            if current is None and _creation_passes(v, page, staged):
                page.version = 1
            else:
                decision = t.wb.judge(current, staged)
                if not decision.accepted:
                    raise InvalidInputError(
                        "page",
                        f"the journal would reject {page.id!r}: {decision.reason}: "
                        f"{decision.detail}",
                    )
                assert decision.record is not None
                page.version = decision.record.version
        else:
            page.version = current.version
        t.install(page, measured, staged)
        return page

    def upsert(self, page: Page, principal: str) -> Page:
        """Add ``page``, or replace the content of the page with its id (a validated ``set``)."""
        if not isinstance(page, Page):
            raise InvalidTypeError("page", f"expected a Page, got {type(page).__name__}")
        old = self.t.pages.get(page.id)
        if old is None:
            return self.add_page(page, principal)
        if old.type != page.type:
            raise InvalidInputError(
                "page.type", f"{page.id!r} is a {tname(old.type)} page, not {tname(page.type)}"
            )
        if old.content != page.content:
            w = self.check(Write(page.id, "set", page.content, base_version=old.version), principal)
            d = self.propose(w, principal)
            if not d.accepted:
                raise InvalidInputError(
                    "page", f"the journal would reject {page.id!r}: {d.reason}: {d.detail}"
                )
        return old

    def check(self, w: Write | Mapping[str, Any], principal: str) -> Write:
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
        page = self.t.pages.get(w.key) if isinstance(w.key, str) else None
        if page is None:
            if w.ptype is None:
                raise UnknownPageError(
                    f"writes: unknown page id {safe_repr(w.key, 80)} (give ptype to create one)"
                )
            if not isinstance(w.key, str) or not ID_PATTERN.fullmatch(w.key):
                raise InvalidInputError(
                    "writes.key", f"{safe_repr(w.key, 80)} is not a valid page id"
                )
            if not isinstance(w.ptype, str) or w.ptype.upper() not in PageType.__members__:
                raise InvalidInputError(
                    "writes.ptype", f"{safe_repr(w.ptype, 80)} is not a page type"
                )
        elif w.ptype is not None and w.ptype != tname(page.type):
            raise InvalidInputError(
                "writes.ptype",
                f"{safe_repr(w.key, 80)} is a {tname(page.type)} page, "
                f"not {safe_repr(w.ptype, 80)}",
            )
        elif w.scope is not None and w.scope != page.scope:
            raise InvalidInputError(
                "writes.scope",
                f"{safe_repr(w.key, 80)} is {page.scope}-scoped, not {safe_repr(w.scope, 80)}",
            )
        check_staged(self._staged_for(w, page, principal), self.t.wb.validator)
        return w

    def payload(self, w: Any, principal: str) -> Write | Decision:
        """A model-proposed write, or its rejection: payload problems never raise."""
        try:
            return self.check(w, principal)
        except ClawVMError as e:
            fields = dict(w) if isinstance(w, Mapping) else {}
            if isinstance(w, Write):
                fields = {"key": w.key, "op": w.op, "value": w.value}
            key = fields.get("key")
            scope = fields.get("scope")
            staged = Staged(
                key=key[:256] if isinstance(key, str) else safe_repr(key, 80),  # bounded
                op=safe_text(fields.get("op"), 16),  # type: ignore[arg-type]
                value=fields.get("value"),
                scope=scope if scope == "project" else "session",
                principal=principal,
                session=self.t.wb.session,
            )
            d = Decision(staged, None, SCHEMA_INVALID, str(e))
            self.trace_reject(d)
            return d

    def _staged_for(self, w: Write, page: Page | None, principal: str) -> Staged:
        ptype = tname(page.type) if page is not None else str(w.ptype).lower()
        scope = w.scope or (
            page.scope if page is not None else default_scope(PageType[ptype.upper()])
        )
        return self.t.wb.staged(
            w.key,
            w.op,
            w.value,
            scope,
            principal,
            ptype=ptype,
            evidence_ref=w.evidence_ref,
            base_version=w.base_version,
        )

    def propose(self, w: Write, principal: str, role: Role | None = None) -> Decision:
        """Dry-run ``w`` against the page as held; if accepted, apply, stage, mark dirty.

        ``role`` moves the page in the conversation as it changes (a re-run tool call).
        """
        t = self.t
        page = t.pages.get(w.key)
        staged = self._staged_for(w, page, principal)
        ptype = PageType[str(staged.ptype).upper()]
        denied = type_denied(ptype, principal)
        current = (
            None
            if page is None
            else Record(
                page.id,
                page.scope,  # type: ignore[arg-type]
                t.wb.session if page.scope == "session" else "",
                page.content,
                page.version,
                tname(page.type),
            )
        )
        d = Decision(staged, None, SCOPE_DENIED, denied) if denied else t.wb.judge(current, staged)
        if d.accepted:
            assert d.record is not None
            try:
                check_content(ptype, d.record.value)
                if page is None:
                    Page(w.key, ptype, d.record.value, scope=staged.scope)
            except (InvalidInputError, InvalidTypeError) as e:
                d = Decision(staged, None, SCHEMA_INVALID, str(e))
        if not d.accepted:
            self.trace_reject(d)
            return d
        assert d.record is not None
        t.trace.emit("validate", page=w.key, op=w.op, principal=principal, version=d.record.version)
        if page is None:
            new = Page(w.key, ptype, d.record.value, scope=staged.scope, version=d.record.version)
            t.install(new, t.measure(new, t.role(new) if role is None else role), staged)
        else:
            t.replace(page, d.record.value, d.record.version, role)
            t.wb.stage(staged)
            t.engine.mark_dirty(t.slot[page.id])
            t.trace.emit(
                "stage",
                page=page.id,
                op=staged.op,
                principal=staged.principal,
                version=page.version,
            )
        return d

    def trace_reject(self, d: Decision) -> None:
        s = d.staged
        self.t.trace.emit(
            "reject", page=s.key, op=s.op, principal=s.principal, reason=d.reason, detail=d.detail
        )


def _creation_passes(v: Validator, page: Page, staged: Staged) -> bool:
    """Would the journal accept ``staged``, the creation of a page that is not committed?

    True only where that follows from what is already checked, without serialising the
    content again (the judge's costliest step): ``page.validate()`` proved the content plain
    JSON of the shape its type needs, which under the default schemas is the schema check
    (bootstrap text aside); then bounds on its size and depth, no lone surrogates, no
    provenance claimed, a principal every store can hold and a scope it may write, and a key
    that is not pinned. Anything else goes to the full judge,
    and the store judges every staged update again at writeback.
    """
    schema = v.schemas.get(staged.ptype)
    return (
        schema is not None
        and schema is DEFAULT_SCHEMAS.get(staged.ptype)
        and staged.op == "set"
        and staged.base_version is None
        and staged.evidence_ref is None
        and staged.ptype not in v.require_provenance
        and staged.scope in v.allowed_scopes(staged.principal)
        and not v.is_pinned(staged.key)
        and name_problem(staged.principal) is None
        and (page.type != PageType.BOOTSTRAP or type(page.content) in (str, dict, list))
        and size_bound(page.content, max_depth=MAX_DEPTH) <= v.max_value_bytes
    )

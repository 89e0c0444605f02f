"""Recall and pointer resolution (docs/design.md §4): scope-checked, never a bare empty result.

A page id or pointer pages the page in (from the VM, or else from the store); other text is
a keyword search. A denial or a store failure is a typed result with a reason; a policy
without typed recall turns it into a silent empty result, counted as a fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from clawvm._checks import check_principal
from clawvm._schema import Outcome
from clawvm._table import PageTable
from clawvm.errors import InvalidInputError, InvalidTypeError, StoreError, UnknownPageError
from clawvm.pages import ID_PATTERN, SCOPES, Page
from clawvm.reps import parse_pointer
from clawvm.results import RecallResult
from clawvm.stores._repr import safe_repr

_WORD = re.compile(r"\w+")


def search(
    pages: Iterable[Page],
    query: str,
    readable: Collection[str],
    principal: str,
    k: int,
    seq_of: Callable[[str], int],
    full_text: Callable[[Page], str],
) -> RecallResult:
    """Pages sharing the most words with ``query`` (ties: creation order), best ``k``.

    Matches outside the scopes ``principal`` may read make the result ``denied`` when
    nothing readable matched, so a denial never looks like "nothing found".
    """
    words = set(_WORD.findall(query.lower()))
    hits: list[tuple[int, int, Page]] = []
    denied = 0
    for page in pages:
        score = len(words & set(_WORD.findall(full_text(page).lower())))
        if not score:
            continue
        if page.scope not in readable:
            denied += 1
            continue
        hits.append((-score, seq_of(page.id), page))
    if not hits:
        if denied:
            reason = f"{denied} matching pages are outside what {principal!r} may read"
            return RecallResult("denied", reason=reason)
        return RecallResult("no_match", reason=f"no page matches {query[:80]!r}")
    hits.sort(key=lambda h: (h[0], h[1]))
    top = [h[2] for h in hits[:k]]
    return RecallResult(
        "ok",
        tuple(p.id for p in top),
        tuple(full_text(p) for p in top),
        f"{len(hits)} pages match; best {len(top)}",
    )


class Recaller:
    """``recall`` and ``resolve`` of one VM."""

    def __init__(self, table: PageTable) -> None:
        self.t = table

    def recall(self, query: str, principal: str, k: int) -> RecallResult:
        t = self.t
        if not isinstance(query, str) or not query.strip():
            raise InvalidInputError(
                "query", f"expected a non-blank str, got {safe_repr(query, 80)}"
            )
        check_principal(principal)
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise InvalidInputError("k", f"must be an int >= 1, got {safe_repr(k, 80)}")
        t.require_session("recall")
        return self.deliver(query, principal, self._recall(query.strip(), principal, k))

    def deliver(self, query: str, principal: str, res: RecallResult) -> RecallResult:
        """What the caller gets for ``res``, under the policy: a policy without typed recall
        turns a denial or failure into a bare empty result (a silent-recall fault).

        Also the way in for an answer from a backend other than the VM's own search (a
        replay gives the answer its trace recorded)."""
        t = self.t
        if not t.policy.typed_recall and res.status != "ok":
            if res.status in ("denied", "backend_error"):
                t.engine.counters[Outcome.SILENT_RECALL] += 1
                t.trace.emit("fault", kind="silent_recall", query=query, status=res.status)
            res = RecallResult("no_match")
        t.trace.emit(
            "recall",
            query=query,
            principal=principal,
            status=res.status,
            pages=list(res.page_ids),
            reason=res.reason,
        )
        return res

    def readable(self, principal: str) -> frozenset[str]:
        """The scopes ``principal`` may read (by its full name, else its kind before ``:``)."""
        rp = self.t.read_policy
        return rp.get(principal, rp.get(principal.split(":", 1)[0], frozenset()))

    def _recall(self, query: str, principal: str, k: int) -> RecallResult:
        readable = self.readable(principal)
        if not readable:
            return RecallResult("denied", reason=f"principal {principal!r} may read no scope")
        pid = parse_pointer(query) or (query if ID_PATTERN.fullmatch(query) else None)
        if pid is not None:
            found = self.fetch(pid, principal)
            if found.status != "no_match":
                return found
        t = self.t
        return search(t.pages.values(), query, readable, principal, k, t.seq_of, t.full_text)

    def fetch(self, pid: str, principal: str) -> RecallResult:
        """Page ``pid`` by id: from the VM, or loaded from the store if ``principal`` may read it.

        ``no_match`` when neither holds it; ``denied`` before anything is loaded.
        """
        t = self.t
        readable = self.readable(principal)
        page = t.pages.get(pid)
        if page is None:
            for scope in SCOPES:
                try:
                    read = t.wb.read(pid, scope)
                except StoreError as e:
                    return RecallResult("backend_error", reason=f"store: {e}")
                if read.status == "backend_error":
                    return RecallResult("backend_error", reason=f"store: {read.reason}")
                if read.status == "ok" and read.record is not None:
                    if read.record.scope not in readable:  # deny before paging it in
                        why = f"{pid!r} is {scope}-scoped; {principal!r} reads {sorted(readable)}"
                        return RecallResult("denied", reason=why)
                    if t.load(read.record):
                        page = t.pages[pid]
                        break
        if page is None:
            return RecallResult("no_match", reason=f"no page {pid!r}")
        if page.scope not in readable:
            why = f"{pid!r} is {page.scope}-scoped; {principal!r} reads {sorted(readable)}"
            return RecallResult("denied", reason=why)
        return RecallResult("ok", (pid,), (t.full_text(page),), f"page {pid!r}")

    def resolve(self, pointer: str) -> Page:
        t = self.t
        if not isinstance(pointer, str):
            raise InvalidTypeError("pointer", f"expected str, got {type(pointer).__name__}")
        pid = parse_pointer(pointer)
        if pid is None:
            raise InvalidInputError("pointer", f"{pointer[:80]!r} holds no [page:<id> ...] handle")
        t.require_session("resolve")
        if pid in t.pages:
            return t.pages[pid]
        for scope in SCOPES:
            read = t.wb.read(pid, scope)
            if read.status == "ok" and read.record is not None and t.load(read.record):
                return t.pages[pid]
            if read.status == "backend_error":
                raise StoreError(f"resolving {pid!r}: {read.reason}")
        raise UnknownPageError(f"pointer names unknown page {pid!r}")

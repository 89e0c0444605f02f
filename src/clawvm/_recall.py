"""Keyword recall over the VM's pages: ranked, scope-checked, never a bare empty result."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from clawvm._schema import Rep
from clawvm.pages import Page
from clawvm.results import RecallResult

_WORD = re.compile(r"\w+")


def search(
    pages: Iterable[Page],
    query: str,
    readable: Collection[str],
    principal: str,
    k: int,
    seq_of: Callable[[str], int],
) -> RecallResult:
    """Pages sharing the most words with ``query`` (ties: creation order), best ``k``.

    Matches outside the scopes ``principal`` may read make the result ``denied`` when
    nothing readable matched, so a denial never looks like "nothing found".
    """
    words = set(_WORD.findall(query.lower()))
    hits: list[tuple[int, int, Page]] = []
    denied = 0
    for page in pages:
        score = len(words & set(_WORD.findall(page.reps[Rep.FULL].lower())))
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
        tuple(p.reps[Rep.FULL] for p in top),
        f"{len(hits)} pages match; best {len(top)}",
    )

"""What users would pick instead of clawvm: two context strategies as VM selectors.

Both see the pages as messages (each page full or gone, or for a cleared tool result its
placeholder) and neither knows what the model will need. The VM checks what they choose
(the page budget, each rep on its page's path) and accounts demands against it exactly as
against its own engine: same traces, same faults.

* ``trim_last`` is LangChain's ``trim_messages(messages, max_tokens=budget,
  strategy="last", include_system=True, start_on="human", allow_partial=False)``: keep the
  system message, then the longest run of latest messages that fits, starting at a human
  message so that no tool result is kept without the call it answers. The stable region
  (rules, constraints, the plan, preferences) plays the system message; the page budget
  is ``max_tokens``. LangChain sends a system message larger than ``max_tokens`` anyway
  (the API then refuses the request); here the part that does not fit is left out and
  reported unmet (invariant pressure).
* ``clear_tool_uses`` is Anthropic's server-side context editing, ``clear_tool_uses_20250919``:
  the client sends the whole history; when it exceeds ``trigger`` tokens, the oldest tool
  results are replaced by a placeholder, all but the ``keep`` most recent and those of
  ``exclude_tools``, provided that frees at least ``clear_at_least`` tokens (else nothing
  is cleared). A cleared result is its pointer-sized placeholder, which does not resolve
  (the policy's ``evidence_pointers_resolve`` is off). The trigger defaults to the page
  budget: clear only when the history would not fit, which keeps the most. When even the
  cleared history does not fit the window, the request would fail; a harness compacts or
  trims there, and so does this policy, as ``trim_last`` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clawvm._schema import Rep
from clawvm._stream import K_TOOL, K_USER
from clawvm._table import SelectionView, Selector

__all__ = ["clear_tool_uses", "trim_last"]


def _fit(view: SelectionView, sel: np.ndarray, cost: np.ndarray) -> list[int]:
    """Keep the stable region and the longest suffix of the stream that fits, starting at a
    human message; sets ``sel`` to none for the rest. Returns stable slots that did not fit."""
    left = view.budget
    unmet: list[int] = []
    stream: list[int] = []
    for s, kind in zip(view.order.tolist(), view.kinds.tolist(), strict=True):
        if kind >= K_USER:
            stream.append(s)
        elif cost[s] <= left:
            left -= int(cost[s])
        else:
            unmet.append(s)
            sel[s] = Rep.NONE
    start = len(stream)
    while start > 0 and cost[stream[start - 1]] <= left:  # latest first, while it fits
        start -= 1
        left -= int(cost[stream[start]])
    kinds = dict(zip(view.order.tolist(), view.kinds.tolist(), strict=True))
    while start < len(stream) and kinds[stream[start]] != K_USER:  # start on a human message
        start += 1
    for s in stream[:start]:
        sel[s] = Rep.NONE
    return unmet


def _full(view: SelectionView) -> np.ndarray:
    sel = np.zeros(len(view.ptype), dtype=np.uint8)
    sel[view.order] = Rep.FULL
    return sel


def _costs(view: SelectionView, sel: np.ndarray) -> np.ndarray:
    n = len(view.ptype)
    picked = view.tokens[np.arange(n), np.maximum(sel.astype(np.int64), 1) - 1]
    return np.where(sel > 0, picked, 0).astype(np.int64)


def trim_last(view: SelectionView) -> tuple[np.ndarray, np.ndarray]:
    """LangChain's ``trim_messages(strategy="last")`` over the pages as messages."""
    sel = _full(view)
    unmet = _fit(view, sel, _costs(view, sel))
    return sel, np.asarray(unmet, dtype=np.int32)


def clear_tool_uses(
    keep: int = 3,
    clear_at_least: int = 0,
    exclude_tools: Sequence[str] = (),
    trigger: float = 1.0,
) -> Selector:
    """Anthropic's ``clear_tool_uses`` as a selector; ``trigger`` is a fraction of the budget."""
    excluded = frozenset(exclude_tools)

    def select(view: SelectionView) -> tuple[np.ndarray, np.ndarray]:
        sel = _full(view)
        cost = _costs(view, sel)
        if cost.sum() > trigger * view.budget:
            results = [
                s for s, kind, tool in zip(view.order.tolist(), view.kinds.tolist(), view.tools,
                                           strict=True)
                if kind == K_TOOL and tool not in excluded
            ]
            old = results[: max(len(results) - keep, 0)]
            freed = sum(int(view.tokens[s, Rep.FULL - 1] - view.tokens[s, Rep.POINTER - 1])
                        for s in old)
            if old and freed >= clear_at_least:
                sel[old] = Rep.POINTER
                cost = _costs(view, sel)
        unmet: list[int] = []
        if cost.sum() > view.budget:
            unmet = _fit(view, sel, cost)
        return sel, np.asarray(unmet, dtype=np.int32)

    return select

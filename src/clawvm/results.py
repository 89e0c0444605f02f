"""What VM calls return: an assembled prompt, a recall's outcome, a mediated tool call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from clawvm._schema import Rep

__all__ = ["Assembly", "RecallResult", "ToolResult"]


@dataclass(frozen=True, slots=True)
class RecallResult:
    """A recall's outcome; ``status`` is ok, no_match, denied or backend_error, with a reason."""

    status: str
    page_ids: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    reason: str = ""

    def __bool__(self) -> bool:
        return self.status == "ok"

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What ``tool_execute`` returns; ``duplicate`` means the resident result was served."""

    page_id: str
    value: Any
    signature: str
    duplicate: bool = False


class Assembly:
    """One assembled prompt. Message dicts are shared with the VM's cache: treat as read-only.

    Every page is plain user text (tool results included, with their call in the text), so
    no tool result is ever sent without its call: the chat APIs always accept the messages.
    """

    __slots__ = (
        "_an",
        "_ids",
        "_oa",
        "_reps",
        "_sel",
        "_sys",
        "faults",
        "page_tokens",
        "system",
        "tokens_used",
        "turn",
        "unmet",
    )

    def __init__(
        self,
        system: str,
        system_msg: dict[str, Any] | None,
        turn: int,
        gathered: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        page_tokens: int,
        fixed_tokens: int,
        unmet: tuple[str, ...],
        faults: int,
    ) -> None:
        self.system = system
        self._sys = system_msg
        self.turn = turn
        self._ids, self._reps, self._oa, self._an = gathered
        self.page_tokens = page_tokens
        self.tokens_used = page_tokens + fixed_tokens  #: fixed region + pages
        self.unmet = unmet
        self.faults = faults
        self._sel: dict[str, Rep] | None = None

    def openai(self) -> list[dict[str, Any]]:
        """Chat Completions messages: the system prompt, then one user message per page."""
        msgs: list[dict[str, Any]] = self._oa.tolist()
        return [self._sys, *msgs] if self._sys is not None else msgs

    def anthropic(self) -> list[dict[str, Any]]:
        """Messages API ``messages`` (pass ``system=assembly.system``): one text block per page."""
        blocks = self._an.tolist()
        return [{"role": "user", "content": blocks}] if blocks else []

    @property
    def selection(self) -> dict[str, Rep]:
        """Resident page id -> rep, in render order."""
        if self._sel is None:
            self._sel = dict(zip(self._ids.tolist(), map(Rep, self._reps.tolist()), strict=True))
        return self._sel

    def __len__(self) -> int:
        return len(self._ids)

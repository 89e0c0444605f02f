"""What VM calls return: an assembled prompt, a recall's outcome, a mediated tool call, stats.

``Assembly`` renders its prompt for each API on demand, as fresh objects every call: a
harness may change them (add ``cache_control``, append a message) without touching the
VM or any later prompt. The return types are the official SDKs' parameter types (when the
SDKs are installed), so ``mypy --strict`` accepts passing them straight to ``create``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from clawvm._render import Item, kernels
from clawvm._schema import Rep

if TYPE_CHECKING:  # the SDKs are optional: without them these are Any
    from anthropic.types import (  # type: ignore[import-not-found, unused-ignore]
        MessageParam,
        TextBlockParam,
    )
    from openai.types.chat import (  # type: ignore[import-not-found, unused-ignore]
        ChatCompletionMessageParam,
    )
    from openai.types.responses import (  # type: ignore[import-not-found, unused-ignore]
        ResponseInputItemParam,
    )

__all__ = ["Assembly", "RecallResult", "SessionStats", "ToolResult"]

_T = TypeVar("_T")


def _built(build: Callable[..., _T], *args: Any) -> _T:
    """``build(*args)`` with the cyclic garbage collector paused (then restored).

    A prompt is thousands of new dicts and lists, none in a cycle; collections triggered
    while they are built would only scan them (and promote them, so later full collections
    scan them again). Paused, they are freed by reference counting when the harness is done.
    """
    if not gc.isenabled():
        return build(*args)
    gc.disable()
    try:
        return build(*args)
    finally:
        gc.enable()


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
    """What ``tool_execute`` and ``page_in`` return.

    ``page_id`` holds the result (for a served duplicate: the earlier result's page);
    ``value`` is the result; ``duplicate`` means it was served without running the tool;
    ``call_id`` is the call's id in the conversation (the model's, or one generated).
    """

    page_id: str
    value: Any
    signature: str
    duplicate: bool = False
    call_id: str = ""


@dataclass(frozen=True, slots=True)
class SessionStats:
    """Prompt-cache figures of a session: how much of each prompt repeats the previous one.

    ``prompts`` counts prompts that had a previous one; ``prompt_tokens`` sums their tokens
    and ``prefix_tokens`` the tokens of each that equal a prefix of the prompt before it
    (what a provider's prompt cache can reuse). ``repacks`` counts the turns that
    re-selected under the reduced budget of ``VM(cache_headroom=...)``.
    """

    prompts: int = 0
    prompt_tokens: int = 0
    prefix_tokens: int = 0
    repacks: int = 0

    @property
    def prefix_reuse(self) -> float:
        """Share of prompt tokens that repeat the previous prompt's prefix (0 with no prompts)."""
        return self.prefix_tokens / self.prompt_tokens if self.prompt_tokens else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "prefix_reuse": self.prefix_reuse,
            "prefix_tokens": self.prefix_tokens,
            "prompt_tokens": self.prompt_tokens,
            "prompts": self.prompts,
            "repacks": self.repacks,
        }


class Assembly:
    """One assembled prompt, renderable for OpenAI Chat Completions, Responses and Anthropic.

    ``tokens_used`` is the fixed region plus the pages; ``prefix_tokens`` of them repeat the
    start of the previous prompt (``prefix_share`` as a fraction).
    """

    __slots__ = (
        "_items",
        "_sel",
        "_system",
        "faults",
        "page_tokens",
        "prefix_tokens",
        "tokens_used",
        "turn",
        "unmet",
    )

    def __init__(
        self,
        system: str,
        turn: int,
        items: list[Item],
        page_tokens: int,
        fixed_tokens: int,
        prefix_tokens: int,
        unmet: tuple[str, ...],
        faults: int,
    ) -> None:
        self._system = system
        self.turn = turn
        self._items = items
        self.page_tokens = page_tokens
        self.tokens_used = page_tokens + fixed_tokens  #: fixed region + pages
        self.prefix_tokens = prefix_tokens
        self.unmet = unmet
        self.faults = faults
        self._sel: dict[str, Rep] | None = None

    @property
    def system(self) -> str:
        """The system text: the system prompt, then the rule pages (Anthropic ``system=``)."""
        return kernels.system_text(self._system, self._items)

    @property
    def prefix_share(self) -> float:
        """Share of this prompt's tokens equal to a prefix of the previous prompt."""
        return self.prefix_tokens / self.tokens_used if self.tokens_used else 1.0

    def openai(self) -> list[ChatCompletionMessageParam]:
        """Chat Completions ``messages``: system, stable user message, then the conversation."""
        messages = _built(kernels.openai_messages, self._system, self._items)
        return cast("list[ChatCompletionMessageParam]", messages)

    def responses(self) -> list[ResponseInputItemParam]:
        """Responses API ``input`` items (system message, messages, function calls and outputs)."""
        items = _built(kernels.responses_items, self._system, self._items)
        return cast("list[ResponseInputItemParam]", items)

    def anthropic(self, *, cache: bool = False) -> list[MessageParam]:
        """Messages API ``messages`` (pass ``system=assembly.system`` or ``anthropic_system()``).

        ``cache`` adds ``cache_control`` breakpoints after the stable region and on the last
        block (with ``anthropic_system(cache=True)``, three in all).
        """
        messages = _built(kernels.anthropic_messages, self._items, cache)
        return cast("list[MessageParam]", messages)

    def anthropic_system(self, *, cache: bool = False) -> list[TextBlockParam]:
        """Messages API ``system`` as text blocks; ``cache`` marks the last for caching."""
        blocks = kernels.anthropic_system(self._system, self._items, cache)
        return cast("list[TextBlockParam]", blocks)

    @property
    def selection(self) -> dict[str, Rep]:
        """Resident page id -> rep, in render order."""
        if self._sel is None:
            self._sel = {it[4]: Rep(it[5]) for it in self._items}
        return self._sel

    def __len__(self) -> int:
        return len(self._items)

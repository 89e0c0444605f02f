"""Type stub for the native renderer ``clawvm._render_core`` (same API as ``clawvm._render_py``)."""

from collections.abc import Callable
from typing import Any

import numpy as np

CONTINUES: str

def demand_arrays(
    demands: list[Any] | tuple[Any, ...], slot_of: dict[str, int], rep_of: dict[Any, int]
) -> tuple[np.ndarray, np.ndarray] | None: ...
def turn_items(
    order: np.ndarray,
    selection: np.ndarray,
    code: np.ndarray,
    tok: np.ndarray,
    rtok: np.ndarray,
    turn: np.ndarray,
    items: np.ndarray,
    prev_codes: np.ndarray,
    prev_turns: np.ndarray,
    make: Callable[[int, int], None],
) -> tuple[list[Any], int, np.ndarray, np.ndarray]: ...
def system_text(system: str, items: list[Any]) -> str: ...
def openai_messages(system: str, items: list[Any]) -> list[dict[str, Any]]: ...
def responses_items(system: str, items: list[Any]) -> list[dict[str, Any]]: ...
def anthropic_system(system: str, items: list[Any], cache: bool) -> list[dict[str, Any]]: ...
def anthropic_messages(items: list[Any], cache: bool) -> list[dict[str, Any]]: ...
def evidence_texts(
    page_id: str, call: str, result: str, exit: str | None, message: bool, build: bool = True
) -> tuple[Any, tuple[Any, ...], tuple[int, ...]]: ...

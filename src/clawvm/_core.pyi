"""Type stub for the native engine ``clawvm._core`` (same API as ``clawvm._core_py``)."""

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["Engine"]

IntArray: TypeAlias = npt.ArrayLike
SCHEMA: dict[str, int]

class Engine:
    """Per-turn policy engine over numpy page-table columns (native twin of the reference)."""

    capacity: int
    n_slots: int
    n_pages: int
    tokens_used: int
    score_mode: int
    auto_pin_hard: bool
    prefetch_pointers: bool
    evidence_pointers_resolve: bool
    prefetch_prediction: bool
    upgrades: bool
    outcomes: npt.NDArray[np.uint8]

    def __init__(
        self,
        capacity: int = 64,
        *,
        score_mode: int = 0,
        auto_pin_hard: bool = True,
        prefetch_pointers: bool = True,
        evidence_pointers_resolve: bool = True,
        prefetch_prediction: bool = True,
        upgrades: bool = True,
    ) -> None: ...
    def configure(
        self,
        *,
        score_mode: int | None = None,
        auto_pin_hard: bool | None = None,
        prefetch_pointers: bool | None = None,
        evidence_pointers_resolve: bool | None = None,
        prefetch_prediction: bool | None = None,
        upgrades: bool | None = None,
    ) -> None: ...
    @property
    def tokens(self) -> npt.NDArray[np.int32]: ...
    @property
    def ptype(self) -> npt.NDArray[np.uint8]: ...
    @property
    def floor(self) -> npt.NDArray[np.uint8]: ...
    @property
    def pin(self) -> npt.NDArray[np.uint8]: ...
    @property
    def base(self) -> npt.NDArray[np.float64]: ...
    @property
    def recompute(self) -> npt.NDArray[np.float64]: ...
    @property
    def recency(self) -> npt.NDArray[np.float64]: ...
    @property
    def future(self) -> npt.NDArray[np.int32]: ...
    @property
    def predicted(self) -> npt.NDArray[np.float64]: ...
    @property
    def dirty(self) -> npt.NDArray[np.uint8]: ...
    @property
    def version(self) -> npt.NDArray[np.uint32]: ...
    @property
    def seq(self) -> npt.NDArray[np.int64]: ...
    @property
    def selection(self) -> npt.NDArray[np.uint8]: ...
    @property
    def counters(self) -> npt.NDArray[np.int64]: ...
    @property
    def table_nbytes(self) -> int: ...
    @property
    def index_nbytes(self) -> int: ...
    def add_page(
        self,
        ptype: int,
        tokens: Sequence[int],
        floor: int,
        pin: int,
        base: float = 0.0,
        recompute: float = 0.0,
    ) -> int: ...
    def add_pages(
        self, ptype: IntArray, tokens: IntArray, floor: IntArray, pin: IntArray, base: Any, recompute: Any
    ) -> npt.NDArray[np.int32]: ...
    def update_page(
        self,
        slot: int,
        tokens: Sequence[int] | None = None,
        floor: int | None = None,
        pin: int | None = None,
        base: float | None = None,
        recompute: float | None = None,
    ) -> None: ...
    def remove_page(self, slot: int) -> None: ...
    def mark_dirty(self, slot: int) -> None: ...
    def mark_clean(self, slot: int, version: int) -> None: ...
    def dirty_slots(self) -> npt.NDArray[np.int32]: ...
    def set_future(self, slots: IntArray, counts: IntArray) -> None: ...
    def scores(self) -> npt.NDArray[np.float64]: ...
    def account(
        self, demand_slots: IntArray, demand_reps: IntArray, demand_flags: IntArray, after_compaction: bool
    ) -> int: ...
    def select(
        self, budget: int, demand_slots: IntArray, demand_reps: IntArray, update_recency: bool = True
    ) -> int: ...
    def unmet(self) -> npt.NDArray[np.int32]: ...
    def evict_all(self) -> None: ...
    def check_invariants(self, budget: int) -> None: ...

"""The codes ``_core.pyx`` mirrors in a ``cdef enum`` agree with ``clawvm._schema``."""

from __future__ import annotations

import pytest

from clawvm import _schema
from clawvm._schema import Outcome, PageType, Pin, Rep, ScoreMode


def test_native_codes_match_schema() -> None:
    core = pytest.importorskip("clawvm._core", reason="native core not built")
    expected = dict(
        NONE=Rep.NONE, POINTER=Rep.POINTER, FULL=Rep.FULL,
        BOOTSTRAP=PageType.BOOTSTRAP, CONSTRAINT=PageType.CONSTRAINT, EVIDENCE=PageType.EVIDENCE,
        PIN_HARD=Pin.HARD, MODE_LRU=ScoreMode.LRU, MODE_RECENCY=ScoreMode.RECENCY,
        MODE_ORACLE=ScoreMode.ORACLE, PAGE_IN=Outcome.PAGE_IN,
        POST_COMPACTION_BOOTSTRAP=Outcome.POST_COMPACTION_BOOTSTRAP,
        PINNED_INVARIANT=Outcome.PINNED_INVARIANT, DUPLICATE_TOOL=Outcome.DUPLICATE_TOOL,
        REFETCH=Outcome.REFETCH, FREE=_schema.FREE_SLOT, N_OUTCOMES=_schema.N_OUTCOMES,
        DEMAND_REISSUES_TOOL=_schema.DEMAND_REISSUES_TOOL,
    )
    assert core.SCHEMA == {k: int(v) for k, v in expected.items()}


def test_round_up_and_paths() -> None:
    assert _schema.round_up(PageType.PLAN, Rep.COMPRESSED) == Rep.FULL
    assert _schema.round_up(PageType.BOOTSTRAP, Rep.POINTER) == Rep.STRUCTURED
    assert not _schema.on_path(PageType.CONSTRAINT, Rep.POINTER)
    assert all(_schema.on_path(t, Rep.FULL) for t in PageType)


def test_engine_selection_follows_environment() -> None:
    import clawvm

    assert clawvm.IMPLEMENTATION in {"native", "reference"}
    assert clawvm.NATIVE == (clawvm.IMPLEMENTATION == "native")

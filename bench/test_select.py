"""Per-turn selection latency, native vs the pure-Python reference (issue 2 budgets), and
the native turn on realistic tables: with a few dozen tokens above the required set Phase 2
solves its knapsack exactly (docs/selection.md §4), otherwise it runs the upgrade pass."""

from __future__ import annotations

from typing import Any

import pytest

from clawvm import _core_py

try:
    from clawvm import _core
except ImportError:
    _core = None

SIZES = [64, 1024, 16384]
MIN_SPEEDUP = {1024: 30.0}  # native over reference, medians of the same run


@pytest.mark.skipif(_core is None, reason="native core not built")
@pytest.mark.parametrize("n", SIZES)
def test_select_native(benchmark: Any, make_turn: Any, hold_budget: Any, n: int) -> None:
    turn = make_turn(_core.Engine, n)
    benchmark.extra_info["table_bytes_per_page"] = turn.engine.table_nbytes / turn.engine.capacity
    benchmark.extra_info["index_bytes_per_page"] = turn.engine.index_nbytes / n
    benchmark(turn)
    hold_budget(benchmark)


@pytest.mark.parametrize("n", SIZES)
def test_select_reference(
    benchmark: Any, make_turn: Any, hold_budget: Any, bench_results: dict[str, float], n: int
) -> None:
    turn = make_turn(_core_py.Engine, n, warmup=20 if n > 2000 else 100)
    benchmark.pedantic(turn, rounds=3 if n > 2000 else 10, iterations=1, warmup_rounds=1)
    hold_budget(benchmark)
    # the speedup is measured within this run: native ran just before (same file order)
    native = bench_results.get(f"test_select_native[{n}]")
    ref = bench_results.get(f"test_select_reference[{n}]")
    if native and ref:
        benchmark.extra_info["native_speedup"] = round(ref / native, 1)
        if n in MIN_SPEEDUP:
            assert ref / native >= MIN_SPEEDUP[n], f"native only {ref / native:.1f}x faster"


REALISTIC = [(64, 40), (64, None), (1024, 40), (1024, None)]  # (pages, tokens above Phase 1)


@pytest.mark.skipif(_core is None, reason="native core not built")
@pytest.mark.parametrize(("n", "extra"), REALISTIC, ids=lambda v: "half" if v is None else str(v))
def test_select_realistic_native(benchmark: Any, make_realistic_turn: Any, hold_budget: Any,
                                 n: int, extra: int | None) -> None:
    turn = make_realistic_turn(_core.Engine, n, extra)
    benchmark(turn)
    hold_budget(benchmark)

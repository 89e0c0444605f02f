"""Shared benchmark workloads and the latency budgets the benchmarks hold.

Budgets are checked only when benchmarks actually run (``--benchmark-only`` or a plain
``pytest bench``); with ``--benchmark-disable`` each benchmark runs once as a smoke test.
Medians are compared, in seconds. ``CLAWVM_BENCH_SLACK=1.5`` widens every budget (for
slower machines than the 2-core reference box these figures were set on).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from clawvm._schema import PATH_MASK, TYPE_DEFAULTS, PageType, Pin

SLACK = float(os.environ.get("CLAWVM_BENCH_SLACK", "1"))

#: Median budgets in seconds, by benchmark name.
BUDGETS = {
    "test_select_native[64]": 3e-6,
    "test_select_native[1024]": 30e-6,
    "test_select_native[16384]": 600e-6,
    "test_assemble[64]": 25e-6,
    "test_assemble[1024]": 150e-6,
    "test_turn_clawvm[64]": 40e-6,
    "test_turn_clawvm[1024]": 100e-6,
}

RESULTS: dict[str, float] = {}


def page_table(n: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    """A table shaped like a coding session: mostly evidence and transcript segments.

    Token costs per rep grow along each path (pointer ~8, structured ~40, compressed
    ~110, full ~380); 10% of pages are hard-pinned at their lowest rep.
    """
    rng = np.random.default_rng(seed)
    types = rng.choice(6, size=n, p=[0.02, 0.03, 0.05, 0.10, 0.50, 0.30])
    tokens = np.zeros((n, 4), dtype=np.int64)
    floor = np.zeros(n, dtype=np.int64)
    pin = np.zeros(n, dtype=np.int64)
    ranges = [(4, 12), (20, 60), (60, 160), (160, 600)]
    for i, t in enumerate(types):
        mask = PATH_MASK[PageType(t)]
        cost = 0
        for rep, (lo, hi) in zip(range(1, 5), ranges):
            if mask >> rep & 1:
                cost = max(cost, int(rng.integers(lo, hi)))
                tokens[i, rep - 1] = cost
        floor[i] = TYPE_DEFAULTS[PageType(t)][0]
        pin[i] = Pin.SOFT if rng.random() < 0.5 else Pin.NONE
    for i in rng.choice(n, size=max(1, n // 10), replace=False):
        pin[i] = Pin.HARD
        if floor[i] == 0:
            floor[i] = next(r for r in range(1, 5) if PATH_MASK[PageType(types[i])] >> r & 1)
    return types, tokens, floor, pin, rng.random(n), rng.random(n) * 2.0


def turn_runner(engine_cls: type, n: int, warmup: int = 200) -> Callable[[], int]:
    """One turn per call: 8 uniform random demands, budget half the all-full total.

    The engine is warmed up first so recency has reached its steady state.
    """
    engine = engine_cls(n, score_mode=0)
    table = page_table(n)
    engine.add_pages(*table)
    budget = int(table[1][:, 3].sum() // 2)
    rng = np.random.default_rng(1)
    slots = [rng.integers(0, n, 8).astype(np.int64) for _ in range(512)]
    reps = [rng.integers(1, 5, 8).astype(np.int64) for _ in range(512)]
    turn = iter(range(10**12))

    def one_turn() -> int:
        i = next(turn) % 512
        return engine.select(budget, slots[i], reps[i])

    for _ in range(warmup):
        one_turn()
    one_turn.engine = engine  # type: ignore[attr-defined]
    return one_turn


def realistic_runner(
    engine_cls: type, n: int, extra: int | None, fraction: float = 0.5
) -> Callable[[], int]:
    """One turn per call on a realistic table (``clawvm.optimality.realistic_table``): the
    table's demands in rotation, each re-issue accounted, at a budget ``extra`` tokens above
    the Phase 1 total of the first turn (or, with ``extra=None``, ``fraction`` of the way
    from it to the all-full total)."""
    from clawvm import optimality
    from clawvm._core_py import lower_bounds

    table = optimality.realistic_table(n, seed=0)
    engine = optimality.load(table, engine_cls)
    turns = table.warmup
    floor, _, _ = lower_bounds(engine, 2**62, turns[0][0], turns[0][1], prefetch=False)
    p1 = int(sum(int(engine.tokens[s, r - 1]) for s, r in enumerate(floor[:n]) if r))
    full = int(table.tokens[:, 3].sum())
    budget = p1 + (extra if extra is not None else round(fraction * (full - p1)))
    turn = iter(range(10**12))

    def one_turn() -> int:
        slots, reps, flags = turns[next(turn) % len(turns)]
        engine.account(slots, reps, flags, False)
        return engine.select(budget, slots, reps)

    for _ in range(len(turns)):
        one_turn()
    one_turn.engine = engine  # type: ignore[attr-defined]
    return one_turn


def check_budget(request: pytest.FixtureRequest, benchmark: Any) -> None:
    """Record the median; fail when it is over its budget (only when benchmarks ran)."""
    if not benchmark.enabled or benchmark.stats is None:
        return
    median = benchmark.stats.stats.median
    name = request.node.name
    RESULTS[name] = median
    budget = BUDGETS.get(name)
    if budget is not None:
        assert median <= budget * SLACK, f"{name}: median {median * 1e6:.2f} us > {budget * SLACK * 1e6:.1f} us"


@pytest.fixture
def make_turn() -> Callable[..., Callable[[], int]]:
    """``make_turn(engine_cls, n)``: a warmed-up one-turn callable (see ``turn_runner``)."""
    return turn_runner


@pytest.fixture
def make_realistic_turn() -> Callable[..., Callable[[], int]]:
    """``make_realistic_turn(engine_cls, n, extra)``: see ``realistic_runner``."""
    return realistic_runner


@pytest.fixture
def hold_budget(request: pytest.FixtureRequest) -> Callable[[Any], None]:
    """Call after ``benchmark(...)``: records the median and checks its budget."""
    return lambda benchmark: check_budget(request, benchmark)


@pytest.fixture
def bench_results() -> dict[str, float]:
    """Medians recorded by ``hold_budget`` in this run, by test name."""
    return RESULTS

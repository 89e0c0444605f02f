"""Selection quality: the greedy against the exact optimum on realistic tables, a short
session whose pages all fit at full, the optimality report and its CLI, and the
prefetch-order comparison."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawvm import VM, _core_py, cli, optimality, pages
from clawvm._schema import PageType, Pin, Rep, on_path
from clawvm.policy import POLICIES
from clawvm.replay import bands, checks
from clawvm.replay.driver import STORES, replay
from clawvm.replay.sweep import PREFETCH_BANDS
from clawvm.replay.workloads import FAMILIES, generate

try:
    from clawvm import _core
except ImportError:
    _core = None

ENGINES = [_core_py.Engine, *([_core.Engine] if _core is not None else [])]


@pytest.mark.parametrize("engine_cls", ENGINES, ids=lambda c: c.__module__)
def test_short_session_ends_with_every_page_at_full(engine_cls: type) -> None:
    """A first session as a new user writes it: everything fits in 3,992 tokens, so
    everything is at full (the next test has the costs with which this went wrong)."""
    vm = VM(4000, system_prompt="You are a careful coding agent.")
    vm.engine = engine_cls(64, **vm.policy.engine_flags())
    vm.session_start("demo")
    vm.add_page(pages.bootstrap("agents", "- Always run the tests.\n- Never push to main."))
    vm.post_model("I will grep for TODOs")
    r = vm.tool_execute("grep", {"pattern": "TODO"}, lambda: "src/vm.py:12: # TODO tidy")
    vm.assemble([r.page_id])
    p = vm.assemble([])
    assert type(vm.engine) is engine_cls
    assert set(p.selection) == {"agents", "seg-1", "ev-1"}
    assert all(rep == Rep.FULL for rep in p.selection.values()), p.selection


def test_short_pages_with_an_expensive_first_step_end_at_full(engine_cls: type) -> None:
    """The same session as the engine saw it when its costs were measured by the earlier
    tokenizer: pointer -> structured costs 12 tokens, each later step 1. The single-step
    pass left both pages at structured (88 of 3,992 tokens used)."""
    e = engine_cls(8)
    rules = e.add_page(PageType.BOOTSTRAP, [0, 22, 0, 23], Rep.STRUCTURED, Pin.HARD, 1.0, 0.0)
    seg = e.add_page(PageType.SEGMENT, [16, 28, 29, 30], Rep.POINTER, Pin.NONE, 1.0, 0.2)
    ev = e.add_page(PageType.EVIDENCE, [21, 37, 38, 39], Rep.POINTER, Pin.SOFT, 1.0, 1.0)
    e.select(3992, [ev], [Rep.FULL])
    assert e.select(3992, [], []) == 23 + 30 + 39
    assert e.selection[[rules, seg, ev]].tolist() == [Rep.FULL] * 3


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(20, 72),
    seed=st.integers(0, 10**6),
    fraction=st.floats(0.0, 1.0),
    prefetch_on=st.booleans(),
)
def test_greedy_is_near_the_optimum_on_realistic_tables(
    n: int, seed: int, fraction: float, prefetch_on: bool
) -> None:
    """Never above the exact optimum, never below 97% of it; both engines agree exactly."""
    table = optimality.realistic_table(n, seed)
    selections = []
    for cls in ENGINES:
        engine = optimality.load(table, cls, prefetch_pointers=prefetch_on)
        (point,) = optimality.measure(engine, table.demands, [fraction], pages=n, seed=seed)
        assert point.exact
        assert point.base <= point.greedy <= point.optimum + 1e-9 * max(1.0, point.optimum)
        assert point.greedy >= optimality.TARGET_WORST * point.optimum
        selections.append(engine.selection[:n].tolist())
    assert all(s == selections[0] for s in selections)


def test_realistic_tables_are_seeded_and_have_short_pages() -> None:
    a, b = optimality.realistic_table(64, 3), optimality.realistic_table(64, 3)
    assert all(
        np.array_equal(x, y)
        for x, y in zip(
            (a.ptype, a.tokens, a.floor, a.pin, a.base, a.recompute),
            (b.ptype, b.tokens, b.floor, b.pin, b.base, b.recompute),
        )
    )
    assert not np.array_equal(a.tokens, optimality.realistic_table(64, 4).tokens)
    # pages whose first step costs more per level than a later one: their hull from none
    # skips reps (the case the single-step pass got wrong), and pages whose hull does not
    skips = [
        _core_py.hull_next(int(t), tok, Rep.NONE) != min(r for r in Rep if r and on_path(int(t), r))
        for t, tok in zip(a.ptype, a.tokens)
    ]
    assert 0.25 * len(skips) <= sum(skips) <= 0.75 * len(skips)


def test_report_meets_its_target_and_can_fail() -> None:
    points = optimality.run(sizes=(20, 48), seeds=(0,), fractions=(0.005, 0.05, 0.5, 1.0))
    rows = optimality.summarize(points)
    assert [r["lower bounds"] for r in rows] == ["Phase 1 + prefetch", "Phase 1 only"]
    assert all(r["turns"] == 8 for r in rows)
    assert optimality.holds(points)
    full = [p for p in points if p.fraction == 1.0]
    assert all(p.ratio == pytest.approx(1.0) for p in full)  # everything fits: everything full
    bad = [
        optimality.Point(
            20, 0, True, 0.1, 100, greedy=0.9, optimum=1.0, upper=1.0, base=0.0, exact=True
        )
    ]
    assert not optimality.holds(points + bad)
    assert "DOES NOT HOLD" in optimality.markdown(points + bad)


def test_coarse_optimum_is_compared_against_its_upper_bound() -> None:
    table = optimality.realistic_table(40, 1)
    engine = optimality.load(table)
    (coarse,) = optimality.measure(engine, table.demands, [0.3], max_cells=2_000)
    (exact,) = optimality.measure(engine, table.demands, [0.3])
    assert not coarse.exact and exact.exact
    assert coarse.optimum <= exact.optimum + 1e-9 <= coarse.upper + 2e-9
    assert coarse.ratio <= exact.ratio + 1e-12 and coarse.greedy == exact.greedy


def test_cli_optimality(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["optimality", "--sizes", "20", "--seeds", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "| Phase 1 + prefetch |" in out and "(holds)" in out
    assert cli.main(["optimality", "--sizes", "20", "--seeds", "1", "--quiet", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["holds"] and len(data["points"]) == 2 * len(optimality.FRACTIONS)


# ---------------------------------------------------------------------- prefetch order
# Between F1 and FP (where not every pointer fits) the order of prefetched pointers decides
# faults; the suite reports the same comparison over its table traces.
_ORDERS = {
    "static": POLICIES["clawvm"].without("prefetch_prediction"),
    "predicted": POLICIES["clawvm"],
    "oracle": POLICIES["oracle"],
}


@pytest.fixture(scope="module")
def prefetch_faults() -> dict[tuple[str, int, str], dict[str, int]]:
    """Policy failures per (family, seed, band) under each order, seeds 0-7."""
    out = {}
    for family in FAMILIES:
        for seed in range(8):
            trace = generate(family, seed)
            budgets = dict(bands.measure(trace).budgets())
            for band in PREFETCH_BANDS:
                out[family, seed, band] = {
                    k: checks.failures(replay(trace, p, budgets[band], store=STORES["memory"]))
                    for k, p in _ORDERS.items()
                }
    return out


def test_every_order_is_faultless_where_every_pointer_fits(
    prefetch_faults: dict[tuple[str, int, str], dict[str, int]],
) -> None:
    for (family, seed, band), faults in prefetch_faults.items():
        if band == "FP":
            assert faults == {k: 0 for k in _ORDERS}, (family, seed)


def test_the_order_decides_faults_below_fp(
    prefetch_faults: dict[tuple[str, int, str], dict[str, int]],
) -> None:
    below = [v for (_, _, band), v in prefetch_faults.items() if band != "FP"]
    assert sum(v["static"] for v in below) > 0  # the comparison can tell orders apart


def test_prediction_helps_and_the_oracle_bounds_it(
    prefetch_faults: dict[tuple[str, int, str], dict[str, int]],
) -> None:
    total = {k: sum(v[k] for v in prefetch_faults.values()) for k in _ORDERS}
    assert total["oracle"] <= total["predicted"] < total["static"], total

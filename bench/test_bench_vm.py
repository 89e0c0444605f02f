"""VM.assemble end to end: demand accounting, selection and message rendering, 8 demands a turn.

Targets (issue 4): median <= 25 us at 64 pages and <= 150 us at 1,024 pages.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from clawvm import IMPLEMENTATION
from clawvm import pages as P
from clawvm._schema import Rep
from clawvm.vm import VM

DEMANDS_PER_TURN = 8
TURNS = 256


def build(n_pages: int, seed: int = 0) -> tuple[VM, list[list[tuple[str, Rep]]]]:
    """A seeded session of ``n_pages`` pages and the demands of ``TURNS`` turns."""
    rng = np.random.default_rng(seed)
    vm = VM(10**9, system_prompt="You are a coding agent.")
    vm.session_start("bench")
    vm.add_page(
        P.bootstrap("agents", "# Rules\n- Always run tests.\n- Never push to main.\nProse " * 3)
    )
    for i in range(3):
        vm.add_page(P.constraint(f"c{i}", f"constraint number {i}: keep the public API stable"))
    vm.add_page(P.plan("plan", "ship the release", [f"step {i}" for i in range(8)], step=2))
    while len(vm) < n_pages:
        i = len(vm)
        kind = rng.integers(0, 10)
        if kind < 6:
            lines = int(rng.integers(2, 40))
            out = "\n".join(f"src/pkg/mod{i}.py:{j}: match {j} of item {i}" for j in range(lines))
            vm.add_page(P.evidence(f"ev-{i}", out, tool="grep", args={"q": f"item {i}"}, exit=0))
        elif kind < 9:
            vm.add_page(
                P.segment(
                    f"seg-{i}",
                    f"turn {i}: " + "some words of dialogue " * int(rng.integers(1, 20)),
                    speaker="user" if i % 2 else "assistant",
                    turn=i,
                )
            )
        else:
            vm.add_page(P.preference(f"pref-{i}", f"setting{i}", {"value": i}))
    full = sum(p.tokens[Rep.FULL - 1] for p in vm.pages())
    vm = _rebudget(vm, full // 3)  # a tight budget: a third of everything at full
    ids = [p.id for p in vm.pages()]
    reps = (Rep.POINTER, Rep.STRUCTURED, Rep.COMPRESSED, Rep.FULL)
    turns = [
        [
            (ids[j], reps[int(rng.integers(0, 4))])
            for j in rng.choice(len(ids), DEMANDS_PER_TURN, replace=False)
        ]
        for _ in range(TURNS)
    ]
    return vm, turns


def _rebudget(vm: VM, page_budget: int) -> VM:
    """The same pages under a new budget (rebuilt so the bench runs the public constructor)."""
    new = VM(page_budget + vm.fixed_tokens, system_prompt=vm.system_prompt)
    new.session_start("bench")
    for page in vm.pages():
        new.add_page(P.Page(page.id, page.type, page.content, scope=page.scope))
    return new


@pytest.mark.parametrize("n_pages", [64, 1024])
def test_assemble(benchmark: Any, hold_budget: Any, n_pages: int) -> None:
    vm, turns = build(n_pages)
    cycle = itertools.cycle(turns)
    for _ in range(TURNS):  # warm: recency and selection reach a steady state
        vm.assemble(next(cycle)).openai()

    def turn() -> int:
        return len(vm.assemble(next(cycle)).openai())

    resident = benchmark(turn)
    benchmark.extra_info.update(implementation=IMPLEMENTATION, resident=resident, pages=len(vm))
    assert vm.faults().unmet == 0
    assert 0 < resident <= n_pages + 1
    if IMPLEMENTATION == "native":  # the budgets are the native engine's
        hold_budget(benchmark)

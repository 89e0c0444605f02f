"""A long session: memory per page and the time to resume it.

20,000 turns (``CLAWVM_SESSION_TURNS``) of a coding conversation: per turn a user message,
an assistant turn with one tool call and its 30-line result, the newest two demanded; a
compaction every 100 turns. Pages retire (``retire_after=1``) as the session goes on, so the
table stays bounded. The store is SQLite in a temporary directory (its memory is not the
VM's). Printed: the session's time per turn, resident memory (RSS) grown per page created,
content and all, the table's size, and ``session_start`` of a new VM on the resulting store
(about 60,000 records), retiring (the earlier conversation archived) and loading every
page. The benchmark times the resume that retires.

``test_memory_per_resident_page``: what a page held in the table costs beyond its content
(tracemalloc, no retirement; it times those 1,000 turns), the figure for a VM whose
harness never archives.
"""

from __future__ import annotations

import gc
import json
import os
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from clawvm import pages as P
from clawvm.vm import VM

TURNS = int(os.environ.get("CLAWVM_SESSION_TURNS", "20000"))
RESULTS: dict[str, float] = {}


def _rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def run_session(vm: VM, turns: int, first: int = 0, compact_every: int = 100) -> int:
    """``turns`` turns on ``vm`` from turn ``first``; returns the bytes of content created."""
    vm.tools.declare("read_file", read_only=True, resource="path")
    content = 0
    last: list[str] = []
    for t in range(first, first + turns):
        ask = f"Step {t}: look at module {t} and tell me what it does."
        user = vm.post_user(ask)
        vm.assemble([user, *last])
        args = json.dumps({"path": f"src/mod{t}.py"})
        call = {"id": f"call_{t}", "type": "function"}
        call["function"] = {"name": "read_file", "arguments": args}
        said = f"Reading src/mod{t}.py."
        vm.post_model(said, tool_calls=[call])
        body = "\n".join(f"def f{t}_{j}(x):  # line {j} of module {t}" for j in range(30))
        r = vm.tool_execute("read_file", args, lambda body=body: body, call_id=f"call_{t}")
        last = [r.page_id]
        content += len(ask) + len(said) + len(body) + len(args)
        if (t + 1) % compact_every == 0:
            vm.compaction()
    return content


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="RSS is read from /proc")
def test_long_session(benchmark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'session.db'}"
    vm = VM(8000, system_prompt="You are a coding agent.", store=url, retire_after=1)
    vm.session_start("long")
    vm.add_page(P.bootstrap("agents", "- Always run the tests.\n- Never push to main."))
    gc.collect()
    before = _rss()
    start = time.perf_counter()
    content = run_session(vm, TURNS)
    took = time.perf_counter() - start
    gc.collect()
    grown = _rss() - before
    pages = 3 * TURNS
    table = len(vm)
    assert vm.faults().unmet == 0
    vm.session_end()
    vm.close()

    def resume(retire: int | None) -> tuple[VM, list[str]]:
        again = VM(8000, store=url, retire_after=retire)
        return again, again.session_start("long")

    lazy, loaded = benchmark.pedantic(lambda: resume(1), rounds=1, iterations=1)
    records = len(lazy.archived) + len(loaded)
    lazy.close()
    start = time.perf_counter()
    eager, _ = resume(None)
    eager_s = time.perf_counter() - start
    eager.close()
    lazy_s = benchmark.stats.stats.median if benchmark.enabled and benchmark.stats else 0.0
    RESULTS.update(per_page=grown / pages, lazy=lazy_s, eager=eager_s)
    with capsys.disabled():
        print(
            f"\n{TURNS} turns, {pages} pages ({content / pages:.0f} B of content each): "
            f"{took / TURNS * 1e3:.2f} ms a turn; table {table} pages at the end; RSS "
            f"+{grown / 2**20:.1f} MB = {grown / pages:.0f} B a page created, content and all"
            f"\nresume of {records} records: session_start {lazy_s:.2f} s retiring "
            f"({len(loaded)} loaded), {eager_s:.2f} s loading every page"
        )
    assert grown / pages <= 3 * 1024


def test_memory_per_resident_page(
    benchmark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vm = VM(8000, store=f"sqlite:///{tmp_path / 'resident.db'}")
    vm.session_start("resident")
    run_session(vm, 50)  # warm: stream, tool registry and store are set up
    tracemalloc.start()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    content = benchmark.pedantic(lambda: run_session(vm, 1000, 50), rounds=1, iterations=1)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    pages = 3 * 1000
    with capsys.disabled():
        print(
            f"\nresident pages (no retirement): {held / pages:.0f} B a page traced, "
            f"{(held - content) / pages:.0f} B beyond its {content / pages:.0f} B of content"
        )
    assert (held - content) / pages <= 3 * 1024

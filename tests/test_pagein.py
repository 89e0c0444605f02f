"""A tool result's page-in: what its fast paths must keep.

``add_page`` reads the store for a committed record of the new page (the in-process store
answers through ``MemoryStore.peek``), and the render table keeps its order in place as
pages come and go. Both must answer exactly what the slow ways did.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawvm import pages as P
from clawvm.errors import InvalidInputError
from clawvm.stores.memory import MemoryStore
from clawvm.vm import VM


def _pair(store: MemoryStore) -> tuple[VM, VM]:
    a, b = VM(10**6, store=store), VM(10**6, store=store)
    a.session_start("s")
    b.session_start("s")
    return a, b


def _result(text: str = "ok\n") -> P.Page:
    return P.evidence("ev-1", text, tool="pytest", exit=0)


def test_a_page_committed_by_another_vm_is_found_at_page_in() -> None:
    store = MemoryStore()
    a, b = _pair(store)
    b.add_page(_result())
    b.compaction()  # a destructive boundary: b's page is committed
    (committed,) = [r for r in store.records("s") if r.key == "ev-1"]
    page = a.add_page(_result())  # the same content: clean, at the committed version
    assert page.version == committed.version
    assert not a._table.wb.pending
    assert a.page("ev-1").content == committed.value


def test_a_committed_page_of_another_type_is_refused() -> None:
    store = MemoryStore()
    a, b = _pair(store)
    b.add_page(_result())
    b.compaction()
    with pytest.raises(InvalidInputError, match="is committed as 'evidence'"):
        a.add_page(P.constraint("ev-1", "never push to main"))
    assert "ev-1" not in {p.id for p in a.pages()}


def test_a_changed_page_is_judged_against_the_committed_record() -> None:
    store = MemoryStore()
    a, b = _pair(store)
    b.add_page(_result())
    b.compaction()
    page = a.add_page(_result("failed\n"))  # new content over the committed version
    (staged,) = a._table.wb.pending
    assert staged.base_version == 1 and page.version == 2


def test_a_closed_memory_store_reads_as_no_record() -> None:
    store = MemoryStore()
    vm = VM(10**6, store=store)
    vm.session_start("s")
    assert vm._table.wb.record("ev-1", "session") is None
    store.close()
    assert store.peek("ev-1", "session", "s") is None
    assert store.get("ev-1", "session", "s").status == "backend_error"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "drop", "drop_newest"]), st.integers(0, 50))))
def test_render_order_kept_in_place_equals_a_fresh_sort(steps: list[tuple[str, int]]) -> None:
    vm = VM(10**6)
    vm.session_start("s")
    made = 0
    for op, pick in steps:
        ids = [p.id for p in vm.pages()]
        if op == "add" or not ids:
            vm.add_page(P.evidence(f"ev-{made}", f"line {made}\n", tool="cat"))
            made += 1
        elif op == "drop":
            vm.drop(ids[pick % len(ids)])
        else:
            vm.drop(ids[-1])
        r = vm._table.render
        live = np.fromiter(r._live, dtype=np.int64, count=len(r._live))
        assert r.order().tolist() == live[np.argsort(r._key[live], kind="stable")].tolist()
    assert len(vm.assemble([]).openai()) >= 1

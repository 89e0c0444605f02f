"""Long sessions: archive, drop, pointer retirement, bounded provenance, resuming lazily."""

from __future__ import annotations

import json

import pytest

from clawvm import pages as P
from clawvm._schema import Rep
from clawvm.stores.base import DROPPED
from clawvm.errors import InvalidInputError, UnknownPageError
from clawvm.stores import open_store
from clawvm.stores.base import Store
from clawvm.vm import VM, Write


def _vm(store: Store | str = "memory://", **kw: object) -> VM:
    vm = VM(3000, store=store, **kw)  # type: ignore[arg-type]
    vm.session_start("s")
    return vm


def _turns(vm: VM, first: int, n: int) -> list[str]:
    """``n`` turns of a coding conversation: a user message, a call, its 20-line result."""
    ids = []
    for t in range(first, first + n):
        ids.append(vm.post_user(f"step {t}: read module {t}"))
        args = json.dumps({"path": f"src/m{t}.py"})
        call = {"id": f"c{t}", "type": "function", "function": {"name": "read", "arguments": args}}
        vm.post_model(f"reading m{t}", tool_calls=[call])
        body = "\n".join(f"line {j} of m{t}" for j in range(20))
        ids.append(vm.tool_execute("read", args, lambda b=body: b, call_id=f"c{t}").page_id)
        vm.assemble(ids[-2:])
    return ids


def test_archived_page_leaves_the_table_and_comes_back_by_id() -> None:
    vm = _vm()
    doc = vm.add_page(P.evidence("doc", "alpha beta\n" * 5, tool="read"))
    assert vm.archive("doc") is False  # its creation is not written back yet
    vm.compaction()
    assert "doc" not in vm and "doc" in vm.archived
    assert vm.recall("doc").page_ids == ("doc",) and "doc" in vm  # recall by id pages it in
    assert vm.archive("doc") is True and "doc" not in vm
    assert vm.resolve("[page:doc evidence]").content == doc.content
    assert vm.archive("doc") is True
    a = vm.assemble(["doc"])  # a demand brings it back too
    assert "doc" in vm and "alpha beta" in json.dumps(a.openai())
    assert vm.archive("doc") is True
    r = vm.page_in({"page_id": "doc"})
    assert r.page_id == "doc" and "doc" in vm


def test_drop_of_a_page_never_written_back_discards_it() -> None:
    store = open_store("memory://")
    vm = _vm(store)
    vm.add_page(P.evidence("tmp", "scratch", tool="t"))
    vm.drop("tmp")
    assert "tmp" not in vm and "tmp" not in vm.archived
    vm.compaction()
    assert store.get("tmp", "session", "s").status == "no_match"
    with pytest.raises(UnknownPageError):
        vm.resolve("[page:tmp]")


def test_drop_of_a_committed_page_is_a_tombstone_after_writeback() -> None:
    store = open_store("memory://")
    vm = _vm(store)
    vm.add_page(P.evidence("old", "stale result", tool="t"))
    vm.compaction()
    vm.drop("old")
    assert "old" not in vm
    with pytest.raises(UnknownPageError):  # not loaded back while the drop waits
        vm.resolve("[page:old]")
    vm.compaction()
    rec = store.get("old", "session", "s").record
    assert rec is not None and rec.value[DROPPED] is True and rec.value["tool"] == "t"
    vm.session_end()
    again = VM(3000, store=store)
    assert "old" not in again.session_start("s")
    with pytest.raises(UnknownPageError):
        again.resolve("[page:old]")
    with pytest.raises(UnknownPageError):
        again.assemble(["old"])


def test_a_drop_the_journal_refuses_gives_the_page_back() -> None:
    store = open_store("memory://")
    one = _vm(store)
    one.add_page(P.preference("theme", "theme", "dark"))
    one.compaction()
    two = _vm(store)
    one.drop("theme")
    two.upsert(P.preference("theme", "theme", "light"))  # another worker changes it meanwhile
    two.compaction()
    one.compaction()  # the tombstone's base version is stale: DESTRUCTIVE_OP
    assert one.page("theme").content["value"] == "light"
    rec = store.get("theme", "project", "").record
    assert rec is not None and rec.value["value"] == "light"


def test_hard_pinned_pages_are_neither_dropped_nor_archived() -> None:
    vm = _vm()
    vm.add_page(P.constraint("c", "never push to main"))
    with pytest.raises(InvalidInputError):
        vm.drop("c")
    with pytest.raises(InvalidInputError):
        vm.archive("c")
    with pytest.raises(UnknownPageError):
        vm.drop("nope")


def test_retired_pointers_keep_the_table_bounded_and_page_back_in() -> None:
    vm = _vm(retire_after=1)
    vm.add_page(P.constraint("c", "never push to main"))
    sizes = []
    first = []
    for block in range(8):
        ids = _turns(vm, block * 10, 10)
        first = first or ids
        vm.compaction()
        sizes.append(len(vm))
    assert max(sizes[2:]) <= 2 * 30 + 1 and sizes[-1] == sizes[-2]  # bounded, not growing
    assert first[1] in vm.archived and "c" in vm  # the rule stays
    assert vm.faults().total_faults == 0 and vm.faults().unmet == 0
    r = vm.page_in({"page_id": first[1]})
    assert r.page_id == first[1]
    text = json.dumps(vm.assemble().openai())
    assert "line 19 of m0" in text
    refs = vm._table.wb.validator.known_refs
    assert len(refs) <= 30  # call refs of results in the table only; ids live in the table
    d = vm.post_model("", [Write("c", "set", {"rule": "x"}, evidence_ref=first[3], base_version=0)])
    assert d[0].reason != "PROVENANCE_DANGLING"  # an archived page still resolves


def test_resume_archives_the_earlier_conversation() -> None:
    store = open_store("memory://")
    vm = _vm(store)
    vm.add_page(P.bootstrap("agents", "- Always run the tests."))
    ids = _turns(vm, 0, 20)
    vm.session_end()
    lazy = VM(3000, store=store, retire_after=1)
    loaded = lazy.session_start("s")
    assert loaded == ["agents"] and set(ids) <= lazy.archived
    eager = VM(3000, store=store)
    assert set(ids) <= set(eager.session_start("s"))
    assert lazy.recall(ids[1]).texts == eager.recall(ids[1]).texts
    assert lazy.page(ids[1]).tokens == eager.page(ids[1]).tokens
    assert lazy.assemble([(ids[1], Rep.FULL)]).unmet == ()


def test_render_order_kept_up_to_date_equals_a_fresh_sort() -> None:
    import numpy as np

    vm = _vm(retire_after=1)
    ids = _turns(vm, 0, 12)
    for pid in ids[1:8:3]:
        vm.drop(pid)
    vm.compaction()
    _turns(vm, 12, 6)
    vm.archive(ids[0])
    vm.assemble([ids[0]])  # loaded back, in its own place
    r = vm._table.render
    live = np.fromiter(r._live, dtype=np.int64)
    assert r.order().tolist() == live[np.argsort(r._key[live], kind="stable")].tolist()

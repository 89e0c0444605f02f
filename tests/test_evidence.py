"""Tool results priced from one scan: the native renderer against its twin and the generic path.

``_render_core.evidence_texts`` makes the default evidence reps and prices them from the
result's per-line token units; ``_render_py.evidence_texts`` makes the same texts and counts
them whole. Both must agree exactly, with ``reps.evidence_bodies`` (the default generators)
and with what the VM would count through the generic path.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawvm import _render_py
from clawvm import pages as P
from clawvm._render import FAST_EVIDENCE, LAZY
from clawvm._schema import Rep
from clawvm.reps import LazyReps, evidence_bodies, find_paths, is_error_line
from clawvm.tokens import FastTokenizer, ScaledTokenizer
from clawvm.vm import VM

native = pytest.importorskip("clawvm._render_core", reason="native renderer not built")

PIECES = [
    "src/pkg/mod.py:12: ", "ERROR ", "Traceback (most recent call last):", "  File \"a.py\"",
    "failed", "Not Found", "PASSED [ 84%]", "../x/y.js", "a.b.c", "v1.2.", "...", "/", "-",
    "naïve café", "日本語のテキスト", "😀", "\t", "  ", "\r", "x" * 170, "word " * 40,
    "_",
    "README.md.", "C:\\dir\\file.txt", "https://example.org/a/b", "\u2028", "\x00",
]
lines = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=6
).map("".join)
results = st.lists(lines, max_size=40).map("\n".join) | st.lists(lines, max_size=20).map(
    lambda ls: "\n".join(ls) + "\n"
)


@settings(max_examples=300, deadline=None)
@given(
    results,
    st.sampled_from(["pytest", 'grep {"q": "x"}', "t " + "a" * 200, "run\nnewline"]),
    st.sampled_from([None, "0", "1", "-9"]),
    st.booleans(),
)
def test_native_evidence_texts_match_the_twin(
    result: str, call: str, exit: str | None, message: bool
) -> None:
    twin = _render_py.evidence_texts("ev-1", call, result, exit, message)
    assert native.evidence_texts("ev-1", call, result, exit, message) == twin
    lazy = native.evidence_texts("ev-1", call, result, exit, message, False)
    assert lazy == (None, (twin[1][0], None, None, None), twin[2])
    assert twin[0] == evidence_bodies("ev-1", call, result, exit)
    count = FastTokenizer().count
    assert twin[2] == tuple(count(t) for t in twin[1])


def test_default_evidence_reps_keep_tool_exit_paths_and_errors() -> None:
    out = "\n".join(
        [f"collecting src/pkg/mod{i}.py ... ok" for i in range(30)]
        + ["ERROR src/pkg/mod13.py:44: TypeError: unsupported operand   "]
        + [f"test_{i} passed" for i in range(30)]
    )
    full, compressed, structured, pointer = evidence_bodies("ev-1", "pytest -x", out, "1")
    assert full == f"$ pytest -x\n{out}\n[exit 1]"
    size = f"size: 61 lines, {len(out)} chars"
    assert structured.splitlines()[:3] == ["tool: pytest -x", "exit: 1", size]
    assert "paths: src/pkg/mod0.py, src/pkg/mod1.py" in structured and "(+22 more)" in structured
    assert structured.endswith("errors:\nERROR src/pkg/mod13.py:44: TypeError: unsupported operand")
    assert "… 48 lines omitted …" in compressed and "test_29 passed" in compressed
    assert "ERROR src/pkg/mod13.py:44" in compressed
    assert pointer == "[page:ev-1 evidence · pytest -x · 61 lines · exit 1]"


def test_paths_and_error_lines() -> None:
    text = "see ./a/b.py, lib/x. and notes.md; not.a.path 1.5 /"
    assert find_paths(text) == ["./a/b.py", "lib/x", "notes.md"]
    assert is_error_line("Permission DENIED") and not is_error_line("all good")


def test_long_lines_are_cut_after_a_word() -> None:
    line = "word " * 50
    body = evidence_bodies("e", "t", line, None)[1].splitlines()[1]
    assert body.endswith("word …") and len(body) <= 161


def _pair(tokenizer: object) -> VM:
    vm = VM(10**6, tokenizer=tokenizer)  # type: ignore[arg-type]
    vm.session_start("s")
    return vm


@pytest.mark.skipif(not FAST_EVIDENCE, reason="native renderer and estimator not built")
@pytest.mark.parametrize("role", ["context", "tool"])
def test_lazy_page_in_renders_and_costs_what_the_generic_path_does(role: str) -> None:
    fast = _pair(FastTokenizer())
    slow = _pair(ScaledTokenizer(FastTokenizer(), 1.0))  # same counts, generic path
    result = "\n".join(f"src/m{i}.py:{i}: error {i} " + "x" * (i * 9) for i in range(25))
    ids = []
    for vm in (fast, slow):
        if role == "context":
            page = vm.add_page(P.evidence("ev-1", result, tool="pytest", args={"k": 1}, exit=2))
            ids.append(page.id)
        else:
            args = json.dumps({"path": "src/" + "p" * 300})
            call = {"id": "call_1", "type": "function"}
            call["function"] = {"name": "read", "arguments": args}
            vm.post_model("", tool_calls=[call])
            ids.append(vm.tool_execute("read", args, lambda: result, call_id="call_1").page_id)
    pf, ps = fast.page(ids[0]), slow.page(ids[1])
    assert type(pf.reps) is LazyReps and not pf.reps.made
    assert pf.tokens == ps.tokens
    tf, ts = fast._table, slow._table
    sf, ss = tf.slot[pf.id], ts.slot[ps.id]
    assert any(tf.render.items[sf * 5 + r] is LAZY for r in (2, 3, 4))
    for rep in (Rep.POINTER, Rep.STRUCTURED, Rep.COMPRESSED, Rep.FULL):
        assert tf.render.item(sf, rep) == ts.render.item(ss, rep)
        assert tf.render.code[sf * 5 + rep] % 8 == ts.render.code[ss * 5 + rep] % 8
    assert dict(pf.reps) == dict(ps.reps)
    for vm, pid in zip((fast, slow), ids):
        vm.compaction()
        assert vm.assemble([pid]).openai() is not None
    assert fast.assemble([ids[0]]).openai() == slow.assemble([ids[1]]).openai()


@pytest.mark.skipif(not FAST_EVIDENCE, reason="native renderer and estimator not built")
def test_items_shown_are_made_then_shed_at_a_boundary() -> None:
    vm = VM(200)  # room for two of these pages at full
    vm.session_start("s")
    t = vm._table
    ids = []
    for i in range(4):
        page = vm.add_page(P.evidence(f"ev-{i}", f"line {i}\n" * 40, tool="cat"))
        slot = t.slot[page.id]
        assert t.render.items[slot * 5 + Rep.FULL] is LAZY
        vm.assemble([page.id])
        assert t.render.items[slot * 5 + Rep.FULL] is not LAZY  # made when shown
        ids.append(page.id)
    vm.compaction()
    shown = {pid: int(vm.engine.selection[t.slot[pid]]) for pid in ids}
    assert min(shown.values()) < Rep.FULL
    for pid, rep in shown.items():  # above what it shows, a page keeps no text
        slot = t.slot[pid]
        assert all(t.render.items[slot * 5 + r] is LAZY for r in range(rep + 1, 5))
    first = vm.assemble([ids[0]]).openai()
    assert any(m["content"].startswith("[page:ev-0]\n$ cat\nline 0") for m in first)

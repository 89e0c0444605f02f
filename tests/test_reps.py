"""Representation generators: every type's path, the invariants each rep carries, plug-ins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clawvm import pages as P
from clawvm import reps
from clawvm._schema import PageType, Rep
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.pages import Page, path_of
from clawvm.reps import DEFAULT_REGISTRY, Registry, parse_pointer, register_generator
from clawvm.tokens import FastTokenizer
from clawvm.vm import VM

LONG_LOG = "\n".join(
    [f"collecting src/pkg/mod{i}.py ... ok" for i in range(30)]
    + ["ERROR src/pkg/mod13.py:44: TypeError: unsupported operand"]
    + [f"test_{i} passed" for i in range(30)]
)


def every_type() -> list[Page]:
    return [
        P.bootstrap(
            "agents",
            "# Rules\nSome prose about the project.\n- Always run tests\n- Never push to main",
        ),
        P.constraint("c1", "Use only the standard library", why="offline installs"),
        P.plan("plan", "ship the release", ["tag", "build", "upload"], step=1),
        P.preference("pref", "indent", 4),
        P.evidence("ev-1", LONG_LOG, tool="pytest", args={"k": "mod"}, exit=1),
        P.segment(
            "seg-1", "Please also update the changelog.", speaker="user", turn=7, ts="t+00:07"
        ),
    ]


@pytest.mark.parametrize("page", every_type(), ids=lambda p: p.type.name.lower())
def test_generates_exactly_the_reps_on_the_path(page: Page) -> None:
    out = Registry().generate(page)
    assert tuple(out) == path_of(page.type)
    assert all(isinstance(t, str) and t for t in out.values())
    if Rep.POINTER in out:
        assert parse_pointer(out[Rep.POINTER]) == page.id
        assert "\n" not in out[Rep.POINTER]
    assert out == Registry().generate(page)  # deterministic


def test_lower_reps_cost_no_more_than_full_for_long_pages() -> None:
    tok = FastTokenizer()
    page = every_type()[4]
    out = Registry().generate(page)
    costs = [tok.count(out[r]) for r in path_of(page.type)]
    assert costs == sorted(costs) and costs[0] < 30


def test_structured_reps_carry_each_types_invariant() -> None:
    gen = {p.type: Registry().generate(p)[Rep.STRUCTURED] for p in every_type()}
    assert "Always run tests" in gen[PageType.BOOTSTRAP] and "prose" not in gen[PageType.BOOTSTRAP]
    assert gen[PageType.CONSTRAINT] == "constraint: Use only the standard library"
    assert gen[PageType.PLAN] == "goal: ship the release\nstep 2/3: build"
    assert gen[PageType.PREFERENCE] == "indent = 4"
    ev = gen[PageType.EVIDENCE]
    assert "tool: pytest" in ev and "exit: 1" in ev and "61 lines" in ev
    assert "src/pkg/mod13.py" in ev and "TypeError: unsupported operand" in ev
    seg = gen[PageType.SEGMENT]
    assert seg.startswith("span seg-1 · turn 7 · t+00:07 · user:")


def test_compressed_keeps_head_tail_and_error_lines() -> None:
    page = every_type()[4]
    out = Registry().generate(page)
    comp = out[Rep.COMPRESSED]
    assert "collecting src/pkg/mod0.py" in comp and "test_29 passed" in comp
    assert "ERROR src/pkg/mod13.py:44" in comp and "lines omitted" in comp
    assert len(comp) < len(out[Rep.FULL]) / 3


def test_plan_reps_follow_completion() -> None:
    done = P.plan("p", "goal", ["a", "b"], step=1, done=True)
    out = Registry().generate(done)
    assert out[Rep.STRUCTURED] == "goal: goal\nstatus: done"
    assert "[x] 2. b" in out[Rep.FULL] and "done" in out[Rep.POINTER]
    assert (done.floor, done.pin) == (Rep.POINTER, 1)


def test_registered_generator_replaces_one_rep() -> None:
    reg = Registry()
    reg.register("evidence", "compressed", lambda p: f"summary of {p.id}")
    page = every_type()[4]
    assert reg.generate(page)[Rep.COMPRESSED] == "summary of ev-1"
    assert reg.generate(page)[Rep.FULL] == Registry().generate(page)[Rep.FULL]
    reg.unregister(PageType.EVIDENCE, Rep.COMPRESSED)
    assert reg.generate(page) == Registry().generate(page)


def test_registry_rejects_bad_generators() -> None:
    reg = Registry()
    with pytest.raises(InvalidInputError):
        reg.register(PageType.CONSTRAINT, Rep.POINTER, lambda p: "x")  # off the path
    with pytest.raises(InvalidTypeError):
        reg.register(PageType.SEGMENT, Rep.FULL, "not callable")  # type: ignore[arg-type]
    reg.register(PageType.SEGMENT, Rep.POINTER, lambda p: "[page:someone-else]")
    with pytest.raises(InvalidInputError, match="pointer"):
        reg.generate(every_type()[5])
    reg.register(PageType.SEGMENT, Rep.POINTER, lambda p: 42)  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidTypeError, match="pointer"):
        reg.generate(every_type()[5])


@pytest.fixture
def global_summariser() -> Iterator[None]:
    register_generator("segment", "compressed", lambda p: f"gist: {p.content['text'][:10]}")
    yield
    DEFAULT_REGISTRY.unregister("segment", "compressed")


def test_register_generator_plugs_into_vms(global_summariser: None) -> None:
    vm = VM(1000)
    vm.session_start("s")
    page = vm.add_page(P.segment("s1", "a long user message about many things"))
    assert page.reps[Rep.COMPRESSED] == "gist: a long use"


def test_vm_pointer_resolves_to_its_page() -> None:
    vm = VM(4000)
    vm.session_start("s")
    for page in every_type():
        vm.add_page(page)
        if Rep.POINTER in page.reps:
            assert vm.resolve(page.reps[Rep.POINTER]) is page


def test_render_adds_a_header_except_to_pointers() -> None:
    page = every_type()[3]
    assert reps.render(page, Rep.FULL, "body") == "[page:pref]\nbody"
    assert reps.render(page, Rep.FULL, "body", message=True) == "body"  # reads as sent
    degraded = reps.render(page, Rep.STRUCTURED, "body", message=True)
    assert degraded.startswith("[page:pref structured · degraded") and parse_pointer(degraded)
    assert reps.render(page, Rep.POINTER, "[page:pref preference]") == "[page:pref preference]"


def test_parse_pointer() -> None:
    assert parse_pointer("see [page:ev-17 evidence · grep] and more") == "ev-17"
    assert parse_pointer("[page:a.b/c]") == "a.b/c"
    assert parse_pointer("no pointer [page: spaced]") is None


def test_pages_with_custom_reps_must_be_complete() -> None:
    with pytest.raises(InvalidInputError) as e:
        P.constraint("c", "rule", reps={Rep.FULL: "constraint: rule"})
    assert e.value.field == "reps[structured]"
    with pytest.raises(InvalidInputError) as e:
        P.constraint("c", "rule", reps={Rep.FULL: "x", Rep.STRUCTURED: "y", Rep.POINTER: "z"})
    assert e.value.field == "reps"
    with pytest.raises(InvalidInputError) as e:
        P.segment(
            "s",
            "t",
            reps={Rep.FULL: "a", Rep.COMPRESSED: "b", Rep.STRUCTURED: "c", Rep.POINTER: "d"},
        )
    assert e.value.field == "reps[pointer]"
    page = P.constraint("c", "rule", reps={Rep.FULL: "the full rule", Rep.STRUCTURED: "rule"})
    vm = VM(200)
    vm.session_start("s")
    vm.add_page(page)
    assert vm.assemble(["c"]).openai()[0]["content"] == "[page:c]\nthe full rule"

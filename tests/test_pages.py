"""Pages: type defaults (docs/design.md §2) and validation with typed errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from clawvm import pages as P
from clawvm._schema import TYPE_DEFAULTS, PageType, Pin, Rep
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.pages import Page


@pytest.mark.parametrize(
    "page, scope",
    [
        (P.bootstrap("b", "rules"), "project"),
        (P.constraint("c", "rule"), "session"),
        (P.plan("p", "goal", ["s"]), "session"),
        (P.preference("f", "k", "v"), "project"),
        (P.evidence("e", "out"), "session"),
        (P.segment("s", "hi"), "session"),
    ],
)
def test_constructors_apply_type_defaults(page: Page, scope: str) -> None:
    assert (page.floor, page.pin) == TYPE_DEFAULTS[page.type]
    assert page.scope == scope and page.version == 0 and page.reps == {}


def test_overrides_stick() -> None:
    page = P.evidence("e", "out", pin="hard", floor=Rep.STRUCTURED, scope="project", recompute=3)
    assert (page.pin, page.floor, page.scope, page.recompute) == (
        Pin.HARD,
        Rep.STRUCTURED,
        "project",
        3,
    )
    assert page.explicit_floor
    assert Page("x", "segment", {"span": "x", "speaker": "u", "text": "t"}).type is PageType.SEGMENT


@pytest.mark.parametrize(
    "make, field, error",
    [
        (lambda: P.constraint("has space", "r"), "id", InvalidInputError),
        (lambda: P.constraint(7, "r"), "id", InvalidTypeError),
        (lambda: P.constraint("c", "  "), "content.rule", InvalidInputError),
        (lambda: P.constraint("c", "r", scope="global"), "scope", InvalidInputError),
        (lambda: P.constraint("c", "r", floor=Rep.COMPRESSED), "floor", InvalidInputError),
        (lambda: P.constraint("c", "r", pin=7), "pin", InvalidInputError),
        (lambda: P.plan("p", "g", ["a"], step=3), "content.step", InvalidInputError),
        (lambda: P.plan("p", "g", [1]), "content.steps", InvalidTypeError),
        (lambda: P.evidence("e", object()), "content", InvalidTypeError),
        (lambda: P.evidence("e", "x", tool=""), "content.tool", InvalidInputError),
        (lambda: P.bootstrap("b", ""), "content", InvalidInputError),
        (lambda: P.segment("s", "t", base=float("nan")), "base", InvalidInputError),
        (lambda: P.segment("s", "t", recompute=-1), "recompute", InvalidInputError),
        (lambda: Page("x", "widget", "c"), "type", InvalidInputError),
        (
            lambda: Page("x", PageType.CONSTRAINT, {"why": "no rule"}),
            "content.rule",
            InvalidInputError,
        ),
        (lambda: Page("x", PageType.PREFERENCE, ("k", "v")), "content", InvalidTypeError),
    ],
)
def test_validation_names_the_field(make: Any, field: str, error: type) -> None:
    with pytest.raises(error) as e:
        make()
    assert e.value.field == field


def test_cost_reads_the_token_columns() -> None:
    page = P.segment("s", "t")
    page.tokens = (1, 2, 3, 4)
    assert [page.cost(r) for r in Rep] == [0, 1, 2, 3, 4]

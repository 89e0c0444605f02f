"""The token estimate's twins: native ``clawvm._text`` and ``clawvm._text_py`` agree exactly."""

from __future__ import annotations

import os
from types import ModuleType

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clawvm import _text_py
from clawvm.errors import InvalidTypeError

try:
    from clawvm import _text
except ImportError:  # pure-Python install
    _text = None

TWINS = {"reference": _text_py} | ({"native": _text} if _text is not None else {})

if os.environ.get("CLAWVM_REQUIRE_NATIVE") and _text is None:
    raise ImportError("CLAWVM_REQUIRE_NATIVE is set but clawvm._text is not built")


@pytest.fixture(params=sorted(TWINS), scope="module")
def text_mod(request: pytest.FixtureRequest) -> ModuleType:
    """Each estimator implementation in turn."""
    return TWINS[request.param]


def native() -> ModuleType:
    if _text is None:
        pytest.skip("native estimator not built (CLAWVM_PURE_PYTHON install)")
    return _text


# Strings that exercise every branch: contractions, CamelCase and all-caps runs, prefixes,
# CRLF and tabs, blank lines, digits of every script, CJK, kana, Hangul, marks, titlecase,
# astral characters, lone surrogates and the three internal string widths.
EDGES = [
    "",
    "\n",
    "\n\n\n",
    "a",
    "I'm sure they'll say it's 'quoted' — don't",
    "HTTPServer parseJSON getHTTPResponseCode XMLHttpRequest iOS",
    "  indented\n\tTabbed\r\nCRLF line\r\n  \n",
    "x = foo(bar[1], {'k': \"v\"})  # comment\n",
    "....................................... [ 42%]\n",
    "$ grep -rn 'TODO' src/ | head -3\nsrc/a.py:12:    # TODO: fix",
    "12345678 3.14159 ²³ Ⅻ ٣٤٥ ５６",
    "日本語のテキスト、カタカナ。한국어 텍스트 中文文本，标点。",
    "ǅemal Ǆ ǈ naïve café résumé Ελληνικά кириллица",
    "e\u0301 a\u0300 \u0915\u094d\u0937",
    "🙂 emoji 👍🏽 and 𠀀𪚥 astral",
    "\ud800 lone \udfff surrogates",
    "'s 't 're ' 'S 'T 'RE 'Ll x'",
    "a'\nb'r\ne\n",
    "\x00\x1f\x7f\x85\u2028\u3000 controls",
    "é" * 40 + "\n" + "x" * 300,
    "word " * 50,
]


@pytest.mark.parametrize("text", EDGES)
def test_twins_agree_on_edge_cases(text: str) -> None:
    nat = native()
    assert nat.units(text) == _text_py.units(text)
    assert nat.line_units(text) == _text_py.line_units(text)
    assert nat.count(text) == _text_py.count(text)


@settings(max_examples=400, deadline=None)
@given(st.text())
@example("HTTPServer's\r\n  x")
def test_twins_agree_on_arbitrary_text(text: str) -> None:
    nat = native()
    assert nat.units(text) == _text_py.units(text)
    assert nat.line_units(text) == _text_py.line_units(text)


_LINES = st.lists(
    st.text(st.characters(blacklist_characters="\n"), max_size=40), min_size=1, max_size=6
)


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_estimate_is_line_additive(text_mod: ModuleType, lines: list[str]) -> None:
    text = "\n".join(lines)
    per_line = text_mod.line_units(text)
    assert sum(per_line) == text_mod.units(text)
    # each line costs what it costs alone, with its newline; the last has none
    alone = [text_mod.units(ln + "\n") for ln in lines[:-1]] + [text_mod.units(lines[-1])]
    assert per_line == (alone if lines[-1] else alone[:-1])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(-100, 100), st.integers(-100, 100))
def test_units_range_is_units_of_the_slice(text_mod: ModuleType, text: str, a: int, b: int) -> None:
    assert text_mod.units_range(text, a, b) == text_mod.units(text[a:b])


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_count_rounds_units_up_and_is_positive(text_mod: ModuleType, text: str) -> None:
    units = text_mod.units(text)
    assert units > 0
    assert text_mod.count(text) == -(-units // text_mod.SCALE) >= 1


def test_empty_text_costs_nothing(text_mod: ModuleType) -> None:
    assert text_mod.count("") == text_mod.units("") == 0
    assert text_mod.line_units("") == []


@pytest.mark.parametrize("bad", [b"bytes", None, 12, ["a"]])
def test_non_text_is_a_typed_error(text_mod: ModuleType, bad: object) -> None:
    for fn in (text_mod.count, text_mod.units, text_mod.line_units):
        with pytest.raises(InvalidTypeError, match="text"):
            fn(bad)
    with pytest.raises(InvalidTypeError):
        text_mod.units_range(bad, 0, 1)


def test_common_words_cost_less_than_rare_strings_of_the_same_length(text_mod: ModuleType) -> None:
    # the tables, not just the twins: a known word is about one token, a random one is not
    one = text_mod.SCALE
    assert one <= text_mod.units(" information") < 1.1 * one
    assert text_mod.units(" xqzvkwpjhg") > 3 * one
    assert text_mod.units("日本語のテキスト") > 4 * one


def test_three_string_widths_give_the_same_cost_for_the_same_ascii_part(
    text_mod: ModuleType,
) -> None:
    # a wide character elsewhere in the string changes its internal width, not line costs
    lines = ["def f(x):", "    return x  # done"]
    narrow = "\n".join(lines) + "\n"
    for wide in ("é", "日", "𠀀"):
        per = text_mod.line_units(narrow + wide)
        assert per[:2] == text_mod.line_units(narrow)

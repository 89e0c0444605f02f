"""The bounded JSON reader under traces and transcripts: limits, positions, agreement with
``json`` on what both accept."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawvm.replay import reader
from clawvm.replay.reader import MAX_DEPTH, MAX_INT, InputLineError, JSONInputError, loads

REFUSED = [
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"nested deeper than {MAX_DEPTH}", 1,
     MAX_DEPTH + 1),
    ("[" * 100_000, f"nested deeper than {MAX_DEPTH}", 1, MAX_DEPTH + 1),
    ('{"a":\n  [1, ' + "9" * 5000 + "]}", "integer outside the 64-bit range", 2, 7),
    (str(MAX_INT + 1), "integer outside the 64-bit range", 1, 1),
    (str(-MAX_INT - 2), "integer outside the 64-bit range", 1, 1),
    ('{"x": 1e400}', "too large for a float", 1, 7),
    ("[1, NaN]", "NaN and Infinity", 1, 5),
    ('{"v": -Infinity}', "NaN and Infinity", 1, 7),
    ('["ok", "\\udc80"]', "lone surrogate", 1, 8),
    ('{"k": "a\\ud83d"}', "lone surrogate", 1, 7),
    ('{"k": "\\ude00b"}', "lone surrogate", 1, 7),
    ('{"k\\udc80": 1}', "lone surrogate", 1, 2),
    ('{"k": 1,\n "k": 2}', "duplicate key 'k'", 2, 2),
    ('{"a": {"b": 1, "b": 1}}', "duplicate key 'b'", 1, 16),
    ('{"a": 1', "not valid JSON", 1, 8),
    ('{"a": 1} {"b": 2}', "not valid JSON (extra data", 1, 10),
    ('["tab\there"]', "not valid JSON", 1, 2),
    ("", "not valid JSON", 1, 1),
]


@pytest.mark.parametrize(("text", "problem", "line", "column"), REFUSED)
def test_refused_with_the_problem_and_its_position(text: str, problem: str, line: int,
                                                   column: int) -> None:
    with pytest.raises(JSONInputError) as info:
        loads(text)
    assert problem in info.value.problem
    assert (info.value.lineno, info.value.colno) == (line, column)
    assert str(info.value).endswith(f"at column {column}")


@pytest.mark.parametrize("text", [
    "[" * MAX_DEPTH + "]" * MAX_DEPTH,
    str(MAX_INT), str(-MAX_INT - 1), "1.7976931348623157e308", "1e-400",
    '"\\ud83d\\ude00"',  # a surrogate pair is one character
    '"\\\\udc80"',  # an escaped backslash, then text
    '{"k": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}',
    '{"a": 1, "b": {"a": 1}}',  # the same key in two objects
    ' \t\n {"a": [true, false, null]} \n',
])
def test_accepted_as_json_reads_it(text: str) -> None:
    assert loads(text) == json.loads(text)


def test_a_lower_depth_limit() -> None:
    text = "[" * 10 + "]" * 10
    assert loads(text, max_depth=10) == json.loads(text)
    with pytest.raises(JSONInputError, match="deeper than 9"):
        loads(text, max_depth=9)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_INT - 1, MAX_INT)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_json, st.booleans(), st.sampled_from([None, 0, 2]))
def test_every_value_within_the_limits_round_trips(value: Any, ascii_only: bool,
                                                   indent: int | None) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    assert json.dumps(loads(text)) == json.dumps(value)


_CHARS = list('[]{}:,"\\ \n0123456789-+.eEtrufalsnNIiy') + ["\ud800"]
_noise = st.text(alphabet=st.sampled_from(_CHARS), max_size=60)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_noise, _json.map(json.dumps).flatmap(
    lambda t: st.tuples(st.just(t), st.integers(0, len(t)), _noise).map(
        lambda x: x[0][: x[1]] + x[2] + x[0][x[1]:]))))
def test_any_text_is_read_as_json_reads_it_or_refused_with_a_position(text: str) -> None:
    try:
        value = loads(text)
    except JSONInputError as exc:
        assert 0 <= exc.pos <= len(text)
        return
    assert json.dumps(value) == json.dumps(json.loads(text))


@settings(max_examples=1000, deadline=None)
@given(_noise)
def test_the_scanner_is_at_least_as_strict_as_json(text: str) -> None:
    """The slow path refuses whatever ``json`` refuses, so an error never goes unlocated."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        with pytest.raises(JSONInputError):
            reader._scan(text, MAX_DEPTH)


def test_integers_and_floats_at_the_edges() -> None:
    assert loads(f"[{MAX_INT}, {-MAX_INT - 1}, 0, -0]") == [MAX_INT, -MAX_INT - 1, 0, 0]
    assert math.copysign(1, loads("-0.0")) == -1


# ---------------------------------------------------------------------- lines and documents


def test_lines_are_bounded_and_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 10)
    ok = b"\xef\xbb\xbf0123456\n" + b"0123456789\n" + b"caf\xc3\xa9\n"
    assert list(reader.read_lines(io.BytesIO(ok))) == [(1, "0123456\n"), (2, "0123456789\n"),
                                                     (3, "caf\u00e9\n")]
    with pytest.raises(InputLineError) as info:
        list(reader.read_lines(io.BytesIO(b"short\n" + b"x" * 11 + b"\n")))
    assert info.value.line == 2 and "longer than 10 bytes" in info.value.problem
    with pytest.raises(InputLineError) as info:
        list(reader.read_lines(io.BytesIO(b"ok\nab\xffc\n")))
    assert info.value.line == 2 and info.value.problem == "not UTF-8 text (byte 0xff at column 3)"


def test_documents_are_bounded_and_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    assert reader.read_document(io.BytesIO(b'\xef\xbb\xbf["caf\xc3\xa9"]')) == '["caf\u00e9"]'
    with pytest.raises(InputLineError) as info:
        reader.read_document(io.BytesIO(b'[\n  "a",\n  "\xe9"\n]'))
    assert info.value.line == 3 and "byte 0xe9 at column 4" in info.value.problem
    monkeypatch.setattr(reader, "MAX_DOCUMENT_BYTES", 8)
    with pytest.raises(InputLineError, match="longer than 8 bytes"):
        reader.read_document(io.BytesIO(b"[1,\n2,\n3,\n4]"))


@pytest.mark.parametrize("indent", [None, 0, 2, "\t"])
@pytest.mark.parametrize("wrapped", [False, True])
def test_item_lines_are_where_each_message_starts(indent: Any, wrapped: bool) -> None:
    messages = [{"role": "user", "content": "a\nb"}, {"role": "assistant", "content": ["x", "]"]},
                "odd", [1, [2]], {"role": "tool", "messages": [1, 2, 3]}]
    doc: Any = messages
    if wrapped:
        doc = {"id": "c", "meta": {"messages": "no"}, "messages": messages, "z": [1]}
    text = json.dumps(doc, indent=indent)
    lines = reader.item_lines(text, "messages")
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        start = text.splitlines()[line - 1].lstrip(" \t")
        if indent is not None:  # one element starts each line; without indent all are on line 1
            assert start.startswith(json.dumps(message, indent=indent).splitlines()[0])
        else:
            assert line == 1

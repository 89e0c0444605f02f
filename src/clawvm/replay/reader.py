"""Bounded JSON reading for untrusted traces and transcripts.

``json.loads`` recurses once per nesting level (a deep enough line is a ``RecursionError``),
stops at 4,300-digit integers with a bare ``ValueError``, and accepts ``NaN``, ``Infinity``,
lone surrogate escapes (``"\\udc80"``, which no UTF-8 encoder takes later) and duplicate
keys (the last one silently wins). Every text read here is held to these limits instead,
and a text that breaks one raises ``JSONInputError`` with the offset of the first problem:

* at most ``MAX_DEPTH`` nested arrays and objects, checked before ``json`` could recurse;
* integers in the signed 64-bit range, finite floats, no ``NaN``/``Infinity``;
* strings without lone surrogates, objects without duplicate keys;
* a JSONL line at most ``MAX_LINE_BYTES`` long, a JSON document at most
  ``MAX_DOCUMENT_BYTES``; input is UTF-8 (a leading byte-order mark is dropped).

Valid input takes the fast path: cheap checks (bracket counts, then the nesting depth
computed with numpy; surrogate escapes) and the C decoder with checking hooks. A text that
fails a check or the decoder goes through the iterative scanner, which finds where the
first problem is.
"""

from __future__ import annotations

import errno
import io
import json
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeGuard

import numpy as np

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_INT",
    "MAX_LINE_BYTES",
    "InputLineError",
    "JSONInputError",
    "is_stream",
    "item_lines",
    "loads",
    "opened",
    "read_document",
    "read_lines",
    "refuse_directory",
    "show",
]

MAX_DEPTH = 64
MAX_INT = 2**63 - 1  # and MIN is -2**63: what a store column, numpy and the engine hold
MAX_LINE_BYTES = 1 << 24  # 16 MiB: a Claude Code line can carry a screenshot as base64
MAX_DOCUMENT_BYTES = 1 << 26  # 64 MiB for a whole JSON document


class JSONInputError(ValueError):
    """``problem`` at character offset ``pos`` of ``text``; ``lineno``/``colno`` are 1-based."""

    def __init__(self, problem: str, text: str, pos: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.pos = pos
        self.lineno = text.count("\n", 0, pos) + 1
        self.colno = pos - text.rfind("\n", 0, pos)

    def __str__(self) -> str:
        return f"{self.problem} at column {self.colno}"


class _Limit(ValueError):
    """Raised by a decoder hook; the scanner then finds where."""


def _int(text: str) -> int:
    if len(text) > 20:  # before int(): past 4,300 digits int() itself refuses
        raise _Limit(text)
    value = int(text)
    if not -MAX_INT - 1 <= value <= MAX_INT:
        raise _Limit(text)
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Limit(text)
    return value


def _constant(text: str) -> Any:
    raise _Limit(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Limit("duplicate key")
    return obj


_DECODER = json.JSONDecoder(
    parse_int=_int, parse_float=_float, parse_constant=_constant, object_pairs_hook=_object
)
_STRING = r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'
_STRINGS = re.compile(_STRING)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# Surrogate escapes: a pair (12 characters) is one character, a single one is a lone surrogate.
_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WS = re.compile(r"[ \t\n\r]*")
_TOKEN = re.compile(
    rf"(?P<s>{_STRING})"
    r"|(?P<n>-?(?:0|[1-9][0-9]*)(?P<f>(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?))"
    r"|(?P<l>true|false|null)"
    r"|(?P<p>[\[\]{}:,])"
)


def _max_depth(text: str) -> int:
    """Nesting depth of a JSON text, strings skipped; exact for valid JSON."""
    brackets = _NOT_BRACKET.sub("", _STRINGS.sub("", text)).encode("ascii")
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max()) if len(steps) else 0


def loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` held to this module's limits; ``JSONInputError`` names the offset.

    ``max_depth`` lowers the nesting limit for a value that will be nested further.
    """
    if _suspect(text, max_depth):
        _scan(text, max_depth)  # raises at the problem, or finds the suspicion unfounded
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        _scan(text, max_depth)  # the scanner's view of the problem, else the decoder's
        raise JSONInputError(f"not valid JSON ({exc.msg})", text, exc.pos) from None
    except (_Limit, RecursionError):
        _scan(text, max_depth)
        raise JSONInputError("not valid JSON", text, 0) from None


def _suspect(text: str, max_depth: int) -> bool:
    """Cheap checks: might ``text`` nest too deep or hold a lone surrogate?"""
    if text.count("[") + text.count("{") > max_depth and _max_depth(text) > max_depth:
        return True
    if "\\u" in text and any(len(m.group()) == 6 for m in _SURROGATE_ESCAPE.finditer(text)):
        return True  # an escaped backslash before "u" also lands here; the scanner knows
    if not text.isascii():
        try:
            text.encode("utf-8")  # a raw surrogate (a str built in memory) does not encode
        except UnicodeEncodeError:
            return True
    return False


def _scan(text: str, max_depth: int) -> None:
    """Walk ``text`` token by token, iteratively; raise ``JSONInputError`` at the first problem."""
    stack: list[set[str] | None] = []  # per open container: its keys (object) or None (array)
    expect = "value"  # value | first-value | key | first-key | colon | next | end
    pos, end = 0, len(text)
    while True:
        pos = _skip(text, pos)
        if pos == end:
            if expect == "end":
                return
            raise JSONInputError("not valid JSON (unexpected end)", text, pos)
        if expect == "end":
            raise JSONInputError("not valid JSON (extra data after the value)", text, pos)
        m = _TOKEN.match(text, pos)
        if m is None:
            if re.match(r"-?(NaN|Infinity)", text[pos : pos + 9]):
                raise JSONInputError("NaN and Infinity are not allowed", text, pos)
            if text[pos] == '"':
                problem = "an unterminated string, a bad escape or a control character in it"
                raise JSONInputError(f"not valid JSON ({problem})", text, pos)
            raise JSONInputError(f"not valid JSON (unexpected {text[pos]!r})", text, pos)
        kind, tok = m.lastgroup, m.group()
        if expect in ("key", "first-key"):
            if tok == "}" and expect == "first-key":
                expect = _close(stack)
            elif kind == "s":
                key = _string(tok, text, pos)
                keys = stack[-1]
                assert keys is not None
                if key in keys:
                    raise JSONInputError(f"duplicate key {key[:40]!r}", text, pos)
                keys.add(key)
                expect = "colon"
            else:
                raise JSONInputError("not valid JSON (expected a string key)", text, pos)
        elif expect == "colon":
            if tok != ":":
                raise JSONInputError("not valid JSON (expected ':')", text, pos)
            expect = "value"
        elif expect == "next":
            closer = "]" if stack[-1] is None else "}"
            if tok == ",":
                expect = "value" if stack[-1] is None else "key"
            elif tok == closer:
                expect = _close(stack)
            else:
                raise JSONInputError(f"not valid JSON (expected ',' or {closer!r})", text, pos)
        elif tok == "]" and expect == "first-value":
            expect = _close(stack)
        elif tok in ("[", "{"):
            if len(stack) >= max_depth:
                raise JSONInputError(f"nested deeper than {max_depth} levels", text, pos)
            stack.append(None if tok == "[" else set())
            expect = "first-value" if tok == "[" else "first-key"
        elif kind == "p":
            raise JSONInputError(f"not valid JSON (expected a value, got {tok!r})", text, pos)
        else:
            if kind == "s":
                _string(tok, text, pos)
            elif kind == "n":
                _number(tok, m.group("f"), text, pos)
            expect = "next" if stack else "end"
        pos = m.end()


def _close(stack: list[set[str] | None]) -> str:
    stack.pop()
    return "next" if stack else "end"


def _string(token: str, text: str, pos: int) -> str:
    value: str = json.loads(token)
    if _SURROGATE.search(value):
        raise JSONInputError("a lone surrogate in a string (not encodable as UTF-8)", text, pos)
    return value


def _number(token: str, fraction: str, text: str, pos: int) -> None:
    if fraction:
        if not math.isfinite(float(token)):
            raise JSONInputError("a number too large for a float", text, pos)
    elif len(token.lstrip("-")) > 19 or not -MAX_INT - 1 <= int(token) <= MAX_INT:
        raise JSONInputError("an integer outside the 64-bit range", text, pos)


# ---------------------------------------------------------------------- files and streams


class InputLineError(ValueError):
    """A line (1-based) that could not be read as text: bad UTF-8 or too long."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def read_lines(stream: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) for each ``\\n``-terminated line of a binary stream.

    Each line is read with a bound, so one endless line does not fill memory;
    ``InputLineError`` names a line longer than ``MAX_LINE_BYTES`` or not UTF-8.
    """
    n = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        n += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputLineError(n, f"line longer than {MAX_LINE_BYTES} bytes")
        yield n, _decode(raw, n == 1, n)


def read_document(stream: IO[bytes]) -> str:
    """The whole stream as text; ``InputLineError`` past ``MAX_DOCUMENT_BYTES`` or if not UTF-8."""
    raw = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        line = raw.count(b"\n", 0, MAX_DOCUMENT_BYTES) + 1
        raise InputLineError(line, f"document longer than {MAX_DOCUMENT_BYTES} bytes")
    return _decode(raw, True, None)


def _decode(raw: bytes, first: bool, line: int | None) -> str:
    """UTF-8 text (a leading byte-order mark dropped on the first line); ``line`` None: count."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start
        where = line if line is not None else raw.count(b"\n", 0, at) + 1
        column = at - raw.rfind(b"\n", 0, at)
        problem = f"not UTF-8 text (byte 0x{raw[at]:02x} at column {column})"
        raise InputLineError(where, problem) from None
    return text[1:] if first and text.startswith("\ufeff") else text


def is_stream(source: object) -> TypeGuard[IO[bytes]]:
    """Is ``source`` an open binary stream (a file opened "rb", ``sys.stdin.buffer``, BytesIO)?"""
    return isinstance(source, (io.RawIOBase, io.BufferedIOBase))


@contextmanager
def opened(
    source: str | os.PathLike[str] | IO[bytes], name: str | None = None
) -> Iterator[tuple[IO[bytes], str]]:
    """A binary stream for a path (opened and closed here) or an open binary stream, with
    the name errors give it (``name``, else the path, else the stream's own name)."""
    if isinstance(source, (str, os.PathLike)):
        refuse_directory(source)
        with open(source, "rb") as fh:
            yield fh, name or os.fsdecode(source)
    else:
        own = getattr(source, "name", None)
        yield source, name or (own if isinstance(own, str) else "<stream>")


def refuse_directory(path: str | os.PathLike[str]) -> None:
    """``IsADirectoryError`` for a directory, on every platform (Windows says "permission
    denied" when one is opened)."""
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fsdecode(path))


def item_lines(text: str, key: str) -> list[int]:
    """The 1-based line where each element of the top-level array starts, or of the array
    under ``key`` when the top level is an object. ``text`` has passed ``loads``."""
    i = _skip(text, 0)
    if text[i] == "{":
        i = _skip(text, i + 1)
        while text[i] == '"':
            name, i = _DECODER.raw_decode(text, i)
            i = _skip(text, _skip(text, i) + 1)  # past the colon
            if name == key and text[i] == "[":
                break
            i = _skip(text, _DECODER.raw_decode(text, i)[1])
            i = _skip(text, i + 1) if text[i] == "," else i
        else:
            return []
    if text[i] != "[":
        return []
    starts: list[int] = []
    i = _skip(text, i + 1)
    while text[i] != "]":
        starts.append(i)
        i = _skip(text, _DECODER.raw_decode(text, i)[1])
        i = _skip(text, i + 1) if text[i] == "," else i
    lines, line, last = [], 1, 0
    for start in starts:
        line += text.count("\n", last, start)
        lines.append(line)
        last = start
    return lines


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string


def show(value: Any, width: int = 60) -> str:
    """``repr(value)`` cut to ``width`` characters, for error messages about hostile input."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."

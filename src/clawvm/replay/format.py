"""The session trace format, version 1: one JSON object per line (JSONL).

A trace is what a session *did*, stripped to what residency and durability depend on:
pages with their token cost per representation, per-turn demands, tool calls, writes,
recalls, persistence requests and lifecycle boundaries. ``clawvm replay`` runs it under
any policy; ``clawvm convert`` produces it from real transcripts.

Line 1 is the header ``{"clawvm_trace": 1, "session": "<id>", "source": "<free text>"}``.
Every later line is an event with an ``"op"``:

``page``          ``id``, ``type`` (bootstrap|constraint|plan|preference|evidence|segment),
                  ``tokens`` [pointer, structured, compressed, full] (0 where the type's
                  path has no such rep); optional ``utility`` (0), ``recompute`` (0),
                  ``pin`` (none|soft|hard) and ``floor`` (a rep name) defaulting to the
                  type's, ``scope`` (session|project), ``tool`` {"name", "args"} for
                  evidence (its provenance and signature).
``turn``          ``demands``: list of {"page": id, "rep": rep name} (or [id, rep] pairs).
``tool``          ``name``, ``args``: a tool call. If an earlier evidence page has the same
                  signature the call is a repeat: a demand for that page that re-issues
                  the tool (a duplicate-signature alert when it is resident, else a
                  duplicate-tool fault); otherwise it only records the call.
``write``         ``page``, optional ``value``: the page changed; it is dirty until a
                  writeback commits it.
``recall``        ``page`` or ``query``, ``status`` (ok|no_match|denied|backend_error):
                  what the backend answered. Without typed recall a non-ok answer reaches
                  the model as an empty result: a silent-recall fault.
``persist``       ``key``, ``update`` (append|merge|set), ``value``, ``scope``,
                  ``principal``; optional ``base_version``, ``evidence_ref``, ``type``:
                  a durable write request judged by the journal.
``drop``          ``page``: the page leaves the session (superseded, deleted).
``compaction``    optional ``threshold_jump`` (bool): one large result pushed the context
                  past the compaction threshold in a single step.
``reset``, ``session_start`` (``session``), ``session_end``: lifecycle boundaries; at a
                  session end every session-scoped page leaves with its session.

Unknown fields are ignored (forward compatible); unknown ops, missing fields, wrong types
and references to pages not (or no longer) defined are errors naming the line. Page ids and
persist keys are what the VM takes: one word of ``[A-Za-z0-9._:/@+#=-]``, at most 128
characters, starting with a letter or digit; token costs are at most 2**31 - 1; the header's
``session`` is a string (empty or absent: ``"session"``); a ``persist`` ``principal`` and a
tool ``name`` are non-blank strings. Every line is held to the limits of
``clawvm.replay.reader``: nesting, 64-bit integers, finite numbers, no lone surrogates or
duplicate keys, 16 MiB a line.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from clawvm._schema import MAX_TOKENS, PATH_MASK, TYPE_DEFAULTS, PageType, Pin, Rep
from clawvm.errors import ClawVMError
from clawvm.pages import ID_PATTERN
from clawvm.replay import reader
from clawvm.replay.reader import show

VERSION = 1
OPS = (
    "page", "turn", "tool", "write", "recall", "persist", "drop",
    "compaction", "reset", "session_start", "session_end",
)
REPS = {r.name.lower(): r for r in Rep if r != Rep.NONE}
TYPES = {t.name.lower(): t for t in PageType}
PINS = {p.name.lower(): p for p in Pin}
RECALL_STATUS = ("ok", "no_match", "denied", "backend_error")
SCOPES = ("session", "project")
UPDATES = ("append", "merge", "set")


class TraceError(ClawVMError, ValueError):
    """A trace line that cannot be replayed; ``line`` is 1-based."""

    def __init__(self, line: int, problem: str, source: str = "trace") -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"{source}:{line}: {problem}")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page as the replay needs it."""

    id: str
    type: PageType
    tokens: tuple[int, int, int, int]
    utility: float = 0.0
    recompute: float = 0.0
    pin: Pin = Pin.NONE
    floor: Rep = Rep.NONE
    scope: str = "session"
    tool: tuple[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One validated trace event; ``args`` holds the op's fields, normalised."""

    line: int
    op: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Trace:
    header: dict[str, Any]
    events: tuple[Event, ...]

    @property
    def session(self) -> str:
        return str(self.header.get("session") or "session")


def _id(obj: dict[str, Any], key: str, line: int, what: str) -> str:
    """A page id or persist key: what the VM accepts as one."""
    value = _need(obj, key, str, line, what)
    if not ID_PATTERN.fullmatch(value):
        raise TraceError(line, f"{what}: {key!r} must be one word of [A-Za-z0-9._:/@+#=-], "
                               f"at most 128 characters; got {show(value)}")
    return value


def _text(obj: dict[str, Any], key: str, line: int, what: str) -> str:
    """A non-blank string field."""
    value = _need(obj, key, str, line, what)
    if not value.strip():
        raise TraceError(line, f"{what}: {key!r} must not be blank")
    return value


def _need(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], line: int,
          what: str) -> Any:
    if key not in obj:
        raise TraceError(line, f"{what} needs field {key!r}")
    value = obj[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise TraceError(line, f"{what}: {key!r} must be {_kind_name(kind)}, got a boolean")
    if not isinstance(value, kind):
        raise TraceError(line, f"{what}: {key!r} must be {_kind_name(kind)}, "
                               f"got {type(value).__name__}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {"str": "a string", "int": "an integer", "float": "a number", "list": "a list",
             "dict": "an object", "bool": "a boolean"}
    return " or ".join(names.get(k.__name__, k.__name__) for k in kinds)


def _choice(value: Any, table: dict[str, Any] | tuple[str, ...], line: int, what: str) -> Any:
    if not isinstance(value, str) or value not in table:
        options = ", ".join(table)
        raise TraceError(line, f"{what} must be one of {options}; got {show(value)}")
    return table[value] if isinstance(table, dict) else value


def _number(obj: dict[str, Any], key: str, default: float, line: int, what: str) -> float:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TraceError(line, f"{what}: {key!r} must be a finite number, got {show(value)}")
    return float(value)


def _page(obj: dict[str, Any], line: int) -> PageSpec:
    pid = _id(obj, "id", line, "page")
    what = f"page {pid!r}"
    ptype = _choice(obj.get("type"), TYPES, line, f"{what}: type")
    tokens = _need(obj, "tokens", list, line, what)
    if len(tokens) != 4 or any(
        isinstance(t, bool) or not isinstance(t, int) or not 0 <= t <= MAX_TOKENS for t in tokens
    ):
        raise TraceError(line, f"{what}: tokens must be 4 integers in [0, {MAX_TOKENS}] "
                               "(pointer, structured, compressed, full)")
    mask = PATH_MASK[ptype]
    last = 0
    for rep in range(1, 5):
        cost = tokens[rep - 1]
        name = Rep(rep).name.lower()
        if not mask >> rep & 1:
            if cost:
                raise TraceError(line, f"{what}: a {ptype.name.lower()} has no {name} rep; "
                                       "its cost must be 0")
            continue
        if cost < last:
            raise TraceError(line, f"{what}: {name} costs {cost}, "
                                   f"less than a lower rep ({last})")
        last = cost
    floor_default, pin_default = TYPE_DEFAULTS[ptype]
    pin = _choice(obj.get("pin", pin_default.name.lower()), PINS, line, f"{what}: pin")
    floor_name = obj.get("floor", floor_default.name.lower())
    floor = Rep.NONE if floor_name == "none" else _choice(floor_name, REPS, line, f"{what}: floor")
    if floor and not mask >> floor & 1:
        raise TraceError(line, f"{what}: floor {floor_name} is not on the "
                               f"{ptype.name.lower()} path")
    scope = _choice(obj.get("scope", "session"), SCOPES, line, f"{what}: scope")
    tool = obj.get("tool")
    if tool is not None:
        if not isinstance(tool, dict):
            raise TraceError(line, f"{what}: tool must be an object with a string 'name'")
        tool = (_text(tool, "name", line, f"{what}: tool"), tool.get("args", {}))
    return PageSpec(
        id=pid, type=ptype, tokens=tuple(tokens), utility=_number(obj, "utility", 0.0, line, what),
        recompute=max(0.0, _number(obj, "recompute", 0.0, line, what)),
        pin=pin, floor=floor, scope=scope, tool=tool,
    )


def _demands(obj: dict[str, Any], line: int, live: dict[str, str]) -> list[tuple[str, Rep]]:
    raw = _need(obj, "demands", list, line, "turn")
    out = []
    for item in raw:
        if isinstance(item, list) and len(item) == 2:
            pid, rep = item
        elif isinstance(item, dict):
            pid, rep = item.get("page"), item.get("rep", "full")
        else:
            raise TraceError(line, "turn: a demand must be {'page', 'rep'} or [page, rep], "
                                   f"got {show(item)}")
        if not isinstance(pid, str):
            raise TraceError(line, f"turn: demand page must be a string, got {show(pid)}")
        if pid not in live:
            raise TraceError(line, f"turn: demand for unknown page {show(pid)}")
        out.append((pid, _choice(rep, REPS, line, f"turn: demand rep for {show(pid)}")))
    return out


def parse_lines(lines: Iterable[str], source: str = "trace") -> Trace:
    """Validate a trace given as lines of text; raises ``TraceError`` naming the first bad line."""
    return _parse(enumerate(lines, start=1), source)


def _parse(numbered: Iterable[tuple[int, str]], source: str) -> Trace:
    header: dict[str, Any] | None = None
    events: list[Event] = []
    live: dict[str, str] = {}  # page id -> scope
    n = 0
    try:
        for n, text in numbered:
            if not text.strip():
                continue
            obj = json_line(text, n)
            if header is None:
                header = _header(obj, n)
                continue
            events.append(_event(obj, n, live))
    except TraceError as exc:
        raise TraceError(exc.line, exc.problem, source) from None
    if header is None:
        raise TraceError(max(n, 1), "empty trace: no header line", source)
    return Trace(header=header, events=tuple(events))


def json_line(text: str, n: int) -> dict[str, Any]:
    """One JSONL line as an object, held to the reader's limits; ``TraceError`` at line ``n``."""
    if len(text) > reader.MAX_LINE_BYTES:
        raise TraceError(n, f"line longer than {reader.MAX_LINE_BYTES} characters")
    try:
        obj = reader.loads(text)
    except reader.JSONInputError as exc:
        raise TraceError(n, str(exc)) from None
    if not isinstance(obj, dict):
        raise TraceError(n, f"expected a JSON object, got {type(obj).__name__}")
    return obj


def _header(obj: dict[str, Any], n: int) -> dict[str, Any]:
    version = obj.get("clawvm_trace")
    if type(version) is not int or version != VERSION:
        raise TraceError(n, f'the first line must be a header {{"clawvm_trace": {VERSION}, ...}}; '
                            f"got clawvm_trace={show(version)}")
    if "session" in obj:
        _need(obj, "session", str, n, "header")
    return obj


def _event(obj: dict[str, Any], n: int, live: dict[str, str]) -> Event:
    op = obj.get("op")
    if op not in OPS:
        raise TraceError(n, f"unknown op {show(op)} (expected one of {', '.join(OPS)})")
    args: dict[str, Any]
    if op == "page":
        spec = _page(obj, n)
        if spec.id in live:
            raise TraceError(n, f"page {spec.id!r} is already defined")
        live[spec.id] = spec.scope
        args = {"page": spec}
    elif op == "turn":
        args = {"demands": _demands(obj, n, live)}
    elif op == "tool":
        args = {"name": _text(obj, "name", n, "tool"), "args": obj.get("args", {})}
    elif op in ("write", "drop"):
        pid = _need(obj, "page", str, n, op)
        if pid not in live:
            raise TraceError(n, f"{op} of unknown page {show(pid)}")
        if op == "drop":
            del live[pid]
        args = {"page": pid, "value": obj.get("value")}
    elif op == "recall":
        pid = obj.get("page")
        if pid is not None and (not isinstance(pid, str) or pid not in live):
            raise TraceError(n, f"recall of unknown page {show(pid)}")
        if pid is None and not isinstance(obj.get("query"), str):
            raise TraceError(n, "recall needs a 'page' or a string 'query'")
        args = {"page": pid, "query": obj.get("query"),
                "status": _choice(obj.get("status"), RECALL_STATUS, n, "recall status")}
    elif op == "persist":
        base = obj.get("base_version")
        if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 0):
            raise TraceError(n, f"persist: base_version must be a non-negative integer or null, "
                                f"got {show(base)}")
        ref = obj.get("evidence_ref")
        if ref is not None and not isinstance(ref, str):
            raise TraceError(n, f"persist: evidence_ref must be a string or null, got {show(ref)}")
        ptype = obj.get("type")
        args = {
            "key": _id(obj, "key", n, "persist"),
            "update": _choice(obj.get("update"), UPDATES, n, "persist update"),
            "value": obj.get("value"),
            "scope": _choice(obj.get("scope", "session"), SCOPES, n, "persist scope"),
            "principal": _text(obj, "principal", n, "persist"),
            "base_version": base,
            "evidence_ref": ref,
            "type": None if ptype is None else _choice(ptype, tuple(TYPES), n, "persist type"),
        }
    elif op == "compaction":
        jump = obj.get("threshold_jump", False)
        if not isinstance(jump, bool):
            raise TraceError(n, f"compaction: threshold_jump must be a boolean, got {show(jump)}")
        args = {"threshold_jump": jump}
    elif op == "session_start":
        session = obj.get("session", "")
        if not isinstance(session, str):
            raise TraceError(n, "session_start: 'session' must be a string, "
                                f"got {type(session).__name__}")
        args = {"session": session}
    else:
        if op == "session_end":  # session-scoped pages end with their session
            for pid in [p for p, scope in live.items() if scope == "session"]:
                del live[pid]
        args = {}
    return Event(line=n, op=op, args=args)


def load(source: str | os.PathLike[str] | IO[bytes], *, name: str | None = None) -> Trace:
    """Read and validate a trace from a file path or an open binary stream (``name`` for errors).

    ``OSError`` (no such file, a directory, no permission) propagates; everything about the
    content is a ``TraceError`` naming the line.
    """
    with reader.opened(source, name) as (stream, label):
        return _parse(read_lines(stream, label), label)


def read_lines(stream: IO[bytes], source: str) -> Iterator[tuple[int, str]]:
    """``reader.read_lines`` with its problems as ``TraceError`` naming ``source``."""
    try:
        yield from reader.read_lines(stream)
    except reader.InputLineError as exc:
        raise TraceError(exc.line, exc.problem, source) from None


def dump_lines(header: dict[str, Any], events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Canonical JSONL lines (sorted keys, compact) for a header and raw event objects."""
    first = {"clawvm_trace": VERSION, **header}
    yield json.dumps(first, sort_keys=True, separators=(",", ":")) + "\n"
    for event in events:
        yield json.dumps(event, sort_keys=True, separators=(",", ":")) + "\n"

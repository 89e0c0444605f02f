"""The session trace format, version 2: one JSON object per line (JSONL).

A trace is what a session *did*, stripped to what residency and durability depend on:
pages with their token cost per representation, per-turn demands, tool calls with their
results, writes, recalls, persistence requests and lifecycle boundaries. ``clawvm replay``
drives the VM with it under any policy; ``clawvm convert`` produces it from transcripts.

Line 1 is the header ``{"clawvm_trace": 2, "session": "<id>", "source": "<free text>"}``.
Every later line is an event with an ``"op"``:

``page``          ``id``, ``type`` (bootstrap|constraint|plan|preference|evidence|segment),
                  ``tokens`` [pointer, structured, compressed, full] (0 where the type's
                  path has no such rep); optional ``utility`` (0), ``recompute`` (0),
                  ``pin`` (none|soft|hard) and ``floor`` (a rep name) defaulting to the
                  type's, ``scope`` (session|project, default session), ``speaker`` of a
                  segment (user|assistant|other, default user: where it renders), and
                  ``dirty`` (default true). A new page waits for a writeback like any
                  update, as the VM creates pages; ``"dirty": false`` says its content was
                  durable before (a rules file on disk, a page committed earlier). An
                  evidence page defined here is a document, not a tool's result.
``turn``          ``demands``: list of {"page": id, "rep": rep name} (or [id, rep] pairs):
                  what the model needs for this call; the VM assembles the prompt.
``tool``          one tool call and its result, mediated by the VM: ``name`` (what both
                  chat APIs accept: ``[A-Za-z0-9_-]``, at most 64), ``args`` (default {}),
                  ``page`` (the id its result is known by) and ``tokens`` (the result's
                  evidence costs, the call included); optional ``call_id`` (the model's,
                  default one made from the line number), ``read_only`` (default false:
                  the harness declared the tool read-only, so a repeat may be served from
                  the earlier result), ``resource`` (a string, a list of strings or null:
                  what the call reads or, if not read-only, writes; null is everything),
                  ``utility`` and ``recompute``. If the VM serves the call from an earlier
                  result (or runs it again into that result's page), ``page`` names that
                  page from then on.
``write``         ``page``; optional ``value`` (an object is merged into the page's
                  content; anything else is recorded as a note), ``principal`` (agent),
                  ``tokens`` (the page's costs after the write): an update proposed to the
                  VM, validated now and dirty until a writeback commits it.
``recall``        ``page`` or ``query``, ``status`` (ok|no_match|denied|backend_error):
                  what the backend answered; optional ``principal`` (agent). ``ok`` asks
                  the VM (which may hold the page no longer); a denial or failure is given
                  to the VM as the backend's answer, typed or silent by policy.
``persist``       ``key``, ``update`` (append|merge|set), ``value``, ``principal``;
                  optional ``scope``, ``base_version``, ``evidence_ref``, ``type`` (needed
                  to create a page): a write request the VM's journal judges.
``drop``          ``page``: the page leaves the session (superseded, deleted).
``compaction``    optional ``threshold_jump`` (bool): one large result pushed the context
                  past the compaction threshold in a single step.
``reset``, ``session_start`` (``session``), ``session_end``: lifecycle boundaries; at a
                  session end every session-scoped page leaves with its session. The
                  header's session is open from the start unless the first event that
                  needs a session is a ``session_start``.

Version 1 traces are refused with a message: their tool events meant something else (every
tool read-only, repeats decided by the converter, the result page a separate event).

Unknown fields are ignored (forward compatible); unknown ops, missing fields, wrong types
and references to pages not (or no longer) defined are errors naming the line. Page ids and
persist keys are what the VM takes: one word of ``[A-Za-z0-9._:/@+#=-]``, at most 128
characters, starting with a letter or digit; token costs are at most 2**31 - 1; the header's
``session`` is a string (empty or absent: ``"session"``); a ``persist`` ``principal`` is a
non-blank string. Every line is held to the limits of ``clawvm.replay.reader``: nesting,
64-bit integers, finite numbers, no lone surrogates or duplicate keys, 16 MiB a line.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from clawvm._schema import MAX_TOKENS, PATH_MASK, PageType, Pin, Rep
from clawvm.errors import ClawVMError
from clawvm.pages import ID_PATTERN
from clawvm.replay import reader
from clawvm.replay.reader import show

VERSION = 2
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
SPEAKERS = ("user", "assistant", "other")
_TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CALL_ID = re.compile(r"[\x21-\x7e]{1,128}")


class TraceError(ClawVMError, ValueError):
    """A trace line that cannot be replayed; ``line`` is 1-based."""

    def __init__(self, line: int, problem: str, source: str = "trace") -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"{source}:{line}: {problem}")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page as the replay needs it; ``pin``/``floor`` None take the type's defaults."""

    id: str
    type: PageType
    tokens: tuple[int, int, int, int]
    utility: float = 0.0
    recompute: float = 0.0
    pin: Pin | None = None
    floor: Rep | None = None
    scope: str = "session"
    speaker: str = "user"
    dirty: bool = True


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """One mediated tool call and the result it produced (an evidence page's costs)."""

    name: str
    args: Any
    page: str
    tokens: tuple[int, int, int, int]
    call_id: str | None = None
    read_only: bool = False
    resource: tuple[str, ...] | None = None
    utility: float = 0.0
    recompute: float = 0.0


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
    name: str = field(default="trace", compare=False)  # what errors call it (its file)

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
    return _kind(obj[key], key, kind, line, what)


def _kind(value: Any, key: str, kind: type | tuple[type, ...], line: int, what: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise TraceError(line, f"{what}: {key!r} must be {_kind_name(kind)}, got a boolean")
    if not isinstance(value, kind):
        raise TraceError(line, f"{what}: {key!r} must be {_kind_name(kind)}, "
                               f"got {type(value).__name__}")
    return value


def _flag(obj: dict[str, Any], key: str, line: int, what: str) -> bool:
    return bool(_kind(obj.get(key, False), key, bool, line, what))


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


def _tokens(obj: dict[str, Any], ptype: PageType, line: int, what: str) -> tuple[int, ...]:
    """Four costs, 0 off the type's path and not decreasing along it."""
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
    return tuple(tokens)


def _page(obj: dict[str, Any], line: int) -> PageSpec:
    pid = _id(obj, "id", line, "page")
    what = f"page {pid!r}"
    ptype = _choice(obj.get("type"), TYPES, line, f"{what}: type")
    tokens = _tokens(obj, ptype, line, what)
    mask = PATH_MASK[ptype]
    pin = None if "pin" not in obj else _choice(obj["pin"], PINS, line, f"{what}: pin")
    floor = None
    if "floor" in obj:
        floor_name = obj["floor"]
        floor = Rep.NONE if floor_name == "none" else _choice(floor_name, REPS, line,
                                                              f"{what}: floor")
        if floor and not mask >> floor & 1:
            raise TraceError(line, f"{what}: floor {floor_name} is not on the "
                                   f"{ptype.name.lower()} path")
    return PageSpec(
        id=pid, type=ptype, tokens=tokens,  # type: ignore[arg-type]
        utility=_number(obj, "utility", 0.0, line, what),
        recompute=max(0.0, _number(obj, "recompute", 0.0, line, what)),
        pin=pin, floor=floor,
        scope=_choice(obj.get("scope", "session"), SCOPES, line, f"{what}: scope"),
        speaker=_choice(obj.get("speaker", "user"), SPEAKERS, line, f"{what}: speaker"),
        dirty=bool(_kind(obj.get("dirty", True), "dirty", bool, line, what)),
    )


def _tool(obj: dict[str, Any], line: int) -> ToolSpec:
    name = _need(obj, "name", str, line, "tool")
    if not _TOOL_NAME.fullmatch(name):
        raise TraceError(line, f"tool: 'name' must be a tool name ([A-Za-z0-9_-], at most 64); "
                               f"got {show(name)}")
    what = f"tool {name!r}"
    call_id = obj.get("call_id")
    if call_id is not None and (not isinstance(call_id, str) or not _CALL_ID.fullmatch(call_id)):
        raise TraceError(line, f"{what}: call_id must be 1-128 printable characters without "
                               f"spaces; got {show(call_id)}")
    resource = obj.get("resource")
    if isinstance(resource, str):
        resource = (resource,)
    elif isinstance(resource, list) and all(isinstance(r, str) for r in resource):
        resource = tuple(resource)
    elif resource is not None:
        raise TraceError(line, f"{what}: resource must be a string, a list of strings or null; "
                               f"got {show(resource)}")
    return ToolSpec(
        name=name, args=obj.get("args", {}), page=_id(obj, "page", line, what),
        tokens=_tokens(obj, PageType.EVIDENCE, line, what),  # type: ignore[arg-type]
        call_id=call_id, read_only=_flag(obj, "read_only", line, what), resource=resource,
        utility=_number(obj, "utility", 0.0, line, what),
        recompute=max(0.0, _number(obj, "recompute", 0.0, line, what)),
    )


def _demands(
    obj: dict[str, Any], line: int, live: dict[str, tuple[str, PageType]]
) -> list[tuple[str, Rep]]:
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
    state = _State()
    n = 0
    try:
        for n, text in numbered:
            if not text.strip():
                continue
            obj = json_line(text, n)
            if header is None:
                header = _header(obj, n)
                continue
            events.append(_event(obj, n, state))
    except TraceError as exc:
        raise TraceError(exc.line, exc.problem, source) from None
    if header is None:
        raise TraceError(max(n, 1), "empty trace: no header line", source)
    return Trace(header=header, events=tuple(events), name=source)


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
    if type(version) is int and version == 1:
        raise TraceError(n, "a version 1 trace: this clawvm reads version 2 (tool events now "
                            "carry their result and whether the tool is read-only); convert "
                            "the transcript again with `clawvm convert`")
    if type(version) is not int or version != VERSION:
        raise TraceError(n, f'the first line must be a header {{"clawvm_trace": {VERSION}, ...}}; '
                            f"got clawvm_trace={show(version)}")
    if "session" in obj:
        _need(obj, "session", str, n, "header")
    return obj


@dataclass
class _State:
    """What validation tracks: live page ids (with scope) and whether a session is open."""

    live: dict[str, tuple[str, PageType]] = field(default_factory=dict)  # id -> scope, type
    session: str | None = None  # the open session; None before the first one and after an end
    started: bool = False  # a session was opened (the header's, or a session_start)


def _event(obj: dict[str, Any], n: int, st: _State) -> Event:
    op = obj.get("op")
    if op not in OPS:
        raise TraceError(n, f"unknown op {show(op)} (expected one of {', '.join(OPS)})")
    live = st.live
    if op == "session_start":
        session = obj.get("session", "")
        if not isinstance(session, str):
            raise TraceError(n, "session_start: 'session' must be a string, "
                                f"got {type(session).__name__}")
        if st.session is not None and st.session != session:
            raise TraceError(n, f"session_start {show(session)}: session {show(st.session)} is "
                                "still open; end it first (session_end)")
        st.session, st.started = session, True
        return Event(line=n, op=op, args={"session": session})
    if op == "session_end":  # (when none is open it does nothing, as in the VM)
        for pid in [p for p, (scope, _) in live.items() if scope == "session"]:
            del live[pid]  # session-scoped pages end with their session
        st.session, st.started = None, True
        return Event(line=n, op=op)
    if st.session is None:
        if st.started:
            raise TraceError(n, f"{op}: no session is open (add a session_start)")
        st.session, st.started = "", True  # the header's session
    args: dict[str, Any]
    if op == "page":
        spec = _page(obj, n)
        if spec.id in live:
            raise TraceError(n, f"page {spec.id!r} is already defined")
        live[spec.id] = (spec.scope, spec.type)
        args = {"page": spec}
    elif op == "tool":
        tool = _tool(obj, n)
        if tool.page in live:
            raise TraceError(n, f"tool: page {tool.page!r} is already defined")
        live[tool.page] = ("session", PageType.EVIDENCE)
        args = {"tool": tool}
    elif op == "turn":
        args = {"demands": _demands(obj, n, live)}
    elif op in ("write", "drop"):
        pid = _need(obj, "page", str, n, op)
        if pid not in live:
            raise TraceError(n, f"{op} of unknown page {show(pid)}")
        if op == "drop":
            del live[pid]
            args = {"page": pid}
        else:
            tokens = None
            if "tokens" in obj:
                tokens = _tokens(obj, live[pid][1], n, f"write of {pid!r}")
            args = {"page": pid, "value": obj.get("value"),
                    "principal": _text(obj, "principal", n, "write") if "principal" in obj
                    else "agent", "tokens": tokens}
    elif op == "recall":
        target = obj.get("page")
        if target is not None and (not isinstance(target, str) or target not in live):
            raise TraceError(n, f"recall of unknown page {show(target)}")
        if target is None and not isinstance(obj.get("query"), str):
            raise TraceError(n, "recall needs a 'page' or a string 'query'")
        query: str = target if target is not None else obj["query"]
        if not query.strip():
            raise TraceError(n, "recall: 'query' must not be blank")
        args = {"page": target, "query": query,
                "status": _choice(obj.get("status"), RECALL_STATUS, n, "recall status"),
                "principal": _text(obj, "principal", n, "recall") if "principal" in obj
                else "agent"}
    elif op == "persist":
        base = obj.get("base_version")
        if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 0):
            raise TraceError(n, f"persist: base_version must be a non-negative integer or null, "
                                f"got {show(base)}")
        ref = obj.get("evidence_ref")
        if ref is not None and not isinstance(ref, str):
            raise TraceError(n, f"persist: evidence_ref must be a string or null, got {show(ref)}")
        ptype = obj.get("type")
        scope = obj.get("scope")
        args = {
            "key": _id(obj, "key", n, "persist"),
            "update": _choice(obj.get("update"), UPDATES, n, "persist update"),
            "value": obj.get("value"),
            "scope": None if scope is None else _choice(scope, SCOPES, n, "persist scope"),
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
    else:  # reset
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

"""Pages (docs/design.md §2): typed records with an id, a pin class, a floor and representations.

A page's ``content`` is plain JSON shaped by its type, the same shape the journal's schemas
check at writeback: a constraint is ``{"rule": ...}``, a plan ``{"goal", "steps", "step",
"done"}``, evidence ``{"tool", "args", "result", "exit"}``, a preference ``{"key",
"value"}``, a segment ``{"span", "speaker", "text", "turn", "ts"}``, a bootstrap page text.
Use the constructors (``bootstrap()``, ``constraint()``…) rather than building dicts.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from clawvm._schema import PATH_MASK, TYPE_DEFAULTS, PageType, Pin, Rep
from clawvm.errors import InvalidInputError, InvalidTypeError

__all__ = [
    "SCOPES",
    "Page",
    "bootstrap",
    "constraint",
    "default_scope",
    "evidence",
    "path_of",
    "plan",
    "preference",
    "segment",
]

SCOPES = ("session", "project")
#: Ids appear inside pointers (``[page:<id> ...]``), so they are one printable word.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+#=-]{0,127}")

#: Default scope, base utility and recompute cost per type (floor and pin: TYPE_DEFAULTS).
_SCOPE = {
    PageType.BOOTSTRAP: "project",
    PageType.CONSTRAINT: "session",
    PageType.PLAN: "session",
    PageType.PREFERENCE: "project",
    PageType.EVIDENCE: "session",
    PageType.SEGMENT: "session",
}
_RECOMPUTE = {PageType.EVIDENCE: 1.0, PageType.SEGMENT: 0.2}
#: Required dict fields and their Python types; bootstrap takes any text or JSON.
_FIELDS: dict[PageType, dict[str, type | tuple[type, ...]]] = {
    PageType.CONSTRAINT: {"rule": str},
    PageType.PLAN: {"goal": str, "steps": list, "step": int, "done": bool},
    PageType.PREFERENCE: {"key": str},
    PageType.EVIDENCE: {"tool": str},
    PageType.SEGMENT: {"span": str, "speaker": str, "text": str},
}


def default_scope(ptype: PageType) -> str:
    """The scope a page of this type gets unless told otherwise (docs/design.md §2)."""
    return _SCOPE[ptype]


def path_of(ptype: PageType) -> tuple[Rep, ...]:
    """The reps on a type's degradation path, lowest first."""
    return _PATHS[ptype]


_PATHS = {t: tuple(Rep(r) for r in range(1, 5) if PATH_MASK[t] >> r & 1) for t in PageType}


@dataclass(slots=True)
class Page:
    """One page. ``floor``/``pin`` left as ``None`` take the type's defaults.

    ``reps`` is either empty (the VM generates every rep on the type's path) or complete;
    ``tokens`` are the costs of (pointer, structured, compressed, full) as rendered, filled
    in by the VM. ``version`` counts accepted updates (the journal's version once committed).
    """

    id: str
    type: PageType
    content: Any
    scope: str = ""
    pin: Pin | None = None
    floor: Rep | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    base: float = 1.0
    recompute: float | None = None
    version: int = 0
    reps: dict[Rep, str] = field(default_factory=dict)
    tokens: tuple[int, int, int, int] = (0, 0, 0, 0)
    explicit_floor: bool = False  # the harness set floor/pin: plan completion leaves them

    def __post_init__(self) -> None:
        if not isinstance(self.type, PageType):
            try:
                self.type = _enum(PageType, self.type, "type")
            except (ValueError, KeyError):
                raise InvalidInputError("type", f"{self.type!r} is not a page type") from None
        floor, pin = TYPE_DEFAULTS[self.type]
        self.explicit_floor = self.explicit_floor or self.floor is not None or self.pin is not None
        if (
            self.type is PageType.PLAN
            and isinstance(self.content, dict)
            and self.content.get("done")
        ):
            floor, pin = Rep.POINTER, Pin.SOFT
        self.floor = floor if self.floor is None else _enum(Rep, self.floor, "floor")
        self.pin = pin if self.pin is None else _enum(Pin, self.pin, "pin")
        self.scope = self.scope or _SCOPE[self.type]
        if self.recompute is None:
            self.recompute = _RECOMPUTE.get(self.type, 0.0)
        self.validate()

    @property
    def path(self) -> tuple[Rep, ...]:
        return path_of(self.type)

    def validate(self) -> None:
        """Raise a typed error naming the first bad field; called on every construction."""
        if not isinstance(self.id, str):
            raise InvalidTypeError("id", f"expected str, got {type(self.id).__name__}")
        if not ID_PATTERN.fullmatch(self.id):
            raise InvalidInputError(
                "id", f"{self.id!r} must be one word of [A-Za-z0-9._:/@+#=-], <= 128"
            )
        if self.scope not in SCOPES:
            raise InvalidInputError("scope", f"{self.scope!r} is not one of {SCOPES}")
        assert self.floor is not None
        if self.floor != Rep.NONE and self.floor not in _PATHS[self.type]:
            raise InvalidInputError(
                "floor", f"{self.floor.name.lower()} is off the path of {self.type.name.lower()}"
            )
        for name, v in (("base", self.base), ("recompute", self.recompute)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise InvalidInputError(name, f"must be a finite number, got {v!r}")
        if self.recompute < 0:  # type: ignore[operator]
            raise InvalidInputError("recompute", f"must be >= 0, got {self.recompute}")
        if not isinstance(self.provenance, dict):
            raise InvalidTypeError(
                "provenance", f"expected dict, got {type(self.provenance).__name__}"
            )
        check_content(self.type, self.content)
        self._check_reps()

    def _check_reps(self) -> None:
        if not isinstance(self.reps, dict):
            raise InvalidTypeError("reps", f"expected dict, got {type(self.reps).__name__}")
        if not self.reps:
            return
        for rep in self.reps:
            if not isinstance(rep, Rep) or rep not in self.path:
                raise InvalidInputError(
                    "reps", f"{rep!r} is not a rep on the path of {self.type.name.lower()}"
                )
        for rep in self.path:
            name = f"reps[{rep.name.lower()}]"
            if rep not in self.reps:
                raise InvalidInputError(name, "missing: give every rep on the type's path or none")
            if not isinstance(self.reps[rep], str):
                raise InvalidTypeError(name, f"expected str, got {type(self.reps[rep]).__name__}")
        if Rep.POINTER in self.reps and f"[page:{self.id}" not in self.reps[Rep.POINTER]:
            raise InvalidInputError("reps[pointer]", f"must contain '[page:{self.id}' to resolve")

    def cost(self, rep: Rep) -> int:
        """Token cost of this page rendered at ``rep`` (0 for none)."""
        return 0 if rep == Rep.NONE else self.tokens[rep - 1]


def _enum(cls: Any, value: Any, name: str) -> Any:
    if isinstance(value, str):
        try:
            return cls[value.upper()]
        except KeyError:
            raise InvalidInputError(name, f"{value!r} is not a {cls.__name__}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(
            name, f"expected {cls.__name__}, int or name, got {type(value).__name__}"
        )
    try:
        return cls(value)
    except ValueError:
        raise InvalidInputError(name, f"{value!r} is not a {cls.__name__}") from None


#: Deepest nesting a page's content may have (a hostile payload never chooses its depth);
#: the journal's limit (``journal.MAX_DEPTH``) is lower and judged at the dry run.
MAX_DEPTH = 200
_MAX_INT_BITS = 14_000  # about 4,200 digits: Python will not print longer ones


def _plain(value: Any, depth: int) -> None:
    """Raise unless ``value`` is plain JSON: exactly dict (str keys), list, str, int, finite
    float, bool or None, at most ``MAX_DEPTH`` deep. One walk, no serialising."""
    t = type(value)
    if t is str or t is bool or value is None:
        return
    if t is int:
        if value.bit_length() > _MAX_INT_BITS:
            raise InvalidTypeError("content", "must be JSON-serialisable: an integer too long")
        return
    if t is float:
        if not math.isfinite(value):
            raise InvalidTypeError("content", f"must be JSON-serialisable: {value!r} is not finite")
        return
    if t is not dict and t is not list:
        raise InvalidTypeError(
            "content", f"must be plain JSON (no tuples, subclasses or {t.__name__} values)"
        )
    if depth >= MAX_DEPTH:
        raise InvalidTypeError("content", f"nests too deeply to store (over {MAX_DEPTH} levels)")
    if t is list:
        for v in value:
            if type(v) is not str:
                _plain(v, depth + 1)
        return
    for k, v in value.items():
        if type(k) is not str:
            raise InvalidTypeError("content", "must be plain JSON (no tuples or non-str keys)")
        if type(v) is not str:
            _plain(v, depth + 1)


def size_bound(value: Any, depth: int = 0, max_depth: int = MAX_DEPTH) -> int:
    """An upper bound on the UTF-8 bytes of ``value`` as canonical JSON (plain JSON only);
    unbounded (``sys.maxsize``) when it nests deeper than ``max_depth`` or holds a lone
    surrogate (no store can hold one)."""
    t = type(value)
    if t is str:
        return _str_bound(value)
    if t is int:
        return value.bit_length() // 3 + 2
    if t is not dict and t is not list:
        return 32
    if depth >= max_depth:
        return sys.maxsize
    total = 2
    for v in value.values() if t is dict else value:
        total += _str_bound(v) + 2 if type(v) is str else size_bound(v, depth + 1, max_depth) + 1
        if total >= sys.maxsize // 2:
            return sys.maxsize
    if t is dict:
        for k in value:
            total += _str_bound(k) + 1
    return min(total, sys.maxsize)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _str_bound(text: str) -> int:
    if not text.isascii() and _SURROGATE.search(text):
        return sys.maxsize // 2
    return 6 * len(text) + 2  # every character escaped as \\uXXXX at worst


def check_content(ptype: PageType, content: Any) -> None:
    """Content must be plain JSON shaped as the type expects (what the journal will accept)."""
    _plain(content, 0)
    fields = _FIELDS.get(ptype)
    if fields is None:
        if content in ("", None, [], {}):
            raise InvalidInputError("content", f"{ptype.name.lower()} content must be non-empty")
        return
    if not isinstance(content, dict):
        raise InvalidTypeError(
            "content", f"{ptype.name.lower()} content must be a dict, got {type(content).__name__}"
        )
    for name, kind in fields.items():
        if name not in content:
            raise InvalidInputError(f"content.{name}", f"required for {ptype.name.lower()} pages")
        v = content[name]
        if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
            raise InvalidTypeError(
                f"content.{name}",
                f"expected {getattr(kind, '__name__', kind)}, got {type(v).__name__}",
            )
    if ptype is PageType.CONSTRAINT and not content["rule"].strip():
        raise InvalidInputError("content.rule", "a constraint needs a non-blank rule")
    if ptype is PageType.PLAN:
        if not content["goal"].strip():
            raise InvalidInputError("content.goal", "a plan needs a non-blank goal")
        steps = content["steps"]
        if not all(isinstance(s, str) for s in steps):
            raise InvalidTypeError("content.steps", "expected a list of str")
        if not 0 <= content["step"] <= max(len(steps) - 1, 0):
            raise InvalidInputError(
                "content.step", f"{content['step']} is not an index into {len(steps)} steps"
            )
    if ptype is PageType.EVIDENCE and not content["tool"].strip():
        raise InvalidInputError("content.tool", "evidence needs a non-blank tool name")


# ---------------------------------------------------------------- constructors per type
def bootstrap(page_id: str, text: str, **kw: Any) -> Page:
    """System rules, AGENTS.md, protocols: hard-pinned at structured, project scope."""
    return Page(page_id, PageType.BOOTSTRAP, text, **kw)


def constraint(page_id: str, rule: str, *, why: str | None = None, **kw: Any) -> Page:
    """A hard user requirement; its structured rep is the rule itself."""
    content: dict[str, Any] = {"rule": rule}
    if why is not None:
        content["why"] = why
    return Page(page_id, PageType.CONSTRAINT, content, **kw)


def plan(
    page_id: str, goal: str, steps: list[str], *, step: int = 0, done: bool = False, **kw: Any
) -> Page:
    """Goal + steps + current step; hard-pinned at structured while active, pointer when done."""
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Iterable):
        raise InvalidTypeError("steps", f"expected a list of steps, got {type(steps).__name__}")
    return Page(
        page_id,
        PageType.PLAN,
        {"goal": goal, "steps": list(steps), "step": step, "done": done},
        **kw,
    )


def preference(page_id: str, key: str, value: Any, **kw: Any) -> Page:
    """A user or project preference (soft pin, project scope)."""
    return Page(page_id, PageType.PREFERENCE, {"key": key, "value": value}, **kw)


def evidence(
    page_id: str,
    result: Any,
    *,
    tool: str = "document",
    args: Any = None,
    exit: int | None = None,
    **kw: Any,
) -> Page:
    """A tool output or retrieved document; ``tool``/``args`` name what produced it."""
    content: dict[str, Any] = {"tool": tool, "args": {} if args is None else args, "result": result}
    if exit is not None:
        content["exit"] = exit
    return Page(page_id, PageType.EVIDENCE, content, **kw)


def segment(
    page_id: str,
    text: str,
    *,
    speaker: str = "user",
    turn: int | None = None,
    ts: str | None = None,
    **kw: Any,
) -> Page:
    """A span of conversation; ``turn``/``ts`` are the harness's clock, never wall time."""
    content: dict[str, Any] = {"span": page_id, "speaker": speaker, "text": text}
    if turn is not None:
        content["turn"] = turn
    if ts is not None:
        content["ts"] = ts
    return Page(page_id, PageType.SEGMENT, content, **kw)

"""Tool mediation helpers (docs/rendering.md §6): call signatures, model tool calls, the registry.

Two calls are the same call when their names match and their arguments serialise to the
same canonical JSON (sorted keys, whitespace runs in strings collapsed; an argument string
of JSON text, as OpenAI sends it, is parsed first); the signature is the 64-bit xxhash of
that text, so duplicates are found with one dict lookup.

Only tools the harness declares read-only (or idempotent) in a ``ToolRegistry`` may be
served from an earlier result; every other call runs, and a call that is not read-only
invalidates the results it could change (all of them unless its ``resource`` says which).
A model's tool call is hostile input: ``tool_call`` checks its id, name and size.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import xxhash

from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.stores._repr import safe_repr
from clawvm.stores._util import MAX_DEPTH, deeper_than

__all__ = [
    "MAX_ARGS_CHARS",
    "MAX_ARGS_DEPTH",
    "ToolCall",
    "ToolRegistry",
    "ToolSpec",
    "canonical_json",
    "check_args",
    "check_result",
    "exit_of",
    "parse_args",
    "signature",
    "tool_call",
]

_WS = re.compile(r"\s+")
#: Largest argument string a call may carry (a file a write tool writes can be big).
MAX_ARGS_CHARS = 8 * 2**20
#: Deepest a call's arguments may nest: they sit one level down in their evidence page,
#: which the journal keeps up to ``MAX_DEPTH`` levels deep. Checked before a tool runs.
MAX_ARGS_DEPTH = MAX_DEPTH - 1
#: Call ids as models send them: printable ASCII, no spaces.
_CALL_ID = re.compile(r"[\x21-\x7e]{1,128}")
#: What both chat APIs accept as a tool name, and as a call id without rewriting.
_TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _normalise(value: Any) -> Any:
    """Collapse whitespace runs in every string so cosmetic differences hash alike."""
    if isinstance(value, str):
        return _WS.sub(" ", value).strip()
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def canonical_json(value: Any, field: str) -> str:
    """Sorted-key, compact JSON; ``InvalidTypeError(field)`` if it does not serialise."""
    try:
        return json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError, RecursionError) as e:
        raise InvalidTypeError(field, f"must be JSON-serialisable: {e}") from None


def parse_args(args: Any) -> tuple[Any, str | None]:
    """(arguments as a value, the original argument string or None).

    A string holding a JSON object or array (OpenAI's ``function.arguments``) is parsed; any
    other string (invalid JSON, which models do produce) stays the string it is.
    """
    if not isinstance(args, str):
        return args, None
    if len(args) > MAX_ARGS_CHARS:
        raise InvalidInputError("args", f"{len(args)} characters is over {MAX_ARGS_CHARS}")
    if args.lstrip()[:1] in ("{", "["):
        try:
            value = json.loads(args)
        except (ValueError, RecursionError):
            return args, args
        if isinstance(value, (dict, list)):
            return value, args
    return args, args


def signature(name: str, args: Any) -> str:
    """Canonical tool-call signature: xxhash64 of name + canonical args, as 16 hex digits."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError("name", f"a tool needs a non-blank name, got {safe_repr(name, 80)}")
    text = canonical_json(_normalise(parse_args(args)[0]), "args")
    # surrogatepass: a lone surrogate (an undecodable file name) hashes, never raises
    return xxhash.xxh64_hexdigest(f"{name.strip()}\x00{text}".encode("utf-8", "surrogatepass"))


def check_result(result: Any, field: str = "result") -> None:
    """A tool result (or its args) must be a str or plain JSON: it becomes an evidence page."""
    if isinstance(result, str):
        return
    text = canonical_json(result, field)
    if json.loads(text) != result:
        raise InvalidTypeError(field, "must be a str or plain JSON (no tuples or non-str keys)")


def check_args(value: Any) -> None:
    """A call's arguments as its evidence page can keep them: at most ``MAX_ARGS_DEPTH``
    deep (measured without recursion, so a hostile depth never reaches the encoder), then
    plain JSON. ``InvalidInputError`` / ``InvalidTypeError`` naming ``args`` otherwise."""
    if deeper_than(value, MAX_ARGS_DEPTH):
        raise InvalidInputError("args", f"nests deeper than {MAX_ARGS_DEPTH} levels")
    check_result(value, "args")


def exit_of(result: Any) -> int | None:
    """The exit status a structured result reports, if any (kept as evidence's key fact)."""
    if isinstance(result, dict):
        for key in ("exit", "exit_code", "returncode", "status"):
            v = result.get(key)
            if isinstance(v, int) and not isinstance(v, bool):
                return v
    return None


# ---------------------------------------------------------------- model tool calls
def check_tool_name(name: Any) -> str:
    """A tool name both chat APIs accept (``[A-Za-z0-9_-]{1,64}``), stripped."""
    if not isinstance(name, str):
        raise InvalidTypeError("name", f"expected str, got {type(name).__name__}")
    if not _TOOL_NAME.fullmatch(name.strip()):
        raise InvalidInputError("name", f"{name[:80]!r} is not a tool name ([A-Za-z0-9_-]{{1,64}})")
    return name.strip()


def check_call_id(call_id: Any) -> str:
    """A model's call id: 1 to 128 printable ASCII characters."""
    if not isinstance(call_id, str):
        raise InvalidTypeError("call_id", f"expected str, got {type(call_id).__name__}")
    if not _CALL_ID.fullmatch(call_id):
        raise InvalidInputError("call_id", f"{call_id[:80]!r} is not 1-128 printable characters")
    return call_id


def render_id(call_id: str) -> str:
    """The id a call is sent with: itself when both APIs accept it, else a stable rewrite."""
    if _SAFE_ID.fullmatch(call_id):
        return call_id
    return _UNSAFE.sub("_", call_id)[:23] + "_" + xxhash.xxh64_hexdigest(call_id.encode())


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One tool call as the model made it: its id, tool name and arguments.

    ``args`` is the parsed value; ``raw`` the argument string as sent (OpenAI), if any.
    """

    id: str
    name: str
    args: Any
    raw: str | None = None


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def tool_call(obj: Any) -> ToolCall:
    """A ``ToolCall`` from an SDK object or its dict form, checked.

    Accepts OpenAI Chat Completions tool calls (``id``, ``function.name``,
    ``function.arguments``), Anthropic ``tool_use`` blocks (``id``, ``name``, ``input``),
    Responses API ``function_call`` items (``call_id``, ``name``, ``arguments``) and
    ``ToolCall`` itself.
    """
    if isinstance(obj, ToolCall):
        return ToolCall(check_call_id(obj.id), check_tool_name(obj.name), obj.args, obj.raw)
    fn = _field(obj, "function")
    if fn is not None:
        cid, name, args = _field(obj, "id"), _field(fn, "name"), _field(fn, "arguments")
    elif _field(obj, "type") == "function_call":
        cid, name, args = _field(obj, "call_id"), _field(obj, "name"), _field(obj, "arguments")
    else:
        cid, name, args = _field(obj, "id"), _field(obj, "name"), _field(obj, "input")
    if name is None or cid is None:
        raise InvalidInputError(
            "tool_calls", f"not a tool call with an id and a name: {type(obj).__name__}"
        )
    value, raw = parse_args({} if args is None else args)
    check_args(value)
    return ToolCall(check_call_id(cid), check_tool_name(name), value, raw)


# ---------------------------------------------------------------- the registry
Resource = str | Callable[[Any], "str | Iterable[str] | None"] | None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """What a harness declares about one tool.

    ``read_only``: calling it changes nothing, so a repeat may be served from the earlier
    result. ``idempotent``: it changes things, but a repeat with the same arguments changes
    nothing more (it may be served too, and still invalidates what it touches when it
    runs). ``resource``: the argument that names what a call reads or writes (e.g.
    ``"path"``), or a function of the arguments returning names; ``None`` means everything.
    """

    name: str
    read_only: bool = False
    idempotent: bool = False
    resource: Resource = None

    @property
    def cacheable(self) -> bool:
        return self.read_only or self.idempotent

    def resources(self, args: Any) -> frozenset[str] | None:
        """The names a call touches (normalised paths); None means everything."""
        r = self.resource
        if r is None:
            return None
        value = r(args) if callable(r) else (args.get(r) if isinstance(args, dict) else None)
        if value is None:
            return None
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, Iterable):
            names = [names]
        out = frozenset(_norm(str(n)) for n in names)
        return None if "" in out else out


def _norm(path: str) -> str:
    """A path as compared for invalidation; "" is the root (everything)."""
    p = posixpath.normpath(path.replace("\\", "/"))
    return "" if p in (".", "/") else p


def _overlap(a: str, b: str) -> bool:
    if a == b or a.startswith(b + "/") or b.startswith(a + "/"):
        return True
    return a.startswith("/") != b.startswith("/")  # absolute vs relative: cannot tell apart


def touches(written: frozenset[str] | None, read: frozenset[str] | None) -> bool:
    """Whether a write touching ``written`` can change a result that depends on ``read``."""
    if written is None or read is None:
        return True
    return any(_overlap(w, r) for w in written for r in read)


class ToolRegistry:
    """Declared tools by name; an undeclared tool is side-effecting and touches everything."""

    def __init__(self) -> None:
        self._specs: dict[str, ToolSpec] = {}

    def declare(
        self,
        name: str,
        *,
        read_only: bool = False,
        idempotent: bool = False,
        resource: Resource = None,
    ) -> ToolSpec:
        """Declare (or redeclare) a tool; returns its spec."""
        name = check_tool_name(name)
        for field, flag in (("read_only", read_only), ("idempotent", idempotent)):
            if not isinstance(flag, bool):
                raise InvalidTypeError(field, f"expected bool, got {type(flag).__name__}")
        if resource is not None and not isinstance(resource, str) and not callable(resource):
            raise InvalidTypeError(
                "resource",
                f"expected an argument name or a callable, got {safe_repr(resource, 80)}",
            )
        spec = ToolSpec(name, read_only, idempotent, resource)
        self._specs[name] = spec
        return spec

    def get(self, name: str) -> ToolSpec | None:
        return self._specs.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[ToolSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

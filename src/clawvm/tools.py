"""Tool mediation helpers (SPEC §3.4): canonical call signatures and result checks.

Two calls are the same call when their names match and their arguments serialise to the
same canonical JSON (sorted keys, whitespace runs in strings collapsed); the signature is
the 64-bit xxhash of that text, so duplicates are found with one dict lookup.
"""

from __future__ import annotations

import json
import re
from typing import Any

import xxhash

from clawvm.errors import InvalidInputError, InvalidTypeError

__all__ = ["canonical_json", "check_result", "exit_of", "signature"]

_WS = re.compile(r"\s+")


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


def signature(name: str, args: Any) -> str:
    """Canonical tool-call signature: xxhash64 of name + canonical args, as 16 hex digits."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError("name", f"a tool needs a non-blank name, got {name!r}")
    text = canonical_json(_normalise(args), "args")
    # surrogatepass: a lone surrogate (an undecodable file name) hashes, never raises
    return xxhash.xxh64_hexdigest(f"{name.strip()}\x00{text}".encode("utf-8", "surrogatepass"))


def check_result(result: Any, field: str = "result") -> None:
    """A tool result (or its args) must be a str or plain JSON: it becomes an evidence page."""
    if isinstance(result, str):
        return
    text = canonical_json(result, field)
    if json.loads(text) != result:
        raise InvalidTypeError(field, "must be a str or plain JSON (no tuples or non-str keys)")


def exit_of(result: Any) -> int | None:
    """The exit status a structured result reports, if any (kept as evidence's key fact)."""
    if isinstance(result, dict):
        for key in ("exit", "exit_code", "returncode", "status"):
            v = result.get(key)
            if isinstance(v, int) and not isinstance(v, bool):
                return v
    return None

"""Bounded, never-raising ``repr`` of untrusted values (model payloads, journaled updates).

A payload may nest 10,000 deep or hold a megabyte string; printing it (a log line, an error
message, a ``Decision`` in a debugger) must neither recurse nor flood.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any


def safe_repr(value: Any, limit: int = 256) -> str:
    """A bounded ``repr``-like text of any value that never raises and never recurses.

    Strings are escaped as ``repr`` does (NUL and lone surrogates included), so the result
    is always storable text; huge ints and foreign objects are described, not printed.
    """
    try:
        return _bounded_repr(value, limit)
    except Exception:  # noqa: BLE001 - a hostile __getitem__ or __len__; describe, never raise
        return f"<{type(value).__name__}>"[:limit]


def _bounded_repr(value: Any, limit: int) -> str:
    out: list[str] = []
    size = 0
    stack: list[tuple[bool, Any]] = [(False, value)]  # (is literal text, item)
    while stack and size <= limit:
        literal, item = stack.pop()
        if literal:
            piece = item
        elif isinstance(item, (dict, list, tuple)):
            brackets = "{}" if isinstance(item, dict) else "()" if isinstance(item, tuple) else "[]"
            piece = brackets[0]
            parts = itertools.islice(item.items() if isinstance(item, dict) else item, limit)
            todo: list[tuple[bool, Any]] = []
            for i, part in enumerate(parts):
                if i:
                    todo.append((True, ", "))
                if isinstance(item, dict):
                    todo += [(False, part[0]), (True, ": "), (False, part[1])]
                else:
                    todo.append((False, part))
            todo.append((True, brackets[1]))
            stack.extend(reversed(todo))
        elif isinstance(item, str):
            piece = str.__repr__(str.__getitem__(item, slice(0, limit)))
        elif isinstance(item, bool) or item is None:
            piece = repr(item)
        elif isinstance(item, int):
            bits = int.bit_length(item)
            piece = int.__repr__(item) if bits <= 1024 else f"<int of {bits} bits>"
        elif isinstance(item, float):
            piece = float.__repr__(item)
        else:
            piece = f"<{type(item).__name__}>"
        out.append(piece)
        size += len(piece)
    text = "".join(out)
    if size > limit or stack:
        text = text[: max(0, limit - 3)] + "..."
    # type names are the only unescaped text left: make them storable too
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def fields_repr(obj: Any, limit: int = 256) -> str:
    """A dataclass's ``repr`` with each shown field through ``safe_repr``."""
    shown = (f for f in dataclasses.fields(obj) if f.repr)
    inner = ", ".join(f"{f.name}={safe_repr(getattr(obj, f.name), limit)}" for f in shown)
    return f"{type(obj).__name__}({inner})"

"""The decision trace: JSON lines with sorted keys and no wall-clock values (docs/design.md §8).

Identical inputs give byte-identical traces, so two runs can be compared with ``cmp``.
Every event carries a running ``n`` (event number) and the ``turn`` it belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

#: Events the VM and the replay emit (documented in the README's trace section).
EVENTS = (
    "session_start",
    "select",
    "page_in",
    "fault",
    "alert",
    "stage",
    "validate",
    "commit",
    "reject",
    "boundary",
    "recall",
    "tool",
    "session_end",
)


def _plain(value: Any) -> Any:
    """numpy scalars and arrays to plain JSON values; everything else unchanged."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, set, frozenset)):
        return [_plain(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def dumps(event: dict[str, Any]) -> str:
    """One canonical JSON line (no trailing newline), always encodable as UTF-8.

    Text is kept as is unless it holds lone surrogates (a hostile payload, an undecodable
    file name): then the line is written with ASCII escapes, still deterministic.
    """
    plain = _plain(event)
    line = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(plain, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return line


class DecisionTrace:
    """Collects events in memory and, optionally, streams them to a file.

    ``enabled=False`` makes ``emit`` a no-op for harnesses that do not want a trace.
    """

    def __init__(self, sink: str | Path | IO[str] | None = None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.turn = 0
        self._n = 0
        self._lines: list[str] = []
        self._owns = isinstance(sink, (str, Path))
        self._sink: IO[str] | None = (
            open(sink, "w", encoding="utf-8", newline="\n") if isinstance(sink, (str, Path)) else sink
        )

    def emit(self, event: str, **fields: Any) -> None:
        """Record one decision. ``event`` should be one of ``EVENTS``."""
        if not self.enabled:
            return
        line = dumps({"event": event, "n": self._n, "turn": self.turn, **fields})
        self._n += 1
        self._lines.append(line)
        if self._sink is not None:
            self._sink.write(line + "\n")

    def lines(self) -> list[str]:
        return list(self._lines)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (json.loads(line) for line in self._lines)

    def to_bytes(self) -> bytes:
        return "".join(line + "\n" for line in self._lines).encode("utf-8")

    def close(self) -> None:
        if self._sink is not None and self._owns:
            self._sink.close()
        self._sink = None

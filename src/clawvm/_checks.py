"""Small argument checks and conversions the VM's modules share (typed errors, never asserts)."""

from __future__ import annotations

from typing import Any

import numpy as np

from clawvm._schema import PageType, Rep
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.stores._repr import safe_repr

REP_NAMES = {r.name.lower(): r for r in Rep}
REP_NAME_OF = {int(r): r.name.lower() for r in Rep}
#: Fast path of demand parsing: Rep members, ints and lowercase names of pointer..full.
DEMAND_REPS: dict[Any, int] = {
    **{int(r): int(r) for r in Rep if r},
    **{r.name.lower(): int(r) for r in Rep if r},
}
#: Page types whose text the model reads as rules: only the harness and the user write them.
RULE_TYPES = frozenset({PageType.BOOTSTRAP, PageType.CONSTRAINT})
_AGENT_KINDS = frozenset({"agent", "subagent"})


def tname(ptype: PageType) -> str:
    return ptype.name.lower()


def nonneg(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidTypeError(field, f"expected an int, got {type(value).__name__}")
    if value < 0:
        raise InvalidInputError(field, f"must be >= 0, got {value}")
    return int(value)


def check_principal(principal: Any) -> None:
    if not isinstance(principal, str) or not principal:
        raise InvalidInputError(
            "principal", f"expected a non-empty str, got {safe_repr(principal, 80)}"
        )


def rep_of(field: str, rep: Any) -> int:
    """A rep given as a ``Rep``, an int 0..4 or a name; ``InvalidInputError(field)`` otherwise."""
    if isinstance(rep, str):
        r = REP_NAMES.get(rep.lower())
        if r is None:
            raise InvalidInputError(field, f"{safe_repr(rep, 40)} is not a rep")
        return int(r)
    if isinstance(rep, bool) or not isinstance(rep, (int, np.integer)) or not 0 <= rep <= 4:
        raise InvalidInputError(field, f"{safe_repr(rep, 40)} is not a rep")
    return int(rep)


def type_denied(ptype: PageType, principal: str) -> str:
    """Why ``principal`` may not write pages of ``ptype`` ("" when it may).

    A model (or subagent) that could write bootstrap or constraint pages could pin its own
    instructions into every later prompt, so those stay the harness's and the user's.
    """
    if ptype in RULE_TYPES and principal.split(":", 1)[0] in _AGENT_KINDS:
        return f"principal {principal!r} may not write {tname(ptype)} pages"
    return ""


def repair_text(value: Any) -> Any:
    """``value`` with lone surrogates in its strings escaped as ``\\udcXX`` text.

    ``os.fsdecode`` turns undecodable file-name bytes into lone surrogates, which no store
    can encode; a tool result keeps its information as visible escapes instead.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, list):
        return [repair_text(v) for v in value]
    if isinstance(value, dict):
        return {repair_text(k): repair_text(v) for k, v in value.items()}
    return value

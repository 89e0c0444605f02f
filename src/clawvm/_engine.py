"""Picks the engine implementation: the native core, or its pure-Python reference twin.

``CLAWVM_PURE_PYTHON=1`` (any non-empty value) or a non-CPython interpreter selects the
reference. If the native core is missing, the reference is used and a RuntimeWarning says so.
API modules import the engine from here, never from ``_core`` or ``_core_py`` directly.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clawvm._core_py import Engine, exact_select
    IMPLEMENTATION: str
elif os.environ.get("CLAWVM_PURE_PYTHON") or sys.implementation.name != "cpython":
    from clawvm._core_py import Engine, exact_select
    IMPLEMENTATION = "reference"
else:
    try:
        from clawvm._core import Engine
        from clawvm._core_py import exact_select
        IMPLEMENTATION = "native"
    except ImportError as exc:  # a wheel without its core must be visible, not silent
        warnings.warn(
            f"native core unavailable ({exc}); running the reference engine",
            RuntimeWarning,
            stacklevel=2,
        )
        from clawvm._core_py import Engine, exact_select
        IMPLEMENTATION = "reference"

#: True when the compiled engine is in use.
NATIVE = IMPLEMENTATION == "native"

__all__ = ["IMPLEMENTATION", "NATIVE", "Engine", "exact_select"]

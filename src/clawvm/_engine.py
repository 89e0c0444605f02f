"""Picks the engine implementation: the native core, or its pure-Python reference twin.

Native extensions are optional. The pure-Python twin runs, without a warning, when
``CLAWVM_PURE_PYTHON`` is on (1/true/yes, any case), on interpreters other than CPython, or
when this copy of clawvm was built without the extension (``CLAWVM_PURE_PYTHON`` at build
time, or no working compiler; setup.py records which in ``clawvm._build_info``). Only a
build that compiled an extension which then fails to import warns (RuntimeWarning): that
is a broken install, and the test suite's ``filterwarnings = error`` turns it into a failure.

API modules import the engine from here, never from ``_core`` or ``_core_py`` directly;
other optional extensions are loaded through :func:`load_native` the same way.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from types import ModuleType
from typing import TYPE_CHECKING

from clawvm._flags import env_flag
from clawvm.errors import InvalidInputError

#: The environment switch that forces the pure-Python twins, at build and at run time.
PURE_ENV = "CLAWVM_PURE_PYTHON"


def load_native(module: str) -> tuple[ModuleType | None, str]:
    """The compiled ``module`` (e.g. ``"clawvm._core"``), or None and why its twin runs instead.

    Raises InvalidInputError when ``CLAWVM_PURE_PYTHON`` is not a yes/no value.
    """
    try:
        pure = env_flag(PURE_ENV)
    except ValueError as exc:
        raise InvalidInputError(PURE_ENV, str(exc)) from None
    if pure:
        return None, f"{PURE_ENV} is set"
    if sys.implementation.name != "cpython":
        return None, f"{sys.implementation.name} runs the pure-Python engine"
    try:
        return importlib.import_module(module), ""
    except ImportError as exc:
        error = exc
    try:  # written by setup.py; absent only in a copy that setup.py did not build
        build = importlib.import_module("clawvm._build_info")
    except ImportError:
        build = None
    if build is not None and module not in build.BUILT:
        return None, f"{module} was not built: {build.SKIPPED.get(module, 'no reason recorded')}"
    why = f"{module} was built but does not import ({error})"
    warnings.warn(f"clawvm: {why}; running the pure-Python engine", RuntimeWarning, stacklevel=2)
    return None, why


# IMPLEMENTATION is "native" or "reference"; REASON says why the reference runs ("" if not).
if TYPE_CHECKING:
    from clawvm._core_py import Engine, exact_select

    IMPLEMENTATION: str
    REASON: str
else:
    from clawvm._core_py import exact_select

    _core, REASON = load_native("clawvm._core")
    if _core is None:
        from clawvm._core_py import Engine

        IMPLEMENTATION = "reference"
    else:
        Engine = _core.Engine
        IMPLEMENTATION = "native"

#: True when the compiled engine is in use.
NATIVE = IMPLEMENTATION == "native"

__all__ = [
    "IMPLEMENTATION", "NATIVE", "PURE_ENV", "REASON", "Engine", "exact_select", "load_native"
]

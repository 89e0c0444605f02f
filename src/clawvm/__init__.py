"""clawvm: harness-managed virtual memory for stateful tool-using LLM agents."""

from __future__ import annotations

from clawvm._engine import IMPLEMENTATION, NATIVE, Engine
from clawvm._schema import Outcome, PageType, Pin, Rep, ScoreMode

try:
    from clawvm._version import __version__
except ImportError:  # running from a tree without setuptools-scm metadata
    __version__ = "0.0.0+unknown"

__all__ = [
    "IMPLEMENTATION",
    "NATIVE",
    "Engine",
    "Outcome",
    "PageType",
    "Pin",
    "Rep",
    "ScoreMode",
    "__version__",
]

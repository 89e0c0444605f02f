"""clawvm: harness-managed virtual memory for stateful tool-using LLM agents."""

from __future__ import annotations

from clawvm import pages
from clawvm._engine import IMPLEMENTATION, NATIVE, Engine
from clawvm._schema import Outcome, PageType, Pin, Rep, ScoreMode
from clawvm.faults import FaultReport
from clawvm.pages import Page
from clawvm.policy import POLICIES, Policy
from clawvm.reps import register_generator
from clawvm.tokens import FastTokenizer, TiktokenTokenizer, Tokenizer
from clawvm.trace import DecisionTrace
from clawvm.tools import ToolCall, ToolRegistry, ToolSpec
from clawvm.vm import (
    PAGING_TOOL,
    VM,
    Assembly,
    RecallResult,
    SessionStats,
    ToolResult,
    Write,
    paging_tool,
)

try:
    from clawvm._version import __version__
except ImportError:  # running from a tree without setuptools-scm metadata
    __version__ = "0.0.0+unknown"

__all__ = [
    "IMPLEMENTATION",
    "NATIVE",
    "PAGING_TOOL",
    "POLICIES",
    "VM",
    "Assembly",
    "DecisionTrace",
    "Engine",
    "FastTokenizer",
    "FaultReport",
    "Outcome",
    "Page",
    "PageType",
    "Pin",
    "Policy",
    "RecallResult",
    "Rep",
    "ScoreMode",
    "SessionStats",
    "TiktokenTokenizer",
    "Tokenizer",
    "ToolCall",
    "ToolRegistry",
    "ToolResult",
    "ToolSpec",
    "Write",
    "__version__",
    "pages",
    "paging_tool",
    "register_generator",
]

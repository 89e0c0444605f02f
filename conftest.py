"""What tests/ and bench/ share.

pytest runs in importlib mode (the installed package is what is tested), so test modules
cannot import each other; a module whose helpers others need is loaded here by path, once,
and reaches them as a fixture.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

TESTS = Path(__file__).parent / "tests"


def _helpers(module: str) -> ModuleType:
    name = f"_clawvm_helpers_{module}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / f"{module}.py")
        assert spec is not None and spec.loader is not None
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[name] = loaded
        spec.loader.exec_module(loaded)
    return sys.modules[name]


@pytest.fixture(scope="session")
def postgres_helpers() -> ModuleType:
    """tests/test_postgres.py: ``require_postgres`` (a server URL, or skip) and ``fresh_schema``."""
    return _helpers("test_postgres")


@pytest.fixture(scope="session")
def crash_helpers() -> ModuleType:
    """tests/test_crash.py: ``check_journal_and_records`` after a killed writer."""
    return _helpers("test_crash")


@pytest.fixture(scope="session")
def convert_helpers() -> ModuleType:
    """tests/test_convert.py: the transcript fixtures ``claude_code_session`` and ``openai_chat``."""
    return _helpers("test_convert")


@pytest.fixture(scope="session")
def api_rules() -> ModuleType:
    """tests/api_rules.py: ``openai_problems`` and ``anthropic_problems`` of a request."""
    return _helpers("api_rules")

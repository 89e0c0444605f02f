"""What tests/ and bench/ share, and which of them a run times.

pytest runs in importlib mode (the installed package is what is tested), so test modules
cannot import each other; a module whose helpers others need is loaded here by path, once,
and reaches them as a fixture.

Benchmarks are timed only when asked: ``python -m pytest --benchmark-only`` runs bench/
alone, times every benchmark and fails when one is over its budget (bench/conftest.py);
``--benchmark-enable`` (or asking for timing output: ``--benchmark-json``, ``--benchmark-save``
...) times them alongside the tests. Otherwise (a plain ``python -m pytest``) each benchmark
runs once, untimed and with no budget checked, as a smoke test.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

TESTS = Path(__file__).parent / "tests"
BENCH = Path(__file__).parent / "bench"
#: pytest-benchmark options that ask for timings: any of them keeps benchmarks enabled.
TIMED = ("benchmark_only", "benchmark_enable", "benchmark_skip", "benchmark_json",
         "benchmark_save", "benchmark_autosave", "benchmark_compare", "benchmark_histogram")


def pytest_configure(config: pytest.Config) -> None:
    # Runs before pytest-benchmark reads its options (its own hook is trylast).
    option = config.option
    if not hasattr(option, "benchmark_disable"):  # pytest-benchmark not installed
        return
    if option.benchmark_only and config.args_source is pytest.Config.ArgsSource.TESTPATHS:
        config.args = [str(BENCH)]  # no paths given: tests/ holds no benchmarks to collect
    elif not any(getattr(option, name, None) for name in TIMED):
        option.benchmark_disable = True


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

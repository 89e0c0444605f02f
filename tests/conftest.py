"""Shared fixtures: every engine test runs against both implementations."""

from __future__ import annotations

import os

import pytest

from clawvm import _core_py

try:
    from clawvm import _core
except ImportError:  # pure-Python install
    _core = None

IMPLEMENTATIONS = {"reference": _core_py.Engine}
if _core is not None:
    IMPLEMENTATIONS["native"] = _core.Engine


def pytest_report_header(config: pytest.Config) -> str:
    return "clawvm engines under test: " + ", ".join(IMPLEMENTATIONS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # In CI the native core must be there: a silent fallback would test only the reference.
    if os.environ.get("CLAWVM_REQUIRE_NATIVE") and _core is None:
        raise pytest.UsageError("CLAWVM_REQUIRE_NATIVE is set but clawvm._core is not built")


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def engine_cls(request: pytest.FixtureRequest) -> type:
    """Each engine implementation in turn."""
    return IMPLEMENTATIONS[request.param]


@pytest.fixture
def native_cls() -> type:
    if _core is None:
        pytest.skip("native core not built (CLAWVM_PURE_PYTHON install)")
    return _core.Engine

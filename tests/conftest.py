"""Shared fixtures: every engine test runs against both implementations."""

from __future__ import annotations

import pytest

from clawvm import _core_py, _engine
from clawvm._flags import env_flag

try:
    from clawvm import _core
except ImportError:  # pure-Python install
    _core = None

IMPLEMENTATIONS = {"reference": _core_py.Engine}
if _core is not None:
    IMPLEMENTATIONS["native"] = _core.Engine


def pytest_report_header(config: pytest.Config) -> list[str]:
    why = f" ({_engine.REASON})" if _engine.REASON else ""
    return [
        "clawvm engines under test: " + ", ".join(IMPLEMENTATIONS),
        f"clawvm engine in use: {_engine.IMPLEMENTATION}{why}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # In CI the native core must be there: a silent fallback would test only the reference.
    if env_flag("CLAWVM_REQUIRE_NATIVE") and _core is None:
        raise pytest.UsageError("CLAWVM_REQUIRE_NATIVE is set but clawvm._core is not built")


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def engine_cls(request: pytest.FixtureRequest) -> type:
    """Each engine implementation in turn."""
    return IMPLEMENTATIONS[request.param]


@pytest.fixture
def native_cls() -> type:
    if _core is None:
        pytest.skip("native core not built (a pure-Python install)")
    return _core.Engine

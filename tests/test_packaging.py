"""Packaging: the CLAWVM_PURE_PYTHON switch, the build record, and how pytest runs bench/.

The native core is optional: a build that could not compile it records why in
``clawvm._build_info`` and the twin then runs without a warning; only a core that was built
but does not import warns. The benchmark tests run pytest itself, from the repository root,
as a developer would.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from clawvm import _engine
from clawvm._flags import env_flag
from clawvm.errors import InvalidInputError

ROOT = Path(__file__).resolve().parent.parent


def _build_record() -> types.ModuleType:
    try:
        return importlib.import_module("clawvm._build_info")
    except ImportError:
        pytest.fail("clawvm._build_info is missing: reinstall clawvm (pip install -e .)")


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLAWVM_BENCH")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("TRUE", True), ("Yes", True), (" yes ", True),
     ("0", False), ("false", False), ("False", False), ("NO", False), ("", False), (" ", False)],
)
def test_env_flag_reads_yes_and_no_words_in_any_case(value: str, expected: bool) -> None:
    assert env_flag("X", {"X": value}) is expected


def test_env_flag_unset_is_off() -> None:
    assert env_flag("X", {}) is False


@pytest.mark.parametrize("value", ["maybe", "2", "on", "ture", "y", "-1"])
def test_env_flag_refuses_anything_else_naming_the_value(value: str) -> None:
    with pytest.raises(ValueError, match=repr(value)):
        env_flag("X", {"X": value})


def test_a_bad_pure_python_value_stops_import_with_a_typed_error() -> None:
    result = _run(["-c", "import clawvm"], CLAWVM_PURE_PYTHON="maybe")
    assert result.returncode != 0
    assert "InvalidInputError: CLAWVM_PURE_PYTHON: 'maybe' is not a yes/no value" in result.stderr


@pytest.mark.parametrize("value", ["1", "TRUE", "yes"])
def test_pure_python_on_runs_the_reference_without_a_warning(value: str) -> None:
    code = "import clawvm, clawvm._engine as e; print(clawvm.IMPLEMENTATION, '|', e.REASON)"
    result = _run(["-W", "error", "-c", code], CLAWVM_PURE_PYTHON=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "reference | CLAWVM_PURE_PYTHON is set"
    assert result.stderr == ""


@pytest.mark.parametrize("value", ["0", "no", "False", ""])
def test_pure_python_off_runs_what_was_built(value: str) -> None:
    built = "clawvm._core" in _build_record().BUILT
    result = _run(["-W", "error", "-c", "import clawvm; print(clawvm.IMPLEMENTATION)"],
                  CLAWVM_PURE_PYTHON=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("native" if built else "reference")


def test_the_build_record_matches_what_imports() -> None:
    """What setup.py says it compiled imports; what it left out says why, and is what runs."""
    record = _build_record()
    assert set(record.BUILT).isdisjoint(record.SKIPPED)
    assert set(record.BUILT) | set(record.SKIPPED) >= {"clawvm._core"}
    for module in record.BUILT:
        importlib.import_module(module)
    if env_flag(_engine.PURE_ENV):
        assert _engine.REASON == "CLAWVM_PURE_PYTHON is set"
    elif "clawvm._core" in record.SKIPPED:
        assert not _engine.NATIVE
        assert _engine.REASON == f"clawvm._core was not built: {record.SKIPPED['clawvm._core']}"
    else:
        assert _engine.NATIVE and _engine.REASON == ""


def _record(
    monkeypatch: pytest.MonkeyPatch, built: tuple[str, ...], skipped: dict[str, str]
) -> None:
    record = types.SimpleNamespace(BUILT=built, SKIPPED=skipped)
    monkeypatch.setitem(sys.modules, "clawvm._build_info", record)
    monkeypatch.delenv(_engine.PURE_ENV, raising=False)


def test_a_module_the_build_left_out_runs_its_twin_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    _record(monkeypatch, (), {"clawvm._absent": "the compiler `false` failed (exit status 1)"})
    module, why = _engine.load_native("clawvm._absent")  # filterwarnings=error: a warning fails
    assert module is None
    assert why == "clawvm._absent was not built: the compiler `false` failed (exit status 1)"


def test_a_built_module_that_does_not_import_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    _record(monkeypatch, ("clawvm._absent",), {})
    with pytest.warns(RuntimeWarning, match=r"clawvm\._absent was built but does not import"):
        module, why = _engine.load_native("clawvm._absent")
    assert module is None and "No module named 'clawvm._absent'" in why


def test_without_a_build_record_a_missing_module_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "clawvm._build_info", None)  # import raises ImportError
    monkeypatch.delenv(_engine.PURE_ENV, raising=False)
    with pytest.warns(RuntimeWarning, match="does not import"):
        assert _engine.load_native("clawvm._absent")[0] is None


def test_the_switch_wins_over_an_importable_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_engine.PURE_ENV, "Yes")
    assert _engine.load_native("clawvm._core_py") == (None, "CLAWVM_PURE_PYTHON is set")
    monkeypatch.setenv(_engine.PURE_ENV, "no")
    module, why = _engine.load_native("clawvm._core_py")
    assert module is importlib.import_module("clawvm._core_py") and why == ""
    monkeypatch.setenv(_engine.PURE_ENV, "sometimes")
    with pytest.raises(InvalidInputError, match="CLAWVM_PURE_PYTHON: 'sometimes'"):
        _engine.load_native("clawvm._core_py")


def test_benchmark_only_from_the_root_collects_bench_alone() -> None:
    args = ["-m", "pytest", "--benchmark-only", "--collect-only", "-q", "-p", "no:cacheprovider"]
    result = _run(args)
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    assert ids and all(line.startswith("bench/") for line in ids)
    assert any(line.startswith("bench/test_select.py::") for line in ids)


needs_native = pytest.mark.skipif(not _engine.NATIVE, reason="the budgets are the native engine's")
FAST = ["--benchmark-max-time=0.05", "--benchmark-min-rounds=5", "-p", "no:cacheprovider", "-q"]


@needs_native
def test_benchmark_only_fails_when_a_budget_is_broken() -> None:
    """A budget a millionth of its size cannot hold: the run must say so and exit 1."""
    select = ["bench/test_select.py", "-k", "test_select_native and 64"]
    result = _run(["-m", "pytest", "--benchmark-only", *select, *FAST], CLAWVM_BENCH_SLACK="1e-6")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED bench/test_select.py::test_select_native[64]" in result.stdout
    assert "test_select_native[64]: median" in result.stdout


@needs_native
def test_a_plain_run_smoke_runs_benchmarks_once_without_budgets() -> None:
    select = ["bench/test_select.py", "-k", "test_select_native and 64"]
    result = _run(["-m", "pytest", *select, *FAST], CLAWVM_BENCH_SLACK="1e-6")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "benchmark:" not in result.stdout  # nothing was timed


def _checkout_file(path: str) -> str:
    file = ROOT / path
    if not file.exists():  # wheel tests run from a copy of tests/ and bench/ only
        pytest.skip(f"no {path} next to the tests")
    return file.read_text(encoding="utf-8")


def test_workflow_actions_are_pinned_by_commit_and_checkouts_keep_no_credentials() -> None:
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    if not workflows:
        pytest.skip("no .github/workflows next to the tests")
    for workflow in workflows:
        text = workflow.read_text(encoding="utf-8")
        uses = re.findall(r"uses: (\S+)(.*)", text)
        assert uses, workflow.name
        for action, comment in uses:
            where = f"{workflow.name}: {action}{comment}"
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), where
            assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), where
        checkouts = text.count("uses: actions/checkout@")
        assert text.count("persist-credentials: false") == checkouts, workflow.name


def test_ci_tests_every_python_the_wheels_ship_for() -> None:
    pyproject = _checkout_file("pyproject.toml")
    classifiers = set(re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject))
    wheels = {f"3.{minor}" for minor in re.findall(r'"cp3(\d+)-\*"', pyproject)}
    matrix = re.search(r"python: \[(.*)\]", _checkout_file(".github/workflows/test.yml"))
    assert matrix is not None
    tested = set(re.findall(r'"(3\.\d+)"', matrix[1]))
    assert classifiers == wheels == tested == {"3.10", "3.11", "3.12", "3.13", "3.14"}

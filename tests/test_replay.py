"""Replay, gates, the sweep's paper shape, report determinism, and the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawvm import cli
from clawvm.policy import POLICIES
from clawvm.replay.format import TraceError, load, parse_lines
from clawvm.replay.gates import run_gates
from clawvm.replay.report import shape_checks, write_outputs
from clawvm.replay.sim import replay
from clawvm.replay.sweep import run_sweep
from clawvm.replay.workloads import FAMILIES, TraceBuilder, generate, generate_lines

HEADER = '{"clawvm_trace": 1, "session": "t"}'


@pytest.fixture(scope="module")
def sweep():
    return run_sweep(seed=0)


def test_all_tier1_gates_pass() -> None:
    results = run_gates()
    assert len(results) == 6
    failed = [(g.name, g.detail) for g in results if not g.passed]
    assert not failed


def test_sweep_has_the_paper_shape(sweep) -> None:
    checks = shape_checks(sweep)
    assert len(checks) == 7  # the paper's shape, and the selection quality
    assert [claim for claim, holds in checks if not holds] == []
    summary = {row["policy"]: row for row in sweep.summary()}
    assert summary["retrieval"]["mean_faults"] > 1.5 * summary["retrieval_cached"]["mean_faults"]
    assert summary["retrieval_cached"]["mean_faults"] > 1.5 * summary["compaction_hybrid"]["mean_faults"]
    assert all(summary[p]["pressure_configs"] == 0 for p in ("clawvm", "lru", "oracle"))


def test_suite_outputs_are_byte_identical(tmp_path: Path, sweep) -> None:
    gates = run_gates()
    first = write_outputs(sweep, gates, tmp_path / "a")
    again = write_outputs(run_sweep(seed=0), run_gates(), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in again]
    assert any(p.suffix == ".png" for p in first)
    for a, b in zip(first, again):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_other_seeds_keep_the_shape() -> None:
    assert all(holds for _, holds in shape_checks(run_sweep(seed=3, budgets=(120, 300, 500))))


def test_workloads_are_deterministic_and_seeded() -> None:
    for family in FAMILIES:
        assert generate(family, 1) == generate(family, 1)
        assert generate(family, 1) != generate(family, 2)


# ---------------------------------------------------------------------- simulator rules


def _builder() -> TraceBuilder:
    s = TraceBuilder(random.Random(0), "unit")
    s.pinned()
    s.turn(("rules", "full"))
    return s


def test_dirty_page_without_writeback_is_one_flush_miss() -> None:
    s = _builder()
    s.add("write", page="plan", value={"step": 1})
    s.add("reset")
    s.add("recall", page="plan", status="ok")
    trace = s.trace()
    base = replay(trace, POLICIES["compaction_hybrid"], 200)
    assert base.report.faults["flush_miss"] == 1
    assert base.report.faults["silent_recall"] == 1  # the lost page is gone: an empty recall
    ours = replay(trace, POLICIES["clawvm"], 200)
    assert ours.report.total_faults == 0 and ours.typed_recalls == ()


def test_pinned_pages_are_resident_after_every_boundary() -> None:
    s = _builder()
    for kind in ("compaction", "reset"):
        for _ in range(6):
            s.turn((s.tool_call(), "compressed"))
        s.add(kind)
        s.turn(("rules", "structured"), ("c-tests", "structured"), ("c-scope", "structured"))
    assert replay(s.trace(), POLICIES["clawvm"], 60).report.total_faults == 0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(sorted(FAMILIES)), st.integers(120, 600))
def test_clawvm_has_no_fault_where_the_floor_set_fits(seed: int, family: str, budget: int) -> None:
    result = replay(generate(family, seed), POLICIES["clawvm"], budget)
    if result.floor_fits:
        assert result.report.total_faults == 0, result.report.faults


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(sorted(FAMILIES)))
def test_more_budget_never_hurts_retrieval(seed: int, family: str) -> None:
    trace = generate(family, seed)
    low = replay(trace, POLICIES["retrieval"], 120).report.total_faults
    high = replay(trace, POLICIES["retrieval"], 500).report.total_faults
    assert high <= low


# ---------------------------------------------------------------------- trace format

def _page(pid: str, ptype: str, tokens: str = "1, 2, 3, 4", extra: str = "") -> str:
    return (f'{{"op": "page", "id": "{pid}", "type": "{ptype}", "tokens": [{tokens}]'
            + (f", {extra}" if extra else "") + "}")


def _persist(field: str) -> str:
    """A persist event with ``field`` (JSON text) replacing or adding one field."""
    name = field.split(":")[0].strip('"')
    fields = {"key": '"k"', "update": '"set"', "principal": '"user"'}
    fields[name] = field.split(":", 1)[1].strip()
    return '{"op": "persist", ' + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"


BAD_TRACES = [
    (["not json"], 1, "not valid JSON"),
    (['{"op": "turn"}'], 1, "header"),
    ([HEADER, "{oops"], 2, "not valid JSON"),
    ([HEADER, '{"op": "teleport"}'], 2, "unknown op 'teleport'"),
    ([HEADER, '{"op": "turn", "demands": [["ghost", "full"]]}'], 2, "unknown page 'ghost'"),
    ([HEADER, '{"op": "page", "type": "segment", "tokens": [1, 2, 3, 4]}'], 2, "needs field 'id'"),
    ([HEADER, '{"op": "page", "id": "b", "type": "bootstrap", "tokens": [1, 2, 0, 4]}'], 2, "no pointer rep"),
    ([HEADER, '{"op": "page", "id": "s", "type": "segment", "tokens": [1, 2, 3, 4]}',
      '{"op": "turn", "demands": [["s", "huge"]]}'], 3, "demand rep"),
    ([HEADER, '{"op": "recall", "query": "x", "status": "maybe"}'], 2, "recall status"),
    # what json.loads would crash on, or accept and leave to crash later
    ([HEADER, '{"op": "tool", "name": "t", "args": ' + "[" * 5000 + "]" * 5000 + "}"], 2,
     "nested deeper than 64 levels at column 100"),  # the 65th level: the outer object is 1
    ([HEADER, _page("s", "segment", "1, 2, 3, " + "4" * 5000)], 2, "integer outside the 64-bit"),
    ([HEADER, '{"op": "tool", "name": "\\udc80"}'], 2, "lone surrogate"),
    ([HEADER, _page("s", "segment", "1, 2, 3, 4", '"utility": NaN')], 2, "NaN and Infinity"),
    ([HEADER, '{"op": "reset", "op": "teleport"}'], 2, "duplicate key 'op'"),
    (['{"clawvm_trace": true}'], 1, "header"),
    (['{"clawvm_trace": 1.0}'], 1, "header"),
    (['{"clawvm_trace": 1, "session": ["s"]}'], 1, "'session' must be a string"),
    ([HEADER, _page("s", "segment", "1, 2, 3, 4.0")], 2, "tokens"),
    ([HEADER, _page("s", "segment", "1, 2, 3, 2147483648")], 2, "integers in [0, 2147483647]"),
    ([HEADER, _page("a b", "segment")], 2, "'id' must be one word"),
    ([HEADER, _page("", "segment")], 2, "'id' must be one word"),
    ([HEADER, _page("p" * 129, "segment")], 2, "at most 128 characters"),
    ([HEADER, _page("e", "evidence", "1, 2, 3, 4", '"tool": {"name": " "}')], 2,
     "'name' must not be blank"),
    ([HEADER, '{"op": "tool", "name": ""}'], 2, "'name' must not be blank"),
    ([HEADER, _persist('"base_version": -1')], 2, "base_version must be a non-negative integer"),
    ([HEADER, _persist('"base_version": 1.5')], 2, "base_version"),
    ([HEADER, _persist('"principal": ""')], 2, "'principal' must not be blank"),
    ([HEADER, _persist('"key": "k k"')], 2, "'key' must be one word"),
    ([HEADER, _persist('"evidence_ref": 7')], 2, "evidence_ref must be a string"),
    ([HEADER, _persist('"type": "memo"')], 2, "persist type must be one of"),
    ([HEADER, '{"op": "session_start", "session": {"id": 1}}'], 2, "'session' must be a string"),
    ([HEADER, '{"op": "' + "x" * 100_000 + '"}'], 2, "unknown op 'xxxxxxxx"),
]


@pytest.mark.parametrize(("lines", "line", "text"), BAD_TRACES)
def test_malformed_trace_names_line_and_problem(lines: list[str], line: int, text: str) -> None:
    with pytest.raises(TraceError) as info:
        parse_lines(lines, source="t.jsonl")
    assert info.value.line == line
    assert text.lower() in str(info.value).lower()
    assert str(info.value).startswith(f"t.jsonl:{line}:")
    assert len(str(info.value)) < 400  # a hostile value is quoted, not copied


def test_what_the_reader_accepts_at_its_limits_replays(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Extreme but valid values: the largest costs and ids, huge and negative floats, a
    version at the top of the 64-bit range, a large value: every policy, both stores."""
    big, pid = 2**31 - 1, "p" * 128
    deep: object = {"deep": 2**63 - 1}
    for _ in range(60):
        deep = [deep]
    rows = [
        {"clawvm_trace": 1, "session": "\u00e9" * 1000},
        {"op": "page", "id": pid, "type": "segment", "tokens": [big] * 4, "utility": 1e308,
         "recompute": 1e308},
        {"op": "page", "id": "ev", "type": "evidence", "tokens": [0, big, big, big],
         "utility": -1e308, "recompute": -5, "tool": {"name": "t" * 10_000, "args": deep}},
        {"op": "turn", "demands": [[pid, "full"], ["ev", "pointer"], [pid, "pointer"]] * 50},
        {"op": "tool", "name": "t" * 10_000, "args": deep},
        {"op": "write", "page": pid, "value": "v" * 200_000},
        {"op": "persist", "key": "k", "update": "set", "value": {"x": -(2**63)}, "scope": "project",
         "principal": "user", "base_version": 2**63 - 1, "evidence_ref": "nowhere", "type": "plan"},
        {"op": "persist", "key": pid, "update": "append", "value": "x" * 100_000,
         "principal": "agent"},
        {"op": "recall", "query": "q" * 10_000, "status": "backend_error"},
        {"op": "compaction", "threshold_jump": True},
        {"op": "session_start", "session": ""},
        {"op": "turn", "demands": [[pid, "full"]]},
        {"op": "session_end"},
    ]
    path = tmp_path / "edge.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for store in ("sqlite", "memory"):
        for budget in ("0", str(2**62)):
            argv = ["replay", str(path), "--store", store, "--budget", budget, "--trace-out",
                    str(tmp_path / "d.jsonl")]
            assert cli.main(argv) == 0, capsys.readouterr().err
            assert "policy" in capsys.readouterr().out
    assert len(list(tmp_path.glob("d.*.jsonl"))) == len(POLICIES)


@pytest.mark.parametrize(("lines", "line", "text"), BAD_TRACES[1:4])
def test_cli_replay_of_a_malformed_trace_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], line: int, text: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert cli.main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"bad.jsonl:{line}:" in err and text.lower() in err.lower()


# ---------------------------------------------------------------------- CLI


def test_cli_replay_reports_every_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(generate_lines("evidence_heavy", 0)))
    assert cli.main(["replay", str(path), "--budget", "180", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["policy"] for r in rows] == list(POLICIES)
    by = {r["policy"]: r for r in rows}
    assert by["clawvm"]["total_faults"] == 0 < by["retrieval"]["total_faults"]


def test_cli_replay_writes_identical_decision_traces(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(generate_lines("plan_reset", 0)))
    outs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.trace.jsonl"
        assert cli.main(["replay", str(path), "--policy", "clawvm", "--budget", "180", "--trace-out", str(out)]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 100


def test_cli_gates_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gates"]) == 0
    assert capsys.readouterr().out.count("PASS") == 6
    for command in ("suite", "replay", "convert", "gates"):
        with pytest.raises(SystemExit) as info:
            cli.main([command, "--help"])
        assert info.value.code == 0
        assert "usage: clawvm " + command in capsys.readouterr().out


def test_cli_suite_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["suite", "--out", str(tmp_path), "--budgets", "120,300", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Shape checks" in out and "[ ]" not in out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["summary.md", "summary.csv", "results.csv", "ablations.csv", "results.json",
                            "faults_by_budget.png", "thrash_by_budget.png"])


def test_cli_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["replay", "/nonexistent/trace.jsonl"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_trace_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text("".join(generate_lines("multisession", 0)))
    assert load(path) == generate("multisession", 0)

"""The command line as a user meets it: stdin, files that are not what they should be, output
into a closed pipe, decision traces for several policies, exit statuses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clawvm import cli
from clawvm.replay.policies import REPLAY_POLICIES
from clawvm.replay.workloads import generate_lines


@pytest.fixture
def trace_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.jsonl"
    path.write_text("".join(generate_lines("plan_reset", 0)), encoding="utf-8")
    return path


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("clawvm: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


# ---------------------------------------------------------------------- stdin


def test_replay_reads_stdin(trace_file: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["replay", str(trace_file), "--budget", "180", "--json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    _stdin(monkeypatch, trace_file.read_bytes())
    assert cli.main(["replay", "-", "--budget", "180", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_file
    assert [r["policy"] for r in from_file] == list(REPLAY_POLICIES)


def test_stdin_errors_are_named_stdin(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, b'{"clawvm_trace": 2}\n{"op": "teleport"}\n')
    assert cli.main(["replay", "-"]) == 2
    assert _one_error(capsys).startswith("clawvm: <stdin>:2: unknown op 'teleport'")
    _stdin(monkeypatch, b"[\n  {\"role\": \"user\", \"content\": \"hi\"},\n  {\"role\": 7}\n]")
    assert cli.main(["convert", "openai", "-"]) == 2
    assert _one_error(capsys).startswith("clawvm: <stdin>:3: unknown role 7")


@pytest.mark.parametrize("kind", ["claude-code", "openai"])
def test_convert_reads_stdin(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str],
                             convert_helpers: ModuleType) -> None:
    if kind == "claude-code":
        data = "".join(line + "\n" for line in convert_helpers.claude_code_session()).encode()
    else:
        data = json.dumps(convert_helpers.openai_chat(), indent=2).encode()
    path = tmp_path / "in.json"
    path.write_bytes(data)
    assert cli.main(["convert", kind, str(path)]) == 0
    from_file = capsys.readouterr().out
    _stdin(monkeypatch, data)
    assert cli.main(["convert", kind, "-", "-o", "-"]) == 0
    from_stdin = capsys.readouterr().out
    # The same events; only the header's source (and a fallback session) names the input.
    assert from_stdin.splitlines()[1:] == from_file.splitlines()[1:]
    assert "<stdin>" in from_stdin.splitlines()[0]


def test_stdin_in_a_real_process(trace_file: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "clawvm", "replay", "-", "--policy", "clawvm",
                           "--budget", "180", "--json"], input=trace_file.read_bytes(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["policy"] == "clawvm"


# ---------------------------------------------------------------------- files that are not files


def test_a_directory_is_one_line_and_exit_2(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["convert", "claude-code", str(tmp_path)], ["convert", "openai", str(tmp_path)]):
        assert cli.main(argv) == 2
        assert _one_error(capsys) == f"clawvm: {tmp_path}: is a directory"
    assert cli.main(["replay", str(tmp_path)]) == 2  # a directory of traces, none there
    assert _one_error(capsys) == f"clawvm: {tmp_path}: no trace files (*.jsonl) in it"


def test_missing_and_unreachable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["convert", "openai", str(tmp_path / "nope.json")]) == 2
    assert _one_error(capsys) == f"clawvm: {tmp_path / 'nope.json'}: no such file or directory"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["replay", str(blocker / "t.jsonl")]) == 2
    problem = _one_error(capsys).removeprefix(f"clawvm: {blocker / 't.jsonl'}: ")
    assert problem in ("not a directory", "no such file or directory")  # POSIX, Windows


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root (or Windows) reads files whatever their mode")
def test_unreadable_file(trace_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trace_file.chmod(0)
    assert cli.main(["replay", str(trace_file)]) == 2
    assert _one_error(capsys) == f"clawvm: {trace_file}: permission denied"


def test_non_utf8_input_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       convert_helpers: ModuleType) -> None:
    trace = tmp_path / "latin1.jsonl"
    trace.write_bytes(b'{"clawvm_trace": 2}\n{"op": "tool", "name": "caf\xe9"}\n')
    assert cli.main(["replay", str(trace)]) == 2
    assert _one_error(capsys).startswith(f"clawvm: {trace}:2: not UTF-8 text (byte 0xe9")
    session = tmp_path / "s.jsonl"
    rows = [line.encode() for line in convert_helpers.claude_code_session()]
    rows[5] = rows[5].replace(b"Bash", b"B\xffsh")
    session.write_bytes(b"\n".join(rows))
    assert cli.main(["convert", "claude-code", str(session)]) == 2
    assert _one_error(capsys).startswith(f"clawvm: {session}:6: not UTF-8 text (byte 0xff")
    chat = tmp_path / "chat.json"
    text = json.dumps(convert_helpers.openai_chat(), indent=2).encode()
    chat.write_bytes(text.replace(b"UPS", b"\xc3("))
    assert cli.main(["convert", "openai", str(chat)]) == 2
    line = chat.read_bytes()[: chat.read_bytes().index(b"\xc3(")].count(b"\n") + 1
    assert _one_error(capsys).startswith(f"clawvm: {chat}:{line}: not UTF-8 text (byte 0xc3")


def test_suite_out_on_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "report.md"
    existing.write_text("keep me")
    assert cli.main(["suite", "--out", str(existing), "--quiet", "--no-plots"]) == 2
    assert _one_error(capsys) == f"clawvm: --out: {existing} exists and is not a directory"
    assert existing.read_text() == "keep me"


def test_output_that_cannot_be_written(trace_file: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       convert_helpers: ModuleType) -> None:
    session = tmp_path / "s.jsonl"
    session.write_text("\n".join(convert_helpers.claude_code_session()))
    assert cli.main(["convert", "claude-code", str(session), "-o", str(tmp_path)]) == 2
    assert _one_error(capsys) == f"clawvm: {tmp_path}: is a directory"
    argv = ["replay", str(trace_file), "--policy", "lru", "--trace-out", str(tmp_path)]
    assert cli.main(argv) == 2
    assert _one_error(capsys) == f"clawvm: {tmp_path}: is a directory"


@pytest.mark.parametrize("argv", [
    ["replay", "t.jsonl", "--budget", "-1"],
    ["replay", "t.jsonl", "--budget", str(2**62 + 1)],
    ["replay", "t.jsonl", "--budget", "9" * 5000],
    ["replay", "t.jsonl", "--policy", "fifo"],
    ["suite", "--seeds", "0"],
    ["replay", "t.jsonl", "--bands", "F2"],
    ["convert", "markdown", "x"],
    ["teleport"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: clawvm" in err and "Traceback" not in err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "usage: clawvm" in capsys.readouterr().err


# ---------------------------------------------------------------------- decision traces


def test_trace_out_with_several_policies_writes_one_file_each(trace_file: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "d.jsonl"
    assert cli.main(["replay", str(trace_file), "--budget", "180", "--trace-out", str(out)]) == 0
    assert not out.exists()
    written = sorted(p.name for p in tmp_path.glob("d.*.jsonl"))
    assert written == sorted(f"d.{name}.jsonl" for name in REPLAY_POLICIES)
    for name in ("retrieval", "clawvm"):  # each is that policy's own trace
        alone = tmp_path / f"alone-{name}.jsonl"
        assert cli.main(["replay", str(trace_file), "--budget", "180", "--policy", name,
                         "--trace-out", str(alone)]) == 0
        assert (tmp_path / f"d.{name}.jsonl").read_bytes() == alone.read_bytes()
    assert (tmp_path / "d.retrieval.jsonl").read_bytes() != (tmp_path / "d.lru.jsonl").read_bytes()


def test_trace_out_names() -> None:
    assert cli.trace_out_paths("x/d.jsonl", ["lru"]) == {"lru": Path("x/d.jsonl")}
    assert cli.trace_out_paths("x/d.trace.jsonl", ["lru", "clawvm"]) == {
        "lru": Path("x/d.trace.lru.jsonl"), "clawvm": Path("x/d.trace.clawvm.jsonl")}
    assert cli.trace_out_paths("out", ["lru", "oracle"])["oracle"] == Path("out.oracle")


# ---------------------------------------------------------------------- closed pipes

posix_pipes = pytest.mark.skipif(sys.platform == "win32",
                                 reason="EPIPE and SIGPIPE are POSIX; Windows reports EINVAL")


@posix_pipes
@pytest.mark.parametrize("argv", [
    ["replay", "{trace}", "--json"],
    ["replay", "{trace}", "--budget", "180"],
    ["convert", "claude-code", "{session}"],
    ["gates"],
    ["--help"],
])
def test_output_into_a_closed_pipe_exits_quietly(argv: list[str], trace_file: Path, tmp_path: Path,
                                                 convert_helpers: ModuleType) -> None:
    """The reader is gone before clawvm writes (as `head` is after its lines): no traceback,
    nothing on stderr, exit status 141 like any program cut short by SIGPIPE (argparse's
    --help ignores write errors itself and exits 0)."""
    session = tmp_path / "s.jsonl"
    session.write_text("\n".join(convert_helpers.claude_code_session() * 40))
    args = [a.format(trace=trace_file, session=session) for a in argv]
    with subprocess.Popen([sys.executable, "-m", "clawvm", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read()
    assert proc.wait(timeout=120) == (0 if argv == ["--help"] else cli.EXIT_PIPE)
    assert err == b""


@posix_pipes
def test_a_reader_that_stops_early(tmp_path: Path, convert_helpers: ModuleType) -> None:
    """`clawvm convert ... | head -1`: the first line arrives, the rest goes nowhere quietly."""
    session = tmp_path / "s.jsonl"
    session.write_text("\n".join(convert_helpers.claude_code_session() * 200))
    with subprocess.Popen([sys.executable, "-m", "clawvm", "convert", "claude-code", str(session)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
    assert json.loads(first)["clawvm_trace"] == 2
    assert proc.wait(timeout=120) == cli.EXIT_PIPE
    assert err == b""

"""Fuzzing the command line with mutated traces and transcripts.

A fixed seed makes 2,300 mutants of generated traces and of the converter fixtures (byte
flips and inserts, truncation, deleted, duplicated and swapped lines, and JSON values
swapped for hostile ones: deep nesting, 5,000-digit integers, lone surrogate escapes, huge
strings, NaN, wrong types, duplicate keys). Each goes through ``clawvm.cli.main`` in this
process, as ``clawvm replay`` or ``clawvm convert`` (Claude Code, OpenAI, Anthropic). Every
case must end with exit status 0
(and nothing on stderr) or 2 with exactly one line ``clawvm: FILE:LINE: problem`` naming a
line the file has; no exception may escape and no case may take longer than
``CASE_SECONDS``. What a converter accepts must replay without an error.
"""

from __future__ import annotations

import io
import json
import random
import re
import signal
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

from clawvm import cli
from clawvm.replay.policies import REPLAY_POLICIES
from clawvm.replay.format import dump_lines
from clawvm.replay.workloads import FAMILIES, TraceBuilder, generate_lines

SEED = 11
MUTANTS = {"replay": 1200, "claude-code": 500, "openai": 300, "anthropic": 300}
CASE_SECONDS = 20.0  # a hang, not a slow case on a loaded 2-core machine
PLACEHOLDER = "\x00hostile\x00"

HOSTILE = [
    "[" * 5000 + "]" * 5000,  # deeper than any recursion limit
    '{"a":' * 200 + "1" + "}" * 200,
    "[" * 65 + "]" * 65,  # one past the documented limit
    "9" * 5000,  # past Python's 4,300-digit int limit
    "-" + "7" * 4400,
    str(2**63), str(-(2**63) - 1), str(2**31), "1e400", "-1e999", "NaN", "Infinity", "-Infinity",
    '"\\udc80"', '"\\ud800"', '"x\\ud83dy"', '"\\ude00"', '"\\u0000"',
    '"' + "x" * 300_000 + '"',  # a huge string
    '"' + "\u00e9\u4e2d" * 20_000 + '"',
    '""', '"   "', '"a b"', '"-"', '"seg-0001"', '"ev-0001"', '"boot"', '"full"', '"none"',
    "-1", "0", "1.5", "-0.0", "1e-320", "true", "false", "null", "{}", "[]", '[1, 2, 3]',
    '["x", "full"]', '{"page": "x"}', '{"a": 1, "a": 2}', '{"type": "text"}', '"r-0003"',
    '[0, 0, 0, 2147483648]', "[-1, 2, 3, 4]", "[1.0, 2.0, 3.0, 4.0]",
]
JUNK_LINES = ("\n", "{}\n", "[]\n", "null\n", "\ufeff{\n", '{"op": "turn"}\n', "\t \r\n",
              "x" * 1000 + "\n")
KEYS = ["op", "id", "type", "tokens", "demands", "page", "rep", "name", "args", "tool", "value",
        "call_id", "read_only", "resource", "dirty", "speaker",
        "utility", "recompute", "pin", "floor", "scope", "status", "query", "key", "update",
        "principal", "base_version", "evidence_ref", "threshold_jump", "session", "clawvm_trace",
        "message", "content", "role", "tool_calls", "tool_call_id", "function", "arguments",
        "tool_use_id", "input", "isCompactSummary", "subtype", "sessionId", "is_error", "messages"]


# ---------------------------------------------------------------------- seeds


def _trace_seeds() -> list[str]:
    """Prefixes of every workload family (a prefix of a trace is a trace), and a trace with
    every op and optional field."""
    seeds = ["".join(generate_lines(f, 0)[:90]) for f in sorted(FAMILIES)]
    s = TraceBuilder(random.Random(0), "all-ops")
    s.pinned()
    s.message("user")
    s.turn(("rules", "full"), ("plan", "structured"))
    ev = s.read()
    s.add("page", id="pref", type="preference", tokens=[1, 3, 0, 9], pin="soft", floor="pointer",
          scope="project", utility=-0.5, recompute=2, dirty=False)
    s.turn((ev, "compressed"), ("pref", "full"))
    s.repeat()
    s.edit()
    s.add("tool", name="grep", args="not json", call_id="c-1", read_only=True,
          resource=["src", "docs"], page="g1", tokens=[2, 4, 6, 8])
    s.add("write", page="plan", value={"goal": "ship", "step": 0}, principal="agent",
          tokens=[3, 5, 0, 9])
    s.add("persist", key="pref:style", update="set", value={"key": "tabs"}, scope="project",
          principal="user", base_version=0, evidence_ref=ev, type="preference")
    s.add("persist", key="notes", update="append", value=["a"], principal="agent")
    s.add("recall", page="plan", status="ok")
    s.add("recall", query="deploy", status="denied", principal="subagent:x")
    s.add("compaction", threshold_jump=True)
    s.add("reset")
    s.add("drop", page="pref")
    s.add("session_end")
    s.add("session_start", session="s2")
    s.turn(("rules", "structured"))
    seeds.append("".join(dump_lines({"session": "all-ops", "source": "fuzz"}, s.events)))
    return seeds


def _jsonl(rows: list[str]) -> str:
    return "".join(r if r.endswith("\n") else r + "\n" for r in rows)


# ---------------------------------------------------------------------- mutations


def _swap_value(rng: random.Random, text: str) -> str:
    """Replace one value (or add one field) of one JSON text with a hostile value."""
    obj = json.loads(text)
    node: Any = obj
    for _ in range(rng.randint(0, 6)):  # walk down a random path
        children = list(node.values()) if isinstance(node, dict) else node
        if not isinstance(node, (dict, list)) or not children:
            break
        child = rng.choice(children)
        if not isinstance(child, (dict, list)) or rng.random() < 0.3:
            break
        node = child
    if isinstance(node, dict) and node and rng.random() < 0.7:
        node[rng.choice(list(node))] = PLACEHOLDER
    elif isinstance(node, dict):
        node[rng.choice(KEYS)] = PLACEHOLDER
    elif isinstance(node, list) and node:
        node[rng.randrange(len(node))] = PLACEHOLDER
    else:
        obj = PLACEHOLDER
    out = json.dumps(obj, indent=2 if "\n" in text.strip() else None)
    return out.replace(json.dumps(PLACEHOLDER), rng.choice(HOSTILE), 1)


def _mutate(rng: random.Random, text: str, document: bool) -> bytes:
    """One to three mutations of ``text``: bytes, lines or JSON values."""
    data = text
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        lines = data.splitlines(keepends=True) or [""]
        kind = rng.choice(("value", "value", "value", "bytes", "truncate", "delete", "duplicate",
                           "swap", "insert"))
        i = rng.randrange(len(lines))
        if kind == "value":
            if document:
                try:
                    data = _swap_value(rng, data)
                except (ValueError, RecursionError):  # mutated past what json reads
                    pass
                continue
            try:
                lines[i] = _swap_value(rng, lines[i]) + "\n"
            except (ValueError, RecursionError):
                pass
        elif kind == "bytes":
            raw = bytearray(data.encode("utf-8", "surrogatepass"))
            for _ in range(rng.randint(1, 4)):
                if raw:
                    raw[rng.randrange(len(raw))] = rng.randrange(256)
            return bytes(raw)
        elif kind == "truncate":
            data = data[: rng.randrange(len(data) + 1)]
            continue
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, rng.choice(JUNK_LINES))
        data = "".join(lines)
    return data.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------- running one case


class _Hang(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a case that runs past ``seconds`` (where there is SIGALRM; elsewhere the
    time is checked after the case, and only the CI job's timeout stops a true hang)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def _alarm(signum: int, frame: Any) -> None:
        raise _Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _run(argv: list[str]) -> tuple[int | str, str, str, float]:
    """(exit status, or the escaped exception's traceback; stdout; stderr; seconds)."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        with _time_limit(CASE_SECONDS), redirect_stdout(out), redirect_stderr(err):
            code: int | str = cli.main(argv)
    except _Hang as exc:
        code = f"hang: {exc}"
    except BaseException:  # noqa: BLE001 - SystemExit included: nothing may escape
        code = traceback.format_exc()
    seconds = time.perf_counter() - start
    if seconds > CASE_SECONDS:
        code = f"hang: took {seconds:.1f} s"
    return code, out.getvalue(), err.getvalue(), seconds


def _check(path: Path, data: bytes, code: int | str, err: str) -> str | None:
    """What is wrong with a case's outcome, or None."""
    if isinstance(code, str):
        return code
    if code == 0:
        return None if err == "" else f"exit 0 with stderr {err[:300]!r}"
    if code != 2:
        return f"exit status {code}"
    m = re.fullmatch(rf"clawvm: {re.escape(str(path))}:(\d+): \S[^\n]*\n", err)
    if m is None:
        return f"exit 2 without one 'FILE:LINE: problem' line: {err[:300]!r}"
    lines = data.count(b"\n") + 1
    if not 1 <= int(m.group(1)) <= lines:
        return f"line {m.group(1)} of a file with {lines} lines: {err[:300]!r}"
    return None


def test_fuzz_cli_with_mutated_traces_and_transcripts(
    tmp_path: Path, convert_helpers: ModuleType
) -> None:
    rng = random.Random(SEED)
    chat = convert_helpers.openai_chat()
    seeds: dict[str, list[str]] = {
        "replay": _trace_seeds(),
        "claude-code": [_jsonl(convert_helpers.claude_code_session(error=e))
                        for e in (True, False)],
        "openai": [json.dumps(chat, indent=2),
                   json.dumps({"id": "conv-7", "messages": chat}, indent=1)],
        "anthropic": [json.dumps(convert_helpers.anthropic_chat(), indent=2),
                      json.dumps(convert_helpers.anthropic_chat()["messages"], indent=1)],
    }
    policies = sorted(REPLAY_POLICIES)
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    spent: dict[str, float] = {}
    for kind, count in MUTANTS.items():
        began = time.perf_counter()
        for n in range(count):
            document = kind in ("openai", "anthropic")
            data = _mutate(rng, rng.choice(seeds[kind]), document=document)
            path = tmp_path / f"{kind}-{n}.{'json' if document else 'jsonl'}"
            path.write_bytes(data)
            if kind == "replay":
                argv = ["replay", str(path), "--policy", rng.choice(policies),
                        "--budget", str(rng.choice((0, 60, 180, 4000)))]
                argv += ["--json"] if rng.random() < 0.5 else []
            else:
                argv = ["convert", kind, str(path)]
            code, out, err, seconds = _run(argv)
            slowest = max(slowest, seconds)
            problem = _check(path, data, code, err)
            outcomes[f"{kind}:{code if isinstance(code, int) else 'error'}"] += 1
            if problem is None and kind != "replay" and code == 0:
                # What a converter writes must be a trace the reader takes and the replay runs.
                converted = tmp_path / f"{kind}-{n}.trace.jsonl"
                converted.write_text(out, encoding="utf-8")
                code, _, err, _ = _run(["replay", str(converted), "--policy", rng.choice(policies)])
                if code != 0:
                    problem = f"its conversion does not replay: {code!r} {err[:300]!r}"
            if problem is not None:
                failures.append(f"{path.name} ({' '.join(argv[:2])}): {problem}")
        spent[kind] = round(time.perf_counter() - began, 1)
    print(f"outcomes {dict(sorted(outcomes.items()))}; seconds {dict(spent)}; "
          f"slowest case {slowest:.2f} s")
    assert not failures, f"{len(failures)} failing cases, e.g.:\n" + "\n".join(failures[:8])
    # The fuzzer must exercise both sides: mutants that parse and mutants that are refused.
    for kind, count in MUTANTS.items():
        assert outcomes[f"{kind}:0"] >= count // 20, outcomes
        assert outcomes[f"{kind}:2"] >= count // 4, outcomes

"""The ``clawvm`` command line: the evaluation suite, replays, converters and gates.

Exit status: 0 done; 1 a gate or shape check failed (``suite``, ``gates``); 2 bad input or
arguments, with one line on stderr: ``clawvm: FILE:LINE: problem`` for a file's content,
``clawvm: FILE: problem`` for a file that cannot be opened or written; 141 (128 + SIGPIPE)
when the reader of stdout goes away (``clawvm replay t.jsonl --json | head``), quietly.
A FILE of ``-`` is stdin (named ``<stdin>`` in errors).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from clawvm import IMPLEMENTATION, __version__
from clawvm.errors import ClawVMError, InvalidInputError
from clawvm.policy import POLICIES
from clawvm.replay.reader import refuse_directory
from clawvm.replay.sim import STORES

EXIT_USAGE = 2  # bad input: malformed trace, unknown file, bad arguments
EXIT_PIPE = 128 + 13  # SIGPIPE: what a shell reports for `cat` cut short by `head`
STDIN = "-"
MAX_BUDGET = 2**62  # the engine's


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:40]:<40}")
        if done == total:
            sys.stderr.write("\r" + " " * (width + 56) + "\r")
        sys.stderr.flush()


def _suite(args: argparse.Namespace) -> int:
    from clawvm.replay.gates import run_gates
    from clawvm.replay.report import render, shape_checks, write_outputs
    from clawvm.replay.sweep import run_sweep

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InvalidInputError("--out", f"{out} exists and is not a directory")
    gates = run_gates()
    sweep = run_sweep(seed=args.seed, budgets=args.budgets, store=STORES[args.store],
                      progress=_Progress(not args.quiet))
    plots = not args.no_plots
    if plots:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("note: matplotlib is not installed, so no PNG plots (pip install 'clawvm[plot]')", file=sys.stderr)
            plots = False
    written = write_outputs(sweep, gates, out, plots=plots)
    print(render(sweep, gates))
    print(f"wrote {len(written)} files to {args.out}/ ({', '.join(p.name for p in written)})")
    ok = all(g.passed for g in gates) and all(holds for _, holds in shape_checks(sweep))
    return 0 if ok else 1


def _input(path: str) -> tuple[str | IO[bytes], str]:
    """What to read for a FILE argument (``-`` is stdin) and the name errors give it."""
    if path != STDIN:
        return path, path
    stdin = sys.stdin
    stream = getattr(stdin, "buffer", None)
    if stream is None:  # a text-only stand-in (an embedding program's sys.stdin)
        stream = io.BytesIO(stdin.read().encode("utf-8", "surrogateescape"))
    return stream, "<stdin>"


def trace_out_paths(path: str, policies: Sequence[str]) -> dict[str, Path]:
    """Where ``--trace-out`` writes each policy's decision trace: the path itself for one
    policy; for several, one file each, the policy's name before the extension
    (``d.jsonl`` -> ``d.clawvm.jsonl``, ``d.lru.jsonl``, ...)."""
    p = Path(path)
    if len(policies) == 1:
        return {policies[0]: p}
    return {name: p.with_name(f"{p.stem}.{name}{p.suffix}") for name in policies}


def _replay(args: argparse.Namespace) -> int:
    from clawvm.replay.format import load
    from clawvm.replay.sim import replay
    from clawvm.trace import DecisionTrace

    source, name = _input(args.trace)
    trace = load(source, name=name)
    names = list(POLICIES) if args.policy == "all" else [args.policy]
    outs = trace_out_paths(args.trace_out, names) if args.trace_out else {}
    for path in outs.values():
        refuse_directory(path)
    results = []
    for policy in names:
        sink = DecisionTrace(outs[policy]) if policy in outs else None
        try:
            results.append(replay(trace, POLICIES[policy], args.budget, store=STORES[args.store],
                                  sink=sink))
        finally:
            if sink is not None:
                sink.close()
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2, sort_keys=True))
        return 0
    from clawvm.replay.report import markdown_table
    from clawvm.replay.reader import show

    turns = sum(e.op == "turn" for e in trace.events)
    print(f"{name}: session {show(trace.session)}, {turns} turns, budget {args.budget}")
    print(markdown_table([
        {"policy": r.policy, "faults": r.report.total_faults, "thrash": round(r.report.thrash, 3),
         "hits": r.report.hits, "alerts": r.report.alerts, "pressure_turns": r.pressure_turns,
         **{k: v for k, v in r.report.faults.items()}}
        for r in results
    ]))
    return 0


def _convert(args: argparse.Namespace) -> int:
    from clawvm.replay import convert

    fn = convert.from_claude_code if args.format == "claude-code" else convert.from_openai
    source, name = _input(args.file)
    if args.output and args.output != STDIN:
        refuse_directory(args.output)
    lines = fn(source, name=name)
    if args.output and args.output != STDIN:
        Path(args.output).write_text("".join(lines), encoding="utf-8", newline="\n")
        print(f"wrote {len(lines) - 1} events to {args.output}", file=sys.stderr)
    else:
        sys.stdout.writelines(lines)
    return 0


def _gates(args: argparse.Namespace) -> int:
    from clawvm.replay.gates import run_gates
    from clawvm.replay.report import markdown_table

    gates = run_gates()
    print(markdown_table([{"gate": g.name, "result": "PASS" if g.passed else "FAIL", "detail": g.detail} for g in gates]))
    return 0 if all(g.passed for g in gates) else 1


def _optimality(args: argparse.Namespace) -> int:
    from clawvm import optimality

    points = optimality.run(args.sizes, range(args.seeds), max_cells=args.max_cells,
                            progress=_Progress(not args.quiet))
    if args.json:
        report = {"summary": optimality.summarize(points), "holds": optimality.holds(points),
                  "points": [p.as_dict() for p in points]}
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(optimality.markdown(points, by_size=True))
    return 0 if optimality.holds(points) else 1


def _sizes(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated page counts, got {text[:40]!r}") from None
    if not all(5 <= v <= 100_000 for v in values):
        raise argparse.ArgumentTypeError(f"table sizes must be in [5, 100000], got {text[:40]}")
    return values


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text[:40]!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _budget(text: str) -> int:
    try:
        value = int(text)
    except ValueError:  # also past 4,300 digits
        raise argparse.ArgumentTypeError(f"expected an integer, got {text[:40]!r}") from None
    if not 0 <= value <= MAX_BUDGET:
        raise argparse.ArgumentTypeError(f"a budget must be in [0, 2**62], got {text[:40]}")
    return value


def _budgets(text: str) -> tuple[int, ...]:
    return tuple(_budget(x) for x in text.split(","))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clawvm",
        description="Virtual memory for LLM agent harnesses: replay sessions, measure faults.",
    )
    p.add_argument("--version", action="version", version=f"clawvm {__version__} ({IMPLEMENTATION} engine)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("suite", help="run the whole evaluation (gates, sweep, ablations) and write a report",
                       description="Replay six policies over four seeded workload families and six budgets, "
                                   "plus ClawVM minus each mechanism; run the Tier-1 gates; print the summary "
                                   "and write Markdown, CSV, JSON and PNG plots. Exit 1 if a gate or a shape "
                                   "check fails.")
    s.add_argument("--out", default="clawvm-suite", help="output directory (default: ./clawvm-suite)")
    s.add_argument("--seed", type=int, default=0, help="workload seed (default 0)")
    s.add_argument("--budgets", type=_budgets, default=(120, 180, 240, 300, 380, 500),
                   help="comma-separated page budgets in tokens (default 120,180,240,300,380,500)")
    s.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    s.add_argument("--store", choices=sorted(STORES), default="sqlite",
                   help="journal backend, a fresh one per run (default: sqlite, in memory)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(run=_suite)

    r = sub.add_parser("replay", help="replay a session trace under a policy and count its faults",
                       description="Replay a trace (see `clawvm convert` and the README's trace format) and "
                                   "report the faults each policy would have had.")
    r.add_argument("trace", help="trace file (JSONL); - reads stdin")
    r.add_argument("--policy", default="all", choices=["all", *POLICIES], help="policy (default: all)")
    r.add_argument("--budget", type=_budget, default=4000,
                   help="page budget in tokens (default 4000)")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.add_argument("--trace-out", metavar="FILE",
                   help="write the decision trace (JSONL) to FILE; with several policies one file "
                        "each, the policy's name before the extension (d.jsonl -> d.clawvm.jsonl)")
    r.add_argument("--store", choices=sorted(STORES), default="sqlite",
                   help="journal backend, a fresh one per run (default: sqlite, in memory)")
    r.set_defaults(run=_replay)

    c = sub.add_parser("convert", help="turn a real transcript into a trace",
                       description="Convert a Claude Code session (JSONL) or an OpenAI-style message list "
                                   "(JSON) into a clawvm trace, on stdout or into --output.")
    c.add_argument("format", choices=["claude-code", "openai"], help="transcript format")
    c.add_argument("file", help="transcript file; - reads stdin")
    c.add_argument("-o", "--output", help="write the trace here instead of stdout (- is stdout)")
    c.set_defaults(run=_convert)

    o = sub.add_parser("optimality", help="measure Phase 2's greedy against the exact optimum",
                       description="Build seeded realistic page tables, select at budgets from "
                                   "the Phase 1 total to the all-full total, and compare the "
                                   "greedy's utility with the exact optimum from the same lower "
                                   "bounds (prefetch on and off). Exit 1 if mean < 0.99 or "
                                   "worst < 0.97.")
    o.add_argument("--sizes", type=_sizes, default=(20, 40, 64, 128, 256, 512, 1024),
                   help="comma-separated table sizes in pages (default 20,40,64,128,256,512,1024)")
    o.add_argument("--seeds", type=_positive, default=3, help="tables per size (default 3)")
    o.add_argument("--max-cells", type=_positive, default=20_000_000,
                   help="largest exact program (pages x tokens) before it works in coarse units")
    o.add_argument("--json", action="store_true", help="machine-readable output")
    o.add_argument("--quiet", action="store_true", help="no progress bar")
    o.set_defaults(run=_optimality)

    g = sub.add_parser("gates", help="run the six Tier-1 gates",
                       description="Run the Tier-1 scenarios; exit 1 if any fails.")
    g.set_defaults(run=_gates)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    try:
        try:
            return _main(argv)
        finally:  # a closed pipe shows here (after --help too), not in the interpreter's last flush
            sys.stdout.flush()
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_PIPE
    except KeyboardInterrupt:
        return 128 + 2


def _main(argv: Sequence[str] | None) -> int:
    p = parser()
    args = p.parse_args(argv)  # usage errors: argparse's message and exit status 2
    if getattr(args, "run", None) is None:
        p.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except BrokenPipeError:
        raise
    except ClawVMError as exc:  # TraceError: FILE:LINE: problem; StoreError; bad options
        problem = str(exc)
    except OSError as exc:  # cannot open, read or write a file the user named
        problem = _os_problem(exc)
    print(f"clawvm: {problem}", file=sys.stderr)
    return EXIT_USAGE


def _os_problem(exc: OSError) -> str:
    if exc.filename is None or not exc.strerror:
        return str(exc)
    return f"{os.fsdecode(exc.filename)}: {exc.strerror[0].lower()}{exc.strerror[1:]}"


def _stdout_to_devnull() -> None:
    """The standard recipe for a closed pipe: stdout's descriptor now points at /dev/null,
    so the interpreter's final flush of what is still buffered does not fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # not a real file: nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())

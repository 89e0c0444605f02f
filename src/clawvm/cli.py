"""The ``clawvm`` command line: the evaluation suite, replays, converters and gates.

Exit status: 0 done; 1 a gate failed, or a crippled engine kept a check that depends on what
it lacks (``suite``, ``gates``); 2 bad input or arguments, with one line on stderr:
``clawvm: FILE:LINE: problem`` for a file's content, ``clawvm: FILE: problem`` for a file
that cannot be opened or written (a replay of several traces lists one such line per trace
it could not replay, goes on with the others, and exits 2 at the end); 141 (128 + SIGPIPE)
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
from clawvm.replay.driver import STORES
from clawvm.replay.policies import REPLAY_POLICIES
from clawvm.replay.reader import refuse_directory

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
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}")
        if done == total:
            sys.stderr.write("\r" + " " * (width + 56) + "\r")
        sys.stderr.flush()


def _suite(args: argparse.Namespace) -> int:
    from clawvm import optimality
    from clawvm.replay.checks import crippled_checks
    from clawvm.replay.gates import run_gates
    from clawvm.replay.report import render, write_outputs
    from clawvm.replay.sweep import run_suite

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InvalidInputError("--out", f"{out} exists and is not a directory")
    gates = run_gates(STORES[args.store])
    suite = run_suite(range(args.seeds), range(args.table_seeds), procs=args.jobs,
                      store=STORES[args.store],
                      progress=_Progress(not args.quiet))
    written = write_outputs(suite, gates, out, plots=_plots(args.no_plots))
    print(render(suite, gates))
    print(f"wrote {len(written)} files to {args.out}/ ({', '.join(p.name for p in written)})")
    ok = (
        all(g.passed for g in gates)
        and all(row[-1] for row in crippled_checks(suite))
        and optimality.holds(suite.optimality)
    )
    return 0 if ok else 1


def _plots(no_plots: bool) -> bool:
    if no_plots:
        return False
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("note: matplotlib is not installed, so no PNG plots (pip install 'clawvm[plot]')",
              file=sys.stderr)
        return False
    return True


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
    from clawvm.replay.corpus import find_traces

    paths = [STDIN] if args.trace == [STDIN] else find_traces(args.trace)
    if args.bands is None and len(paths) == 1 and paths[0] == args.trace[0]:
        return _replay_one(args, paths[0])
    if STDIN in paths:
        raise InvalidInputError("trace", "stdin (-) is one trace: give no other traces or --bands")
    if args.trace_out:
        raise InvalidInputError("--trace-out", "takes one trace replayed at one --budget")
    return _replay_many(args, paths)


def _replay_one(args: argparse.Namespace, path: str) -> int:
    from clawvm.replay.driver import replay
    from clawvm.replay.format import load
    from clawvm.replay.policies import get
    from clawvm.trace import DecisionTrace

    source, name = _input(path)
    trace = load(source, name=name)
    names = list(REPLAY_POLICIES) if args.policy == "all" else [args.policy]
    outs = trace_out_paths(args.trace_out, names) if args.trace_out else {}
    for out in outs.values():
        refuse_directory(out)
    budget = 4000 if args.budget is None else args.budget
    results = []
    for policy in names:
        sink = DecisionTrace(outs[policy]) if policy in outs else None
        try:
            results.append(replay(trace, get(policy), budget, store=STORES[args.store],
                                  sink=sink))
        finally:
            if sink is not None:
                sink.close()
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2, sort_keys=True))
        return 0
    from clawvm.replay.reader import show
    from clawvm.replay.report import markdown_table

    turns = sum(e.op == "turn" for e in trace.events)
    print(f"{name}: session {show(trace.session)}, {turns} turns, budget {budget}")
    print(markdown_table([
        {"policy": r.policy, "faults": r.report.total_faults,
         "residency": r.residency_faults, "lifecycle": r.lifecycle_faults, "lost": r.lost,
         "pressure_turns": r.pressure_turns, "hits": r.report.hits,
         "page_ins": r.report.page_ins, "alerts": r.report.alerts,
         "thrash": round(r.report.thrash, 3), **dict(r.report.faults.items())}
        for r in results
    ]))
    return 0


def _replay_many(args: argparse.Namespace, paths: list[str]) -> int:
    from clawvm.replay.corpus import LABELS, run_corpus
    from clawvm.replay.report import aggregate, markdown_table, plot_bands, write_text

    labels = list(LABELS) if args.bands is None else args.bands
    if args.budget is not None:
        raise InvalidInputError("--budget", "replays several traces at --bands, not one budget")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise InvalidInputError("--out", f"{out} exists and is not a directory")
    names = list(REPLAY_POLICIES) if args.policy == "all" else [args.policy]
    corpus = run_corpus(paths, names, labels, procs=args.jobs, store=STORES[args.store],
                        progress=_Progress(True))
    for error in corpus.errors:
        print(f"clawvm: {error}", file=sys.stderr)
    agg = aggregate(corpus.runs)
    summary = [{k: v for k, v in row.items() if k in _CORPUS_COLUMNS} for row in agg]
    if args.json:
        print(json.dumps({"traces": len(corpus.bands), "errors": list(corpus.errors),
                          "bands": {p: [b.f1, b.fp] for p, b in corpus.bands.items()},
                          "summary": agg}, indent=2, sort_keys=True))
    else:
        print(f"{len(corpus.bands)} traces replayed, {len(corpus.errors)} with errors; "
              "failures = preventable faults + lost demands")
        print(markdown_table(summary))
    if out is not None and corpus.runs:
        from clawvm.replay.report import _csv

        write_text(out, {"summary.csv": _csv(agg),
                         "runs.csv": _csv([r.as_dict() for r in corpus.runs]),
                         "summary.md": markdown_table(summary)})
        if _plots(False):
            plot_bands(agg, "failures_mean", "Mean policy failures by band",
                       out / "failures_by_band.png", "failures per session")
    return EXIT_USAGE if corpus.errors else 0


_CORPUS_COLUMNS = ("policy", "band", "traces", "failures_mean", "failures_median",
                   "residency_mean", "lifecycle_mean", "pressure_turns_mean")


def _convert(args: argparse.Namespace) -> int:
    from clawvm.replay import convert

    fn = {"claude-code": convert.from_claude_code, "openai": convert.from_openai,
          "anthropic": convert.from_anthropic}[args.format]
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
    print(markdown_table([{"gate": g.name, "result": "PASS" if g.passed else "FAIL",
                           "budget": g.budget, "detail": g.detail} for g in gates]))
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


def _bands(text: str) -> list[str]:
    from clawvm.replay.corpus import LABELS

    labels = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in labels if x not in LABELS]
    if bad or not labels:
        raise argparse.ArgumentTypeError(
            f"bands are {', '.join(LABELS)}; got {text[:60]!r}")
    return list(dict.fromkeys(labels))


def _count(text: str, least: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text[:40]!r}") from None
    if not least <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"expected an integer in [{least}, 10000], got {value}")
    return value


def _jobs_default() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clawvm",
        description="Virtual memory for LLM agent harnesses: replay sessions, measure faults.",
    )
    p.add_argument("--version", action="version",
                   version=f"clawvm {__version__} ({IMPLEMENTATION} engine)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser(
        "suite", help="run the whole evaluation (gates, bands, shape checks) and write a report",
        description="Replay the policies over four seeded workload families at budgets relative "
                    "to each trace (F1, FP and the bands around them); check the paper's shape "
                    "on every seed, and with crippled engines; run the Tier-1 gates; print the "
                    "summary and write Markdown, CSV, JSON and PNG plots. Exit 1 if a gate fails "
                    "or a crippled engine keeps a check that depends on what it lacks.")
    s.add_argument("--out", default="clawvm-suite",
                   help="output directory (default: ./clawvm-suite)")
    s.add_argument("--seeds", type=_count, default=50,
                   help="seeds the shape checks run on, 0..N-1 (default 50)")
    s.add_argument("--table-seeds", type=_count, default=3,
                   help="seeds of the full tables (every policy at every band), 0..N-1 (default 3)")
    s.add_argument("-j", "--jobs", type=_count, default=_jobs_default(),
                   help="worker processes (default: the CPUs, at most 8)")
    s.add_argument("--store", choices=sorted(STORES), default="sqlite",
                   help="journal backend, a fresh one per replay (default: sqlite, in memory)")
    s.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(run=_suite)

    r = sub.add_parser(
        "replay", help="replay traces under every policy and count their faults",
        description="Replay a trace (see `clawvm convert`) and report the faults each policy "
                    "would have had at --budget tokens for pages. With a directory, a pattern, "
                    "several traces or --bands: replay each trace at bands relative to it and "
                    "real context windows, in parallel (-j), and report mean and median per "
                    "policy and band; a trace that cannot be replayed is reported "
                    "(clawvm: FILE:LINE: problem) and the others go on (exit 2 at the end).")
    r.add_argument("trace", nargs="+", help="trace files (JSONL), directories or patterns; "
                                            "- reads one trace from stdin")
    r.add_argument("--policy", default="all", choices=["all", *REPLAY_POLICIES],
                   help="policy (default: all)")
    r.add_argument("--budget", type=_budget, default=None,
                   help="page budget in tokens for one trace (default 4000)")
    r.add_argument("--bands", type=_bands, default=None,
                   help="comma-separated bands and windows: F1-10%%,F1,F1+25%%,F1+50%%,FP,1.5FP,"
                        "8k,32k,128k,200k (default: all)")
    r.add_argument("-j", "--jobs", type=_count, default=_jobs_default(),
                   help="worker processes for several traces (default: the CPUs, at most 8)")
    r.add_argument("--out", metavar="DIR", help="with several traces: write summary.md, "
                                                "summary.csv, runs.csv and a plot to DIR")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.add_argument("--trace-out", metavar="FILE",
                   help="write the decision trace (JSONL) to FILE; with several policies one file "
                        "each, the policy's name before the extension (d.jsonl -> d.clawvm.jsonl)")
    r.add_argument("--store", choices=sorted(STORES), default="sqlite",
                   help="journal backend, a fresh one per run (default: sqlite, in memory)")
    r.set_defaults(run=_replay)

    c = sub.add_parser("convert", help="turn a real transcript into a trace",
                       description="Convert a Claude Code session (JSONL), an OpenAI-style message "
                                   "list or an Anthropic Messages transcript (JSON) into a clawvm "
                                   "trace, on stdout or into --output. The rules are in "
                                   "docs/transcripts.md.")
    c.add_argument("format", choices=["claude-code", "openai", "anthropic"],
                   help="transcript format")
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

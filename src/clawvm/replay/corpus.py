"""Replaying many traces (``clawvm replay DIR_OR_GLOB``): bands per trace, errors per file.

Each trace file is one job: load it, measure its bands, replay every policy at every band
asked for. A file that cannot be read or replayed is an error naming it (``FILE:LINE:
problem``) and the others go on. Jobs run in worker processes and come back in file order.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clawvm.errors import ClawVMError, InvalidInputError
from clawvm.replay import bands as band_mod
from clawvm.replay import policies
from clawvm.replay.driver import STORES, replay
from clawvm.replay.format import load
from clawvm.replay.sweep import Progress, Run, run_jobs

__all__ = ["LABELS", "Corpus", "budgets_for", "find_traces", "run_corpus"]

#: Every band and window ``--bands`` takes, in report order.
LABELS = tuple(label for label, _, _ in band_mod.BANDS) + tuple(w for w, _ in band_mod.WINDOWS)


@dataclass(frozen=True, slots=True)
class Corpus:
    """Runs of every trace that replayed, and one error line per trace that did not."""

    runs: tuple[Run, ...]
    bands: dict[str, band_mod.Bands]
    errors: tuple[str, ...]


def find_traces(args: Sequence[str]) -> list[str]:
    """Trace files named by ``args``: files as given, directories searched for ``*.jsonl``,
    patterns (``*``, ``?``, ``[``) expanded; sorted within each argument, duplicates once. A
    directory or pattern that names no file is an error."""
    out: list[str] = []
    for arg in args:
        if os.path.isdir(arg):
            found = sorted(str(p) for p in Path(arg).rglob("*.jsonl") if p.is_file())
        elif not os.path.exists(arg) and any(c in arg for c in "*?["):
            found = sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
        else:
            found = [arg]
        if not found:
            raise InvalidInputError(arg, "no trace files (*.jsonl) in it" if os.path.isdir(arg)
                                    else "no file matches")
        out += found
    return list(dict.fromkeys(out))


def budgets_for(b: band_mod.Bands, labels: Sequence[str]) -> list[tuple[str, int]]:
    table = dict(b.budgets()) | dict(band_mod.WINDOWS)
    return [(label, table[label]) for label in labels]


def _one(job: tuple[str, tuple[str, ...], tuple[str, ...], str]
         ) -> tuple[band_mod.Bands | None, list[Run], str]:
    path, names, labels, store = job
    try:
        trace = load(path)
        b = band_mod.measure(trace, store)
        runs = [Run(path, 0, name, label, budget,
                    replay(trace, policies.get(name), budget, store=store))
                for label, budget in budgets_for(b, labels) for name in names]
    except ClawVMError as exc:
        return None, [], str(exc)
    except OSError as exc:
        why = exc.strerror or str(exc)
        return None, [], f"{path}: {why[:1].lower()}{why[1:]}"
    return b, runs, ""


def run_corpus(paths: Sequence[str], names: Sequence[str], labels: Sequence[str],
               procs: int = 1, store: str = STORES["memory"],
               progress: Progress | None = None) -> Corpus:
    """Replay every trace in ``paths`` under ``names`` at ``labels`` (bands and windows)."""
    jobs = [(p, tuple(names), tuple(labels), store) for p in paths]
    results = run_jobs(_one, jobs, procs, progress, lambda j: j[0])
    runs: list[Run] = []
    found: dict[str, band_mod.Bands] = {}
    errors: list[str] = []
    for job, (b, rs, error) in zip(jobs, results, strict=True):
        if b is None:
            errors.append(error)
        else:
            found[job[0]] = b
            runs += rs
    return Corpus(tuple(runs), found, tuple(errors))

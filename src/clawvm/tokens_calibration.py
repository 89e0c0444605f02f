"""How far a tokenizer's counts are from o200k_base, per class of text (docs/tokens.md).

A corpus is JSON lines with ``class``, ``text`` and the exact ``o200k_base`` count of the
text (the repository's is tests/data/tokens/corpus.jsonl). Error is ``(estimate - exact) /
exact`` per sample; a class passes when its median error is within +-5 % and its 5th
percentile is at or above -5 % (a budget may not overflow the real window).

    python -m clawvm.tokens_calibration [--corpus PATH] [--exact]

prints the table for the default estimator; ``--exact`` first recounts every sample with
the exact o200k_base tokenizer and reports samples whose stored count differs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_CORPUS",
    "MEDIAN_BOUND",
    "P5_BOUND",
    "ClassError",
    "calibrate",
    "format_table",
    "load_corpus",
    "percentile",
    "violations",
]

DEFAULT_CORPUS = Path("tests") / "data" / "tokens" / "corpus.jsonl"
MEDIAN_BOUND = 0.05  # |median error| per class
P5_BOUND = -0.05  # 5th percentile of the error per class: at most this much under-counting


@dataclass(frozen=True, slots=True)
class ClassError:
    """Error of a tokenizer against the exact count on one class of the corpus."""

    cls: str
    samples: int
    median: float
    p5: float
    p95: float


def load_corpus(path: str | Path = DEFAULT_CORPUS) -> list[dict[str, Any]]:
    """Samples of a corpus file (one JSON object a line)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile, linear between closest ranks (numpy's default)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def calibrate(
    samples: Iterable[Mapping[str, Any]],
    count: Callable[[str], int] | None = None,
    reference: str = "o200k_base",
) -> list[ClassError]:
    """Per-class error of ``count`` (default: the default estimator) against ``reference``."""
    if count is None:
        from clawvm.tokens import FastTokenizer

        count = FastTokenizer().count
    errors: dict[str, list[float]] = {}
    for s in samples:
        exact = int(s[reference])
        errors.setdefault(str(s["class"]), []).append((count(s["text"]) - exact) / exact)
    return [
        ClassError(cls, len(e), statistics.median(e), percentile(e, 5), percentile(e, 95))
        for cls, e in errors.items()
    ]


def violations(table: Iterable[ClassError]) -> list[str]:
    """What breaks the bounds, one line per class and bound (empty when calibrated)."""
    out = []
    for row in table:
        if abs(row.median) > MEDIAN_BOUND:
            out.append(f"{row.cls}: median error {row.median:+.2%} is outside +-{MEDIAN_BOUND:.0%}")
        if row.p5 < P5_BOUND:
            out.append(f"{row.cls}: 5th percentile {row.p5:+.2%} under-counts more than 5%")
    return out


def format_table(table: Iterable[ClassError]) -> str:
    """A Markdown table: class, samples, median, 5th and 95th percentile error."""
    lines = [
        "| class | samples | median error | 5th percentile | 95th percentile |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.cls} | {r.samples} | {r.median:+.1%} | {r.p5:+.1%} | {r.p95:+.1%} |"
        for r in table
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m clawvm.tokens_calibration", description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--exact", action="store_true", help="recount the references exactly first")
    args = ap.parse_args(argv)
    samples = load_corpus(args.corpus)
    if args.exact:
        from clawvm.tokens import get_tokenizer

        exact = get_tokenizer("o200k_base")
        stale = [s.get("id", "?") for s in samples if exact.count(s["text"]) != s["o200k_base"]]
        print(f"exact o200k_base: {len(samples) - len(stale)}/{len(samples)} stored counts match"
              + (f"; differ: {', '.join(stale)}" if stale else ""))
    table = calibrate(samples)
    print(format_table(table))
    bad = violations(table)
    for line in bad:
        print(line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

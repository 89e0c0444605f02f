"""Suite outputs: Markdown, CSV, JSON and PNG plots, byte-identical for the same inputs.

Every table says what it aggregates. *Failures* are policy failures: faults a policy could
have prevented (faults on pages that did not fit at all are invariant pressure, reported
apart) plus lost demands (demands for pages the policy had destroyed). They split into
*residency* (post-compaction bootstrap, pinned invariant, duplicate tool, refetch, lost)
and *lifecycle* (flush miss, silent recall).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from statistics import fmean, median

from clawvm import optimality
from clawvm.replay import checks as chk
from clawvm.replay.bands import BANDS
from clawvm.replay.gates import GateResult
from clawvm.replay.policies import PAPER, PEERS, REPLAY_POLICIES
from clawvm.replay.sweep import ABLATION_BAND, PREFETCH_BANDS, STATIC_ORDER, Run, Suite

__all__ = ["aggregate", "markdown_table", "outcome_table", "prefetch_table", "render",
           "write_outputs"]

BAND_LABELS = tuple(label for label, _, _ in BANDS)


def markdown_table(rows: Sequence[dict[str, object]]) -> str:
    """A GitHub-flavoured Markdown table of dicts (keys of the first row as columns)."""
    if not rows:
        return ""
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _num(x: float) -> float | int:
    """A number as it prints: whole numbers without a fraction, others to two places."""
    return int(x) if float(x).is_integer() else round(x, 2)


def failures(run: Run) -> int:
    return chk.failures(run.result)


def aggregate(runs: Iterable[Run], key: tuple[str, ...] = ("policy", "band")
              ) -> list[dict[str, object]]:
    """Mean and median per group of runs (default: per policy and band)."""
    groups: dict[tuple[object, ...], list[Run]] = {}
    for r in runs:
        groups.setdefault(tuple(getattr(r, k) for k in key), []).append(r)
    out = []
    for k, rs in groups.items():
        f = [failures(r) for r in rs]
        res = [r.result.residency_faults + r.result.lost for r in rs]
        life = [r.result.lifecycle_faults for r in rs]
        out.append({
            **dict(zip(key, k, strict=True)), "traces": len(rs),
            "failures_mean": _num(fmean(f)), "failures_median": _num(median(f)),
            "residency_mean": _num(fmean(res)), "lifecycle_mean": _num(fmean(life)),
            "lost_mean": _num(fmean(r.result.lost for r in rs)),
            "pressure_turns_mean": _num(fmean(r.result.pressure_turns for r in rs)),
            "direct_hit_share": _num(fmean(
                r.result.direct_hits / max(r.result.demands, 1) for r in rs)),
            "thrash_mean": round(fmean(r.result.report.thrash for r in rs), 4),
            "prefix_reuse": _num(fmean(r.result.prefix_reuse for r in rs)),
        })
    return out


def _table_runs(s: Suite, policies: Sequence[str]) -> list[Run]:
    keep = set(policies)
    return [r for r in s.runs if r.seed in s.table_seeds and r.policy in keep]


def band_table(s: Suite, metric: str, policies: Sequence[str]) -> list[dict[str, object]]:
    """One row per policy, one column per band: ``metric`` of ``aggregate``."""
    agg = {(a["policy"], a["band"]): a for a in aggregate(_table_runs(s, policies))}
    return [{"policy": p, **{b: agg[(p, b)][metric] for b in BAND_LABELS if (p, b) in agg}}
            for p in policies]


def outcome_table(s: Suite, others: Sequence[str], what: str = "failures"
                  ) -> list[dict[str, object]]:
    """Per band and policy, over the table traces: clawvm wins/ties/loses (fewer, equal,
    more ``what``: failures, or residency = residency faults + lost)."""
    def value(r: Run) -> int:
        if what == "residency":
            return r.result.residency_faults + r.result.lost
        return failures(r)

    rows = []
    for band in BAND_LABELS:
        row: dict[str, object] = {"band": band}
        for p in others:
            w = t = lose = 0
            for (family, seed) in s.bands:
                if seed not in s.table_seeds:
                    continue
                a, b = s.get(family, seed, "clawvm", band), s.get(family, seed, p, band)
                if a is None or b is None:
                    continue
                va, vb = value(a), value(b)
                w, t, lose = w + (va < vb), t + (va == vb), lose + (va > vb)
            row[p] = f"{w}/{t}/{lose}"
        rows.append(row)
    return rows


def prefetch_table(s: Suite) -> list[dict[str, object]]:
    """Per band from F1 to FP, over the table traces: mean failures with the static prefetch
    order, the predicted one (clawvm) and the oracle's, and predicted against static as
    traces won/tied/lost."""
    orders = {"static": STATIC_ORDER, "predicted": "clawvm", "oracle": "oracle"}
    rows: list[dict[str, object]] = []
    for band in PREFETCH_BANDS:
        runs: dict[str, list[int]] = {k: [] for k in orders}
        for family, seed in s.bands:
            if seed not in s.table_seeds:
                continue
            got = [s.get(family, seed, p, band) for p in orders.values()]
            if all(r is not None for r in got):
                for k, r in zip(orders, got):
                    assert r is not None
                    runs[k].append(failures(r))
        if not runs["static"]:
            continue
        pairs = list(zip(runs["predicted"], runs["static"], strict=True))
        w = sum(a < b for a, b in pairs)
        t = sum(a == b for a, b in pairs)
        rows.append({"band": band, **{k: _num(fmean(v)) for k, v in runs.items()},
                     "predicted vs static": f"{w}/{t}/{len(pairs) - w - t}"})
    return rows


def _checks_md(results: Sequence[chk.CheckResult], limit: int = 6) -> str:
    lines = []
    for c in results:
        mark = "x" if c.holds else " "
        lines.append(f"- [{mark}] **{c.name}** ({c.engine}): {c.claim} — held on "
                     f"{c.held}/{len(c.seeds)} seeds\n")
        for seed, why in list(sorted(c.failed.items()))[:limit]:
            lines.append(f"  - seed {seed}: {'; '.join(why)}\n")
        if len(c.failed) > limit:
            lines.append(f"  - ... and {len(c.failed) - limit} more seeds (results.json)\n")
    return "".join(lines)


def _crippled_md(rows: Sequence[tuple[str, str, int, int, bool]]) -> str:
    return markdown_table([
        {"engine": e, "check": c, "seeds where clawvm held": held,
         "of those, broken": broke, "depends": "yes" if ok else "NO"}
        for e, c, held, broke, ok in rows
    ])


def render(s: Suite, gates: Sequence[GateResult]) -> str:
    """The Markdown report (also what ``clawvm suite`` prints)."""
    main = [p for p in REPLAY_POLICIES]
    table_traces = sum(1 for (_, seed) in s.bands if seed in s.table_seeds)
    checks = chk.run_checks(s)
    bands = [{"family": f, "seed": seed, "F1": b.f1, "FP": b.fp}
             for (f, seed), b in s.bands.items() if seed in s.table_seeds]
    ablations = [r for r in s.runs if r.seed in s.table_seeds and r.policy.startswith("clawvm-no-")
                 and r.band == ABLATION_BAND]
    parts = [
        "# clawvm evaluation suite\n\n",
        f"Tables: {table_traces} traces (4 families x seeds {_seeds(s.table_seeds)}); "
        f"shape checks: seeds {_seeds(s.check_seeds)}; crippled engines: seeds "
        f"{_seeds(s.crippled_seeds)}. Failures = preventable faults + lost demands; pressure "
        "(required pages that did not fit) is apart.\n",
        "\n## Tier-1 gates\n\n",
        markdown_table([{"gate": g.name, "result": "PASS" if g.passed else "FAIL",
                         "budget": g.budget, "detail": g.detail} for g in gates]),
        "\n## Bands of the table traces (tokens)\n\n",
        markdown_table(bands),
        "\n## Mean failures per policy and band\n\n",
        markdown_table(band_table(s, "failures_mean", main)),
        "\n## Median failures per policy and band\n\n",
        markdown_table(band_table(s, "failures_median", main)),
        "\n## Mean residency failures (residency faults + lost) per policy and band\n\n",
        markdown_table(band_table(s, "residency_mean", main)),
        "\n## Mean lifecycle faults (flush misses, silent recalls) per policy and band\n\n",
        markdown_table(band_table(s, "lifecycle_mean", main)),
        "\n## Mean invariant-pressure turns per policy and band\n\n",
        markdown_table(band_table(s, "pressure_turns_mean", main)),
        "\n## Share of demands served directly (not paged in) per policy and band\n\n",
        markdown_table(band_table(s, "direct_hit_share", main)),
        "\n## Share of prompt tokens a provider's prompt cache could reuse, per policy and "
        "band\n\n",
        markdown_table(band_table(s, "prefix_reuse", main)),
        "\n## clawvm against each policy: traces won/tied/lost (failures)\n\n",
        markdown_table(outcome_table(s, [p for p in main if p != "clawvm"])),
        "\n## clawvm against each policy: traces won/tied/lost (residency failures only)\n\n",
        markdown_table(outcome_table(s, [p for p in (*PAPER, *PEERS) if p != "clawvm"],
                                     "residency")),
        f"\n## Ablations: clawvm minus one mechanism, at {ABLATION_BAND}\n\n",
        markdown_table(aggregate(ablations, ("policy",))),
        "\n## Prefetch order: mean failures with the static order, the predicted one "
        "(clawvm) and the oracle's\n\n",
        markdown_table(prefetch_table(s)),
        "\n## Selection quality: Phase 2's greedy against the exact optimum\n\n",
        optimality.markdown(s.optimality) if s.optimality else "(not measured)\n",
        "\n## Shape checks\n\n",
        _checks_md(checks),
        "\n## Crippled engines: the checks that depend on a mechanism must break without it\n\n",
        _crippled_md(chk.crippled_checks(s)),
    ]
    return "".join(parts)


def _seeds(seeds: Sequence[int]) -> str:
    s = sorted(seeds)
    if s and s == list(range(s[0], s[-1] + 1)):
        return f"{s[0]}-{s[-1]}"
    return ",".join(map(str, s))


def _csv(rows: Sequence[dict[str, object]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def plot_bands(rows: Sequence[dict[str, object]], metric: str, title: str, path: Path,
               ylabel: str) -> Path:
    """A line per policy of ``metric`` over the bands (rows of ``aggregate``)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    present = {str(r["band"]) for r in rows}
    labels = [b for b in BAND_LABELS if b in present]  # tightest first
    fig, ax = plt.subplots(figsize=(8.4, 4.2), dpi=100)
    styles = ["o-", "s-", "^-", "v--", "D:", "x-.", "P-", "*--", "h:"]
    for policy, style in zip(dict.fromkeys(str(r["policy"]) for r in rows), styles * 2):
        by = {str(r["band"]): float(str(r[metric])) for r in rows if r["policy"] == policy}
        ax.plot(range(len(labels)), [by.get(b, float("nan")) for b in labels], style,
                label=policy, markersize=5)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel("budget band (relative to each trace)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
    return path


def write_text(out: Path, files: dict[str, str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def write_outputs(s: Suite, gates: Sequence[GateResult], out: Path, plots: bool = True
                  ) -> list[Path]:
    """Write summary.md, summary.csv, runs.csv, results.json and plots."""
    checks = chk.run_checks(s)
    agg = aggregate(_table_runs(s, list(REPLAY_POLICIES)))
    written = write_text(out, {
        "summary.md": render(s, gates),
        "summary.csv": _csv(agg),
        "runs.csv": _csv([r.as_dict() for r in s.runs]),
        "results.json": json.dumps({
            "check_seeds": list(s.check_seeds), "table_seeds": list(s.table_seeds),
            "crippled_seeds": list(s.crippled_seeds),
            "gates": [g.as_dict() for g in gates],
            "bands": [{"family": f, "seed": seed, "F1": b.f1, "FP": b.fp}
                      for (f, seed), b in s.bands.items()],
            "summary": agg,
            "checks": [c.as_dict() for c in checks],
            "crippled": [{"engine": e, "check": c, "held": h, "broken": b, "depends": ok}
                         for e, c, h, b, ok in chk.crippled_checks(s)],
            "prefetch_order": prefetch_table(s),
            "optimality": optimality.summarize(s.optimality),
        }, indent=2, sort_keys=True) + "\n",
    })
    if plots:
        written.append(plot_bands(agg, "failures_mean", "Mean policy failures by band",
                                  out / "failures_by_band.png", "failures per session"))
        written.append(plot_bands(agg, "residency_mean", "Mean residency failures by band",
                                  out / "residency_by_band.png", "residency failures"))
    return written

"""Suite outputs: Markdown, CSV, JSON and PNG plots, byte-identical for the same inputs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from statistics import fmean

from clawvm import optimality
from clawvm.replay import prefetch as prefetch_order
from clawvm.replay.gates import GateResult
from clawvm.replay.sweep import Row, Sweep

__all__ = ["markdown_table", "shape_checks", "write_outputs"]

EXPECTED_ABLATION_ORDER = ("pointer_resolution", "writeback_compaction", "auto_pin", "writeback_reset")
FREE_ABLATIONS = ("upgrade_scoring", "prefetch")


def markdown_table(rows: Sequence[dict[str, object]]) -> str:
    """A GitHub-flavoured Markdown table of dicts (keys of the first row as columns)."""
    if not rows:
        return ""
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def shape_checks(sweep: Sweep) -> list[tuple[str, bool]]:
    """The paper's shape (SPEC §6), as (claim, holds) pairs."""
    s = {row["policy"]: row for row in sweep.summary()}
    f = {str(p): float(str(row["mean_faults"])) for p, row in s.items()}
    abl = {
        str(row["ablation"]).split("-no-")[-1]: float(str(row["mean_faults"]))
        for row in sweep.ablation_summary()
    }
    checks = []
    if {"retrieval", "retrieval_cached", "compaction_hybrid"} <= f.keys():
        checks.append((
            f"mean faults: retrieval {f['retrieval']:.1f} > retrieval_cached {f['retrieval_cached']:.1f} "
            f"> compaction_hybrid {f['compaction_hybrid']:.1f} > 0",
            f["retrieval"] > f["retrieval_cached"] > f["compaction_hybrid"] > 0,
        ))
    for p in ("clawvm", "lru", "oracle"):
        if p in s:
            checks.append((f"{p}: 0 faults in every configuration where the floor set fits",
                           s[p]["max_faults_where_floor_fits"] == 0))
    if {"clawvm", "oracle"} <= s.keys():
        checks.append(("clawvm and oracle have identical thrash", s["clawvm"]["mean_thrash"] == s["oracle"]["mean_thrash"]))
    if abl:
        order = [abl[m] for m in EXPECTED_ABLATION_ORDER]
        checks.append((
            "ablations at budget {}: ".format(sweep.ablations[0].budget)
            + " > ".join(f"-{m} {abl[m]:.1f}" for m in EXPECTED_ABLATION_ORDER)
            + ", and " + ", ".join(f"-{m} {abl[m]:.1f}" for m in FREE_ABLATIONS) + " cost nothing",
            all(a > b for a, b in zip(order, order[1:])) and order[-1] > 0
            and all(abl[m] == 0 for m in FREE_ABLATIONS),
        ))
    if sweep.optimality:
        checks.append((
            f"Phase 2 greedy vs exact optimum: mean >= {optimality.TARGET_MEAN}, "
            f"worst >= {optimality.TARGET_WORST}",
            optimality.holds(sweep.optimality),
        ))
    return checks


def _csv(rows: Sequence[dict[str, object]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def _by_budget(sweep: Sweep, key: str) -> dict[str, list[float]]:
    """Per policy, the mean over families of ``faults`` or ``thrash`` at each budget."""
    def value(row: Row) -> float:
        report = row.result.report
        return float(report.total_faults if key == "faults" else report.thrash)

    out: dict[str, list[float]] = {}
    for policy in dict.fromkeys(r.policy for r in sweep.rows):
        out[policy] = [
            fmean(value(r) for r in sweep.rows if r.policy == policy and r.budget == b)
            for b in sweep.budgets
        ]
    return out


def render(sweep: Sweep, gates: Sequence[GateResult]) -> str:
    """The Markdown report (also what ``clawvm suite`` prints)."""
    checks = shape_checks(sweep)
    parts = [
        f"# clawvm evaluation suite (seed {sweep.seed})\n",
        "## Tier-1 gates\n",
        markdown_table([{"gate": g.name, "result": "PASS" if g.passed else "FAIL", "detail": g.detail} for g in gates]),
        f"\n## Policies: means over {len(sweep.rows) // max(1, len({r.policy for r in sweep.rows}))} "
        f"configurations (4 families x {len(sweep.budgets)} budgets)\n",
        markdown_table(sweep.summary()),
        "\n## Mean faults by budget\n",
        markdown_table([{"policy": p, **{str(b): round(v, 1) for b, v in zip(sweep.budgets, vals)}}
                        for p, vals in _by_budget(sweep, "faults").items()]),
        f"\n## Ablations: clawvm minus one mechanism, budget {sweep.ablations[0].budget if sweep.ablations else '-'}\n",
        markdown_table(sweep.ablation_summary()),
        "\n## Prefetch order: static, predicted (clawvm), oracle\n\n",
        prefetch_order.markdown(sweep.prefetch) if sweep.prefetch else "(not run)\n",
        "\n## Selection quality: Phase 2 greedy vs the exact optimum\n\n",
        optimality.markdown(sweep.optimality) if sweep.optimality else "(not run)\n",
        "\n## Shape checks (SPEC §6)\n",
        "".join(f"- [{'x' if ok else ' '}] {claim}\n" for claim, ok in checks),
    ]
    return "".join(parts)


def _plots(sweep: Sweep, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    written = []
    for key, label, name in (("faults", "mean faults per session", "faults_by_budget.png"),
                             ("thrash", "mean thrash", "thrash_by_budget.png")):
        fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
        styles = ["o-", "s-", "^-", "v--", "D:", "x-."]  # distinct, so overlapping lines stay visible
        for (policy, vals), style in zip(_by_budget(sweep, key).items(), styles * 2):
            ax.plot(sweep.budgets, vals, style, label=policy, markersize=5)
        ax.set_xlabel("page budget (tokens)")
        ax.set_ylabel(label)
        ax.set_title(f"{label[0].upper()}{label[1:]}, mean of 4 workload families (seed {sweep.seed})", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = out / name
        fig.savefig(path, format="png", metadata={"Software": None})
        plt.close(fig)
        written.append(path)
    return written


def write_outputs(sweep: Sweep, gates: Sequence[GateResult], out: Path, plots: bool = True) -> list[Path]:
    """Write summary.md, summary.csv, results.csv, ablations.csv, results.json and plots."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "summary.md": render(sweep, gates),
        "summary.csv": _csv(sweep.summary()),
        "results.csv": _csv([r.as_dict() for r in sweep.rows]),
        "ablations.csv": _csv([r.as_dict() for r in sweep.ablations]),
        "results.json": json.dumps({
            "seed": sweep.seed, "budgets": list(sweep.budgets),
            "gates": [g.as_dict() for g in gates],
            "summary": sweep.summary(), "ablations": sweep.ablation_summary(),
            "shape_checks": [{"claim": c, "holds": ok} for c, ok in shape_checks(sweep)],
            "rows": [r.as_dict() for r in sweep.rows],
            "ablation_rows": [r.as_dict() for r in sweep.ablations],
            "prefetch_order": [r.as_dict() for r in sweep.prefetch],
            "optimality": optimality.summarize(sweep.optimality),
        }, indent=2, sort_keys=True) + "\n",
    }
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    if plots:
        written += _plots(sweep, out)
    return written

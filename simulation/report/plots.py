"""Every figure of the project (matplotlib, no display needed), slide-ready.

Colours, labels, fonts and resolution come from :mod:`simulation.report.style`, so a colour means one
class or one scenario in every PNG and in the app. Each function builds one figure inside
``style.figure_style()``, saves it with ``style.save`` (200 dpi) and returns the path. Legends
sit outside the data (constrained layout), so they never hide a bar or a line.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulation.report import style  # noqa: E402
from simulation.measures.strange_situation import CLASSES  # noqa: E402
from simulation.errors import UserError  # noqa: E402
from simulation.report.style import CLASS_COLOURS, CLASS_LABELS  # noqa: E402,F401  (re-exported: one object everywhere)

CRYING_SMOOTHING_DAYS = 7
"""Crying minutes are drawn as a 7-day mean: day-to-day noise hides the age trend."""
BAR_GROUP = 0.8
"""Share of a category's slot filled by its group of bars."""
HEATMAP_DARK = 60
"""Heat-map cells below this value (% secure) are dark under viridis: their numbers are white."""
FOREST_ROW = 0.5
"""Height (inches) per row of the effects plot."""
PERCENT_TOP = 104
"""Top of a 0-100% axis: room for the cap of a CI that reaches 100%."""
ARM_MARKERS = ("o", "s", "D", "^", "v")
"""Arms of one trial differ by marker, not colour: colours are kept for classes and scenarios."""


def _errors(estimate, low, high) -> np.ndarray:
    """matplotlib's (below, above) error bar lengths from a CI (never negative)."""
    estimate, low, high = (np.asarray(v, dtype=float) for v in (estimate, low, high))
    return np.nan_to_num(np.vstack([estimate - low, high - estimate])).clip(min=0)


@style.figure_style()
def attachment_distribution(summary: pd.DataFrame, path: Path | str, *, age_months: float = 12) -> Path:
    """Grouped bars: share of A/B/C/D per scenario with 95% Wilson intervals, at ``age_months``.

    The summary has no age of its own (it is of the first assessment), so the caller says which
    age it is; a summary with an ``age_months`` column is first narrowed to that age.
    """
    if "age_months" in summary:
        ages = sorted(summary["age_months"].unique())
        summary = summary[summary["age_months"] == age_months]
        if summary.empty:
            raise UserError(f"no assessment at {age_months} months in the summary; ages: {ages}")
    n = len(summary)
    fig, ax = plt.subplots(figsize=(max(7.0, 2.2 * n + 2.5), 5.2), layout="constrained")
    x = np.arange(n)
    width = BAR_GROUP / len(CLASSES)
    for i, cls in enumerate(CLASSES):
        share = summary[cls].to_numpy() * 100
        ax.bar(x + (i - (len(CLASSES) - 1) / 2) * width, share, width, color=CLASS_COLOURS[cls],
               label=CLASS_LABELS[cls], yerr=_errors(share, summary[f"{cls}_lo"] * 100, summary[f"{cls}_hi"] * 100),
               error_kw={"ecolor": style.NEUTRAL, "elinewidth": 1.2})
    ax.set_xticks(x, [style.wrap(style.scenario_label(s)) for s in summary["scenario"]])
    ax.set(ylabel="% of infants (95% CI)", ylim=(0, PERCENT_TOP), yticks=np.arange(0, 101, 20),
           title=f"Strange Situation classification at {style.age_label(age_months)}")
    fig.legend(loc="outside right upper")
    return style.save(fig, path)


@style.figure_style()
def trajectories(daily: pd.DataFrame, path: Path | str) -> Path:
    """Mean security index and crying minutes a day over age, one line (colour) per scenario."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 5.2), layout="constrained")
    colours = style.scenario_colours(daily["scenario"].unique())
    for name, df in daily.groupby("scenario", sort=False):
        kw = {"color": colours[name], "label": style.scenario_label(name)}
        ax1.plot(df["age_months"], df["security_index"], **kw)
        ax2.plot(df["age_months"], df["crying_minutes"].rolling(CRYING_SMOOTHING_DAYS, min_periods=1).mean(), **kw)
    ax1.set(xlabel="age (months)", ylabel="mean security index (0-1)", title="Security over age", ylim=(0, 1))
    ax2.set(xlabel="age (months)", ylabel=f"minutes a day ({CRYING_SMOOTHING_DAYS}-day mean)",
            title="Fussing and crying over age")
    ax2.set_ylim(bottom=0)
    for ax in (ax1, ax2):
        ax.set_xlim(left=0)
        ax.grid(alpha=0.3)
    fig.legend(*ax1.get_legend_handles_labels(), loc="outside lower center", ncols=min(3, daily["scenario"].nunique()))
    return style.save(fig, path)


@style.figure_style()
def effects_forest(effects: pd.DataFrame, path: Path | str, *, age_months: float = 12) -> Path:
    """Standardised effects with 95% CIs, drawn so that right is always benefit.

    Cohen's d (continuous outcomes) and h (yes/no outcomes) of each arm against control. For an
    outcome where lower is better (crying, depression, disorganised) the sign is flipped, so a
    helpful effect is on the right for every row; the helpful side is shaded and each row says
    which way its outcome is better. Outcomes of unknown direction are drawn as they are.
    """
    rows = effects[effects["measure"].isin(["cohens_d", "cohens_h"])].reset_index(drop=True)
    outcomes = list(dict.fromkeys(rows["outcome"]))
    arms = list(dict.fromkeys(rows["arm"]))
    signs = {o: style.benefit_sign(o) for o in outcomes}
    fig, ax = plt.subplots(figsize=(10, FOREST_ROW * len(outcomes) * max(1, len(arms) / 2) + 2.6),
                           layout="constrained")
    offsets = (np.arange(len(arms)) - (len(arms) - 1) / 2) * (BAR_GROUP / max(len(arms), 1))
    y_of = {o: len(outcomes) - 1 - i for i, o in enumerate(outcomes)}
    shown = []
    for arm, offset, marker in zip(arms, offsets, ARM_MARKERS * len(arms)):
        sub = rows[rows["arm"] == arm]
        sign = sub["outcome"].map(signs).replace(0, 1).to_numpy()
        est = sub["estimate"].to_numpy() * sign
        lo, hi = np.sort(np.vstack([sub["ci_low"] * sign, sub["ci_high"] * sign]), axis=0)  # a flip swaps the ends
        ax.errorbar(est, sub["outcome"].map(y_of) - offset, xerr=_errors(est, lo, hi), fmt=marker, ms=7,
                    color=style.NEUTRAL, label=arm.replace("_", " "))
        shown += [est, lo, hi]
    limit = 1.15 * max(0.2, float(np.nanmax(np.abs(np.concatenate(shown))))) if shown else 1.0
    ax.set_xlim(-limit, limit)
    ax.axvspan(0, limit, color=style.BENEFIT_SHADE, alpha=style.BENEFIT_ALPHA, lw=0)
    ax.axvline(0, color=style.REFERENCE, lw=1)
    ax.text(0.99, 1.01, "benefit →", transform=ax.transAxes, ha="right", va="bottom", color=style.BENEFIT_SHADE,
            weight="bold")
    ax.text(0.01, 1.01, "← harm", transform=ax.transAxes, ha="left", va="bottom", color=style.NEUTRAL, weight="bold")
    better = {1: "higher is better", -1: "lower is better (sign flipped)", 0: "direction not known"}
    measure = dict(zip(rows["outcome"], rows["measure"].map({"cohens_d": "d", "cohens_h": "h"})))
    ax.set_yticks(list(y_of.values()), [f"{style.outcome_label(o, age_months)} ({measure[o]})\n{better[signs[o]]}"
                                        for o in outcomes])
    ax.set_ylim(-0.6, len(outcomes) - 0.4)
    ax.set_xlabel("effect vs control, Cohen's d or h (95% bootstrap CI), signed so that right = benefit")
    what = f"{arms[0].replace('_', ' ')} vs control" if len(arms) == 1 else "effects vs control"
    ax.set_title(f"Virtual trial: {what}", pad=24)
    if len(arms) > 1:
        fig.legend(loc="outside lower center", ncols=min(3, len(arms)))
    return style.save(fig, path)


@style.figure_style()
def power_curve(power: pd.DataFrame, path: Path | str, title: str | None = None) -> Path:
    """Simulated power by dyads per arm (log scale), with the target line and the formula's n (both
    from the table's ``attrs``, set by ``study.power.power_analysis``)."""
    outcome = power.attrs.get("outcome", "secure")
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    ax.plot(power["n_per_arm"], power["power"], "o-", color=style.NEUTRAL, label="simulated trials")
    if power.attrs.get("power") is not None:
        target = power.attrs["power"]
        ax.axhline(target, color=style.REFERENCE, ls="--", lw=1, label=f"{target:.0%} power")
    if "n_80" in power.attrs and np.isfinite(power.attrs["n_80"]):
        ax.axvline(power.attrs["n_80"], color=style.REFERENCE, ls=":", lw=1.5,
                   label=f"n = {power.attrs['n_80']:.0f} per arm (formula)")
    ax.set_xscale("log")
    ax.set_xticks(power["n_per_arm"], [f"{n:g}" for n in power["n_per_arm"]], minor=False)
    ax.minorticks_off()  # the sizes simulated are the ticks, in plain numbers
    ax.set(xlabel="dyads per arm", ylabel="power (two-sided, alpha .05)", ylim=(0, 1.02),
           title=title or f"Power to detect the effect on {style.outcome_label(outcome)}")
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3)
    return style.save(fig, path)


@style.figure_style()
def timing(table: pd.DataFrame, path: Path | str, *, age_months: float = 12) -> Path:
    """Effect on security (Cohen's d, 95% CI) by the intervention's start."""
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    x = np.arange(len(table))
    ax.bar(x, table["d_security"], color=style.NEUTRAL,
           yerr=_errors(table["d_security"], table["ci_low"], table["ci_high"]), error_kw={"ecolor": style.REFERENCE})
    ax.axhline(0, color=style.REFERENCE, lw=1)
    ax.set_xticks(x, [style.wrap(str(s), 14) for s in table["start"]])
    ax.set(ylabel=f"effect on security at {style.age_label(age_months)}\n(Cohen's d, 95% CI; above 0 = benefit)",
           title="Earlier or later? Effect by the intervention's start")
    return style.save(fig, path)


@style.figure_style()
def sensitivity_indices(table: pd.DataFrame, path: Path | str, title: str | None = None) -> Path:
    """One panel per outcome: horizontal bars per parameter with confidence intervals."""
    if table.empty:
        raise UserError("no sensitivity indices to plot")
    method = str(table["method"].iloc[0])
    shown = style.FIGURE_INDICES[method]
    outcomes = list(dict.fromkeys(table["outcome"]))
    params = list(dict.fromkeys(table.loc[table["index"] == shown[0], "parameter"]))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.2 * len(outcomes) + 2, 0.5 * len(params) + 2.6),
                             sharey=True, squeeze=False, layout="constrained")
    y = np.arange(len(params))
    height = BAR_GROUP / len(shown)
    colours = (style.NEUTRAL, style.NEUTRAL_LIGHT)
    for ax, outcome in zip(axes[0], outcomes):
        for k, index in enumerate(shown):
            sub = table[(table["outcome"] == outcome) & (table["index"] == index)]
            sub = sub.set_index("parameter").reindex(params)
            err = None if sub["ci_low"].isna().all() else _errors(sub["estimate"], sub["ci_low"], sub["ci_high"])
            ax.barh(y + (k - (len(shown) - 1) / 2) * height, sub["estimate"], height, xerr=err,
                    color=colours[k % len(colours)], label=style.INDEX_LABELS.get(index, index))
        if table.loc[(table["outcome"] == outcome) & table["index"].isin(shown), "estimate"].isna().all():
            ax.text(0.5, 0.5, "undefined\n(outcome constant)", ha="center", va="center", transform=ax.transAxes,
                    color=style.REFERENCE)
        ax.axvline(0, color=style.REFERENCE, lw=0.8)
        ax.set_title(style.wrap(style.outcome_label(outcome)))
        ax.set_yticks(y, params)
    axes[0][0].invert_yaxis()  # first parameter on top (once: the y axis is shared)
    fig.legend(*axes[0][0].get_legend_handles_labels(), loc="outside lower center", ncols=len(shown))
    level = table["conf_level"].iloc[0]
    fig.suptitle(title or f"{'Sobol' if method == 'sobol' else 'Morris'} sensitivity indices "
                          f"({100 * level:.0f}% bootstrap CI)")
    return style.save(fig, path)


@style.figure_style()
def support_risk_heatmap(grid: pd.DataFrame, support_key: str, risk_key: str, path: Path | str, title: str) -> Path:
    """Heat map of % secure: rows = number of risk factors, columns = support size (viridis,
    colour-blind safe and readable in grey), each cell with its number."""
    fig, ax = plt.subplots(figsize=(max(7.0, 1.1 * grid.shape[1] + 3.5), max(5.0, 0.8 * grid.shape[0] + 2.4)),
                           layout="constrained")
    image = ax.imshow(grid.to_numpy() * 100, origin="lower", cmap="viridis", vmin=0, vmax=100, aspect="auto")
    for (i, j), value in np.ndenumerate(grid.to_numpy() * 100):
        ax.text(j, i, f"{value:.0f}", ha="center", va="center", color="white" if value < HEATMAP_DARK else "black")
    ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
    ax.set(xlabel=f"support network size ({support_key})", ylabel=f"number of risk factors\n({risk_key})", title=title)
    fig.colorbar(image, ax=ax, label="% secure (B)")
    return style.save(fig, path)


@style.figure_style()
def sweep_speed(rows: list[dict], speedup: float, cores: int | None, path: Path | str) -> Path:
    """Tasks per second of each executor of the sweep benchmark (``benchmarks/bench_sweep.py``)."""
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    bars = ax.bar([r["label"] for r in rows], [r["tasks_per_s"] for r in rows],
                  color=[style.NEUTRAL_LIGHT, style.NEUTRAL][:len(rows)])
    ax.bar_label(bars, fmt="%.2f", fontsize=style.MIN_FONT)
    ax.set_ylim(0, 1.15 * max(r["tasks_per_s"] for r in rows))
    ax.set(ylabel="tasks per second",
           title=f"Sweep of {rows[0]['tasks']} tasks: speed-up {speedup:.2f}x ({cores} cores)")
    return style.save(fig, path)

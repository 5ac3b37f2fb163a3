"""Figures (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .assessment import CLASSES  # noqa: E402

CLASS_COLOURS = {"A": "#4C78A8", "B": "#54A24B", "C": "#F58518", "D": "#B279A2"}
CLASS_LABELS = {"A": "A avoidant", "B": "B secure", "C": "C resistant", "D": "D disorganised"}


def attachment_distribution(summary: pd.DataFrame, path: Path | str) -> Path:
    """Grouped bars: share of A/B/C/D per scenario with 95% Wilson intervals."""
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(summary) + 2), 4.2))
    x = np.arange(len(summary))
    width = 0.8 / len(CLASSES)
    for i, cls in enumerate(CLASSES):
        share = summary[cls].to_numpy() * 100
        err = np.vstack([share - summary[f"{cls}_lo"].to_numpy() * 100, summary[f"{cls}_hi"].to_numpy() * 100 - share]).clip(min=0)
        ax.bar(x + (i - 1.5) * width, share, width, yerr=err, capsize=2, color=CLASS_COLOURS[cls],
               label=CLASS_LABELS[cls])
    ax.set_xticks(x, summary["scenario"], rotation=15)
    ax.set_ylabel("% of infants (95% CI)")
    ax.set_ylim(0, 100)
    ax.set_title("Strange Situation classification at the first assessment")
    ax.legend(ncols=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def trajectories(daily: pd.DataFrame, path: Path | str) -> Path:
    """Mean security index and crying minutes a day over age, one line per scenario."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for name, df in daily.groupby("scenario", sort=False):
        ax1.plot(df["age_months"], df["security_index"], label=name)
        ax2.plot(df["age_months"], df["crying_minutes"].rolling(7, min_periods=1).mean(), label=name)
    ax1.set(xlabel="age (months)", ylabel="mean security index (0-1)", title="Security over age", ylim=(0, 1))
    ax2.set(xlabel="age (months)", ylabel="minutes a day (7-day mean)", title="Fussing and crying over age")
    ax2.set_ylim(bottom=0)
    ax1.legend(fontsize=8)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def effects_forest(effects: pd.DataFrame, path: Path | str) -> Path:
    """Effect sizes with 95% CIs (Cohen's d for continuous outcomes, Cohen's h for binary ones)."""
    rows = effects[effects["measure"].isin(["cohens_d", "cohens_h"])].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(rows) + 1.5))
    y = np.arange(len(rows))[::-1]
    err = np.vstack([rows["estimate"] - rows["ci_low"], rows["ci_high"] - rows["estimate"]]).clip(min=0)
    ax.errorbar(rows["estimate"], y, xerr=err, fmt="o", color="#4C78A8", capsize=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, [f"{r.outcome} ({'d' if r.measure == 'cohens_d' else 'h'}, {r.arm})" for r in rows.itertuples()])
    ax.set_xlabel("effect size vs control (95% bootstrap CI)")
    ax.set_title("Virtual trial: effects")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def power_curve(power: pd.DataFrame, path: Path | str, title: str = "Power to detect the effect on security") -> Path:
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(power["n_per_arm"], power["power"], "o-", color="#54A24B")
    ax.axhline(0.8, color="grey", ls="--", lw=0.8, label="80% power")
    if "n_80" in power.attrs and np.isfinite(power.attrs["n_80"]):
        ax.axvline(power.attrs["n_80"], color="#F58518", ls=":", label=f"n = {power.attrs['n_80']:.0f} per arm (formula)")
    ax.set_xscale("log")
    ax.set(xlabel="dyads per arm", ylabel="power (two-sided, alpha .05)", ylim=(0, 1.02), title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def timing(table: pd.DataFrame, path: Path | str) -> Path:
    """Effect on security (Cohen's d, 95% CI) by the intervention's start."""
    fig, ax = plt.subplots(figsize=(6, 4))
    x = np.arange(len(table))
    err = np.vstack([table["d_security"] - table["ci_low"], table["ci_high"] - table["d_security"]]).clip(min=0)
    ax.bar(x, table["d_security"], yerr=err, capsize=4, color="#4C78A8")
    ax.set_xticks(x, table["start"])
    ax.set(ylabel="effect on security at 12 months (Cohen's d)", title="Earlier or later?")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path

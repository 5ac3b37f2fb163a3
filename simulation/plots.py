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

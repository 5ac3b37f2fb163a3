"""The app's matplotlib figures: the network, the population over age, A/B/C/D, the comparison.

Each ``*_figure`` function draws one view of the page from a model and returns a matplotlib
``Figure`` in the project's style (``simulation.report.style``); the Solara components in
``views.py`` only show them. Also here: what the figures are drawn from (the A/B/C/D classes,
assessed or previewed, and the daily table) and where the network's nodes sit. Kept apart so the
figures can be drawn, checked and restyled without a page.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulation.measures.strange_situation import CLASSES, PREVIEW_STREAM, security_index, strange_situation
from simulation.model import streams
from simulation.model.calendar import DAYS_PER_MONTH
from simulation.model.components.support import MAX_SUPPORTERS
from simulation.model.engine import AttachmentModel
from simulation.report import style
from simulation.report.style import CLASS_COLOURS, CLASS_LABELS
from simulation.scenario import Scenario

if TYPE_CHECKING:
    from .controls import AppModel


def star_grid_layout(n: int) -> np.ndarray:
    """Positions for the support graph (disjoint stars): caregivers on a grid, supporters in a ring.

    Caregiver i is node i; supporter (dyad i, slot k) is node ``n + i * MAX_SUPPORTERS + k``.
    Returns an array of shape (n + n * MAX_SUPPORTERS, 2) (rows of absent supporters unused).
    """
    cols = max(1, math.ceil(math.sqrt(n * 1.6)))
    pos = np.zeros((n + n * MAX_SUPPORTERS, 2))
    i = np.arange(n)
    pos[:n, 0] = i % cols
    pos[:n, 1] = -(i // cols)
    angle = 2 * np.pi * np.arange(MAX_SUPPORTERS) / MAX_SUPPORTERS + np.pi / 2
    ring = 0.33 * np.column_stack([np.cos(angle), np.sin(angle)])
    pos[n:] = (pos[:n, None, :] + ring[None, :, :]).reshape(-1, 2)
    return pos


# ------------------------------------------------------------------------------ derived views
def attachment_classes(model: AttachmentModel) -> tuple[np.ndarray, str, bool]:
    """(A/B/C/D per infant, caption, assessed?): the Strange Situation once done, else a preview.

    The preview runs the same procedure on today's state with random numbers of its own (the
    model's streams are untouched) and is marked as such. Before birth there is nothing to
    classify: no infant, and the caption says so.
    """
    if model.assessments:
        age = max(model.assessments)
        return model.assessments[age].attachment, f"Strange Situation at {age} months", True
    if model.day < 0:  # an infant not yet born has no attachment to classify (issue 17)
        return (np.array([], dtype="U1"),
                f"Not born yet ({-model.day} days to go): no attachment to classify before birth", False)
    rng = streams.generator(model.seed, PREVIEW_STREAM)
    cls = strange_situation(model.state, model.params.assessment, rng).attachment
    first = model.params.simulation.assessment_ages[0]
    age = max(model.day, 0) / DAYS_PER_MONTH
    return cls, f"Preview: if assessed today ({age:.1f} months; the real one is at {first} months)", False


def shares(cls: np.ndarray) -> dict[str, float]:
    return {c: float(np.mean(cls == c)) if len(cls) else 0.0 for c in CLASSES}


def daily_frame(model: AttachmentModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


# ------------------------------------------------------------------------------ figures
ATTACHMENT_TITLE_WRAP = 44
"""Characters per line of the A/B/C/D view's caption (the preview's is long)."""
SECURITY_CMAP = colormaps["RdYlGn"]
STRESS_CMAP = colormaps["Purples"]


@style.figure_style()
def network_figure(model: AppModel, watched: int | None = None) -> Figure:
    """Caregivers coloured by their infant's security (ring: stress), supporters around them."""
    s = model.state
    n = model.n
    pos = model.node_positions()
    fig = Figure(figsize=(9.0, 6.2), dpi=style.APP_DPI)
    ax = fig.add_axes((0.01, 0.18, 0.84, 0.72))
    cax = fig.add_axes((0.87, 0.27, 0.025, 0.58))
    dyad, slot = np.nonzero(s.sup_exists)
    nodes = n + dyad * MAX_SUPPORTERS + slot
    present = s.sup_present[dyad, slot]
    # edges: caregiver to supporter (dark when there today)
    segments = np.stack([pos[dyad], pos[nodes]], axis=1)
    ax.add_collection(LineCollection(segments, colors=np.where(present[:, None], [[0.2, 0.35, 0.7, 0.9]],
                                                               [[0.75, 0.75, 0.75, 0.6]]), linewidths=0.8))
    base = float(np.clip(5200.0 / max(n, 1), 30.0, 260.0))
    roles = s.sup_role[dyad, slot]
    for role, marker in ((0, "D"), (1, "o"), (2, "s")):
        sel = roles == role
        if sel.any():
            ax.scatter(pos[nodes[sel], 0], pos[nodes[sel], 1], s=base * 0.22, marker=marker,
                       c=np.where(present[sel], "#2f5fb3", "#c8c8c8"), linewidths=0, zorder=2)
    security = security_index(s, model.params.assessment)
    norm = Normalize(0.0, 1.0)
    ax.scatter(pos[:n, 0], pos[:n, 1], s=base, c=security, cmap=SECURITY_CMAP, norm=norm,
               edgecolors=STRESS_CMAP(0.25 + 0.75 * np.clip(s.stress, 0, 1)), linewidths=2.4, zorder=3)
    if s.depressed.any():
        dep = np.nonzero(s.depressed)[0]
        ax.scatter(pos[dep, 0], pos[dep, 1], s=base * 2.1, facecolors="none", edgecolors="#222222",
                   linewidths=1.1, linestyles="--", zorder=4)
    if watched is not None and 0 <= watched < n:
        ax.scatter([pos[watched, 0]], [pos[watched, 1]], s=base * 3.2, marker="s", facecolors="none",
                   edgecolors="black", linewidths=1.8, zorder=5)
        ax.annotate(f"dyad {watched}", pos[watched], xytext=(0, 13), textcoords="offset points", ha="center",
                    zorder=6)
    ax.set_aspect("equal")
    ax.margins(0.03)
    ax.axis("off")
    fig.colorbar(ScalarMappable(norm=norm, cmap=SECURITY_CMAP), cax=cax).set_label("infant security (0-1)")
    ax.set_title(f"{n} dyads: mean security {security.mean():.2f}, mean caregiver stress {s.stress.mean():.2f}, "
                 f"{100 * s.depressed.mean():.0f}% depressed", fontsize=style.SENTENCE_TITLE_FONT, pad=18)
    handles = [
        Line2D([], [], marker="o", ls="", ms=8, mfc=SECURITY_CMAP(0.7), mec=STRESS_CMAP(0.95), mew=2.2,
               label="caregiver + infant (fill: security, ring: stress)"),
        Line2D([], [], marker="o", ls="", ms=10, mfc="none", mec="#222222", mew=1.1,
               label="caregiver depressed (dashed ring)"),
        Line2D([], [], marker="D", ls="", ms=5, mfc="#2f5fb3", mec="none", label="partner"),
        Line2D([], [], marker="o", ls="", ms=5, mfc="#2f5fb3", mec="none", label="family/friend"),
        Line2D([], [], marker="s", ls="", ms=5, mfc="#2f5fb3", mec="none", label="health visitor"),
        Line2D([], [], marker="o", ls="", ms=5, mfc="#c8c8c8", mec="none", label="supporter not there today"),
    ]
    fig.legend(handles=handles, loc="lower center", ncols=2, frameon=False, columnspacing=1.2, handletextpad=0.4)
    return fig


BIRTH_NOTE = "at birth: no experience yet\n(answers expected as likely as not)"
"""What the security curve's first point is (learning: ``infant.prior_availability`` 0.5)."""


@style.figure_style()
def live_figure(model: AttachmentModel) -> Figure:
    """Mean security, crying minutes a day and caregiver depression over age."""
    df = daily_frame(model)
    months = model.params.simulation.months
    fig = Figure(figsize=(7.0, 6.6), dpi=style.APP_DPI, layout="constrained")
    axes = fig.subplots(3, 1, sharex=True)
    fig.suptitle("Over age: population means")
    if len(df):
        x = df["age_months"].to_numpy()
        colour = style.SERIES_COLOURS
        axes[0].plot(x, df["security_index"], color=colour["security"], lw=1.8)
        # the curve's start is the newborn's prior, not a secure infant that then declines (issue 17:
        # students read the fall from the start as care doing harm)
        axes[0].annotate(BIRTH_NOTE, (x[0], df["security_index"].iloc[0]), xytext=(0.3, 0.12),
                         textcoords="axes fraction", color="#555555", arrowprops={"arrowstyle": "->", "color": "#888888"})
        axes[1].plot(x, df["crying_minutes"], color=colour["crying"], lw=0.6, alpha=0.45)
        axes[1].plot(x, df["crying_minutes"].rolling(7, min_periods=1).mean(), color=colour["crying"], lw=1.8)
        axes[2].plot(x, 100 * df["caregiver_depressed"], color=colour["depression"], lw=1.8, label="depressed")
        axes[2].plot(x, 100 * df["caregiver_stress"], color=colour["stress"], lw=1.2, ls="--", label="stress (x100)")
        axes[2].legend(loc="upper right", ncols=2, frameon=False)
    else:
        axes[1].text(months / 2, 60, "Press Step: the lines grow as the infants do (from birth).", ha="center",
                     va="center", color="#555555")
    axes[0].set(ylim=(0, 1), ylabel="security\n(0-1)")
    axes[1].set(ylim=(0, max(150.0, float(df["crying_minutes"].max()) * 1.1 if len(df) else 150.0)),
                ylabel="crying\nmin/day")
    axes[2].set(ylim=(0, 100), ylabel="caregivers\n%", xlabel="age (months)", xlim=(0, months))
    for ax in axes:
        ax.grid(alpha=0.3)
    return fig


@style.figure_style()
def attachment_figure(model: AttachmentModel) -> Figure:
    """A/B/C/D distribution: the Strange Situation once done, else today's preview."""
    cls, caption, assessed = attachment_classes(model)
    sh = shares(cls)
    fig = Figure(figsize=(5.6, 5.0), dpi=style.APP_DPI, layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(CLASSES))
    bars = ax.bar(x, [100 * sh[c] for c in CLASSES], color=[CLASS_COLOURS[c] for c in CLASSES],
                  alpha=1.0 if assessed else 0.55, hatch=None if assessed else "//", edgecolor="white")
    for bar, c in zip(bars, CLASSES):
        k = int(np.sum(cls == c))
        ax.annotate(f"{100 * sh[c]:.0f}%\n(n={k})", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 3), textcoords="offset points", ha="center")
    ax.set_xticks(x, [CLASS_LABELS[c].replace(" ", "\n", 1) for c in CLASSES])
    ax.set_ylim(0, 115)
    ax.set_ylabel("% of infants")
    ax.set_title(style.wrap(caption, ATTACHMENT_TITLE_WRAP), fontsize=style.SENTENCE_TITLE_FONT)
    ax.set_xlabel("Typical low-risk samples:\nabout 60% B, 15% A, 10% C, 15% D", color="#666666")
    return fig


@style.figure_style()
def comparison_figure(model: AppModel) -> Figure:
    """Mean security over age and A/B/C/D of the model and its twin (same random numbers).

    Each run is drawn in its scenario's colour (as in every figure of the project), labelled with
    the scenario's title; the twin is dashed and hatched, so a run compared with its own preset
    (same colour) still reads apart.
    """
    fig = Figure(figsize=(9.0, 4.8), dpi=style.APP_DPI, layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    colours = style.scenario_colours([model.params.name, model.twin.params.name])
    runs = [(titled(model.label, model.params), model, colours[model.params.name], "-", None),
            (titled(model.twin_label, model.twin.params), model.twin, colours[model.twin.params.name], "--", "//")]
    months = model.params.simulation.months
    width = 0.38
    x = np.arange(len(CLASSES))
    assessed_all = True
    for k, (label, m, colour, line, hatch) in enumerate(runs):
        df = daily_frame(m)
        if len(df):
            ax1.plot(df["age_months"], df["security_index"], color=colour, lw=2, ls=line, label=label)
        cls, _, assessed = attachment_classes(m)
        assessed_all &= assessed
        sh = shares(cls)
        ax2.bar(x + (k - 0.5) * width, [100 * sh[c] for c in CLASSES], width, color=colour, hatch=hatch,
                edgecolor="white", alpha=1.0 if assessed else 0.6, label=label)
    ax1.set(xlim=(0, months), ylim=(0, 1), xlabel="age (months)", ylabel="mean security (0-1)")
    ax1.set_title("Security over age")
    ax1.grid(alpha=0.3)
    ax2.set_xticks(x, list(CLASSES))
    ax2.set(ylim=(0, 100), ylabel="% of infants")
    ax2.set_title("A/B/C/D\n" + ("(Strange Situation)" if assessed_all else "(preview: if assessed today)"))
    fig.legend(*ax2.get_legend_handles_labels(), loc="outside lower center", ncols=1, frameon=False)
    return fig


def titled(label: str, scenario: Scenario) -> str:
    """A run's label with the scenario's title for its name (slides show titles, not file names)."""
    return label.replace(scenario.name, style.scenario_label(scenario), 1)

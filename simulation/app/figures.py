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
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from simulation.measures.strange_situation import CLASSES, PREVIEW_STREAM, ROW_DRAWS, strange_situation
from simulation.model import streams
from simulation.model.calendar import DAYS_PER_MONTH
from simulation.model.components.household import second_node
from simulation.model.components.support import MAX_SUPPORTERS
from simulation.model.engine import AttachmentModel
from simulation.report import style
from simulation.report.style import CLASS_COLOURS, CLASS_LABELS
from simulation.scenario import Scenario
from simulation.study import analysis, power

if TYPE_CHECKING:
    from .controls import AppModel


SUPPORTER_RING = 0.33
"""Distance of the supporters from their caregiver (grid units: caregivers are 1 apart)."""
SECOND_OFFSET = (0.2, -0.2)
"""Where a household's second caregiver sits from the first (grid units): beside it, down to the right,
inside the supporters' ring and between two of its slots, so that the two stay one household."""


def star_grid_layout(n: int) -> np.ndarray:
    """Positions for the support graph (disjoint stars): caregivers on a grid, supporters in a ring,
    a household's second caregiver beside its first.

    Caregiver i is node i; supporter (dyad i, slot k) is node ``n + i * MAX_SUPPORTERS + k``; the
    second caregiver of dyad i is node ``household.second_node(n, i)``. Returns an array of shape
    (n + n * MAX_SUPPORTERS + n, 2) (rows of absent supporters and second caregivers unused).
    """
    cols = max(1, math.ceil(math.sqrt(n * 1.6)))
    pos = np.zeros((n + n * MAX_SUPPORTERS + n, 2))
    i = np.arange(n)
    pos[:n, 0] = i % cols
    pos[:n, 1] = -(i // cols)
    angle = 2 * np.pi * np.arange(MAX_SUPPORTERS) / MAX_SUPPORTERS + np.pi / 2
    ring = SUPPORTER_RING * np.column_stack([np.cos(angle), np.sin(angle)])
    pos[n:n + n * MAX_SUPPORTERS] = (pos[:n, None, :] + ring[None, :, :]).reshape(-1, 2)
    pos[second_node(n, i)] = pos[:n] + np.asarray(SECOND_OFFSET)
    return pos


# ------------------------------------------------------------------------------ derived views
def attachment_classes(model: AttachmentModel) -> tuple[np.ndarray, str, bool]:
    """(A/B/C/D per infant, caption, assessed?): the Strange Situation once done, else a preview.

    The preview runs the same procedure on today's state with random numbers of its own (the
    model's streams are untouched) and is marked as such. Before birth there is nothing to
    classify: no infant, and the caption says so. ``model`` may also be a model's second
    caregivers (``model.households``): their own assessments, or a preview on their own rows with
    their own seed (:func:`second_attachment_classes`).
    """
    if model.assessments:
        age = max(model.assessments)
        return model.assessments[age].attachment, f"Strange Situation at {age} months", True
    if model.day < 0:  # an infant not yet born has no attachment to classify (issue 17)
        return (np.array([], dtype="U1"),
                f"Not born yet ({-model.day} days to go): no attachment to classify before birth", False)
    rng = streams.generator_at(model.seed, PREVIEW_STREAM, ROW_DRAWS)
    cls = strange_situation(model.state, model.params.assessment, rng).attachment
    first = model.params.simulation.assessment_ages[0]
    age = max(model.day, 0) / DAYS_PER_MONTH
    return cls, f"Preview: if assessed today ({age:.1f} months; the real one is at {first} months)", False


def second_attachment_classes(model: AttachmentModel) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """(dyads with a second caregiver, the infant's A/B/C/D with that caregiver for each of them,
    assessed?), read as :func:`attachment_classes` reads the first caregivers' (the same rule on
    ``model.households``); None in a one-caregiver scenario. Before birth the classes are empty."""
    h = getattr(model, "households", None)
    if h is None:
        return None
    dyads = np.flatnonzero(h.two)
    cls, _, assessed = attachment_classes(h)
    return dyads, (cls[dyads] if len(cls) else cls), assessed


def shares(cls: np.ndarray) -> dict[str, float]:
    return {c: float(np.mean(cls == c)) if len(cls) else 0.0 for c in CLASSES}


def daily_frame(model: AttachmentModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


# ------------------------------------------------------------------------------ figures
PANEL_PX = (436, 330)
"""A figure panel's inside at a 1280×720 screen, in CSS px (measured in Chromium on 2026-12-04 with
the page's grid: a 340 px control column beside two columns of panels). Each figure is shown at the
panel's width."""
FIGURE_INCHES = (5.4, 4.1)
"""Every panel figure's size: its text shows at ``pt × PANEL_PX[0] / (FIGURE_INCHES[0] × 72)`` CSS
px, so 11 pt (style.MIN_FONT) is 12.3 px on a 1280×720 projector (issue 17: at least 12 px; the
old 9-inch figures showed 11 pt at 7-8.5 px); the aspect ratio is the panel's, so nothing is blank."""
APP_PNG_DPI = 100
"""Pixels per inch of the PNGs sent to the browser (540×410 px: a little above the panel's size,
so sharp on a projector). Drawing, not pixels, is what costs; see benchmarks/bench_app_sessions.py."""
ATTACHMENT_TITLE_WRAP = 48
"""Characters per line of the A/B/C/D view's caption (the preview's is long)."""
NOT_BORN = "#BBBBBB"
"""An infant not born yet (no class): grey, no class colour."""
SUPPORTER_THERE = "#2F5FB3"
SUPPORTER_AWAY = "#C8C8C8"
DEPRESSED_RING = "#000000"
SECOND_MARKER = "D"
"""A household's second caregiver: a diamond (the first caregiver, with the infant, is a circle)."""
SECOND_GLYPH = "\u25c6"
"""The diamond in text (the network's title), as the marker draws it."""
SECOND_SIZE = 0.7
"""The second caregiver's marker area, as a share of the first's (it answers the smaller share)."""
SECOND_TIE = "#555555"
SECOND_TIE_WIDTH = 1.2
"""The line joining a household's two caregivers: darker and thicker than a supporter's tie."""
SECOND_HATCH = ".."
"""The A/B/C/D bars of the infants' classes with their second caregivers: dotted (a preview's bars are
striped, so the two never look alike)."""
SECOND_KEY = "#BBBBBB"
"""The colour of the A/B/C/D legend's keys for the two caregivers' bars (no class: the bars have the
class colours)."""
SECOND_LEGEND_WRAP = 30
"""Characters per line of the second caregiver's legend entry (a legend column's width)."""
NETWORK_AXES = (0.01, 0.20, 0.98, 0.70)
"""The network's drawing area in the figure (left, bottom, width, height): the title above, the legend below."""
NETWORK_AXES_TWO = (0.01, 0.26, 0.98, 0.52)
"""The same with households: a title of three lines (assessed or preview, then the classes with each
caregiver: one line would not fit the panel's width) and a fourth line of legend (the second
caregiver's marker)."""


def _figure() -> Figure:
    return Figure(figsize=FIGURE_INCHES, dpi=APP_PNG_DPI)


def class_counts(cls: np.ndarray) -> dict[str, int]:
    return {c: int(np.sum(cls == c)) for c in CLASSES}


def class_cis(cls: np.ndarray) -> dict[str, tuple[float, float]]:
    """95% Wilson interval of each class's share (in %)."""
    n = len(cls)
    return {c: tuple(100 * x for x in analysis.wilson_ci(k, n)) for c, k in class_counts(cls).items()}


def error_bars(heights, ci: dict[str, tuple[float, float]]) -> np.ndarray:
    """matplotlib's ``yerr`` (below, above) for bars of ``heights`` (%, in CLASSES order) with intervals
    ``ci``; never negative (a share of 0 or 100% has its interval's end at the bar, up to rounding)."""
    h = np.asarray(heights, dtype=float)
    return np.maximum(0.0, np.vstack([h - [ci[c][0] for c in CLASSES], [ci[c][1] for c in CLASSES] - h]))


@style.figure_style()
def network_figure(model: AppModel, watched: int | None = None) -> Figure:
    """Each dyad a circle in its infant's attachment class colour (A/B/C/D, the main channel; the
    assessment once done, else today's preview), a black ring when the caregiver is depressed, its
    supporters small around it (blue when there today). In a two-caregiver household the second
    caregiver is a diamond beside the first, joined to it, in the colour of the infant's class *with
    that caregiver* (attachment is relationship-specific), ringed when depressed."""
    s = model.state
    n = model.n
    pos = model.node_positions()
    cls, caption, assessed = attachment_classes(model)
    second = second_attachment_classes(model)
    fig = _figure()
    ax = fig.add_axes(NETWORK_AXES if second is None else NETWORK_AXES_TWO)
    dyad, slot = np.nonzero(s.sup_exists)
    nodes = n + dyad * MAX_SUPPORTERS + slot
    present = s.sup_present[dyad, slot]
    segments = np.stack([pos[dyad], pos[nodes]], axis=1)
    ax.add_collection(LineCollection(segments, colors=np.where(present[:, None], [[0.18, 0.37, 0.70, 0.8]],
                                                               [[0.78, 0.78, 0.78, 0.6]]), linewidths=0.6))
    base = float(np.clip(5000.0 / max(n, 1), 16.0, 220.0))
    ax.scatter(pos[nodes, 0], pos[nodes, 1], s=base * 0.12, c=np.where(present, SUPPORTER_THERE, SUPPORTER_AWAY),
               linewidths=0, zorder=2)
    fill = [CLASS_COLOURS[c] for c in cls] if len(cls) == n else [NOT_BORN] * n
    ring = np.where(s.depressed, DEPRESSED_RING, "white")
    ax.scatter(pos[:n, 0], pos[:n, 1], s=base, c=fill, edgecolors=ring, linewidths=1.6, zorder=3)
    if second is not None:
        dyads, cls2, _ = second
        seconds = second_node(n, dyads)
        ax.add_collection(LineCollection(np.stack([pos[dyads], pos[seconds]], axis=1), colors=SECOND_TIE,
                                         linewidths=SECOND_TIE_WIDTH, zorder=2.5))
        fill2 = [CLASS_COLOURS[c] for c in cls2] if len(cls2) == len(dyads) else [NOT_BORN] * len(dyads)
        ring2 = np.where(model.households.state.depressed[dyads], DEPRESSED_RING, "white")
        ax.scatter(pos[seconds, 0], pos[seconds, 1], s=base * SECOND_SIZE, c=fill2, marker=SECOND_MARKER,
                   edgecolors=ring2, linewidths=1.4, zorder=4)
    if watched is not None and 0 <= watched < n:
        ax.scatter([pos[watched, 0]], [pos[watched, 1]], s=base * 3.0, marker="s", facecolors="none",
                   edgecolors="black", linewidths=1.4, zorder=5)
        ax.annotate(f"dyad {watched}", pos[watched], xytext=(0, 9), textcoords="offset points", ha="center",
                    zorder=6)
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.04)
    ax.axis("off")
    counts = class_counts(cls)
    if len(cls):
        title = f"{'Strange Situation' if assessed else 'Preview'}: " + ", ".join(
            f"{c} {100 * counts[c] / n:.0f}%" for c in CLASSES)
        if second is not None and len(second[1]):  # two lines, short enough for the panel's width
            counts2 = class_counts(second[1])
            title = (f"{'Strange Situation' if assessed else 'Preview'}\n1st caregiver: "
                     + ", ".join(f"{c} {100 * counts[c] / n:.0f}%" for c in CLASSES)
                     + f"\n2nd caregiver ({SECOND_GLYPH}): "
                     + ", ".join(f"{c} {100 * counts2[c] / len(second[1]):.0f}%" for c in CLASSES))
    else:
        title = "Not born yet: no attachment class"
    fig.suptitle(title, fontsize=style.SENTENCE_TITLE_FONT, y=0.985)
    handles = [Line2D([], [], marker="o", ls="", ms=9, mfc=CLASS_COLOURS[c], mec="white",
                      label=f"{CLASS_LABELS[c]} ({counts[c]})") for c in CLASSES] if len(cls) else [
        Line2D([], [], marker="o", ls="", ms=9, mfc=NOT_BORN, mec="white", label="not born yet")]
    depressed = int(s.depressed.sum())
    if second is not None:
        depressed += int(model.households.state.depressed[second[0]].sum())
    handles += [Line2D([], [], marker="o", ls="", ms=9, mfc="white", mec=DEPRESSED_RING, mew=1.6,
                       label=f"caregiver depressed ({depressed})"),
                Line2D([], [], marker="o", ls="", ms=4, mfc=SUPPORTER_THERE, mec="none", label="supporter (grey: away today)")]
    if second is not None:
        handles.append(Line2D([0, 1], [0, 0], color=SECOND_TIE, lw=SECOND_TIE_WIDTH, marker=SECOND_MARKER, ms=7,
                              markevery=[1], mfc="#888888", mec="white",
                              label=f"second caregiver ({len(second[0])}): the infant's class with them"))
    legend = fig.legend(handles=handles, loc="lower center", ncols=2, frameon=False, columnspacing=0.8,
                        handletextpad=0.2, borderaxespad=0.2, labelspacing=0.25)
    if second is not None:  # the long entry on a line of its own: wrapped over the legend's width
        legend.get_texts()[-1].set_text(style.wrap(legend.get_texts()[-1].get_text(), SECOND_LEGEND_WRAP))
    return fig


BIRTH_NOTE = "at birth: no experience yet\n(answers expected as likely as not)"
"""What the security curve's first point is (learning: ``infant.prior_availability`` 0.5)."""


@style.figure_style()
def live_figure(model: AttachmentModel) -> Figure:
    """Mean security, crying minutes a day and caregiver depression over age."""
    df = daily_frame(model)
    months = model.params.simulation.months
    fig = _figure()
    fig.subplots_adjust(left=0.17, right=0.97, top=0.91, bottom=0.12, hspace=0.18)
    axes = fig.subplots(3, 1, sharex=True)
    fig.suptitle("Population means over age", fontsize=style.SENTENCE_TITLE_FONT, y=0.995)
    if len(df):
        x = df["age_months"].to_numpy()
        colour = style.SERIES_COLOURS
        axes[0].plot(x, df["security_index"], color=colour["security"], lw=1.8)
        # the curve's start is the newborn's prior, not a secure infant that then declines (issue 17:
        # students read the fall from the start as care doing harm)
        axes[0].annotate(BIRTH_NOTE, (x[0], df["security_index"].iloc[0]), xytext=(0.22, 0.08),
                         textcoords="axes fraction", color="#555555", arrowprops={"arrowstyle": "->", "color": "#888888"})
        axes[1].plot(x, df["crying_minutes"].rolling(7, min_periods=1).mean(), color=colour["crying"], lw=1.8)
        axes[2].plot(x, 100 * df["caregiver_depressed"], color=colour["depression"], lw=1.8, label="depressed")
        axes[2].plot(x, 100 * df["caregiver_stress"], color=colour["stress"], lw=1.2, ls="--", label="stress ×100")
        axes[2].legend(loc="upper right", ncols=2, frameon=False, borderaxespad=0.0, handlelength=1.5)
    else:
        axes[1].text(months / 2, 75, "Press Step: the lines grow\nas the infants do (from birth).", ha="center",
                     va="center", color="#555555")
    axes[0].set(ylim=(0, 1), yticks=[0, 0.5, 1], ylabel="security")
    top = max(150.0, float(df["crying_minutes"].max()) * 1.1 if len(df) else 150.0)
    axes[1].set(ylim=(0, top), ylabel="crying\nmin/day")
    axes[1].yaxis.set_major_locator(MaxNLocator(3))
    axes[2].set(ylim=(0, 100), yticks=[0, 50, 100], ylabel="carers %", xlabel="age (months)", xlim=(0, months))
    axes[2].xaxis.set_major_locator(MaxNLocator(7, integer=True))
    for ax in axes:
        ax.grid(alpha=0.3)
    return fig


@style.figure_style()
def attachment_figure(model: AttachmentModel) -> Figure:
    """A/B/C/D with 95% CIs: the Strange Situation once done, else today's preview. In a scenario
    with households, each class has two bars: the infant's class with the first caregiver (left),
    and with the second (right, in the same class colour, with a dark edge and dots), each with its
    own Wilson interval, counted over the infants that have a second caregiver."""
    cls, caption, assessed = attachment_classes(model)
    second = second_attachment_classes(model)
    runs = [(cls, None)]
    if second is not None and len(second[1]):
        runs.append((second[1], SECOND_HATCH))
    fig = _figure()
    ax = fig.add_axes((0.14, 0.19, 0.84, 0.63))
    x = np.arange(len(CLASSES))
    width = 0.8 / len(runs)
    for k, (these, hatch) in enumerate(runs):
        n = len(these)
        sh = shares(these)
        heights = [100 * sh[c] for c in CLASSES]
        xs = x + (k - (len(runs) - 1) / 2) * width
        ax.bar(xs, heights, width * 0.95, color=[CLASS_COLOURS[c] for c in CLASSES], alpha=1.0 if assessed else 0.55,
               hatch=hatch or (None if assessed else "//"), edgecolor=SECOND_TIE if hatch else "white",
               linewidth=1.0 if hatch else None, label=("first caregiver", "second caregiver")[k])
        if n:
            ci = class_cis(these)
            ax.errorbar(xs, heights, yerr=error_bars(heights, ci), fmt="none", ecolor="#333333", elinewidth=1.2,
                        capsize=4 if len(runs) == 1 else 3)
            for j, c in enumerate(CLASSES):
                ax.annotate(f"{heights[j]:.0f}%", (xs[j], ci[c][1]), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom")
    ax.set_xticks(x, [CLASS_LABELS[c].replace(" ", "\n", 1) for c in CLASSES])
    ax.set_ylim(0, 115)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("% of infants")
    fig.suptitle(style.wrap(caption, ATTACHMENT_TITLE_WRAP), fontsize=style.SENTENCE_TITLE_FONT, y=0.985)
    n = len(cls)
    if n:
        ax.set_title(f"{n} infants · bars: 95% CI", fontsize=style.MIN_FONT, color="#555555")
    if len(runs) == 2:
        ax.legend(handles=[Patch(facecolor=SECOND_KEY, edgecolor="white", label="with the first caregiver"),
                           Patch(facecolor=SECOND_KEY, edgecolor=SECOND_TIE, hatch=SECOND_HATCH,
                                 label=f"with the second ({len(second[1])})")],
                  loc="upper right", frameon=False, borderaxespad=0.2, handlelength=1.4)
    return fig


@style.figure_style()
def comparison_figure(model: AppModel) -> Figure:
    """Mean security over age and A/B/C/D (with 95% CIs) of the model and its twin (same random numbers).

    Each run is drawn in its scenario's colour (as in every figure of the project), labelled with
    the scenario's title; the twin is dashed and hatched, so a run compared with its own preset
    (same colour) still reads apart.
    """
    fig = _figure()
    ax1 = fig.add_axes((0.13, 0.36, 0.36, 0.50))
    ax2 = fig.add_axes((0.60, 0.36, 0.38, 0.50))
    colours = style.scenario_colours([model.params.name, model.twin.params.name])
    runs = [(titled(model.label, model.params), model, colours[model.params.name], "-", None),
            (titled(model.twin_label, model.twin.params), model.twin, colours[model.twin.params.name], "--", "//")]
    months = model.params.simulation.months
    width = 0.4
    x = np.arange(len(CLASSES))
    assessed_all = True
    for k, (label, m, colour, line, hatch) in enumerate(runs):
        df = daily_frame(m)
        if len(df):
            ax1.plot(df["age_months"], df["security_index"], color=colour, lw=2, ls=line, label=style.wrap(label, 34))
        cls, _, assessed = attachment_classes(m)
        assessed_all &= assessed
        sh = shares(cls)
        heights = np.array([100 * sh[c] for c in CLASSES])
        xs = x + (k - 0.5) * width
        ax2.bar(xs, heights, width, color=colour, hatch=hatch, edgecolor="white", alpha=1.0 if assessed else 0.6)
        if len(cls):
            ci = class_cis(cls)
            ax2.errorbar(xs, heights, yerr=error_bars(heights, ci), fmt="none", ecolor="#333333", elinewidth=1.0,
                         capsize=2)
    ax1.set(xlim=(0, months), ylim=(0, 1), yticks=[0, 0.5, 1], xlabel="age (months)")
    ax1.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax1.set_title("mean security", fontsize=style.MIN_FONT)
    ax1.grid(alpha=0.3)
    ax2.set_xticks(x, list(CLASSES))
    ax2.set(ylim=(0, 100), yticks=[0, 50, 100])
    ax2.set_title(("A/B/C/D %" if assessed_all else "preview %") + ", 95% CI", fontsize=style.MIN_FONT)
    fig.suptitle("Same infants, same random numbers", fontsize=style.SENTENCE_TITLE_FONT, y=0.985)
    fig.legend(*ax1.get_legend_handles_labels(), loc="lower center", ncols=1, frameon=False, borderaxespad=0.3,
               handlelength=2.2)
    return fig


VERDICT_POWER = power.POWER_TARGET
"""How sure a trial should be to find a difference that is there (80%, the usual design target)."""
MAX_TRIAL_ARM = 1000
"""The most dyads an arm the page's trials offer (a sample size beyond it is written as 'more than')."""


def comparison_verdict(model: AppModel) -> str:
    """The difference in % secure (B) between the run and its twin, with its 95% CI, in words a class
    can act on (issue 17: at 100 dyads an arm a class read 46% against 53% as the intervention doing
    harm). The interval is the one a trial with different families in each arm would have (Newcombe
    1998); the app's twin shares the infants and their chances, so its own runs differ less by chance
    than a trial's arms would. When the interval holds 0 it says the difference could be chance and
    how many dyads an arm a trial would need to find a difference of this size 80% of the time
    (two-proportion test: ``power.n_for_power``). When both runs have households, a second paragraph
    says the same of the infants' classes with their second caregivers (a programme for fathers
    shows there first: ``video_feedback_fathers_trial``)."""
    if model.twin is None:
        return ""
    a, _, _ = attachment_classes(model)
    b, _, _ = attachment_classes(model.twin)
    if not len(a) or not len(b):
        return "No infant is born yet: nothing to compare."
    text = _secure_difference(a, b, model.label, model.twin_label, "Secure (B)")
    sa, sb = second_attachment_classes(model), second_attachment_classes(model.twin)
    if sa is not None and sb is not None and len(sa[1]) and len(sb[1]):
        text += "\n\n" + _secure_difference(sa[1], sb[1], model.label, model.twin_label,
                                             "Secure (B) with the second caregiver")
    return text


def _secure_difference(a: np.ndarray, b: np.ndarray, label: str, twin_label: str, what: str) -> str:
    """:func:`comparison_verdict`'s words for the classes ``a`` (the run) and ``b`` (its twin)."""
    diff, lo, hi = analysis.share_difference_ci(a == "B", b == "B")
    pa, pb = float(np.mean(a == "B")), float(np.mean(b == "B"))
    each = f"{len(a)} infants each" if len(a) == len(b) else f"{len(a)} and {len(b)} infants"
    head = (f"{what}: {100 * pa:.0f}% with *{label}* vs {100 * pb:.0f}% with *{twin_label}*: "
            f"a difference of {100 * diff:+.0f} points (95% CI {100 * lo:+.0f} to {100 * hi:+.0f}) with {each}.")
    if diff == 0:
        return head + " No difference in the share secure."
    if lo <= 0 <= hi:
        need = power.n_for_power(pa, pb, power=VERDICT_POWER)
        n_text = (f"more than {MAX_TRIAL_ARM:,} an arm" if not np.isfinite(need) or need > MAX_TRIAL_ARM
                  else f"about {math.ceil(need):,} an arm")
        return (head + f" **This could be chance**: the interval includes 0 (no difference). A trial would need "
                f"{n_text} to find a difference of this size {100 * VERDICT_POWER:.0f}% of the time.")
    return head + " **Unlikely to be chance** at this number of infants: the interval excludes 0 (no difference)."


def titled(label: str, scenario: Scenario) -> str:
    """A run's label with the scenario's title for its name (slides show titles, not file names)."""
    return label.replace(scenario.name, style.scenario_label(scenario), 1)

"""The teaching app: watch attachment form, day by day, in the browser (Mesa's SolaraViz).

Start it with ``python run_sim.py app`` (or ``solara run simulation/app/ --host 127.0.0.1``)
and open http://127.0.0.1:8765. See ``docs/app.md`` for what every control and view shows.

- Pick a **preset** (a scenario from ``scenarios/``): its parameters load into the sliders and
  its description and teaching notes are shown.
- Move the **sliders** (sensitivity, consistency, interpretation bias, depression risk,
  support, risk factors, an intervention) and press **Reset**: the model is rebuilt with them.
- **Step** runs one week (the "Render Interval" is the number of days per Step), ▶ plays.

Views: the dyads and their supporters as a network coloured by infant security (ring: caregiver
stress); mean security, crying and caregiver depression over age; the A/B/C/D distribution
(a preview until the Strange Situation at 12 months); the same infants under a second scenario
with the same random numbers; one dyad's last days in words (``simulation.report.explain``).

The model class of the page is :class:`AppModel`: an :class:`~simulation.model.AttachmentModel`
whose keyword arguments are the sliders (SolaraViz rebuilds it with them on Reset), which keeps
a short diary of every dyad and steps a comparison model alongside.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import numpy as np
import pandas as pd
import solara
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.visualization import SolaraViz
from mesa.visualization import solara_viz as _solara_viz
from mesa.visualization.utils import update_counter

from simulation.report import explain as explain_mod
from simulation.report import style
from simulation.model import streams
from simulation.measures.strange_situation import CLASSES, security_index, strange_situation
from simulation.model.calendar import DAYS_PER_MONTH
from simulation.model.engine import AttachmentModel
from simulation.report.style import CLASS_COLOURS, CLASS_LABELS
from simulation.scenario import Scenario, available_scenarios, load_scenario
from simulation.model.components.interventions import kind_names
from simulation.model.components.support import MAX_SUPPORTERS

DEFAULT_PRESET = "good_enough"
DEFAULT_DYADS = 100
DEFAULT_SEED = "1"
DAYS_PER_STEP = 7
"""Days run by one press of Step (SolaraViz's render interval, adjustable in the page)."""
DIARY_DAYS = 14
OFF = "(none)"
UNCHANGED = "(this preset, unchanged)"
WITHOUT_INTERVENTIONS = "(this preset, no interventions)"
DEFAULT_INTERVENTION = "video_feedback"
DEFAULT_INTERVENTION_START = 60


def intervention_kinds() -> list[str]:
    """The intervention kinds the page offers: the registry's, the default first."""
    kinds = kind_names()
    return sorted(kinds, key=lambda k: k != DEFAULT_INTERVENTION)

COMPARE_PARTNERS = {
    "good_enough": "inconsistent", "perfect": "good_enough", "inconsistent": "good_enough",
    "rejecting": "good_enough", "frightening": "good_enough", "village": "high_risk_isolated",
    "high_risk_isolated": "village", "community": "perinatal_depression",
    "perinatal_depression": "community", "normative_low_risk": "community",
}
"""The scenario each preset is compared with by default (the teaching notes' own pairs)."""
HOST = "127.0.0.1"
PORT = 8765


# ------------------------------------------------------------------------------ the controls
@dataclass(frozen=True)
class Control:
    """A slider of the page: its scenario key, label and range."""

    key: str
    label: str
    min: float
    max: float
    step: float
    help: str = ""
    integer: bool = False

    def preset_value(self, scenario: Scenario) -> float:
        node: Any = scenario
        for part in self.key.split("."):
            node = getattr(node, part)
        value = getattr(node, "mean", node)
        return int(value) if self.integer else float(value)


CONTROLS: dict[str, Control] = {
    "sensitivity": Control("caregiver.responsiveness", "Sensitivity", 0.0, 1.0, 0.01,
                           "probability of answering a noticed distress signal"),
    "inconsistency": Control("caregiver.inconsistency", "Inconsistency", 0.0, 3.0, 0.1,
                             "day-to-day swings in availability (0 = the same every day; higher = less consistent)"),
    "negative_bias": Control("caregiver.negative_bias", "Negative bias", -0.5, 1.0, 0.05,
                             "interpretation bias: reads the infant's faces as more negative (0 = none)"),
    "depression_risk": Control("depression.onset_per_year", "Depression risk", 0.0, 2.0, 0.001,
                               "yearly rate of depression onset before risk factors and stress"),
    "support_size": Control("support.size", "Supporters", 0.0, 7.0, 0.1,
                            "mean number of supporters (partner, family, friends)"),
    "risk_factors": Control("risk.fixed_count", "Risk factors", -1, 7, 1,
                            "risk factors per caregiver (-1 = the preset's own mix)", integer=True),
}
"""Slider keyword -> scenario key. Sliders start at the preset's value (its mean for traits)."""


def presets() -> list[str]:
    return available_scenarios()


def compare_choices() -> list[str]:
    return [OFF, UNCHANGED, WITHOUT_INTERVENTIONS, *presets()]


def preset_interventions(scenario: Scenario) -> list[dict]:
    """The interventions a scenario schedules, as plain dicts."""
    return list(scenario.model_dump().get("interventions") or [])


def default_partner(preset: str) -> str:
    """A preset with interventions is compared with itself without them (a virtual trial)."""
    if preset_interventions(load_scenario(preset)):
        return WITHOUT_INTERVENTIONS
    partner = COMPARE_PARTNERS.get(preset, UNCHANGED)
    return partner if partner in presets() else UNCHANGED


def preset_values(preset: str) -> dict[str, float]:
    """The slider values that reproduce ``preset`` exactly."""
    sc = load_scenario(preset)
    return {name: c.preset_value(sc) for name, c in CONTROLS.items()}


def model_params(preset: str = DEFAULT_PRESET) -> dict[str, Any]:
    """SolaraViz ``model_params`` for ``preset``: every key is a keyword of :class:`AppModel`."""
    values = preset_values(preset)
    params: dict[str, Any] = {
        "preset": preset,
        "n_dyads": {"type": "SliderInt", "value": DEFAULT_DYADS, "label": "Dyads",
                    "min": 20, "max": 300, "step": 10},
        "seed": {"type": "InputText", "value": DEFAULT_SEED, "label": "Random seed (same seed = same infants)"},
    }
    for name, c in CONTROLS.items():
        params[name] = {"type": "SliderInt" if c.integer else "SliderFloat", "value": values[name], "label": c.label,
                        "min": c.min, "max": c.max, "step": c.step}
    params["intervention"] = {"type": "Checkbox", "value": False, "label": "Intervention on"}
    params["intervention_kind"] = {"type": "Select", "value": DEFAULT_INTERVENTION, "values": intervention_kinds(),
                                   "label": "Intervention"}
    params["intervention_start"] = {"type": "SliderInt", "value": DEFAULT_INTERVENTION_START, "min": -90, "max": 300,
                                    "step": 5, "label": "Starts (day)"}
    params["compare_with"] = {"type": "Select", "value": default_partner(preset), "values": compare_choices(),
                              "label": "Compare with (same infants, same random numbers)"}
    return params


def initial_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments ``model_params`` gives before any slider moves."""
    return {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}


def parse_seed(seed: Any) -> int:
    """A seed from the page's text box: a whole number, or any text (hashed to a stable number)."""
    text = str(seed).strip()
    try:
        value = int(text)
    except ValueError:
        return streams.stream_key(text or DEFAULT_SEED)
    return abs(value)


# ------------------------------------------------------------------------------ the model
class AppModel(AttachmentModel):
    """The app's model: a preset plus the page's sliders, with a diary and a comparison twin.

    Every keyword is a control of the page (SolaraViz passes them on Reset). ``None`` keeps the
    preset's value. The comparison twin (``compare_with``: a preset, ``UNCHANGED`` for this
    preset without the slider changes, or ``OFF``) has the same dyads, seed and calendar and is
    stepped day for day alongside (common random numbers).
    """

    def __init__(self, preset: str = DEFAULT_PRESET, n_dyads: int = DEFAULT_DYADS, seed: Any = DEFAULT_SEED,
                 sensitivity: float | None = None, inconsistency: float | None = None,
                 negative_bias: float | None = None, depression_risk: float | None = None,
                 support_size: float | None = None, risk_factors: int | None = None,
                 intervention: bool = False, intervention_kind: str = DEFAULT_INTERVENTION,
                 intervention_start: int = DEFAULT_INTERVENTION_START, compare_with: str | None = None,
                 months: int | None = None):
        self.preset = str(preset)
        base = load_scenario(self.preset)
        given = {"sensitivity": sensitivity, "inconsistency": inconsistency, "negative_bias": negative_bias,
                 "depression_risk": depression_risk, "support_size": support_size, "risk_factors": risk_factors}
        overrides: dict[str, Any] = {}
        self.changes: list[tuple[str, float, float]] = []
        for name, value in given.items():
            if value is None:
                continue
            c = CONTROLS[name]
            value = int(round(float(value))) if c.integer else float(value)
            overrides[c.key] = value
            before = c.preset_value(base)
            if not math.isclose(before, value, abs_tol=1e-9):
                self.changes.append((c.label.lower(), before, value))
        self.intervention = None
        self.preset_interventions = preset_interventions(base)
        if intervention:
            self.intervention = {"kind": str(intervention_kind), "start_day": int(intervention_start)}
            overrides["interventions"] = [*self.preset_interventions, self.intervention]
        super().__init__(self.preset, n_dyads=int(n_dyads), months=months, seed=parse_seed(seed),
                         overrides=overrides)
        self.diary = explain_mod.DyadDiary(self.state, days=DIARY_DAYS)
        self.compare_with = default_partner(self.preset) if compare_with is None else str(compare_with)
        self.twin: AttachmentModel | None = None
        if self.compare_with != OFF:
            other = self.preset if self.compare_with in (UNCHANGED, WITHOUT_INTERVENTIONS) else self.compare_with
            extra = {"interventions": []} if self.compare_with == WITHOUT_INTERVENTIONS else None
            self.twin = AttachmentModel(other, n_dyads=self.n, seed=self.seed, months=self.params.simulation.months,
                                        overrides=extra)
        self._sync_twin()
        self._layout: np.ndarray | None = None

    @property
    def label(self) -> str:
        return self.preset + (" + your changes" if self.changes or self.intervention else "")

    @property
    def twin_label(self) -> str:
        if self.twin is None:
            return ""
        if self.compare_with == UNCHANGED:
            return f"{self.preset} (unchanged)"
        if self.compare_with == WITHOUT_INTERVENTIONS:
            return f"{self.preset} without interventions"
        return self.compare_with

    def step(self) -> None:
        if not self.running:
            return
        super().step()
        self.diary.record(self.day - 1, self.state)
        self._sync_twin()

    def _sync_twin(self) -> None:
        # the twin runs to the same day of age (presets may start at different days before birth)
        while self.twin is not None and self.twin.running and self.twin.day < self.day:
            self.twin.step()

    def node_positions(self) -> np.ndarray:
        """Drawing positions of the network's nodes: each caregiver in a grid, supporters around."""
        if self._layout is None:
            self._layout = star_grid_layout(self.n)
        return self._layout


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
    model's streams are untouched) and is marked as such.
    """
    if model.assessments:
        age = max(model.assessments)
        return model.assessments[age].attachment, f"Strange Situation at {age} months", True
    u = streams.generator(model.seed, "app:preview").random((model.n, 5))
    u = np.clip(u, 1e-7, 1 - 1e-7)
    cls = strange_situation(model.state, model.params.assessment.situational_noise, u).attachment
    first = model.params.simulation.assessment_ages[0]
    age = max(model.day, 0) / DAYS_PER_MONTH
    return cls, f"Preview: if assessed today ({age:.1f} months; the real one is at {first} months)", False


def shares(cls: np.ndarray) -> dict[str, float]:
    return {c: float(np.mean(cls == c)) if len(cls) else 0.0 for c in CLASSES}


def daily_frame(model: AttachmentModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def age_text(model: AttachmentModel) -> str:
    day = model.day
    total = model.end_day
    if day < 0:
        return f"{-day} days before birth (the caregiver's pregnancy); birth at day 0, end at day {total}"
    state = "finished" if not model.running else f"day {day} of {total}"
    return f"Age {day / DAYS_PER_MONTH:.1f} months: {state}"


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
    security = security_index(s)
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


def _image(fig: Figure):
    return solara.FigureMatplotlib(fig, format="png")


def _md(text: str, classes: list[str] | None = None):
    """Markdown rendered on the server (solara.Markdown would fetch KaTeX, which is not served offline)."""
    return solara.HTML(tag="div", unsafe_innerHTML=markdown.markdown(text), classes=["sb-md", *(classes or [])])


# ------------------------------------------------------------------------------ components
watched_dyad = solara.reactive(0)
"""The dyad the explain panel describes (and the network view outlines); one per browser session."""

CSS = """
.sb-view { height: 100%; overflow-y: auto; overflow-x: hidden; padding: 4px 8px; }
.sb-view img { max-width: 100%; height: auto; }
.sb-md p, .sb-md li { font-size: 13.5px; line-height: 1.45; margin-bottom: 4px; }
.sb-md ul { margin-bottom: 6px; }
.sb-md h3 { font-size: 17px; font-weight: 500; margin: 2px 0 4px 0; }
.sb-small p, .sb-small li { font-size: 12.5px; }
.sb-muted p { color: #555; }
.sb-md strong { font-weight: 600; }
.sb-md em { font-style: italic; }
.sb-md code { font-size: 12px; }
.sb-picker .sb-md { margin-bottom: 10px; }
"""


def _when(start_day: int) -> str:
    return f"day {start_day}" if start_day >= 0 else f"{-start_day} days before birth"


@solara.component
def ScenarioCard(model: AppModel):
    """The preset's title, description and teaching notes, the age, and what the sliders changed."""
    update_counter.get()
    p = model.params
    lines = [f"### {p.title or p.name}", f"**{age_text(model)}** · {model.n} dyads · seed {model.seed}"]
    if model.changes or model.intervention:
        items = [f"- {label}: {before:g} → **{after:g}**" for label, before, after in model.changes]
        if model.intervention:
            items.append(f"- intervention: **{model.intervention['kind'].replace('_', ' ')}** from "
                         f"{_when(model.intervention['start_day'])}")
        lines.append("**Your changes to the preset** (applied by Reset):\n\n" + "\n".join(items))
    else:
        lines.append("*The preset as written: move a slider and press Reset to change it.*")
    scheduled = model.preset_interventions
    if scheduled:
        lines.append("**Interventions in this preset**: " + "; ".join(
            f"{iv['kind'].replace('_', ' ')} from {_when(iv['start_day'])}"
            + (f" (offered to: {iv['target'].replace('_', ' ')})" if iv.get("target", "all") != "all" else "")
            for iv in scheduled))
    lines.append(" ".join(p.description.split()))
    if p.teaching_notes.strip():
        lines.append("**Teaching notes**\n\n" + p.teaching_notes.strip())
    with solara.Column(classes=["sb-view", "sb-scenario"], gap="4px") as main:
        _md("\n\n".join(lines))
    return main


@solara.component
def NetworkView(model: AppModel):
    """The dyads and their supporters, coloured by infant security and caregiver stress."""
    update_counter.get()
    watched = min(watched_dyad.value, model.n - 1)
    with solara.Column(classes=["sb-view", "sb-network"], gap="0px") as main:
        _image(network_figure(model, watched))
    return main


@solara.component
def LivePlots(model: AppModel):
    """Mean security, crying minutes a day and caregiver depression over age."""
    update_counter.get()
    with solara.Column(classes=["sb-view", "sb-live-plots"], gap="0px") as main:
        _image(live_figure(model))
    return main


@solara.component
def AttachmentView(model: AppModel):
    """The A/B/C/D distribution (preview until the assessment)."""
    update_counter.get()
    with solara.Column(classes=["sb-view", "sb-attachment"], gap="0px") as main:
        _image(attachment_figure(model))
    return main


@solara.component
def ComparisonView(model: AppModel):
    """This run beside a second scenario with the same infants and the same random numbers."""
    update_counter.get()
    with solara.Column(classes=["sb-view", "sb-comparison"], gap="2px") as main:
        if model.twin is None:
            _md("### Comparison\n\nChoose a scenario under **Compare with** and press **Reset** to run the same "
                "infants, with the same random numbers, under a second scenario.")
        else:
            _md(f"**Comparison**: *{model.label}* vs *{model.twin_label}*: the same {model.n} infants and the same "
                f"daily random numbers (seed {model.seed}); only the caregiving differs.")
            _image(comparison_figure(model))
    return main


@solara.component
def ExplainView(model: AppModel):
    """One dyad's last days in words: signals, answers, misses and repairs."""
    update_counter.get()
    n = model.n
    dyad = min(watched_dyad.value, n - 1)

    def pick(kind: str):
        order = np.argsort(security_index(model.state), kind="stable")
        index = {"least": order[0], "median": order[len(order) // 2], "most": order[-1]}[kind]
        watched_dyad.set(int(index))

    info = explain_mod.explain(model, dyad, days=7)
    with solara.Column(classes=["sb-view", "sb-explain"], gap="2px") as main:
        _md("### One dyad, in words")
        solara.SliderInt("Dyad", value=dyad, min=0, max=n - 1, on_value=watched_dyad.set)
        with solara.Row(gap="4px"):
            solara.Text("Pick:", style={"font-size": "13px", "align-self": "center"})
            solara.Button("least secure", on_click=lambda: pick("least"), small=True, outlined=True)
            solara.Button("median", on_click=lambda: pick("median"), small=True, outlined=True)
            solara.Button("most secure", on_click=lambda: pick("most"), small=True, outlined=True)
        _md(info["headline"], ["sb-small", "sb-muted"])
        if info["days"]:
            _md("\n\n".join(info["summary"]))
            _md("**Day by day** (newest first):\n\n" + "\n".join(f"- {d}" for d in info["days"]), ["sb-small"])
        else:
            _md("No day has run yet: press **Step**.")
    return main


VIEWS = [(ScenarioCard, 0), (NetworkView, 0), (LivePlots, 0), (AttachmentView, 0), (ComparisonView, 0),
         (ExplainView, 0)]

# Mesa lays every view out in a 6-wide, 10-high cell; give ours sizes that fit their content.
_LAYOUT = [
    {"i": 0, "x": 0, "y": 0, "w": 4, "h": 13, "moved": False},   # scenario
    {"i": 1, "x": 4, "y": 0, "w": 8, "h": 13, "moved": False},   # network
    {"i": 2, "x": 0, "y": 13, "w": 7, "h": 15, "moved": False},  # live plots
    {"i": 3, "x": 7, "y": 13, "w": 5, "h": 15, "moved": False},  # A/B/C/D
    {"i": 4, "x": 0, "y": 28, "w": 7, "h": 14, "moved": False},  # comparison
    {"i": 5, "x": 7, "y": 28, "w": 5, "h": 14, "moved": False},  # one dyad
]
_mesa_initial_layout = getattr(_solara_viz, "make_initial_grid_layout", None)


def _initial_layout(num_components: int) -> list[dict]:
    if num_components == len(_LAYOUT) or _mesa_initial_layout is None:
        return [dict(item) for item in _LAYOUT]
    return _mesa_initial_layout(num_components)


if _mesa_initial_layout is not None:
    _solara_viz.make_initial_grid_layout = _initial_layout


@solara.component
def PresetPicker(preset: solara.Reactive[str]):
    """Choose a scenario preset: its values load into the sliders (and rebuild the model)."""
    sc = load_scenario(preset.value)
    values = preset_values(preset.value)
    rows = "\n".join(f"- **{c.label}** ({values[name]:g}): {c.help}" for name, c in CONTROLS.items())
    with solara.Card("Scenario preset", margin=0, classes=["sb-picker"]) as main:
        solara.Select("Preset", values=presets(), value=preset)
        _md(f"*{sc.title}*\n\nThen move the sliders under **Model Parameters**, press **Reset** to apply them, "
            f"and **Step** ({DAYS_PER_STEP} days, the *Render Interval*) or ▶.", ["sb-small"])
        with solara.Details("What the sliders mean (preset values)"):
            _md(rows, ["sb-small"])
    return main


@solara.component
def Dashboard(preset: str):
    """Mesa's SolaraViz for one preset (rebuilt from scratch when the preset changes)."""
    params = solara.use_memo(lambda: model_params(preset), [preset])
    model = solara.use_memo(lambda: AppModel(**initial_kwargs(params)), [preset])
    return SolaraViz(model, components=list(VIEWS), model_params=params, name="SecureBase: how answers become security",
                     play_interval=150, render_interval=DAYS_PER_STEP)


@solara.component
def Page():
    """The app: a preset picker, then Mesa's SolaraViz for that preset.

    A new preset unmounts the SolaraViz for one render before mounting a new one. A key alone
    is not enough: SolaraViz's controls live in the sidebar (a portal of the AppLayout), where
    they would otherwise survive with the old preset's parameters.
    """
    preset = solara.use_reactive(DEFAULT_PRESET)
    shown = solara.use_reactive(DEFAULT_PRESET)

    def follow_preset():
        if shown.value != preset.value:
            shown.set(preset.value)

    solara.use_effect(follow_preset, [preset.value])
    solara.Style(CSS)
    with solara.Sidebar():
        PresetPicker(preset)
    if shown.value == preset.value:
        Dashboard(preset.value).key(f"dashboard-{preset.value}")
    else:
        solara.Text(f"Loading {preset.value} ...")


page = Page()
"""The page element (``solara run simulation/app/`` serves ``Page``)."""


# ------------------------------------------------------------------------------ serving
def solara_command(host: str = HOST, port: int = PORT) -> list[str]:
    """The ``solara run`` command line that serves this module."""
    return [sys.executable, "-m", "solara", "run", "simulation.app", "--host", host, "--port", str(int(port)),
            "--no-open", "--no-check-version", "--production", "--theme-variant", "light"]


def serve(host: str = HOST, port: int = PORT) -> int:
    """Serve the app with Solara on ``host:port`` (127.0.0.1:8765 by default) until interrupted."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # no phoning home (offline classrooms)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    print(f"SecureBase app: open http://{host}:{port} in a browser (Ctrl-C stops the server)", flush=True)
    proc = subprocess.Popen(solara_command(host, port), cwd=root, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            proc.kill()
            proc.wait()
        return 130

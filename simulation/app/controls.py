"""The page's controls and the model they build: presets, sliders, comparisons, interventions.

Everything the sidebar offers lives here: the scenario presets (``scenarios/``) and how a preset
maps to slider values (:data:`CONTROLS`, :func:`preset_values`), the scenario each preset is
compared with by default, the intervention kinds on offer, Mesa's ``model_params`` built from
them, and :class:`AppModel`, the model class of the page, whose keyword arguments are exactly
those controls (the page's Reset rebuilds it with them). Kept apart from the views and the
page: the app's model is built and tested without Solara.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulation.errors import UserError
from simulation.model import streams
from simulation.model.calendar import month_day
from simulation.model.components.interventions import kind_names
from simulation.model.engine import AttachmentModel
from simulation.report import explain as explain_mod
from simulation.scenario import Scenario, available_scenarios, load_scenario

from .figures import star_grid_layout

log = logging.getLogger("simulation.app")

DEFAULT_PRESET = "good_enough"
DEFAULT_DYADS = 100
DEFAULT_SEED = "1"
DAYS_PER_STEP = 7
"""Days run by one press of Step, and by each update while ▶ plays (the controller's render interval)."""
DIARY_DAYS = 14
OFF = "(none)"
UNCHANGED = "(this preset, unchanged)"
WITHOUT_INTERVENTIONS = "(this preset, no interventions)"
DEFAULT_INTERVENTION = "video_feedback"
DEFAULT_INTERVENTION_START = 60
INTERVENTION_START_STEP = 5
"""Days between the start slider's positions."""
ADDED_INTERVENTION_NAME = "yours_{kind}"
"""The name of the intervention the page adds: distinct from any the preset schedules (whose names are
their kinds unless set), so that adding one of the same kind is never refused."""


def intervention_start_range(scenario: Scenario) -> tuple[int, int]:
    """The start days the page offers for a preset: from its first simulated day (before birth only
    when the preset simulates pregnancy) to the last day that leaves a week of the run, on the
    slider's grid from the first day."""
    sim = scenario.simulation
    first = -int(sim.prenatal_days)
    last = month_day(sim.months) - DAYS_PER_STEP
    return first, first + (last - first) // INTERVENTION_START_STEP * INTERVENTION_START_STEP


def default_intervention_start(scenario: Scenario) -> int:
    """The start slider's first position: DEFAULT_INTERVENTION_START, moved onto the preset's range and grid."""
    first, last = intervention_start_range(scenario)
    start = min(max(DEFAULT_INTERVENTION_START, first), last)
    return first + (start - first) // INTERVENTION_START_STEP * INTERVENTION_START_STEP


def intervention_kinds() -> list[str]:
    """The intervention kinds the page offers: the registry's, the default first."""
    kinds = kind_names()
    return sorted(kinds, key=lambda k: k != DEFAULT_INTERVENTION)

COMPARE_PARTNERS = {
    "good_enough": "inconsistent", "perfect": "good_enough", "inconsistent": "good_enough",
    "rejecting": "good_enough", "frightening": "good_enough", "village": "high_risk_isolated",
    "high_risk_isolated": "village", "community": "perinatal_depression",
    "perinatal_depression": "community", "normative_low_risk": "community",
    "two_parents": "single_parent", "single_parent": "two_parents",
    "depressed_mother_sensitive_father": "both_depressed", "both_depressed": "depressed_mother_sensitive_father",
}
"""The scenario each preset is compared with by default (the teaching notes' own pairs)."""


# ------------------------------------------------------------------------------ the controls
PRESET_MIX = -1
"""The risk-factors slider's far left: no fixed count, each caregiver has the preset's own mix."""
PRESET_MIX_TEXT = "preset mix"
"""What the page writes beside that position (not "-1", which read as no risk factors: issue 17)."""

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
    shown: str = "{:g}"
    """How the value is written beside the slider (plain units: a share as a percentage)."""
    at_min: str | None = None
    """What is written at the slider's far left instead of the number, when that position means
    something else (risk factors: the preset's own mix)."""

    def preset_value(self, scenario: Scenario) -> float:
        node: Any = scenario
        for part in self.key.split("."):
            node = getattr(node, part)
        value = getattr(node, "mean", node)
        return int(value) if self.integer else float(value)

    def text(self, value: float) -> str:
        """The value as the page writes it beside the slider."""
        if self.at_min is not None and math.isclose(float(value), self.min):
            return self.at_min
        return self.shown.format(value)


CONTROLS: dict[str, Control] = {
    "sensitivity": Control("caregiver.responsiveness", "Sensitivity", 0.0, 1.0, 0.01,
                           "probability of answering a noticed distress signal", shown="{:.2f}"),
    "inconsistency": Control("caregiver.inconsistency", "Inconsistency", 0.0, 3.0, 0.1,
                             "day-to-day swings in availability (0 = the same every day; higher = less consistent)",
                             shown="{:.1f}"),
    "negative_bias": Control("caregiver.negative_bias", "Negative bias", -0.5, 1.0, 0.05,
                             "interpretation bias: reads the infant's faces as more negative (0 = none)", shown="{:+.2f}"),
    "depression_risk": Control("depression.onset_per_year", "Depression risk", 0.0, 0.2, 0.002,
                               "yearly rate of depression onset before risk factors and stress (0.022: 2.2% a year)",
                               shown="{:.1%}/yr"),
    "support_size": Control("support.size", "Supporters", 0.0, 7.0, 0.1,
                            "mean number of supporters (partner, family, friends)", shown="{:.1f}"),
    "support_time": Control("support.availability", "Supporters' time", 0.0, 1.0, 0.05,
                            "how often each supporter is there: the share of days (a network helps by the time it "
                            "is there, not by its size)", shown="{:.0%}"),
    "risk_factors": Control("risk.fixed_count", "Risk factors", PRESET_MIX, 7, 1,
                            "risk factors per caregiver, the same for every caregiver; at the far left "
                            f"({PRESET_MIX}), each caregiver has the preset's own mix, drawn from its population",
                            integer=True, at_min=PRESET_MIX_TEXT),
}
"""Slider keyword -> scenario key. Sliders start at the preset's value (its mean for traits)."""


def control_text(name: str, value: Any) -> str:
    """A control's value as the page writes it beside the control, in plain units."""
    if name in CONTROLS:
        return CONTROLS[name].text(value)
    if name == "intervention_start":
        return f"day {int(value)}" if int(value) >= 0 else f"{-int(value)} d before birth"
    if name == "n_dyads":
        return f"{int(value)}"
    return str(value)


def changed_settings(settings: dict[str, Any], applied: dict[str, Any]) -> list[str]:
    """The keywords whose value on the page differs from the model's (moved, not yet applied by Reset)."""
    out = []
    for name, value in settings.items():
        if name not in applied:
            continue
        before = applied[name]
        if isinstance(value, (int, float)) and isinstance(before, (int, float)) and not isinstance(value, bool):
            if not math.isclose(float(value), float(before), abs_tol=1e-9):
                out.append(name)
        elif str(value) != str(before):
            out.append(name)
    return out


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
    """The page's controls for ``preset``, in Mesa's ``model_params`` form (type, label, value, range): every key is
    a keyword of :class:`AppModel`."""
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
    sc = load_scenario(preset)
    first, last = intervention_start_range(sc)
    params["intervention_start"] = {"type": "SliderInt", "value": default_intervention_start(sc), "min": first,
                                    "max": last, "step": INTERVENTION_START_STEP, "label": "Starts (day)"}
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

    Every keyword is a control of the page (Reset passes them). ``None`` keeps the
    preset's value. The comparison twin (``compare_with``: a preset, ``UNCHANGED`` for this
    preset without the slider changes, or ``OFF``) has the same dyads, seed and calendar and is
    stepped day for day alongside (common random numbers).
    """

    def __init__(self, preset: str = DEFAULT_PRESET, n_dyads: int = DEFAULT_DYADS, seed: Any = DEFAULT_SEED,
                 sensitivity: float | None = None, inconsistency: float | None = None,
                 negative_bias: float | None = None, depression_risk: float | None = None,
                 support_size: float | None = None, support_time: float | None = None,
                 risk_factors: int | None = None,
                 intervention: bool = False, intervention_kind: str = DEFAULT_INTERVENTION,
                 intervention_start: int = DEFAULT_INTERVENTION_START, compare_with: str | None = None,
                 months: int | None = None):
        self.preset = str(preset)
        self.settings: dict[str, Any] = {
            "preset": self.preset, "n_dyads": n_dyads, "seed": seed, "sensitivity": sensitivity,
            "inconsistency": inconsistency, "negative_bias": negative_bias, "depression_risk": depression_risk,
            "support_size": support_size, "support_time": support_time, "risk_factors": risk_factors,
            "intervention": intervention, "intervention_kind": intervention_kind,
            "intervention_start": intervention_start, "compare_with": compare_with}
        """The keywords the model was built with: the page's controls as Reset applied them."""
        base = load_scenario(self.preset)
        overrides: dict[str, Any] = {}
        self.changes: list[tuple[str, float, float]] = []
        for name, c in CONTROLS.items():
            value = self.settings[name]
            if value is None:
                continue
            value = int(round(float(value))) if c.integer else float(value)
            overrides[c.key] = value
            before = c.preset_value(base)
            if not math.isclose(before, value, abs_tol=1e-9):
                self.changes.append((c.label.lower(), before, value))
        self.intervention = None
        self.preset_interventions = preset_interventions(base)
        if intervention:
            # a start outside the preset's calendar (e.g. before birth when no pregnancy is
            # simulated, from a slider left at another preset's value) moves to its nearest day
            first, last = intervention_start_range(base)
            start = min(max(int(intervention_start), first), last)
            if start != int(intervention_start):
                self.changes.append(("intervention start (moved into this preset's days)", int(intervention_start),
                                     start))
            kind = str(intervention_kind)
            self.intervention = {"kind": kind, "start_day": start, "name": ADDED_INTERVENTION_NAME.format(kind=kind)}
            overrides["interventions"] = [*self.preset_interventions, self.intervention]
        self.error: str | None = None
        try:
            super().__init__(self.preset, n_dyads=int(n_dyads), months=months, seed=parse_seed(seed),
                             overrides=overrides)
        except UserError as exc:
            # a combination of controls the model refuses: say so in the page (and the server's
            # log), and run the preset as written rather than replace the page with a traceback
            self.error = f"Your changes could not be applied, so the preset runs as written: {exc}"
            log.warning("app: %s", self.error)
            self.changes, self.intervention = [], None
            super().__init__(self.preset, n_dyads=int(n_dyads), months=months, seed=parse_seed(seed))
        self.diary = explain_mod.DyadDiary(self.state, days=DIARY_DAYS, params=self.params.assessment)
        # the infant's days with its second caregiver, in a two-caregiver household (the explain panel)
        self.second_diary = (None if self.households is None else
                             explain_mod.DyadDiary(self.households.state, days=DIARY_DAYS,
                                                   params=self.households.params.assessment))
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
        if self.second_diary is not None:
            self.second_diary.record(self.day - 1, self.households.state)
        self._sync_twin()

    def _sync_twin(self) -> None:
        # the twin runs to the same day of age (presets may start at different days before birth)
        while self.twin is not None and self.twin.running and self.twin.day < self.day:
            self.twin.step()

    def node_positions(self) -> np.ndarray:
        """Drawing positions of the network's nodes: each caregiver in a grid, supporters around, a
        household's second caregiver beside the first."""
        if self._layout is None:
            self._layout = star_grid_layout(self.n)
        return self._layout

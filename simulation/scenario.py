"""Scenario schema: every parameter of the model, its default, its range and its meaning.

A scenario is a TOML file in ``scenarios/`` (or any path) with a name, a description, teaching
notes and the parameter sections below. Anything not given takes the default here, so a
scenario file only states how it differs from the built-in defaults. Validation is done with
pydantic; every problem is turned into one :class:`~simulation.errors.ScenarioError` that names
the key path, the value given and what is allowed, and suggests the closest key for a typo.

Per-dyad traits are population distributions (:class:`Dist`): each dyad draws its own value
``clip(mean + sd * z, low, high)`` with ``z`` a standard normal from its own random stream, so
a dyad keeps its rank in the population when a scenario moves the mean (common random numbers).
A plain number in a file means "everyone has this value" (sd = 0); a plain number given as an
override (``--set caregiver.attention=0.8``) moves the mean and keeps the spread.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ScenarioError

SCENARIO_DIR_ENV = "SECUREBASE_SCENARIOS"


def scenario_dir() -> Path:
    """Folder of the built-in scenarios (``scenarios/`` at the project root)."""
    env = os.environ.get(SCENARIO_DIR_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "scenarios"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Dist(_Strict):
    """A trait's distribution in the population: mean and standard deviation (clipped normal)."""

    mean: float
    sd: float = Field(0.0, ge=0.0)

    @model_validator(mode="before")
    @classmethod
    def _scalar_is_fixed(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"mean": float(value), "sd": 0.0}
        return value


def trait(mean: float, sd: float, low: float, high: float, doc: str) -> Any:
    """A per-dyad trait field: default distribution, allowed range of values, meaning."""
    return Field(default_factory=lambda: Dist(mean=mean, sd=sd), description=doc,
                 json_schema_extra={"bounds": [low, high]})


def trait_bounds(section: BaseModel, name: str) -> tuple[float, float]:
    extra = type(section).model_fields[name].json_schema_extra or {}
    low, high = extra["bounds"]
    return float(low), float(high)


class SimulationSettings(_Strict):
    """Size, calendar and measurement schedule of a run."""

    n_dyads: int = Field(1000, ge=1, le=1_000_000, description="number of caregiver-infant dyads")
    months: int = Field(12, ge=1, le=36, description="months of infant life simulated (one step = one day)")
    prenatal_days: int = Field(0, ge=0, le=280, description="days simulated before birth (caregiver only)")
    assessment_ages: list[int] = Field(default_factory=lambda: [12], min_length=1,
                                       description="ages (months) of the Strange Situation assessments")
    observation_age_months: float = Field(6.0, ge=0.0, le=36.0,
                                          description="age (months) at which the home observation of sensitivity starts")
    observation_days: int = Field(2, ge=1, le=30, description="length of the home observation window (days)")
    episode_slots: int = Field(16, ge=8, le=64, description="maximum signal episodes per dyad per day")

    @field_validator("assessment_ages")
    @classmethod
    def _ages_in_range(cls, ages: list[int]) -> list[int]:
        for age in ages:
            if not 1 <= age <= 36:
                raise ValueError(f"each assessment age must be between 1 and 36 months, got {age}")
        if len(set(ages)) != len(ages):
            raise ValueError(f"assessment ages must be distinct, got {ages}")
        return sorted(ages)


class CaregiverParams(_Strict):
    """The caregiver's traits (per dyad) and the rules that turn them into day-to-day answers."""

    attention: Dist = trait(0.85, 0.05, 0.0, 1.0, "probability of noticing a fuss or a face (a cry is louder)")
    responsiveness: Dist = trait(0.85, 0.06, 0.0, 1.0, "probability of answering a noticed distress signal")
    accuracy: Dist = trait(0.70, 0.08, 0.0, 1.0, "probability that the first answer matches the need")
    repair: Dist = trait(0.80, 0.08, 0.0, 1.0, "probability of repairing a mismatched answer within the episode")
    latency_s: Dist = trait(1.5, 0.4, 0.1, 600.0, "median latency of an answer (seconds)")
    rejection: Dist = trait(0.05, 0.03, 0.0, 1.0, "probability that an answer to a bid for comfort is a rebuff")
    inconsistency: Dist = trait(0.4, 0.1, 0.0, 5.0, "day-to-day variability of attention and answering (SD, logit units)")
    negative_bias: Dist = trait(0.0, 0.1, -1.0, 1.0,
                                "shift of face reading towards negative, on a -1..+1 valence scale")
    reactivity: Dist = trait(1.0, 0.2, 0.0, 10.0, "stress raised by an hour of unsoothed or perceived distress")
    frightening: Dist = trait(0.014, 0.007, 0.0, 1.0,
                              "per-answer probability of a frightening answer (unresolved caregivers, no stress)")
    disruption: float = Field(0.02, ge=0.0, le=1.0,
                              description="per-answer probability of a disrupted (frightening, hostile-intrusive or "
                                          "dissociated) answer in any caregiver, per unit of stress plus depression")
    latency_spread: float = Field(0.6, ge=0.0, le=3.0, description="episode-to-episode spread of latency (lognormal sigma)")
    mood_persistence: float = Field(0.6, ge=0.0, le=0.99, description="day-to-day autocorrelation of the caregiver's mood")
    face_reading_noise: float = Field(0.35, gt=0.0, le=2.0, description="noise in reading an infant's face (valence SD)")
    stress_impairment: float = Field(1.5, ge=0.0, le=10.0,
                                     description="drop in attention and answering (logit units) at full stress")
    stress_recovery_days: float = Field(4.0, ge=0.5, le=60.0, description="time constant of stress recovery (days)")
    fatigue_memory_days: float = Field(7.0, ge=1.0, le=60.0, description="time constant of fatigue from crying (days)")


class HistoryParams(_Strict):
    """The caregiver's own attachment history (adult attachment states of mind, AAI).

    Caregivers' states of mind predict their infants' attachment (van IJzendoorn 1995):
    dismissing caregivers tend to rebuff bids (avoidant infants), preoccupied ones to be
    inconsistently available (resistant infants), unresolved ones to frighten (disorganised).
    In non-clinical mothers about 58% are autonomous, 23% dismissing, 19% preoccupied, and
    about 18% are (also) unresolved (Bakermans-Kranenburg & van IJzendoorn 2009).
    """

    dismissing: float = Field(0.0, ge=0.0, le=1.0, description="share of caregivers with a dismissing state of mind")
    preoccupied: float = Field(0.0, ge=0.0, le=1.0, description="share of caregivers with a preoccupied state of mind")
    unresolved: float = Field(0.0, ge=0.0, le=1.0, description="share of caregivers with an unresolved loss or trauma")
    dismissing_rejection: float = Field(0.30, ge=0.0, le=1.0,
                                        description="rejection added by a dismissing state of mind")
    preoccupied_inconsistency: float = Field(1.4, ge=0.0, le=5.0,
                                             description="day-to-day inconsistency added by a preoccupied state of mind")

    @model_validator(mode="after")
    def _organised_shares(self) -> "HistoryParams":
        if self.dismissing + self.preoccupied > 1.0:
            raise ValueError(f"history.dismissing + history.preoccupied must be at most 1, got "
                             f"{self.dismissing} + {self.preoccupied}")
        return self


class RiskParams(_Strict):
    """Prevalence of each risk factor (share of caregivers who have it); effects are in ``risk.py``.

    The own-history risk factor ("difficult childhood") is an insecure or unresolved state of
    mind: see ``[history]``.
    """

    prior_depression: float = Field(0.0, ge=0.0, le=1.0, description="share with earlier depression")
    partner_conflict: float = Field(0.0, ge=0.0, le=1.0, description="share with partner conflict")
    low_ses: float = Field(0.0, ge=0.0, le=1.0, description="share with low socio-economic status")
    life_events: float = Field(0.0, ge=0.0, le=1.0, description="share with stressful life events")
    birth_complications: float = Field(0.0, ge=0.0, le=1.0, description="share with pregnancy or delivery complications")
    lack_of_support: float = Field(0.0, ge=0.0, le=1.0, description="share lacking social support")
    fixed_count: int = Field(-1, ge=-1, le=7,
                             description="-1: factors drawn from their prevalences; 0-7: every caregiver has exactly "
                                         "this many factors, chosen at random")
    effect_scale: float = Field(1.0, ge=0.0, le=5.0, description="multiplier on every risk factor's effects")


class DepressionParams(_Strict):
    """Perinatal depression: onset, recovery, effects on caregiving, questionnaire score."""

    onset_per_year: float = Field(0.022, ge=0.0, le=5.0,
                                  description="yearly onset hazard with no risk factor and no stress")
    stress_effect: float = Field(1.5, ge=0.0, le=10.0, description="log-hazard of onset per unit of stress")
    postpartum_boost: float = Field(1.0, ge=0.0, le=5.0,
                                    description="extra log-hazard of onset in the first 3 months after birth")
    cognitive_vulnerability: float = Field(3.0, ge=0.0, le=20.0,
                                           description="log-hazard of onset per unit of negative face-reading bias")
    recovery_days: float = Field(150.0, ge=7.0, le=1000.0, description="mean length of an untreated episode (days)")
    withdrawal: float = Field(1.2, ge=0.0, le=5.0, description="drop in attention and answering (logit units) when depressed")
    hostility: float = Field(0.10, ge=0.0, le=1.0, description="rejection added when depressed (negative, intrusive answers)")
    bias: float = Field(0.20, ge=0.0, le=1.0, description="negative face-reading bias added when depressed")
    cutoff: float = Field(13.0, ge=0.0, le=30.0, description="questionnaire cut-off for probable depression (EPDS >= 13)")
    score_noise: float = Field(2.5, ge=0.0, le=10.0, description="SD of the questionnaire's error (points)")


class SupportParams(_Strict):
    """The caregiver's support network ("it takes a village")."""

    size: Dist = trait(3.0, 1.5, 0.0, 8.0, "number of supporters (partner, grandparents, friends), rounded")
    availability: Dist = trait(0.4, 0.15, 0.0, 1.0, "probability that a supporter is there on a given day")
    quality: Dist = trait(0.7, 0.15, 0.0, 1.0, "a supporter's sensitivity when taking over")
    partner: float = Field(0.9, ge=0.0, le=1.0, description="share of caregivers whose first supporter is a partner")
    health_visitor: float = Field(0.0, ge=0.0, le=1.0, description="share of caregivers visited by a health visitor")
    relief_share: float = Field(0.25, ge=0.0, le=1.0,
                                description="share of the day's episodes taken over per unit of support present")
    stress_buffer: float = Field(0.8, ge=0.0, le=10.0, description="how much support present damps the stress drive")
    risk_buffer: float = Field(0.3, ge=0.0, le=10.0, description="how much a good network damps the effects of risk")


class InfantParams(_Strict):
    """The infant's temperament, signalling and learning rules."""

    negative_emotionality: Dist = trait(0.0, 1.0, -4.0, 4.0, "temperament: proneness to distress (z-score)")
    soothability: Dist = trait(0.6, 0.15, 0.05, 1.0, "temperament: how fast distress settles once soothed")
    distress_bids_per_day: float = Field(6.0, ge=0.0, le=30.0, description="distress signals a day at 3 months, average temperament")
    crying_peak: float = Field(1.0, ge=0.0, le=3.0,
                               description="extra distress signals in the first weeks, before the 2-month shift (relative)")
    smile_bids_per_day: float = Field(4.0, ge=0.0, le=30.0, description="social smiles a day once the social smile is established")
    ambiguous_faces_per_day: float = Field(3.0, ge=0.0, le=30.0, description="ambiguous faces a day")
    contingency_window_s: float = Field(2.0, gt=0.0, le=60.0,
                                        description="answers later than this do not count as contingent (Millar 1972)")
    learning_memory_days: float = Field(45.0, ge=1.0, le=365.0, description="memory of the working model of availability (days)")
    strategy_memory_days: float = Field(60.0, ge=1.0, le=365.0, description="time constant of the attachment strategy (days)")
    fear_memory_days: float = Field(90.0, ge=1.0, le=730.0, description="time constant of the decay of fear of the caregiver (days)")
    fear_per_fright: float = Field(0.05, ge=0.0, le=1.0, description="fear added by one frightening answer")
    amplify_threshold: float = Field(0.22, ge=0.0, le=1.0,
                                     description="unpredictability (SD of daily answer rate) above which signals are amplified")
    mute_threshold: float = Field(0.6, ge=0.0, le=2.0,
                                  description="futility of bids (expected rejection + weighted unavailability) above which "
                                              "signals are muted")
    unanswered_weight: float = Field(0.5, ge=0.0, le=2.0,
                                     description="weight of unavailability (1 - availability) in the futility of bids")
    unrepaired_weight: float = Field(0.5, ge=0.0, le=1.0,
                                     description="an unrepaired mismatched answer to distress counts as this much of a rebuff")
    strategy_slope: float = Field(0.05, gt=0.0, le=1.0, description="softness of the strategy thresholds")
    strategy_noise: float = Field(0.05, ge=0.0, le=1.0, description="infant-to-infant spread of the strategy thresholds")
    cry_minutes: float = Field(16.0, ge=0.0, le=120.0, description="minutes an unsoothed cry lasts before it settles by itself")
    early_inconsolable: float = Field(0.5, ge=0.0, le=1.0,
                                      description="share of a soothed cry that goes on regardless in the first weeks "
                                                  "(fades as self-regulation matures, by about 3 months)")


class AssessmentParams(_Strict):
    """How outcomes are measured (as researchers measure them)."""

    situational_noise: float = Field(0.12, ge=0.0, le=1.0,
                                     description="noise of the Strange Situation (state on the day, coding), 0..1 scale")
    coder_noise: float = Field(0.5, ge=0.0, le=4.0, description="SD of the coder's error on the 1-9 sensitivity scale")


INTERVENTION_KINDS = ("bias_training", "video_feedback", "home_visiting", "depression_treatment")
EFFECT_KEYS = {
    # key: how it is applied (see interventions.py)
    "attention": "logit", "responsiveness": "logit", "accuracy": "logit",
    "repair": "add", "rejection": "add", "negative_bias": "add",
    "reactivity": "relative", "latency_s": "relative", "frightening": "relative",
    "support_availability": "relative", "health_visitor": "flag", "depression_recovery": "relative",
}
MAX_INTERVENTIONS = 4


class InterventionSpec(_Strict):
    """One intervention component: what, when, for whom, how much (see ``interventions.py``).

    Defaults for ``duration_days``, ``sessions`` and ``effects`` depend on ``kind``; anything
    left out takes the kind's documented default.
    """

    kind: Literal["bias_training", "video_feedback", "home_visiting", "depression_treatment"]
    name: str = Field("", pattern=r"^[A-Za-z0-9_]*$", description="label in the outputs (default: the kind)")
    start_day: int = Field(0, ge=-280, le=1095, description="first day, from birth (negative = before birth)")
    duration_days: int | None = Field(None, ge=1, le=1095, description="days over which the sessions are spread")
    sessions: int | None = Field(None, ge=1, le=200, description="number of sessions offered")
    adherence: float = Field(0.85, ge=0.0, le=1.0, description="probability of attending each session")
    target: Literal["all", "high_risk", "prior_depression", "screen_positive"] = Field(
        "all", description="who is offered it: everyone, caregivers with >= high_risk_min risk factors, "
                           "those with earlier depression, or those over the questionnaire cut-off")
    high_risk_min: int = Field(2, ge=1, le=7, description="risk factors that make a caregiver high-risk")
    dyads: list[int] = Field(default_factory=list, description="if given, only these dyads are offered it")
    half_life_days: float | None = Field(None, gt=0.0, description="after the end, effects halve every this many days "
                                                                    "(default: the kind's; omit for lasting effects)")
    effects: dict[str, float] = Field(default_factory=dict, description="effect at full dose per named parameter")

    @field_validator("effects")
    @classmethod
    def _known_effects(cls, effects: dict[str, float]) -> dict[str, float]:
        for key in effects:
            if key not in EFFECT_KEYS:
                close = difflib.get_close_matches(key, list(EFFECT_KEYS), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"unknown effect '{key}'{hint}; allowed: {', '.join(EFFECT_KEYS)}")
        return effects


class TrialParams(_Strict):
    """How ``experiments/virtual_trial.py`` runs this scenario as a randomised trial.

    The treatment arm receives the scenario's ``interventions``; the control arm the same
    scenario without them.
    """

    eligible: Literal["all", "prior_depression", "high_risk"] = Field(
        "all", description="who is randomised: everyone, those with earlier depression, or high-risk caregivers")
    stratify: Literal["none", "risk_count", "prior_depression"] = Field(
        "risk_count", description="stratified randomisation by this characteristic")
    n_dyads: int = Field(2000, ge=10, le=1_000_000, description="dyads in the trial (both arms together)")
    power_outcome: Literal["secure", "disorganised", "depressed"] = Field(
        "secure", description="binary outcome for the power curve")


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = ""
    description: str = ""
    teaching_notes: str = ""
    simulation: SimulationSettings = Field(default_factory=SimulationSettings)
    caregiver: CaregiverParams = Field(default_factory=CaregiverParams)
    infant: InfantParams = Field(default_factory=InfantParams)
    assessment: AssessmentParams = Field(default_factory=AssessmentParams)
    history: HistoryParams = Field(default_factory=HistoryParams)
    risk: RiskParams = Field(default_factory=RiskParams)
    depression: DepressionParams = Field(default_factory=DepressionParams)
    support: SupportParams = Field(default_factory=SupportParams)
    interventions: list[InterventionSpec] = Field(default_factory=list, max_length=MAX_INTERVENTIONS)
    trial: TrialParams = Field(default_factory=TrialParams)

    @model_validator(mode="after")
    def _schedule_fits(self) -> "Scenario":
        sim = self.simulation
        late = [a for a in sim.assessment_ages if a > sim.months]
        if late:
            raise ValueError(f"assessment ages {late} are later than the simulated months ({sim.months})")
        names = [iv.name or iv.kind for iv in self.interventions]
        if len(set(names)) != len(names):
            raise ValueError(f"interventions need distinct names (set 'name'), got {names}")
        for iv in self.interventions:
            if iv.start_day < -sim.prenatal_days:
                raise ValueError(f"intervention '{iv.name or iv.kind}' starts on day {iv.start_day}, before the "
                                 f"simulated calendar (simulation.prenatal_days = {sim.prenatal_days})")
            if any(not 0 <= d < sim.n_dyads for d in iv.dyads):
                raise ValueError(f"intervention '{iv.name or iv.kind}': dyads must be between 0 and "
                                 f"{sim.n_dyads - 1}, got {iv.dyads}")
        if sim.observation_age_months + sim.observation_days / 30.4375 > sim.months:
            raise ValueError(f"the observation window (from {sim.observation_age_months} months, "
                             f"{sim.observation_days} days) ends after the simulated months ({sim.months})")
        return self


TRAIT_SECTIONS = ("caregiver", "infant", "support")
"""Sections whose :class:`Dist` fields are per-dyad traits drawn at initialisation."""

# --------------------------------------------------------------------------------------------
# Loading, overrides and error messages


def available_scenarios() -> list[str]:
    folder = scenario_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def _suggest(word: str, options: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{prefix}{close[0]}'?)" if close else ""


def _section_model(path: tuple) -> type[BaseModel] | None:
    """The pydantic model that validates the table at ``path`` (None if not a table)."""
    model: type[BaseModel] = Scenario
    for key in path:
        if isinstance(key, int):
            return None
        field = model.model_fields.get(key)
        if field is None:
            return None
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        else:
            return None
    return model


def _allowed_keys(path: tuple) -> list[str]:
    model = _section_model(path)
    return list(model.model_fields) if model else []


def _format_error(err: dict, source: str) -> str:
    loc = tuple(err["loc"])
    path = ".".join(str(k) for k in loc) or "(top level)"
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        prefix = ".".join(str(k) for k in loc[:-1])
        return (f"{source}: unknown key '{path}'{_suggest(str(loc[-1]), allowed, prefix + '.' if prefix else '')}; "
                f"allowed keys here: {', '.join(allowed)}")
    if err["type"] == "missing":
        return f"{source}: missing required key '{path}'"
    msg = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    if isinstance(value, dict) and not loc:
        return f"{source}: {msg}"
    return f"{source}: {path} = {value!r} is not allowed: {msg}"


def _check_trait_bounds(scenario: Scenario, source: str) -> None:
    for section_name in TRAIT_SECTIONS:
        section = getattr(scenario, section_name)
        for name, field in type(section).model_fields.items():
            if field.annotation is not Dist:
                continue
            dist = getattr(section, name)
            low, high = trait_bounds(section, name)
            if not low <= dist.mean <= high:
                raise ScenarioError(f"{source}: {section_name}.{name}.mean = {dist.mean!r} is out of range: "
                                    f"allowed {low:g} <= mean <= {high:g} ({field.description})")


def validate_scenario(data: dict, source: str = "scenario") -> Scenario:
    """Validate a raw dict (as read from TOML) into a Scenario, or raise one ScenarioError."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError("\n".join(_format_error(e, source) for e in exc.errors())) from None
    _check_trait_bounds(scenario, source)
    return scenario


def parse_value(text: str) -> Any:
    """Parse a command-line value as TOML (numbers, booleans, lists); fall back to a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_overrides(data: dict, overrides: dict[str, Any] | None, source: str = "override") -> dict:
    """Return a copy of ``data`` with dotted-key overrides applied (checked against the schema)."""
    import copy

    data = copy.deepcopy(data)
    for key, value in (overrides or {}).items():
        parts = [p for p in str(key).split(".") if p]
        if not parts:
            raise ScenarioError(f"{source}: empty key in override {key!r}={value!r}")
        node = data
        path: list[str] = []
        for i, part in enumerate(parts):
            allowed = _allowed_keys(tuple(path))
            model = _section_model(tuple(path))
            is_dist_leaf = model is Dist
            if model is not None and part not in allowed:
                shown = ".".join(path + [part])
                prefix = ".".join(path) + "." if path else ""
                raise ScenarioError(f"{source}: unknown key '{shown}'{_suggest(part, allowed, prefix)}; "
                                    f"allowed keys here: {', '.join(allowed)}")
            if model is None and not is_dist_leaf:
                shown = ".".join(path)
                raise ScenarioError(f"{source}: '{shown}' is a value, it has no key '{part}'")
            last = i == len(parts) - 1
            if last:
                field_model = _section_model(tuple(path + [part]))
                if field_model is Dist and not isinstance(value, dict):
                    current = node.get(part)
                    if isinstance(current, dict):
                        node[part] = {**current, "mean": value}
                    elif current is None:
                        default = getattr(model(), part) if model not in (None, Scenario) else None
                        sd = default.sd if isinstance(default, Dist) else 0.0
                        node[part] = {"mean": value, "sd": sd}
                    else:
                        node[part] = {"mean": value, "sd": 0.0}
                else:
                    node[part] = value
            else:
                child = node.get(part)
                if child is None:
                    child = {}
                elif not isinstance(child, dict):
                    child = {"mean": child, "sd": 0.0} if _section_model(tuple(path + [part])) is Dist else child
                node[part] = child
                node = child
            path.append(part)
    return data


OWN_KEYS = ("name", "title", "description", "teaching_notes")
"""Keys a scenario never inherits through ``extends``."""


def _merge(parent: dict, child: dict) -> dict:
    """Child over parent: tables merge key by key, anything else (values, lists) is replaced."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_scenario_file(name_or_path: str | os.PathLike, _chain: tuple[str, ...] = ()) -> tuple[dict, str]:
    """Read a scenario by built-in name or by path; return the raw dict and a label for errors.

    A file may start from another scenario with ``extends = "community"`` (a built-in name or a
    path relative to the file): it then states only how it differs. Tables merge key by key;
    values and lists (e.g. ``interventions``) replace the parent's; ``name``, ``title``,
    ``description`` and ``teaching_notes`` are never inherited.
    """
    text = str(name_or_path)
    path = Path(text)
    looks_like_path = text.endswith(".toml") or os.sep in text or "/" in text
    if not looks_like_path:
        path = scenario_dir() / f"{text}.toml"
        if not path.is_file():
            names = available_scenarios()
            raise ScenarioError(f"unknown scenario '{text}'{_suggest(text, names)}; "
                                f"available: {', '.join(names) or '(none found in ' + str(scenario_dir()) + ')'}")
    if not path.is_file():
        raise ScenarioError(f"scenario file '{text}' does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario file '{text}' is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"scenario file '{text}' cannot be read: {exc}") from None
    label = path.stem if not looks_like_path else text
    parent = data.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str) or not parent:
            raise ScenarioError(f"{label}: extends = {parent!r} is not allowed: give a scenario name or a path")
        key = str(path.resolve())
        if key in _chain:
            raise ScenarioError(f"{label}: extends = '{parent}' makes a cycle")
        if parent.endswith(".toml") or "/" in parent:
            parent = str((path.parent / parent))
        parent_data, _ = read_scenario_file(parent, _chain + (key,))
        inherited = {k: v for k, v in parent_data.items() if k not in OWN_KEYS}
        data = _merge(inherited, data)
    return data, label


def load_scenario(scenario: "str | os.PathLike | Scenario | dict", overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario by name, path, dict or Scenario, with optional dotted overrides.

    >>> load_scenario("good_enough", {"caregiver.repair": 0.5}).caregiver.repair.mean
    0.5
    """
    if isinstance(scenario, Scenario):
        data, source = scenario.model_dump(), scenario.name
    elif isinstance(scenario, dict):
        data, source = scenario, str(scenario.get("name", "scenario"))
    else:
        data, source = read_scenario_file(scenario)
    data = apply_overrides(data, overrides, source=f"{source} (override)")
    return validate_scenario(data, source)

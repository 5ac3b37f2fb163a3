"""Scenario schema: every parameter of the model, its default, its range and its meaning.

The parameters are declared in the components (``simulation/model/components/*.py``: each with
its unit and source); here they are assembled, section by section in the order of the day plan,
into one pydantic model (:func:`schema`), with the run's size and calendar
(:class:`SimulationSettings`), the virtual trial's settings (:class:`TrialParams`) and the rules
across sections (:class:`ScenarioBase`).

Types are strict, because a silently converted value runs a different experiment from the one
the user meant: ``true`` is not the number 1, ``"0.5"`` (text) is not the number 0.5, and
``nan`` or ``inf`` would turn every dyad's rates into NaN. A whole number is accepted where a
decimal is expected, and a decimal without fraction where a whole number is (``12.0`` months, a
sweep's bounds, ``1e3`` dyads): TOML writes ``1`` and ``1.0`` differently, people do not, and
nothing is lost either way.

Per-dyad traits are population distributions (:class:`Dist`): each dyad draws its own value
``clip(mean + sd * z, low, high)`` with ``z`` a standard normal from its own random stream, so
a dyad keeps its rank in the population when a scenario moves the mean (common random numbers).
A plain number in a file means "everyone has this value" (sd = 0); a plain number given as an
override (``--set caregiver.attention=0.8``) moves the mean and keeps the spread
(:mod:`simulation.scenario.overrides`).
"""

from __future__ import annotations

from typing import Any, Iterator, Literal, get_args, get_origin

from pydantic import BaseModel, Field, create_model, field_validator, model_validator

from ..errors import shown
from ..model.calendar import DAYS_PER_MONTH
from ..model.components.interventions import MAX_INTERVENTIONS, InterventionSpec
from ..model.params import Strict, WholeNumber
from ..model.plan import PLAN


class SimulationSettings(Strict):
    """Size, calendar and measurement schedule of a run."""

    n_dyads: WholeNumber = Field(1000, ge=1, le=1_000_000, description="number of caregiver-infant dyads")
    months: WholeNumber = Field(12, ge=1, le=36, description="months of infant life simulated (one step = one day)")
    prenatal_days: WholeNumber = Field(0, ge=0, le=280, description="days simulated before birth (caregiver only)")
    assessment_ages: list[WholeNumber] = Field(default_factory=lambda: [12], min_length=1,
                                       description="ages (months) of the Strange Situation assessments")
    observation_age_months: float = Field(6.0, ge=0.0, le=36.0,
                                          description="age (months) at which the home observation of sensitivity starts")
    observation_days: WholeNumber = Field(2, ge=1, le=30, description="length of the home observation window (days)")
    episode_slots: WholeNumber = Field(16, ge=8, le=64, description="maximum signal episodes per dyad per day")

    @field_validator("assessment_ages")
    @classmethod
    def _ages_in_range(cls, ages: list[int]) -> list[int]:
        for age in ages:
            if not 1 <= age <= 36:
                raise ValueError(f"each assessment age must be between 1 and 36 months, got {shown(age)}")
        if len(set(ages)) != len(ages):
            raise ValueError(f"assessment ages must be distinct, got {shown(ages)}")
        return sorted(ages)


class TrialParams(Strict):
    """How ``experiments/virtual_trial.py`` runs this scenario as a randomised trial.

    The treatment arm receives the scenario's ``interventions``; the control arm the same
    scenario without them.
    """

    eligible: Literal["all", "prior_depression", "high_risk"] = Field(
        "all", description="who is randomised: everyone, those with earlier depression, or high-risk caregivers")
    stratify: Literal["none", "risk_count", "prior_depression"] = Field(
        "risk_count", description="stratified randomisation by this characteristic")
    n_dyads: WholeNumber = Field(2000, ge=10, le=1_000_000, description="dyads in the trial (both arms together)")
    power_outcome: Literal["secure", "disorganised", "depressed", "secure_cg2", "disorganised_cg2"] = Field(
        "secure", description="binary outcome for the power curve (_cg2: with the second caregiver, in "
                              "two-caregiver households)")


class ScenarioBase(Strict):
    """A complete, validated scenario: its identity; the sections are added from the day plan (``schema``)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = ""
    description: str = ""
    teaching_notes: str = ""
    app_notes: str = Field("", description="teaching notes for the app: what to move (its controls, named as on the "
                                            "page in *italics*) and what to watch; teaching_notes are for the "
                                            "command line and the Python API")

    @model_validator(mode="after")
    def _schedule_fits(self) -> "ScenarioBase":
        sim = self.simulation
        late = [a for a in sim.assessment_ages if a > sim.months]
        if late:
            raise ValueError(f"simulation.assessment_ages = {shown(late)}: later than the simulated months "
                             f"(simulation.months = {sim.months}); allowed: ages up to {sim.months} (e.g. set "
                             f"simulation.assessment_ages = [{sim.months}]), or simulate at least {max(late)} months")
        names = [iv.name or iv.kind for iv in self.interventions]
        if len(set(names)) != len(names):
            raise ValueError(f"interventions need distinct names (set 'name'), got {shown(names)}")
        for iv in self.interventions:
            if iv.start_day < -sim.prenatal_days:
                raise ValueError(f"intervention {shown(iv.name or iv.kind)} starts on day {iv.start_day}, before the "
                                 f"simulated calendar (simulation.prenatal_days = {sim.prenatal_days})")
            if any(not 0 <= d < sim.n_dyads for d in iv.dyads):
                raise ValueError(f"intervention {shown(iv.name or iv.kind)}: dyads must be between 0 and "
                                 f"{sim.n_dyads - 1}, got {shown(iv.dyads)}")
        household = getattr(self, "household", None)
        if household is not None and household.two_caregivers <= 0:
            if self.trial.power_outcome.endswith("_cg2"):
                raise ValueError(f"trial.power_outcome = {shown(self.trial.power_outcome)} is an outcome with the second "
                                 f"caregiver, but there is none (household.two_caregivers = 0): set "
                                 f"household.two_caregivers above 0, or use secure, disorganised or depressed")
            for iv in self.interventions:
                if iv.target_caregiver != "primary":
                    raise ValueError(f"intervention {shown(iv.name or iv.kind)} has target_caregiver = "
                                     f"{shown(iv.target_caregiver)}, but there is no second caregiver "
                                     f"(household.two_caregivers = 0): set household.two_caregivers above 0, "
                                     f"or target_caregiver = 'primary'")
        if sim.observation_age_months + sim.observation_days / DAYS_PER_MONTH > sim.months:
            raise ValueError(f"the observation window (from {sim.observation_age_months} months, "
                             f"{sim.observation_days} days) ends after the simulated months ({sim.months})")
        return self


SECTION_ORDER = ("simulation", "caregiver", "infant", "assessment", "history", "risk", "depression", "support")
"""The order of the sections in a scenario (files, messages, templates); sections that components
add beyond these follow, then ``interventions`` and ``trial``."""
_SECTION_DOCS = {
    "caregiver": "The caregiver's traits (per dyad) and the rules that turn them into day-to-day answers.",
    "infant": "The infant's temperament, signalling and learning rules.",
    "assessment": "How outcomes are measured (as researchers measure them).",
    "history": "The caregiver's own attachment history (adult attachment states of mind, AAI).",
    "risk": "Prevalence of each risk factor (share of caregivers who have it), and what each does.",
    "depression": "Perinatal depression: onset, recovery, effects on caregiving, questionnaire score.",
    "support": "The caregiver's support network (\"it takes a village\").",
}
_SCHEMA: tuple[int, type] | None = None


def _section_class(name: str, parts: list[type]) -> type:
    """One section from the classes components add to it (fields in plan order)."""
    if len(parts) == 1 and name not in _SECTION_DOCS:
        return parts[0]
    cls = create_model(f"{name.title().replace('_', '')}Params", __base__=tuple(reversed(parts)))
    cls.__doc__ = _SECTION_DOCS.get(name, parts[0].__doc__)
    return cls


def schema() -> type[ScenarioBase]:
    """The scenario model of the current day plan (rebuilt when components are added or removed)."""
    global _SCHEMA
    if _SCHEMA is None or _SCHEMA[0] != PLAN.version:
        sections = PLAN.sections()
        order = [*SECTION_ORDER, *(s for s in sections if s not in SECTION_ORDER)]
        fields: dict[str, Any] = {"simulation": (SimulationSettings, Field(default_factory=SimulationSettings))}
        for name in order[1:]:
            if name in sections:
                cls = _section_class(name, sections[name])
                fields[name] = (cls, Field(default_factory=cls))
        fields["interventions"] = (list[InterventionSpec], Field(default_factory=list, max_length=MAX_INTERVENTIONS))
        fields["trial"] = (TrialParams, Field(default_factory=TrialParams))
        model = create_model("Scenario", __base__=ScenarioBase, **fields)
        model.__doc__ = "A complete, validated scenario."
        _SCHEMA = (PLAN.version, model)
    return _SCHEMA[1]


Scenario = schema()
"""The scenario model of the built-in day plan (for type hints; :func:`schema` follows run-time additions)."""
CaregiverParams = Scenario.model_fields["caregiver"].annotation
InfantParams = Scenario.model_fields["infant"].annotation
SupportParams = Scenario.model_fields["support"].annotation
DepressionParams = Scenario.model_fields["depression"].annotation
AssessmentParams = Scenario.model_fields["assessment"].annotation


TRAIT_SECTIONS = ("caregiver", "infant", "support")
"""Sections whose :class:`Dist` fields are per-dyad traits drawn at initialisation."""


def _table_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model of a field holding a table, or a list of tables (then True); (None, False) for a value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    args = get_args(annotation)
    if get_origin(annotation) is list and len(args) == 1 and isinstance(args[0], type) \
            and issubclass(args[0], BaseModel):
        return args[0], True
    return None, False


def _section_model(path: tuple) -> type[BaseModel] | None:
    """The pydantic model that validates the table at ``path`` (None if not a table).

    An int in the path indexes a list of tables, as in pydantic's error locations:
    ``("interventions", 0)`` is an :class:`InterventionSpec`.
    """
    model: type[BaseModel] | None = schema()
    in_list = False
    for key in path:
        if in_list:
            if not isinstance(key, int):
                return None
            in_list = False
            continue
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None:
            return None
        model, in_list = _table_model(field.annotation)
        if model is None:
            return None
    return None if in_list else model


def declared_parameters(model: type[BaseModel] | None = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every declared parameter of the scenario's model sections as (dotted key, pydantic field),
    in section order (a trait's distribution is one parameter; the scenario's name and texts,
    ``simulation``, ``interventions`` and ``trial`` are settings, not model parameters)."""
    if model is None:
        for section, f in schema().model_fields.items():
            if hasattr(f.annotation, "model_fields") and section not in ("simulation", "trial"):
                yield from declared_parameters(f.annotation, f"{section}.")
        return
    for name, f in model.model_fields.items():
        annotation = f.annotation
        if isinstance(annotation, type) and hasattr(annotation, "model_fields") and annotation.__name__ != "Dist":
            yield from declared_parameters(annotation, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", f


CALIBRATED = "calibrated"
"""How a parameter's source begins when it was set on a target (``param(..., source="calibrated: ...")``)."""


def calibrated_markdown() -> str:
    """The calibrated parameters, each with its default and what it was set on (docs/ODD.md section 8,
    generated by scripts/update_docs.py from the declarations, so the list cannot fall behind). The
    intervention kinds' effects, calibrated on V4, are in the kinds' own table (section 7.11)."""
    lines = ["| parameter | default | set on (its declared source) |", "| --- | --- | --- |"]
    for key, f in declared_parameters():
        source = (f.json_schema_extra or {}).get("source", "")
        if not source.lower().startswith(CALIBRATED):
            continue
        default = f.get_default(call_default_factory=True)
        value = (f"{default.mean:g} (SD {default.sd:g})" if hasattr(default, "mean") and hasattr(default, "sd")
                 else f"{default:g}" if isinstance(default, float) else str(default))
        target = source.split(":", 1)[1].strip() if ":" in source else source
        lines.append(f"| `{key}` | {value} | {target.replace('|', '/')} |")
    return "\n".join(lines)

"""Interventions: scheduled components that change named caregiver parameters.

Every component has the same interface (:class:`InterventionSpec`): a kind, a
schedule (``start_day`` from birth, possibly before it; ``duration_days``; ``sessions``), a
target (everyone, high-risk caregivers, those with earlier depression, those over the
depression questionnaire's cut-off; optionally only listed dyads) and, in two-caregiver
households, the caregiver it is for (``target_caregiver``: the first, the second or both), adherence (each session is
attended with this probability: the *dose* is the share attended), and effects at full dose on
named parameters. Effects build up over the sessions, then either last or wear off with a
half-life. Each caregiver's response is scaled by an individual *gain* (lognormal, SD
``gain_sd``): people differ in how much they take from the same programme.

A programme may also *teach* through feedback (``feedback_shift``, ``sessions_to_half``: the
prenatal training of the second seed). Its effect on the caregiver's reading of faces is then not
an effect size but what she learns from the sessions she attends (:func:`learned`).

How an effect applies to its parameter:

=========================  ====================================================================
logit (attention, responsiveness, accuracy)   added on the logit scale
add (repair, rejection, negative_bias)        added
relative (reactivity, social_latency_s, distress_latency_s, frightening, support_availability,
                                              depression_recovery)
                                              multiplied by (1 + effect)
flag (health_visitor)                         a health visitor joins the network while the
                                              programme runs
=========================  ====================================================================

The kinds are classes in one registry (:data:`KINDS`): adding a kind is one class here (or
anywhere, with :func:`register_kind`); the schema, the app's choices and docs/ODD.md take the list
from the registry.
"""
from __future__ import annotations

import difflib
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator
from scipy import stats

from ...errors import shown
from .. import streams
from ..component import Column, Component, Today, Var
from ..numerics import shift_logit
from ..params import Strict, WholeNumber, extra, is_trait, param, trait_bounds
from ..state import DyadState
from . import support
from .traits import CaregiverTraits

MAX_INTERVENTIONS = 4
"""Intervention slots per dyad (the width of the intervention arrays)."""
MAX_EFFECT = 10.0
"""Largest effect at full dose, whatever its mode: 10 logit units turns a 1% probability into
99.5%, an added 10 or a relative +1,000% is beyond any programme; larger values only overflow."""
HALF = 0.5
"""What a half-life does (a definition)."""


# ------------------------------------------------------------------ the kinds (one registry)
class InterventionKind:
    """One kind of programme: its documented defaults (each overridable per scenario).

    Subclasses set ``name``, ``summary`` (one line for the app and the docs), ``source``,
    ``duration_days``, ``sessions``, ``half_life_days`` (None: lasting) and ``effects`` at full
    dose (keys of :data:`EFFECT_KEYS`). A kind that teaches through feedback also sets
    ``feedback_shift`` and ``sessions_to_half`` (:func:`learned`).
    """

    name: ClassVar[str]
    summary: ClassVar[str]
    source: ClassVar[str]
    duration_days: ClassVar[int]
    sessions: ClassVar[int]
    half_life_days: ClassVar[float | None]
    effects: ClassVar[dict[str, float]]
    feedback_shift: ClassVar[float] = 0.0
    sessions_to_half: ClassVar[float | None] = None


KINDS: dict[str, type[InterventionKind]] = {}
"""The registry of intervention kinds, by name."""


def register_kind(kind: type[InterventionKind]) -> type[InterventionKind]:
    """Add a kind to the registry (usable as a class decorator)."""
    unknown = [key for key in kind.effects if key not in EFFECT_KEYS]
    if unknown:
        raise ValueError(f"intervention kind {kind.name!r}: unknown effects {unknown}; allowed: {', '.join(EFFECT_KEYS)}")
    KINDS[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    KINDS.pop(name, None)


def kind_names() -> list[str]:
    return list(KINDS)


EFFECT_KEYS: dict[str, str] = {
    **{name: extra(CaregiverTraits, name)["effect"] for name, f in CaregiverTraits.model_fields.items()
       if is_trait(f) and extra(CaregiverTraits, name).get("effect")},
    "support_availability": "relative", "health_visitor": "flag", "depression_recovery": "relative",
}
"""Parameters an intervention may change, and how an effect applies to each (module docstring)."""
MODIFIABLE_TRAITS = tuple(k for k in EFFECT_KEYS if k in CaregiverTraits.model_fields)
"""Caregiver traits that interventions may change (their pre-intervention values are kept)."""
ONLY_WHILE_RUNNING = ("health_visitor", "depression_recovery")


@register_kind
class BiasTraining(InterventionKind):
    """The prenatal emotional-cognitive training of the second seed (Bjertrup et al. 2023).

    Two weeks of computer sessions for expectant mothers at risk. The training works by feedback,
    trial by trial, on where the trainee puts the boundary between a happy and a sad reading of an
    ambiguous face (cognitive bias modification: Penton-Voak et al. 2012, 2013). The feedback's
    boundary is the trainee's *own* baseline boundary moved two steps of a 15-image morph
    continuum towards the happy reading (Penton-Voak et al. 2013): ``feedback_shift`` = -2/14 of
    the continuum, -0.286 on the model's -1..+1 valence scale. What she learns of it
    (:func:`learned`) depends on the sessions she attends and on how open she is to revising her
    reading (her gain); ``sessions_to_half`` is calibrated so that trained caregivers rate
    ambiguous faces about 5% of the scale more positively (V8). Happy faces are then recognised a
    little better (the same shift, of which a clear face takes only a tenth: ``caregiver.clarity``;
    d about 0.1-0.2), and a caregiver's depression hazard follows her reading
    (``depression.cognitive_vulnerability``). Reactivity to infant distress falls markedly
    (``reactivity`` -40%: "a large effect"), an effect size taken from the study (V8 reads it
    back). Effects wear off slowly (half-life one year, an assumption: the study had no long
    follow-up).
    """

    name = "bias_training"
    summary = "prenatal training against a negative bias in reading infant faces (two weeks)"
    source = ("Bjertrup et al. 2023 (V8: reactivity effect; sessions_to_half calibrated on the 5% shift); feedback "
              "from each trainee's own boundary: Penton-Voak et al. 2013; half-life an assumption")
    duration_days, sessions, half_life_days = 14, 8, 365.0
    effects = {"reactivity": -0.40}
    feedback_shift = -2.0 * 2.0 / 14.0
    """Two of the 14 steps between the 15 images of a happy-to-sad morph continuum, on the -1..+1 scale."""
    sessions_to_half = 11.1
    """Sessions after which a trainee of gain 1 has learned half the feedback's shift (calibrated: V8)."""


@register_kind
class VideoFeedback(InterventionKind):
    """Video-feedback to promote sensitive responding (VIPP: Juffer, Bakermans-Kranenburg & van
    IJzendoorn 2008): six sessions over three months raising answering, accuracy and repair and
    lowering rebuffs; lasting. Meta-analytic effects (Bakermans-Kranenburg et al. 2003): d about
    0.33 on sensitivity, smaller on security (V4).
    """

    name = "video_feedback"
    summary = "video-feedback on the caregiver's own interactions (six sessions over three months)"
    source = "calibrated: V4 on sensitivity (Bakermans-Kranenburg et al. 2003), docs/ODD.md section 8"
    duration_days, sessions, half_life_days = 90, 6, None
    effects = {"responsiveness": 0.6, "accuracy": 0.4, "repair": 0.10, "rejection": -0.05}


@register_kind
class HomeVisiting(InterventionKind):
    """A health visitor joins the network (about weekly) for six months and helps mobilise the
    family's own network (supporters' availability +30%, wearing off with a 90-day half-life after
    the end) (Olds et al. 1997; Kendrick et al. 2000).
    """

    name = "home_visiting"
    summary = "a health visitor about weekly for six months, who also mobilises the family's network"
    source = "Olds et al. 1997; Kendrick et al. 2000; the +30% and the half-life are assumptions"
    duration_days, sessions, half_life_days = 180, 24, 90.0
    effects = {"health_visitor": 1.0, "support_availability": 0.3}


@register_kind
class DepressionTreatment(InterventionKind):
    """For caregivers over the questionnaire cut-off: recovery from the depressive episode three
    times faster while treated (psychological treatment of postpartum depression: Dennis & Hodnett
    2007; Cuijpers et al. 2008).
    """

    name = "depression_treatment"
    summary = "psychological treatment of perinatal depression for those over the questionnaire cut-off"
    source = "Dennis & Hodnett 2007; Cuijpers et al. 2008 (three times faster recovery: an assumption)"
    duration_days, sessions, half_life_days = 365, 12, None
    effects = {"depression_recovery": 2.0}


# ------------------------------------------------------------------ a scenario's interventions
class InterventionSpec(Strict):
    """One intervention: what, when, for whom, how much.

    Defaults for ``duration_days``, ``sessions``, ``half_life_days`` and ``effects`` depend on
    ``kind``; anything left out takes the kind's documented default.
    """

    kind: str = Field(description="the kind of programme (one of the registry's kinds)")
    name: str = Field("", pattern=r"^[A-Za-z0-9_]*$", description="label in the outputs (default: the kind)")
    start_day: WholeNumber = Field(0, ge=-280, le=1095, description="first day, from birth (negative = before birth)")
    duration_days: WholeNumber | None = Field(None, ge=1, le=1095,
                                              description="days over which the sessions are spread")
    sessions: WholeNumber | None = Field(None, ge=1, le=200, description="number of sessions offered")
    adherence: float = Field(0.85, ge=0.0, le=1.0, description="probability of attending each session")
    target: Literal["all", "high_risk", "prior_depression", "screen_positive"] = Field(
        "all", description="who is offered it: everyone, caregivers with >= high_risk_min risk factors, "
                           "those with earlier depression, or those over the questionnaire cut-off")
    high_risk_min: WholeNumber = Field(2, ge=1, le=7, description="risk factors that make a caregiver high-risk")
    target_caregiver: Literal["primary", "second", "both"] = Field(
        "primary", description="which caregiver of a household is offered it: the first (primary), the second "
                               "(two-caregiver households only: e.g. video-feedback with fathers) or both")
    dyads: list[WholeNumber] = Field(default_factory=list, description="if given, only these dyads are offered it")
    half_life_days: float | None = Field(None, gt=0.0, description="after the end, effects halve every this many days "
                                                                    "(default: the kind's; omit for lasting effects)")
    gain_sd: float = param(0.7, "between-person spread of the response to the same programme", unit="lognormal sigma",
                           ge=0.0, le=3.0, source="assumption: people differ in how much they take from the same "
                                                  "programme")
    effects: dict[str, float] = Field(default_factory=dict, description="effect at full dose per named parameter")
    feedback_shift: float | None = Field(None, ge=-2.0, le=2.0,
                                         description="shift of the face-reading boundary that the programme's feedback "
                                                     "teaches, from each trainee's own (-1..+1 valence scale; negative = "
                                                     "towards happier readings; default: the kind's, 0 for kinds that do "
                                                     "not teach reading)")
    sessions_to_half: float | None = Field(None, gt=0.0, le=1000.0,
                                           description="sessions after which a trainee of gain 1 has learned half the "
                                                       "feedback's shift (default: the kind's)")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in KINDS:
            close = difflib.get_close_matches(kind, list(KINDS), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"unknown intervention kind{hint}; allowed: {', '.join(KINDS)}")
        return kind

    @field_validator("effects")
    @classmethod
    def _known_effects(cls, effects: dict[str, float]) -> dict[str, float]:
        for key in effects:
            if key not in EFFECT_KEYS:
                close = difflib.get_close_matches(key, list(EFFECT_KEYS), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"unknown effect {shown(key)}{hint}; allowed: {', '.join(EFFECT_KEYS)}")
            if not -MAX_EFFECT <= effects[key] <= MAX_EFFECT:
                raise ValueError(f"effect {key} = {shown(effects[key])} is out of range: allowed {-MAX_EFFECT:g} to "
                                 f"{MAX_EFFECT:g} (logit units, an added probability or a relative change)")
        return effects

    @model_validator(mode="after")
    def _learning_complete(self) -> "InterventionSpec":
        taught = Resolved(self, 0)  # the kind's defaults filled in
        if taught.feedback_shift and taught.sessions_to_half is None:
            raise ValueError(f"feedback_shift = {taught.feedback_shift:g} needs sessions_to_half (how fast the "
                             f"feedback is learned): allowed, a number of sessions above 0 up to 1000; kind "
                             f"{self.kind!r} has none")
        return self


class Resolved:
    """An intervention with its kind's defaults filled in."""

    def __init__(self, spec: InterventionSpec, index: int):
        kind = KINDS[spec.kind]
        self.index = index
        self.kind = spec.kind
        self.name = spec.name or spec.kind
        self.start = spec.start_day
        self.duration = spec.duration_days or kind.duration_days
        self.end = self.start + self.duration  # first day after the sessions
        self.sessions = spec.sessions or kind.sessions
        self.half_life = spec.half_life_days if spec.half_life_days is not None else kind.half_life_days
        self.effects = {**kind.effects, **spec.effects}
        self.feedback_shift = kind.feedback_shift if spec.feedback_shift is None else spec.feedback_shift
        self.sessions_to_half = spec.sessions_to_half or kind.sessions_to_half
        self.spec = spec

    def progress(self, day: int) -> float:
        """Share of the sessions held by the end of ``day``: 0 before the start, rising evenly to 1."""
        if day < self.start:
            return 0.0
        if day < self.end:
            return (day - self.start + 1) / self.duration
        return 1.0

    def retained(self, day: int) -> float:
        """Share of the effects still there: 1 until the sessions end, then lasting or halving."""
        if day < self.end or self.half_life is None:
            return 1.0
        return HALF ** ((day - self.end + 1) / self.half_life)

    def level(self, day: int) -> float:
        """0 before the start, building up over the sessions to 1, then lasting or wearing off."""
        return self.progress(day) * self.retained(day)

    def running(self, day: int) -> bool:
        return self.start <= day < self.end


def resolved(scenario) -> list[Resolved]:
    return [Resolved(spec, i) for i, spec in enumerate(scenario.interventions)]


class Interventions(Component):
    """Sets today's caregiver parameters: pre-intervention values plus today's effects."""

    name = "interventions"
    phase = "caregiver"
    summary = ("today's caregiver parameters: pre-intervention values plus each programme's effect (dose x gain x "
               "level); a programme's health visitor joins the network")
    state = (
        *(Var(f"base_{name}", np.float64, f"{name} before any intervention") for name in MODIFIABLE_TRAITS),
        Var("base_sup_availability", np.float64, "supporters' availability before any intervention",
            width="supporters"),
        Var("recovery_boost", np.float64, "multiplier on the recovery rate from depression (treatment)", init=1.0),
        Var("iv_offered", np.bool_, "offered the intervention", width="interventions"),
        Var("iv_dose", np.float64, "share of the intervention's sessions attended", width="interventions"),
        Var("iv_gain", np.float64, "how much this caregiver responds to the intervention (multiplier)",
            width="interventions"),
    )
    columns = (Column("offered_<name>", "offered the intervention"),
               Column("dose_<name>", "share of its sessions attended"))

    def setup(self, s: DyadState, params, seed) -> None:
        """Keep the pre-intervention traits; draw who is offered what, the dose and the gain."""
        for name in MODIFIABLE_TRAITS:
            getattr(s, f"base_{name}")[:] = getattr(s, name)
        s.base_sup_availability[:] = s.sup_availability
        s.recovery_boost[:] = 1.0
        n = s.n
        for iv in resolved(params):
            spec = iv.spec
            offered = np.ones(n, dtype=bool)
            if spec.target_caregiver != "both":  # household: which caregiver's rows this one is offered to
                offered &= s.second_caregiver if spec.target_caregiver == "second" else ~s.second_caregiver
            if spec.target == "high_risk":
                offered &= s.risk_count >= spec.high_risk_min
            elif spec.target == "prior_depression":
                offered &= s.risk_prior_depression
            if spec.dyads:
                listed = np.zeros(n, dtype=bool)
                listed[spec.dyads] = True
                offered &= listed
            # sessions attended: binomial(sessions, adherence) by inversion of one uniform per dyad;
            # attendance and gain on their own streams named after the intervention (not its place
            # in the list), so a dyad's draws depend neither on the population size, nor on the
            # number of sessions, nor on the other interventions (common random numbers)
            u = streams.randoms_of(seed, f"intervention:{iv.name}:attendance", n)
            attended = np.clip(stats.binom.ppf(u, iv.sessions, spec.adherence), 0, iv.sessions)
            z = streams.normals_of(seed, f"intervention:{iv.name}:gain", n)
            gain = np.exp(spec.gain_sd * z - spec.gain_sd ** 2 / 2)
            s.iv_offered[:, iv.index] = offered
            s.iv_dose[:, iv.index] = np.where(offered, attended / iv.sessions, 0.0)
            s.iv_gain[:, iv.index] = gain

    def step(self, t: Today) -> None:
        apply(t.s, t.params, t.day)

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        cols = {}
        for iv in resolved(model.params):
            cols[f"offered_{iv.name}"] = s.iv_offered[:, iv.index].copy()
            cols[f"dose_{iv.name}"] = s.iv_dose[:, iv.index].copy()
        return cols


def learned(sessions: np.ndarray, gain: np.ndarray, sessions_to_half: float) -> np.ndarray:
    """Share of the feedback's shift that a trainee has learned after ``sessions`` of feedback.

    The trainee is a Bayesian observer of where the boundary between a happy and a sad reading
    lies (as in models of perceptual category learning: Ashby & Maddox 2005; the Kalman filter's
    delta rule): her prior is centred on her own boundary, with a variance ``gain`` times the
    typical one (people differ in how firmly they hold their reading: the programme's gain); each
    session's feedback is evidence, of a fixed precision, that the boundary lies at the feedback's.
    After ``k`` sessions the posterior mean has moved the share ``k g / (k g + h)`` of the way
    (``h`` = ``sessions_to_half``: the evidence's variance over the typical prior variance), so that
    learning is fast at first and then slows as the trainee grows certain, and a trainee's gain from
    the training does not depend on where her boundary started, since the feedback is set from it
    (Penton-Voak et al. 2013). The spread of a session's evidence around the feedback's boundary (a
    session's few dozen ambiguous faces, each read with ``caregiver.face_reading_noise``) would move
    the posterior mean by under a hundredth of the scale, far less than trainees differ through
    their gain and attendance, and is left out.
    """
    known = sessions * gain
    return known / (known + sessions_to_half)


def apply(s: DyadState, scenario, day: int) -> None:
    """Set today's caregiver parameters: pre-intervention values plus today's effects (in place)."""
    if not scenario.interventions:
        return
    totals = {key: np.zeros(s.n) for key in EFFECT_KEYS}
    visitor = np.zeros(s.n)
    cutoff = scenario.depression.cutoff
    for iv in resolved(scenario):
        level = iv.level(day)
        if level == 0.0:
            continue
        dose, gain = s.iv_dose[:, iv.index], s.iv_gain[:, iv.index]
        # a programme for those over the cut-off acts while they are over it
        screened = s.epds_last >= cutoff if iv.spec.target == "screen_positive" else None
        strength = dose * gain if screened is None else dose * gain * screened
        for key, effect in iv.effects.items():
            if key in ONLY_WHILE_RUNNING:
                if iv.running(day):
                    if key == "health_visitor":
                        visitor = np.maximum(visitor, dose * (effect > 0))
                    else:
                        totals[key] += effect * strength
            else:
                totals[key] += effect * level * strength
        if iv.feedback_shift:
            taught = learned(dose * iv.sessions * iv.progress(day), gain, iv.sessions_to_half)
            if screened is not None:
                taught = taught * screened
            totals["negative_bias"] += iv.feedback_shift * iv.retained(day) * taught

    for name in MODIFIABLE_TRAITS:
        base = getattr(s, f"base_{name}")
        if not totals[name].any():  # untouched traits stay exactly as they were
            getattr(s, name)[:] = base
            continue
        mode = EFFECT_KEYS[name]
        if mode == "logit":
            value = shift_logit(base, totals[name])
        elif mode == "relative":
            value = base * np.clip(1.0 + totals[name], 0.0, None)
        else:
            value = base + totals[name]
        value = np.clip(value, *trait_bounds(scenario.caregiver, name))  # never beyond the declared range
        getattr(s, name)[:] = np.where(totals[name] != 0, value, base)
    s.sup_availability[:] = np.clip(s.base_sup_availability * (1.0 + totals["support_availability"])[:, None], 0.0, 1.0)
    s.recovery_boost[:] = 1.0 + totals["depression_recovery"]

    # a programme's health visitor, for caregivers who have none of their own
    hv = support.HEALTH_VISITOR_SLOT
    own = s.base_sup_availability[:, hv] > 0
    joins = (visitor > 0) & ~own
    sup = scenario.support
    s.sup_exists[:, hv] = own | joins
    s.sup_role[:, hv] = np.where(own | joins, support.HEALTH_VISITOR, s.sup_role[:, hv])
    s.sup_quality[:, hv] = np.where(joins, sup.health_visitor_quality, s.sup_quality[:, hv])
    s.sup_availability[:, hv] = np.where(joins, sup.health_visitor_availability * visitor, s.sup_availability[:, hv])

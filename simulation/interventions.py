"""Interventions: scheduled components that change named caregiver parameters.

Every component has the same interface (``InterventionSpec`` in ``scenario.py``): a kind, a
schedule (``start_day`` from birth, possibly before it; ``duration_days``; ``sessions``), a
target (everyone, high-risk caregivers, those with earlier depression, those over the
depression questionnaire's cut-off; optionally only listed dyads), adherence (each session is
attended with this probability: the *dose* is the share attended), and effects at full dose on
named parameters. Effects build up over the sessions, then either last or wear off with a
half-life. Each caregiver's response is scaled by an individual *gain* (lognormal, SD
``GAIN_SD``): people differ in how much they take from the same programme.

How an effect applies to its parameter:

=========================  ====================================================================
logit (attention, responsiveness, accuracy)   added on the logit scale
add (repair, rejection, negative_bias)        added
relative (reactivity, latency_s, frightening, support_availability, depression_recovery)
                                              multiplied by (1 + effect)
flag (health_visitor)                         a health visitor joins the network while the
                                              programme runs
=========================  ====================================================================

The kinds and their documented defaults:

- ``bias_training`` — the prenatal emotional-cognitive training of the second seed (Bjertrup et
  al. 2023): two weeks of computer sessions for expectant mothers at risk. Ambiguous infant
  faces are read ~5% of the rating scale more positively (``negative_bias`` −0.10 on the −1..+1
  scale), happy faces are recognised a little better (the same shift, of which a clear face
  takes only a fifth: ``perception.CLARITY``; d ≈ 0.1-0.2), reactivity to infant distress
  falls markedly (``reactivity`` −40%: "a large effect"). Effects wear off slowly (half-life
  one year, an assumption: the study had no long follow-up).
- ``video_feedback`` — video-feedback to promote sensitive responding (VIPP: Juffer,
  Bakermans-Kranenburg & van IJzendoorn 2008): six sessions over three months raising
  answering, accuracy and repair and lowering rebuffs; lasting. Meta-analytic effects
  (Bakermans-Kranenburg et al. 2003): d ≈ 0.33 on sensitivity, smaller on security (V4).
- ``home_visiting`` — a health visitor joins the network (about weekly, quality 0.9) for six
  months and helps mobilise the family's own network (supporters' availability +30%, wearing
  off with a 90-day half-life after the end) (Olds et al. 1997; Kendrick et al. 2000).
- ``depression_treatment`` — for caregivers over the questionnaire cut-off: recovery from the
  depressive episode three times faster while treated (psychological treatment of postpartum
  depression: Dennis & Hodnett 2007; Cuijpers et al. 2008).
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import expit, logit

from . import streams, support
from .scenario import EFFECT_KEYS, InterventionSpec, Scenario, trait_bounds
from .state import MODIFIABLE_TRAITS

GAIN_SD = 0.7
"""Between-person spread (lognormal SD) of the response to the same intervention."""

DEFAULTS: dict[str, dict] = {
    "bias_training": dict(duration_days=14, sessions=8, half_life_days=365.0,
                          effects={"negative_bias": -0.10, "reactivity": -0.40}),
    "video_feedback": dict(duration_days=90, sessions=6, half_life_days=None,
                           effects={"responsiveness": 0.6, "accuracy": 0.4, "repair": 0.10, "rejection": -0.05}),
    "home_visiting": dict(duration_days=180, sessions=24, half_life_days=90.0,
                          effects={"health_visitor": 1.0, "support_availability": 0.3}),
    "depression_treatment": dict(duration_days=365, sessions=12, half_life_days=None,
                                 effects={"depression_recovery": 2.0}),
}
ONLY_WHILE_RUNNING = ("health_visitor", "depression_recovery")


class Resolved:
    """An intervention with its kind's defaults filled in."""

    def __init__(self, spec: InterventionSpec, index: int):
        d = DEFAULTS[spec.kind]
        self.index = index
        self.kind = spec.kind
        self.name = spec.name or spec.kind
        self.start = spec.start_day
        self.duration = spec.duration_days or d["duration_days"]
        self.end = self.start + self.duration  # first day after the sessions
        self.sessions = spec.sessions or d["sessions"]
        self.half_life = spec.half_life_days if spec.half_life_days is not None else d["half_life_days"]
        self.effects = {**d["effects"], **spec.effects}
        self.spec = spec

    def level(self, day: int) -> float:
        """0 before the start, building up over the sessions to 1, then lasting or wearing off."""
        if day < self.start:
            return 0.0
        if day < self.end:
            return (day - self.start + 1) / self.duration
        if self.half_life is None:
            return 1.0
        return 0.5 ** ((day - self.end + 1) / self.half_life)

    def running(self, day: int) -> bool:
        return self.start <= day < self.end


def resolved(scenario: Scenario) -> list[Resolved]:
    return [Resolved(spec, i) for i, spec in enumerate(scenario.interventions)]


def setup(s, scenario: Scenario, seed: streams.SeedLike) -> None:
    """Keep the pre-intervention traits; draw who is offered what, the dose and the gain."""
    for name in MODIFIABLE_TRAITS:
        getattr(s, f"base_{name}")[:] = getattr(s, name)
    s.base_sup_availability[:] = s.sup_availability
    s.recovery_boost[:] = 1.0
    n = s.n
    for iv in resolved(scenario):
        spec = iv.spec
        offered = np.ones(n, dtype=bool)
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
        u = streams.generator(seed, f"intervention:{iv.name}:attendance").random(n)
        attended = np.clip(stats.binom.ppf(u, iv.sessions, spec.adherence), 0, iv.sessions)
        z = streams.generator(seed, f"intervention:{iv.name}:gain").standard_normal(n)
        gain = np.exp(GAIN_SD * z - GAIN_SD ** 2 / 2)
        s.iv_offered[:, iv.index] = offered
        s.iv_dose[:, iv.index] = np.where(offered, attended / iv.sessions, 0.0)
        s.iv_gain[:, iv.index] = gain


def apply(s, scenario: Scenario, day: int) -> None:
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
        strength = s.iv_dose[:, iv.index] * s.iv_gain[:, iv.index]
        if iv.spec.target == "screen_positive":
            strength = strength * (s.epds_last >= cutoff)
        for key, effect in iv.effects.items():
            if key in ONLY_WHILE_RUNNING:
                if iv.running(day):
                    if key == "health_visitor":
                        visitor = np.maximum(visitor, s.iv_dose[:, iv.index] * (effect > 0))
                    else:
                        totals[key] += effect * strength
            else:
                totals[key] += effect * level * strength

    for name in MODIFIABLE_TRAITS:
        base = getattr(s, f"base_{name}")
        if not totals[name].any():  # untouched traits stay exactly as they were
            getattr(s, name)[:] = base
            continue
        mode = EFFECT_KEYS[name]
        if mode == "logit":
            value = expit(logit(np.clip(base, 1e-6, 1 - 1e-6)) + totals[name])
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
    s.sup_exists[:, hv] = own | joins
    s.sup_role[:, hv] = np.where(own | joins, support.HEALTH_VISITOR, s.sup_role[:, hv])
    s.sup_quality[:, hv] = np.where(joins, support.HEALTH_VISITOR_QUALITY, s.sup_quality[:, hv])
    s.sup_availability[:, hv] = np.where(joins, support.HEALTH_VISITOR_AVAILABILITY * visitor,
                                         s.sup_availability[:, hv])


# ------------------------------------------------------------------ measurement tasks (V8)
TASK_FACES = 60
"""Faces per task (a computerised rating or recognition task of a few minutes)."""
HAPPY_VALENCE = 0.9
REACTIVITY_TASK_NOISE = 0.2


def task_days(scenario: Scenario) -> tuple[int, int] | None:
    """Days at whose end the pre and post tasks of the first intervention are taken."""
    ivs = resolved(scenario)
    if not ivs:
        return None
    return ivs[0].start - 1, ivs[0].end - 1


def measure_tasks(s, scenario: Scenario, u: np.ndarray, when: str) -> None:
    """Pre or post measures of the first intervention (``u``: uniforms (rows, 2 * TASK_FACES + 1)).

    - rating task: mean rating of ambiguous faces on the -1..+1 valence scale (positive = read
      as happier), as in Bjertrup et al. 2023;
    - recognition task: share of happy infant faces recognised as happy;
    - reactivity: the caregiver's reactivity to infant distress, measured with 20% error.
    """
    from scipy.special import ndtri

    from .perception import perceived_valence, reads_positive

    noise = scenario.caregiver.face_reading_noise
    bias = s.negative_bias_today
    ambiguous = perceived_valence(np.zeros((s.n, TASK_FACES)), bias, noise, u[:, :TASK_FACES])
    rating = np.clip(ambiguous, -1.0, 1.0).mean(axis=1)
    happy_faces = np.full((s.n, TASK_FACES), HAPPY_VALENCE)
    happy = reads_positive(perceived_valence(happy_faces, bias, noise, u[:, TASK_FACES:2 * TASK_FACES])).mean(axis=1)
    reactivity = s.reactivity * (1.0 + REACTIVITY_TASK_NOISE * ndtri(u[:, -1]))
    getattr(s, f"task_bias_{when}")[:] = rating
    getattr(s, f"task_happy_{when}")[:] = happy
    getattr(s, f"task_reactivity_{when}")[:] = reactivity

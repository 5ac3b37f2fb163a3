"""Risk factors: who has which, and what each does, through which mechanism.

The first seed lists the factors that make attuned caregiving harder: earlier depression, a
difficult relationship with one's own parents, partner conflict, socio-economic disadvantage,
stressful events, pregnancy/delivery complications and lack of support, and "the more
vulnerability factors are present, the more difficult it can be". Here each factor acts only
through mechanisms of the model — attention and answering, face-reading bias, reactivity,
chronic stress, the hazard of depression, the infant's temperament, the support network — and
effects add up on those mechanisms. A good support network damps them (risk buffering:
Cohen & Wills 1985). Hazard ratios for depression follow the meta-analyses of predictors of
postpartum depression (Beck 2001; Robertson, Grace, Wallington & Stewart 2004): prior
depression strong; life events and lack of support moderate to strong; partner conflict
moderate; socio-economic status and obstetric factors small.

The own-history factor is an insecure or unresolved adult attachment state of mind
(``[history]``): dismissing caregivers rebuff more, preoccupied ones are less consistent,
unresolved ones may frighten (van IJzendoorn 1995; Bakermans-Kranenburg & van IJzendoorn 2009).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logit

from . import streams

FACTORS = ("prior_depression", "insecure_history", "partner_conflict", "low_ses", "life_events",
           "birth_complications", "lack_of_support")


@dataclass(frozen=True)
class Effect:
    """What one risk factor does (all zero = nothing)."""

    attention: float = 0.0           # logit shift of attention
    responsiveness: float = 0.0      # logit shift of answering
    negative_bias: float = 0.0       # added face-reading bias
    reactivity: float = 0.0          # relative increase of reactivity to distress
    chronic_stress: float = 0.0      # added to the daily stress drive
    depression: float = 0.0          # log hazard ratio of depression onset
    infant_negative_emotionality: float = 0.0
    infant_soothability: float = 0.0
    support_size: float = 0.0        # relative change of the network's size
    support_availability: float = 0.0  # relative change of supporters' availability
    partner_availability: float = 0.0  # relative change of the partner's availability


EFFECTS: dict[str, Effect] = {
    # the strongest predictor of perinatal depression: 30-50% of women with earlier depression
    # have an episode around birth (O'Hara & Swain 1996; Wisner et al. 2004), about ten times the
    # hazard of never-depressed women; negative bias in reading infant faces (Pearson et al.
    # 2010; Bjertrup et al. 2023)
    "prior_depression": Effect(depression=2.3, negative_bias=0.15, reactivity=0.2),
    # trait effects come through the history subtypes; insecure adult attachment also raises
    # depression risk (McMahon, Barnett, Kowalenko & Tennant 2005)
    "insecure_history": Effect(depression=0.4),
    # marital relationship: moderate predictor; the partner is less of a support
    "partner_conflict": Effect(chronic_stress=0.25, depression=0.5, partner_availability=-0.6),
    # daily hassles of poverty: stress and distraction; small direct effect on depression
    "low_ses": Effect(chronic_stress=0.2, attention=-0.3, depression=0.3, support_size=-0.3),
    # stressful life events: moderate-to-strong predictor
    "life_events": Effect(chronic_stress=0.35, depression=0.6),
    # obstetric factors: small effect on depression; a more irritable, less soothable infant
    "birth_complications": Effect(chronic_stress=0.1, depression=0.25, infant_negative_emotionality=0.3,
                                  infant_soothability=-0.1),
    # acts mostly through a smaller, less available network (``support``)
    "lack_of_support": Effect(depression=0.3, support_size=-0.7, support_availability=-0.5),
}


def assign_factors(scenario, n: int, seed: streams.SeedLike) -> dict[str, np.ndarray]:
    """Boolean arrays: which caregivers have which factor (including the history subtypes)."""
    risk, hist = scenario.risk, scenario.history
    u_factor = streams.generator(seed, "risk:factors").random((n, len(FACTORS)))
    u_hist = streams.generator(seed, "risk:history").random((n, 2))
    if risk.fixed_count < 0:
        has = {f: u_factor[:, i] < getattr(risk, f) for i, f in enumerate(FACTORS) if f != "insecure_history"}
        dismissing = u_hist[:, 0] < hist.dismissing
        preoccupied = ~dismissing & (u_hist[:, 0] < hist.dismissing + hist.preoccupied)
        unresolved = u_hist[:, 1] < hist.unresolved
    else:
        # exactly k factors per caregiver: the k with the smallest draws
        order = np.argsort(u_factor, axis=1)
        chosen = np.zeros((n, len(FACTORS)), dtype=bool)
        np.put_along_axis(chosen, order[:, :risk.fixed_count], True, axis=1)
        has = {f: chosen[:, i] for i, f in enumerate(FACTORS) if f != "insecure_history"}
        insecure = chosen[:, FACTORS.index("insecure_history")]
        weights = np.array([hist.dismissing, hist.preoccupied, hist.unresolved], dtype=float)
        weights = weights / weights.sum() if weights.sum() > 0 else np.full(3, 1 / 3)
        cum = np.cumsum(weights)
        dismissing = insecure & (u_hist[:, 0] < cum[0])
        preoccupied = insecure & ~dismissing & (u_hist[:, 0] < cum[1])
        unresolved = insecure & ~dismissing & ~preoccupied
    has["insecure_history"] = dismissing | preoccupied | unresolved
    return {**{f: has[f] for f in FACTORS}, "dismissing": dismissing, "preoccupied": preoccupied,
            "unresolved": unresolved}


def load(flags: dict[str, np.ndarray], field: str) -> np.ndarray:
    """Sum of one Effect field over the factors each caregiver has."""
    total = np.zeros(len(flags[FACTORS[0]]))
    for f in FACTORS:
        value = getattr(EFFECTS[f], field)
        if value:
            total += value * flags[f]
    return total


def apply_to_traits(s, scenario, flags: dict[str, np.ndarray], buffer: np.ndarray) -> None:
    """Shift the caregiver's and infant's traits by the risk factors they have (in place).

    ``buffer`` (per dyad, 0..1] scales the effects down for well-supported caregivers.
    """
    scale = scenario.risk.effect_scale * buffer
    hist = scenario.history
    s.rejection[:] = np.clip(s.rejection + hist.dismissing_rejection * flags["dismissing"], 0.0, 1.0)
    s.inconsistency[:] = s.inconsistency + hist.preoccupied_inconsistency * flags["preoccupied"]
    s.unresolved[:] = flags["unresolved"]

    def shift_logit(p, field):
        return expit(logit(np.clip(p, 1e-6, 1 - 1e-6)) + scale * load(flags, field))

    s.attention[:] = shift_logit(s.attention, "attention")
    s.responsiveness[:] = shift_logit(s.responsiveness, "responsiveness")
    s.negative_bias[:] = np.clip(s.negative_bias + scale * load(flags, "negative_bias"), -1.0, 1.0)
    s.reactivity[:] = s.reactivity * (1.0 + scale * load(flags, "reactivity"))
    s.chronic_stress[:] = scale * load(flags, "chronic_stress")
    s.depression_risk[:] = scale * load(flags, "depression")
    s.negative_emotionality[:] = s.negative_emotionality + load(flags, "infant_negative_emotionality")
    s.soothability[:] = np.clip(s.soothability + load(flags, "infant_soothability"), 0.05, 1.0)
    s.risk_count[:] = sum(flags[f].astype(np.int8) for f in FACTORS)
    for f in FACTORS:
        getattr(s, f"risk_{f}")[:] = flags[f]
    s.dismissing[:] = flags["dismissing"]
    s.preoccupied[:] = flags["preoccupied"]

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

import numpy as np
from pydantic import Field, model_validator

from .. import streams
from ..component import Column, Component, Var
from ..numerics import shift_logit
from ..params import BY_HAND, Section, Strict, WholeNumber, param, trait_bounds
from ..state import DyadState
from . import support as support_mod

FACTORS = ("prior_depression", "insecure_history", "partner_conflict", "low_ses", "life_events",
           "birth_complications", "lack_of_support")


class RiskEffect(Strict):
    """What one risk factor does, through the model's mechanisms (all zero = nothing)."""

    attention: float = param(0.0, "logit shift of attention", unit="logit", source="see the factor", ge=-10, le=10)
    responsiveness: float = param(0.0, "logit shift of answering", unit="logit", source="see the factor", ge=-10, le=10)
    negative_bias: float = param(0.0, "added face-reading bias", unit="valence", source="see the factor", ge=-2, le=2)
    reactivity: float = param(0.0, "relative increase of reactivity to distress", unit="1", source="see the factor",
                              ge=-1, le=10)
    chronic_stress: float = param(0.0, "added to the daily stress drive", unit="1", source="see the factor",
                                  ge=-5, le=5)
    depression: float = param(0.0, "log hazard ratio of depression onset", unit="log HR", source="see the factor",
                              ge=-10, le=10)
    infant_negative_emotionality: float = param(0.0, "added to the infant's negative emotionality", unit="z",
                                                source="see the factor", ge=-4, le=4)
    infant_soothability: float = param(0.0, "added to the infant's soothability", unit="1", source="see the factor",
                                       ge=-1, le=1)
    support_size: float = param(0.0, "relative change of the network's size", unit="1", source="see the factor",
                                ge=-1, le=10)
    support_availability: float = param(0.0, "relative change of supporters' availability", unit="1",
                                        source="see the factor", ge=-1, le=10)
    partner_availability: float = param(0.0, "relative change of the partner's availability", unit="1",
                                        source="see the factor", ge=-1, le=10)


def _effect(source: str, doc: str, **values: float):
    return Field(default_factory=lambda: RiskEffect(**values), description=doc,
                 json_schema_extra={"unit": "mixed (see each effect)", "source": source})


class RiskEffects(Strict):
    """The effects of each risk factor; they add up over the factors a caregiver has."""

    prior_depression: RiskEffect = _effect(
        "30-50% of women with earlier depression have an episode around birth (O'Hara & Swain 1996; Wisner et al. "
        "2004): about ten times the hazard, calibrated on V3 (docs/ODD.md section 8); negative bias in reading "
        "infant faces (Pearson et al. 2010; Bjertrup et al. 2023)",
        "earlier depression: the strongest predictor of perinatal depression",
        depression=2.3, negative_bias=0.15, reactivity=0.2)
    insecure_history: RiskEffect = _effect(
        "insecure adult attachment raises depression risk (McMahon, Barnett, Kowalenko & Tennant 2005); trait "
        "effects come through the history subtypes ([history])",
        "an insecure or unresolved state of mind", depression=0.4)
    partner_conflict: RiskEffect = _effect(
        "marital relationship: a moderate predictor of postpartum depression (Beck 2001; Robertson et al. 2004)",
        "partner conflict: the partner is less of a support", chronic_stress=0.25, depression=0.5,
        partner_availability=-0.6)
    low_ses: RiskEffect = _effect(
        "socio-economic status: a small predictor of postpartum depression (Robertson et al. 2004); daily hassles "
        "of poverty (assumption for the stress and attention terms)",
        "low socio-economic status", chronic_stress=0.2, attention=-0.3, depression=0.3, support_size=-0.3)
    life_events: RiskEffect = _effect(
        "stressful life events: a moderate-to-strong predictor (Beck 2001; Robertson et al. 2004)",
        "stressful life events", chronic_stress=0.35, depression=0.6)
    birth_complications: RiskEffect = _effect(
        "obstetric factors: a small predictor (Robertson et al. 2004); a more irritable, less soothable infant "
        "(assumption)",
        "pregnancy or delivery complications", chronic_stress=0.1, depression=0.25,
        infant_negative_emotionality=0.3, infant_soothability=-0.1)
    lack_of_support: RiskEffect = _effect(
        "lack of social support: a moderate-to-strong predictor (Beck 2001; Robertson et al. 2004), acting mostly "
        "through a smaller, less available network",
        "lack of social support", depression=0.3, support_size=-0.7, support_availability=-0.5)


class HistoryParams(Section):
    """The caregiver's own attachment history (adult attachment states of mind, AAI).

    Caregivers' states of mind predict their infants' attachment (van IJzendoorn 1995):
    dismissing caregivers tend to rebuff bids (avoidant infants), preoccupied ones to be
    inconsistently available (resistant infants), unresolved ones to frighten (disorganised).
    In non-clinical mothers about 58% are autonomous, 23% dismissing, 19% preoccupied, and
    about 18% are (also) unresolved (Bakermans-Kranenburg & van IJzendoorn 2009).
    """

    dismissing: float = param(0.0, "share of caregivers with a dismissing state of mind", unit="1", ge=0.0, le=1.0,
                              source="scenario input (23% in non-clinical mothers: Bakermans-Kranenburg & "
                                     "van IJzendoorn 2009)")
    preoccupied: float = param(0.0, "share of caregivers with a preoccupied state of mind", unit="1", ge=0.0, le=1.0,
                               source="scenario input (19%: Bakermans-Kranenburg & van IJzendoorn 2009)")
    unresolved: float = param(0.0, "share of caregivers with an unresolved loss or trauma", unit="1", ge=0.0, le=1.0,
                              source="scenario input (18%: Bakermans-Kranenburg & van IJzendoorn 2009)")
    dismissing_rejection: float = param(0.30, "rejection added by a dismissing state of mind", unit="1",
                                        ge=0.0, le=1.0, source="calibrated: dismissing-to-avoidant transmission "
                                                               "(van IJzendoorn 1995; docs/ODD.md section 8)")
    preoccupied_inconsistency: float = param(1.4, "day-to-day inconsistency added by a preoccupied state of mind",
                                             unit="logit SD", ge=0.0, le=5.0,
                                             source=BY_HAND)

    @model_validator(mode="after")
    def _organised_shares(self) -> "HistoryParams":
        if self.dismissing + self.preoccupied > 1.0:
            raise ValueError(f"history.dismissing + history.preoccupied must be at most 1, got "
                             f"{self.dismissing} + {self.preoccupied}")
        return self


class RiskParams(Section):
    """Prevalence of each risk factor (share of caregivers who have it), and what each does.

    The own-history risk factor ("difficult childhood") is an insecure or unresolved state of
    mind: see ``[history]``.
    """

    prior_depression: float = param(0.0, "share with earlier depression", unit="1", ge=0.0, le=1.0,
                                    source="scenario input")
    partner_conflict: float = param(0.0, "share with partner conflict", unit="1", ge=0.0, le=1.0,
                                    source="scenario input")
    low_ses: float = param(0.0, "share with low socio-economic status", unit="1", ge=0.0, le=1.0,
                           source="scenario input")
    life_events: float = param(0.0, "share with stressful life events", unit="1", ge=0.0, le=1.0,
                               source="scenario input")
    birth_complications: float = param(0.0, "share with pregnancy or delivery complications", unit="1", ge=0.0,
                                       le=1.0, source="scenario input")
    lack_of_support: float = param(0.0, "share lacking social support", unit="1", ge=0.0, le=1.0,
                                   source="scenario input")
    fixed_count: WholeNumber = param(-1, "-1: factors drawn from their prevalences; 0-7: every caregiver has exactly "
                                         "this many factors, chosen at random", unit="factors", ge=-1, le=7,
                                     source="scenario input")
    effect_scale: float = param(1.0, "multiplier on every risk factor's effects", unit="1", ge=0.0, le=5.0,
                                source="scenario input (1: the published effects)")
    effects: RiskEffects = Field(default_factory=RiskEffects, description="what each factor does (effects add up "
                                                                         "over the factors a caregiver has)")


def assign_factors(scenario, n: int, seed: streams.SeedLike) -> dict[str, np.ndarray]:
    """Boolean arrays: which caregivers have which factor (including the history subtypes)."""
    risk, hist = scenario.risk, scenario.history
    u_factor = streams.randoms_of(seed, "risk:factors", (n, len(FACTORS)))
    u_hist = streams.randoms_of(seed, "risk:history", (n, 2))
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



class Risk(Component):
    """Who has which risk factor and history, and what they do to traits, stress and depression risk."""

    name = "risk"
    phase = "setup"
    summary = "risk factors and adult attachment history, and their effects on traits, buffered by the network"
    parameters = {"history": HistoryParams, "risk": RiskParams}
    state = (
        Var("unresolved", np.bool_, "unresolved loss or trauma", agent="caregiver", trait=True),
        Var("dismissing", np.bool_, "dismissing adult attachment state of mind", agent="caregiver"),
        Var("preoccupied", np.bool_, "preoccupied adult attachment state of mind", agent="caregiver"),
        Var("chronic_stress", np.float64, "daily stress drive from risk factors", agent="caregiver", trait=True),
        Var("depression_risk", np.float64, "log hazard ratio of depression onset from risk factors",
            agent="caregiver", trait=True),
        Var("risk_count", np.int8, "number of risk factors", agent="caregiver"),
        *(Var(f"risk_{f}", np.bool_, f"risk factor: {f.replace('_', ' ')}", agent="caregiver") for f in FACTORS),
    )
    columns = (Column("risk_count", "number of risk factors"),
               Column("risk_<factor>", "whether the caregiver has each risk factor"),
               Column("history", "adult attachment state of mind: autonomous, dismissing or preoccupied"))

    @staticmethod
    def loader(scenario, flags: dict[str, np.ndarray]):
        """``load(field)``: the sum of one effect over the factors each caregiver has."""
        effects = scenario.risk.effects

        def load(field: str) -> np.ndarray:
            total = np.zeros(len(flags[FACTORS[0]]))
            for f in FACTORS:
                value = getattr(getattr(effects, f), field)
                if value:
                    total += value * flags[f]
            return total

        return load

    def setup(self, s: DyadState, params, seed) -> None:
        """Factors and history, then the network (whose size some factors cut), then the factors'
        effects on traits, damped by the network (risk buffering: Cohen & Wills 1985)."""
        flags = assign_factors(params, s.n, seed)
        load = self.loader(params, flags)
        support_mod.build(s, params, load, seed)
        apply_to_traits(s, params, flags, load, support_mod.risk_buffer(s, params))

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        cols = {"risk_count": s.risk_count.astype(int)}
        for f in FACTORS:
            cols[f"risk_{f}"] = getattr(s, f"risk_{f}").copy()
        cols["history"] = np.where(s.dismissing, "dismissing", np.where(s.preoccupied, "preoccupied", "autonomous"))
        return cols


def apply_to_traits(s: DyadState, scenario, flags: dict[str, np.ndarray], load, buffer: np.ndarray) -> None:
    """Shift the caregiver's and infant's traits by the risk factors they have (in place).

    ``buffer`` (per dyad, 0..1] scales the effects down for well-supported caregivers.
    """
    scale = scenario.risk.effect_scale * buffer
    hist = scenario.history
    cg, inf = scenario.caregiver, scenario.infant
    s.rejection[:] = np.clip(s.rejection + hist.dismissing_rejection * flags["dismissing"], *trait_bounds(cg, "rejection"))
    s.inconsistency[:] = s.inconsistency + hist.preoccupied_inconsistency * flags["preoccupied"]
    s.unresolved[:] = flags["unresolved"]

    s.attention[:] = shift_logit(s.attention, scale * load("attention"))
    s.responsiveness[:] = shift_logit(s.responsiveness, scale * load("responsiveness"))
    s.negative_bias[:] = np.clip(s.negative_bias + scale * load("negative_bias"), *trait_bounds(cg, "negative_bias"))
    s.reactivity[:] = s.reactivity * (1.0 + scale * load("reactivity"))
    s.chronic_stress[:] = scale * load("chronic_stress")
    s.depression_risk[:] = scale * load("depression")
    s.negative_emotionality[:] = s.negative_emotionality + load("infant_negative_emotionality")
    s.soothability[:] = np.clip(s.soothability + load("infant_soothability"), *trait_bounds(inf, "soothability"))
    s.risk_count[:] = sum(flags[f].astype(np.int8) for f in FACTORS)
    for f in FACTORS:
        getattr(s, f"risk_{f}")[:] = flags[f]
    s.dismissing[:] = flags["dismissing"]
    s.preoccupied[:] = flags["preoccupied"]

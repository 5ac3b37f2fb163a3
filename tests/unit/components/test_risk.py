"""Risk factors at initialisation, and their path through stress to depression and today's answers:
directions, cumulation, buffering (populations initialised, not run; the runs are in
tests/population/test_risk.py)."""

import numpy as np
import pytest

from simulation.model import population
from simulation.model.components import risk, support
from simulation.scenario import load_scenario



N = 3000


def init(scenario="community", **overrides):
    sc = load_scenario(scenario, overrides)
    return sc, population.initialise(sc, N, seed=7)


NONE = {f"risk.{f}": 0.0 for f in risk.FACTORS if f != "insecure_history"}
NO_HISTORY = {"history.dismissing": 0.0, "history.preoccupied": 0.0, "history.unresolved": 0.0}


def with_factor(factor):
    over = {**NONE, **NO_HISTORY}
    if factor == "insecure_history":
        over.update({"history.dismissing": 0.4, "history.preoccupied": 0.3, "history.unresolved": 0.3})
    else:
        over[f"risk.{factor}"] = 1.0
    return over


@pytest.mark.parametrize("factor,field,direction", [
    ("prior_depression", "depression_risk", +1),
    ("prior_depression", "negative_bias", +1),
    ("prior_depression", "reactivity", +1),
    ("insecure_history", "depression_risk", +1),
    ("insecure_history", "rejection", +1),
    ("insecure_history", "inconsistency", +1),
    ("partner_conflict", "chronic_stress", +1),
    ("partner_conflict", "depression_risk", +1),
    ("low_ses", "attention", -1),
    ("low_ses", "support_size", -1),
    ("life_events", "chronic_stress", +1),
    ("birth_complications", "negative_emotionality", +1),
    ("birth_complications", "soothability", -1),
    ("lack_of_support", "support_size", -1),
    ("lack_of_support", "depression_risk", +1),
])
def test_each_risk_factor_acts_through_its_mechanism(factor, field, direction):
    _, without = init(**NONE, **NO_HISTORY)
    _, with_ = init(**with_factor(factor))
    diff = getattr(with_, field).astype(float).mean() - getattr(without, field).astype(float).mean()
    assert direction * diff > 0.01, (factor, field, diff)


def test_partner_conflict_makes_the_partner_less_available():
    _, without = init(**NONE, **NO_HISTORY)
    _, with_ = init(**with_factor("partner_conflict"))
    partner = without.sup_role[:, 0] == support.PARTNER
    assert with_.sup_availability[partner, 0].mean() < without.sup_availability[partner, 0].mean() - 0.2


def test_effects_are_cumulative_and_scalable():
    _, one = init(**{**NONE, "risk.life_events": 1.0})
    _, two = init(**{**NONE, "risk.life_events": 1.0, "risk.partner_conflict": 1.0})
    assert (two.chronic_stress >= one.chronic_stress).all() and two.chronic_stress.mean() > one.chronic_stress.mean()
    _, off = init(**{**NONE, "risk.life_events": 1.0, "risk.effect_scale": 0.0})
    assert np.allclose(off.chronic_stress, 0.0)


@pytest.mark.parametrize("k", [0, 2, 5])
def test_fixed_count_gives_exactly_k_factors(k):
    _, s = init(**{"risk.fixed_count": k})
    assert (s.risk_count == k).all()
    flags = np.column_stack([getattr(s, f"risk_{f}") for f in risk.FACTORS])
    assert (flags.sum(axis=1) == k).all()


def test_support_buffers_the_effects_of_risk():
    weak = {**NONE, "risk.life_events": 1.0, "support.size": 0.0}
    strong = {**NONE, "risk.life_events": 1.0, "support.size": 6.0, "support.availability": 0.8}
    _, a = init(**weak)
    _, b = init(**strong)
    assert b.chronic_stress.mean() < a.chronic_stress.mean() * 0.8

"""Helpers shared by the tests."""

import numpy as np

from simulation import population
from simulation.scenario import load_scenario

# a short calendar for fast tests: 3 months, assessed at 3 months, observed from 1 month
SHORT = {"simulation.months": 3, "simulation.assessment_ages": [3], "simulation.observation_age_months": 1}


def make_state(n=2000, scenario="good_enough", seed=0, overrides=None, **fields):
    """A freshly initialised state with some fields set by hand (scalars broadcast)."""
    sc = load_scenario(scenario, overrides or {})
    s = population.initialise(sc, n, seed)
    for name, value in fields.items():
        getattr(s, name)[:] = value
    return sc, s


def uniforms(shape, seed=0):
    return np.random.default_rng(seed).random(shape)

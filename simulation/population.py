"""Initialisation: draw each dyad's caregiver and infant traits from the scenario's distributions.

Each trait has its own random stream named after it (``trait:caregiver.attention``), so every
dyad keeps the same quantile of every trait whatever the scenario: two scenarios compared with
the same seed differ only by their parameters (common random numbers).
"""

from __future__ import annotations

import numpy as np

from . import interventions, risk, streams, support
from .scenario import Dist, Scenario, trait_bounds
from .state import DyadState


def _standard_normal(seed: streams.SeedLike, name: str, n: int) -> np.ndarray:
    return streams.generator(seed, f"trait:{name}").standard_normal(n)


def draw_trait(seed: streams.SeedLike, section, section_name: str, name: str, n: int) -> np.ndarray:
    """Values of one trait for ``n`` dyads: clip(mean + sd * z, low, high)."""
    dist: Dist = getattr(section, name)
    low, high = trait_bounds(section, name)
    z = _standard_normal(seed, f"{section_name}.{name}", n)
    return np.clip(dist.mean + dist.sd * z, low, high)


def clip_traits(state: DyadState, scenario: Scenario) -> None:
    """Keep every drawn trait within its declared range after the risk factors' effects.

    Effects add up (a reactive caregiver with three risk factors), and the sum must not leave the
    range a parameter is defined on: a trait beyond its bounds is an impossible caregiver.
    """
    for section_name in ("caregiver", "infant"):
        section = getattr(scenario, section_name)
        for name, field in type(section).model_fields.items():
            if field.annotation is Dist:
                values = getattr(state, name)
                np.clip(values, *trait_bounds(section, name), out=values)


def initialise(scenario: Scenario, n: int, seed: streams.SeedLike) -> DyadState:
    """A fresh DyadState: traits, risk factors and networks drawn, working models at their prior."""
    state = DyadState(n)
    for section_name in ("caregiver", "infant"):
        section = getattr(scenario, section_name)
        for name, field in type(section).model_fields.items():
            if field.annotation is Dist:
                getattr(state, name)[:] = draw_trait(seed, section, section_name, name, n)

    # risk factors and history, then the network (whose size some factors cut), then the
    # factors' effects on traits, damped by the network (risk buffering)
    flags = risk.assign_factors(scenario, n, seed)
    support.build(state, scenario, flags, seed)
    risk.apply_to_traits(state, scenario, flags, support.risk_buffer(state, scenario))
    clip_traits(state, scenario)

    noise = scenario.infant.strategy_noise
    state.amplify_offset[:] = noise * _standard_normal(seed, "infant.amplify_offset", n)
    state.mute_offset[:] = noise * _standard_normal(seed, "infant.mute_offset", n)

    # The newborn's working model starts undifferentiated: answers are as likely as not,
    # nothing has been learned about predictability, rejection or fear (Bowlby 1969, phase 1).
    state.availability[:] = 0.5
    state.unpredictability[:] = 0.1
    state.expected_rejection[:] = 0.0
    interventions.setup(state, scenario, seed)
    state.attention_today[:] = state.attention
    state.responsiveness_today[:] = state.responsiveness
    state.accuracy_today[:] = state.accuracy
    state.negative_bias_today[:] = state.negative_bias
    state.rejection_today[:] = state.rejection
    state.latency_today_s[:] = state.latency_s
    return state

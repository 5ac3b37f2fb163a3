"""Initialisation: a fresh state with every dyad's traits, risk factors, network and priors drawn.

The order is fixed (and written only here): the traits, then the risk factors and history with
the support network (whose size some factors cut) and the factors' effects on the traits (damped
by the network), the traits kept within their declared ranges, then every other component's own
initial values, in the day plan's order. Every draw comes from a stream named after what it draws
(``trait:caregiver.attention``), so each dyad keeps the same quantile of every trait whatever the
scenario: two scenarios compared with the same seed differ only by their parameters (common
random numbers).
"""

from __future__ import annotations

from . import streams
from .components.traits import clip_traits
from .plan import PLAN, DayPlan
from .state import DyadState

FIRST = ("traits", "risk")
"""Setup components that run before the traits are clipped; the rest follow in plan order."""


def initialise(scenario, n: int, seed: streams.SeedLike, plan: DayPlan = PLAN) -> DyadState:
    """A fresh DyadState for ``n`` dyads of ``scenario``."""
    state = DyadState(n, plan.layout())
    for name in FIRST:
        plan.get(name).setup(state, scenario, seed)
    clip_traits(state, scenario)
    for component in plan.components:
        if component.name not in FIRST:
            component.setup(state, scenario, seed)
    return state

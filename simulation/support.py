"""The support network: who helps, how often, how well; relief caregiving and buffering.

"It takes a village" (first seed). Each caregiver has up to ``MAX_SUPPORTERS`` supporters —
first a partner (with probability ``support.partner``), then grandparents and friends, and
optionally a health visitor who comes about weekly. Each supporter has an availability (the
probability of being there on a given day) and a quality (their own sensitivity). Support works
through three mechanisms:

- **stress buffering**: support present today damps the caregiver's stress drive (Cohen &
  Wills 1985; social support predicts lower postpartum depression: Robertson et al. 2004);
- **relief caregiving**: a supporter who is there takes over a share of the day's episodes,
  answering with their own quality. The infant's working model *of the caregiver* learns only
  from the caregiver's own answers (attachment is relationship-specific: Fox, Kimmerly &
  Schafer 1991), so relief acts on the caregiver's security through less crying and less stress;
- **risk buffering**: a strong network damps the effects of risk factors (``risk``).

The network is also a networkx graph (caregivers and supporters as nodes) placed in a Mesa
``Network`` space, where :class:`~simulation.agents.Supporter` agents live.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from . import risk as risk_mod
from . import streams
from .response import per_dyad

MAX_SUPPORTERS = 8
"""Supporter slots per caregiver: up to 7 from the personal network plus one health visitor."""
HEALTH_VISITOR_SLOT = MAX_SUPPORTERS - 1
ROLES = ("partner", "family or friend", "health visitor")
PARTNER, FAMILY, HEALTH_VISITOR = 0, 1, 2
HEALTH_VISITOR_AVAILABILITY = 1.0 / 7.0  # about one visit a week
HEALTH_VISITOR_QUALITY = 0.9
MAX_RELIEF = 0.6


def build(s, scenario, flags: dict[str, np.ndarray], seed: streams.SeedLike) -> None:
    """Draw each caregiver's supporters into the (dyads, slots) support arrays (in place)."""
    sup = scenario.support
    n = s.n
    scale = scenario.risk.effect_scale
    z = {name: streams.generator(seed, f"trait:support.{name}").standard_normal((n, MAX_SUPPORTERS))
         for name in ("availability", "quality")}
    z_size = streams.generator(seed, "trait:support.size").standard_normal(n)
    u_partner = streams.generator(seed, "support:partner").random(n)
    u_visitor = streams.generator(seed, "support:health_visitor").random(n)

    size = np.clip(sup.size.mean + sup.size.sd * z_size, 0.0, MAX_SUPPORTERS - 1)
    size = size * np.clip(1.0 + scale * risk_mod.load(flags, "support_size"), 0.0, None)
    size = np.rint(size).astype(int)
    slot = np.arange(MAX_SUPPORTERS)[None, :]
    personal = slot < size[:, None]
    visitor = (slot == HEALTH_VISITOR_SLOT) & (u_visitor < sup.health_visitor)[:, None]

    availability = np.clip(sup.availability.mean + sup.availability.sd * z["availability"], 0.0, 1.0)
    availability *= np.clip(1.0 + scale * risk_mod.load(flags, "support_availability"), 0.0, None)[:, None]
    quality = np.clip(sup.quality.mean + sup.quality.sd * z["quality"], 0.0, 1.0)

    role = np.full((n, MAX_SUPPORTERS), FAMILY, dtype=np.int8)
    has_partner = (u_partner < sup.partner) & (size > 0)
    role[:, 0] = np.where(has_partner, PARTNER, FAMILY)
    # a partner lives with the caregiver: there most days, less so in conflict
    partner_avail = np.clip(0.8 * (1.0 + scale * risk_mod.load(flags, "partner_availability")), 0.0, 1.0)
    availability[:, 0] = np.where(has_partner, np.maximum(availability[:, 0], partner_avail), availability[:, 0])
    role[visitor] = HEALTH_VISITOR
    availability[visitor] = HEALTH_VISITOR_AVAILABILITY
    quality[visitor] = HEALTH_VISITOR_QUALITY

    s.sup_exists[:] = personal | visitor
    s.sup_role[:] = role
    s.sup_availability[:] = np.where(s.sup_exists, availability, 0.0)
    s.sup_quality[:] = np.where(s.sup_exists, quality, 0.0)
    s.support_size[:] = s.sup_exists.sum(axis=1)


def expected_support(s) -> np.ndarray:
    """Expected support a day: sum over supporters of availability x quality."""
    return (s.sup_availability * s.sup_quality).sum(axis=1)


def risk_buffer(s, scenario) -> np.ndarray:
    """Factor (0..1] by which a caregiver's network damps the effects of risk."""
    return 1.0 / (1.0 + scenario.support.risk_buffer * expected_support(s))


def today(s, scenario, u: np.ndarray) -> None:
    """Who is there today; today's support, relief share and relief quality (in place).

    ``u``: uniforms of shape (rows, MAX_SUPPORTERS).
    """
    present = s.sup_exists & (u < s.sup_availability)
    s.sup_present[:] = present
    weight = present * s.sup_quality
    s.support_today[:] = weight.sum(axis=1)
    s.relief_today[:] = np.minimum(MAX_RELIEF, scenario.support.relief_share * s.support_today)
    there = per_dyad(present)
    with np.errstate(invalid="ignore", divide="ignore"):
        s.relief_quality[:] = np.where(there > 0, s.support_today / np.maximum(there, 1), 0.0)


def graph(s) -> nx.Graph:
    """Caregivers are nodes 0..n-1; supporter (dyad i, slot k) is node n + i*MAX_SUPPORTERS + k."""
    n = s.n
    g = nx.Graph()
    g.add_nodes_from(range(n), kind="caregiver")
    dyad, slot = np.nonzero(s.sup_exists)
    nodes = n + dyad * MAX_SUPPORTERS + slot
    g.add_nodes_from(nodes.tolist(), kind="supporter")
    g.add_edges_from(zip(dyad.tolist(), nodes.tolist()))
    return g


def supporter_node(n: int, dyad: int, slot: int) -> int:
    return n + dyad * MAX_SUPPORTERS + slot

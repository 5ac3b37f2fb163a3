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

Life events (``life_events``) change the network during infancy through three hooks declared
here, neutral when nothing happens: a supporter's slot is emptied (``sup_exists``: a separation,
a move) or filled (a newcomer), a supporter is kept away on a share of days (``sup_kept_away``:
the partner in a period of conflict), and care by others after a return to paid work takes a
further share of the day's episodes (``childcare_share``, answered with ``childcare_quality``),
within the same cap ``max_relief``.

The network is also a networkx graph (caregivers and supporters as nodes) placed in a Mesa
``Network`` space, where :class:`~simulation.model.agents.Supporter` agents live.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from .. import streams
from ..component import Column, Component, Draw, Today, Var
from ..params import Dist, Section, param, trait
from ..state import DyadState, per_dyad, row_sums

MAX_SUPPORTERS = 8
"""Supporter slots per caregiver: up to 7 from the personal network plus one health visitor
(the width of the supporter arrays, not a behavioural number)."""
HEALTH_VISITOR_SLOT = MAX_SUPPORTERS - 1
ROLES = ("partner", "family or friend", "health visitor")
PARTNER, FAMILY, HEALTH_VISITOR = 0, 1, 2


class SupportParams(Section):
    """The caregiver's support network ("it takes a village")."""

    size: Dist = trait(3.0, 1.5, 0.0, 8.0, "number of supporters (partner, grandparents, friends), rounded",
                       unit="people", source="assumption: a few close kin and friends")
    availability: Dist = trait(0.4, 0.15, 0.0, 1.0, "probability that a supporter is there on a given day",
                               source="assumption: grandparents and friends there two or three days a week")
    quality: Dist = trait(0.7, 0.15, 0.0, 1.0, "a supporter's sensitivity when taking over",
                          source="assumption: close to a caregiver's own (attention 0.85 x accuracy 0.7 ~ 0.6-0.7)")
    partner: float = param(0.9, "share of caregivers whose first supporter is a partner", unit="1", ge=0.0, le=1.0,
                           source="assumption: most infants are born to couples")
    partner_availability: float = param(0.8, "probability that a partner living with the caregiver is there on a "
                                             "given day (before partner conflict)", unit="1", ge=0.0, le=1.0,
                                        source="assumption: a partner living with the caregiver is there most days")
    health_visitor: float = param(0.0, "share of caregivers visited by a health visitor", unit="1", ge=0.0, le=1.0,
                                  source="scenario input")
    health_visitor_availability: float = param(1.0 / 7.0, "probability that a health visitor comes on a given day",
                                               unit="1/day", ge=0.0, le=1.0,
                                               source="about one visit a week in intensive home visiting "
                                                      "(Olds et al. 1997; Kendrick et al. 2000)")
    health_visitor_quality: float = param(0.9, "a health visitor's sensitivity when taking over", unit="1",
                                          ge=0.0, le=1.0, source="assumption: a trained professional")
    relief_share: float = param(0.25, "share of the day's episodes taken over per unit of support present", unit="1",
                                ge=0.0, le=1.0, source="calibrated: the pattern 'support buffers' (docs/ODD.md section 8), "
                                                       "set by hand")
    max_relief: float = param(0.6, "largest share of a day's episodes that supporters take over", unit="1",
                              ge=0.0, le=1.0, source="assumption: the caregiver stays the main caregiver")
    stress_buffer: float = param(0.8, "how much support present damps the stress drive", unit="1 per unit of support",
                                 ge=0.0, le=10.0, source="calibrated: the pattern 'support buffers' (docs/ODD.md section "
                                                         "8); buffering hypothesis: Cohen & Wills 1985")
    risk_buffer: float = param(0.3, "how much a good network damps the effects of risk", unit="1 per unit of support",
                               ge=0.0, le=10.0, source="calibrated: the pattern 'support buffers' (docs/ODD.md "
                                                       "section 8); Cohen & Wills 1985")


def second_caregivers(scenario, n: int, seed: streams.SeedLike) -> np.ndarray | None:
    """Which households have a second caregiver (``household.two_caregivers``); None in the one-caregiver
    model. Drawn once per household from its own stream, so a household keeps its draw whatever the
    share (common random numbers)."""
    household = getattr(scenario, "household", None)
    if household is None or household.two_caregivers <= 0:
        return None
    return streams.randoms_of(seed, "household:two", n) < household.two_caregivers


def build(s: DyadState, scenario, load, seed: streams.SeedLike) -> None:
    """Draw each caregiver's supporters into the (dyads, slots) support arrays (in place).

    ``load(field)``: the summed risk effect on ``field`` per caregiver (``risk.Risk.load``). With
    households (``household.two_caregivers`` > 0) every two-caregiver household has the partner's
    slot (the partner is the second caregiver: ``household``); it records the couple (conflict,
    separation) and the partner's emotional support, and gives no relief. In one-caregiver
    households ``support.partner`` is the share with a partner who supports without living with
    them, as in the one-caregiver model.
    """
    sup = scenario.support
    n = s.n
    scale = scenario.risk.effect_scale
    z = {name: streams.normals_of(seed, f"trait:support.{name}", (n, MAX_SUPPORTERS))
         for name in ("availability", "quality")}
    z_size = streams.normals_of(seed, "trait:support.size", n)
    u_partner = streams.randoms_of(seed, "support:partner", n)
    u_visitor = streams.randoms_of(seed, "support:health_visitor", n)

    size = np.clip(sup.size.mean + sup.size.sd * z_size, 0.0, MAX_SUPPORTERS - 1)
    size = size * np.clip(1.0 + scale * load("support_size"), 0.0, None)
    size = np.rint(size).astype(int)
    partnered = second_caregivers(scenario, n, seed)
    if partnered is not None:
        size = np.where(partnered, np.maximum(size, 1), size)
    slot = np.arange(MAX_SUPPORTERS)[None, :]
    personal = slot < size[:, None]
    visitor = (slot == HEALTH_VISITOR_SLOT) & (u_visitor < sup.health_visitor)[:, None]

    availability = np.clip(sup.availability.mean + sup.availability.sd * z["availability"], 0.0, 1.0)
    availability *= np.clip(1.0 + scale * load("support_availability"), 0.0, None)[:, None]
    quality = np.clip(sup.quality.mean + sup.quality.sd * z["quality"], 0.0, 1.0)

    role = np.full((n, MAX_SUPPORTERS), FAMILY, dtype=np.int8)
    has_partner = (u_partner < sup.partner) & (size > 0)
    if partnered is not None:  # households: every couple; a partner elsewhere for some of the rest
        has_partner |= partnered
    role[:, 0] = np.where(has_partner, PARTNER, FAMILY)
    # a partner lives with the caregiver: there most days, less so in conflict
    partner_avail = np.clip(sup.partner_availability * (1.0 + scale * load("partner_availability")), 0.0, 1.0)
    availability[:, 0] = np.where(has_partner, np.maximum(availability[:, 0], partner_avail), availability[:, 0])
    role[visitor] = HEALTH_VISITOR
    availability[visitor] = sup.health_visitor_availability
    quality[visitor] = sup.health_visitor_quality

    s.sup_exists[:] = personal | visitor
    s.sup_role[:] = role
    s.sup_availability[:] = np.where(s.sup_exists, availability, 0.0)
    s.sup_quality[:] = np.where(s.sup_exists, quality, 0.0)
    s.support_size[:] = s.sup_exists.sum(axis=1)


def expected_support(s: DyadState) -> np.ndarray:
    """Expected support a day: sum over supporters of availability x quality (a supporter who left, whose
    slot keeps its last values, counts for nothing)."""
    return (s.sup_exists * s.sup_availability * s.sup_quality).sum(axis=1)


def risk_buffer(s: DyadState, scenario) -> np.ndarray:
    """Factor (0..1] by which a caregiver's network damps the effects of risk."""
    return 1.0 / (1.0 + scenario.support.risk_buffer * expected_support(s))


def graph(s: DyadState) -> nx.Graph:
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


class Support(Component):
    """Who of the network is there today; today's support, relief share and relief quality."""

    name = "support"
    phase = "caregiver"
    summary = "who of the network is there today; support present, share and quality of relief caregiving"
    parameters = {"support": SupportParams}
    state = (
        Var("sup_exists", np.bool_, "the slot holds a supporter", width="supporters"),
        Var("sup_role", np.int8, "0 partner, 1 family or friend, 2 health visitor", width="supporters"),
        Var("sup_availability", np.float64, "probability of being there on a given day", width="supporters"),
        Var("sup_quality", np.float64, "sensitivity when taking over", width="supporters"),
        Var("sup_present", np.bool_, "there today", width="supporters"),
        Var("sup_relieves", np.bool_, "takes over episodes when there (not the partner who is the second caregiver: "
                                      "household)", init=1.0, width="supporters"),
        Var("support_today", np.float64, "support present today (sum of quality of supporters there)",
            agent="caregiver"),
        Var("relief_today", np.float64, "share of today's episodes taken over by supporters (and childcare)",
            agent="caregiver"),
        Var("relief_quality", np.float64, "mean quality of today's supporters (with childcare's, weighted by share)",
            agent="caregiver"),
        Var("support_size", np.int8, "number of supporters", agent="caregiver"),
        Var("sup_kept_away", np.float64, "share of days the supporter is kept away (life events: partner conflict)",
            width="supporters"),
        Var("childcare_share", np.float64, "share of today's episodes in care by others (life events: paid work)",
            agent="caregiver"),
        Var("childcare_quality", np.float64, "a carer's sensitivity when taking over (life events)"),
    )
    draws = (Draw("supporters", MAX_SUPPORTERS),)
    columns = (Column("support_size", "number of supporters at the end of the run (health visitor included; life "
                                      "events change it)"),
               Column("expected_support", "expected support a day at the end of the run: availability x quality "
                                          "summed over supporters"))

    def step(self, t: Today) -> None:
        s, u, sup = t.s, t.u["supporters"], t.params.support
        present = s.sup_exists & (u < s.sup_availability * (1.0 - s.sup_kept_away))
        s.sup_present[:] = present
        weight = present * s.sup_quality
        s.support_today[:] = row_sums(weight)
        # relief: supporters there who take over episodes (not a partner who is the second caregiver), and
        # care by others (life events); each answers with its own quality
        relieving = present & s.sup_relieves
        helping = row_sums(weight * s.sup_relieves)
        relief = sup.relief_share * helping
        care = s.childcare_share
        s.relief_today[:] = np.minimum(sup.max_relief, relief + care)
        there = per_dyad(relieving)
        with np.errstate(invalid="ignore", divide="ignore"):
            supporters = np.where(there > 0, helping / np.maximum(there, 1), 0.0)
            mixed = (relief * supporters + care * s.childcare_quality) / (relief + care)
        s.relief_quality[:] = np.where(care > 0, mixed, supporters)

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        return {"support_size": s.support_size.astype(int), "expected_support": expected_support(s)}

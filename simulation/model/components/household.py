"""Households: an infant with one caregiver or two, and who answers which of the infant's episodes.

Infants form attachments to more than one person, and each is relationship-specific: an infant
can be secure with one parent and insecure with the other (Fox, Kimmerly & Schafer 1991), and
the infant learns about each from that one's own answers. So in a two-caregiver household the
second caregiver is a full caregiver, not a supporter:

- **its own row of caregiver state** (``model.households.state``, one row per household, the
  same layout as the first caregiver's): traits, history, risk factors, stress, fatigue,
  depression, perception, answers and repair, run by the same components as the first
  caregiver's, with its own random numbers (every stream of the second caregiver is a child of
  the root seed named ``second-caregiver``, so the first caregiver's numbers, and the golden
  tables of one-caregiver scenarios, are untouched);
- **its own working model in the infant**: the infant's learning fields of that row are the
  infant's expectations *of the second caregiver*, learned only from that caregiver's answers,
  with the same consolidation as the first (``learning``). The infant's temperament and its
  idiosyncratic strategy thresholds are the infant's own, copied from the first row
  (``INFANT_FIELDS``); supporters stay non-attachment figures (relief soothes, it teaches
  nothing: ``support``). Childcare workers as attachment figures are not modelled;
- **who answers an episode**: each day the infant's episode slots are split. On a day the second
  caregiver is there, the first ``round(share x slots)`` slots are that caregiver's and the rest
  the first caregiver's; the share rises with age from ``second_share_newborn`` to
  ``second_share`` (time-use studies of fathers' share of childcare). Slots are exchangeable
  (each holds a signal with the same probability), so taking the first ones is taking a random
  share of the day. The second caregiver is away on days lost to partner conflict (as a partner
  supporter is: ``life_events.conflict_partner_away``) and for good after a separation. The slots
  of one caregiver are "away" for the other: no signal, no answer, no frightening moment there
  (``Today.away``). Both caregivers see the infant's same events (the same uniforms: one infant),
  each through its own working model's strategy;
- **the partner is no longer a supporter**: in a two-caregiver household the partner's supporter
  slot gives no relief (``sup_relieves``: the partner's relief is the second caregiver's own
  answers, so it is not counted twice); the partner's emotional support (stress buffering, faster
  recovery from depression) still counts, as in the one-caregiver model. The second caregiver
  shares the household's network of family and friends (a copy of the first caregiver's);
- **shared circumstances**: the household's risk factors (``SHARED_FACTORS``: conflict, poverty,
  stressful events, birth complications, lack of support) are the same for both; each caregiver
  has its own earlier depression and own attachment history. Depression is linked between
  partners through the shared factors and through the partner's current depression
  (``depression.partner_effect``: Paulson & Bazemore 2010, r = 0.31; Goodman 2004). Partner
  conflict is the couple's (the first caregiver's life events; the second's copy follows).

The infant's crying is the sum over both caregivers' slots (``infant_total``); each caregiver's
fatigue and stress follow the crying in its own slots. Assessments (Strange Situation, home
observation, questionnaires) are made with each caregiver, with the second caregiver's own
random streams. Per-dyad output: the first caregiver's columns as in the one-caregiver model,
then every column of the second caregiver's row with the suffix ``_cg2`` (empty in one-caregiver
households), ``caregivers``, ``attachment_cg1``/``security_cg1`` (copies, for symmetry) and
``concordant``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from ..calendar import DAYS_PER_MONTH
from ..component import Column, Component, Var
from ..params import Section, param
from ..state import DyadState
from . import support
from .risk import Risk, apply_to_traits, assign_factors
from .traits import clip_traits

SECOND_STREAM = "second-caregiver"
"""Name of the child seed all of the second caregivers' random numbers come from."""
SHARED_FACTORS = ("partner_conflict", "low_ses", "life_events", "birth_complications", "lack_of_support")
"""Risk factors that are the household's circumstances, the same for both caregivers (a definition);
earlier depression and the own attachment history are each caregiver's."""
INFANT_FIELDS = ("negative_emotionality", "soothability", "amplify_offset", "mute_offset")
"""The infant's own characteristics (temperament, strategy thresholds): the same in both rows."""
SECOND_SECTIONS = ("caregiver", "history", "risk", "depression")
"""Sections in which the second caregiver may differ from the first (``household.second``)."""
COUPLE_FIELDS = ("in_conflict", "separated", "conflict_episodes", "conflict_days", "conflict_first_day",
                 "separation_day")
"""The couple's state, the first caregiver's life events', copied to the second every evening."""
SECOND_FIXED = ("life_events.conflict_onset_per_year", "life_events.conflict_end_per_year",
                "life_events.separation_per_year", "life_events.return_share")
"""Off in the second caregiver's scenario: the couple's events (conflict starting and ending, separation)
happen once, in the first caregiver's life events, and are copied (``COUPLE_FIELDS``); the second
caregiver's hours away at paid work are already in its share of the care (``second_share``, from the
time-use of working fathers), so it has no return to work of its own."""


class HouseholdParams(Section):
    """Who lives with the infant and answers it ("it takes a village": the second seed)."""

    two_caregivers: float = param(0.0, "share of infants with a second caregiver living with them (a partner, a "
                                       "co-parent); 0: the one-caregiver model", unit="1", ge=0.0, le=1.0,
                                  source="scenario input (about 77% of US children live with two parents: Pew "
                                         "Research Center 2019, 23% with one)")
    second_share: float = param(0.35, "share of the infant's episodes the second caregiver answers, past the first "
                                      "months (on days there)", unit="1", ge=0.0, le=0.9,
                                source="fathers in two-parent US families: 7.3 h a week of childcare against "
                                       "mothers' 13.5 h (American Time Use Survey 2011, Pew Research Center 2013): "
                                       "about 35%")
    second_share_newborn: float = param(0.2, "the second caregiver's share at birth; it rises linearly to "
                                             "second_share by second_share_months", unit="1", ge=0.0, le=0.9,
                                        source="assumption: the first caregiver does most of the care in the first "
                                               "months (leave, feeding)")
    second_share_months: float = param(6.0, "age by which the second caregiver's share reaches second_share",
                                       unit="months", ge=0.0, le=36.0,
                                       source="assumption: the end of a typical maternity leave")
    second: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="how the second caregiver differs from the first, by section (caregiver, history, risk, "
                    "depression): e.g. [household.second.caregiver] responsiveness = 0.9. A plain number for a "
                    "trait moves its mean and keeps the spread, as a command-line override does")

    @field_validator("second")
    @classmethod
    def _known_sections(cls, second: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        unknown = [k for k in second if k not in SECOND_SECTIONS]
        if unknown:
            raise ValueError(f"sections {unknown} cannot differ for the second caregiver; allowed: "
                             f"{', '.join(SECOND_SECTIONS)}")
        return second


def second_overrides(household: HouseholdParams) -> dict[str, Any]:
    """The dotted overrides that make the second caregiver's scenario from the first's."""
    out: dict[str, Any] = {f"{section}.{key}": value for section, table in household.second.items()
                           for key, value in table.items()}
    out.update({key: 0.0 for key in SECOND_FIXED})
    out["household.second"] = {}  # the second caregiver's scenario is the result: nothing left to apply
    return out


def share_today(day: int, household: HouseholdParams) -> float:
    """The second caregiver's share of the day's episodes at this age (days from birth)."""
    months = household.second_share_months
    if months <= 0 or day >= months * DAYS_PER_MONTH:
        return household.second_share
    w = day / (months * DAYS_PER_MONTH)
    return household.second_share_newborn + w * (household.second_share - household.second_share_newborn)


def second_slots(day: int, household: HouseholdParams, slots: int) -> int:
    """How many of the day's episode slots are the second caregiver's (0 if its share rounds to none)."""
    return int(round(share_today(day, household) * slots))


def initialise_second(primary: DyadState, params2, seed2, two: np.ndarray, plan) -> DyadState:
    """The second caregivers' rows (one per household; rows of one-caregiver households are never used).

    As ``population.initialise``, with the second caregiver's scenario and seed, except that the
    household's shared risk factors are the first caregiver's, the network is the household's (a
    copy), and the infant's own characteristics are the first row's.
    """
    s = DyadState(primary.n, plan.layout())
    s.second_caregiver[:] = True
    plan.get("traits").setup(s, params2, seed2)
    flags = assign_factors(params2, s.n, seed2)
    for f in SHARED_FACTORS:
        flags[f] = getattr(primary, f"risk_{f}").copy()
    flags["insecure_history"] = flags["dismissing"] | flags["preoccupied"] | flags["unresolved"]
    load = Risk.loader(params2, flags)
    for name in ("sup_exists", "sup_role", "sup_availability", "sup_quality", "support_size"):
        getattr(s, name)[:] = getattr(primary, name)
    apply_to_traits(s, params2, flags, load, support.risk_buffer(s, params2))
    clip_traits(s, params2)
    for component in plan.components:
        if component.name not in ("traits", "risk"):
            component.setup(s, params2, seed2)
    for name in INFANT_FIELDS:
        getattr(s, name)[:] = getattr(primary, name)
    # the partner is the second caregiver: no relief from the partner's slot, in either row
    for state in (primary, s):
        partner = state.sup_role == support.PARTNER
        state.sup_relieves[:] = np.where(two[:, None] & partner, False, state.sup_relieves)
    return s


def evening(first: DyadState, second: DyadState, two: np.ndarray) -> None:
    """What each partner brings to the other's next morning (two-caregiver households).

    - the partner's depression (``depression.partner_effect``);
    - the partner's emotional support: the partner's supporter slot weighs as much as the partner
      answers today (``responsiveness_today``: a withdrawn, depressed or exhausted partner supports
      less; partner support protects against postpartum depression: Dennis & Ross 2006; Goodman 2004);
    - the couple's conflict and separation (the first caregiver's life events); after a separation the
      second caregiver's partner slot is emptied too.
    """
    first.partner_depression[:] = np.where(two, second.depression, 0.0)
    second.partner_depression[:] = np.where(two, first.depression, 0.0)
    for mine, theirs in ((first, second), (second, first)):
        partner = two[:, None] & (mine.sup_role == support.PARTNER)
        mine.sup_quality[:] = np.where(partner, theirs.responsiveness_today[:, None], mine.sup_quality)
    for name in COUPLE_FIELDS:
        getattr(second, name)[:] = getattr(first, name)
    gone = (second.sup_role == support.PARTNER) & first.separated[:, None]
    second.sup_exists[:] = second.sup_exists & ~gone


def _masked(values: Any, keep: np.ndarray) -> Any:
    """``values`` where ``keep``, empty elsewhere (NaN for decimals, a missing value for the rest)."""
    a = np.asarray(values)
    if a.dtype.kind == "f":
        return np.where(keep, a, np.nan)
    if a.dtype.kind == "b":
        return pd.arrays.BooleanArray(a.copy(), ~keep)
    if a.dtype.kind in "iu":
        return pd.arrays.IntegerArray(np.where(keep, a, 0).astype(np.int64), ~keep)
    out = a.astype(object)
    out[~keep] = None
    return out


class Household(Component):
    """One or two caregivers per infant (see the module docstring); its columns merge the second's."""

    name = "household"
    phase = "setup"
    summary = ("one or two caregivers per infant: the second caregiver has its own row of caregiver state, and the "
               "infant its own working model of it; the day's episodes are split between them")
    parameters = {"household": HouseholdParams}
    state = (Var("second_caregiver", np.bool_, "this row is a household's second caregiver", agent="caregiver"),)
    columns: ClassVar[tuple[Column, ...]] = (
        Column("caregivers", "1 or 2 (two-caregiver scenarios only)"),
        Column("attachment_cg1, security_cg1", "the same as attachment and security, named for symmetry "
                                               "(two-caregiver scenarios only)"),
        Column("<column>_cg2", "every column of the second caregiver's row (the infant's working model of it, "
                               "its Strange Situation, observed sensitivity, traits, depression, ...); empty in "
                               "one-caregiver households"),
        Column("concordant", "the same A/B/C/D class with both caregivers (empty in one-caregiver households)"),
    )

    def table(self, model) -> dict[str, Any]:
        h = getattr(model, "households", None)
        if h is None:
            return {}
        second: dict[str, Any] = {}
        for c in model.plan.table_components():
            if c.name != self.name:
                second.update(c.table(h))
        first = model.plan.get("strange_situation").table(model)
        two = h.two
        out: dict[str, Any] = {"caregivers": 1 + two.astype(int)}  # the first, and the second where there is one
        assessed = "attachment" in first  # none before the first Strange Situation (a run stopped early: the app)
        if assessed:
            out.update({"attachment_cg1": first["attachment"], "security_cg1": first["security"]})
        for name, values in second.items():
            if not name.startswith("inf_"):
                out[f"{name}_cg2"] = _masked(values, two)
        if assessed:
            out["concordant"] = _masked(np.asarray(first["attachment"]) == np.asarray(second["attachment"]), two)
        return out


def infant_total(model, field: str) -> np.ndarray:
    """A per-row count of the first caregiver's rows plus, in two-caregiver households, the second's: what
    the infant did in both caregivers' slots (crying minutes)."""
    first = getattr(model.state, field)
    h = getattr(model, "households", None)
    if h is None:
        return first
    return first + np.where(h.two, getattr(h.state, field), 0)


def second_node(n: int, dyad: int) -> int:
    """The network node of a household's second caregiver: after the caregivers and the supporter slots."""
    return n + n * support.MAX_SUPPORTERS + dyad


def add_to_graph(graph, two: np.ndarray) -> None:
    """Put the second caregivers in the support network's graph, each tied to the first caregiver."""
    n = len(two)
    dyads = np.flatnonzero(two).tolist()
    graph.add_nodes_from((second_node(n, d) for d in dyads), kind="second caregiver")
    graph.add_edges_from((d, second_node(n, d)) for d in dyads)

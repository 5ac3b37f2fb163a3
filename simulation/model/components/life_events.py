"""Caregiving that changes: the events of a family's first years that change the caregiver's days.

The first seed's risk factors are drawn once, before the birth (``risk``); this submodel adds
what happens *during* infancy, each with a published rate for a stated reference population, so
that another country or cohort is another scenario (``[life_events]``):

- **stressful life events** (illness or death of someone close, a move, a lost job, bills that
  cannot be paid): a Poisson process. In the US Pregnancy Risk Assessment Monitoring System
  (PRAMS, 27 states, 2010) 70% of mothers reported at least one of 13 stressful events in the
  year before the birth, 1.8 on average (Burns, Farr & Howards 2015); the year after the birth
  is taken to be like the year before, less the partner events modelled below. Each event adds
  ``event_stress`` to the caregiver's stress drive, fading with a time constant of
  ``event_stress_days``;
- **partner conflict** starting and ending (a two-state process, for caregivers living with a
  partner): relationship satisfaction falls after a birth (Doss, Rhoades, Stanley & Markman
  2009) but no rate of conflict starting or ending has been published in these terms, so both
  rates are assumptions. While in conflict the caregiver carries the same extra stress drive as
  the risk factor ``partner_conflict`` and the partner is there on fewer days (the same -60%);
- **separation of the parents**: a daily hazard, several times higher in conflict (the risk
  factor ``partner_conflict`` counts as conflict: conflict known in pregnancy). In the UK
  Millennium Cohort Study (births 2000-2002) about 1 in 10 married and 1 in 4 cohabiting parents
  had separated by the child's fifth birthday, about 3.5% of couples a year (Hansen & Joshi
  2008; Kiernan & Mensah 2010). Separation means the partner's support and relief are lost for
  good (the partner's supporter slot is emptied; in a two-caregiver household the second
  caregiver leaves and answers no more of the infant's episodes: ``household``) and a stress
  shock follows, about twice a typical event's (marital separation ranks with the heaviest
  events of the Social Readjustment Rating Scale: Holmes & Rahe 1967). Conflict and separation
  are the couple's: in a two-caregiver household they happen in the first caregiver's life
  events and the second caregiver's copy follows them;
- **supporters moving away or arriving**: each family or friend supporter leaves with a yearly
  rate, and a new one arrives into a free slot of the personal network with a yearly rate (no
  published rates: assumptions); a newcomer's availability and quality are drawn from the
  network's distributions (``[support]``);
- **return to paid work and non-parental childcare**: a month of return is drawn for each
  caregiver at the start. In the UK Millennium Cohort Study about half of mothers were in paid
  work when the infant was 9 months old, three in four of them part time (McMunn, Kelly, Cable &
  Bartley 2012). From the day of return, ``childcare_hours`` a week of care by others take over
  that share of the infant's waking week as relief caregiving, with ``childcare_quality``
  (``support`` adds it to the supporters' relief, within the same cap ``support.max_relief``).
  Childcare workers are not attachment figures in the model (their care soothes, it teaches the
  infant nothing about anyone), nor are supporters; a second caregiver is (``household``);
- **depression onset and remission** are the ``depression`` submodel's, and follow these events
  through stress and support.

The events change the caregiver's day-to-day parameters (the stress drive, the partner's and
the network's presence, the share of episodes others answer), and the infant's working model
follows them as it follows any change in care: attachment changes lawfully with life
circumstances (lawful discontinuity: Waters, Merrick, Treboux, Crowell & Albersheim 2000;
Weinfield, Sroufe & Egeland 2000). Events happen from birth on ("during infancy"); what came
before is the risk factors'.

The daily uniforms are the component's own draws (its own stream: common random numbers for
every other submodel); the month of return and the hours of childcare are drawn once per
caregiver from streams named after them, so a dyad keeps its quantile when a scenario moves the
rates. Per-dyad output columns say which events happened and when (days from birth; -1 where an
event did not happen: see ``columns``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

from .. import streams
from ..calendar import DAYS_PER_MONTH, DAYS_PER_WEEK
from ..component import Column, Component, Draw, Today, Var
from ..params import Section, param
from ..state import DyadState, per_dyad, any_per_dyad
from . import support
from .depression import DAYS_PER_YEAR

NONE_DAY = -1
"""The day column of an event that did not happen (days from birth are never negative here)."""


class LifeEventsParams(Section):
    """Events during infancy that change the caregiver's days; defaults for the reference populations
    named in each source (US PRAMS for stressful events, the UK Millennium Cohort Study for
    separation and return to work)."""

    stressful_events_per_year: float = param(
        1.5, "rate of stressful life events (other than the partner events below)", unit="1/year", ge=0.0, le=50.0,
        source="approximately: PRAMS mothers (US 2010) reported 1.8 of 13 stressful events on average in the year "
               "before the birth, 70% at least one (Burns, Farr & Howards 2015); less the partner events modelled "
               "separately (assumption: about 0.3)")
    event_stress: float = param(
        0.35, "stress drive added by a stressful event, while fresh", unit="1", ge=0.0, le=5.0,
        source="assumption: a fresh event weighs as the chronic drive of the risk factor life_events "
               "(risk.effects.life_events.chronic_stress)")
    event_stress_days: float = param(
        30.0, "time constant with which an event's (and a separation's) stress drive fades", unit="days", ge=1.0,
        le=365.0, source="assumption: distress after a major event settles over weeks to months")
    conflict_onset_per_year: float = param(
        0.15, "rate at which partner conflict starts (caregivers living with a partner, not in conflict)",
        unit="1/year", ge=0.0, le=50.0,
        source="assumption: no published rate; relationship satisfaction falls after a birth (Doss et al. 2009)")
    conflict_end_per_year: float = param(
        2.0, "rate at which partner conflict ends (mean length 1/rate years)", unit="1/year", ge=0.0, le=365.0,
        source="assumption: a period of conflict lasts about six months")
    conflict_stress: float = param(
        0.25, "stress drive added while in partner conflict", unit="1", ge=0.0, le=5.0,
        source="as the risk factor partner_conflict's chronic stress (risk.effects; Beck 2001; Robertson et al. "
               "2004)")
    conflict_partner_away: float = param(
        0.6, "share of the partner's days lost while in conflict", unit="1", ge=0.0, le=1.0,
        source="as the risk factor partner_conflict's partner availability (-60%: risk.effects)")
    separation_per_year: float = param(
        0.025, "rate of parental separation outside conflict (caregivers living with a partner)", unit="1/year",
        ge=0.0, le=10.0,
        source="approximately: UK Millennium Cohort Study, about 1 in 10 married and 1 in 4 cohabiting parents "
               "separated by age 5 (Hansen & Joshi 2008; Kiernan & Mensah 2010): about 3.5% of couples a year, "
               "of which conflict (separation_conflict_ratio) takes a share")
    separation_conflict_ratio: float = param(
        3.0, "hazard ratio of separation in partner conflict (an episode here, or the risk factor)", unit="HR",
        ge=1.0, le=20.0,
        source="assumption: several-fold; direction: conflict behaviour predicts dissolution (Gottman & Levenson "
               "1992)")
    separation_stress: float = param(
        0.7, "stress drive added by a separation, while fresh", unit="1", ge=0.0, le=5.0,
        source="about twice event_stress: marital separation 65 life-change units against about 30 for typical "
               "events (Holmes & Rahe 1967)")
    supporter_leaves_per_year: float = param(
        0.1, "rate at which a family or friend supporter moves away or out of reach", unit="1/year per supporter",
        ge=0.0, le=10.0, source="assumption: about one close supporter in ten a year")
    supporter_arrives_per_year: float = param(
        0.2, "rate at which a new family or friend supporter arrives (into a free slot of the personal network)",
        unit="1/year", ge=0.0, le=10.0,
        source="assumption: new parents make new friends (antenatal classes, baby groups)")
    return_share: float = param(
        0.65, "share of caregivers back in paid work by return_by_months", unit="1", ge=0.0, le=1.0,
        source="approximately: about half of UK Millennium Cohort mothers were in paid work at 9 months (McMunn "
               "et al. 2012); with the month's distribution, 49% by 9 and 60% by 12 months")
    return_by_months: float = param(
        24.0, "months within which the returns happen (later returns are not modelled)", unit="months", gt=0.0,
        le=36.0, source="assumption: the window of the reference figures, the first two years")
    return_month_mean: float = param(
        6.0, "mean month of return (a normal distribution cut to 0..return_by_months)", unit="months", ge=0.0,
        le=36.0, source="approximately: with return_share, about 30% back by 6 months and half by 9 (McMunn et al. "
                        "2012; UK statutory maternity pay then 18 weeks)")
    return_month_sd: float = param(
        4.0, "spread of the month of return", unit="months", ge=0.0, le=36.0,
        source="approximately: as return_month_mean")
    childcare_hours_mean: float = param(
        20.0, "hours a week of care by others once back at work", unit="h/week", ge=0.0, le=100.0,
        source="approximately: three in four MCS mothers in paid work at 9 months worked part time (McMunn et al. "
               "2012); hours of care by others (not the partner) an assumption")
    childcare_hours_sd: float = param(
        10.0, "spread of the hours of care by others between caregivers", unit="h/week", ge=0.0, le=50.0,
        source="assumption: from a few hours to full time")
    childcare_quality: float = param(
        0.6, "a carer's sensitivity when taking over (as a supporter's quality)", unit="1", ge=0.0, le=1.0,
        source="assumption: a little below a relative's (support.quality 0.7): a carer shares attention among "
               "several infants (NICHD Early Child Care Research Network 1996)")
    awake_hours: float = param(
        11.0, "the infant's waking hours a day, over which childcare hours are a share", unit="h/day", gt=0.0,
        le=24.0, source="approximately: infants sleep about 13 h a day in the first year (Galland, Taylor, Elder & "
                        "Herbison 2012)")


def happens(le: LifeEventsParams) -> bool:
    """Whether any event can happen at all (a rate above 0, or returns to paid work)."""
    return bool(le.stressful_events_per_year or le.conflict_onset_per_year or le.separation_per_year
                or le.supporter_leaves_per_year or le.supporter_arrives_per_year or le.return_share)


def per_day(rate_per_year: float | np.ndarray) -> float | np.ndarray:
    """The probability of an event on a given day at a constant yearly rate (hazard)."""
    return -np.expm1(-np.asarray(rate_per_year, dtype=float) / DAYS_PER_YEAR)


def return_months(u: np.ndarray, le: LifeEventsParams) -> np.ndarray:
    """Month of return (quantile ``u``) of a normal distribution cut to 0..return_by_months."""
    top = le.return_by_months
    if le.return_month_sd == 0:
        return np.full(u.shape, min(max(le.return_month_mean, 0.0), top))
    low = ndtr((0.0 - le.return_month_mean) / le.return_month_sd)
    high = ndtr((top - le.return_month_mean) / le.return_month_sd)
    if high <= low:  # the whole distribution beyond the window (numerically): returns at its edge
        return np.full(u.shape, min(max(le.return_month_mean, 0.0), top))
    return np.clip(le.return_month_mean + le.return_month_sd * ndtri(low + u * (high - low)), 0.0, top)


def childcare_share(hours_per_week: np.ndarray, le: LifeEventsParams) -> np.ndarray:
    """The share of the infant's waking week that care by others takes (hours spread over the week:
    the model has no weekdays)."""
    return hours_per_week / (DAYS_PER_WEEK * le.awake_hours)


class LifeEvents(Component):
    """Stressful events, partner conflict and separation, supporters leaving and arriving, return to work
    and childcare: today's events and what they do to stress, support and relief."""

    name = "life_events"
    phase = "caregiver"
    summary = ("from birth on: stressful life events, partner conflict starting or ending, separation (the partner's "
               "support is lost), supporters moving away or arriving, return to paid work (childcare relief); "
               "today's stress drive from events")
    parameters = {"life_events": LifeEventsParams}
    state = (
        Var("event_load", np.float64, "stress drive left by stressful events and a separation (fading)",
            agent="caregiver"),
        Var("in_conflict", np.bool_, "in a period of partner conflict", agent="caregiver"),
        Var("separated", np.bool_, "separated from the partner (during the run)", agent="caregiver"),
        Var("at_work", np.bool_, "back in paid work", agent="caregiver"),
        Var("work_return_day", np.int32, "day of return to paid work (-1: not within return_by_months)",
            init=NONE_DAY),
        Var("childcare_hours", np.float64, "hours a week of care by others once back at work", agent="caregiver"),
        Var("life_events_n", np.int16, "stressful life events so far"),
        Var("life_event_first_day", np.int32, "day of the first stressful life event (-1: none)", init=NONE_DAY),
        Var("conflict_episodes", np.int16, "periods of partner conflict started so far"),
        Var("conflict_days", np.int32, "days in partner conflict so far"),
        Var("conflict_first_day", np.int32, "day the first period of conflict started (-1: none)", init=NONE_DAY),
        Var("separation_day", np.int32, "day of the separation (-1: none)", init=NONE_DAY),
        Var("supporters_lost", np.int16, "family or friend supporters who moved away so far"),
        Var("supporters_gained", np.int16, "new family or friend supporters so far"),
    )
    draws = (Draw("life_event"), Draw("conflict"), Draw("separation"), Draw("supporter_leaves", support.MAX_SUPPORTERS),
             Draw("supporter_arrives"), Draw("newcomer", 2))
    columns = (
        Column("life_events_n", "number of stressful life events from birth to the end of the run (partner events "
                                "not included)"),
        Column("life_event_first_day", "day (from birth) of the first stressful life event; -1: none"),
        Column("conflict_episodes", "periods of partner conflict started during the run"),
        Column("conflict_days", "days in partner conflict during the run"),
        Column("conflict_first_day", "day the first period of partner conflict started; -1: none"),
        Column("separated", "the parents separated during the run (the partner's support was lost)"),
        Column("separation_day", "day of the separation; -1: none (see separated)"),
        Column("supporters_lost", "family or friend supporters who moved away during the run (not the partner)"),
        Column("supporters_gained", "new family or friend supporters during the run"),
        Column("returned_to_work", "the caregiver went back to paid work during the run"),
        Column("return_to_work_day", "day of the return to paid work; -1: none during the run (see returned_to_work)"),
        Column("childcare_hours", "hours a week of care by others at the end of the run (0: not back at work)"),
    )

    def setup(self, s: DyadState, params, seed) -> None:
        """Each caregiver's month of return to paid work (if any) and hours of childcare then."""
        le, n = params.life_events, s.n
        u_return = streams.randoms_of(seed, "life_events:return", n)
        u_month = streams.randoms_of(seed, "life_events:return_month", n)
        z_hours = streams.normals_of(seed, "life_events:childcare_hours", n)
        days = np.rint(return_months(u_month, le) * DAYS_PER_MONTH)
        s.work_return_day[:] = np.where(u_return < le.return_share, days, NONE_DAY)
        hours = le.childcare_hours_mean + le.childcare_hours_sd * z_hours
        s.childcare_hours[:] = np.clip(hours, 0.0, DAYS_PER_WEEK * le.awake_hours)

    def step(self, t: Today) -> None:
        if t.day < 0 or not happens(t.params.life_events):
            # events during infancy (before the birth, the risk factors stand for them); with every rate
            # 0 (the caregiving profiles) nothing can happen and the state keeps its initial values
            return
        s, le, u, day = t.s, t.params.life_events, t.u, t.day
        partner = s.sup_exists & (s.sup_role == support.PARTNER)
        partnered = any_per_dyad(partner)

        # stressful life events: at most one a day (a Poisson process of a few a year)
        event = u["life_event"] < per_day(le.stressful_events_per_year)

        # partner conflict starts or ends (one draw, as depression's onset or recovery)
        starts = partnered & ~s.in_conflict & (u["conflict"] < per_day(le.conflict_onset_per_year))
        ends = s.in_conflict & (u["conflict"] < per_day(le.conflict_end_per_year))
        conflict = partnered & (s.in_conflict | starts) & ~ends

        # separation: more likely in conflict; the partner's slot is emptied for good, the conflict ends
        ratio = np.where(conflict | s.risk_partner_conflict, le.separation_conflict_ratio, 1.0)
        separates = partnered & (u["separation"] < per_day(le.separation_per_year * ratio))
        conflict &= ~separates

        # family and friends move away; a newcomer takes a free personal slot (never the partner's)
        family = s.sup_exists & (s.sup_role == support.FAMILY)
        leaves = family & (u["supporter_leaves"] < per_day(le.supporter_leaves_per_year))
        s.sup_exists[:] = s.sup_exists & ~leaves & ~(separates[:, None] & partner)
        personal = np.arange(support.MAX_SUPPORTERS) < support.HEALTH_VISITOR_SLOT
        free = ~s.sup_exists & (s.sup_role == support.FAMILY) & personal
        arrives = (u["supporter_arrives"] < per_day(le.supporter_arrives_per_year)) & any_per_dyad(free)
        if arrives.any():
            self._arrive(s, t.params.support, arrives, free, u["newcomer"])
        lost = per_dyad(leaves)
        s.support_size[:] = s.support_size + arrives - lost - separates

        # return to paid work: from the drawn day on, care by others takes a share of the day as relief
        s.at_work[:] = s.at_work | ((s.work_return_day != NONE_DAY) & (day >= s.work_return_day))
        s.childcare_share[:] = np.where(s.at_work, childcare_share(s.childcare_hours, le), 0.0)
        s.childcare_quality[:] = np.where(s.at_work, le.childcare_quality, 0.0)

        # today's stress drive from events: fading shocks, and conflict while it lasts; the partner kept away
        fade = np.exp(-1.0 / le.event_stress_days)
        s.event_load[:] = s.event_load * fade + le.event_stress * event + le.separation_stress * separates
        s.event_stress[:] = s.event_load + le.conflict_stress * conflict
        s.sup_kept_away[:] = np.where(conflict[:, None] & partner, le.conflict_partner_away, 0.0)

        # the record: which events happened, and when
        s.life_event_first_day[:] = np.where(event & (s.life_events_n == 0), day, s.life_event_first_day)
        s.life_events_n += event
        s.conflict_first_day[:] = np.where(starts & (s.conflict_episodes == 0), day, s.conflict_first_day)
        s.conflict_episodes += starts
        s.conflict_days += conflict
        s.in_conflict[:] = conflict
        s.separation_day[:] = np.where(separates, day, s.separation_day)
        s.separated |= separates
        s.supporters_lost += lost
        s.supporters_gained += arrives

    @staticmethod
    def _arrive(s: DyadState, sup, arrives: np.ndarray, free: np.ndarray, u: np.ndarray) -> None:
        """A new family or friend supporter in the first free slot (``free``: each caregiver's free slots) of
        the caregivers in ``arrives``, with an availability and a quality drawn from the network's
        distributions (quantiles ``u``)."""
        rows = np.flatnonzero(arrives)
        k = free[rows].argmax(axis=1)
        availability = np.clip(sup.availability.mean + sup.availability.sd * ndtri(u[rows, 0]), 0.0, 1.0)
        quality = np.clip(sup.quality.mean + sup.quality.sd * ndtri(u[rows, 1]), 0.0, 1.0)
        s.sup_exists[rows, k] = True
        s.sup_role[rows, k] = support.FAMILY
        s.sup_availability[rows, k] = availability
        s.sup_quality[rows, k] = quality
        if "base_sup_availability" in s.fields:  # interventions rebuild availability from it every day
            s.base_sup_availability[rows, k] = availability

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        return {
            "life_events_n": s.life_events_n.astype(int),
            "life_event_first_day": s.life_event_first_day.astype(int),
            "conflict_episodes": s.conflict_episodes.astype(int),
            "conflict_days": s.conflict_days.astype(int),
            "conflict_first_day": s.conflict_first_day.astype(int),
            "separated": s.separated.copy(),
            "separation_day": s.separation_day.astype(int),
            "supporters_lost": s.supporters_lost.astype(int),
            "supporters_gained": s.supporters_gained.astype(int),
            "returned_to_work": s.at_work.copy(),
            "return_to_work_day": np.where(s.at_work, s.work_return_day, NONE_DAY).astype(int),
            "childcare_hours": np.where(s.at_work, s.childcare_hours, 0.0),
        }

"""life_events: events during infancy at their declared rates, and what they do to support, relief and stress.

Expected rates are computed here from the declared parameters (a daily hazard over a year, a cut
normal's distribution function), not by calling the implementation; tolerances are four standard
errors of the binomial or Poisson count.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation import AttachmentModel
from simulation.model.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK
from simulation.model.components import support
from simulation.model.components.life_events import LifeEvents
from simulation.model.components.support import MAX_SUPPORTERS, Support
from simulation.model.plan import PLAN
from simulation.report import records

from helpers import SHORT, make_state, today, uniforms

YEAR = 365
TOLERANCE_SE = 4.0
OFF = {"life_events.stressful_events_per_year": 0.0, "life_events.conflict_onset_per_year": 0.0,
       "life_events.separation_per_year": 0.0, "life_events.supporter_leaves_per_year": 0.0,
       "life_events.supporter_arrives_per_year": 0.0, "life_events.return_share": 0.0}
"""Every event switched off."""


def draws(n, rng):
    """One day of the component's draws (its declared names and widths)."""
    return {"life_event": rng.random(n), "conflict": rng.random(n), "separation": rng.random(n),
            "supporter_leaves": rng.random((n, MAX_SUPPORTERS)), "supporter_arrives": rng.random(n),
            "newcomer": rng.random((n, 2))}


def live(s, sc, days, seed=0):
    """The component alone, day after day from birth."""
    rng = np.random.default_rng(seed)
    component = LifeEvents()
    for day in range(days):
        component.step(today(s, sc, day, draws(s.n, rng)))


def within(observed, expected, se):
    assert abs(observed - expected) < TOLERANCE_SE * se, f"{observed:.4f} vs expected {expected:.4f} (SE {se:.4f})"


# ------------------------------------------------------------------ rates
@pytest.mark.parametrize("in_conflict", [False, True])
def test_separations_in_a_year_follow_the_declared_rate(in_conflict):
    rate, ratio = 0.4, 2.5
    sc, s = make_state(n=6000, scenario="community", seed=1, overrides={
        **OFF, "life_events.separation_per_year": rate, "life_events.separation_conflict_ratio": ratio,
        "risk.partner_conflict": 1.0 if in_conflict else 0.0, "support.partner": 1.0})
    partnered = (s.sup_exists & (s.sup_role == support.PARTNER)).any(axis=1)
    assert partnered.sum() > 4000
    live(s, sc, YEAR)
    hazard = rate * (ratio if in_conflict else 1.0)  # per year, constant: P(separated within a year)
    expected = 1.0 - np.exp(-hazard)
    within(s.separated[partnered].mean(), expected, np.sqrt(expected * (1 - expected) / partnered.sum()))
    assert not s.separated[~partnered].any()
    assert ((s.separation_day >= 0) == s.separated).all() and s.separation_day.max() < YEAR


def test_stressful_events_in_a_year_follow_the_declared_rate():
    rate = 1.5
    sc, s = make_state(n=5000, scenario="community", seed=2,
                       overrides={**OFF, "life_events.stressful_events_per_year": rate})
    live(s, sc, YEAR)
    p = 1.0 - np.exp(-rate / YEAR)  # at most one a day: binomial over the year's days, mean close to the rate
    within(s.life_events_n.mean(), YEAR * p, np.sqrt(YEAR * p * (1 - p) / s.n))
    some = 1.0 - (1.0 - p) ** YEAR
    within((s.life_events_n > 0).mean(), some, np.sqrt(some * (1 - some) / s.n))
    assert ((s.life_event_first_day >= 0) == (s.life_events_n > 0)).all()


def test_returns_to_work_by_12_months_follow_the_declared_shares():
    share, mean, sd, by = 0.6, 7.0, 3.0, 24.0
    sc, s = make_state(n=5000, scenario="community", seed=3, overrides={
        **OFF, "life_events.return_share": share, "life_events.return_month_mean": mean,
        "life_events.return_month_sd": sd, "life_events.return_by_months": by})
    last_day = int(round(12 * DAYS_PER_MONTH))
    live(s, sc, last_day + 1)
    cut = stats.truncnorm((0 - mean) / sd, (by - mean) / sd, loc=mean, scale=sd)
    expected = share * cut.cdf(12.0)
    within(s.at_work.mean(), expected, np.sqrt(expected * (1 - expected) / s.n))
    # care by others from the day of return: its hours as a share of the infant's waking week
    le = sc.life_events
    assert np.allclose(s.childcare_share[s.at_work], s.childcare_hours[s.at_work] / (DAYS_PER_WEEK * le.awake_hours))
    assert (s.childcare_share[~s.at_work] == 0).all()
    assert (s.childcare_quality[s.at_work] == le.childcare_quality).all()


def test_supporters_leave_and_arrive_at_their_rates_and_never_in_the_partners_slot():
    leave, arrive = 0.5, 1.0
    sc, s = make_state(n=4000, scenario="community", seed=4, overrides={
        **OFF, "life_events.supporter_leaves_per_year": leave, "life_events.supporter_arrives_per_year": arrive})
    family = s.sup_exists & (s.sup_role == support.FAMILY)
    partner_before = s.sup_exists & (s.sup_role == support.PARTNER)
    size_before = s.support_size.astype(int).copy()
    # a fortnight: few slots change twice, so the counts follow the daily hazards
    days = 14
    live(s, sc, days)
    p_leave = 1.0 - np.exp(-leave * days / YEAR)
    within(s.supporters_lost.sum() / family.sum(), p_leave, np.sqrt(p_leave / family.sum()))
    free = ~s.sup_exists[:, :support.HEALTH_VISITOR_SLOT].all(axis=1)
    p_arrive = 1.0 - np.exp(-arrive * days / YEAR)
    within(s.supporters_gained[free].mean(), p_arrive, np.sqrt(p_arrive / free.sum()))
    # the partner stays where he was, no newcomer takes a health visitor's slot, the count follows
    assert ((s.sup_exists & (s.sup_role == support.PARTNER)) == partner_before).all()
    assert not s.sup_exists[:, support.HEALTH_VISITOR_SLOT].any()
    assert (s.support_size == s.sup_exists.sum(axis=1)).all()
    assert (s.support_size == size_before - s.supporters_lost + s.supporters_gained).all()
    newcomers = s.sup_exists & ~(family | partner_before)
    assert newcomers.any()
    assert ((s.sup_availability[newcomers] >= 0) & (s.sup_availability[newcomers] <= 1)).all()


def test_conflict_comes_and_goes_with_the_declared_rates():
    onset, end = 2.0, 6.0
    sc, s = make_state(n=3000, scenario="community", seed=5, overrides={
        **OFF, "life_events.conflict_onset_per_year": onset, "life_events.conflict_end_per_year": end,
        "support.partner": 1.0})
    partnered = (s.sup_exists & (s.sup_role == support.PARTNER)).any(axis=1)
    live(s, sc, YEAR)
    # a two-state process settles at onset / (onset + end) of the time in conflict (after ~1/(onset+end) years)
    settled = onset / (onset + end)
    assert abs(s.in_conflict[partnered].mean() - settled) < TOLERANCE_SE * np.sqrt(settled * (1 - settled)
                                                                                   / partnered.sum())
    assert not s.in_conflict[~partnered].any() and (s.conflict_days[~partnered] == 0).all()
    # the partner is kept away while in conflict, no one else
    kept = s.sup_kept_away > 0
    assert (kept.any(axis=1) == s.in_conflict).all()
    assert (s.sup_role[kept] == support.PARTNER).all()
    assert np.allclose(s.sup_kept_away[kept], sc.life_events.conflict_partner_away)


# ------------------------------------------------------------------ what events do
def test_separation_removes_the_partners_support_and_relief():
    over = {**SHORT, "simulation.months": 6, "simulation.assessment_ages": [6], "simulation.n_dyads": 400,
            "support.partner": 1.0, "life_events.separation_per_year": 2.0}
    split = AttachmentModel("community", overrides=over, seed=6)
    together = AttachmentModel("community", overrides={**over, "life_events.separation_per_year": 0.0}, seed=6)
    partner_slot = together.state.sup_role == support.PARTNER
    partner_days_after = 0
    while split.running:
        split.step()
        together.step()
        s, t = split.state, together.state
        after = s.separated
        # the partner is never there after the separation: support and relief come from the others only
        assert not (s.sup_present & partner_slot)[after].any()
        others = ((s.sup_present & ~partner_slot) * s.sup_quality).sum(axis=1)
        assert np.allclose(s.support_today[after], others[after])
        # on the same days the partner (same random numbers) was there in the run without separations,
        # and what the separated caregivers lost is exactly the partner's support
        partner_support = ((t.sup_present & partner_slot) * t.sup_quality).sum(axis=1)
        partner_days_after += int((partner_support[after] > 0).sum())
        assert np.allclose(s.support_today[after], t.support_today[after] - partner_support[after])
        expected_relief = np.minimum(split.params.support.max_relief,
                                     split.params.support.relief_share * s.support_today + s.childcare_share)
        assert np.allclose(s.relief_today, expected_relief)
    assert split.state.separated.mean() > 0.3 and partner_days_after > 1000
    assert (split.state.support_size == together.state.support_size - split.state.separated).all()


def test_childcare_adds_relief_within_the_cap_with_its_own_quality():
    sc, s = make_state(n=3000, scenario="community", seed=7)
    u = {"supporters": uniforms((s.n, MAX_SUPPORTERS), 8)}
    Support().step(today(s, sc, 100, u))
    without, quality_without = s.relief_today.copy(), s.relief_quality.copy()
    s.childcare_share[:] = np.linspace(0.0, 1.0, s.n)
    s.childcare_quality[:] = 0.6
    Support().step(today(s, sc, 100, u))
    assert (s.relief_today >= without).all() and s.relief_today.max() == sc.support.max_relief
    assert np.allclose(s.relief_today, np.minimum(sc.support.max_relief, without + s.childcare_share))
    care = s.childcare_share > 0
    low, high = np.minimum(quality_without, 0.6), np.maximum(quality_without, 0.6)
    alone = care & (without == 0)
    assert np.allclose(s.relief_quality[alone], 0.6)
    assert ((s.relief_quality[care] >= low[care] - 1e-12) & (s.relief_quality[care] <= high[care] + 1e-12)).all()
    assert (s.relief_quality[~care] == quality_without[~care]).all()


def test_with_every_rate_at_zero_the_component_changes_nothing():
    """Common random numbers: the component's draws come from its own stream, and with no event it
    touches no other component's numbers (the same table as without it in the plan)."""
    over = {**SHORT, "simulation.n_dyads": 80, "simulation.prenatal_days": 30,
            "interventions": [{"kind": "home_visiting", "start_day": 10}]}
    with_it = records.dyad_table(AttachmentModel("community", overrides={**over, **OFF}, seed=9).run())
    assert (with_it.life_events_n == 0).all() and not with_it.separated.any()
    PLAN.remove("life_events")
    try:
        without = records.dyad_table(AttachmentModel("community", overrides=over, seed=9).run())
    finally:
        PLAN.add(LifeEvents(), after="interventions")
    assert "separated" not in without and "life_events" in [c.name for c in PLAN.phase("caregiver")]
    pd.testing.assert_frame_equal(with_it[without.columns], without)
    # and a rate that is not zero does change the run
    changed = records.dyad_table(AttachmentModel("community", overrides={**over, **OFF,
                                                 "life_events.stressful_events_per_year": 3.0}, seed=9).run())
    assert not changed[without.columns].equals(without)


def test_newcomers_stay_in_the_network_while_an_intervention_rebuilds_availability():
    over = {**SHORT, "simulation.n_dyads": 300, **OFF, "life_events.supporter_arrives_per_year": 4.0,
            "interventions": [{"kind": "home_visiting", "start_day": 0}]}
    model = AttachmentModel("community", overrides=over, seed=10)
    start = model.state.sup_exists.copy()
    present_newcomer_days = 0
    while model.running:
        model.step()
        newcomers = model.state.sup_exists & ~start
        present_newcomer_days += int((model.state.sup_present & newcomers).sum())
    assert newcomers.sum() > 100
    # newcomers come with the network's availability (mean 0.4), raised by the programme: there on many days
    assert present_newcomer_days > 0.2 * newcomers.sum() * 30
    assert (model.state.sup_availability[newcomers] > 0).mean() > 0.9


def test_separated_caregivers_are_more_stressed_afterwards_than_the_same_caregivers_without_it():
    """Lawful change: the same dyads on the same random numbers, with and without separations."""
    over = {"simulation.months": 9, "simulation.assessment_ages": [9], "simulation.n_dyads": 1500,
            "support.partner": 1.0, "life_events.separation_per_year": 0.6}
    split = AttachmentModel("community", overrides=over, seed=11)
    together = AttachmentModel("community", overrides={**over, "life_events.separation_per_year": 0.0}, seed=11)
    stress_split, stress_together, days = np.zeros(split.n), np.zeros(split.n), np.zeros(split.n)
    while split.running:
        split.step()
        together.step()
        after = split.state.separated
        stress_split += np.where(after, split.state.stress, 0.0)
        stress_together += np.where(after, together.state.stress, 0.0)
        days += after
    separated = days > 0
    assert separated.sum() > 200
    difference = (stress_split - stress_together)[separated] / days[separated]
    se = difference.std(ddof=1) / np.sqrt(separated.sum())
    assert difference.mean() > TOLERANCE_SE * se, f"{difference.mean():.4f} (SE {se:.4f})"
    # those who did not separate lived exactly the same days in both runs (common random numbers)
    assert np.array_equal(split.state.stress[~separated], together.state.stress[~separated])
    # and the infants of those who did are less secure at the assessment: attachment follows the change in care
    security = (records.dyad_table(split).security - records.dyad_table(together).security).to_numpy()[separated]
    se = security.std(ddof=1) / np.sqrt(separated.sum())
    assert security.mean() < -TOLERANCE_SE * se, f"{security.mean():.4f} (SE {se:.4f})"


def test_day_columns_say_none_with_minus_one_never_nan():
    over = {**SHORT, "simulation.n_dyads": 200, "life_events.separation_per_year": 1.0}
    d = records.dyad_table(AttachmentModel("community", overrides=over, seed=12).run())
    columns = [c.name for c in LifeEvents.columns]
    assert list(d[columns].columns) == columns and not d[columns].isna().any().any()
    assert ((d.separation_day >= 0) == d.separated).all() and d.separated.any() and not d.separated.all()
    assert ((d.return_to_work_day >= 0) == d.returned_to_work).all() and d.returned_to_work.any()
    assert ((d.childcare_hours > 0) <= d.returned_to_work).all()
    assert ((d.life_event_first_day >= 0) == (d.life_events_n > 0)).all()
    assert ((d.conflict_first_day >= 0) == (d.conflict_episodes > 0)).all()
    assert d[columns].min().min() >= -1


def test_per_agent_path_runs_the_events_the_same_way():
    over = {**SHORT, "simulation.months": 2, "simulation.assessment_ages": [2], "simulation.n_dyads": 40,
            "life_events.separation_per_year": 3.0, "life_events.conflict_onset_per_year": 5.0,
            "life_events.supporter_arrives_per_year": 3.0, "life_events.supporter_leaves_per_year": 2.0,
            "life_events.return_month_mean": 1.0, "interventions": [{"kind": "home_visiting", "start_day": 10}]}
    vec = records.dyad_table(AttachmentModel("community", overrides=over, seed=13).run())
    agents = records.dyad_table(AttachmentModel("community", overrides=over, seed=13, per_agent=True).run())
    assert vec.separated.any() and vec.supporters_gained.any() and vec.returned_to_work.any()
    pd.testing.assert_frame_equal(vec, agents)

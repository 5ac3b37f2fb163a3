"""Two caregivers per infant (issue 18): households checked against simulations and independent figures."""

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.errors import ScenarioError
from simulation.model.components import household, support
from simulation.model.components.crying import MINUTES_PER_DAY
from simulation.model.engine import AttachmentModel
from simulation.model.params import trait_bounds
from simulation.scenario import load_scenario

SHORT = {"simulation.months": 4, "simulation.assessment_ages": [4], "simulation.observation_age_months": 2}


def test_the_per_agent_path_runs_the_same_rules_for_both_caregivers():
    over = {**SHORT, "household.two_caregivers": 0.6}
    vec = simulation.run("two_parents", n_dyads=50, seed=8, overrides=over).dyads
    per = simulation.run("two_parents", n_dyads=50, seed=8, overrides=over, per_agent=True).dyads
    pd.testing.assert_frame_equal(vec, per)
    assert 20 < (vec["caregivers"] == 2).sum() < 50
    assert vec.loc[vec["caregivers"] == 1, "attachment_cg2"].isna().all()


def test_second_caregivers_are_mesa_agents_beside_the_first():
    m = AttachmentModel("two_parents", n_dyads=30, seed=1, overrides={**SHORT, "household.two_caregivers": 0.5},
                        per_agent=True)
    two = np.flatnonzero(m.households.two)
    assert sorted(m.second_caregivers) == two.tolist()
    infant = m.infants[int(two[0])]
    first, second = infant.caregivers
    assert second.partner is first and second in [a for c in first.cell.neighborhood for a in c.agents]
    for _ in range(5):
        m.step()
    assert second.stress == m.households.state.stress[two[0]] and second.second_caregiver


def test_the_second_caregiver_answers_its_share_of_the_day():
    over = {"simulation.months": 7, "simulation.assessment_ages": [7], "simulation.observation_age_months": 6,
            "simulation.observation_days": 20, "risk.partner_conflict": 0.0, "life_events.conflict_onset_per_year": 0.0,
            "life_events.separation_per_year": 0.0}
    m = AttachmentModel("two_parents", n_dyads=400, seed=3, overrides=over).run()
    hh = m.params.household
    slots = m.params.simulation.episode_slots
    expected = round(hh.second_share * slots) / slots  # the share of the day's slots, from the parameters
    first, second = m.state.obs_bids.sum(), m.households.state.obs_bids.sum()
    # signals observed in each caregiver's slots (each relationship's own strategy moves its rate a little)
    assert abs(second / (first + second) - expected) < 0.04


def test_the_infant_learns_each_caregiver_from_that_caregivers_own_answers():
    rejecting = {"household.second": {"caregiver": {"rejection": 0.6}}}
    base = simulation.run("two_parents", n_dyads=400, seed=2).dyads
    d = simulation.run("two_parents", n_dyads=400, seed=2, overrides=rejecting).dyads
    assert (d["attachment_cg2"] == "A").mean() > (base["attachment_cg2"] == "A").mean() + 0.3
    # the relationship with the first caregiver is hers: it moves far less (only through the household)
    assert abs((d["attachment"] == "A").mean() - (base["attachment"] == "A").mean()) < 0.05


def test_in_a_two_caregiver_household_the_partner_supports_but_does_not_relieve():
    over = {**SHORT, "support.size": {"mean": 0.0, "sd": 0.0}, "support.partner_availability": 1.0}
    m = AttachmentModel("two_parents", n_dyads=200, seed=1, overrides=over)
    partner = m.state.sup_role == support.PARTNER
    assert (partner & m.state.sup_exists).any(axis=1).all()  # every household: its couple
    assert not (m.state.sup_relieves & partner & m.state.sup_exists).any()
    m.step()
    there = (m.state.sup_present & partner).any(axis=1)
    assert there.mean() > 0.5 and (m.state.support_today[there] > 0).all()  # the partner's support counts ...
    assert (m.state.relief_today == m.state.childcare_share).all()  # ... the partner's relief does not


def test_one_caregiver_scenarios_keep_their_tables_and_single_parents_have_no_partner():
    d = simulation.run("single_parent", n_dyads=100, seed=1, overrides=SHORT).dyads
    assert not [c for c in d.columns if c.endswith("_cg2") or c == "caregivers"]
    m = AttachmentModel("single_parent", n_dyads=100, seed=1, overrides=SHORT)
    assert m.households is None and not (m.state.sup_exists & (m.state.sup_role == support.PARTNER)).any()


def test_no_impossible_output_with_two_caregivers():
    over = {**SHORT, "infant.cry_minutes": 120.0, "infant.distress_bids_per_day": 30.0, "infant.crying_peak": 3.0}
    m = AttachmentModel("two_parents", n_dyads=100, seed=1, overrides=over)
    most = 0.0
    while m.running:
        m.step()
        if m.day > 0:
            total = household.infant_total(m, "cry_minutes_today")
            assert np.isfinite(total).all()
            most = max(most, float(total.max()))
    assert most <= MINUTES_PER_DAY and most > MINUTES_PER_DAY / 2  # the cap binds, over both caregivers' slots
    for name in ("attention", "responsiveness", "rejection", "repair"):
        low, high = trait_bounds(m.households.params.caregiver, name)
        values = getattr(m.households.state, name)
        assert ((values >= low) & (values <= high)).all()
    d = simulation.run("two_parents", n_dyads=100, seed=1, overrides=SHORT).dyads
    assert d["security_cg2"].notna().all() and d["attachment_cg2"].isin(list("ABCD")).all()


def test_the_second_caregiver_is_drawn_independently_and_the_infant_is_the_same():
    m = AttachmentModel("two_parents", n_dyads=2000, seed=5, overrides=SHORT)
    s1, s2 = m.state, m.households.state
    assert abs(np.corrcoef(s1.base_responsiveness, s2.base_responsiveness)[0, 1]) < 0.06  # own draws
    for name in household.INFANT_FIELDS:
        assert np.array_equal(getattr(s1, name), getattr(s2, name))
    for f in household.SHARED_FACTORS:
        assert np.array_equal(getattr(s1, f"risk_{f}"), getattr(s2, f"risk_{f}"))
    # the second caregivers' earlier depression is their own, at the scenario's prevalence
    expected = m.households.params.risk.prior_depression
    assert abs(s2.risk_prior_depression.mean() - expected) < 0.03
    # common random numbers: the first caregivers' traits are those of the one-caregiver community
    base = AttachmentModel("community", n_dyads=2000, seed=5, overrides=SHORT).state
    assert np.array_equal(base.negative_emotionality, s1.negative_emotionality)


def test_interventions_target_a_caregiver():
    video = {"kind": "video_feedback", "start_day": 30}
    for target, first, second in (("second", False, True), ("primary", True, False), ("both", True, True)):
        d = simulation.run("two_parents", n_dyads=40, seed=1,
                           overrides={**SHORT, "interventions": [{**video, "target_caregiver": target}]}).dyads
        offered, offered_cg2 = d["offered_video_feedback"], d["offered_video_feedback_cg2"].astype(bool)
        assert bool(offered.all()) == bool(offered.any()) == first
        assert bool(offered_cg2.all()) == bool(offered_cg2.any()) == second


def test_a_trial_with_fathers_reports_effects_on_both_relationships():
    from simulation.study import trial
    r = trial.scenario_trial("video_feedback_fathers_trial", n_dyads=200, seed=1, reps=200,
                             overrides=SHORT)
    outcomes = set(r.effects["outcome"])
    assert {"observed_sensitivity", "security", "secure", "observed_sensitivity_cg2", "security_cg2",
            "secure_cg2"} <= outcomes


def test_bad_household_input_is_one_clear_error():
    with pytest.raises(ScenarioError, match=r"household\.second.*responsivness"):
        AttachmentModel("two_parents", n_dyads=10, overrides={"household.second": {"caregiver": {"responsivness": 0.9}}})
    with pytest.raises(ScenarioError, match=r"household\.second.*support.*allowed: caregiver, history, risk, "
                                            r"depression"):
        load_scenario("two_parents", {"household.second": {"support": {"size": 1.0}}})
    with pytest.raises(ScenarioError, match=r"target_caregiver.*household\.two_caregivers = 0"):
        load_scenario("community", {"interventions": [{"kind": "video_feedback", "target_caregiver": "second"}]})
    with pytest.raises(ScenarioError, match=r"household\.two_caregivers.*1\.5"):
        load_scenario("two_parents", {"household.two_caregivers": 1.5})


def test_a_second_caregiver_with_no_share_of_the_care_answers_nothing():
    over = {**SHORT, "household.second_share": 0.0, "household.second_share_newborn": 0.0}
    m = AttachmentModel("two_parents", n_dyads=200, seed=1, overrides=over).run()
    assert m.households.state.obs_bids.sum() == 0 and m.households.state.cry_early.sum() == 0
    assert m.state.obs_bids.sum() > 0


def test_the_second_caregiver_is_set_from_the_command_line_as_dotted_keys():
    sc = load_scenario("depressed_mother_sensitive_father", {"household.second.caregiver.rejection": 0.2,
                                                             "household.second.risk.prior_depression": 0.3})
    second = sc.household.second
    assert second["caregiver"]["rejection"] == 0.2 and second["caregiver"]["responsiveness"] == 0.92
    assert second["risk"] == {"prior_depression": 0.3}
    m = AttachmentModel(sc, n_dyads=400, seed=1, overrides=SHORT)
    assert abs(m.households.state.risk_prior_depression.mean() - 0.3) < 0.07
    assert m.households.params.caregiver.rejection.mean == 0.2

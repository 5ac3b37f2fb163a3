"""interventions: the registry, the schedule of an effect, its application; in a running model a no-op
changes nothing, one dyad's changes no other, who is offered, a health visitor's stay, bad input. Their
effects on outcomes, virtual trials and timing are population checks (tests/population/test_interventions.py)."""

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.model.components import interventions, support
from simulation.scenario import ScenarioError, load_scenario

from helpers import make_state


def test_every_kind_declares_known_effects_and_a_source():
    for name, kind in interventions.KINDS.items():
        assert kind.name == name and kind.source and kind.summary
        assert set(kind.effects) <= set(interventions.EFFECT_KEYS)


def test_level_builds_up_then_lasts_or_wears_off():
    sc = load_scenario("good_enough", {"interventions": [
        {"kind": "video_feedback", "start_day": 10, "duration_days": 10},
        {"kind": "bias_training", "start_day": 10, "duration_days": 10, "half_life_days": 20.0}]})
    lasting, waning = interventions.resolved(sc)
    assert lasting.level(9) == 0 and lasting.level(14) == pytest.approx(0.5) and lasting.level(19) == 1
    assert lasting.level(500) == 1.0
    assert waning.level(39) == pytest.approx(0.5) and waning.level(59) == pytest.approx(0.25)


def test_effects_apply_by_mode_within_bounds():
    sc, s = make_state(n=100, scenario=load_scenario("good_enough", {"interventions": [
        {"kind": "video_feedback", "start_day": 0, "duration_days": 1, "adherence": 1.0, "gain_sd": 0.0,
         "effects": {"repair": 5.0, "reactivity": -0.5}}]}))
    interventions.apply(s, sc, 0)
    assert (s.repair == 1.0).all()  # added, clipped to the trait's range
    assert np.allclose(s.reactivity, 0.5 * s.base_reactivity)  # relative
    assert (s.responsiveness > s.base_responsiveness).all()  # the kind's default, on the logit scale


def test_an_unknown_kind_is_one_clear_error_listing_the_registry():
    with pytest.raises(ScenarioError, match="interventions.0.kind.*allowed: bias_training, video_feedback"):
        load_scenario("good_enough", {"interventions": [{"kind": "video_feedbak"}]})


SIX = {"simulation.months": 6, "simulation.assessment_ages": [6], "simulation.observation_age_months": 3}


def run(interventions_=(), n=400, scenario="community", **over):
    return simulation.run(scenario, n_dyads=n, seed=5, overrides={**SIX, **over, "interventions": list(interventions_)}).dyads


def same(a, b):
    return ((a == b) | (a.isna() & b.isna())).all(axis=1)


def test_an_intervention_that_does_nothing_changes_nothing():
    control = run()
    noop = run([{"kind": "video_feedback", "start_day": 30,
                 "effects": {"responsiveness": 0, "accuracy": 0, "repair": 0, "rejection": 0}}])
    pd.testing.assert_frame_equal(control, noop[control.columns])
    nobody = run([{"kind": "video_feedback", "start_day": 30, "adherence": 0.0}])
    pd.testing.assert_frame_equal(control, nobody[control.columns])


def test_an_intervention_for_one_dyad_changes_no_other():
    control = run()
    one = run([{"kind": "video_feedback", "start_day": 30, "dyads": [17]}])[control.columns]
    changed = np.nonzero(~same(control, one).to_numpy())[0]
    assert list(changed) == [17]


def test_targets_select_who_is_offered():
    m = simulation.AttachmentModel("community", n_dyads=800, seed=2, overrides={"interventions": [
        {"kind": "video_feedback", "name": "vf_high", "target": "high_risk", "high_risk_min": 2},
        {"kind": "bias_training", "name": "bt_prior", "target": "prior_depression", "start_day": -60}]})
    s = m.state
    assert np.array_equal(s.iv_offered[:, 0], s.risk_count >= 2)
    assert np.array_equal(s.iv_offered[:, 1], s.risk_prior_depression)
    assert (s.iv_dose[~s.iv_offered[:, 0], 0] == 0).all()
    assert 0.7 < s.iv_dose[s.iv_offered[:, 0], 0].mean() < 0.95  # adherence 0.85


def test_home_visiting_brings_a_health_visitor_for_its_duration():
    over = {"interventions": [{"kind": "home_visiting", "start_day": 0, "duration_days": 60}]}
    m = simulation.AttachmentModel("community", n_dyads=300, seed=1, overrides={**SIX, **over})
    hv = support.HEALTH_VISITOR_SLOT
    assert not m.state.sup_exists[:, hv].any()
    while m.day < 30:
        m.step()
    assert m.state.sup_exists[:, hv].mean() > 0.9
    assert (m.state.sup_role[m.state.sup_exists[:, hv], hv] == support.HEALTH_VISITOR).all()
    while m.day < 90:
        m.step()
    assert not m.state.sup_exists[:, hv].any()


def test_bad_intervention_input_is_one_clear_error():
    with pytest.raises(ScenarioError, match="interventions.0.kind"):
        load_scenario("community", {"interventions": [{"kind": "yoga"}]})
    with pytest.raises(ScenarioError, match="did you mean 'reactivity'"):
        load_scenario("community", {"interventions": [{"kind": "bias_training", "effects": {"reactivty": -0.2}}]})
    with pytest.raises(ScenarioError, match="before the simulated calendar"):
        load_scenario("good_enough", {"interventions": [{"kind": "bias_training", "start_day": -30}]})


    # the sample size for 80% power is checked against exact and simulated power in test_power.py


# ------------------------------------------------------------------ training as feedback learning
def bayesian_share(sessions: int, gain: float, half: float) -> float:
    """Share of the way to the feedback's boundary after ``sessions`` conjugate normal updates: prior
    variance ``gain`` (in units of the typical prior's), each session's evidence variance ``half``."""
    mean, var = 0.0, gain
    for _ in range(sessions):
        precision = 1.0 / var + 1.0 / half
        mean, var = (mean / var + 1.0 / half) / precision, 1.0 / precision
    return mean


def test_learning_is_a_session_by_session_bayesian_update():
    """``learned`` against an independent calculation: a normal prior on the boundary centred on the
    trainee's own (variance ``g`` in units of the typical prior's), then, session after session, a
    conjugate normal update on feedback placing the boundary at the feedback's (variance ``h``)."""
    for gain in (0.2, 1.0, 3.0):
        for half in (2.0, 11.1):
            for k in range(17):
                got = interventions.learned(np.array([float(k)]), np.array([gain]), half)[0]
                assert got == pytest.approx(bayesian_share(k, gain, half), abs=1e-12)


def test_the_shift_a_training_teaches_does_not_depend_on_where_the_trainee_started():
    """The feedback is set from each trainee's own boundary (Penton-Voak et al. 2013): trainees who
    attended as much and are as open to it move as far, whatever their bias before."""
    sc, s = make_state(n=200, scenario=load_scenario("good_enough", {"interventions": [
        {"kind": "bias_training", "start_day": 0, "duration_days": 14, "sessions": 8, "adherence": 1.0,
         "gain_sd": 0.0, "effects": {"reactivity": 0.0}}]}))
    s.base_negative_bias[:] = np.linspace(-0.3, 0.3, s.n)
    s.iv_offered[:, 0], s.iv_dose[:, 0], s.iv_gain[:, 0] = True, 1.0, 1.0
    interventions.apply(s, sc, 13)  # the last day of sessions
    moved = s.negative_bias - s.base_negative_bias
    kind = interventions.KINDS["bias_training"]
    assert np.allclose(moved, moved[0]) and moved[0] < 0
    # 8 sessions at gain 1, as eight Bayesian updates would leave her, wearing off after the end
    assert moved[0] == pytest.approx(kind.feedback_shift * bayesian_share(8, 1.0, kind.sessions_to_half))
    interventions.apply(s, sc, 13 + 365)
    assert np.allclose(s.negative_bias - s.base_negative_bias, moved[0] / 2)


def test_fewer_sessions_teach_less_and_each_new_session_teaches_less_than_the_one_before():
    sc, s = make_state(n=17, scenario=load_scenario("good_enough", {"interventions": [
        {"kind": "bias_training", "start_day": 0, "duration_days": 16, "sessions": 16, "adherence": 1.0}]}))
    s.iv_offered[:, 0], s.iv_gain[:, 0] = True, 1.0
    s.iv_dose[:, 0] = np.arange(s.n) / 16  # 0 to 16 sessions attended
    interventions.apply(s, sc, 15)
    moved = -(s.negative_bias - s.base_negative_bias)
    steps = np.diff(moved)
    assert moved[0] == 0 and (steps > 0).all() and (np.diff(steps) < 0).all()


def test_a_feedback_shift_without_a_learning_rate_is_one_clear_error():
    with pytest.raises(ScenarioError, match="feedback_shift.*sessions_to_half"):
        load_scenario("good_enough", {"interventions": [{"kind": "video_feedback", "feedback_shift": -0.2}]})
    sc = load_scenario("good_enough", {"interventions": [
        {"kind": "video_feedback", "feedback_shift": -0.2, "sessions_to_half": 4.0}]})
    assert interventions.resolved(sc)[0].feedback_shift == -0.2

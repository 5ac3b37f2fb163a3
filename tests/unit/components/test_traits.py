"""traits: each dyad's caregiver traits and infant temperament, drawn from the scenario's distributions."""

import numpy as np

from simulation.model.components.traits import CaregiverTraits, Traits, draw_trait
from simulation.model.params import trait_bounds
from simulation.scenario import load_scenario

from helpers import make_state


def test_traits_follow_their_distribution_within_bounds():
    sc, s = make_state(n=20000, overrides={"risk.effect_scale": 0.0})
    d = sc.caregiver.responsiveness
    assert abs(s.responsiveness.mean() - d.mean) < 0.003 and abs(s.responsiveness.std() - d.sd) < 0.003
    for name in CaregiverTraits.model_fields:
        low, high = trait_bounds(sc.caregiver, name)
        assert low <= getattr(s, name).min() and getattr(s, name).max() <= high


def test_a_dyad_keeps_its_quantile_when_the_mean_moves():
    # common random numbers: the same z for the same dyad whatever the scenario
    a = draw_trait(7, load_scenario("good_enough").caregiver, "caregiver", "repair", 500)
    b = draw_trait(7, load_scenario("good_enough", {"caregiver.repair": 0.6}).caregiver, "caregiver", "repair", 500)
    inside = (a > 0.05) & (a < 0.95) & (b > 0.05) & (b < 0.95)
    assert np.allclose((a - b)[inside], 0.8 - 0.6)


def test_traits_are_reported_before_any_intervention():
    sc = load_scenario("good_enough", {"simulation.n_dyads": 30, "simulation.months": 3,
                                       "simulation.assessment_ages": [3], "simulation.observation_age_months": 1,
                                       "interventions": [{"kind": "video_feedback", "start_day": 0}]})
    from simulation import AttachmentModel
    model = AttachmentModel(sc, seed=1).run()
    cols = Traits().table(model)
    assert np.array_equal(cols["cg_responsiveness"], model.state.base_responsiveness)
    assert not np.array_equal(cols["cg_responsiveness"], model.state.responsiveness)
    assert set(cols) >= {"cg_attention", "cg_unresolved", "inf_negative_emotionality"}

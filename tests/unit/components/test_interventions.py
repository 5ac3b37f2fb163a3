"""interventions: the registry, the schedule of an effect, its application."""

import numpy as np
import pytest

from simulation.model.components import interventions
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

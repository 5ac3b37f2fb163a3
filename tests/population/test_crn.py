"""Common random numbers: a dyad's draws depend only on the seed and its row.

Not on the population size (a run of N dyads equals the first N dyads of a larger run), nor, for
interventions, on the number of sessions or the order in which interventions are listed; and two
scenarios compared get the same infants and the same caregiver quantiles.
"""

import numpy as np
import pytest
from scipy import stats

import golden_tables as golden
from helpers import SHORT
import simulation
from simulation import AttachmentModel, run
from simulation.scenario import available_scenarios


@pytest.mark.parametrize("name", available_scenarios())
def test_a_smaller_population_is_the_start_of_a_larger_one(name):
    small = run(name, n_dyads=15, seed=3, overrides=SHORT).dyads
    large = run(name, n_dyads=45, seed=3, overrides=SHORT).dyads.iloc[:15].reset_index(drop=True)
    assert golden.differences(small, large) == []


def _intervention_draws(interventions, n=300):
    model = AttachmentModel("community", n_dyads=n, seed=5, overrides={**SHORT, "interventions": interventions})
    return model.state.iv_dose.copy(), model.state.iv_gain.copy()


def test_intervention_draws_do_not_depend_on_sessions_or_order():
    vf = {"kind": "video_feedback", "start_day": 10}
    hv = {"kind": "home_visiting", "start_day": 0}
    dose, gain = _intervention_draws([vf, hv])
    # the order of the list does not matter: each intervention's draws follow its name
    dose_swapped, gain_swapped = _intervention_draws([hv, vf])
    np.testing.assert_array_equal(gain[:, 0], gain_swapped[:, 1])
    np.testing.assert_array_equal(dose[:, 1], dose_swapped[:, 0])
    # more sessions: the same gain, and attendance coupled (a dyad keeps its rank: the share
    # attended moves together, not at random)
    dose_more, gain_more = _intervention_draws([{**vf, "sessions": 12}, hv])
    np.testing.assert_array_equal(gain[:, 0], gain_more[:, 0])
    r = np.corrcoef(dose[:, 0], dose_more[:, 0])[0, 1]
    assert r > 0.8, r
    # a different adherence keeps everyone's rank too: nobody attends less when adherence rises
    dose_keen, _ = _intervention_draws([{**vf, "adherence": 0.95}, hv])
    assert (dose_keen[:, 0] >= dose[:, 0]).all() and dose_keen[:, 0].mean() > dose[:, 0].mean()


def test_attendance_is_binomial():
    """The share attended follows Binomial(sessions, adherence): mean and variance (300 dyads)."""
    dose, _ = _intervention_draws([{"kind": "video_feedback", "sessions": 10, "adherence": 0.7}], n=4000)
    attended = dose[:, 0] * 10
    assert attended.mean() == pytest.approx(7.0, abs=0.08)        # SE ~ 0.023
    assert attended.var() == pytest.approx(10 * 0.7 * 0.3, rel=0.1)


def test_common_random_numbers_across_scenarios():
    res = simulation.compare(["good_enough", "rejecting"], n_dyads=60, seed=2, overrides=SHORT)
    ge = res.dyads[res.dyads.scenario == "good_enough"].reset_index(drop=True)
    rj = res.dyads[res.dyads.scenario == "rejecting"].reset_index(drop=True)
    # the same infants (temperament) and the same caregiver quantiles
    assert np.array_equal(ge["inf_negative_emotionality"], rj["inf_negative_emotionality"])
    rank_ge = ge["cg_rejection"].rank()
    rank_rj = rj["cg_rejection"].rank()
    assert stats.spearmanr(rank_ge, rank_rj)[0] > 0.99

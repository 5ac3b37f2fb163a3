"""observation: Ainsworth's sensitivity scale scored from what the caregiver did."""

import numpy as np

from simulation.measures.observation import observed_sensitivity

from helpers import make_state


def test_observed_sensitivity_reads_behaviour_not_parameters():
    sc, s = make_state(n=3)
    s.obs_bids[:] = [20, 20, 20]
    s.obs_appropriate[:] = [20, 10, 2]
    s.obs_prompt[:] = [20, 5, 0]
    s.obs_insensitive[:] = [0, 2, 10]
    score = observed_sensitivity(s, sc.assessment.model_copy(update={"coder_noise": 0.0}), np.full(3, 0.5))
    assert score[0] == 9.0 and score[2] == 1.0 and 1 < score[1] < 9
    s.obs_bids[:] = 0
    assert np.isnan(observed_sensitivity(s, sc.assessment.model_copy(update={"coder_noise": 0.0}), np.full(3, 0.5))).all()


def test_coder_error_scatters_around_the_true_score():
    sc, s = make_state(n=4000)
    s.obs_bids[:] = 20
    s.obs_appropriate[:] = 10
    s.obs_prompt[:] = 10
    s.obs_insensitive[:] = 0
    u = np.random.default_rng(0).random(4000)
    score = observed_sensitivity(s, sc.assessment, u)
    exact = 1 + 8 * (0.7 * 0.5 + 0.3 * 0.5)  # the scale's formula worked by hand: 5.0
    assert abs(score.mean() - exact) < 0.05 and 0.4 < score.std() < 0.7

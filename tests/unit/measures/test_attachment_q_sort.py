"""The observer Attachment Q-Sort: a forced 9 x 10 sort correlated with the criterion sort."""

import numpy as np

from simulation.measures import attachment_q_sort as aqs
from simulation.measures.strange_situation import security_index

from helpers import make_state


def test_a_child_neither_like_nor_unlike_the_prototype_scores_like_chance():
    # with no likeness the sort is random: the correlation of two random rankings of 90 items has
    # mean 0 and SD 1 / sqrt(89) (an independent fact about rank correlations)
    sc, s = make_state(n=4000)
    params = sc.assessment.model_copy(update={"aqs_likeness_per_security": 0.0})
    z = np.random.default_rng(1).standard_normal((s.n, aqs.ITEMS))
    score = aqs.q_sort(s, params, z)
    assert abs(score.mean()) < 0.01
    assert abs(score.std() - 1 / np.sqrt(aqs.ITEMS - 1)) < 0.01


def test_more_secure_working_models_sort_closer_to_the_criterion():
    sc, s = make_state(n=3000)
    s.availability[:] = np.linspace(0.05, 0.95, s.n)
    s.expected_rejection[:] = np.linspace(0.6, 0.0, s.n)
    z = np.random.default_rng(2).standard_normal((s.n, aqs.ITEMS))
    score = aqs.q_sort(s, sc.assessment, z)
    assert np.corrcoef(security_index(s), score)[0, 1] > 0.5
    assert (score >= -1).all() and (score <= 1).all() and np.isfinite(score).all()
    # the forced sort: every child's piles hold ten items each, so the score is a rank correlation
    assert score[-300:].mean() > score[:300].mean() + 0.1

"""questionnaire: an EPDS-like score that reads depression."""

import numpy as np

from simulation.measures.questionnaire import questionnaire

from helpers import make_state, uniforms

N = 3000


def test_questionnaire_reads_depression():
    sc, s = make_state(n=N, scenario="community", seed=7)
    s.depression[:] = np.where(np.arange(N) % 2 == 0, 1.0, 0.0)
    s.stress[:] = 0.2
    score = questionnaire(s, sc.depression, uniforms(N))
    cut = sc.depression.cutoff
    assert (score[::2] >= cut).mean() > 0.9 and (score[1::2] >= cut).mean() < 0.02
    assert score.min() >= 0 and score.max() <= 30

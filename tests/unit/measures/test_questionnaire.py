"""questionnaire: an EPDS-like score that reads depression."""

import numpy as np

from simulation.measures.questionnaire import questionnaire

from helpers import make_state, uniforms


def test_questionnaire_reads_depression():
    sc, well = make_state(n=3000, depression=0.0, stress=0.1)
    _, low = make_state(n=3000, depression=1.0, stress=0.5)
    u = uniforms(3000)
    a, b = questionnaire(well, sc.depression, u), questionnaire(low, sc.depression, u)
    cutoff = sc.depression.cutoff
    assert (a >= cutoff).mean() < 0.02 and (b >= cutoff).mean() > 0.95
    assert a.min() >= 0 and b.max() <= 30 and np.all(a == np.round(a))

"""wellbeing: fatigue and stress."""

import numpy as np

from helpers import make_state, start_day, uniforms


def test_unsoothed_crying_raises_stress():
    sc, s = make_state(stress=0.1)
    before = s.stress.copy()
    s.unsoothed_minutes[:] = np.linspace(0, 180, s.n)
    start_day(s, sc, 100, uniforms((s.n, 2)))
    assert np.corrcoef(s.unsoothed_minutes, s.stress - before)[0, 1] > 0.9


def test_crying_tires_and_fatigue_saturates():
    sc, s = make_state(fatigue=0.0)
    s.cry_minutes_today[:] = np.linspace(0, 1440, s.n)
    for day in range(200):
        start_day(s, sc, 100, uniforms((s.n, 2), seed=day))
    assert s.fatigue[0] == 0.0 and s.fatigue[-1] == 1.0
    assert np.all(np.diff(s.fatigue) >= 0)
    # 3 h a day sustained brings fatigue to 1 (Wessel's threshold of excessive crying)
    assert s.fatigue[np.searchsorted(s.cry_minutes_today, 185.0)] > 0.99


def test_support_present_buffers_stress():
    sc, alone = make_state(stress=0.0, support_today=0.0, unsoothed_minutes=60.0)
    _, helped = make_state(stress=0.0, support_today=2.0, unsoothed_minutes=60.0)
    for s in (alone, helped):
        start_day(s, sc, 100, uniforms((s.n, 2)))
    assert helped.stress.mean() < 0.7 * alone.stress.mean()

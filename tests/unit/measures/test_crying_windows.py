"""crying_windows: mean crying minutes a day over the cited studies' windows."""

import numpy as np

from simulation.measures.crying_windows import WINDOWS, CryingWindows, window_days

from helpers import make_state, today


def test_windows_count_exactly_their_days():
    # weeks 0-6 are days 0-41, weeks 10-12 days 70-83 (Wolke et al. 2017); months 0-3 end at day 91
    assert window_days(WINDOWS["weeks_0_6"]) == (0, 42) and window_days(WINDOWS["weeks_10_12"]) == (70, 84)
    assert window_days(WINDOWS["early"]) == (0, 91)
    sc, s = make_state(n=3)
    m = CryingWindows()
    for day in range(400):
        m.observe(today(s, sc, day, minutes=np.array([10.0, 20.0, float(day)])))
    assert list(s.days_weeks_0_6) == [42] * 3 and list(s.days_late) == [365 - 274] * 3
    class Model:
        state = s
    cols = m.table(Model)
    assert np.allclose(cols["crying_weeks_0_6"], [10, 20, np.mean(range(42))])
    assert np.allclose(cols["crying_late"], [10, 20, np.mean(range(274, 365))])


def test_a_window_not_reached_is_missing_not_zero():
    sc, s = make_state(n=2)
    class Model:
        state = s
    assert np.isnan(CryingWindows().table(Model)["crying_late"]).all()

"""Effect sizes of the virtual trials (simulation/study/effects.py), against known truths."""

import numpy as np
import pandas as pd

from simulation.study import effects


def _arms(n, shift_first, shift_second, correlation, seed):
    """Two outcomes per dyad, correlated within a dyad; the treated arm shifted by known SDs."""
    rng = np.random.default_rng(seed)
    cov = [[1.0, correlation], [correlation, 1.0]]
    treated = rng.multivariate_normal([shift_first, shift_second], cov, n)
    control = rng.multivariate_normal([0.0, 0.0], cov, n)
    as_frame = lambda a: pd.DataFrame({"first": a[:, 0], "second": a[:, 1]})  # noqa: E731
    return as_frame(treated), as_frame(control)


def test_the_difference_of_two_effects_has_a_ci_that_covers_the_truth():
    # true d 0.5 and 0.2: the difference is 0.3. With a within-dyad correlation of 0.6 the SE of the
    # difference is about sqrt(2 * 2 * (1 - 0.6) / n) = 0.028 at n = 2,000 (independent calculation,
    # ignoring the small d terms), so the 95% CI is about +-0.055 wide each side.
    treated, control = _arms(2000, 0.5, 0.2, 0.6, seed=1)
    est, lo, hi = effects.difference_of_d(treated, control, "first", "second", seed=1, reps=400)
    assert lo < 0.3 < hi and lo > 0
    assert 0.07 < hi - lo < 0.16, (lo, hi)
    assert np.isfinite([est, lo, hi]).all()


def test_no_difference_gives_a_ci_around_zero():
    treated, control = _arms(1500, 0.3, 0.3, 0.5, seed=2)
    est, lo, hi = effects.difference_of_d(treated, control, "first", "second", seed=2, reps=400)
    assert lo < 0 < hi and abs(est) < 0.1

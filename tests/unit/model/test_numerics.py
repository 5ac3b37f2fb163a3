"""Numerical helpers: the cheaper forms give the textbook numbers."""
import numpy as np
from scipy.special import expit, logit

from simulation.model import numerics


def test_shift_logit_is_the_logistic_of_the_shifted_logit():
    rng = np.random.default_rng(8)
    p = np.concatenate([rng.random(10_000), [0.0, 1.0, 1e-9, 1 - 1e-9, 0.5]])
    for shift in (rng.normal(0, 3, p.size), 0.0, -2.5, 40.0, -40.0):
        want = expit(logit(np.clip(p, numerics.LOGIT_GUARD, 1 - numerics.LOGIT_GUARD)) + shift)
        np.testing.assert_allclose(numerics.shift_logit(p, shift), want, rtol=1e-12, atol=1e-300)
    # extreme shifts stay finite probabilities (no overflow to inf / inf)
    out = numerics.shift_logit(p, np.full(p.size, 1e4))
    assert np.isfinite(out).all() and (out == 1.0).all()
    out = numerics.shift_logit(p, np.full(p.size, -1e4))
    assert np.isfinite(out).all() and (out >= 0).all() and (out < 1e-300).all()

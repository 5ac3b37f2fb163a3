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


def test_the_compiled_normal_quantile_is_scipys_on_every_draw():
    # ndtri32 (called from the compiled kernels) must give scipy's float32 ndtri bit for bit on every
    # value streams.uniforms can draw: the odd multiples (2k + 1) * 2**-25 of k < 2**24, rounded to
    # float32 as streams.uniforms rounds them, the largest kept below 1
    import numba
    from scipy.special import ndtri

    @numba.njit
    def quantiles(u, out):
        for i in range(u.size):
            out[i] = numerics.ndtri32(u[i])

    u = (2 * np.arange(2 ** 24, dtype=np.int64) + 1).astype(np.float32) * np.float32(2.0 ** -25)
    u[-1] = np.float32(1.0 - 2.0 ** -24)  # (the largest draw stays below 1: streams.uniforms)
    assert u.dtype == np.float32 and u.min() > 0 and u.max() < 1
    mine = np.empty_like(u)
    quantiles(u, mine)
    want = ndtri(u)
    assert want.dtype == np.float32
    np.testing.assert_array_equal(mine.view(np.int32), want.view(np.int32))

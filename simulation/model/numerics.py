"""Numerical helpers shared by the components (no behavioural numbers here)."""

from __future__ import annotations

import numba
import numpy as np
from llvmlite import binding as _llvm
from numba import types as _types
from numba.extending import get_cython_function_address

LOGIT_GUARD = 1e-6
"""Probabilities are kept this far from 0 and 1 before taking a logit (numerical, not behavioural)."""


LARGEST_SHIFT = 700.0
"""A logit shift is capped here before its exponential (numerical: exp overflows past 709.8; a shift of
700 already takes any probability above ``LOGIT_GUARD`` to 1)."""


def shift_logit(p: np.ndarray, shift) -> np.ndarray:
    """The probability ``p`` moved by ``shift`` on the logit scale (``p`` of 0 or 1 kept finite):
    ``expit(logit(p) + shift)``, computed as the odds ``p e^shift`` over ``1 - p + p e^shift`` (the
    same number to rounding, a third cheaper: a unit test checks the two agree)."""
    kept = np.clip(p, LOGIT_GUARD, 1.0 - LOGIT_GUARD)
    odds = kept * np.exp(np.minimum(shift, LARGEST_SHIFT))
    return odds / (1.0 - kept + odds)


_llvm.add_symbol("securebase_scipy_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
scipy_ndtri = _types.ExternalFunction("securebase_scipy_ndtri", _types.float64(_types.float64))
"""scipy's own normal quantile (``scipy.special.ndtri``: the same compiled function), callable from the
compiled kernels (``numba.njit``). Bound by its symbol name, not its address, so that numba's on-disk
cache of a kernel stays valid in a new process."""


@numba.njit(cache=True, nogil=True, inline="always")
def ndtri32(u) -> np.float32:
    """``scipy.special.ndtri`` of a float32 draw as scipy gives it for a float32 array: in double,
    rounded to float32 (a unit test checks all 2**24 draws that ``streams.uniforms`` makes).

    (numba's on-disk cache of a kernel that calls this does not notice a change here, in another
    file: after changing it, delete the ``*.nbi`` and ``*.nbc`` files under ``simulation/``.)"""
    return np.float32(scipy_ndtri(np.float64(u)))

"""Numerical helpers shared by the components (no behavioural numbers here)."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit

LOGIT_GUARD = 1e-6
"""Probabilities are kept this far from 0 and 1 before taking a logit (numerical, not behavioural)."""


def shift_logit(p: np.ndarray, shift) -> np.ndarray:
    """The probability ``p`` moved by ``shift`` on the logit scale (``p`` of 0 or 1 kept finite)."""
    return expit(logit(np.clip(p, LOGIT_GUARD, 1.0 - LOGIT_GUARD)) + shift)

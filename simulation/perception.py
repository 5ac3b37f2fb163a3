"""The caregiver notices a signal and reads it, through an interpretation bias.

- Noticing: a fuss, a smile or a face is noticed with the caregiver's attention today; a cry is
  louder, so it gets two chances. Attention falls with stress and fatigue (see ``wellbeing``).
- Reading: the caregiver perceives a face's valence as its true valence minus their negative
  bias plus reading noise. Mothers at risk of depression read ambiguous and even happy infant
  faces as more negative (Pearson et al. 2010; Bjertrup et al. 2023); depressed mothers are
  less accurate at recognising infant happiness (Arteche et al. 2011). A face read as
  negative draws a soothing (mismatched, intrusive) answer instead of shared delight, and adds
  to the caregiver's perceived distress.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from .signals import CRY

READ_THRESHOLD = 0.3
"""A perceived valence below -0.3 reads as distress, above +0.3 as delight, between as neutral."""


def notice_probabilities(attention_today: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per caregiver: the probability of noticing a fuss, a smile or a face, and a cry (two chances)."""
    return attention_today, 1.0 - (1.0 - attention_today) ** 2


def notice_probability(kind: np.ndarray, attention_today: np.ndarray) -> np.ndarray:
    """The probability of noticing each signal (dyads, slots)."""
    quiet, loud = notice_probabilities(attention_today)
    return np.where(kind == CRY, loud[:, None], quiet[:, None])


def perceived_valence(true_valence: np.ndarray, negative_bias: np.ndarray, noise_sd: float,
                      u_read: np.ndarray) -> np.ndarray:
    """How the caregiver reads the signal's valence (-1 distress .. +1 delight)."""
    return true_valence - negative_bias[:, None] + noise_sd * ndtri(u_read)


def reads_negative(perceived: np.ndarray) -> np.ndarray:
    return perceived < -READ_THRESHOLD


def reads_positive(perceived: np.ndarray) -> np.ndarray:
    return perceived > READ_THRESHOLD

"""The infant's working model of its caregiver, and the attachment strategy it adopts.

Each day the infant updates, from its distress bids (attachment behaviour is activated by
distress: Bowlby 1969; sensitivity to distress, not to non-distress, predicts security:
McElwain & Booth-LaForce 2006):

- *availability*: the expected share of bids soothed **contingently** (answers later than the
  contingency window do not count: Millar 1972, V7);
- *unpredictability*: the learned SD of the daily soothing rate around that expectation,
  beyond what chance alone gives (over-dispersion): a caregiver who is there on some days and
  not on others (Ainsworth et al. 1978; Cassidy & Berlin 1994);
- *expected rejection*: the share of bids rebuffed; a bid seen and ignored counts half, and so
  (``unrepaired_weight``) does a mismatched answer never repaired: an intrusive, off-target
  answer predicts avoidance (Isabella & Belsky 1991), and it is repair that makes the frequent
  mismatches of normal interaction harmless (Tronick & Gianino 1986);
- *fear*: raised by each frightening answer, slowly forgotten (Main & Hesse 1990).

The strategy follows these expectations slowly:

- **amplify** (hyperactivation) when answers are unpredictable: louder, longer signals keep an
  intermittently available caregiver engaged; infants high in negative emotionality lean this
  way (Belsky & Rovine 1987). In the Strange Situation: resistance, C.
- **mute** (deactivation) when bids are futile — rebuffed, or consistently left unanswered:
  fewer, weaker signals avoid rebuff (Main 1981, 1990). In the Strange Situation: avoidance, A.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def update_working_model(s, infant, bids: np.ndarray, met: np.ndarray, rejected: np.ndarray,
                         frights: np.ndarray) -> None:
    """One day of learning for the rows of ``s`` (in place)."""
    has = bids > 0
    n_bids = np.maximum(bids, 1)
    rate = met / n_bids
    a = 1.0 / infant.learning_memory_days
    err = np.where(has, rate - s.availability, 0.0)
    # over-dispersion: squared error beyond the binomial noise expected from this many bids
    chance = s.availability * (1.0 - s.availability) / n_bids
    excess = np.where(has, err ** 2 - chance, s.unpredictability ** 2)
    variance = s.unpredictability ** 2 + a * (excess - s.unpredictability ** 2)
    s.unpredictability[:] = np.sqrt(np.clip(variance, 0.0, 1.0))
    s.availability[:] = s.availability + a * err
    s.expected_rejection[:] = s.expected_rejection + a * np.where(has, rejected / n_bids - s.expected_rejection, 0.0)
    decay = 1.0 / infant.fear_memory_days
    s.fear[:] = np.clip(s.fear * (1.0 - decay) + infant.fear_per_fright * frights, 0.0, 1.0)


def strategy_targets(s, infant) -> tuple[np.ndarray, np.ndarray]:
    """Where the amplifying and muting strategies are heading, given the working model."""
    slope = infant.strategy_slope
    amplify_at = infant.amplify_threshold + s.amplify_offset - 0.03 * s.negative_emotionality
    mute_at = infant.mute_threshold + s.mute_offset
    futility = s.expected_rejection + infant.unanswered_weight * (1.0 - s.availability)
    mute = expit((futility - mute_at) / slope)
    amplify = expit((s.unpredictability - amplify_at) / slope) * (1.0 - mute)
    return amplify, mute


def update_strategy(s, infant) -> None:
    amplify, mute = strategy_targets(s, infant)
    rate = 1.0 / infant.strategy_memory_days
    s.amplify[:] = s.amplify + rate * (amplify - s.amplify)
    s.mute[:] = s.mute + rate * (mute - s.mute)

"""Infant needs and signals: how many bids a day, of which kind, with what true valence.

Kinds of signal (one per episode slot): cry, fuss, smile, ambiguous face. Rates depend on age,
temperament and the infant's attachment strategy so far, so that crying *emerges* from the
history of answers instead of being an input:

- distress is high for the first weeks, then drops: fussing and crying are on a plateau of
  about 2 h/day (117-133 min) for the first 6 weeks and fall to about 68 min/day by 10-12
  weeks (meta-analysis of Wolke, Bilgin & Samara 2017, 28 diary studies, 8,690 infants: no
  universal peak at 6 weeks, a drop after 8-9 weeks), and crying stays substantial through the
  first year (Vermillet et al. 2022). The drop is the "2-month shift" in the infant's own
  regulation (Barr 1990; Emde, Gaensbauer & Harmon 1976): it also ends the early bouts that
  resist soothing (``inconsolable_share``);
- infants high in negative emotionality signal distress more often and more intensely
  (Rothbart 1981);
- an amplifying (hyperactivating) strategy makes signals louder and more frequent, a muting
  (deactivating) one fewer and weaker (Cassidy & Berlin 1994; Main 1990). Muting hides the bid,
  not the distress: avoidant infants did not cry less at home (Ainsworth et al. 1978);
- social smiles appear at about 6 weeks and are established by about 4 months
  (Messinger & Fogel 2007).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, ndtri

NONE, CRY, FUSS, SMILE, AMBIGUOUS = 0, 1, 2, 3, 4
KIND_NAMES = {NONE: "none", CRY: "cry", FUSS: "fuss", SMILE: "smile", AMBIGUOUS: "ambiguous face"}

# valence of each kind on a -1 (distress) .. +1 (delight) scale; ambiguous faces scatter around 0
TRUE_VALENCE = np.array([0.0, -1.0, -0.6, 0.9, 0.0])
AMBIGUOUS_SPREAD = 0.2
# kind of a slot by the number of thresholds (distress, smile, face) its draw falls below,
# plus 4 if the cry draw says "cry": 3 -> fuss, or cry if the cry draw says so
KIND_BY_DRAW = np.array([NONE, AMBIGUOUS, SMILE, FUSS, NONE, AMBIGUOUS, SMILE, CRY], dtype=np.int8)


REGULATION_WEEKS = 8.0
"""Age (weeks) at which the early-weeks regime is half over (the 2-month shift)."""
REGULATION_WIDTH_WEEKS = 1.2
"""How gradual the shift is: the early regime is ~85% there at 6 weeks and ~8% at 11 weeks."""


def early_weeks(age_days: float) -> float:
    """How much of the early-weeks regime of crying is left at this age (1 at birth, ~0 by 12 weeks)."""
    return float(expit((REGULATION_WEEKS - age_days / 7.0) / REGULATION_WIDTH_WEEKS))


def crying_curve(age_days: float, peak: float) -> float:
    """Relative distress propensity by age: ``1 + peak`` in the first weeks, falling to 1 after
    the 2-month shift, then declining slowly over the first year."""
    return (1.0 + peak * early_weeks(age_days)) * np.exp(-age_days / 730.0)


def inconsolable_share(age_days: float, early: float) -> float:
    """The share of a soothed cry that goes on regardless, by age.

    Much early crying resists soothing: the bouts of the first weeks are often inconsolable,
    whatever the care, and this ends with the 2-month shift (Barr 1990; St James-Roberts et al.
    2006 found unsoothable bouts as often with very proximal as with distal care; the !Kung,
    answered within seconds, cried in bouts as often as Western infants, only shorter: Barr,
    Konner, Bakeman & Adamson 1991). ``early`` is the share at birth.
    """
    return early * early_weeks(age_days)


def social_smile_onset(age_days: float) -> float:
    """Share of the adult smile rate reached by age (0 before 6 weeks, 1 from 4 months)."""
    return float(np.clip((age_days - 42.0) / (120.0 - 42.0), 0.0, 1.0))


def signal_rates(s, age_days: float, infant) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected distress signals, smiles and ambiguous faces a day, per dyad."""
    distress = (infant.distress_bids_per_day * crying_curve(age_days, infant.crying_peak)
                * np.exp(0.25 * s.negative_emotionality) * (1.0 + 0.5 * s.amplify) * (1.0 - 0.3 * s.mute))
    smiles = infant.smile_bids_per_day * social_smile_onset(age_days) * np.exp(-0.15 * s.negative_emotionality)
    ambiguous = np.full(s.n, infant.ambiguous_faces_per_day)
    return distress, smiles, ambiguous


def draw_signals(s, age_days: float, infant, slots: int, u_kind: np.ndarray, u_cry: np.ndarray,
                 u_valence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kinds (n, slots) and true valences of today's signals.

    Each slot holds at most one signal; its kind is read off one uniform draw, so the number of
    signals a day is binomial (close to Poisson) and the draws do not depend on the parameters.
    """
    distress, smiles, ambiguous = signal_rates(s, age_days, infant)
    total = distress + smiles + ambiguous
    scale = np.minimum(1.0, 0.95 * slots / np.maximum(total, 1e-12))
    p_distress = (distress * scale / slots)[:, None]
    p_smile = p_distress + (smiles * scale / slots)[:, None]
    p_face = p_smile + (ambiguous * scale / slots)[:, None]
    # the draw falls below p_distress (a fuss), p_smile (a smile), p_face (a face) or none of them
    # (p_distress <= p_smile <= p_face, so counting the thresholds above it tells which);
    # a distress signal is a cry rather than a fuss with a probability that rises with temperament
    # and an amplifying strategy and falls with a muting one
    p_cry = expit(0.5 * s.negative_emotionality + 2.0 * s.amplify - 2.0 * s.mute)[:, None]
    below = (u_kind < p_distress).view(np.int8) + (u_kind < p_smile) + (u_kind < p_face)
    kind = KIND_BY_DRAW.take(below + 4 * (u_cry < p_cry).view(np.int8))
    valence = TRUE_VALENCE.take(kind)
    faces = np.flatnonzero(kind == AMBIGUOUS)
    valence.reshape(-1)[faces] += AMBIGUOUS_SPREAD * ndtri(u_valence.reshape(-1).take(faces))
    return kind, valence

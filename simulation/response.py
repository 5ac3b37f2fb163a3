"""The caregiver's answer: whether, how fast, how well, repaired or not, frightening or not.

For every signal noticed (``perception``):

- *answer*: with today's responsiveness (trait, mood and stress: ``wellbeing``);
- *rebuff*: an answer to a bid for comfort can be a rebuff (turning away, irritation); a
  consistently rebuffing caregiver teaches the infant to mute its bids (Main 1981, 1990);
- *latency*: lognormal around today's median; an answer later than the infant's contingency
  window (about 2 s: Millar 1972) soothes but is not contingent for the infant's learning (V7);
- *match*: the first answer fits the need with the caregiver's accuracy; a smile or face read
  as negative gets a mismatched (soothing, intrusive) answer;
- *repair*: a mismatch is repaired within the episode with the caregiver's repair probability.
  Even healthy dyads are coordinated only about a third of the time and repair most
  mismatches (Tronick & Gianino 1986; Tronick & Cohn 1989); "good enough" caregiving misses
  often but repairs (Winnicott 1953);
- *frightening*: unresolved caregivers sometimes answer in a frightened or frightening way,
  more so under stress (Main & Hesse 1990; Schuengel et al. 1999).

A share of the day's episodes (``relief_today``, from ``support``) is handled by a supporter who
is there: noticed, answered and matched with the supporter's quality, promptly, never rebuffed
or frightening. These episodes soothe the infant but do not teach it about its caregiver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from . import perception
from .signals import AMBIGUOUS, CRY, FUSS, NONE, SMILE

RELIEF_LATENCY_S = 1.5
"""Median latency of a supporter who takes over an episode (s)."""


@dataclass
class Episodes:
    """Today's episodes: boolean or float arrays of shape (dyads, slots)."""

    kind: np.ndarray
    active: np.ndarray
    relief: np.ndarray
    distress: np.ndarray
    social: np.ndarray
    noticed: np.ndarray
    read_negative: np.ndarray
    answered: np.ndarray
    rebuffed: np.ndarray
    matched: np.ndarray
    mismatched: np.ndarray
    repaired: np.ndarray
    prompt: np.ndarray
    frightening: np.ndarray
    soothed: np.ndarray
    contingent: np.ndarray
    coordinated: np.ndarray


def answer(s, kind: np.ndarray, valence: np.ndarray, caregiver, window_s: float, u: dict) -> Episodes:
    """Resolve every episode of the day for the rows of ``s`` (see module docstring)."""
    active = kind != NONE
    distress = (kind == CRY) | (kind == FUSS)
    social = (kind == SMILE) | (kind == AMBIGUOUS)
    relief = active & (u["relief"] < s.relief_today[:, None])
    q = s.relief_quality[:, None]

    def who(caregiver_value: np.ndarray, supporter_value) -> np.ndarray:
        return np.where(relief, supporter_value, caregiver_value[:, None])

    noticed = active & (u["notice"] < np.where(relief, q, perception.notice_probability(kind, s.attention_today)))
    perceived = perception.perceived_valence(valence, s.negative_bias_today, caregiver.face_reading_noise, u["read"])
    perceived = np.where(relief, valence, perceived)
    read_negative = social & noticed & perception.reads_negative(perceived)
    read_positive = perception.reads_positive(perceived)

    answered = noticed & (u["answer"] < who(s.responsiveness_today, q))
    rebuffed = answered & distress & ~relief & (u["rebuff"] < s.rejection_today[:, None])
    engaged = answered & ~rebuffed
    spread = caregiver.latency_spread
    median_latency = who(s.latency_today_s, RELIEF_LATENCY_S)
    latency = median_latency * np.exp(spread * ndtri(u["latency"]))
    prompt = latency <= window_s

    fits_distress = distress & (u["match"] < who(s.accuracy_today, q))
    fits_smile = (kind == SMILE) & read_positive
    fits_face = (kind == AMBIGUOUS) & ~read_negative
    matched = engaged & (fits_distress | fits_smile | fits_face)
    mismatched = engaged & ~matched
    repaired = mismatched & (u["repair"] < who(s.repair, q))
    repair_latency = median_latency * np.exp(spread * ndtri(u["repair_latency"]))
    repair_prompt = repair_latency <= window_s
    frightening = answered & ~relief & (u["fright"] < s.fright_today[:, None])

    soothed = matched | repaired
    contingent = (matched & prompt) | (repaired & repair_prompt)
    coordinated = matched & prompt
    return Episodes(kind=kind, active=active, relief=relief, distress=distress, social=social, noticed=noticed,
                    read_negative=read_negative, answered=answered, rebuffed=rebuffed, matched=matched,
                    mismatched=mismatched, repaired=repaired, prompt=prompt, frightening=frightening,
                    soothed=soothed, contingent=contingent, coordinated=coordinated)


def crying_minutes(s, ep: Episodes, age_days: float, infant) -> tuple[np.ndarray, np.ndarray]:
    """Minutes of fussing/crying of each distress episode, and the part left unsoothed.

    An unsoothed cry lasts until it settles by itself; a contingent answer stops it early, a
    late or repaired one half-way. Intensity rises with temperament and amplification and falls
    with soothability.
    """
    base = (infant.cry_minutes * np.exp(0.2 * s.negative_emotionality) * (1.0 + s.amplify)
            * (1.5 - s.soothability))[:, None]
    per_kind = np.where(ep.kind == CRY, 1.0, 0.4)
    length = base * per_kind * np.where(ep.contingent, 0.15, np.where(ep.soothed, 0.5, 1.0))
    minutes = np.where(ep.distress, length, 0.0)
    unsoothed = np.where(ep.distress & ~ep.soothed, minutes, 0.0)
    return minutes.sum(axis=1), unsoothed.sum(axis=1)

"""The caregiver's day: fatigue, stress and mood, and how they set today's sensitivity.

Sensitivity is not a constant. Each morning:

- *fatigue* tracks yesterday's infant crying (night waking and exhaustion: Kurth et al. 2011);
- *stress* is driven by unsoothed crying and by faces read as distress, scaled by the
  caregiver's reactivity, and by fatigue; it recovers with a time constant. An infant who
  cries more raises stress, which lowers sensitivity, which makes the infant cry more: the
  vicious cycle the first seed describes (and Papoušek & von Hofacker 1998 observed);
- *mood* varies from day to day with the caregiver's inconsistency (most variance in
  responsiveness is within-person: e.g. Mills-Koonce et al. 2007), persisting for a few days.

Today's attention, responsiveness and accuracy are the trait values shifted on the logit scale
by mood and by stress; on a bad day answers also come later, and frightening answers (if
unresolved) become likelier under stress.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit, ndtri

CRYING_FOR_FULL_FATIGUE = 120.0
"""Minutes of crying a day that, sustained, bring fatigue to 1."""


def _logit(p: np.ndarray) -> np.ndarray:
    return logit(np.clip(p, 1e-6, 1.0 - 1e-6))


def start_day(s, caregiver, u_mood: np.ndarray) -> None:
    """Update fatigue, stress and mood, then today's propensities (in place)."""
    c = caregiver
    cry = np.clip(s.cry_minutes_today / CRYING_FOR_FULL_FATIGUE, 0.0, 1.5)
    s.fatigue[:] = np.clip(s.fatigue + (cry - s.fatigue) / c.fatigue_memory_days, 0.0, 1.0)
    drive = s.reactivity * (s.unsoothed_minutes / 60.0 + 0.05 * s.perceived_negative) + 0.5 * s.fatigue
    target = 1.0 - np.exp(-drive)
    s.stress[:] = np.clip(s.stress + (target - s.stress) / c.stress_recovery_days, 0.0, 1.0)

    rho = c.mood_persistence
    s.mood[:] = rho * s.mood + np.sqrt(1.0 - rho ** 2) * s.inconsistency * ndtri(u_mood)
    shift = s.mood - c.stress_impairment * s.stress
    s.attention_today[:] = expit(_logit(s.attention) + shift)
    s.responsiveness_today[:] = expit(_logit(s.responsiveness) + shift)
    s.accuracy_today[:] = expit(_logit(s.accuracy) + 0.5 * shift)
    s.latency_today_s[:] = s.latency_s * np.exp(-0.5 * shift)
    s.fright_today[:] = np.where(s.unresolved, np.clip(s.frightening * (1.0 + 2.0 * s.stress), 0.0, 1.0), 0.0)

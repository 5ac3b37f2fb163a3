"""The caregiver's day: fatigue, stress and mood, and how they set today's sensitivity.

Sensitivity is not a constant. Each morning:

- *fatigue* tracks yesterday's infant crying (night waking and exhaustion: Kurth et al. 2011);
- *stress* is driven by unsoothed crying and by faces read as distress, scaled by the
  caregiver's reactivity, and by fatigue; it recovers with a time constant. An infant who
  cries more raises stress, which lowers sensitivity, which makes the infant cry more: the
  vicious cycle the first seed describes (and Papoušek & von Hofacker 1998 observed);
- *depression* starts and ends with a hazard set by risk factors and stress (``depression_step``);
- *mood* varies from day to day with the caregiver's inconsistency (most variance in
  responsiveness is within-person: e.g. Mills-Koonce et al. 2007), persisting for a few days.

Today's attention, responsiveness and accuracy are the trait values shifted on the logit scale
by mood and by stress; on a bad day answers also come later. Frightening answers come mostly
from unresolved caregivers, likelier under stress (Main & Hesse 1990); disrupted answers
(frightening, hostile-intrusive, dissociated) come with stress and depression in any caregiver
(``caregiver.disruption``: Lyons-Ruth, Bronfman & Parsons 1999; Madigan et al. 2006), which is
why disorganisation rises with accumulated risk and depression (Cyr et al. 2010; Martins &
Gaffan 2000), not only with the caregiver's history.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit, ndtri

CRYING_FOR_FULL_FATIGUE = 180.0
"""Minutes of crying a day that, sustained, bring fatigue to 1."""
POSTPARTUM_DAYS = 91
"""The first 3 months after birth, when the onset hazard of depression is raised."""
DEPRESSION_RAMP_DAYS = 14.0
"""Time constant with which severity follows the start and the end of an episode."""


def _logit(p: np.ndarray) -> np.ndarray:
    return logit(np.clip(p, 1e-6, 1.0 - 1e-6))


def start_day(s, scenario, day: int, u: np.ndarray) -> None:
    """Update fatigue, stress, depression and mood, then today's propensities (in place).

    ``u``: uniforms of shape (rows, 2): mood, depression transition.
    """
    c, dep = scenario.caregiver, scenario.depression
    cry = np.clip(s.cry_minutes_today / CRYING_FOR_FULL_FATIGUE, 0.0, 1.5)
    s.fatigue[:] = np.clip(s.fatigue + (cry - s.fatigue) / c.fatigue_memory_days, 0.0, 1.0)
    # shared delight lifts mood (Bjertrup et al. 2023: recognising happy infant faces and fewer
    # depressive symptoms go together); support present damps the drive (Cohen & Wills 1985)
    drive = (s.reactivity * (s.unsoothed_minutes / 60.0 + 0.05 * s.perceived_negative) + 0.5 * s.fatigue
             + s.chronic_stress - 0.03 * s.shared_smiles)
    drive = np.clip(drive, 0.0, None) / (1.0 + scenario.support.stress_buffer * s.support_today)
    target = 1.0 - np.exp(-drive)
    s.stress[:] = np.clip(s.stress + (target - s.stress) / c.stress_recovery_days, 0.0, 1.0)
    depression_step(s, dep, day, u[:, 1])

    rho = c.mood_persistence
    s.mood[:] = rho * s.mood + np.sqrt(1.0 - rho ** 2) * s.inconsistency * ndtri(u[:, 0])
    shift = s.mood - c.stress_impairment * s.stress - dep.withdrawal * s.depression
    s.attention_today[:] = expit(_logit(s.attention) + shift)
    s.responsiveness_today[:] = expit(_logit(s.responsiveness) + shift)
    s.accuracy_today[:] = expit(_logit(s.accuracy) + 0.5 * shift)
    s.latency_today_s[:] = s.latency_s * np.exp(-0.5 * shift)
    s.negative_bias_today[:] = np.clip(s.negative_bias + dep.bias * s.depression, -1.0, 1.0)
    s.rejection_today[:] = np.clip(s.rejection + dep.hostility * s.depression, 0.0, 1.0)
    s.fright_today[:] = np.clip(np.where(s.unresolved, s.frightening * (1.0 + 2.0 * s.stress), 0.0)
                                + c.disruption * (s.stress + s.depression), 0.0, 1.0)


def depression_step(s, dep, day: int, u: np.ndarray) -> None:
    """Onset and recovery of a depressive episode (a two-state process), and its severity.

    Onset hazard: ``onset_per_year x exp(risk + stress_effect x stress + cognitive_vulnerability x
    negative_bias + postpartum boost)``, the risk being the log hazard ratio from the caregiver's
    risk factors (``risk``). A negative bias in reading infant emotion is a cognitive
    vulnerability: in pregnancy it precedes postnatal depressive symptoms (Pearson et al. 2010,
    2013; Beck's cognitive model, Joormann & Gotlib 2007), which is why training it away may
    prevent depression (Bjertrup et al. 2023). Recovery:
    mean episode length ``recovery_days``, shortened by support (Dennis & Dowswell 2013 on
    psychosocial support for postpartum depression) and by treatment (``recovery_boost``,
    set by ``interventions``). Severity lags the episode by about two
    weeks. Depression lowers sensitivity mostly through withdrawal and hostile or intrusive
    answers, and darkens face reading (Field 2010; Lovejoy et al. 2000).
    """
    log_hazard = (np.log(max(dep.onset_per_year, 1e-12)) + s.depression_risk + dep.stress_effect * s.stress
                  + dep.cognitive_vulnerability * s.negative_bias
                  + (dep.postpartum_boost if 0 <= day < POSTPARTUM_DAYS else 0.0))
    p_onset = -np.expm1(-np.exp(log_hazard) / 365.0)
    p_recover = -np.expm1(-(1.0 + 0.5 * s.support_today) * s.recovery_boost / dep.recovery_days)
    onset = ~s.depressed & (u < p_onset)
    recover = s.depressed & (u < p_recover)
    s.depressed[:] = (s.depressed | onset) & ~recover
    s.depression[:] = np.clip(s.depression + (s.depressed - s.depression) / DEPRESSION_RAMP_DAYS, 0.0, 1.0)


def questionnaire(s, dep, u: np.ndarray) -> np.ndarray:
    """A questionnaire-like depression score (0-30, EPDS-like: Cox, Holden & Sagovsky 1987).

    Mostly the depressive episode's severity, partly current stress, with measurement error.
    A score at or above ``depression.cutoff`` (13) reads as probable depression.
    """
    score = 3.0 + 15.0 * s.depression + 4.0 * s.stress + dep.score_noise * ndtri(u)
    return np.clip(np.round(score), 0.0, 30.0)

"""The caregiver's fatigue and stress: the vicious cycle of crying and stress.

Each morning:

- *fatigue* tracks yesterday's infant crying (night waking and exhaustion: Kurth et al. 2011):
  crying of 3 h a day, the threshold of "excessive" crying in Wessel's rule of threes (Wessel et
  al. 1954), exhausts;
- *stress* is driven by unsoothed crying and by faces read as distress, scaled by the caregiver's
  reactivity, by fatigue and by chronic stress from risk factors, relieved by shared delight and
  damped by support present (Cohen & Wills 1985); it recovers with a time constant. An infant who
  cries more raises stress, which lowers sensitivity, which makes the infant cry more: the vicious
  cycle the first seed describes (and Papoušek & von Hofacker 1998 observed). Life events add
  their drive (``event_stress``: a fresh stressful event or separation, partner conflict while it
  lasts; set by ``life_events``, zero without it), buffered by support like the rest: the
  buffering hypothesis is about stressful events (Cohen & Wills 1985).
"""

from __future__ import annotations

import numpy as np

from ..component import Component, Today, Var
from ..params import Section, param

MINUTES_PER_HOUR = 60.0


class WellbeingParams(Section):
    """Fatigue and stress (in ``[caregiver]``)."""

    stress_recovery_days: float = param(4.0, "time constant of stress recovery", unit="days", ge=0.5, le=60.0,
                                        source="assumption: stress settles within days of a calmer period")
    fatigue_memory_days: float = param(7.0, "time constant of fatigue from crying", unit="days", ge=1.0, le=60.0,
                                       source="assumption: a week of broken nights builds and clears exhaustion "
                                              "(Kurth et al. 2011)")
    crying_for_full_fatigue: float = param(180.0, "minutes of crying a day that, sustained, bring fatigue to 1",
                                           unit="min/day", gt=0.0, le=1440.0,
                                           source="Wessel et al. 1954: 3 h a day is 'excessive' crying "
                                                  "(docs/ODD.md section 8)")
    max_crying_load: float = param(1.5, "largest crying load (crying / crying_for_full_fatigue) fatigue follows",
                                   unit="1", ge=0.0, le=10.0,
                                   source="assumption: beyond 4.5 h a day more crying exhausts no further")
    face_distress_hours: float = param(0.05, "hours of unsoothed crying one face read as distress weighs as",
                                       unit="h", ge=0.0, le=1.0,
                                       source="assumption: a face read as distress weighs like 3 minutes of crying")
    fatigue_stress: float = param(0.5, "stress drive of full fatigue", unit="1", ge=0.0, le=5.0,
                                  source="assumption: exhaustion adds to stress (Kurth et al. 2011)")
    delight_relief: float = param(0.03, "stress drive removed by each smile shared with delight", unit="1",
                                  ge=0.0, le=1.0,
                                  source="assumption: direction from Bjertrup et al. 2023 (recognising happy "
                                         "infant faces and fewer depressive symptoms go together)")


class Wellbeing(Component):
    """Fatigue and stress, from yesterday's crying, faces and support."""

    name = "wellbeing"
    phase = "caregiver"
    summary = ("fatigue from yesterday's crying; stress from unsoothed crying, faces read as distress, fatigue, "
               "chronic stress and life events, less shared delight, damped by support present")
    parameters = {"caregiver": WellbeingParams}
    state = (
        Var("stress", np.float64, "current stress (0..1)", agent="caregiver"),
        Var("fatigue", np.float64, "current fatigue from infant crying (0..1)", agent="caregiver"),
        Var("event_stress", np.float64, "today's stress drive from life events (set by life_events)",
            agent="caregiver"),
    )

    def step(self, t: Today) -> None:
        s, c = t.s, t.params.caregiver
        cry = np.clip(s.cry_minutes_today / c.crying_for_full_fatigue, 0.0, c.max_crying_load)
        s.fatigue[:] = np.clip(s.fatigue + (cry - s.fatigue) / c.fatigue_memory_days, 0.0, 1.0)
        drive = (s.reactivity * (s.unsoothed_minutes / MINUTES_PER_HOUR + c.face_distress_hours * s.perceived_negative)
                 + c.fatigue_stress * s.fatigue + s.chronic_stress + s.event_stress
                 - c.delight_relief * s.shared_smiles)
        drive = np.clip(drive, 0.0, None) / (1.0 + t.params.support.stress_buffer * s.support_today)
        target = 1.0 - np.exp(-drive)
        s.stress[:] = np.clip(s.stress + (target - s.stress) / c.stress_recovery_days, 0.0, 1.0)

"""Today's sensitivity: mood, and how traits, mood, stress and depression set today's answers.

Sensitivity is not a constant. *Mood* varies from day to day with the caregiver's inconsistency
(most variance in responsiveness is within-person: e.g. Mills-Koonce et al. 2007), persisting for
a few days. Today's attention, responsiveness and accuracy are the trait values shifted on the
logit scale by mood, stress and depression; on a bad day answers, social and to distress, also
come later. Depression darkens face reading and brings hostile or intrusive answers (Field 2010;
Lovejoy et al. 2000).

A caregiver who reads her infant negatively answers its distress with more irritation: mothers
who attribute negative, demanding intent to infant crying, or react to it with anger and
anxiety, respond less sensitively and have less secure infants (Leerkes, Parade & Gudmundson
2011; Leerkes 2010). So today's rebuffs rise with today's negative bias
(``caregiver.bias_irritation``), whatever its cause: a negative reading changes the answer
itself, not only the risk of depression.

Frightening moments come mostly from unresolved caregivers, more often under stress (Main &
Hesse 1990); disrupted behaviour (frightening, hostile-intrusive, dissociated) comes with
stress and depression in any caregiver (``caregiver.disruption``: Lyons-Ruth, Bronfman &
Parsons 1999; Madigan et al. 2006), which is why disorganisation rises with accumulated risk and
depression (Cyr et al. 2010; Martins & Gaffan 2000), not only with the caregiver's history.
Both are rates per day, set by the caregiver's state: how often she answers does not change
them (``response``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from ..component import Component, Draw, Today, Var
from ..numerics import shift_logit
from ..params import BY_HAND, Section, param, trait_bounds
from ..state import DyadState


class SensitivityParams(Section):
    """Day-to-day variation of sensitivity (in ``[caregiver]``)."""

    mood_persistence: float = param(0.6, "day-to-day autocorrelation of the caregiver's mood", unit="1",
                                    ge=0.0, le=0.99, source="assumption: moods last a few days")
    stress_impairment: float = param(1.5, "drop in attention and answering at full stress", unit="logit",
                                     ge=0.0, le=10.0, source=BY_HAND)
    accuracy_shift_share: float = param(0.5, "share of today's shift (mood, stress, depression) that reaches accuracy",
                                        unit="1", ge=0.0, le=2.0,
                                        source="assumption: a bad day lowers answering more than reading the need")
    latency_shift: float = param(0.5, "slowing of answers per logit unit of a bad day", unit="1/logit",
                                 ge=0.0, le=5.0, source="assumption: answers come later on a bad day")
    fright_stress: float = param(2.0, "relative increase of an unresolved caregiver's frightening moments at full "
                                      "stress", unit="1", ge=0.0, le=20.0,
                                 source="assumption: unresolved caregivers frighten more under stress (Main & Hesse "
                                        "1990)")
    bias_irritation: float = param(0.15, "rebuffs (irritated, rejecting answers to distress) added per unit of "
                                         "today's negative face-reading bias", unit="1/valence", ge=0.0, le=1.0,
                                   source="assumption: direction from Leerkes, Parade & Gudmundson 2011 (mothers' "
                                          "negative emotional and cognitive reactions to crying predict insecurity) "
                                          "and Leerkes 2010; size set by hand: a bias of 0.3 (a depressed mother's "
                                          "reading) adds about one rebuff in twenty answers")
    disruption: float = param(0.08, "disrupted (frightening, hostile-intrusive or dissociated) moments a day in any "
                                   "caregiver, per unit of stress plus depression",
                              unit="1/day", ge=0.0, le=16.0,
                              source="calibrated: V1 (share D), L1-L3 together with caregiver.frightening "
                                     "(docs/ODD.md section 8); Lyons-Ruth et al. 1999")


class Sensitivity(Component):
    """Mood, then today's attention, responsiveness, accuracy, latency, bias, rebuffs and frights."""

    name = "sensitivity"
    phase = "caregiver"
    summary = ("mood (persistent day-to-day variation); today's attention, answering, accuracy and latency from "
               "traits shifted by mood, stress and depression; today's face-reading bias, rebuffs and frights")
    parameters = {"caregiver": SensitivityParams}
    state = (
        Var("mood", np.float64, "today's mood shift (logit units; negative = less available)", agent="caregiver"),
        Var("attention_today", np.float64, "today's probability of noticing", agent="caregiver"),
        Var("responsiveness_today", np.float64, "today's probability of answering", agent="caregiver"),
        Var("accuracy_today", np.float64, "today's probability that a first answer matches the need",
            agent="caregiver"),
        Var("social_latency_today_s", np.float64, "today's median latency of answers to social bids (s)",
            agent="caregiver"),
        Var("distress_latency_today_s", np.float64, "today's median latency of answers to distress (s)",
            agent="caregiver"),
        Var("fright_today", np.float64, "today's rate of frightening moments (per day)", agent="caregiver"),
        Var("negative_bias_today", np.float64, "today's face-reading bias", agent="caregiver"),
        Var("rejection_today", np.float64, "today's probability that an answer to distress is a rebuff",
            agent="caregiver"),
    )
    draws = (Draw("mood"),)

    def setup(self, s: DyadState, params, seed) -> None:
        """Before the first day, today's propensities are the traits."""
        s.attention_today[:] = s.attention
        s.responsiveness_today[:] = s.responsiveness
        s.accuracy_today[:] = s.accuracy
        s.negative_bias_today[:] = s.negative_bias
        s.rejection_today[:] = s.rejection
        s.social_latency_today_s[:] = s.social_latency_s
        s.distress_latency_today_s[:] = s.distress_latency_s

    def step(self, t: Today) -> None:
        s, c, dep = t.s, t.params.caregiver, t.params.depression
        rho = c.mood_persistence
        s.mood[:] = rho * s.mood + np.sqrt(1.0 - rho ** 2) * s.inconsistency * ndtri(t.u["mood"])
        shift = s.mood - c.stress_impairment * s.stress - dep.withdrawal * s.depression
        s.attention_today[:] = shift_logit(s.attention, shift)
        s.responsiveness_today[:] = shift_logit(s.responsiveness, shift)
        s.accuracy_today[:] = shift_logit(s.accuracy, c.accuracy_shift_share * shift)
        slower = np.exp(-c.latency_shift * shift)
        s.social_latency_today_s[:] = s.social_latency_s * slower
        s.distress_latency_today_s[:] = s.distress_latency_s * slower
        s.negative_bias_today[:] = np.clip(s.negative_bias + dep.bias * s.depression, *trait_bounds(c, "negative_bias"))
        s.rejection_today[:] = np.clip(s.rejection + dep.hostility * s.depression
                                       + c.bias_irritation * np.maximum(s.negative_bias_today, 0.0),
                                       *trait_bounds(c, "rejection"))
        s.fright_today[:] = np.maximum(np.where(s.unresolved, s.frightening * (1.0 + c.fright_stress * s.stress), 0.0)
                                       + c.disruption * (s.stress + s.depression), 0.0)

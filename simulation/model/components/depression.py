"""Perinatal depression: onset and recovery of a depressive episode, and its severity.

A two-state process. Onset hazard: ``onset_per_year x exp(risk + stress_effect x stress +
cognitive_vulnerability x negative_bias + postpartum boost)``, the risk being the log hazard ratio
from the caregiver's risk factors (``risk``). A negative bias in reading infant emotion is a
cognitive vulnerability: in pregnancy it precedes postnatal depressive symptoms (Pearson et al.
2010, 2013; Beck's cognitive model, Joormann & Gotlib 2007), which is why training it away may
prevent depression (Bjertrup et al. 2023). Recovery: mean episode length ``recovery_days``,
shortened by support (Dennis & Dowswell 2013 on psychosocial support for postpartum depression)
and by treatment (``recovery_boost``, set by ``interventions``). Severity lags the episode by
about two weeks. In a two-caregiver household (``household``) a partner's depression raises the
onset hazard (``partner_effect`` x the partner's severity, yesterday's): maternal depression is the
strongest predictor of paternal depression after a birth (Goodman 2004), and the two correlate
(Paulson & Bazemore 2010, r = 0.31; a prediction of the model, H4, from this link and the
household's shared risk factors). Depression lowers sensitivity mostly through withdrawal and hostile or intrusive
answers, and darkens face reading (Field 2010; Lovejoy et al. 2000): see ``sensitivity``.
"""

from __future__ import annotations

import numpy as np

from ..component import Component, Draw, Today, Var
from ..params import Section, param

DAYS_PER_YEAR = 365.0
HAZARD_FLOOR = 1e-12
"""A zero onset rate is taken as this (its logarithm must be finite: numerical, not behavioural)."""


class DepressionParams(Section):
    """Perinatal depression: onset, recovery, effects on caregiving."""

    onset_per_year: float = param(0.022, "yearly onset hazard with no risk factor and no stress", unit="1/year",
                                  ge=0.0, le=5.0, source="calibrated: V3 (docs/ODD.md section 8)")
    stress_effect: float = param(1.5, "log-hazard of onset per unit of stress", unit="log HR", ge=0.0, le=10.0,
                                 source="calibrated: V3 (docs/ODD.md section 8)")
    postpartum_boost: float = param(1.0, "extra log-hazard of onset in the first months after birth", unit="log HR",
                                    ge=0.0, le=5.0, source="assumption: risk is raised in the first 3 months "
                                                           "after birth (Munk-Olsen et al. 2006)")
    postpartum_days: float = param(91.0, "days after birth during which the onset hazard is raised", unit="days",
                                   ge=0.0, le=1095.0, source="the first 3 months after birth (Munk-Olsen et al. 2006)")
    cognitive_vulnerability: float = param(3.0, "log-hazard of onset per unit of negative face-reading bias",
                                           unit="log HR per valence", ge=0.0, le=20.0,
                                           source="calibrated: V8 and V3 (docs/ODD.md section 8); direction: "
                                                  "Pearson et al. 2013")
    partner_effect: float = param(1.25, "log-hazard of onset per unit of the partner's depression (two-caregiver "
                                        "households)", unit="log HR", ge=0.0, le=10.0,
                                  source="assumption: about 3.5 times the hazard with a depressed partner; 24-50% of "
                                         "men whose partners have postpartum depression are depressed themselves, "
                                         "against about 10% of fathers (Goodman 2004, J Adv Nurs 45:26; Paulson & "
                                         "Bazemore 2010)")
    recovery_days: float = param(150.0, "mean length of an untreated episode", unit="days", ge=7.0, le=1000.0,
                                 source="assumption: several months untreated (O'Hara & Swain 1996)")
    support_recovery: float = param(0.5, "relative speed-up of recovery per unit of support present", unit="1",
                                    ge=0.0, le=10.0, source="assumption: direction from Dennis & Dowswell 2013")
    ramp_days: float = param(14.0, "time constant with which severity follows the start and end of an episode",
                             unit="days", gt=0.0, le=365.0,
                             source="assumption: symptoms build and fade over about two weeks (DSM-5's "
                                    "two-week criterion)")
    withdrawal: float = param(1.2, "drop in attention and answering when depressed", unit="logit", ge=0.0, le=5.0,
                              source="assumption: depressed mothers withdraw (Field 2010)")
    hostility: float = param(0.10, "rejection added when depressed (negative, intrusive answers)", unit="1",
                             ge=0.0, le=1.0, source="assumption: depressed mothers are more often hostile or intrusive (Lovejoy et al. 2000)")
    bias: float = param(0.20, "negative face-reading bias added when depressed", unit="valence", ge=0.0, le=1.0,
                        source="assumption: depressed mothers read infant faces more negatively (Arteche et al. "
                               "2011; Pearson et al. 2010)")


class Depression(Component):
    """Onset and recovery of a depressive episode (a two-state process), and its severity."""

    name = "depression"
    phase = "caregiver"
    summary = ("onset of a depressive episode (risk, stress, face-reading bias, postpartum months) or recovery "
               "(support, treatment); severity follows the episode")
    parameters = {"depression": DepressionParams}
    state = (
        Var("depressed", np.bool_, "in a depressive episode", agent="caregiver"),
        Var("depression", np.float64, "severity of depression (0..1), lagging the episode", agent="caregiver"),
        Var("partner_depression", np.float64, "the partner's severity of depression yesterday (two-caregiver "
                                              "households; 0 otherwise)", agent="caregiver"),
    )
    draws = (Draw("depression"),)

    def step(self, t: Today) -> None:
        s, dep, u = t.s, t.params.depression, t.u["depression"]
        log_hazard = (np.log(max(dep.onset_per_year, HAZARD_FLOOR)) + s.depression_risk
                      + dep.stress_effect * s.stress + dep.cognitive_vulnerability * s.negative_bias
                      + dep.partner_effect * s.partner_depression
                      + (dep.postpartum_boost if 0 <= t.day < dep.postpartum_days else 0.0))
        p_onset = -np.expm1(-np.exp(log_hazard) / DAYS_PER_YEAR)
        p_recover = -np.expm1(-(1.0 + dep.support_recovery * s.support_today) * s.recovery_boost / dep.recovery_days)
        onset = ~s.depressed & (u < p_onset)
        recover = s.depressed & (u < p_recover)
        s.depressed[:] = (s.depressed | onset) & ~recover
        s.depression[:] = np.clip(s.depression + (s.depressed - s.depression) / dep.ramp_days, 0.0, 1.0)

"""Tidy output tables: one row per dyad, one row per day.

Per-dyad columns (documented in README "Outputs"):

============================ =================================================================
scenario, dyad, seed         identifiers
observed_sensitivity         Ainsworth 1-9, scored from the observation window
attachment, attachment_abc   A/B/C/D (and forced A/B/C) at the first assessment
security                     continuous security score (0-1) at the first assessment
attachment_<age>m, security_<age>m   the same at every assessment age
proximity_seeking ... disorganisation  interactive scales at the first assessment
crying_early, crying_late    mean fussing/crying minutes a day, months 0-3 and 9-12
responsiveness_early         share of distress signals answered (not rebuffed), months 0-3
coordination                 share of all signal episodes answered appropriately within the
                             contingency window (Tronick & Cohn 1989)
repair_rate                  share of mismatched first answers repaired in the episode
frightening_answers          count of frightening answers over the run
cg_<trait>, inf_<trait>      the dyad's drawn traits (hidden parameters, for analysis)
availability ... fear        the infant's working model at the end of the run
============================ =================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import interventions
from .assessment import SCALE_NAMES
from .risk import FACTORS as RISK_FACTORS
from .state import CAREGIVER_TRAITS, INFANT_DYNAMIC
from .support import expected_support

INFANT_TRAIT_COLUMNS = ("negative_emotionality", "soothability")


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    den = den.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def dyad_table(model) -> pd.DataFrame:
    s = model.state
    n = model.n
    cols: dict[str, object] = {
        "scenario": model.params.name,
        "dyad": np.arange(n),
        "observed_sensitivity": (model.observed_sensitivity if model.observed_sensitivity is not None
                                 else np.full(n, np.nan)),
    }
    ages = sorted(model.assessments)
    if ages:
        first = model.assessments[ages[0]]
        cols["attachment"] = first.attachment
        cols["attachment_abc"] = first.attachment_abc
        cols["security"] = first.security
        for age in ages:
            cols[f"attachment_{age}m"] = model.assessments[age].attachment
            cols[f"security_{age}m"] = model.assessments[age].security
        for name in SCALE_NAMES:
            cols[name] = getattr(first, name)
    cols["crying_early"] = _ratio(s.cry_early, s.days_early)
    cols["crying_late"] = _ratio(s.cry_late, s.days_late)
    cols["crying_weeks_0_6"] = _ratio(s.cry_weeks_0_6, s.days_weeks_0_6)
    cols["crying_weeks_10_12"] = _ratio(s.cry_weeks_10_12, s.days_weeks_10_12)
    cols["responsiveness_early"] = _ratio(s.answered_early, s.distress_early)
    cols["coordination"] = _ratio(s.coordinated, s.episodes)
    cols["repair_rate"] = _ratio(s.repaired, s.mismatched)
    cols["frightening_answers"] = s.frights.copy()
    cols["risk_count"] = s.risk_count.astype(int)
    for f in RISK_FACTORS:
        cols[f"risk_{f}"] = getattr(s, f"risk_{f}").copy()
    cols["history"] = np.where(s.dismissing, "dismissing", np.where(s.preoccupied, "preoccupied", "autonomous"))
    cols["support_size"] = s.support_size.astype(int)
    cols["expected_support"] = expected_support(s)
    cutoff = model.params.depression.cutoff
    cols["depressed"] = s.epds_max_0_6 >= cutoff if model.screening_days else np.full(n, False)
    cols["depression_score_max_0_6"] = s.epds_max_0_6.copy()
    cols["depression_score_6m"] = s.epds_6m.copy()
    for iv in interventions.resolved(model.params):
        cols[f"offered_{iv.name}"] = s.iv_offered[:, iv.index].copy()
        cols[f"dose_{iv.name}"] = s.iv_dose[:, iv.index].copy()
    if model.task_days:
        cols["bias_rating_pre"] = s.task_bias_pre.copy()
        cols["bias_rating_post"] = s.task_bias_post.copy()
        cols["happy_recognition_pre"] = s.task_happy_pre.copy()
        cols["happy_recognition_post"] = s.task_happy_post.copy()
        cols["reactivity_pre"] = s.task_reactivity_pre.copy()
        cols["reactivity_post"] = s.task_reactivity_post.copy()
    for name in CAREGIVER_TRAITS:
        if not name.startswith("risk_") and name not in ("dismissing", "preoccupied"):
            # the caregiver's own traits, before any intervention
            source = f"base_{name}" if hasattr(s, f"base_{name}") else name
            cols[f"cg_{name}"] = getattr(s, source).copy()
    for name in INFANT_TRAIT_COLUMNS:
        cols[f"inf_{name}"] = getattr(s, name).copy()
    for name in INFANT_DYNAMIC:
        cols[name] = getattr(s, name).copy()
    df = pd.DataFrame(cols)
    df.insert(2, "seed", str(model.seed if not isinstance(model.seed, np.random.SeedSequence)
                            else model.seed.entropy))
    return df


def daily_table(model) -> pd.DataFrame:
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    df.insert(0, "scenario", model.params.name)
    return df

"""Depression questionnaire: an EPDS-like score (0-30: Cox, Holden & Sagovsky 1987) at the end of
months 1 to 6 after birth.

The score is mostly the depressive episode's severity, partly current stress, with measurement
error. A score at or above ``depression.cutoff`` (13) reads as probable depression; a caregiver
counts as depressed in months 0-6 if any screening reached it.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from ..model import streams
from ..model.calendar import month_day
from ..model.component import Analyzer, Column, Var
from ..model.params import Section, param
from ..model.state import DyadState

SCREENING_MONTHS = (1, 2, 3, 4, 5, 6)
"""Screenings at the end of months 1-6 after birth (the postnatal period the targets describe)."""
SCORE_RANGE = (0.0, 30.0)
"""The EPDS's range (ten items scored 0-3: a definition)."""


class QuestionnaireParams(Section):
    """The depression questionnaire (in ``[depression]``)."""

    cutoff: float = param(13.0, "questionnaire cut-off for probable depression", unit="points", ge=0.0, le=30.0,
                          source="EPDS >= 13 (Cox, Holden & Sagovsky 1987)")
    score_noise: float = param(2.5, "SD of the questionnaire's error", unit="points", ge=0.0, le=10.0,
                               source="assumption: test-retest error of a few points")
    score_base: float = param(3.0, "expected score with no depression and no stress", unit="points", ge=0.0, le=30.0,
                              source="assumption: non-depressed mothers score low (Cox et al. 1987)")
    score_per_severity: float = param(15.0, "points added by a full depressive episode", unit="points", ge=0.0,
                                      le=30.0, source="assumption: a full episode scores well over the cut-off")
    score_per_stress: float = param(4.0, "points added by full stress", unit="points", ge=0.0, le=30.0,
                                    source="assumption: stress alone rarely crosses the cut-off")


def questionnaire(s: DyadState, dep: QuestionnaireParams, u: np.ndarray) -> np.ndarray:
    """A questionnaire-like depression score (0-30) for the rows of ``s``."""
    score = dep.score_base + dep.score_per_severity * s.depression + dep.score_per_stress * s.stress \
        + dep.score_noise * ndtri(u)
    return np.clip(np.round(score), *SCORE_RANGE)


class DepressionQuestionnaire(Analyzer):
    """Screens every caregiver at the end of months 1-6 (those within the simulated months)."""

    name = "questionnaire"
    summary = "depression questionnaire (EPDS-like, 0-30) at the end of months 1-6"
    parameters = {"depression": QuestionnaireParams}
    state = (
        Var("epds_last", np.float64, "latest questionnaire score (0-30)", init=np.nan, agent="caregiver"),
        Var("epds_max_0_6", np.float64, "highest questionnaire score at the screenings in months 0-6", init=np.nan,
            agent="caregiver"),
        Var("epds_6m", np.float64, "questionnaire score at 6 months", init=np.nan, agent="caregiver"),
    )
    columns = (Column("depressed", "probable depression (a score >= cutoff) at any screening in months 0-6"),
               Column("depression_score_max_0_6", "highest score at the screenings in months 0-6"),
               Column("depression_score_6m", "score at 6 months"))

    def schedule(self, params) -> dict[int, int]:
        return {month_day(m) - 1: m for m in SCREENING_MONTHS if m <= params.simulation.months}

    def measure(self, model, month: int) -> None:
        s = model.state
        u = streams.uniforms_of(model.seed, f"questionnaire:{month}", (model.n,))
        score = questionnaire(s, model.params.depression, u)
        s.epds_last[:] = score
        s.epds_max_0_6[:] = np.fmax(s.epds_max_0_6, score)
        if month == max(SCREENING_MONTHS):
            s.epds_6m[:] = score

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        screened = bool(self.schedule(model.params))
        return {"depressed": s.epds_max_0_6 >= model.params.depression.cutoff if screened else np.full(model.n, False),
                "depression_score_max_0_6": s.epds_max_0_6.copy(),
                "depression_score_6m": s.epds_6m.copy()}

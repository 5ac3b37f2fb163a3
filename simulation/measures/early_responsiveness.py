"""Early responsiveness: the share of the infant's distress signals answered (not rebuffed) in
months 0-3, the measure of Bell & Ainsworth 1972 (V6: prompt responding does not spoil)."""

from __future__ import annotations

import numpy as np

from ..model.calendar import month_day
from ..model.component import Analyzer, Column, Today, Var
from ..model.state import per_dyad
from .crying_windows import ratio

MONTHS = 3
"""The window: months 0-3 (the study's first quarter)."""


class EarlyResponsiveness(Analyzer):
    name = "early_responsiveness"
    summary = "distress signals answered (not rebuffed) over months 0-3"
    state = (Var("distress_early", np.int32, "distress signals, months 0-3"),
             Var("answered_early", np.int32, "distress signals answered, months 0-3"))
    columns = (Column("responsiveness_early", "share of distress signals answered (not rebuffed), months 0-3"),)

    def __init__(self):
        self._end = month_day(MONTHS)

    def observe(self, t: Today) -> None:
        if t.day < self._end:
            ep = t.episodes
            t.s.distress_early[:] += t.bids
            t.s.answered_early[:] += per_dyad(ep.distress & t.own & ep.answered & ~ep.rebuffed)

    def table(self, model) -> dict[str, np.ndarray]:
        return {"responsiveness_early": ratio(model.state.answered_early, model.state.distress_early)}

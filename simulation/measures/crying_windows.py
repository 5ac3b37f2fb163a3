"""Mean minutes of fussing and crying a day over the windows the literature reports.

- months 0-3 and 9-12 (``crying_early``, ``crying_late``): early responsiveness and later crying
  (Bell & Ainsworth 1972, V6);
- weeks 0-6 and 10-12 (``crying_weeks_0_6``, ``crying_weeks_10_12``): the two windows of the
  meta-analysis of Wolke, Bilgin & Samara 2017 (L4).

The windows are the cited studies' definitions (calendar), not behavioural numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..model.calendar import DAYS_PER_WEEK, month_day
from ..model.component import Analyzer, Column, Today, Var
from ..model.components import household

class Window(NamedTuple):
    """From ``start`` to before ``end`` (in ``unit``), reported as ``column``."""

    unit: str
    start: float
    end: float
    column: str


WINDOWS = {
    "early": Window("months", 0, 3, "crying_early"),
    "late": Window("months", 9, 12, "crying_late"),
    "weeks_0_6": Window("weeks", 0, 6, "crying_weeks_0_6"),
    "weeks_10_12": Window("weeks", 10, 12, "crying_weeks_10_12"),
}


def window_days(w: Window) -> tuple[int, int]:
    """The window's first day and the day after its last."""
    if w.unit == "months":
        return month_day(w.start), month_day(w.end)
    return int(w.start * DAYS_PER_WEEK), int(w.end * DAYS_PER_WEEK)


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den per dyad, NaN where den is 0."""
    den = den.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


class CryingWindows(Analyzer):
    """Adds up each day's crying minutes over each window."""

    name = "crying_windows"
    summary = "fussing and crying minutes added up over months 0-3 and 9-12 and weeks 0-6 and 10-12"
    state = tuple(v for name in WINDOWS for v in (
        Var(f"cry_{name}", np.float64, f"crying minutes, {name.replace('_', ' ')}"),
        Var(f"days_{name}", np.int32, f"days counted in {name.replace('_', ' ')}")))
    columns = tuple(Column(w.column, f"mean fussing/crying minutes a day, {w.unit} {w.start}-{w.end}")
                    for w in WINDOWS.values())

    def __init__(self):
        self._days = [(*window_days(w), f"cry_{name}", f"days_{name}") for name, w in WINDOWS.items()]

    def observe(self, t: Today) -> None:
        s = t.s
        for first, end, minutes, days in self._days:
            if first <= t.day < end:
                getattr(s, minutes)[:] += t.minutes
                getattr(s, days)[:] += 1

    def table(self, model) -> dict[str, np.ndarray]:
        """The infant's crying: in a two-caregiver household, in both caregivers' slots (the second
        caregiver's share alone is its ``crying_<window>_cg2``)."""
        s = model.state
        return {w.column: ratio(household.infant_total(model, f"cry_{name}"), getattr(s, f"days_{name}"))
                for name, w in WINDOWS.items()}

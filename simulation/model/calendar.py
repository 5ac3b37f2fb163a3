"""The calendar: one step is one day; ages in months are converted with the mean Gregorian month."""

from __future__ import annotations

DAYS_PER_MONTH = 30.4375
"""365.25 / 12."""
DAYS_PER_WEEK = 7


def month_day(months: float) -> int:
    """The age in days at which ``months`` of age are reached."""
    return int(round(months * DAYS_PER_MONTH))

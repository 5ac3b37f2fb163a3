"""Interventions: scheduled components that change named caregiver parameters (placeholder).

Filled in by the interventions issue; ``apply`` is called at the start of every caregiver phase.
"""

from __future__ import annotations


def apply(s, scenario, day: int) -> None:
    """Set today's intervention effects on the rows of ``s`` (in place)."""
    return None

"""The fixed daily lifecycle shared by the vectorised engine and the per-agent path.

One Mesa step is one day. Each day has two phases, run for all dyads (rows) at once by
:meth:`AttachmentModel.step`, or for one row by :meth:`Caregiver.step` / :meth:`Infant.step`:

1. **caregiver phase** (``support.today``, ``wellbeing.start_day``): who of the network is
   there today; fatigue, stress, depression and mood; today's attention, responsiveness,
   accuracy, latency, face-reading bias, rebuffs and risk of frightening answers;
2. **infant phase** (from birth on): today's signal episodes (``signals``), noticed and read
   (``perception``), answered (``response``), crying minutes, the infant's learning
   (``learning``), and the counters that outcome measures read (``assessment``).

Both phases take their random numbers as arguments, in blocks of fixed shape, so that the
draws do not depend on parameter values (common random numbers).
"""

from __future__ import annotations

import numpy as np

from . import interventions, learning, response, signals, support, wellbeing
from .response import per_dyad
from .scenario import Scenario
from .support import MAX_SUPPORTERS

DAYS_PER_MONTH = 30.4375
EPISODE_DRAWS = ("kind", "cry", "valence", "relief", "notice", "read", "answer", "rebuff", "latency", "match",
                 "repair", "repair_latency", "fright")
CAREGIVER_DRAWS = ("mood", "depression", *(f"supporter_{k}" for k in range(MAX_SUPPORTERS)))


def month_day(months: float) -> int:
    """The age in days at which ``months`` of age are reached."""
    return int(round(months * DAYS_PER_MONTH))


def caregiver_phase(s, scenario: Scenario, day: int, u: np.ndarray) -> None:
    """u: uniforms of shape (rows, len(CAREGIVER_DRAWS))."""
    interventions.apply(s, scenario, day)
    support.today(s, scenario, u[:, 2:])
    wellbeing.start_day(s, scenario, day, u[:, :2])


def infant_phase(s, scenario: Scenario, day: int, u: np.ndarray) -> response.Episodes | None:
    """u: uniforms of shape (rows, slots, len(EPISODE_DRAWS)). Returns today's episodes."""
    if day < 0:  # not born yet
        s.cry_minutes_today[:] = 0.0
        s.unsoothed_minutes[:] = 0.0
        s.perceived_negative[:] = 0.0
        s.shared_smiles[:] = 0.0
        return None
    sim, infant = scenario.simulation, scenario.infant
    draws = {name: u[:, :, i] for i, name in enumerate(EPISODE_DRAWS)}
    kind, valence = signals.draw_signals(s, day, infant, sim.episode_slots, draws["kind"], draws["cry"],
                                         draws["valence"])
    ep = response.answer(s, kind, valence, scenario.caregiver, infant.contingency_window_s, draws)
    minutes, unsoothed = response.crying_minutes(s, ep, day, infant)
    s.cry_minutes_today[:] = minutes
    s.unsoothed_minutes[:] = unsoothed
    own = ~ep.relief  # the infant learns about its caregiver from the caregiver's own answers
    s.perceived_negative[:] = per_dyad(ep.read_negative & own)
    s.shared_smiles[:] = per_dyad((ep.kind == signals.SMILE) & ep.matched & own)

    bids = per_dyad(ep.distress & own)
    met = per_dyad(ep.distress & own & ep.contingent)
    rejected = (per_dyad(ep.distress & ep.rebuffed)
                + 0.5 * per_dyad(ep.distress & own & ep.noticed & ~ep.answered)
                + infant.unrepaired_weight * per_dyad(ep.distress & own & ep.mismatched & ~ep.repaired))
    frights = per_dyad(ep.frightening)
    learning.update_working_model(s, infant, bids, met, rejected, frights)
    learning.update_strategy(s, infant)
    count(s, ep, day, minutes, bids, sim)
    return ep


def count(s, ep: response.Episodes, day: int, minutes: np.ndarray, bids: np.ndarray, sim) -> None:
    """Accumulate the per-dyad counters that the outcome measures read (the caregiver's episodes)."""
    own = ~ep.relief
    s.episodes[:] += per_dyad(ep.active & own)
    s.coordinated[:] += per_dyad(ep.coordinated & own)
    s.mismatched[:] += per_dyad(ep.mismatched & own)
    s.repaired[:] += per_dyad(ep.repaired & own)
    s.frights[:] += per_dyad(ep.frightening)
    if day < month_day(3):
        s.cry_early[:] += minutes
        s.days_early[:] += 1
        s.distress_early[:] += bids
        s.answered_early[:] += per_dyad(ep.distress & own & ep.answered & ~ep.rebuffed)
    if month_day(9) <= day < month_day(12):
        s.cry_late[:] += minutes
        s.days_late[:] += 1
    if day < 6 * 7:
        s.cry_weeks_0_6[:] += minutes
        s.days_weeks_0_6[:] += 1
    elif 10 * 7 <= day < 12 * 7:
        s.cry_weeks_10_12[:] += minutes
        s.days_weeks_10_12[:] += 1
    start = month_day(sim.observation_age_months)
    if start <= day < start + sim.observation_days:
        s.obs_bids[:] += per_dyad(ep.active & own)
        s.obs_appropriate[:] += per_dyad(ep.soothed & own)
        s.obs_prompt[:] += per_dyad(ep.contingent & own)
        insensitive = ep.rebuffed | ep.frightening | (ep.mismatched & ep.read_negative & ~ep.repaired)
        s.obs_insensitive[:] += per_dyad(insensitive & own)

"""Home observation of sensitivity: Ainsworth's sensitivity scale (1-9), scored from what the
caregiver actually did during an observation window, with coder error; never from hidden parameters.

9: answers promptly and appropriately; 5: inconsistently sensitive; 1: insensitive, answers on
own terms (Ainsworth 1974). The window starts at ``simulation.observation_age_months`` and lasts
``simulation.observation_days``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from ..model import streams
from ..model.calendar import month_day
from ..model.component import Analyzer, Column, Today, Var
from ..model.params import Section, param
from ..model.state import DyadState, per_dyad

SCALE_LOW, SCALE_HIGH = 1.0, 9.0
"""Ainsworth's sensitivity scale runs from 1 to 9 (a definition)."""
HALF_POINTS = 2.0
"""Coders score in half points."""


class ObservationParams(Section):
    """How observed sensitivity is scored (in ``[assessment]``)."""

    coder_noise: float = param(0.5, "SD of the coder's error on the 1-9 sensitivity scale", unit="scale points",
                               ge=0.0, le=4.0, source="assumption: trained coders agree within about a point")
    appropriate_weight: float = param(0.7, "weight of signals met appropriately in the score", unit="1",
                                      ge=0.0, le=1.0, source="the scale's anchors (Ainsworth 1974), docs/ODD.md "
                                                             "section 8")
    prompt_weight: float = param(0.3, "weight of signals met appropriately and promptly in the score", unit="1",
                                 ge=0.0, le=1.0, source="the scale's anchors (Ainsworth 1974), docs/ODD.md "
                                                        "section 8")
    insensitive_weight: float = param(1.5, "weight of a rebuff, an unrepaired intrusion or a frightening moment, "
                                           "relative to a missed signal", unit="1", ge=0.0, le=10.0,
                                      source="calibrated: V9 (the share with low observed sensitivity), docs/ODD.md "
                                             "section 8; the scale's low anchors describe answers on the "
                                             "caregiver's own terms (Ainsworth 1974)")


def observed_sensitivity(s: DyadState, a: ObservationParams, u: np.ndarray) -> np.ndarray:
    """Sensitivity (1-9) from the observation-window counters, with coder error (``a``: [assessment]).

    Score: ``1 + 8 x clip(appropriate_weight x appropriate + prompt_weight x prompt -
    insensitive_weight x insensitive)`` plus coder error, rounded to half points. Rows with no
    signal observed get NaN.
    """
    bids = s.obs_bids.astype(float)
    seen = np.maximum(bids, 1.0)
    appropriate = s.obs_appropriate / seen
    prompt = s.obs_prompt / seen
    insensitive = s.obs_insensitive / seen
    raw = a.appropriate_weight * appropriate + a.prompt_weight * prompt - a.insensitive_weight * insensitive
    score = SCALE_LOW + (SCALE_HIGH - SCALE_LOW) * np.clip(raw, 0.0, 1.0) + a.coder_noise * ndtri(u)
    score = np.round(np.clip(score, SCALE_LOW, SCALE_HIGH) * HALF_POINTS) / HALF_POINTS
    return np.where(bids > 0, score, np.nan)


class HomeObservation(Analyzer):
    """Counts the caregiver's answers in the observation window, then scores sensitivity."""

    name = "observation"
    summary = "home observation: the caregiver's answers counted over the window, then scored 1-9 with coder error"
    parameters = {"assessment": ObservationParams}
    state = (
        Var("obs_bids", np.int32, "observation window: signals"),
        Var("obs_appropriate", np.int32, "observation window: signals met appropriately"),
        Var("obs_prompt", np.int32, "observation window: signals met appropriately and promptly"),
        Var("obs_insensitive", np.int32, "observation window: rebuffs, intrusions and frightening moments"),
    )
    columns = (Column("observed_sensitivity", "Ainsworth 1-9, scored from the observation window"),)

    def start(self, model) -> None:
        model.observed_sensitivity = None

    def observe(self, t: Today) -> None:
        sim = t.params.simulation
        start = month_day(sim.observation_age_months)
        if not start <= t.day < start + sim.observation_days:
            return
        s, ep, own = t.s, t.episodes, t.own
        s.obs_bids[:] += per_dyad(ep.active & own & ~ep.hidden)  # what the infant hid, no observer sees
        s.obs_appropriate[:] += per_dyad(ep.soothed & own)
        s.obs_prompt[:] += per_dyad(ep.contingent & own)
        insensitive = ep.rebuffed | ep.frightening | (ep.mismatched & ep.read_negative & ~ep.repaired)
        s.obs_insensitive[:] += per_dyad(insensitive & own)

    def schedule(self, params) -> dict[int, str]:
        sim = params.simulation
        return {month_day(sim.observation_age_months) + sim.observation_days - 1: "end"}

    def measure(self, model, label) -> None:
        u = streams.uniforms_of(model.seed, "observation", (model.n,))
        model.observed_sensitivity = observed_sensitivity(model.state, model.params.assessment, u)

    def table(self, model) -> dict[str, np.ndarray]:
        value = model.observed_sensitivity
        return {"observed_sensitivity": value if value is not None else np.full(model.n, np.nan)}

"""Structure-of-arrays state: one row per dyad.

All rules read and write these arrays, for all dyads at once (the vectorised engine) or for
one row (``agent.step()``, through :meth:`DyadState.view`, whose arrays are numpy *views* onto
the same memory). Rules must therefore update arrays in place (``a[...] = ...``), never rebind
them.

Fields are grouped by who they belong to; :class:`~simulation.agents.Caregiver` and
:class:`~simulation.agents.Infant` expose their group as read-only attributes.
"""

from __future__ import annotations

import numpy as np

from .risk import FACTORS as RISK_FACTORS
from .scenario import MAX_INTERVENTIONS
from .support import MAX_SUPPORTERS

# name -> (dtype, meaning)
CAREGIVER_TRAITS = {
    "attention": (np.float64, "probability of noticing a fuss or a face"),
    "responsiveness": (np.float64, "probability of answering a noticed distress signal"),
    "accuracy": (np.float64, "probability that a first answer matches the need"),
    "repair": (np.float64, "probability of repairing a mismatch"),
    "latency_s": (np.float64, "median answer latency (s)"),
    "rejection": (np.float64, "probability that an answer to a bid for comfort is a rebuff"),
    "inconsistency": (np.float64, "day-to-day variability (logit SD)"),
    "negative_bias": (np.float64, "negative shift in reading faces (-1..1 scale)"),
    "reactivity": (np.float64, "stress per hour of unsoothed or perceived distress"),
    "frightening": (np.float64, "per-answer probability of frightening behaviour if unresolved"),
    "unresolved": (np.bool_, "unresolved loss or trauma"),
    "dismissing": (np.bool_, "dismissing adult attachment state of mind"),
    "preoccupied": (np.bool_, "preoccupied adult attachment state of mind"),
    "chronic_stress": (np.float64, "daily stress drive from risk factors"),
    "depression_risk": (np.float64, "log hazard ratio of depression onset from risk factors"),
    "risk_count": (np.int8, "number of risk factors"),
    **{f"risk_{f}": (np.bool_, f"risk factor: {f.replace('_', ' ')}") for f in RISK_FACTORS},
}
CAREGIVER_DYNAMIC = {
    "stress": (np.float64, "current stress (0..1)"),
    "fatigue": (np.float64, "current fatigue from infant crying (0..1)"),
    "mood": (np.float64, "today's mood shift (logit units; negative = less available)"),
    "attention_today": (np.float64, "today's probability of noticing"),
    "responsiveness_today": (np.float64, "today's probability of answering"),
    "accuracy_today": (np.float64, "today's probability that a first answer matches the need"),
    "latency_today_s": (np.float64, "today's median latency (s)"),
    "fright_today": (np.float64, "today's per-answer probability of a frightening answer"),
    "unsoothed_minutes": (np.float64, "yesterday's minutes of unsoothed crying"),
    "perceived_negative": (np.float64, "yesterday's faces read as negative"),
    "cry_minutes_today": (np.float64, "minutes of fussing and crying today"),
    "shared_smiles": (np.float64, "yesterday's smiles read as delight and answered"),
    "negative_bias_today": (np.float64, "today's face-reading bias"),
    "rejection_today": (np.float64, "today's probability that an answer to distress is a rebuff"),
    "depressed": (np.bool_, "in a depressive episode"),
    "depression": (np.float64, "severity of depression (0..1), lagging the episode"),
    "epds_last": (np.float64, "latest questionnaire score (0-30)"),
    "epds_max_0_6": (np.float64, "highest questionnaire score at the screenings in months 0-6"),
    "epds_6m": (np.float64, "questionnaire score at 6 months"),
    "support_today": (np.float64, "support present today (sum of quality of supporters there)"),
    "relief_today": (np.float64, "share of today's episodes taken over by supporters"),
    "relief_quality": (np.float64, "mean quality of today's supporters"),
    "support_size": (np.int8, "number of supporters"),
}
SUPPORTERS = {  # shape (dyads, MAX_SUPPORTERS): one column per supporter slot
    "sup_exists": (np.bool_, "the slot holds a supporter"),
    "sup_role": (np.int8, "0 partner, 1 family or friend, 2 health visitor"),
    "sup_availability": (np.float64, "probability of being there on a given day"),
    "sup_quality": (np.float64, "sensitivity when taking over"),
    "sup_present": (np.bool_, "there today"),
}
INFANT_TRAITS = {
    "negative_emotionality": (np.float64, "temperament: proneness to distress (z)"),
    "soothability": (np.float64, "temperament: ease of soothing (0..1)"),
    "amplify_offset": (np.float64, "idiosyncratic shift of the amplification threshold"),
    "mute_offset": (np.float64, "idiosyncratic shift of the muting threshold"),
}
INFANT_DYNAMIC = {
    "availability": (np.float64, "expected share of bids soothed contingently"),
    "unpredictability": (np.float64, "learned SD of the daily answer rate around its expectation"),
    "expected_rejection": (np.float64, "expected share of bids rebuffed or ignored when seen"),
    "fear": (np.float64, "fear of the caregiver (0..1)"),
    "amplify": (np.float64, "hyperactivating strategy (0..1): louder, longer signals"),
    "mute": (np.float64, "deactivating strategy (0..1): fewer, weaker signals"),
}
# per-dyad accumulators for outcome measures
COUNTERS = {
    "cry_early": (np.float64, "crying minutes, months 0-3"),
    "days_early": (np.int32, "days counted in months 0-3"),
    "cry_late": (np.float64, "crying minutes, months 9-12"),
    "days_late": (np.int32, "days counted in months 9-12"),
    "cry_weeks_0_6": (np.float64, "crying minutes, weeks 0-6 (Wolke et al. 2017's first window)"),
    "days_weeks_0_6": (np.int32, "days counted in weeks 0-6"),
    "cry_weeks_10_12": (np.float64, "crying minutes, weeks 10-12"),
    "days_weeks_10_12": (np.int32, "days counted in weeks 10-12"),
    "distress_early": (np.int32, "distress signals, months 0-3"),
    "answered_early": (np.int32, "distress signals answered, months 0-3"),
    "episodes": (np.int32, "signal episodes"),
    "coordinated": (np.int32, "episodes answered appropriately within the contingency window"),
    "mismatched": (np.int32, "episodes whose first answer mismatched"),
    "repaired": (np.int32, "mismatched episodes repaired"),
    "frights": (np.int32, "frightening answers"),
    "obs_bids": (np.int32, "observation window: signals"),
    "obs_appropriate": (np.int32, "observation window: signals met appropriately"),
    "obs_prompt": (np.int32, "observation window: signals met appropriately and promptly"),
    "obs_insensitive": (np.int32, "observation window: rebuffs, intrusions and frightening answers"),
}

MODIFIABLE_TRAITS = ("attention", "responsiveness", "accuracy", "repair", "latency_s", "rejection", "negative_bias",
                     "reactivity", "frightening")
"""Caregiver traits that interventions may change (their pre-intervention values are kept)."""
INTERVENTION_FIELDS = {
    **{f"base_{name}": (np.float64, f"{name} before any intervention") for name in MODIFIABLE_TRAITS},
    "recovery_boost": (np.float64, "multiplier on the recovery rate from depression (treatment)"),
    "task_bias_pre": (np.float64, "rating task: mean rating of ambiguous faces before the first intervention"),
    "task_bias_post": (np.float64, "rating task: mean rating of ambiguous faces after it"),
    "task_happy_pre": (np.float64, "recognition task: share of happy faces recognised before"),
    "task_happy_post": (np.float64, "recognition task: share of happy faces recognised after"),
    "task_reactivity_pre": (np.float64, "reactivity to infant distress (task score) before"),
    "task_reactivity_post": (np.float64, "reactivity to infant distress (task score) after"),
}
INTERVENTION_SLOTS = {  # shape (dyads, MAX_INTERVENTIONS)
    "iv_offered": (np.bool_, "offered the intervention"),
    "iv_dose": (np.float64, "share of the intervention's sessions attended"),
    "iv_gain": (np.float64, "how much this caregiver responds to the intervention (multiplier)"),
}
SUPPORTER_BASE = {
    "base_sup_availability": (np.float64, "supporters' availability before any intervention"),
}

GROUPS = {
    "caregiver": {**CAREGIVER_TRAITS, **CAREGIVER_DYNAMIC},
    "infant": {**INFANT_TRAITS, **INFANT_DYNAMIC},
    "counters": COUNTERS,
    "supporters": SUPPORTERS,
    "interventions": INTERVENTION_FIELDS,
    "intervention_slots": INTERVENTION_SLOTS,
    "supporter_base": SUPPORTER_BASE,
}
FIELDS = {name: spec for group in GROUPS.values() for name, spec in group.items()}
WIDTH = {**{name: MAX_SUPPORTERS for name in (*SUPPORTERS, *SUPPORTER_BASE)},
         **{name: MAX_INTERVENTIONS for name in INTERVENTION_SLOTS}}


class DyadState:
    """Arrays of length ``n`` (supporter fields: ``n`` x ``MAX_SUPPORTERS``) for every field."""

    __slots__ = ("n", *FIELDS)

    def __init__(self, n: int):
        self.n = int(n)
        for name, (dtype, _) in FIELDS.items():
            shape = (self.n, WIDTH[name]) if name in WIDTH else self.n
            setattr(self, name, np.zeros(shape, dtype=dtype))

    def view(self, rows: slice) -> "DyadState":
        """A DyadState whose arrays are views onto ``rows`` of this one (writes go through)."""
        if not isinstance(rows, slice):
            raise TypeError("rows must be a slice so that arrays are views, not copies")
        new = object.__new__(DyadState)
        for name in FIELDS:
            setattr(new, name, getattr(self, name)[rows])
        new.n = len(new.attention)
        return new

    def row(self, i: int) -> "DyadState":
        return self.view(slice(i, i + 1))

    def as_dict(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in FIELDS}

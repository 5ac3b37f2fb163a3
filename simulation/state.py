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

GROUPS = {
    "caregiver": {**CAREGIVER_TRAITS, **CAREGIVER_DYNAMIC},
    "infant": {**INFANT_TRAITS, **INFANT_DYNAMIC},
    "counters": COUNTERS,
}
FIELDS = {name: spec for group in GROUPS.values() for name, spec in group.items()}


class DyadState:
    """Arrays of length ``n`` for every field in :data:`FIELDS`."""

    __slots__ = ("n", *FIELDS)

    def __init__(self, n: int):
        self.n = int(n)
        for name, (dtype, _) in FIELDS.items():
            setattr(self, name, np.zeros(self.n, dtype=dtype))

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

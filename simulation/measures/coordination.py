"""Interactive coordination and repair over the whole run (Tronick & Cohn 1989; Tronick & Gianino
1986: V5), and the count of frightening moments.

Coordination is a measure of face-to-face play (Tronick & Cohn 1989 coded it in social
interaction), so it counts the social bids (smiles, faces) met appropriately within the infant's
2-s contingency window; answers to distress run on the slower time scale of soothing."""

from __future__ import annotations

import numba
import numpy as np

from ..model.component import Analyzer, Column, Today, Var
from .crying_windows import ratio


@numba.njit(cache=True, nogil=True)
def add_counts(social, coordinated, mismatched, repaired, frightening, active, hidden, own,
               episodes, coordinated_total, mismatched_total, repaired_total, frights, signals, met_first):
    """Adds today's counts to each dyad's totals (the last seven arrays), in one pass over the slots
    (compiled, numba): the social bids to the caregiver, those she met within the window, her
    mismatched first answers and repairs, the frightening moments, the signals she could see (not
    hidden) and those whose first answer fitted and came in time."""
    for i in range(social.shape[0]):
        bids = met = missed = fixed = frights_i = seen = first = 0
        for j in range(social.shape[1]):
            mine = own[i, j]
            bids += social[i, j] & mine
            met += social[i, j] & coordinated[i, j] & mine
            missed += mismatched[i, j] & mine
            fixed += repaired[i, j] & mine
            frights_i += frightening[i, j]
            seen += active[i, j] & mine & ~hidden[i, j]
            first += coordinated[i, j] & mine
        episodes[i] += bids
        coordinated_total[i] += met
        mismatched_total[i] += missed
        repaired_total[i] += fixed
        frights[i] += frights_i
        signals[i] += seen
        met_first[i] += first


class Coordination(Analyzer):
    name = "coordination"
    summary = ("social bids met appropriately within the contingency window, mismatches and repairs, frightening "
               "moments")
    state = (
        Var("episodes", np.int32, "social bids (smiles, faces)"),
        Var("coordinated", np.int32, "social bids answered appropriately within the contingency window"),
        Var("mismatched", np.int32, "episodes whose first answer mismatched"),
        Var("repaired", np.int32, "mismatched episodes repaired"),
        Var("frights", np.int32, "frightening moments"),
        Var("signals", np.int32, "every signal the caregiver could see (the daily diary's count)"),
        Var("met_first", np.int32, "signals whose first answer fitted and came in time (the diary's count)"),
    )
    columns = (Column("coordination", "share of social bids (smiles, faces) answered appropriately within the 2-s "
                                      "contingency window (Tronick & Cohn 1989)"),
               Column("repair_rate", "share of mismatched first answers repaired in the episode"),
               Column("frightening_answers", "count of the caregiver's frightening moments over the run"))

    def observe(self, t: Today) -> None:
        s, ep = t.s, t.episodes
        add_counts(ep.social, ep.coordinated, ep.mismatched, ep.repaired, ep.frightening, ep.active, ep.hidden, t.own,
                   s.episodes, s.coordinated, s.mismatched, s.repaired, s.frights, s.signals, s.met_first)

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        return {"coordination": ratio(s.coordinated, s.episodes), "repair_rate": ratio(s.repaired, s.mismatched),
                "frightening_answers": s.frights.copy()}

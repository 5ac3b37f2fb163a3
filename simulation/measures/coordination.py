"""Interactive coordination and repair over the whole run (Tronick & Cohn 1989; Tronick & Gianino
1986: V5), and the count of frightening moments.

Coordination is a measure of face-to-face play (Tronick & Cohn 1989 coded it in social
interaction), so it counts the social bids (smiles, faces) met appropriately within the infant's
2-s contingency window; answers to distress run on the slower time scale of soothing."""

from __future__ import annotations

import numpy as np

from ..model.component import Analyzer, Column, Today, Var
from ..model.state import per_dyad
from .crying_windows import ratio


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
        s, ep, own = t.s, t.episodes, t.own
        s.episodes[:] += per_dyad(ep.social & own)
        s.coordinated[:] += per_dyad(ep.social & ep.coordinated & own)
        s.mismatched[:] += per_dyad(ep.mismatched & own)
        s.repaired[:] += per_dyad(ep.repaired & own)
        s.frights[:] += per_dyad(ep.frightening)
        s.signals[:] += per_dyad(ep.active & own & ~ep.hidden)
        s.met_first[:] += per_dyad(ep.coordinated & own)

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        return {"coordination": ratio(s.coordinated, s.episodes), "repair_rate": ratio(s.repaired, s.mismatched),
                "frightening_answers": s.frights.copy()}

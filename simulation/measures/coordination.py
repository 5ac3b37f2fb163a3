"""Interactive coordination and repair over the whole run (Tronick & Cohn 1989; Tronick & Gianino
1986: V5), and the count of frightening answers."""

from __future__ import annotations

import numpy as np

from ..model.component import Analyzer, Column, Today, Var
from ..model.state import per_dyad
from .crying_windows import ratio


class Coordination(Analyzer):
    name = "coordination"
    summary = "episodes met appropriately within the contingency window, mismatches and repairs, frightening answers"
    state = (
        Var("episodes", np.int32, "signal episodes"),
        Var("coordinated", np.int32, "episodes answered appropriately within the contingency window"),
        Var("mismatched", np.int32, "episodes whose first answer mismatched"),
        Var("repaired", np.int32, "mismatched episodes repaired"),
        Var("frights", np.int32, "frightening answers"),
    )
    columns = (Column("coordination", "share of all signal episodes answered appropriately within the contingency "
                                      "window (Tronick & Cohn 1989)"),
               Column("repair_rate", "share of mismatched first answers repaired in the episode"),
               Column("frightening_answers", "count of frightening answers over the run"))

    def observe(self, t: Today) -> None:
        s, ep, own = t.s, t.episodes, t.own
        s.episodes[:] += per_dyad(ep.active & own)
        s.coordinated[:] += per_dyad(ep.coordinated & own)
        s.mismatched[:] += per_dyad(ep.mismatched & own)
        s.repaired[:] += per_dyad(ep.repaired & own)
        s.frights[:] += per_dyad(ep.frightening)

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        return {"coordination": ratio(s.coordinated, s.episodes), "repair_rate": ratio(s.repaired, s.mismatched),
                "frightening_answers": s.frights.copy()}

"""Tidy output tables: one row per dyad, one row per day.

The per-dyad table's columns come from the day plan's components and measures, in the plan's table
order (each declares its columns: ``docs/ODD.md`` lists them, generated from the plan):

============================ =================================================================
scenario, dyad, seed         identifiers
observed_sensitivity         Ainsworth 1-9, scored from the observation window
attachment, attachment_abc   A/B/C/D (and forced A/B/C) at the first assessment
security                     continuous security score (0-1) at the first assessment
attachment_<age>m, security_<age>m   the same at every assessment age
proximity_seeking ... disorganisation  interactive scales at the first assessment
attachment_coder2            A/B/C/D at the first assessment by a second coder of the same procedure
separation_crying            share of the separation episodes' 15-s intervals with crying (first
                             assessment)
crying_early, crying_late    mean fussing/crying minutes a day, months 0-3 and 9-12
responsiveness_early         share of distress signals answered (not rebuffed), months 0-3
coordination                 share of all signal episodes answered appropriately within the
                             contingency window (Tronick & Cohn 1989)
repair_rate                  share of mismatched first answers repaired in the episode
frightening_answers          count of the caregiver's frightening moments over the run
cg_<trait>, inf_<trait>      the dyad's drawn traits (hidden parameters, for analysis)
availability ... fear        the infant's working model at the end of the run
============================ =================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model import streams


def dyad_table(model) -> pd.DataFrame:
    """One row per dyad: identifiers, then every component's and measure's columns."""
    first = streams.first_row(model.seed)  # a cohort block's dyads are numbered by their place in the population
    cols: dict[str, object] = {"scenario": model.params.name, "dyad": np.arange(first, first + model.n)}
    for component in model.plan.table_components():
        cols.update(component.table(model))
    df = pd.DataFrame(cols)
    root = streams.root_of(model.seed)
    df.insert(2, "seed", str(root if not isinstance(root, np.random.SeedSequence) else root.entropy))
    return df


def daily_table(model) -> pd.DataFrame:
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    df.insert(0, "scenario", model.params.name)
    return df

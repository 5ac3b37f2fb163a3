"""trial: the randomisation of a virtual trial (stratified, balanced)."""

import numpy as np
import pandas as pd

from simulation.study import trial


def test_randomisation_is_balanced_within_strata():
    strata = np.repeat([0, 1, 2], [101, 57, 300])
    labels = trial.randomise(strata.size, ["control", "a"], seed=3, strata=strata)
    for s in (0, 1, 2):
        counts = pd.Series(labels[strata == s]).value_counts()
        assert abs(counts["control"] - counts["a"]) <= 1

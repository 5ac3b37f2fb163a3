"""Sensitivity indices of small serial sweeps (Sobol', Morris) and of known functions: intervals,
figures, skipped and unknown outcomes, the small-sample warning."""

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import SHORT
from simulation.study import sensitivity, sweep
from simulation.errors import UserError

OUTCOMES = ["share_secure", "mean_security", "depression_prevalence"]


def small_sweep(**kwargs):
    kwargs = {"replicates": 2, "seed": 3, "n_dyads": 30, "overrides": SHORT, "progress": False, **kwargs}
    return sweep.run_sweep("good_enough", kwargs.pop("design"), **kwargs)


@pytest.mark.timeout(120)
def test_sobol_indices_have_confidence_intervals_and_a_figure(tmp_path):
    design = sweep.sobol({"caregiver.repair": (0.2, 0.9), "caregiver.attention": (0.4, 1.0)}, 4, seed=2)
    result = small_sweep(design=design, replicates=1, executor="serial")
    with warnings.catch_warnings():  # tiny runs: some outcomes may be constant or absent (skipped, NaN)
        warnings.simplefilter("ignore", UserWarning)
        table = sensitivity.write_indices(design, result.table, tmp_path, OUTCOMES, num_resamples=50)
    assert list(table.columns) == sensitivity.COLUMNS
    assert set(table["index"]) == {"S1", "ST", "S2"} and set(table["outcome"]) <= set(OUTCOMES)
    main = table[table["index"].isin(["S1", "ST"]) & (table["outcome"] == "mean_security")]
    assert len(main) == 4 and main["conf"].notna().all()
    assert np.allclose(main["ci_high"] - main["ci_low"], 2 * main["conf"])
    assert (tmp_path / "sensitivity.csv").is_file() and (tmp_path / "sensitivity.png").stat().st_size > 1000


@pytest.mark.timeout(120)
def test_morris_indices_rank_attention_above_an_unused_parameter(tmp_path):
    design = sweep.morris({"caregiver.attention": (0.3, 1.0), "caregiver.frightening": (0.0, 0.001)}, 4, seed=1)
    result = small_sweep(design=design, replicates=1, executor="serial")
    table = sensitivity.indices(design, result.table, ["mean_security"], num_resamples=50)
    assert set(table["index"]) == {"mu_star", "mu", "sigma"}
    mu_star = table[table["index"] == "mu_star"].set_index("parameter")
    assert mu_star[["ci_low", "ci_high"]].notna().all().all()
    assert mu_star.loc["caregiver.attention", "estimate"] > mu_star.loc["caregiver.frightening", "estimate"]
    sensitivity.plot_indices(table, tmp_path / "morris.png")
    with pytest.raises(UserError, match="sobol design"):
        sensitivity.sobol_indices(design, result.table)


def test_outcomes_without_values_are_skipped_and_unknown_ones_rejected():
    design = sweep.sobol({"caregiver.repair": (0.2, 0.9), "caregiver.attention": (0.4, 1.0)}, 2)
    y = np.linspace(0, 1, len(design))
    table = pd.DataFrame({"point": range(len(design)), "replicate": 0, "share_B": y, "mean_security": y ** 2,
                          "share_depressed": np.nan})
    with pytest.warns(UserWarning, match="no values"):
        values = sensitivity.point_outcomes(design, table, ["share_secure", "depression_prevalence"])
    assert list(values) == ["share_secure"]
    with pytest.raises(UserError, match="unknown outcome 'share_happy'"):
        sensitivity.point_outcomes(design, table, ["share_happy"])
    with pytest.raises(UserError, match="design points"):
        sensitivity.point_outcomes(design, table.iloc[:-1], ["share_secure"])


def test_a_tiny_sobol_sample_warns_and_an_adequate_one_does_not():
    """Sobol' indices of a known function (Ishigami-like, no simulation): n = 8 warns, n = 1024 does not."""
    import warnings as _w

    from simulation.study import sensitivity

    bounds = {"caregiver.repair": (0.0, 1.0), "caregiver.accuracy": (0.0, 1.0)}

    def indices_for(n):
        design = sweep.sobol(bounds, n, second_order=False, seed=1)
        x = np.array([[p[k] for k in bounds] for p in design.points])
        y = np.sin(2 * np.pi * x[:, 0]) + 0.3 * x[:, 1]
        table = pd.DataFrame({"point": np.arange(len(y)), "replicate": 0, "share_B": y,
                              **{k: x[:, i] for i, k in enumerate(bounds)}})
        with _w.catch_warnings(record=True) as caught:
            _w.simplefilter("always")
            sensitivity.sobol_indices(design, table, ["share_B"])
        return [w for w in caught if issubclass(w.category, sensitivity.SmallSampleWarning)]

    small = indices_for(8)
    assert small and "n = 8" in str(small[0].message)
    assert indices_for(1024) == []

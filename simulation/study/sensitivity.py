"""Sobol' and Morris sensitivity indices of sweep outcomes (SALib), as a tidy table and a figure.

Why this shape:

* SALib's estimators need one output per row of the design's sample matrix, in order. A sweep
  table has one row per (point, replicate); we average each outcome over the replicates of a
  point. Replicates share random numbers across points (common random numbers), so averaging
  removes noise without mixing in differences of luck between points.
* Simulation noise that the replicates do not remove looks like variance no parameter explains:
  it inflates total-order Sobol' indices (ST) relative to first-order ones (S1) and widens the
  bootstrap confidence intervals. Use enough dyads per run (and replicates) before reading
  small differences; the CIs tell you when you have not.
* One tidy table (outcome, method, index, parameter, estimate, CI) serves every method, so the
  same code writes CSV, draws the figure and feeds further analysis.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from simulation.errors import UserError
from simulation.report.style import FIGURE_INDICES
from simulation.study.sweep import Design, outcome_columns, resolve_outcome

DEFAULT_OUTCOMES = ("share_secure", "share_D", "mean_security", "depression_prevalence")
COLUMNS = ["outcome", "method", "index", "parameter", "parameter2", "estimate", "conf", "ci_low", "ci_high",
           "conf_level"]


def point_outcomes(design: Design, table: pd.DataFrame, outcomes: Sequence[str]) -> dict[str, np.ndarray]:
    """Outcome -> vector of its mean over replicates, one value per design point (in order).

    Outcomes with no value at all (e.g. a column the model does not produce yet) are left out
    with a warning; an unknown outcome name is an error.
    """
    if table["point"].nunique() != len(design) or table["point"].max() != len(design) - 1:
        raise UserError(f"the table has {table['point'].nunique()} design points, the design has {len(design)}; "
                        f"analyse a sweep with the design it was run with")
    available = outcome_columns(table)
    result: dict[str, np.ndarray] = {}
    for name in outcomes:
        col = resolve_outcome(name)
        if col not in table:
            raise UserError(f"unknown outcome '{name}'; available: {', '.join(available)} "
                            f"(aliases: share_secure, share_disorganised, depression_prevalence, ...)")
        y = table.groupby("point", sort=True)[col].mean().to_numpy(dtype=float)
        if np.isnan(y).all():
            warnings.warn(f"outcome '{name}' has no values in this sweep (column '{col}' is empty); skipped")
            continue
        if np.isnan(y).any():
            warnings.warn(f"outcome '{name}' is missing at {int(np.isnan(y).sum())} design point(s); its indices are NaN")
        result[name] = y
    if not result:
        raise UserError(f"none of the outcomes {list(outcomes)} has values in this sweep")
    return result


def _rows(outcome: str, method: str, index: str, names: Sequence[str], est, conf, conf_level: float,
          second: Sequence[str] | None = None, defined: bool = True) -> list[dict]:
    rows = []
    for i, name in enumerate(names):
        e = float(est[i]) if defined else np.nan
        c = float(conf[i]) if conf is not None and defined else np.nan
        rows.append({"outcome": outcome, "method": method, "index": index, "parameter": name,
                     "parameter2": second[i] if second is not None else None, "estimate": e, "conf": c,
                     "ci_low": e - c, "ci_high": e + c, "conf_level": conf_level})
    return rows


class SmallSampleWarning(UserWarning):
    """A sensitivity analysis whose sample is too small for its indices to be trusted."""


MIN_SOBOL_N = 64
"""Smallest base sample for usable Sobol' indices: with fewer, bootstrap intervals of S1 and ST
typically span most of 0..1 (SALib's examples and Saltelli et al. 2010 use 500-1,000+)."""
MAX_CI_HALF_WIDTH = 0.1
"""A 95% interval wider than +-0.1 cannot rank parameters whose indices differ by less."""


def _warn_if_unstable(n: int, outcome: str, conf: np.ndarray) -> None:
    widest = float(np.nanmax(conf)) if np.isfinite(conf).any() else float("nan")
    if n < MIN_SOBOL_N or widest > MAX_CI_HALF_WIDTH:
        warnings.warn(f"Sobol' indices of '{outcome}' from a base sample of n = {n} are unstable (widest 95% CI "
                      f"+-{widest:.2f}); use n >= {max(MIN_SOBOL_N, 4 * n)} (a power of two) for indices you can "
                      f"rank", SmallSampleWarning, stacklevel=3)


def sobol_indices(design: Design, table: pd.DataFrame, outcomes: Sequence[str] = DEFAULT_OUTCOMES, *,
                  conf_level: float = 0.95, num_resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """First-order (S1), total (ST) and, if the design has them, second-order (S2) Sobol'
    indices with bootstrap confidence intervals (Saltelli et al. 2010, via SALib)."""
    from SALib.analyze import sobol

    if design.kind != "sobol":
        raise UserError(f"Sobol' indices need a sobol design, this sweep's design is '{design.kind}'")
    problem, names = design.problem(), design.names
    second = bool(design.options.get("second_order", True))
    rows: list[dict] = []
    for outcome, y in point_outcomes(design, table, outcomes).items():
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = sobol.analyze(problem, y, calc_second_order=second, num_resamples=num_resamples,
                                conf_level=conf_level, seed=seed)
        ok = bool(np.ptp(y) > 0)  # SALib reports 0 for a constant output; the index is undefined
        if not ok:
            warnings.warn(f"outcome '{outcome}' does not vary over the design; its Sobol' indices are undefined (NaN)")
        else:
            _warn_if_unstable(int(design.options.get("n", 0)), outcome,
                              np.concatenate([np.asarray(res["S1_conf"], float), np.asarray(res["ST_conf"], float)]))
        rows += _rows(outcome, "sobol", "S1", names, res["S1"], res["S1_conf"], conf_level, defined=ok)
        rows += _rows(outcome, "sobol", "ST", names, res["ST"], res["ST_conf"], conf_level, defined=ok)
        if second:
            pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
            rows += _rows(outcome, "sobol", "S2", [names[i] for i, _ in pairs],
                          [res["S2"][i, j] for i, j in pairs], [res["S2_conf"][i, j] for i, j in pairs],
                          conf_level, second=[names[j] for _, j in pairs], defined=ok)
    return pd.DataFrame(rows, columns=COLUMNS)


def morris_indices(design: Design, table: pd.DataFrame, outcomes: Sequence[str] = DEFAULT_OUTCOMES, *,
                   conf_level: float = 0.95, num_resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Morris elementary effects: mu* (importance, with a bootstrap CI), mu and sigma
    (Campolongo et al. 2007, via SALib)."""
    from SALib.analyze import morris

    if design.kind != "morris":
        raise UserError(f"Morris indices need a morris design, this sweep's design is '{design.kind}'")
    problem, names = design.problem(), design.names
    rows: list[dict] = []
    for outcome, y in point_outcomes(design, table, outcomes).items():
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = morris.analyze(problem, design.matrix, y, num_resamples=num_resamples, conf_level=conf_level,
                                 num_levels=int(design.options.get("levels", 4)), seed=seed)
        rows += _rows(outcome, "morris", "mu_star", names, res["mu_star"], res["mu_star_conf"], conf_level)
        rows += _rows(outcome, "morris", "mu", names, res["mu"], None, conf_level)
        rows += _rows(outcome, "morris", "sigma", names, res["sigma"], None, conf_level)
    return pd.DataFrame(rows, columns=COLUMNS)


def indices(design: Design, table: pd.DataFrame, outcomes: Sequence[str] = DEFAULT_OUTCOMES, **kwargs) -> pd.DataFrame:
    """Sobol' or Morris indices, whichever the design supports."""
    if design.kind == "sobol":
        return sobol_indices(design, table, outcomes, **kwargs)
    if design.kind == "morris":
        return morris_indices(design, table, outcomes, **kwargs)
    raise UserError(f"sensitivity indices need a sobol or morris design, this sweep's design is '{design.kind}'")


def plot_indices(table: pd.DataFrame, path: str | Path, title: str | None = None) -> Path:
    """One panel per outcome: bars per parameter with CIs (drawn by ``plots.sensitivity_indices``,
    the one home of the figures; kept here because sweeps call it by this name)."""
    from simulation.report import plots

    return plots.sensitivity_indices(table, path, title=title)


def write_indices(design: Design, table: pd.DataFrame, out: str | Path, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
                  title: str | None = None, **kwargs) -> pd.DataFrame:
    """Compute the indices and write ``sensitivity.csv`` and ``sensitivity.png`` into ``out``."""
    from simulation.report import outputs

    result = indices(design, table, outcomes, **kwargs)
    with outputs.staged_output(out, replace=False) as scratch:
        result.to_csv(scratch / "sensitivity.csv", index=False)
        plot_indices(result, scratch / "sensitivity.png", title=title)
    return result


def format_indices(table: pd.DataFrame) -> str:
    """A compact text table (main indices only) for the terminal."""
    shown = [i for m in FIGURE_INDICES.values() for i in m]
    sub = table[table["index"].isin(shown)].copy()
    sub["value"] = [f"{e:6.3f} [{lo:6.3f}, {hi:6.3f}]" if not np.isnan(c) else f"{e:6.3f}"
                    for e, c, lo, hi in zip(sub["estimate"], sub["conf"], sub["ci_low"], sub["ci_high"])]
    wide = sub.pivot_table(index=["outcome", "parameter"], columns="index", values="value", aggfunc="first", sort=False)
    return wide.to_string()

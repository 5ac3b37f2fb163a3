"""Effect sizes of a trial, each with a percentile-bootstrap 95% CI.

Why a module of its own: the statistics that compare one arm with another do not depend on how
the arms were made. Cohen's d for continuous outcomes; risk difference, odds ratio and Cohen's h
for binary ones (secure, disorganised, depressed); percentile bootstrap 95% CIs (Efron &
Tibshirani 1993); the pre/post measures of trained caregivers; and the check, before anything
runs, that a bootstrap fits in memory. :mod:`simulation.study.trial` builds its effect table here,
:mod:`simulation.study.power` and the report use Cohen's h and the outcome definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.errors import UserError
from simulation.model import memory
from simulation.model import streams
from simulation.study.analysis import correlation_ci, mean_ci

CONTINUOUS = ("observed_sensitivity", "security", "crying_late", "depression_score_6m",
              "observed_sensitivity_cg2", "security_cg2", "depression_score_6m_cg2")
"""Continuous outcomes; the ``_cg2`` ones (the second caregiver's, two-caregiver households) where the
trial has them: a programme for one parent is judged on both relationships."""


def _second(column: str, value: str):
    """Whether ``column`` (a second caregiver's class) is ``value``: NaN in one-caregiver households."""
    return lambda d: d[column].map(lambda c: np.nan if c is None or c is pd.NA or c != c else float(c == value))


BINARY = {"secure": lambda d: d["attachment"] == "B", "disorganised": lambda d: d["attachment"] == "D",
          "depressed": lambda d: d["depressed"].astype(bool),
          "secure_cg2": _second("attachment_cg2", "B"), "disorganised_cg2": _second("attachment_cg2", "D")}
"""Binary outcomes; the ``_cg2`` ones where the trial's households have a second caregiver."""
MIN_BOOTSTRAP_REPS = 200
"""Fewest bootstrap replicates for a percentile 95% CI: 200 leave 5 replicates beyond each end,
the least for an end that is not one extreme draw (Efron & Tibshirani 1993 advise 1,000 or more)."""
MAX_BOOTSTRAP_REPS = 10_000
"""Most bootstrap replicates the scripts accept: at 10,000 the Monte Carlo error of a CI's end is
far below the CI's width, and more only cost time and memory (see :func:`check_bootstrap_fits`)."""
BOOTSTRAP_INDEX_BYTES = 8
"""Bytes of one resampling index (int64): a bootstrap holds replicates x dyads of them."""


def cohens_d(x: np.ndarray, y: np.ndarray) -> float:
    """Standardised mean difference (x - y) with the pooled SD."""
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if x.size < 2 or y.size < 2:
        return np.nan
    pooled = np.sqrt(((x.size - 1) * x.var(ddof=1) + (y.size - 1) * y.var(ddof=1)) / (x.size + y.size - 2))
    return float((x.mean() - y.mean()) / pooled) if pooled > 0 else np.nan


def cohens_d_ci(x: np.ndarray, y: np.ndarray, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """Cohen's d (x - y) with its large-sample 95% CI: SE = sqrt((n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2)))
    (Hedges & Olkin 1985), the CI meta-analyses such as Groh et al. 2017 report."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    d = cohens_d(x, y)
    if not np.isfinite(d):
        return (np.nan, np.nan, np.nan)
    n1, n2 = x.size, y.size
    se = np.sqrt((n1 + n2) / (n1 * n2) + d ** 2 / (2 * (n1 + n2)))
    return (d, d - z * se, d + z * se)


def cohens_h(p1: float, p0: float) -> float:
    """Difference of arcsine-transformed proportions: its sampling variance is 1/n per arm whatever
    the proportions, which is what makes :func:`simulation.study.power.n_for_power` a closed formula."""
    return float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p0)))


def odds_ratio(p1: float, p0: float) -> float:
    """Odds ratio p1 vs p0; NaN when an arm has none or all with the outcome, where it is not
    defined (0 or infinite), rather than a made-up figure from dividing by a small number."""
    if not (0 < p1 < 1 and 0 < p0 < 1):
        return np.nan
    return float((p1 / (1 - p1)) / (p0 / (1 - p0)))


def _bootstrap(x: np.ndarray, y: np.ndarray, stat, gen: np.random.Generator, reps: int) -> tuple[float, float]:
    ix = gen.integers(0, len(x), (reps, len(x)))  # rows: a unit's several outcomes stay together
    iy = gen.integers(0, len(y), (reps, len(y)))
    values = np.array([stat(x[a], y[b]) for a, b in zip(ix, iy)])
    values = values[~np.isnan(values)]
    if values.size == 0:
        return (np.nan, np.nan)
    return (float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5)))


def effect_table(dyads: pd.DataFrame, control: str, seed: streams.SeedLike = 0, reps: int = 1000,
                 continuous=CONTINUOUS, binary=BINARY) -> pd.DataFrame:
    """Effect of each arm against the control arm, with bootstrap 95% CIs."""
    gen = streams.generator(seed, "trial:bootstrap")
    rows = []
    ctrl = dyads[dyads["arm"] == control]
    for arm in [a for a in dict.fromkeys(dyads["arm"]) if a != control]:
        treat = dyads[dyads["arm"] == arm]
        for out in continuous:
            if out not in dyads or dyads[out].isna().all():
                continue
            x, y = treat[out].to_numpy(float), ctrl[out].to_numpy(float)
            lo, hi = _bootstrap(x, y, cohens_d, gen, reps)
            rows.append(dict(arm=arm, outcome=out, kind="continuous", measure="cohens_d", estimate=cohens_d(x, y),
                             ci_low=lo, ci_high=hi, treated_mean=np.nanmean(x), control_mean=np.nanmean(y),
                             n_treated=int(np.sum(~np.isnan(x))), n_control=int(np.sum(~np.isnan(y)))))
        for out, fn in binary.items():
            if (out == "depressed" and "depressed" not in dyads) or (out.endswith("_cg2") and "attachment_cg2" not in dyads):
                continue
            x, y = fn(treat).to_numpy(float), fn(ctrl).to_numpy(float)
            x, y = x[~np.isnan(x)], y[~np.isnan(y)]  # second caregivers' outcomes: their households only
            if x.size == 0 or y.size == 0:
                continue
            for measure, stat in (("risk_difference", lambda a, b: a.mean() - b.mean()),
                                  ("odds_ratio", lambda a, b: odds_ratio(a.mean(), b.mean())),
                                  ("cohens_h", lambda a, b: cohens_h(a.mean(), b.mean()))):
                lo, hi = _bootstrap(x, y, stat, gen, reps)
                rows.append(dict(arm=arm, outcome=out, kind="binary", measure=measure, estimate=stat(x, y),
                                 ci_low=lo, ci_high=hi, treated_mean=x.mean(), control_mean=y.mean(),
                                 n_treated=x.size, n_control=y.size))
    return pd.DataFrame(rows)


def difference_of_d(treated: pd.DataFrame, control: pd.DataFrame, first: str, second: str,
                    seed: streams.SeedLike = 0, reps: int = 1000) -> tuple[float, float, float]:
    """Cohen's d on ``first`` minus Cohen's d on ``second`` (the same dyads measured on both), with a
    percentile bootstrap 95% CI that resamples dyads, so each replicate keeps a dyad's two outcomes
    together (the two effects are correlated: a difference of two separate CIs would be too wide)."""
    x, y = treated[[first, second]].to_numpy(float), control[[first, second]].to_numpy(float)

    def gap(a: np.ndarray, b: np.ndarray) -> float:
        return cohens_d(a[:, 0], b[:, 0]) - cohens_d(a[:, 1], b[:, 1])

    lo, hi = _bootstrap(x, y, gap, streams.generator(seed, "trial:bootstrap:difference_of_d"), reps)
    return (float(gap(x, y)), lo, hi)


def trained_changes(dyads: pd.DataFrame, seed: streams.SeedLike = 0,
                    reps: int = 1000) -> dict[str, tuple[float, float, float]]:
    """V8 measures over trained caregivers, each with a 95% CI: the shift of the ambiguous-face
    rating (% of the 2-point scale), the relative change of reactivity, Cohen's d of the
    recognition of happy faces post vs pre (CI from resampling the caregivers), and the
    correlations of the two improvements (ambiguous rating; happy recognition, the one the
    study reported) with the 6-month depression score."""
    d = dyads.dropna(subset=["bias_rating_pre", "bias_rating_post"])
    shift = 100 * (d["bias_rating_post"] - d["bias_rating_pre"]) / 2.0
    react = (d["reactivity_post"] - d["reactivity_pre"]) / d["reactivity_pre"]
    happy_pre, happy_post = d["happy_recognition_pre"].to_numpy(float), d["happy_recognition_post"].to_numpy(float)
    people = streams.generator(seed, "trial:happy-d").integers(0, len(d), (reps, len(d)))  # paired resampling
    happy_lo, happy_hi = np.percentile([cohens_d(happy_post[i], happy_pre[i]) for i in people], [2.5, 97.5])
    return {
        "bias_shift_pct_scale": mean_ci(shift),
        "reactivity_change": mean_ci(react),
        "happy_recognition_d": (cohens_d(happy_post, happy_pre), float(happy_lo), float(happy_hi)),
        "r_improvement_depression_6m": correlation_ci(d["bias_rating_post"] - d["bias_rating_pre"],
                                                      d["depression_score_6m"]),
        "r_happy_improvement_depression_6m": correlation_ci(happy_post - happy_pre, d["depression_score_6m"]),
    }


def check_bootstrap_fits(n_dyads: int, reps: int, option: str = "--reps") -> None:
    """Refuse (UserError), before anything runs, a bootstrap whose resampling indices (replicates
    x dyads, all arms together) would not fit in the memory available."""
    need, free = BOOTSTRAP_INDEX_BYTES * n_dyads * reps, memory.available_bytes()
    if free is not None and need > free:
        raise UserError(f"{option}: a bootstrap of {reps:,} replicates of {n_dyads:,} dyads needs about "
                        f"{need / 1e9:.1f} GB of memory, but only {free / 1e9:.1f} GB is available here; "
                        f"give fewer replicates or dyads")

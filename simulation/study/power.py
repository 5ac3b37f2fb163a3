"""Power of a trial: how many dyads per arm it takes to detect the effect on a binary outcome.

Why a module of its own: planning a trial's size is a question asked after the arms have been
simulated, from the simulated population under each arm, and answered two ways that must agree.
Power is the share of simulated trials of n dyads per arm whose two-sided test (alpha .05)
detects the effect, from repeated draws of independent dyads, beside the sample size for 80%
power from the normal approximation (Cohen 1988, ch. 6); the simulated curve is carried on past
that sample size, so the report shows both and a reader can see that they agree.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from simulation.errors import UserError, shown
from simulation.model import streams
from simulation.study.effects import BINARY, cohens_h
from simulation.study.trial import eligible_mask

ALPHA = 0.05
"""Two-sided significance level of every test and power calculation."""
POWER_TARGET = 0.80
"""The power a trial is planned for (the sample size reported is the one that reaches it)."""
POWER_SIZES = (25, 50, 100, 200, 400, 800, 1600, 3200, 6400)
"""Dyads per arm simulated for the power curve (doubling, so a log axis spaces them evenly); the
curve is extended by doubling until it passes the sample size the formula gives."""
MAX_POWER_N = 204_800
"""Largest number of dyads per arm simulated for the power curve (25 doubled 13 times, a few
seconds at 400 simulated trials): a larger sample size, beyond any real trial, is reported in
words, not simulated, as the time to simulate grows with it."""
SIZE_GAP = 1.25
"""Least ratio between the formula's sample size and the other sizes of the power curve: a size
closer than that is left out (the figure's log axis would print their labels over each other)."""


def power_curve(potential: dict[str, pd.DataFrame], arm: str, control: str, outcome: str = "secure",
                sizes=POWER_SIZES, reps: int = 400, alpha: float = ALPHA,
                seed: streams.SeedLike = 1, eligible: str | None = None) -> pd.DataFrame:
    """Power to detect the arm's effect on a binary outcome with n dyads per arm.

    Each simulated trial draws n dyads for each arm, with replacement, from the simulated
    population under that arm (a bootstrap from the virtual population standing in for the
    population trials sample from), and runs a two-sided two-proportion z test.
    """
    fn = BINARY[outcome]
    treat_all = fn(potential[arm]).to_numpy(float)
    ctrl_all = fn(potential[control]).to_numpy(float)
    # an outcome with the second caregiver is defined in two-caregiver households only
    defined = ~(np.isnan(treat_all) | np.isnan(ctrl_all))
    pool = np.arange(treat_all.size)[eligible_mask(potential[control], eligible) & defined]
    if pool.size == 0:
        raise UserError(f"no eligible dyads (eligible = {shown(eligible)}) to draw simulated trials from")
    gen = streams.generator(seed, f"trial:power:{arm}")
    z_crit = stats.norm.ppf(1 - alpha / 2)
    rows = []
    for n in sizes:
        hits = 0
        for _ in range(reps):
            a = treat_all[gen.choice(pool, n)].mean()
            b = ctrl_all[gen.choice(pool, n)].mean()
            p = (a + b) / 2
            se = np.sqrt(2 * p * (1 - p) / n)
            hits += se > 0 and abs(a - b) / se > z_crit
        rows.append({"n_per_arm": n, "power": hits / reps})
    return pd.DataFrame(rows)


def n_for_power(p1: float, p0: float, power: float = POWER_TARGET, alpha: float = ALPHA) -> float:
    """Dyads per arm for a two-sided two-proportion test (normal approximation, Cohen's h).

    The arcsine-transformed share of an arm of n has variance 1/n, so the difference between
    two arms has variance 2/n and the test statistic is h * sqrt(n / 2). It exceeds the critical
    value with the wanted power when h * sqrt(n / 2) = z(1 - alpha/2) + z(power), that is
    n = 2 * ((z(1 - alpha/2) + z(power)) / h)^2 (Cohen 1988, table 6.4.1: 392 per arm for h = 0.2).
    Infinite when the two shares are equal.
    """
    h = abs(cohens_h(p1, p0))
    if h == 0:
        return np.inf
    return float(2 * ((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) / h) ** 2)


def power_sizes(n_target: float, base=POWER_SIZES, most: int = MAX_POWER_N) -> tuple[int, ...]:
    """Sizes for the power curve: ``base``, doubled on until well past ``n_target``, with
    ``n_target`` itself (rounded up) in place of any size within ``SIZE_GAP`` of it, so that the
    table shows the simulated power at the formula's sample size and on both sides of it.
    Nothing beyond ``most``."""
    sizes = list(base)
    if not np.isfinite(n_target):
        return tuple(sizes)
    n = math.ceil(n_target)
    while sizes[-1] < n * SIZE_GAP and 2 * sizes[-1] <= most:
        sizes.append(2 * sizes[-1])
    if n <= most:
        sizes = [size for size in sizes if not 1 / SIZE_GAP < size / n < SIZE_GAP] + [n]
    return tuple(sorted(sizes))


def n_at_power(curve: pd.DataFrame, target: float = POWER_TARGET) -> float:
    """Dyads per arm at which the simulated curve first reaches ``target``, interpolated linearly
    in log n between the two sizes around it; NaN if it never does (or does at its smallest size,
    where nothing is known of smaller ones)."""
    n, pw = curve["n_per_arm"].to_numpy(float), curve["power"].to_numpy(float)
    above = np.nonzero(pw >= target)[0]
    if above.size == 0 or above[0] == 0:
        return np.nan
    i = above[0]
    share = (target - pw[i - 1]) / (pw[i] - pw[i - 1])
    return float(np.exp(np.log(n[i - 1]) + share * (np.log(n[i]) - np.log(n[i - 1]))))


def power_analysis(potential: dict[str, pd.DataFrame], arm: str, control: str, outcome: str = "secure", *,
                   reps: int = 400, seed: streams.SeedLike = 1, eligible: str | None = None,
                   power: float = POWER_TARGET, alpha: float = ALPHA) -> pd.DataFrame:
    """The power curve and the sample size for ``power``, worked out two ways that must agree.

    The formula (:func:`n_for_power`) uses the shares of the outcome in the eligible simulated
    population under each arm; the curve (:func:`power_curve`) is simulated at the usual sizes,
    carried on past the formula's n, and at that n itself. ``attrs`` hold ``outcome``, the two
    shares, ``n_80`` (the formula's n, rounded up; the figure draws it) and ``n_80_simulated``
    (where the simulated curve reaches ``power``).
    """
    mask = eligible_mask(potential[control], eligible)
    fn = BINARY[outcome]
    p1, p0 = float(fn(potential[arm][mask]).mean()), float(fn(potential[control][mask]).mean())
    n_formula = n_for_power(p1, p0, power, alpha)
    n_formula = float(math.ceil(n_formula)) if np.isfinite(n_formula) else n_formula
    curve = power_curve(potential, arm, control, outcome=outcome, sizes=power_sizes(n_formula), reps=reps,
                        alpha=alpha, seed=seed, eligible=eligible)
    curve.attrs.update(outcome=outcome, p_treated=p1, p_control=p0, power=power, reps=reps, n_80=n_formula,
                       n_80_simulated=n_at_power(curve, power))
    return curve

"""The sample size for 80% power, checked against calculations that do not use its formula.

``n_for_power`` is a closed formula (normal approximation on Cohen's h). Here the power of
the test a trial would run (two-sided pooled two-proportion z test, alpha .05) at the n it
returns is worked out two independent ways: exactly, by summing the binomial probabilities of
every outcome of the two arms, and by simulating trials of that design. Both must give 0.80. The
trial report must then agree with its own simulated power table.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.study import trial, trial_report
from simulation.study.effects import MIN_BOOTSTRAP_REPS, cohens_h, effect_table
from simulation.study.power import MAX_POWER_N, POWER_SIZES, n_at_power, n_for_power, power_analysis, power_sizes
from simulation.scenario import load_scenario

ALPHA = 0.05
TARGET = 0.80
TOLERANCE = 0.02
"""The brief: the n returned must give power 0.80 +- 0.02."""
PAIRS = [(0.65, 0.60), (0.5, 0.3), (0.1, 0.05), (0.62, 0.60), (0.3, 0.5), (0.9, 0.8)]
"""(treated, control) shares: small and large effects, rare and common outcomes, either sign."""
MASS_SDS = 8
"""Outcomes beyond 8 binomial SDs of the mean carry under 1e-14 of the probability: left out."""
SIMULATED_TRIALS = 4000
"""SE of a simulated power of 0.8 is 0.0063: the tolerance is more than 3 SE."""
SEED = 20260101
CURVE_REPS = 1000
"""Simulated trials per size in the report check: SE 0.013 at 80% power."""
POPULATION = 40_000


def z_test_rejects(x1, x0, n: int) -> np.ndarray:
    """The pooled two-proportion z test (the chi-square test without correction) for counts x1, x0."""
    a, b = np.asarray(x1) / n, np.asarray(x0) / n
    pooled = (a + b) / 2
    se = np.sqrt(2 * pooled * (1 - pooled) / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (se > 0) & (np.abs(a - b) > stats.norm.ppf(1 - ALPHA / 2) * se)


def likely_counts(n: int, p: float) -> tuple[np.ndarray, np.ndarray]:
    sd = np.sqrt(n * p * (1 - p))
    counts = np.arange(max(0, int(n * p - MASS_SDS * sd)), min(n, int(np.ceil(n * p + MASS_SDS * sd))) + 1)
    return counts, stats.binom.pmf(counts, n, p)


def exact_power(n: int, p1: float, p0: float) -> float:
    """Sum over every pair of counts (x1, x0) of P(x1) P(x0) [the test rejects]."""
    (x1, w1), (x0, w0) = likely_counts(n, p1), likely_counts(n, p0)
    assert w1.sum() > 1 - 1e-9 and w0.sum() > 1 - 1e-9
    return float(w1 @ z_test_rejects(x1[:, None], x0[None, :], n) @ w0)


def simulated_power(n: int, p1: float, p0: float) -> float:
    gen = np.random.default_rng(SEED)
    return float(z_test_rejects(gen.binomial(n, p1, SIMULATED_TRIALS), gen.binomial(n, p0, SIMULATED_TRIALS), n).mean())


def test_cohens_table_value():
    """Cohen (1988), table 6.4.1: h = 0.20, two-sided alpha .05, power .80 -> 392 per group."""
    p0 = 0.5
    p1 = np.sin(np.arcsin(np.sqrt(p0)) + 0.1) ** 2  # h = 2 * 0.1
    assert cohens_h(p1, p0) == pytest.approx(0.2)
    assert n_for_power(p1, p0) == pytest.approx(392, abs=1)


@pytest.mark.parametrize("p1,p0", PAIRS)
def test_n_for_power_gives_80_percent_exactly(p1, p0):
    n = int(np.ceil(n_for_power(p1, p0)))
    assert exact_power(n, p1, p0) == pytest.approx(TARGET, abs=TOLERANCE)
    assert exact_power(n // 2, p1, p0) < TARGET - 0.2  # the old formula's n (half) is far short


@pytest.mark.parametrize("p1,p0", PAIRS)
def test_n_for_power_gives_80_percent_in_simulated_trials(p1, p0):
    n = int(np.ceil(n_for_power(p1, p0)))
    assert simulated_power(n, p1, p0) == pytest.approx(TARGET, abs=TOLERANCE)


def test_no_difference_needs_infinitely_many():
    assert n_for_power(0.4, 0.4) == np.inf


def population(p: float, seed: int) -> pd.DataFrame:
    """A simulated population of which exactly a share p is secure (B)."""
    secure = np.zeros(POPULATION, dtype=bool)
    secure[: round(p * POPULATION)] = True
    secure = np.random.default_rng(seed).permutation(secure)
    return pd.DataFrame({"dyad": np.arange(POPULATION), "attachment": np.where(secure, "B", "A")})


@pytest.fixture(scope="module")
def report_inputs():
    p1, p0 = PAIRS[0]
    potential = {"control": population(p0, 1), "vf": population(p1, 2)}
    power = power_analysis(potential, "vf", "control", "secure", reps=CURVE_REPS, seed=3)
    labels = trial.randomise(POPULATION, ["control", "vf"], seed=4)
    dyads = pd.concat([potential[a][labels == a].assign(arm=a) for a in ("control", "vf")]).sort_values("dyad")
    result = trial.TrialResult(dyads=dyads, effects=effect_table(dyads, "control", reps=MIN_BOOTSTRAP_REPS),
                               arms={"control": load_scenario("video_feedback_trial", {"interventions": []}),
                                     "vf": load_scenario("video_feedback_trial")},
                               control="control", seed=1, potential=potential)
    return power, result


def test_power_table_agrees_with_the_reported_n(report_inputs):
    """The simulated power at the formula's n is 0.80 within 3 SE, and the simulated curve crosses
    0.80 within 15% of that n (3 SE of the crossing in log n is about 10%)."""
    power, _ = report_inputs
    n80 = power.attrs["n_80"]
    assert n80 == np.ceil(n_for_power(*PAIRS[0]))
    at = power.loc[power.n_per_arm == n80, "power"].iloc[0]
    assert at == pytest.approx(TARGET, abs=3 * np.sqrt(TARGET * (1 - TARGET) / CURVE_REPS))
    assert power.n_per_arm.max() > n80  # the curve goes on past the reported n
    assert abs(np.log(power.attrs["n_80_simulated"] / n80)) < 0.15


def test_report_states_both_and_has_one_title(report_inputs):
    power, result = report_inputs
    text = trial_report.markdown_report(result, power)
    n80 = power.attrs["n_80"]
    assert f"| {n80:.0f} (formula) |" in text
    assert "80% power, by the normal approximation" in text and f"{n80:,.0f}" in text
    assert f"reaches 80% at about {power.attrs['n_80_simulated']:,.0f}" in text
    assert text.splitlines()[0] == "# Virtual trial: video-feedback for sensitive responding"
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_what_cannot_be_computed_is_said_in_words():
    """One dyad in the treated arm, nobody secure: no d, no odds ratio, and no 'nan' in the report."""
    dyads = pd.DataFrame({"dyad": range(6), "arm": ["control"] * 5 + ["vf"], "attachment": ["A"] * 6,
                          "security": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]})
    effects = effect_table(dyads, "control", reps=MIN_BOOTSTRAP_REPS)
    assert effects.query("measure == 'odds_ratio'").estimate.isna().all()
    sc = load_scenario("community")
    result = trial.TrialResult(dyads=dyads, effects=effects, arms={"control": sc, "vf": sc}, control="control", seed=1)
    text = trial_report.markdown_report(result)
    assert text.startswith("# Virtual trial: ")
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
    assert trial_report.NOT_COMPUTABLE["cohens_d"] in text and trial_report.NOT_COMPUTABLE["odds_ratio"] in text


def test_power_curve_interpolation():
    curve = pd.DataFrame({"n_per_arm": [100, 200, 400], "power": [0.3, 0.7, 0.9]})
    assert n_at_power(curve, 0.8) == pytest.approx(200 * 2 ** 0.5)
    assert np.isnan(n_at_power(curve, 0.95))
    assert power_sizes(7000)[-3:] == (3200, 7000, 12800)  # 6400 would print over 7000
    assert power_sizes(6000)[-3:] == (3200, 6000, 12800)  # and a size beyond the n is kept
    assert power_sizes(500) == (25, 50, 100, 200, 400, 500, 800, 1600, 3200, 6400)
    assert power_sizes(np.inf) == POWER_SIZES
    assert max(power_sizes(10 ** 9)) <= MAX_POWER_N

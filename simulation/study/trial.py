"""Virtual trials: randomise dyads into arms, run, and report effect sizes as a trial would.

Design. Every arm is simulated for the *whole* population with the same seed (common random
numbers: the same caregivers, infants and daily random numbers), then each dyad is randomised
(optionally within strata) to one arm and contributes only its outcome under that arm. The
analysed data are therefore those of a real parallel-group trial, while the arms differ only by
the intervention: an arm whose intervention does nothing gives exactly the control arm's
outcomes. Effects: Cohen's d for continuous outcomes; risk difference, odds ratio and Cohen's h
for binary ones (secure, disorganised, depressed); percentile bootstrap 95% CIs (Efron &
Tibshirani 1993). Power: the share of simulated trials of n dyads per arm whose two-sided test
(alpha .05) detects the effect, from repeated draws of independent dyads, beside the sample size
for 80% power from the normal approximation (Cohen 1988, ch. 6); the simulated curve is carried on
past that sample size, so the report shows both and a reader can see that they agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from simulation.model import memory
from simulation.model import streams
from simulation.errors import UserError, shown
from simulation.study.runner import run
from simulation.scenario import Scenario, load_scenario

CONTINUOUS = ("observed_sensitivity", "security", "crying_late", "depression_score_6m")
BINARY = {"secure": lambda d: d["attachment"] == "B", "disorganised": lambda d: d["attachment"] == "D",
          "depressed": lambda d: d["depressed"].astype(bool)}
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
MIN_DYADS_PER_ARM = 10
"""Fewest dyads randomised per arm that the scripts accept: fewer leave most effects without a
standard deviation or a bootstrap distribution worth the name."""
MIN_BOOTSTRAP_REPS = 200
"""Fewest bootstrap replicates for a percentile 95% CI: 200 leave 5 replicates beyond each end,
the least for an end that is not one extreme draw (Efron & Tibshirani 1993 advise 1,000 or more)."""
MAX_BOOTSTRAP_REPS = 10_000
"""Most bootstrap replicates the scripts accept: at 10,000 the Monte Carlo error of a CI's end is
far below the CI's width, and more only cost time and memory (see :func:`check_bootstrap_fits`)."""
BOOTSTRAP_INDEX_BYTES = 8
"""Bytes of one resampling index (int64): a bootstrap holds replicates x dyads of them."""


@dataclass
class TrialResult:
    dyads: pd.DataFrame                       # analysed trial data: one row per dyad, with its arm
    effects: pd.DataFrame                     # one row per (arm vs control, outcome)
    arms: dict[str, Scenario]
    control: str
    seed: Any
    potential: dict[str, pd.DataFrame] = field(default_factory=dict)  # every dyad under every arm
    _pre_post: dict | None = field(default=None, init=False, repr=False)

    def pre_post(self) -> dict[str, tuple[float, float, float]]:
        """The V8 pre/post measures (``trained_changes``) over the treatment arms, worked out once."""
        if self._pre_post is None:
            self._pre_post = trained_changes(self.dyads[self.dyads["arm"] != self.control], seed=self.seed)
        return self._pre_post


def eligible_mask(table: pd.DataFrame, eligible: str | None) -> np.ndarray:
    """Who may be randomised: everyone, a boolean column, or ``high_risk`` (2+ risk factors)."""
    if not eligible:
        return np.ones(len(table), dtype=bool)
    if eligible == "high_risk":
        return (table["risk_count"] >= 2).to_numpy()
    return table[eligible].astype(bool).to_numpy()


def randomise(n: int, arms: list[str], seed: streams.SeedLike, strata: np.ndarray | None = None) -> np.ndarray:
    """Arm labels for n dyads: permuted blocks within each stratum (balanced allocation)."""
    gen = streams.generator(seed, "trial:randomisation")
    labels = np.empty(n, dtype=object)
    strata = np.zeros(n, dtype=int) if strata is None else np.asarray(strata)
    for value in np.unique(strata):
        idx = np.nonzero(strata == value)[0]
        idx = idx[gen.permutation(idx.size)]
        labels[idx] = np.resize(np.array(arms, dtype=object), idx.size)[gen.permutation(idx.size)]
    return labels


def cohens_d(x: np.ndarray, y: np.ndarray) -> float:
    """Standardised mean difference (x - y) with the pooled SD."""
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if x.size < 2 or y.size < 2:
        return np.nan
    pooled = np.sqrt(((x.size - 1) * x.var(ddof=1) + (y.size - 1) * y.var(ddof=1)) / (x.size + y.size - 2))
    return float((x.mean() - y.mean()) / pooled) if pooled > 0 else np.nan


def cohens_h(p1: float, p0: float) -> float:
    """Difference of arcsine-transformed proportions: its sampling variance is 1/n per arm whatever
    the proportions, which is what makes :func:`n_for_power` a closed formula."""
    return float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p0)))


def odds_ratio(p1: float, p0: float) -> float:
    """Odds ratio p1 vs p0; NaN when an arm has none or all with the outcome, where it is not
    defined (0 or infinite), rather than a made-up figure from dividing by a small number."""
    if not (0 < p1 < 1 and 0 < p0 < 1):
        return np.nan
    return float((p1 / (1 - p1)) / (p0 / (1 - p0)))


def _bootstrap(x: np.ndarray, y: np.ndarray, stat, gen: np.random.Generator, reps: int) -> tuple[float, float]:
    ix = gen.integers(0, x.size, (reps, x.size))
    iy = gen.integers(0, y.size, (reps, y.size))
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
            if out == "depressed" and "depressed" not in dyads:
                continue
            x, y = fn(treat).to_numpy(float), fn(ctrl).to_numpy(float)
            for measure, stat in (("risk_difference", lambda a, b: a.mean() - b.mean()),
                                  ("odds_ratio", lambda a, b: odds_ratio(a.mean(), b.mean())),
                                  ("cohens_h", lambda a, b: cohens_h(a.mean(), b.mean()))):
                lo, hi = _bootstrap(x, y, stat, gen, reps)
                rows.append(dict(arm=arm, outcome=out, kind="binary", measure=measure, estimate=stat(x, y),
                                 ci_low=lo, ci_high=hi, treated_mean=x.mean(), control_mean=y.mean(),
                                 n_treated=x.size, n_control=y.size))
    return pd.DataFrame(rows)


def run_trial(scenario: Any, arms: dict[str, list[dict]], *, control: str = "control", n_dyads: int | None = None,
              seed: streams.SeedLike = 1, overrides: dict[str, Any] | None = None, stratify: str | None = "risk_count",
              eligible: str | None = None, reps: int = 1000) -> TrialResult:
    """Run a parallel-group virtual trial.

    ``arms`` maps arm names to lists of intervention tables (the control arm's list is usually
    empty), e.g. ``{"control": [], "video_feedback": [{"kind": "video_feedback", "start_day": 90}]}``.
    ``stratify`` names a per-dyad column (e.g. ``risk_count``) for stratified randomisation;
    ``eligible`` a boolean column (e.g. ``risk_prior_depression``) restricting who is randomised.
    """
    if control not in arms:
        raise ValueError(f"the control arm '{control}' is not among the arms {list(arms)}")
    base = dict(overrides or {})
    if n_dyads is not None:
        base["simulation.n_dyads"] = n_dyads
    loaded = {name: load_scenario(scenario, {**base, "interventions": ivs}) for name, ivs in arms.items()}
    potential = {name: run(sc, seed=seed).dyads for name, sc in loaded.items()}
    reference = potential[control]
    keep = eligible_mask(reference, eligible)
    strata = reference[stratify].to_numpy() if stratify else None
    labels = randomise(len(reference), list(arms), seed, None if strata is None else strata)
    parts = []
    for name, table in potential.items():
        chosen = (labels == name) & keep
        if not chosen.any():
            raise UserError(f"no dyad was randomised to the arm {shown(name)}: {int(keep.sum())} of {keep.size} "
                            f"dyads are eligible (eligible = {shown(eligible)}); give more dyads or widen eligibility")
        parts.append(table.loc[chosen].assign(arm=name))
    dyads = pd.concat(parts).sort_values("dyad").reset_index(drop=True)
    cols = ["arm"] + [c for c in dyads.columns if c != "arm"]
    dyads = dyads[cols]
    effects = effect_table(dyads, control, seed=seed, reps=reps)
    return TrialResult(dyads=dyads, effects=effects, arms=loaded, control=control, seed=seed, potential=potential)


def power_curve(potential: dict[str, pd.DataFrame], arm: str, control: str, outcome: str = "secure",
                sizes=POWER_SIZES, reps: int = 400, alpha: float = ALPHA,
                seed: streams.SeedLike = 1, eligible: str | None = None) -> pd.DataFrame:
    """Power to detect the arm's effect on a binary outcome with n dyads per arm.

    Each simulated trial draws n dyads for each arm, with replacement, from the simulated
    population under that arm (a bootstrap from the virtual population standing in for the
    population trials sample from), and runs a two-sided two-proportion z test.
    """
    fn = BINARY[outcome]
    treat_all = fn(potential[arm]).to_numpy(bool)
    ctrl_all = fn(potential[control]).to_numpy(bool)
    pool = np.arange(treat_all.size)[eligible_mask(potential[control], eligible)]
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


def check_bootstrap_fits(n_dyads: int, reps: int, option: str = "--reps") -> None:
    """Refuse (UserError), before anything runs, a bootstrap whose resampling indices (replicates
    x dyads, all arms together) would not fit in the memory available."""
    need, free = BOOTSTRAP_INDEX_BYTES * n_dyads * reps, memory.available_bytes()
    if free is not None and need > free:
        raise UserError(f"{option}: a bootstrap of {reps:,} replicates of {n_dyads:,} dyads needs about "
                        f"{need / 1e9:.1f} GB of memory, but only {free / 1e9:.1f} GB is available here; "
                        f"give fewer replicates or dyads")


# --------------------------------------------------------------------------------- scenarios
ELIGIBLE_COLUMN = {"all": None, "prior_depression": "risk_prior_depression", "high_risk": "high_risk"}  # see eligible_mask
STRATIFY_COLUMN = {"none": None, "risk_count": "risk_count", "prior_depression": "risk_prior_depression"}


def scenario_trial(scenario: Any, *, n_dyads: int | None = None, seed: streams.SeedLike = 1,
                   overrides: dict[str, Any] | None = None, reps: int = 1000) -> TrialResult:
    """The scenario's interventions (treatment arm) against the same scenario without them."""
    sc = load_scenario(scenario, overrides)
    if not sc.interventions:
        raise ValueError(f"scenario '{sc.name}' has no [[interventions]]: nothing to trial")
    treatment = "+".join(iv.name or iv.kind for iv in sc.interventions)
    arms = {"control": [], treatment: [iv.model_dump() for iv in sc.interventions]}
    eligible = ELIGIBLE_COLUMN[sc.trial.eligible]
    data = sc.model_dump()
    data["interventions"] = []
    result = run_trial(data, arms, n_dyads=n_dyads or sc.trial.n_dyads, seed=seed, overrides=overrides,
                       stratify=STRATIFY_COLUMN[sc.trial.stratify], eligible=eligible, reps=reps)
    return result


PILOT_HIGH, PILOT_LOW = 23, 22
"""The second seed's pilot: 23 trained high-risk and 22 untrained low-risk expectant mothers."""


def pilot_study(scenario: Any = "bias_training_trial", *, n_high: int = PILOT_HIGH, n_low: int = PILOT_LOW,
                replications: int = 200,
                seed: streams.SeedLike = 1, overrides: dict[str, Any] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The second seed's pilot design, replicated: n_high trained high-risk and n_low untrained
    low-risk expectant mothers, pre/post measures, depression at 6 months.

    Returns (per-replication summary, pooled dyads). Each replication draws its own mothers from
    one large simulated population (high-risk: earlier depression, trained; low-risk: no
    earlier depression, not trained).
    """
    sc = load_scenario(scenario, overrides)
    spec = [iv.model_dump() for iv in sc.interventions]
    need = max(n_high, n_low) * replications
    high = run(sc, seed=seed, overrides={"risk.prior_depression": 1.0, "simulation.n_dyads": need,
                                         "interventions": [{**s, "target": "all"} for s in spec]}).dyads
    low = run(sc, seed=seed, overrides={"risk.prior_depression": 0.0, "simulation.n_dyads": need,
                                        "interventions": [{**s, "target": "all", "adherence": 0.0} for s in spec]}).dyads
    high = high.assign(group="high-risk, trained")
    low = low.assign(group="low-risk, untrained")
    rows = []
    for r in range(replications):
        h = high.iloc[r * n_high:(r + 1) * n_high]
        lo = low.iloc[r * n_low:(r + 1) * n_low]
        change = h["bias_rating_post"] - h["bias_rating_pre"]
        _, p_val = stats.ttest_rel(h["bias_rating_post"], h["bias_rating_pre"])
        rows.append({
            "replication": r,
            "bias_pre_high": h["bias_rating_pre"].mean(), "bias_post_high": h["bias_rating_post"].mean(),
            "bias_pre_low": lo["bias_rating_pre"].mean(),
            "bias_shift_pct_scale": 100 * change.mean() / 2.0,
            "bias_shift_p": p_val,
            "happy_change": (h["happy_recognition_post"] - h["happy_recognition_pre"]).mean(),
            "reactivity_change_pct": 100 * ((h["reactivity_post"] - h["reactivity_pre"]) / h["reactivity_pre"]).mean(),
            "r_improvement_depression_6m": float(np.corrcoef(change, h["depression_score_6m"])[0, 1]),
            "r_happy_improvement_depression_6m": float(np.corrcoef(
                h["happy_recognition_post"] - h["happy_recognition_pre"], h["depression_score_6m"])[0, 1]),
            "depressed_high": h["depressed"].mean(), "depressed_low": lo["depressed"].mean(),
        })
    pooled = pd.concat([high.iloc[:n_high * replications], low.iloc[:n_low * replications]], ignore_index=True)
    return pd.DataFrame(rows), pooled


def trained_changes(dyads: pd.DataFrame, seed: streams.SeedLike = 0,
                    reps: int = 1000) -> dict[str, tuple[float, float, float]]:
    """V8 measures over trained caregivers, each with a 95% CI: the shift of the ambiguous-face
    rating (% of the 2-point scale), the relative change of reactivity, Cohen's d of the
    recognition of happy faces post vs pre (CI from resampling the caregivers), and the
    correlations of the two improvements (ambiguous rating; happy recognition, the one the
    study reported) with the 6-month depression score."""
    from simulation.study.analysis import correlation_ci, mean_ci

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


TITLE_PREFIX = "Virtual trial"
"""Every report's title starts so; a scenario whose title says it already is not prefixed twice."""
NOT_COMPUTABLE = {
    "cohens_d": "not computable (an arm with fewer than 2 dyads, or no spread in the outcome)",
    "odds_ratio": "not defined (an arm where none or all have the outcome)",
}
"""What the report says, in words, instead of a NaN estimate."""
NO_CI = "no CI (too few bootstrap resamples could be computed)"
PILOT_COLUMNS = ("bias_shift_pct_scale", "happy_change", "reactivity_change_pct", "r_improvement_depression_6m",
                 "r_happy_improvement_depression_6m", "depressed_high", "depressed_low")


def _number(x: float, missing: str = "no data", digits: int = 3) -> str:
    return f"{x:.{digits}f}" if x is not None and np.isfinite(x) else missing


def _estimate_text(estimate: float, low: float, high: float, measure: str | None = None) -> str:
    """``estimate [low, high]``, or what could not be computed, in words (never "nan")."""
    if not np.isfinite(estimate):
        return NOT_COMPUTABLE.get(measure, "not computable")
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"{estimate:.3f}, {NO_CI}"
    return f"{estimate:.3f} [{low:.3f}, {high:.3f}]"


def report_title(sc: Scenario) -> str:
    title = sc.title or sc.name
    return title if title.lower().startswith(TITLE_PREFIX.lower()) else f"{TITLE_PREFIX}: {title}"


def power_text(power: pd.DataFrame) -> list[str]:
    """The power section: the simulated table (the formula's n marked) and the sample size for the
    target power from the formula beside where the simulated curve reaches it."""
    a = power.attrs
    target, n80, outcome = a.get("power", POWER_TARGET), a.get("n_80"), a.get("outcome", "secure")
    lines = ["| dyads per arm | power |", "| --- | --- |"]
    for n, pw in zip(power["n_per_arm"], power["power"]):
        lines.append(f"| {int(n)}{' (formula)' if n == n80 else ''} | {pw:.2f} |")
    if n80 is None:
        return lines
    p1, p0 = a.get("p_treated", np.nan), a.get("p_control", np.nan)
    shares = (f" (shares {p1:.3f} vs {p0:.3f}, Cohen's h {cohens_h(p1, p0):.3f})"
              if np.isfinite(p1) and np.isfinite(p0) else "")
    if not np.isfinite(n80):
        return lines + ["", f"The arms do not differ on {outcome} in the simulated population{shares}: "
                            f"no sample size gives {target:.0%} power."]
    text = f"Dyads per arm for {target:.0%} power, by the normal approximation{shares}: {n80:,.0f}"
    at, reps = power.loc[power["n_per_arm"] == n80, "power"], a.get("reps")
    if len(at) and reps:
        margin = stats.norm.ppf(1 - ALPHA / 2) * np.sqrt(target * (1 - target) / reps)
        text += (f"; the simulated trials above have power {at.iloc[0]:.2f} at that size "
                 f"({target:.2f} ± {margin:.2f} expected from {reps} trials)")
    elif not len(at):
        text += f", beyond the largest size simulated ({int(power['n_per_arm'].max()):,})"
    simulated = a.get("n_80_simulated", np.nan)
    if np.isfinite(simulated):
        text += f"; the simulated curve reaches {target:.0%} at about {simulated:,.0f} dyads per arm."
    elif power["power"].iloc[0] >= target:
        text += f"; the simulated curve is at {target:.0%} already at its smallest size."
    else:
        text += f"; the simulated curve does not cross {target:.0%} within the sizes simulated."
    return lines + ["", text]


def markdown_report(result: TrialResult, power: pd.DataFrame | None = None, pilot: pd.DataFrame | None = None,
                    figures: list[str] | None = None) -> str:
    """A trial report: design, arms, effects with CIs, power, (pilot replications), figures.

    Whatever cannot be computed (an arm too small for a standard deviation, an odds ratio with no
    events) is said in words: a reader should never meet "nan".
    """
    d = result.dyads
    treat = [a for a in dict.fromkeys(d["arm"]) if a != result.control]
    sc = next(iter(result.arms.values()))
    lines = [f"# {report_title(sc)}", "",
             f"Scenario `{sc.name}`, seed {result.seed}; {len(d)} dyads randomised "
             f"({', '.join(f'{a}: {int((d.arm == a).sum())}' for a in dict.fromkeys(d.arm))}); "
             "arms simulated with common random numbers.", ""]
    for name, arm in result.arms.items():
        ivs = "; ".join(f"{iv.kind} from day {iv.start_day}" + (f" ({iv.target})" if iv.target != "all" else "")
                        for iv in arm.interventions) or "no intervention"
        lines.append(f"- **{name}**: {ivs}")
    lines += ["", "## Effects (treatment vs control, 95% bootstrap CI)", "",
              "| arm | outcome | measure | estimate [95% CI] | treated | control |", "| --- | --- | --- | --- | --- | --- |"]
    for _, r in result.effects.iterrows():
        estimate = _estimate_text(r.estimate, r.ci_low, r.ci_high, r.measure)
        lines.append(f"| {r.arm} | {r.outcome} | {r.measure} | {estimate} | {_number(r.treated_mean)} "
                     f"| {_number(r.control_mean)} |")
    if any(iv.kind == "bias_training" for arm in result.arms.values() for iv in arm.interventions):
        if d.loc[d.arm.isin(treat), "bias_rating_pre"].notna().any():
            lines += ["", "## Pre/post measures of the trained caregivers", ""]
            for key, (m, lo, hi) in result.pre_post().items():
                lines.append(f"- {key}: {_estimate_text(m, lo, hi)}")
    if power is not None and len(power):
        outcome = power.attrs.get("outcome", "secure")
        lines += ["", f"## Power to detect the effect on {outcome}", "", *power_text(power)]
    if pilot is not None and len(pilot):
        q = pilot.quantile([0.025, 0.5, 0.975])
        lines += ["", f"## The pilot design, replicated {len(pilot)} times "
                  f"({PILOT_HIGH} high-risk trained, {PILOT_LOW} low-risk)", "",
                  "| measure | median | 95% of replications |", "| --- | --- | --- |"]
        for col in PILOT_COLUMNS:
            lo, mid, hi = (q.loc[k, col] for k in (0.025, 0.5, 0.975))
            spread = f"{lo:.3f} – {hi:.3f}" if np.isfinite(lo) and np.isfinite(hi) else "not computable"
            lines.append(f"| {col} | {_number(mid, 'not computable')} | {spread} |")
        lines.append(f"| share of pilots with a significant bias shift (p < .05) | {(pilot.bias_shift_p < 0.05).mean():.2f} | |")
    for fig in figures or []:
        lines += ["", f"![{fig}]({fig})"]
    return "\n".join(lines) + "\n"

"""Virtual trials: randomise dyads into arms, run, and report effect sizes as a trial would.

Design. Every arm is simulated for the *whole* population with the same seed (common random
numbers: the same caregivers, infants and daily random numbers), then each dyad is randomised
(optionally within strata) to one arm and contributes only its outcome under that arm. The
analysed data are therefore those of a real parallel-group trial, while the arms differ only by
the intervention: an arm whose intervention does nothing gives exactly the control arm's
outcomes. Effects: Cohen's d for continuous outcomes; risk difference, odds ratio and Cohen's h
for binary ones (secure, disorganised, depressed); percentile bootstrap 95% CIs (Efron &
Tibshirani 1993). Power: the share of simulated trials of n dyads per arm whose two-sided test
(alpha .05) detects the effect, from repeated draws of independent dyads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import streams
from .runner import run
from .scenario import Scenario, load_scenario

CONTINUOUS = ("observed_sensitivity", "security", "crying_late", "depression_score_6m")
BINARY = {"secure": lambda d: d["attachment"] == "B", "disorganised": lambda d: d["attachment"] == "D",
          "depressed": lambda d: d["depressed"].astype(bool)}


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
    return float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p0)))


def odds_ratio(p1: float, p0: float) -> float:
    eps = 1e-9
    return float((p1 / max(1 - p1, eps)) / max(p0 / max(1 - p0, eps), eps))


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
        parts.append(table.loc[chosen].assign(arm=name))
    dyads = pd.concat(parts).sort_values("dyad").reset_index(drop=True)
    cols = ["arm"] + [c for c in dyads.columns if c != "arm"]
    dyads = dyads[cols]
    effects = effect_table(dyads, control, seed=seed, reps=reps)
    return TrialResult(dyads=dyads, effects=effects, arms=loaded, control=control, seed=seed, potential=potential)


def power_curve(potential: dict[str, pd.DataFrame], arm: str, control: str, outcome: str = "secure",
                sizes=(25, 50, 100, 200, 400, 800, 1600, 3200, 6400), reps: int = 400, alpha: float = 0.05,
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


def n_for_power(p1: float, p0: float, power: float = 0.8, alpha: float = 0.05) -> float:
    """Dyads per arm for a two-sided two-proportion test (normal approximation, Cohen's h)."""
    h = abs(cohens_h(p1, p0))
    if h == 0:
        return np.inf
    return float(((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) / h) ** 2)


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


def pilot_study(scenario: Any = "bias_training_trial", *, n_high: int = 23, n_low: int = 22, replications: int = 200,
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
        t_stat, p_val = stats.ttest_rel(h["bias_rating_post"], h["bias_rating_pre"])
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
    from .analysis import correlation_ci, mean_ci

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


def markdown_report(result: TrialResult, power: pd.DataFrame | None = None, pilot: pd.DataFrame | None = None,
                    figures: list[str] | None = None) -> str:
    """A trial report: design, arms, effects with CIs, power, (pilot replications), figures."""
    d = result.dyads
    treat = [a for a in dict.fromkeys(d["arm"]) if a != result.control]
    sc = next(iter(result.arms.values()))
    lines = [f"# Virtual trial: {sc.title or sc.name}", "",
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
        lines.append(f"| {r.arm} | {r.outcome} | {r.measure} | {r.estimate:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}] | "
                     f"{r.treated_mean:.3f} | {r.control_mean:.3f} |")
    if any(iv.kind == "bias_training" for arm in result.arms.values() for iv in arm.interventions):
        if d.loc[d.arm.isin(treat), "bias_rating_pre"].notna().any():
            lines += ["", "## Pre/post measures of the trained caregivers", ""]
            for key, (m, lo, hi) in result.pre_post().items():
                ci = "" if np.isnan(lo) else f" [{lo:.3f}, {hi:.3f}]"
                lines.append(f"- {key}: {m:.3f}{ci}")
    if power is not None and len(power):
        lines += ["", f"## Power to detect the effect on {power.attrs.get('outcome', 'secure')}", "",
                  "| dyads per arm | power |", "| --- | --- |"]
        lines += [f"| {int(r.n_per_arm)} | {r.power:.2f} |" for _, r in power.iterrows()]
        if "n_80" in power.attrs:
            lines += ["", f"Dyads per arm for 80% power (normal approximation): {power.attrs['n_80']:.0f}."]
    if pilot is not None and len(pilot):
        q = pilot.quantile([0.025, 0.5, 0.975])
        lines += ["", f"## The pilot design, replicated {len(pilot)} times (23 high-risk trained, 22 low-risk)", "",
                  "| measure | median | 95% of replications |", "| --- | --- | --- |"]
        for col in ("bias_shift_pct_scale", "happy_change", "reactivity_change_pct", "r_improvement_depression_6m",
                    "r_happy_improvement_depression_6m", "depressed_high", "depressed_low"):
            lines.append(f"| {col} | {q.loc[0.5, col]:.3f} | {q.loc[0.025, col]:.3f} – {q.loc[0.975, col]:.3f} |")
        lines.append(f"| share of pilots with a significant bias shift (p < .05) | {(pilot.bias_shift_p < 0.05).mean():.2f} | |")
    for fig in figures or []:
        lines += ["", f"![{fig}]({fig})"]
    return "\n".join(lines) + "\n"

"""Virtual trials: randomise dyads into arms and run them as a parallel-group trial would.

Design. Every arm is simulated for the *whole* population with the same seed (common random
numbers: the same caregivers, infants and daily random numbers), then each dyad is randomised
(optionally within strata) to one arm and contributes only its outcome under that arm. The
analysed data are therefore those of a real parallel-group trial, while the arms differ only by
the intervention: an arm whose intervention does nothing gives exactly the control arm's
outcomes. This module holds what makes the data a trial's, the design and the running: who is
eligible, stratified randomisation, :func:`run_trial`, a scenario's own trial
(:func:`scenario_trial`) and the second seed's pilot design (:func:`pilot_study`). The effect
sizes and their bootstrap CIs are in :mod:`simulation.study.effects`, power in
:mod:`simulation.study.power`, the markdown report in :mod:`simulation.study.trial_report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from simulation.model import streams
from simulation.errors import UserError, shown
from simulation.study.analysis import mean_ci
from simulation.study.effects import BINARY, effect_table, trained_changes
from simulation.study.runner import run
from simulation.scenario import Scenario, load_scenario

MIN_DYADS_PER_ARM = 10
"""Fewest dyads randomised per arm that the scripts accept: fewer leave most effects without a
standard deviation or a bootstrap distribution worth the name."""


@dataclass
class TrialResult:
    dyads: pd.DataFrame                       # analysed trial data: one row per dyad, with its arm
    effects: pd.DataFrame                     # one row per (arm vs control, outcome)
    arms: dict[str, Scenario]
    control: str
    seed: Any
    potential: dict[str, pd.DataFrame] = field(default_factory=dict)  # every dyad under every arm
    eligible: str | None = None               # who could be randomised (see eligible_mask)
    _pre_post: dict | None = field(default=None, init=False, repr=False)

    def pre_post(self) -> dict[str, tuple[float, float, float]]:
        """The V8 pre/post measures (``trained_changes``) over the treatment arms, worked out once."""
        if self._pre_post is None:
            self._pre_post = trained_changes(self.dyads[self.dyads["arm"] != self.control], seed=self.seed)
        return self._pre_post


def paired_risk_difference(result: "TrialResult", outcome: str) -> tuple[float, float, float]:
    """The programme's effect on a binary outcome (``effects.BINARY``) on the same families with and
    without it: every eligible dyad's outcome under the first treatment arm minus under control (its
    potential outcomes, common random numbers), with a 95% CI over dyads. A virtual trial can show
    this causal effect directly; a real one only estimates it from different families in each arm."""
    arm = next(a for a in result.potential if a != result.control)
    ctrl = result.potential[result.control]
    keep = eligible_mask(ctrl, result.eligible)
    fn = BINARY[outcome]
    diff = fn(result.potential[arm]).to_numpy(float)[keep] - fn(ctrl).to_numpy(float)[keep]
    return mean_ci(diff)


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
    return TrialResult(dyads=dyads, effects=effects, arms=loaded, control=control, seed=seed, potential=potential,
                       eligible=eligible)


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

"""Validation against published findings (``experiments/validation_targets.csv``).

Each target row names a measure, the scenario it is measured in, the published finding and
its source, and the band the simulated figure must land in (a wider band for the quick mode,
which uses smaller populations). Measures are taken the way the studies took them: shares
from the simulated Strange Situation, correlations with observed sensitivity on the 1-9 scale,
depression from the questionnaire-like score and its cut-off. Rows without a measure are
findings the model cannot measure yet; they are reported, not silently dropped.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from simulation.study import analysis, effects, probes, trial
from simulation.study.runner import run

# experiments/validation_targets.csv, shipped in the package (simulation/_data: see pyproject.toml)
TARGETS_FILE = Path(resources.files("simulation") / "_data" / "validation_targets.csv").resolve()
MISSES_FILE = Path(resources.files("simulation") / "_data" / "validation_misses.csv").resolve()
"""experiments/validation_misses.csv: why a predicted row is not reproduced, written after the run that
missed it (an explanation, never a change of the row, its band or its kind)."""
NO_REASON = "no reason written yet (experiments/validation_misses.csv)"
FULL_DYADS, QUICK_DYADS = 5000, 1000
"""Dyads per simulated population: the full run, and the quick one (with its wider bands)."""
QUICK_TRIAL_DYADS = 2000
"""Dyads per virtual trial in the quick run (the full run uses each scenario's trial.n_dyads)."""
FULL_REPS, QUICK_REPS = 1000, 200
"""Bootstrap replicates of the trials' CIs."""
NOT_COMPUTABLE = "NOT COMPUTABLE (too few dyads)"
"""Status of a measured target whose figure could not be computed (too few dyads for it): a failure,
said in words rather than shown as NaN."""
NO_CI = "no CI"
PREDICTED = "predicted"
INPUT = "input"
KINDS = {
    "calibrated": "parameters were set so that the model lands in this band (``fitted_on`` names them)",
    PREDICTED: "nothing was fitted to it; the row and its band were committed before the run that tests it",
    INPUT: "the figure reads a parameter back out (``fitted_on`` names it): a sanity check of the plumbing, "
           "reported apart and not counted as validation",
}
"""What a target row is (column ``kind``). Calibrated rows must be in band for the validation to pass,
and so must input rows (a sanity check that fails is a broken model); a predicted row the model misses
is reported as not reproduced, not hidden."""
VALIDATION_KINDS = ("calibrated", PREDICTED)
"""The kinds that are validation; input rows are sanity checks, in their own section."""
NOT_REPRODUCED = "not reproduced"
FULL_RUN_ONLY = "full run only"
"""Status, in the quick run, of a row with no quick band: its effect is too small to exclude zero at the
quick run's size, so the row is checked in the full run only."""
ZERO_IN_BAND = {
    ("V6", "r_responsiveness_crying"): "a null finding: prompt responding does not increase later crying",
    ("V7", "late_coordination"): "a level near zero (late answers are never contingent), not an effect",
    ("V8", "d_sensitivity"): "a ceiling: knock-on effects no larger than those of sensitivity interventions",
    ("V8", "d_security"): "a ceiling: knock-on effects no larger than those of sensitivity interventions",
    ("V9", "share_low_sensitivity"): "a share ('up to a third'), not an effect",
    ("T3", "d_temperament_avoidant"): "a null finding: Groh et al. 2017 found no significant association (their CI)",
    ("T4", "d_temperament_disorganised"): "a null finding: Groh et al. 2017 found no significant association (their "
                                          "CI)",
}
"""The rows whose band may hold zero, and why: every other band is for a finding that claims an effect, and
excludes zero (tests/unit/test_validation.py)."""

# simulated trials: label -> scenario with [[interventions]] run by trial.scenario_trial
TRIALS = ("video_feedback_trial", "bias_training_trial")

# simulated populations: label -> (scenario, overrides)
POPULATIONS: dict[str, tuple[str, dict]] = {
    "normative_low_risk": ("normative_low_risk", {}),
    "community": ("community", {}),
    "high_risk_isolated": ("high_risk_isolated", {}),
    "good_enough": ("good_enough", {}),
    # S1, S2: the same community followed to 24 months, assessed at 12, 18 and 24 months
    "community_24m": ("community", {"simulation.months": 24, "simulation.assessment_ages": [12, 18, 24]}),
    # V7: the same caregivers, but every answer to a social bid comes well after the 2-s window
    "good_enough_late": ("good_enough", {"caregiver.social_latency_s": 8.0, "caregiver.social_latency_s.sd": 0.0,
                                         "caregiver.latency_spread": 0.1}),
    # H1-H4: two-parent community households
    "two_parents": ("two_parents", {}),
    # H5, H6: the same households with half the first caregivers carrying earlier depression, so that
    # depressed and not depressed first caregivers are both common
    "two_parents_depression": ("two_parents", {"risk.prior_depression": 0.5}),
}


def _share(mask) -> tuple[float, float, float]:
    mask = np.asarray(mask, dtype=bool)
    k, n = int(mask.sum()), mask.size
    lo, hi = analysis.wilson_ci(k, n)
    return (k / n if n else np.nan, lo, hi)


def _class_share(cls: str) -> Callable[[pd.DataFrame], tuple[float, float, float]]:
    return lambda d: _share(d["attachment"] == cls)


def _share_difference(outcome: Callable[[pd.DataFrame], pd.Series], group: str) -> Callable:
    """Share of ``outcome`` in the dyads with ``group`` minus in those without (Newcombe's CI)."""
    def get(d: pd.DataFrame) -> tuple[float, float, float]:
        return analysis.share_difference_ci(outcome(d[d[group].astype(bool)]), outcome(d[~d[group].astype(bool)]))
    return get


def _classes(d: pd.DataFrame, first: int, second: int) -> tuple[np.ndarray, np.ndarray]:
    return d[f"attachment_{first}m"].to_numpy(), d[f"attachment_{second}m"].to_numpy()


def _kappa(first: int, second: int) -> Callable[[pd.DataFrame], tuple[float, float, float]]:
    return lambda d: analysis.kappa_ci(*_classes(d, first, second))


def _agreement(first: int, second: int) -> Callable[[pd.DataFrame], tuple[float, float, float]]:
    return lambda d: _share(np.equal(*_classes(d, first, second)))


def _secure_r(first: int, second: int) -> Callable[[pd.DataFrame], tuple[float, float, float]]:
    def get(d: pd.DataFrame) -> tuple[float, float, float]:
        a, b = _classes(d, first, second)
        return analysis.correlation_ci((a == "B").astype(float), (b == "B").astype(float))
    return get


def _households(d: pd.DataFrame) -> pd.DataFrame:
    """The two-caregiver households of a population."""
    return d[d["caregivers"] == 2] if "caregivers" in d else d.iloc[:0]


def _secure(column: pd.Series) -> np.ndarray:
    return (column == "B").to_numpy(dtype=float)


def _second_sensitive(d: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two-caregiver households split by the second caregiver's observed sensitivity: above the median of
    the second caregivers (sensitive), and at or below it."""
    h = _households(d)
    h = h[h["observed_sensitivity_cg2"].notna()]
    median = h["observed_sensitivity_cg2"].astype(float).median()
    above = h["observed_sensitivity_cg2"].astype(float) > median
    return h[above], h[~above]


def _difference_of_differences(low: tuple[float, float, float],
                               high: tuple[float, float, float]) -> tuple[float, float, float]:
    """``low`` minus ``high`` (two differences from independent groups, each with its 95% CI), with a 95%
    CI combining the two (the method of variance estimates recovery: Zou & Donner 2008)."""
    (a, al, ah), (b, bl, bh) = low, high
    diff = a - b
    return diff, diff - np.hypot(a - al, bh - b), diff + np.hypot(ah - a, b - bl)


def _buffer_gap(d: pd.DataFrame) -> tuple[float, float, float]:
    """H5: (share B with the first caregiver, not depressed minus depressed) with an insensitive second
    caregiver, minus the same gap with a sensitive one."""
    sensitive, insensitive = _second_sensitive(d)

    def gap(g: pd.DataFrame) -> tuple[float, float, float]:
        dep = g["depressed"].astype(bool)
        return analysis.share_difference_ci(g.loc[~dep, "attachment"] == "B", g.loc[dep, "attachment"] == "B")

    return _difference_of_differences(gap(insensitive), gap(sensitive))


def _buffer_neither(d: pd.DataFrame) -> tuple[float, float, float]:
    """H6: among depressed first caregivers, the share secure with neither caregiver with an insensitive
    second caregiver minus with a sensitive one."""
    sensitive, insensitive = _second_sensitive(d)

    def neither(g: pd.DataFrame) -> pd.Series:
        g = g[g["depressed"].astype(bool)]
        return (g["attachment"] != "B") & (g["attachment_cg2"] != "B")

    return analysis.share_difference_ci(neither(insensitive), neither(sensitive))


HOUSEHOLD_MEASURES: dict[str, Callable[[pd.DataFrame], tuple[float, float, float]]] = {
    "r_secure_cg1_cg2": lambda d: analysis.correlation_ci(_secure(_households(d)["attachment"]),
                                                          _secure(_households(d)["attachment_cg2"])),
    "r_sensitivity_secure_cg2": lambda d: analysis.correlation_ci(
        _households(d)["observed_sensitivity_cg2"].astype(float), _secure(_households(d)["attachment_cg2"])),
    "share_depressed_cg2": lambda d: _share(_households(d)["depressed_cg2"].astype(bool)),
    "r_depressed_partners": lambda d: analysis.correlation_ci(_households(d)["depressed"].astype(float),
                                                              _households(d)["depressed_cg2"].astype(float)),
    "buffer_gap_B_cg1": _buffer_gap,
    "buffer_neither_secure": _buffer_neither,
}
"""The two-caregiver rows (H1-H6), on the two-caregiver households of their populations."""


MEASURES: dict[str, Callable[[pd.DataFrame], tuple[float, float, float]]] = {
    "share_A": _class_share("A"),
    "share_B": _class_share("B"),
    "share_C": _class_share("C"),
    "share_D": _class_share("D"),
    "r_sensitivity_secure": lambda d: analysis.correlation_ci(d["observed_sensitivity"],
                                                              (d["attachment"] == "B").astype(float)),
    "share_depressed": lambda d: _share(d["depressed"]),
    "share_depressed_prior": lambda d: _share(d.loc[d["risk_prior_depression"], "depressed"]),
    "coordination": lambda d: analysis.mean_ci(d["coordination"]),
    "repair_rate": lambda d: analysis.mean_ci(d["repair_rate"]),
    "r_responsiveness_crying": lambda d: analysis.correlation_ci(d["responsiveness_early"], d["crying_late"]),
    "late_coordination": lambda d: analysis.mean_ci(d["coordination"]),
    "crying_weeks_0_6": lambda d: analysis.mean_ci(d["crying_weeks_0_6"]),
    "crying_weeks_10_12": lambda d: analysis.mean_ci(d["crying_weeks_10_12"]),
    "share_low_sensitivity": lambda d: _share(d["observed_sensitivity"] <= 3),
    "share_D_unresolved": lambda d: _share(d.loc[d["cg_unresolved"].astype(bool), "attachment"] == "D"),
    "diff_D_depressed": _share_difference(lambda d: d["attachment"] == "D", "depressed"),
    "diff_B_depressed": _share_difference(lambda d: d["attachment"] == "B", "depressed"),
    "kappa_abcd_12_18": _kappa(12, 18),
    "agreement_abcd_12_18": _agreement(12, 18),
    "r_secure_12_18": _secure_r(12, 18),
    "kappa_abcd_12_24": _kappa(12, 24),
    "r_secure_12_24": _secure_r(12, 24),
    "r_aqs_ssp_24": lambda d: analysis.correlation_ci(d["aqs_security_24m"], (d["attachment_24m"] == "B").astype(float)),
    "r_aqs_sensitivity_24": lambda d: analysis.correlation_ci(d["observed_sensitivity"], d["aqs_security_24m"]),
    "r_aqs_temperament_24": lambda d: analysis.correlation_ci(d["inf_negative_emotionality"], d["aqs_security_24m"]),
    "r_aqs_12_24": lambda d: analysis.correlation_ci(d["aqs_security_12m"], d["aqs_security_24m"]),
    "share_transmission_not_mediated": lambda d: analysis.share_not_mediated(
        (d["history"] == "autonomous").astype(float), (d["attachment"] == "B").astype(float), d["observed_sensitivity"]),
    "coder_kappa": lambda d: analysis.kappa_ci(d["attachment"].to_numpy(), d["attachment_coder2"].to_numpy()),
    "r_depression_sensitivity": lambda d: analysis.correlation_ci(d["depression_score_6m"], d["observed_sensitivity"]),
    "r_unresolved_frights": lambda d: analysis.correlation_ci(d["cg_unresolved"].astype(float),
                                                              d["frightening_answers"].astype(float)),
    "r_frights_D": lambda d: analysis.correlation_ci(d["frightening_answers"].astype(float),
                                                     (d["attachment"] == "D").astype(float)),
    "d_temperament_insecure": lambda d: probes.temperament_d(d, "insecure_vs_secure"),
    "d_temperament_resistant": lambda d: probes.temperament_d(d, "resistant_vs_secure"),
    "d_temperament_avoidant": lambda d: probes.temperament_d(d, "avoidant_vs_secure"),
    "d_temperament_disorganised": lambda d: probes.temperament_d(d, "disorganised_vs_organised"),
}


def _effect(outcome: str, measure: str = "cohens_d"):
    def get(result: trial.TrialResult) -> tuple[float, float, float]:
        e = result.effects
        row = e[(e.outcome == outcome) & (e.measure == measure)].iloc[0]
        return (row.estimate, row.ci_low, row.ci_high)
    return get


def _trained(key: str):
    def get(result: trial.TrialResult) -> tuple[float, float, float]:
        return result.pre_post()[key]
    return get


def _gap(result: trial.TrialResult) -> tuple[float, float, float]:
    """d on observed sensitivity minus d on security, the first treatment arm against control, with a
    bootstrap CI over dyads (both effects resampled together)."""
    d = result.dyads
    arm = result.effects["arm"].iloc[0]
    return effects.difference_of_d(d[d["arm"] == arm], d[d["arm"] == result.control], "observed_sensitivity",
                                   "security", seed=result.seed)


TRIAL_MEASURES = {
    "d_sensitivity": _effect("observed_sensitivity"),
    "d_security": _effect("security"),
    "d_sensitivity_minus_security": _gap,
    "bias_shift_pct_scale": _trained("bias_shift_pct_scale"),
    "reactivity_change": _trained("reactivity_change"),
    "r_improvement_depression_6m": _trained("r_improvement_depression_6m"),
    "happy_recognition_d": _trained("happy_recognition_d"),
    "r_happy_improvement_depression_6m": _trained("r_happy_improvement_depression_6m"),
}
MEASURES.update(TRIAL_MEASURES)
MEASURES.update(HOUSEHOLD_MEASURES)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def load_targets(path: Path | str = TARGETS_FILE) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"measure": "string", "scenario": "string", "kind": "string",
                                  "fitted_on": "string"})
    unknown = set(df["measure"].dropna()) - set(MEASURES)
    if unknown:
        raise ValueError(f"{path}: unknown measures {sorted(unknown)}; known: {sorted(MEASURES)}")
    bad = sorted(set(df["kind"].fillna("")) - set(KINDS))
    if bad:
        raise ValueError(f"{path}: column 'kind' has {bad}; allowed: {list(KINDS)}")
    df["fitted_on"] = df["fitted_on"].fillna("")
    return df


def load_misses(path: Path | str = MISSES_FILE) -> dict[tuple[str, str], str]:
    """(id, measure) -> why the model misses that predicted finding."""
    df = pd.read_csv(path, dtype=str)
    return {(r.id, r.measure): r.reason for r in df.itertuples()}


def validate(quick: bool = False, n_dyads: int | None = None, seed: int = 1,
             targets: pd.DataFrame | None = None, progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Run every measurable target; return one row per target with figure, 95% CI and verdict."""
    targets = load_targets() if targets is None else targets
    n = n_dyads or (QUICK_DYADS if quick else FULL_DYADS)
    populations: dict[str, object] = {}
    for label in dict.fromkeys(targets["scenario"].dropna()):
        if label in TRIALS:
            size = n_dyads or (QUICK_TRIAL_DYADS if quick else None)  # default: the scenario's [trial] n_dyads
            if progress:
                progress(f"running the virtual trial {label} ({size or 'default'} dyads, seed {seed})")
            populations[label] = trial.scenario_trial(label, n_dyads=size, seed=seed,
                                                      reps=QUICK_REPS if quick else FULL_REPS)
            continue
        scenario, overrides = POPULATIONS[label]
        if progress:
            progress(f"simulating {label} ({n} dyads, seed {seed})")
        populations[label] = run(scenario, n_dyads=n, seed=seed, overrides=overrides).dyads
    rows = []
    low_col, high_col = ("quick_low", "quick_high") if quick else ("low", "high")
    for _, t in targets.iterrows():
        row = {"id": t["id"], "measure": t["measure"], "finding": t["finding"], "source": t["source"],
               "scenario": t["scenario"], "check": t["check"], "kind": _text(t.get("kind")), "fitted_on": _text(t.get("fitted_on"))}
        if pd.isna(t["measure"]):
            row.update(low=np.nan, high=np.nan, value=np.nan, ci_low=np.nan, ci_high=np.nan, in_band=None,
                       status="not measurable yet")
        elif pd.isna(t[low_col]):
            row.update(low=np.nan, high=np.nan, value=np.nan, ci_low=np.nan, ci_high=np.nan, in_band=None,
                       status=FULL_RUN_ONLY)
        else:
            value, lo, hi = MEASURES[t["measure"]](populations[t["scenario"]])
            ok = bool(t[low_col] <= value <= t[high_col])
            if not np.isfinite(value):
                status = NOT_COMPUTABLE
            elif row["kind"] == PREDICTED:
                status = "reproduced" if ok else NOT_REPRODUCED
            else:
                status = "in band" if ok else "OUT OF BAND"
            row.update(low=float(t[low_col]), high=float(t[high_col]), value=value, ci_low=lo, ci_high=hi,
                       in_band=ok, status=status)
        rows.append(row)
    misses = load_misses()
    for row in rows:
        row["why_missed"] = (misses.get((row["id"], row["measure"]), NO_REASON)
                             if row["status"] == NOT_REPRODUCED else "")
    out = pd.DataFrame(rows)
    out.attrs.update(n_dyads=n, seed=seed, quick=quick)
    return out


def passed(results: pd.DataFrame) -> bool:
    """Every measured calibrated row and sanity check (input) in band, and every predicted row computable
    (a predicted finding the model misses is reported as not reproduced, not a failure)."""
    measured = results[results["in_band"].notna()]
    fitted = measured[measured["kind"] != PREDICTED]
    computable = measured["status"] != NOT_COMPUTABLE
    return bool(len(measured)) and bool(fitted["in_band"].astype(bool).all()) and bool(computable.all())


def counts(results: pd.DataFrame) -> str:
    """How many rows of each kind are in band (reproduced), said separately: calibrated rows passing
    is expected; predicted rows are the evidence; input rows are sanity checks, not validation."""
    parts = []
    for kind in KINDS:
        rows = results[(results["kind"] == kind) & results["in_band"].notna()]
        hits = int(rows["in_band"].astype(bool).sum())
        if kind == PREDICTED:
            parts.append(f"{kind}: {hits} of {len(rows)} reproduced, {len(rows) - hits} {NOT_REPRODUCED}")
        elif kind == INPUT:
            parts.append(f"sanity checks (inputs read back, not validation): {hits} of {len(rows)} in band")
        else:
            parts.append(f"{kind}: {hits} of {len(rows)} in band")
    return "; ".join(parts)


def _sections(results: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The validation rows (calibrated, predicted, rows without a kind) and the sanity checks (input)."""
    sanity = results["kind"] == INPUT
    return results[~sanity], results[sanity]


def _simulated(r: pd.Series) -> str:
    """``value [low, high]``; without NaN: a figure with no CI (none today; the sensitivity-security gap had
    none) says so, and a figure that could not be computed is left blank (its status says why)."""
    if pd.isna(r["value"]):
        return ""
    if pd.isna(r["ci_low"]) or pd.isna(r["ci_high"]):
        return f"{r['value']:.3f} ({NO_CI})"
    return f"{r['value']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}]"


def to_markdown(results: pd.DataFrame) -> str:
    """The results as a markdown table (with the run's size and seed)."""
    a = results.attrs
    lines = [f"# SecureBase validation ({'quick, ' if a.get('quick') else ''}{a.get('n_dyads')} dyads per population, "
             f"seed {a.get('seed')})", "",
             "| id | kind | measure | population | band | simulated [95% CI] | verdict | finding (source) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    validation_rows, sanity_rows = _sections(results)

    def row_line(r: pd.Series) -> str:
        band = "" if pd.isna(r["low"]) else f"{r['low']:g} – {r['high']:g}"
        kind = r["kind"] + (f" ({r['fitted_on']})" if r["fitted_on"] else "")
        return (f"| {r['id']} | {kind} | {r['measure'] if not pd.isna(r['measure']) else ''} | "
                f"{r['scenario'] if not pd.isna(r['scenario']) else ''} | {band} | {_simulated(r)} | {r['status']} | "
                f"{r['finding']} ({r['source']}) |")

    lines += [row_line(r) for _, r in validation_rows.iterrows()]
    if len(sanity_rows):
        lines += ["", "## Sanity checks: inputs read back (not validation)", "",
                  "Each reads a parameter back out of the model: it shows the plumbing works, not that the model "
                  "is right.", "",
                  "| id | kind | measure | population | band | simulated [95% CI] | verdict | finding (source) |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        lines += [row_line(r) for _, r in sanity_rows.iterrows()]
    missed = results[results["status"] == NOT_REPRODUCED]
    if len(missed) and "why_missed" in missed:
        lines += ["", "## Predicted findings not reproduced, and why", ""]
        lines += [f"- **{r['id']} {r['measure']}**: {r['why_missed']}" for _, r in missed.iterrows()]
    verdict = ("all calibrated targets and sanity checks in band" if passed(results)
               else "SOME CALIBRATED TARGETS OR SANITY CHECKS OUT OF BAND")
    unmeasured = results["in_band"].isna() & (results["status"] != FULL_RUN_ONLY)
    lines += ["", f"**{verdict}**; {counts(results)}; not measurable yet: "
              f"{', '.join(sorted(set(results.loc[unmeasured, 'id']))) or 'none'}."]
    full_only = results[results["status"] == FULL_RUN_ONLY]
    if len(full_only):
        lines.append(f"In the full run only (an effect too small to exclude zero at this size): "
                     f"{', '.join(f'{r.id} {r.measure}' for r in full_only.itertuples())}.")
    return "\n".join(lines) + "\n"


def format_table(results: pd.DataFrame) -> str:
    """A plain-text table for the terminal."""
    head = (f"{'id':<4}{'kind':<11}{'measure':<36}{'population':<20}{'band':>15}  {'simulated [95% CI]':<28}"
            f"{'verdict'}")
    lines = [head, "-" * len(head)]
    validation_rows, sanity_rows = _sections(results)
    ordered = list(validation_rows.iterrows())
    if len(sanity_rows):
        ordered.append((None, None))
        ordered += list(sanity_rows.iterrows())
    for _, r in ordered:
        if r is None:
            lines.append("sanity checks: inputs read back (not validation)")
            continue
        band = "" if pd.isna(r["low"]) else f"{r['low']:.3g}-{r['high']:.3g}"
        sim = _simulated(r)
        measure = "" if pd.isna(r["measure"]) else r["measure"]
        scen = "" if pd.isna(r["scenario"]) else r["scenario"]
        lines.append(f"{r['id']:<4}{r['kind']:<11}{measure:<36}{scen:<20}{band:>15}  {sim:<28}{r['status']}")
        if r["kind"] == PREDICTED and isinstance(r["finding"], str):
            lines.append(f"{'':<15}published: {r['finding']}")
    lines.append(counts(results))
    why = results["why_missed"] if "why_missed" in results else pd.Series(NO_REASON, index=results.index)
    unexplained = results[(results["status"] == NOT_REPRODUCED) & (why == NO_REASON)]
    if len(unexplained):
        lines.append("not reproduced without a reason in experiments/validation_misses.csv: "
                     + ", ".join(f"{r['id']} {r['measure']}" for _, r in unexplained.iterrows()))
    elif (results["status"] == NOT_REPRODUCED).any():
        lines.append("why each predicted finding is not reproduced: validation.md")
    return "\n".join(lines)

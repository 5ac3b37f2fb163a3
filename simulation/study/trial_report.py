"""The markdown report of a virtual trial: design, arms, effects with CIs, power, pilot, figures.

Why a module of its own, and why in the study layer: the report is text for a reader, kept apart
from the statistics it prints so that its wording can change without touching them; it reads a
:class:`simulation.study.trial.TrialResult`, and the report modules (``simulation/report/``) sit
below the studies and may not import them. Whatever cannot be computed is said in words
(:data:`NOT_COMPUTABLE`, :data:`NO_CI`): a reader should never meet "nan".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simulation.scenario import Scenario
from simulation.study.effects import cohens_h
from simulation.study.power import ALPHA, POWER_TARGET
from simulation.study.trial import PILOT_HIGH, PILOT_LOW, TrialResult, paired_risk_difference

TITLE_PREFIX = "Virtual trial"
"""Every report's title starts so; a scenario whose title says it already is not prefixed twice."""
NOT_COMPUTABLE = {
    "cohens_d": "not computable (an arm with fewer than 2 dyads, or no spread in the outcome)",
    "odds_ratio": "not defined (an arm where none or all have the outcome)",
}
"""What the report says, in words, instead of a NaN estimate."""
NO_CI = "no CI (too few bootstrap resamples could be computed)"
SAME_FAMILY_OUTCOMES = ("secure", "disorganised")
"""Binary outcomes reported on the same families with and without the programme."""
SECOND_CAREGIVER_OUTCOMES = ("secure_cg2", "disorganised_cg2")
"""The same, with the second caregiver, in trials of two-caregiver households."""
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


def _points(m: float, lo: float, hi: float) -> str:
    if not np.isfinite(m):
        return "not computable"
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return f"{100 * m:+.1f}, {NO_CI}"
    return f"{100 * m:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]"


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
    if result.potential:
        lines += ["", "## The same families with and without the programme", "",
                  "A virtual trial also knows every family's outcome under both arms (common random numbers): "
                  "the difference is the programme's own effect on these families, free of the chance of "
                  "who was randomised where. Risk differences in percentage points, 95% CI over families "
                  "(the trial's estimate above has the wider CI of a real trial).", "",
                  "| outcome | same families: treated minus control, points [95% CI] |", "| --- | --- |"]
        outcomes = SAME_FAMILY_OUTCOMES + (SECOND_CAREGIVER_OUTCOMES if "attachment_cg2" in result.dyads else ())
        for outcome in outcomes:
            m, lo, hi = paired_risk_difference(result, outcome)
            lines.append(f"| {outcome} | {_points(m, lo, hi)} |")
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

"""Interventions at population level: their effects on outcomes, virtual trials with intervals and
power, the pilot design, and timing (earlier helps at least as much)."""

import sys
from pathlib import Path

import simulation
from simulation.study import trial
from simulation.study.power import power_curve

ROOT = Path(__file__).resolve().parents[2]
SIX = {"simulation.months": 6, "simulation.assessment_ages": [6], "simulation.observation_age_months": 3}


def run(interventions_=(), n=400, scenario="community", **over):
    return simulation.run(scenario, n_dyads=n, seed=5, overrides={**SIX, **over, "interventions": list(interventions_)}).dyads


def test_bias_training_shifts_reading_and_reactivity():
    d = run([{"kind": "bias_training", "start_day": -60}], n=1500, **{"risk.prior_depression": 1.0})
    shift = (d.bias_rating_post - d.bias_rating_pre).mean()
    assert 0.05 < shift < 0.16  # about 5% of the 2-point scale
    assert (d.reactivity_post < d.reactivity_pre).mean() > 0.8
    assert (d.happy_recognition_post - d.happy_recognition_pre).mean() > 0
    assert d.dose_bias_training.between(0, 1).all()


def test_video_feedback_raises_observed_sensitivity():
    a, b = run(n=1500), run([{"kind": "video_feedback", "start_day": 30}], n=1500)
    assert b.observed_sensitivity.mean() > a.observed_sensitivity.mean() + 0.3
    assert b.availability.mean() > a.availability.mean()


def test_depression_treatment_shortens_depression():
    base = {"risk.prior_depression": 1.0}
    a = run(n=1500, **base)
    b = run([{"kind": "depression_treatment", "start_day": 0, "target": "screen_positive"}], n=1500, **base)
    assert b.depression_score_6m.mean() < a.depression_score_6m.mean() - 0.3


def test_virtual_trial_reports_effects_with_intervals():
    res = trial.run_trial("community", {"control": [], "vf": [{"kind": "video_feedback", "start_day": 30}]},
                          n_dyads=600, seed=2, overrides=SIX, reps=100)
    assert set(res.dyads.arm) == {"control", "vf"} and len(res.dyads) == 600
    e = res.effects
    for (out, measure) in [("observed_sensitivity", "cohens_d"), ("secure", "risk_difference"),
                           ("secure", "odds_ratio"), ("disorganised", "risk_difference")]:
        row = e[(e.outcome == out) & (e.measure == measure)].iloc[0]
        assert row.ci_low <= row.estimate <= row.ci_high
    d = e[(e.outcome == "observed_sensitivity") & (e.measure == "cohens_d")].iloc[0]
    assert d.estimate > 0.1
    power = power_curve(res.potential, "vf", "control", outcome="secure", reps=100, sizes=(20, 2000))
    assert power.power.iloc[-1] >= power.power.iloc[0]


def test_earlier_is_better_for_development_only_before_birth_and_otherwise_by_time_to_assessment():
    """The model's answer to "does an earlier start help more?" (experiments/timing.py), taken apart.

    Every start is measured at 12 months (as a trial would) and 90 days after its sessions end (which
    takes time-to-assessment out), on the same dyads with and without the intervention. With a
    consolidating working model (learning.py), a start around birth acts on an infant who has learned
    little, and beats a 3-month start even at the same lag: that part is development. Between 3 and
    9 months the effect at the same lag is about the same (both infants have consolidated much of
    their first months); a 9-month start is weaker at 12 months because it has had less time to act.
    This replaces the old test that an earlier start is simply better, which encoded the artefact of
    the moving-average working model (issue 15).
    """
    sys.path.insert(0, str(ROOT / "experiments"))
    import timing

    t = timing.decomposition_table("community", "video_feedback", n_dyads=2000, seed=1, age_months=12)
    t = t.set_index("start")
    pre, m3, m9 = (t.loc[k] for k in ("prenatal (day -60)", "3 months", "9 months"))
    # at 12 months: prenatal > 9 months, clearly (paired CIs apart)
    assert pre["d_at_12m_low"] > m9["d_at_12m_high"]
    # at the same lag: prenatal > 3 months (development), CIs apart
    assert pre["d_at_lag_low"] > m3["d_at_lag_high"]
    # 3 vs 9 months at the same lag: no developmental difference worth the name (|d gap| < 0.05) ...
    assert abs(m3["d_at_lag"] - m9["d_at_lag"]) < 0.05
    # ... while at 12 months the 3-month start is well ahead: time to assessment
    assert m3["d_at_12m"] - m9["d_at_12m"] > 0.1
    assert m9["time_to_assessment_part"] < -0.1 and abs(m9["time_to_assessment_part"]) > abs(
        m9["development_part"] - m3["development_part"])


def test_pilot_design_is_reproduced():
    reps, pooled = trial.pilot_study(replications=3, seed=1)
    assert len(reps) == 3 and (pooled.group == "high-risk, trained").sum() == 69
    assert (pooled.group == "low-risk, untrained").sum() == 66
    assert reps.bias_shift_pct_scale.between(0, 15).all()

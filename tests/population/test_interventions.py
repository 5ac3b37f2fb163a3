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


def test_earlier_intervention_helps_at_least_as_much():
    sys.path.insert(0, str(ROOT / "experiments"))
    import timing

    table = timing.timing_table("community", "video_feedback", n_dyads=3200, seed=1, reps=50).set_index("start")
    d = table["d_security"]
    assert d["prenatal (day -60)"] >= d["3 months"] - 0.03
    assert d["3 months"] >= d["9 months"] - 0.03
    assert d["prenatal (day -60)"] > d["9 months"]


def test_pilot_design_is_reproduced():
    reps, pooled = trial.pilot_study(replications=3, seed=1)
    assert len(reps) == 3 and (pooled.group == "high-risk, trained").sum() == 69
    assert (pooled.group == "low-risk, untrained").sum() == 66
    assert reps.bias_shift_pct_scale.between(0, 15).all()

"""depression: onset and recovery of an episode, and its severity."""

import numpy as np

from simulation.model.components.depression import Depression

from helpers import make_state, today, uniforms


def onsets(s, sc, days=365, seed=0):
    """Share of caregivers who started an episode within ``days`` (starting well)."""
    s.depressed[:] = False
    ever = np.zeros(s.n, dtype=bool)
    for day in range(days):
        Depression().step(today(s, sc, 200 + day, {"depression": uniforms(s.n, seed=seed + day)}))
        ever |= s.depressed
    return ever.mean()


def test_stress_raises_the_onset_of_depression():
    sc, calm = make_state(n=4000, stress=0.0, depression_risk=0.0)
    _, stressed = make_state(n=4000, stress=0.9, depression_risk=0.0)
    assert onsets(stressed, sc) > 2 * onsets(calm, sc)


def test_treatment_and_support_shorten_an_episode():
    lengths = {}
    for label, fields in {"untreated": dict(recovery_boost=1.0, support_today=0.0),
                          "treated": dict(recovery_boost=3.0, support_today=0.0),
                          "supported": dict(recovery_boost=1.0, support_today=2.0)}.items():
        sc, s = make_state(n=3000, depressed=True, depression=1.0, stress=0.0, **fields)
        sc = sc.model_copy(update={"depression": sc.depression.model_copy(update={"onset_per_year": 0.0})})
        days = np.zeros(s.n)
        for day in range(400):
            days += s.depressed
            Depression().step(today(s, sc, 200 + day, {"depression": uniforms(s.n, seed=day)}))
        lengths[label] = days.mean()
    # the mean episode is recovery_days (150) long untreated: about 150 (capped by 400 days)
    assert 120 < lengths["untreated"] < 160
    assert lengths["treated"] < 0.5 * lengths["untreated"] and lengths["supported"] < 0.6 * lengths["untreated"]


def test_severity_follows_the_episode_with_a_lag():
    sc, s = make_state(n=10, depressed=True, depression=0.0)
    sc = sc.model_copy(update={"depression": sc.depression.model_copy(update={"recovery_days": 1000.0})})
    Depression().step(today(s, sc, 200, {"depression": np.full(10, 0.999)}))  # no recovery today
    assert (s.depression > 0).all() and (s.depression < 0.2).all()

"""depression: onset and recovery of an episode, and its severity."""

import numpy as np

from simulation.model.components.depression import Depression

from helpers import make_state, start_day, today, uniforms

N = 3000


def test_stress_raises_depression_onset_and_depression_withdraws():
    sc, calm = make_state(n=N, scenario="community", seed=7)
    _, stressed = make_state(n=N, scenario="community", seed=7)
    calm.stress[:] = 0.0
    stressed.stress[:] = 0.9
    for day in range(200):
        for s in (calm, stressed):
            keep = s.stress.copy()
            Depression().step(today(s, sc, day, {"depression": uniforms(N, seed=day)}))
            s.stress[:] = keep
    assert stressed.depressed.mean() > calm.depressed.mean() + 0.05
    # depression lowers today's answering (withdrawal) and raises rebuffs
    s = stressed
    s.mood[:] = 0.0
    s.inconsistency[:] = 0.0
    s.depression[:] = np.where(np.arange(N) % 2 == 0, 1.0, 0.0)
    s.stress[:] = 0.2
    s.unsoothed_minutes[:] = 0.0
    start_day(s, sc, 10, uniforms((N, 2)))
    dep, not_dep = s.depression > 0.5, s.depression < 0.5
    assert s.responsiveness_today[dep].mean() < s.responsiveness_today[not_dep].mean() - 0.1
    assert s.rejection_today[dep].mean() > s.rejection_today[not_dep].mean()
    assert s.negative_bias_today[dep].mean() > s.negative_bias_today[not_dep].mean()


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

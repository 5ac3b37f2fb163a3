"""sensitivity: mood, and today's propensities from traits, mood, stress and depression."""

from helpers import make_state, start_day, uniforms


def test_stress_lowers_todays_sensitivity():
    sc, calm = make_state(stress=0.0, inconsistency=0.0)
    sc, stressed = make_state(stress=0.8, inconsistency=0.0)
    for s in (calm, stressed):
        s.unsoothed_minutes[:] = 120.0 if s is stressed else 0.0
        start_day(s, sc, 100, uniforms((s.n, 2)))
    assert stressed.responsiveness_today.mean() < calm.responsiveness_today.mean() - 0.1
    assert stressed.attention_today.mean() < calm.attention_today.mean() - 0.1
    assert stressed.social_latency_today_s.mean() > calm.social_latency_today_s.mean()
    assert stressed.distress_latency_today_s.mean() > calm.distress_latency_today_s.mean()


def test_inconsistency_spreads_daily_answering():
    sc, steady = make_state(inconsistency=0.1)
    sc, swinging = make_state(inconsistency=2.0)
    for s in (steady, swinging):
        for day in range(30):
            start_day(s, sc, 100, uniforms((s.n, 2), seed=day))
    assert swinging.responsiveness_today.std() > 2 * steady.responsiveness_today.std()


def test_depression_darkens_face_reading_and_brings_rebuffs():
    sc, well = make_state(depression=0.0, depressed=False, stress=0.0)
    _, low = make_state(depression=1.0, depressed=True, stress=0.0)
    for s in (well, low):
        start_day(s, sc, 100, uniforms((s.n, 2)))
    assert low.negative_bias_today.mean() > well.negative_bias_today.mean() + 0.1
    assert low.rejection_today.mean() > well.rejection_today.mean() + 0.05
    assert low.responsiveness_today.mean() < well.responsiveness_today.mean() - 0.1

"""response: answered, rebuffed, matched, repaired, frightening, contingent."""

import numpy as np

from simulation.model.components import signals

from helpers import episodes_of, make_state, start_day, uniforms


SURE = dict(attention_today=1.0, responsiveness_today=1.0, accuracy_today=1.0, rejection_today=0.0)


def test_late_social_answers_are_not_contingent():
    # V7 (Millar 1972): an answer to a social bid slower than the 2-s window does not count
    sc, s = make_state(social_latency_today_s=10.0, negative_bias_today=-0.5, **SURE)
    ep = episodes_of(signals.SMILE, s, sc, window=2.0)
    assert ep.soothed.mean() > 0.95 and ep.contingent.mean() < 0.01
    sc, s = make_state(social_latency_today_s=0.5, negative_bias_today=-0.5, **SURE)
    assert episodes_of(signals.SMILE, s, sc, window=2.0).contingent.mean() > 0.95


def test_distress_runs_on_the_time_scale_of_soothing_not_of_play():
    # issue 16: a cry soothed within ten seconds is comfort the infant links to its cry; three minutes is not
    sc, s = make_state(distress_latency_today_s=10.0, social_latency_today_s=10.0, **SURE)
    ep = episodes_of(signals.CRY, s, sc, window=2.0, comfort=60.0)
    assert ep.soothed.mean() == 1.0 and ep.contingent.mean() > 0.99
    sc, s = make_state(distress_latency_today_s=180.0, **SURE)
    late = episodes_of(signals.CRY, s, sc, window=2.0, comfort=60.0)
    assert late.soothed.mean() == 1.0 and late.contingent.mean() < 0.05
    # the social latency does not touch distress, nor the distress latency social bids
    sc, s = make_state(distress_latency_today_s=180.0, social_latency_today_s=0.5, negative_bias_today=-0.5, **SURE)
    assert episodes_of(signals.SMILE, s, sc).contingent.mean() > 0.95


def test_repair_turns_mismatches_into_soothing():
    common = dict(attention_today=1.0, responsiveness_today=1.0, accuracy_today=0.3, rejection_today=0.0)
    sc, s = make_state(repair=0.0, **common)
    none = episodes_of(signals.CRY, s, sc)
    sc, s = make_state(repair=1.0, **common)
    full = episodes_of(signals.CRY, s, sc)
    assert none.repaired.sum() == 0
    assert full.repaired.sum() == full.mismatched.sum() > 0
    assert full.soothed.mean() == 1.0 and none.soothed.mean() < 0.4


def test_rejection_means_rebuffs_and_unsoothed_distress():
    sc, s = make_state(rejection_today=0.0, attention_today=0.9, responsiveness_today=0.9)
    a = episodes_of(signals.CRY, s, sc)
    sc, s = make_state(rejection_today=0.6, attention_today=0.9, responsiveness_today=0.9)
    b = episodes_of(signals.CRY, s, sc)
    assert a.rebuffed.sum() == 0 and b.rebuffed.mean() > 0.4
    assert b.soothed.mean() < a.soothed.mean() - 0.3


def test_frightening_trait_acts_only_when_unresolved():
    # with no disrupted answers under stress, only an unresolved caregiver frightens
    sc, s = make_state(overrides={"caregiver.disruption": 0.0}, unresolved=False, frightening=4.0, stress=0.5)
    start_day(s, sc, 100, uniforms((s.n, 2)))
    assert episodes_of(signals.CRY, s, sc).frightening.sum() == 0
    s.unresolved[:] = True
    start_day(s, sc, 100, uniforms((s.n, 2)))
    assert episodes_of(signals.CRY, s, sc).frightening.mean() > 0.05


def test_stress_and_depression_bring_disrupted_answers_in_any_caregiver():
    # Lyons-Ruth et al. 1999; Madigan et al. 2006: disrupted communication is not only unresolved trauma
    rates = {}
    for label, fields in {"calm": dict(stress=0.0, depressed=False, depression=0.0),
                          "stressed": dict(stress=0.9, depressed=False, depression=0.0),
                          "depressed": dict(stress=0.0, depressed=True, depression=1.0)}.items():
        sc, s = make_state(unresolved=False, unsoothed_minutes=0.0, **fields)
        start_day(s, sc, 100, np.column_stack([uniforms(s.n), np.ones(s.n)]))  # no onset/recovery
        rates[label] = episodes_of(signals.CRY, s, sc).frightening.sum(axis=1).mean()  # per day
    assert rates["calm"] < 0.01
    # disruption 0.08 a day per unit: 0.07 a day stressed, 0.08 depressed (SE about 0.006 over 2,000 days)
    assert rates["stressed"] > rates["calm"] + 0.04 and rates["depressed"] > rates["calm"] + 0.04


def test_frightening_moments_come_from_the_caregivers_state_not_from_answering():
    # issue 16 (Main & Hesse 1990; Schuengel et al. 1999): answering more must not frighten more
    counts = {}
    for label, answering in (("never", 0.0), ("always", 1.0)):
        sc, s = make_state(unresolved=True, frightening=2.0, attention_today=1.0, responsiveness_today=answering,
                           relief_today=0.0)
        start_day(s, sc, 100, np.column_stack([uniforms(s.n), np.ones(s.n)]))
        s.attention_today[:], s.responsiveness_today[:] = 1.0, answering
        ep = episodes_of(signals.CRY, s, sc)
        assert ep.answered.mean() == answering
        counts[label] = ep.frightening.sum(axis=1)
    assert (counts["never"] == counts["always"]).all() and counts["always"].mean() > 1.0
    # and a day with no signal at all holds them too
    sc, s = make_state(unresolved=True, frightening=2.0)
    start_day(s, sc, 100, np.column_stack([uniforms(s.n), np.ones(s.n)]))
    assert episodes_of(signals.NONE, s, sc).frightening.sum(axis=1).mean() > 1.0


def test_the_caregiver_keeps_the_faces_she_read_as_negative_and_the_smiles_she_shared():
    sc, s = make_state(negative_bias_today=0.6, attention_today=1.0, responsiveness_today=1.0)
    ep = episodes_of(signals.AMBIGUOUS, s, sc)
    assert (s.perceived_negative == ep.read_negative.sum(axis=1)).all() and s.perceived_negative.mean() > 1
    sc, s = make_state(negative_bias_today=0.0, attention_today=1.0, responsiveness_today=1.0)
    episodes_of(signals.SMILE, s, sc)
    assert s.shared_smiles.mean() > 5 and s.perceived_negative.mean() < 0.01  # a smile read as distress is rare


def test_the_window_quantile_decides_as_the_latency_itself_with_a_margin():
    # quantile_decision leaves draws near a latency's window quantile to within_window and decides
    # the rest by the quantile: check, on every float32 draw value around the quantile, that the
    # quantile alone errs only inside the guard band (the claimed error bound), and that the compiled
    # decision, where it decides, equals within_window on those draws and on ordinary ones
    import numba

    from simulation.model.components import response

    @numba.njit
    def decide(u, quantile, guard):
        return np.array([response.quantile_decision(x, quantile, guard) for x in u])

    rng = np.random.default_rng(4)
    for spread in (0.6, 3.0, 0.2, 0.02, 0.002):
        medians = np.exp(rng.normal(np.log(20.0), 1.5, 300))
        window = 60.0
        q = response.window_quantile(medians, spread, window)
        for m, quantile in zip(medians, q):
            if not 1e-6 < quantile < 1 - 1e-6:
                continue
            around = np.float32(quantile) + np.arange(-300, 301, dtype=np.float32) * np.spacing(np.float32(quantile))
            u = np.concatenate([around, rng.random(200, dtype=np.float32)])
            exact = response.within_window(np.full(len(u), m), spread, u, np.full(len(u), window))
            naive = u < quantile
            wrong = np.flatnonzero(naive != exact)
            guard = response.QUANTILE_GUARD * (1 + 1 / spread)
            assert (np.abs(u[wrong] - quantile) <= guard / 19).all()  # the bound holds with its margin
            said = decide(u, quantile, guard)
            assert (said == response.UNDECIDED).any() and (said != response.UNDECIDED).sum() >= 150
            decided = said != response.UNDECIDED
            np.testing.assert_array_equal(said[decided] == response.INSIDE, exact[decided])
            assert (np.abs(u[~decided] - quantile) <= guard).all()

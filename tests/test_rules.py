"""Each rule's direction, on hand-made states (no full simulation)."""

import numpy as np
import pytest

from simulation import learning, perception, response, signals, wellbeing
from simulation.lifecycle import EPISODE_DRAWS

from helpers import make_state, uniforms

SLOTS = 12


def draws(n, seed=0):
    u = uniforms((n, SLOTS, len(EPISODE_DRAWS)), seed)
    return {name: u[:, :, i] for i, name in enumerate(EPISODE_DRAWS)}


def episodes_of(kind_code, s, sc, seed=0, window=2.0):
    kind = np.full((s.n, SLOTS), kind_code, dtype=np.int8)
    valence = signals.TRUE_VALENCE[kind] + np.zeros(kind.shape)
    return response.answer(s, kind, valence, sc.caregiver, window, draws(s.n, seed))


def test_negative_bias_means_fewer_answered_smiles():
    shares = []
    for bias in (0.0, 0.4, 0.8):
        sc, s = make_state(negative_bias_today=bias, attention_today=0.9, responsiveness_today=0.9)
        ep = episodes_of(signals.SMILE, s, sc)
        shares.append(ep.matched.mean())
    assert shares[0] > shares[1] > shares[2]
    # a full smile takes 19% of the bias (perception.CLARITY): at bias 0.8 about 5 points fewer
    assert shares[0] - shares[2] > 0.02


def test_bias_weighs_more_on_ambiguous_faces_than_on_clear_smiles():
    # an interpretation bias is a reading of ambiguity (Mathews & MacLeod 2005): the same bias
    # moves the reading of a neutral face much more than that of a full smile (V8: the training
    # shifted ambiguous ratings ~5% of the scale, happy recognition only a little)
    u = uniforms((2000, 1), 3)
    faces = {"ambiguous": np.zeros((2000, 1)), "smile": np.full((2000, 1), signals.TRUE_VALENCE[signals.SMILE])}
    shift = {}
    for name, valence in faces.items():
        unbiased = perception.perceived_valence(valence, np.zeros(2000), 0.35, u)
        biased = perception.perceived_valence(valence, np.full(2000, 0.5), 0.35, u)
        shift[name] = (unbiased - biased).mean()
    assert shift["ambiguous"] == pytest.approx(0.5)
    assert 0.0 < shift["smile"] < 0.5 * shift["ambiguous"]


def test_negative_bias_reads_ambiguous_faces_as_distress():
    low = episodes_of(signals.AMBIGUOUS, make_state(negative_bias_today=0.0)[1], make_state()[0])
    sc, s = make_state(negative_bias_today=0.5)
    high = episodes_of(signals.AMBIGUOUS, s, sc)
    assert high.read_negative.mean() > low.read_negative.mean() + 0.2


def test_late_answers_soothe_but_are_not_contingent():
    # V7 (Millar 1972): an answer slower than the contingency window does not count
    sc, s = make_state(attention_today=1.0, responsiveness_today=1.0, accuracy_today=1.0, rejection_today=0.0,
                       latency_today_s=10.0)
    ep = episodes_of(signals.CRY, s, sc, window=2.0)
    assert ep.soothed.mean() == 1.0
    assert ep.contingent.mean() < 0.01
    sc, s = make_state(attention_today=1.0, responsiveness_today=1.0, accuracy_today=1.0, rejection_today=0.0,
                       latency_today_s=0.5)
    assert episodes_of(signals.CRY, s, sc, window=2.0).contingent.mean() > 0.95


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
    no_disruption = {"caregiver.disruption": 0.0}
    sc, s = make_state(overrides=no_disruption, unresolved=False, frightening=0.2, stress=0.5)
    wellbeing.start_day(s, sc, 100, uniforms((s.n, 2)))
    assert episodes_of(signals.CRY, s, sc).frightening.sum() == 0
    s.unresolved[:] = True
    wellbeing.start_day(s, sc, 100, uniforms((s.n, 2)))
    assert episodes_of(signals.CRY, s, sc).frightening.mean() > 0.05


def test_stress_and_depression_bring_disrupted_answers_in_any_caregiver():
    # Lyons-Ruth et al. 1999; Madigan et al. 2006: disrupted communication is not only unresolved trauma
    rates = {}
    for label, fields in {"calm": dict(stress=0.0, depressed=False, depression=0.0),
                          "stressed": dict(stress=0.9, depressed=False, depression=0.0),
                          "depressed": dict(stress=0.0, depressed=True, depression=1.0)}.items():
        sc, s = make_state(unresolved=False, unsoothed_minutes=0.0, **fields)
        wellbeing.start_day(s, sc, 100, np.column_stack([uniforms(s.n), np.ones(s.n)]))  # no onset/recovery
        rates[label] = episodes_of(signals.CRY, s, sc).frightening.mean()
    assert rates["calm"] < 0.002
    assert rates["stressed"] > rates["calm"] + 0.005 and rates["depressed"] > rates["calm"] + 0.005


def test_stress_lowers_todays_sensitivity():
    sc, calm = make_state(stress=0.0, inconsistency=0.0)
    sc, stressed = make_state(stress=0.8, inconsistency=0.0)
    for s in (calm, stressed):
        s.unsoothed_minutes[:] = 120.0 if s is stressed else 0.0
        wellbeing.start_day(s, sc, 100, uniforms((s.n, 2)))
    assert stressed.responsiveness_today.mean() < calm.responsiveness_today.mean() - 0.1
    assert stressed.attention_today.mean() < calm.attention_today.mean() - 0.1
    assert stressed.latency_today_s.mean() > calm.latency_today_s.mean()


def test_unsoothed_crying_raises_stress():
    sc, s = make_state(stress=0.1)
    before = s.stress.copy()
    s.unsoothed_minutes[:] = np.linspace(0, 180, s.n)
    wellbeing.start_day(s, sc, 100, uniforms((s.n, 2)))
    change = s.stress - before
    assert np.corrcoef(s.unsoothed_minutes, change)[0, 1] > 0.9


def test_inconsistency_spreads_daily_answering():
    sc, steady = make_state(inconsistency=0.1)
    sc, swinging = make_state(inconsistency=2.0)
    for s in (steady, swinging):
        for day in range(30):
            wellbeing.start_day(s, sc, 100, uniforms((s.n, 2), seed=day))
    assert swinging.responsiveness_today.std() > 2 * steady.responsiveness_today.std()


def soothed_to_unsoothed_crying(age_days):
    """Crying minutes with prompt, fitting answers to every cry, relative to no answers at all."""
    sc, s = make_state(attention_today=1.0, responsiveness_today=1.0, accuracy_today=1.0, rejection_today=0.0,
                       latency_today_s=0.5)
    fast, _ = response.crying_minutes(s, episodes_of(signals.CRY, s, sc), age_days, sc.infant)
    sc, s2 = make_state(attention_today=0.0, responsiveness_today=0.0)
    slow, unsoothed = response.crying_minutes(s2, episodes_of(signals.CRY, s2, sc), age_days, sc.infant)
    assert np.allclose(unsoothed, slow)
    return fast.mean() / slow.mean()


def test_contingent_soothing_shortens_crying():
    assert soothed_to_unsoothed_crying(120) < 0.3


def test_early_crying_resists_soothing():
    # Barr 1990; St James-Roberts et al. 2006: before the 2-month shift, soothing shortens a cry less
    early = soothed_to_unsoothed_crying(21)
    assert soothed_to_unsoothed_crying(120) + 0.2 < early < 1.0


def test_learning_availability_counts_only_contingent_soothing():
    sc, s = make_state(availability=0.5)
    bids = np.full(s.n, 8)
    learning.update_working_model(s, sc.infant, bids, met=np.full(s.n, 8), rejected=np.zeros(s.n),
                                  frights=np.zeros(s.n))
    assert (s.availability > 0.5).all()
    sc, s = make_state(availability=0.5)
    learning.update_working_model(s, sc.infant, bids, met=np.zeros(s.n), rejected=np.zeros(s.n),
                                  frights=np.zeros(s.n))
    assert (s.availability < 0.5).all()


def test_unpredictable_answers_raise_unpredictability_and_amplification():
    sc, steady = make_state(availability=0.5, unpredictability=0.0)
    sc, erratic = make_state(availability=0.5, unpredictability=0.0)
    rng = np.random.default_rng(1)
    bids = np.full(steady.n, 10)
    for day in range(200):
        steady_met = rng.binomial(10, 0.5, steady.n)
        p_day = np.where(rng.random(erratic.n) < 0.5, 0.95, 0.05)  # good days and bad days
        erratic_met = rng.binomial(10, p_day)
        for s, met in ((steady, steady_met), (erratic, erratic_met)):
            learning.update_working_model(s, sc.infant, bids, met, np.zeros(s.n), np.zeros(s.n))
            learning.update_strategy(s, sc.infant)
    assert erratic.unpredictability.mean() > 2 * steady.unpredictability.mean()
    assert erratic.amplify.mean() > steady.amplify.mean() + 0.3


def test_rebuffs_raise_muting():
    sc, s = make_state(availability=0.5)
    bids = np.full(s.n, 10)
    rejected = np.linspace(0, 10, s.n)
    met = bids - rejected  # every bid not rebuffed is soothed
    for _ in range(200):
        learning.update_working_model(s, sc.infant, bids, met, rejected, np.zeros(s.n))
        learning.update_strategy(s, sc.infant)
    assert np.corrcoef(rejected, s.mute)[0, 1] > 0.8
    assert s.mute[-100:].mean() > 0.8 and s.mute[:100].mean() < 0.1


def test_unanswered_bids_raise_muting_too():
    # bids that are neither rebuffed nor soothed are futile as well (deactivation)
    sc, s = make_state(availability=0.5)
    bids = np.full(s.n, 10)
    met = np.linspace(0, 7, s.n)
    rejected = np.full(s.n, 3.0)  # the same share of rebuffs for everyone
    for _ in range(300):
        learning.update_working_model(s, sc.infant, bids, met, rejected, np.zeros(s.n))
        learning.update_strategy(s, sc.infant)
    assert s.mute[:100].mean() > s.mute[-100:].mean() + 0.3


def test_frights_raise_fear_which_decays():
    sc, s = make_state(fear=0.0)
    for _ in range(30):
        learning.update_working_model(s, sc.infant, np.full(s.n, 5), np.full(s.n, 3), np.zeros(s.n),
                                      np.full(s.n, 1))
    peak = s.fear.copy()
    assert (peak > 0.5).all()
    for _ in range(60):
        learning.update_working_model(s, sc.infant, np.full(s.n, 5), np.full(s.n, 3), np.zeros(s.n),
                                      np.zeros(s.n))
    assert (s.fear < peak).all()


def test_strategies_shape_signals():
    sc, s = make_state()
    base = signals.signal_rates(s, 120, sc.infant)[0].mean()
    s.amplify[:] = 1.0
    louder = signals.signal_rates(s, 120, sc.infant)[0].mean()
    s.amplify[:] = 0.0
    s.mute[:] = 1.0
    quieter = signals.signal_rates(s, 120, sc.infant)[0].mean()
    assert louder > base > quieter


def test_crying_is_on_a_plateau_for_six_weeks_then_drops():
    # Wolke, Bilgin & Samara 2017: stable for the first 6 weeks, down by about half at 10-12 weeks
    peak = make_state()[0].infant.crying_peak
    first = [signals.crying_curve(day, peak) for day in range(0, 43)]
    assert min(first) > 0.8 * max(first)
    assert signals.crying_curve(77, peak) < 0.7 * signals.crying_curve(35, peak)
    assert signals.crying_curve(365, peak) < signals.crying_curve(120, peak)

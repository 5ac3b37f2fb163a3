"""learning: the infant's working model and strategy."""

import numpy as np

from simulation.model.components import learning

from helpers import make_state


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


def test_the_newborn_starts_undifferentiated():
    sc, s = make_state(n=100)
    assert (s.availability == sc.infant.prior_availability).all() and (s.fear == 0).all()
    assert s.amplify_offset.std() > 0 and abs(s.amplify_offset.std() - sc.infant.strategy_noise) < 0.02


def test_consolidation_is_a_beta_binomial_mean_until_the_memory_is_full():
    # with weight 1 / (prior_days + experience), k days at rate r after a prior p0 give the
    # posterior mean of a Beta-binomial: (prior_days * p0 + k * r) / (prior_days + k)
    sc, s = make_state(n=10, availability=0.5, experience_days=0.0)
    n0, p0 = sc.infant.prior_days, 0.5
    bids = np.full(s.n, 10)
    for k in range(1, 61):
        learning.update_working_model(s, sc.infant, bids, np.full(s.n, 9), np.zeros(s.n), np.zeros(s.n))
        expected = (n0 * p0 + k * 0.9) / (n0 + k)
        assert np.allclose(s.availability, expected, atol=1e-12), k


def test_early_experience_moves_the_working_model_more_than_the_same_experience_later():
    # the same ten days of no soothing, once in the second week and once after 200 days of soothing
    sc, young = make_state(n=10, availability=0.9, experience_days=7.0)
    sc, older = make_state(n=10, availability=0.9, experience_days=200.0)
    bids = np.full(young.n, 10)
    for _ in range(10):
        for s in (young, older):
            learning.update_working_model(s, sc.infant, bids, np.zeros(s.n), np.zeros(s.n), np.zeros(s.n))
    assert (0.9 - young.availability).min() > 1.5 * (0.9 - older.availability).max()
    # once consolidated, the weight stops falling: change stays possible
    assert (older.experience_days == sc.infant.consolidated_memory_days).all()
    assert (0.9 - older.availability).min() > 0.05

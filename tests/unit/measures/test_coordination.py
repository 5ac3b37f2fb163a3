"""coordination and early_responsiveness: counts of the caregiver's own answers."""

import numpy as np

from simulation.measures.coordination import Coordination
from simulation.measures.early_responsiveness import EarlyResponsiveness
from simulation.model.components import signals
from simulation.model.components.learning import Learning

from helpers import episodes_of, make_state, today


class Holder:
    def __init__(self, s):
        self.state = s


def test_coordination_counts_social_bids_only():
    # Tronick & Cohn 1989 coded face-to-face play: answers to distress are not in the measure (issue 16)
    sc, s = make_state(n=200, attention_today=1.0, responsiveness_today=1.0, accuracy_today=1.0,
                       distress_latency_today_s=0.5)
    ep = episodes_of(signals.FUSS, s, sc)
    m = Coordination()
    m.observe(today(s, sc, 100, episodes=ep, own=~ep.relief))
    assert ep.coordinated.any() and (s.episodes == 0).all() and (s.coordinated == 0).all()
    assert np.isnan(m.table(Holder(s))["coordination"]).all()


def test_coordination_counts_the_caregivers_episodes_and_not_the_supporters():
    sc, s = make_state(n=500, relief_today=0.4, relief_quality=1.0, attention_today=1.0, responsiveness_today=1.0,
                       social_latency_today_s=0.5)
    ep = episodes_of(signals.AMBIGUOUS, s, sc)
    m = Coordination()
    m.observe(today(s, sc, 100, episodes=ep, own=~ep.relief))
    assert (s.episodes == (~ep.relief).sum(axis=1)).all()
    cols = m.table(Holder(s))
    own = (~ep.relief).sum(axis=1)
    coordinated = (ep.coordinated & ~ep.relief).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        assert np.allclose(cols["coordination"], np.where(own > 0, coordinated / own, np.nan), equal_nan=True)
    assert 0.6 < coordinated.sum() / own.sum() < 0.9  # a neutral face is read as negative about 1 time in 5
    assert (cols["frightening_answers"] == ep.frightening.sum(axis=1)).all()


def test_early_responsiveness_counts_months_0_to_3_only():
    sc, s = make_state(n=200, attention_today=1.0, responsiveness_today=1.0, rejection_today=0.0)
    m = EarlyResponsiveness()
    for day in (10, 200):
        ep = episodes_of(signals.CRY, s, sc, day=day)
        t = today(s, sc, day, episodes=ep, own=~ep.relief)
        Learning().step(t)
        m.observe(t)
    assert (s.distress_early == 12).all()  # day 200 is outside the window
    assert np.allclose(m.table(Holder(s))["responsiveness_early"], 1.0)

"""crying: minutes of fussing and crying, soothed or not."""

import numpy as np

from simulation.model.components import signals
from simulation.model.components.crying import MINUTES_PER_DAY, crying_minutes

from helpers import episodes_of, make_state


def soothed_to_unsoothed_crying(age_days):
    """Crying minutes with prompt, fitting answers to every cry, relative to no answers at all."""
    sc, s = make_state(attention_today=1.0, responsiveness_today=1.0, accuracy_today=1.0, rejection_today=0.0,
                       distress_latency_today_s=0.5)
    fast, _ = crying_minutes(s, episodes_of(signals.CRY, s, sc), age_days, sc.infant)
    sc, s2 = make_state(attention_today=0.0, responsiveness_today=0.0)
    slow, unsoothed = crying_minutes(s2, episodes_of(signals.CRY, s2, sc), age_days, sc.infant)
    assert np.allclose(unsoothed, slow)
    return fast.mean() / slow.mean()


def test_contingent_soothing_shortens_crying():
    assert soothed_to_unsoothed_crying(120) < 0.3


def test_early_crying_resists_soothing():
    # Barr 1990; St James-Roberts et al. 2006: before the 2-month shift, soothing shortens a cry less
    early = soothed_to_unsoothed_crying(21)
    assert soothed_to_unsoothed_crying(120) + 0.2 < early < 1.0


def test_a_day_holds_at_most_its_minutes_of_crying():
    sc, s = make_state(n=50, overrides={"infant.cry_minutes": 120.0}, attention_today=0.0, soothability=0.05,
                       amplify=1.0, negative_emotionality=4.0)
    total, unsoothed = crying_minutes(s, episodes_of(signals.CRY, s, sc), 10, sc.infant)
    assert total.max() == MINUTES_PER_DAY and (unsoothed <= total).all()

"""perception: who handles an episode, noticing, reading faces through the bias."""

import numpy as np
import pytest

from simulation.model.components import perception, signals
from simulation.scenario import load_scenario

from helpers import episodes_of, make_state, uniforms


def test_negative_bias_means_fewer_answered_smiles():
    shares = []
    for bias in (0.0, 0.4, 0.8):
        sc, s = make_state(negative_bias_today=bias, attention_today=0.9, responsiveness_today=0.9)
        shares.append(episodes_of(signals.SMILE, s, sc).matched.mean())
    assert shares[0] > shares[1] > shares[2]
    # a full smile takes a tenth of the bias (caregiver.clarity 0.9): at bias 0.8 a few points fewer
    assert shares[0] - shares[2] > 0.02


def test_bias_weighs_more_on_ambiguous_faces_than_on_clear_smiles():
    # an interpretation bias is a reading of ambiguity (Mathews & MacLeod 2005): the same bias
    # moves the reading of a neutral face much more than that of a full smile (V8)
    c = load_scenario("good_enough").caregiver
    u = uniforms((2000, 1), 3)
    faces = {"ambiguous": np.zeros((2000, 1)), "smile": np.full((2000, 1), 0.9)}
    shift = {}
    for name, valence in faces.items():
        unbiased = perception.perceived_valence(valence, np.zeros(2000), c, u)
        biased = perception.perceived_valence(valence, np.full(2000, 0.5), c, u)
        shift[name] = (unbiased - biased).mean()
    assert shift["ambiguous"] == pytest.approx(0.5)
    assert 0.0 < shift["smile"] < 0.5 * shift["ambiguous"]


def test_negative_bias_reads_ambiguous_faces_as_distress():
    sc, low = make_state(negative_bias_today=0.0)
    _, high = make_state(negative_bias_today=0.5)
    assert (episodes_of(signals.AMBIGUOUS, high, sc).read_negative.mean()
            > episodes_of(signals.AMBIGUOUS, low, sc).read_negative.mean() + 0.2)


def test_a_cry_is_noticed_more_often_than_a_fuss():
    # two chances: 1 - (1 - 0.5)^2 = 0.75 against 0.5, measured on 24,000 signals each
    sc, s = make_state(attention_today=0.5)
    cry = episodes_of(signals.CRY, s, sc).noticed.mean()
    fuss = episodes_of(signals.FUSS, s, sc).noticed.mean()
    assert cry == pytest.approx(0.75, abs=0.01) and fuss == pytest.approx(0.5, abs=0.01)


def test_a_supporter_takes_over_a_share_of_episodes():
    sc, s = make_state(relief_today=0.3, relief_quality=0.9)
    ep = episodes_of(signals.CRY, s, sc)
    assert ep.relief.mean() == pytest.approx(0.3, abs=0.01)
    assert not (ep.rebuffed & ep.relief).any() and not (ep.frightening & ep.relief).any()

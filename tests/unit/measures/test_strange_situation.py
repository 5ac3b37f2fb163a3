"""strange_situation: classification rules, security score, scales from the working model."""

import pytest

from simulation.measures import strange_situation as assessment

from helpers import make_state, uniforms


@pytest.mark.parametrize("ps,cm,rs,av,ds,expected,abc", [
    (6, 5, 1, 1, 1, "B", "B"),      # seeks and keeps contact, neither resists nor avoids
    (2, 1, 1, 6, 1, "A", "A"),      # avoidance dominates
    (6, 6, 6, 1, 1, "C", "C"),      # resistance with contact seeking
    (5, 5, 4.5, 4.5, 1, "B", "B"),  # below both cut-offs
    (5, 5, 6, 6, 1, "A", "A"),      # tie: avoidance wins (AV >= RS)
    (5, 5, 1, 1, 6, "D", "B"),      # disorganisation overrides, forced B kept
    (2, 1, 1, 6, 5, "D", "A"),
])
def test_classification_rules(ps, cm, rs, av, ds, expected, abc):
    cls, forced = assessment.classify([ps], [cm], [rs], [av], [ds])
    assert cls[0] == expected and forced[0] == abc


def test_security_score_orders_classes():
    b = assessment.security_score(6, 5, 1, 1, 1)
    a = assessment.security_score(2, 1, 1, 6, 1)
    c = assessment.security_score(6, 6, 6, 1, 1)
    d = assessment.security_score(6, 5, 1, 1, 8)
    assert b > max(a, c, d)
    assert 0 <= min(a, c, d) and b <= 1


@pytest.mark.parametrize("fields,expected", [
    (dict(availability=0.8, amplify=0.0, mute=0.0, fear=0.0), "B"),
    (dict(availability=0.1, amplify=0.0, mute=0.95, fear=0.0), "A"),
    (dict(availability=0.4, amplify=0.95, mute=0.0, fear=0.0), "C"),
    (dict(availability=0.6, amplify=0.0, mute=0.0, fear=0.9), "D"),
])
def test_working_models_classify_as_expected(fields, expected):
    _, s = make_state(n=500, **fields)
    ssp = assessment.strange_situation(s, noise_sd=0.05, u=uniforms((500, 5)))
    share = (ssp.attachment == expected).mean()
    assert share > 0.95


def test_situational_noise_blurs_but_keeps_the_mode():
    _, s = make_state(n=4000, availability=0.5, amplify=0.55, mute=0.0, fear=0.0)
    quiet = assessment.strange_situation(s, noise_sd=0.0, u=uniforms((4000, 5)))
    noisy = assessment.strange_situation(s, noise_sd=0.2, u=uniforms((4000, 5)))
    assert len(set(quiet.attachment)) == 1
    assert 0.05 < (noisy.attachment != quiet.attachment).mean() < 0.6

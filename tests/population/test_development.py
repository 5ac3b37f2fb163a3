"""Development over time (issue: the first 1,001 days): the working model consolidates, so early care
leaves a mark and later change is possible but slower. Each comparison runs the same dyads (common
random numbers) under different histories of care (simulation.study.development.changed_care)."""

import numpy as np

from simulation.study import analysis
from simulation.study.development import changed_care

N = 800


def paired_ci(a, b):
    """Mean of a - b over the same dyads, with a normal 95% CI."""
    return analysis.mean_ci(np.asarray(a, float) - np.asarray(b, float))


def test_rejection_in_the_first_six_months_leaves_a_deficit_at_12_months():
    good = changed_care("good_enough", n_dyads=N, seed=3)
    early = changed_care("rejecting", "good_enough", 6, n_dyads=N, seed=3)
    diff, lo, hi = analysis.share_difference_ci((early.attachment_12m == "B").to_numpy(),
                                                (good.attachment_12m == "B").to_numpy())
    assert hi < -0.05, (diff, lo, hi)  # at least five points fewer secure infants, six months after care improved
    m, lo, hi = paired_ci(early.security_12m, good.security_12m)
    assert hi < 0, (m, lo, hi)


def test_a_year_of_rejection_then_good_care_improves_security_but_not_to_always_good_care():
    kw = dict(n_dyads=N, seed=4, months=18, assessment_ages=(12, 18))
    good = changed_care("good_enough", **kw)
    late = changed_care("rejecting", "good_enough", 12, **kw)
    m, lo, hi = paired_ci(late.security_18m, late.security_12m)
    assert lo > 0, (m, lo, hi)  # better at 18 months than at 12
    assert (late.attachment_18m == "B").mean() > (late.attachment_12m == "B").mean() + 0.1
    m, lo, hi = paired_ci(late.security_18m, good.security_18m)
    assert hi < 0, (m, lo, hi)  # but not as secure as with good care all along
    diff, lo, hi = analysis.share_difference_ci((late.attachment_18m == "B").to_numpy(),
                                                (good.attachment_18m == "B").to_numpy())
    assert hi < 0, (diff, lo, hi)


def test_changing_care_at_the_start_is_the_same_as_the_new_care_all_along():
    # a check of change_caregiving itself: switching on day 0 redraws the same quantiles (common random numbers)
    kw = dict(n_dyads=200, seed=5, months=3, assessment_ages=(3,), overrides={"simulation.observation_age_months": 1})
    direct = changed_care("good_enough", **kw)
    switched = changed_care("rejecting", "good_enough", 0, **kw)
    assert (direct.attachment_3m.to_numpy() == switched.attachment_3m.to_numpy()).all()
    assert np.allclose(direct.security_3m, switched.security_3m, atol=1e-12)

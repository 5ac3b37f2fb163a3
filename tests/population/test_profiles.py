"""The five caregiving profiles produce the qualitative findings (issue: core simulation).

Fixed seed, 1,000 dyads per profile, the standard 12-month Strange Situation. Tolerances follow
the issue's acceptance figures; binomial standard errors at n = 1,000 are under 1.6 points.
"""

import numpy as np
import pytest

import simulation

PROFILES = ["perfect", "good_enough", "inconsistent", "rejecting", "frightening"]


@pytest.fixture(scope="module")
def result():
    return simulation.compare(PROFILES, n_dyads=1000, seed=1)


def shares(result):
    return (result.dyads.groupby("scenario")["attachment"].value_counts(normalize=True)
            .unstack(fill_value=0.0).reindex(columns=list("ABCD"), fill_value=0.0))


def test_good_enough_is_mostly_secure_and_as_good_as_perfect(result):
    s = shares(result)
    assert s.loc["good_enough", "B"] >= 0.55
    assert abs(s.loc["perfect", "B"] - s.loc["good_enough", "B"]) <= 0.08


def test_repair_is_what_makes_misses_harmless():
    # the same good-enough caregivers, same infants and random numbers, with and without repair
    # (Tronick & Gianino 1986): unrepaired mismatches are partly futile bids -> avoidance
    runs = {repair: simulation.run("good_enough", n_dyads=1000, seed=3, overrides={"caregiver.repair": repair}).dyads
            for repair in (0.8, 0.0)}
    b = {r: (d["attachment"] == "B").mean() for r, d in runs.items()}
    a = {r: (d["attachment"] == "A").mean() for r, d in runs.items()}
    assert b[0.8] - b[0.0] >= 0.08
    assert a[0.0] - a[0.8] >= 0.08
    assert runs[0.0]["security"].mean() < runs[0.8]["security"].mean() - 0.05


def test_each_insecure_profile_leads_its_class(result):
    s = shares(result)
    assert s["C"].idxmax() == "inconsistent"
    assert s["A"].idxmax() == "rejecting"
    assert s["D"].idxmax() == "frightening"


def test_good_enough_coordination_is_about_a_third(result):
    # V5 (Tronick & Cohn 1989): 25-45% of episodes coordinated, most mismatches repaired
    ge = result.dyads[result.dyads.scenario == "good_enough"]
    assert 0.25 <= ge["coordination"].mean() <= 0.45
    assert ge["repair_rate"].mean() > 0.5
    perfect = result.dyads[result.dyads.scenario == "perfect"]
    assert perfect["coordination"].mean() > ge["coordination"].mean() + 0.2


def test_responsiveness_does_not_spoil(result):
    # V6 (Bell & Ainsworth 1972): early responsiveness does not raise later crying
    for name, df in result.dyads.groupby("scenario"):
        r = np.corrcoef(df["responsiveness_early"], df["crying_late"])[0, 1]
        assert r <= 0.1, (name, r)


def test_observed_sensitivity_orders_profiles(result):
    m = result.dyads.groupby("scenario")["observed_sensitivity"].mean()
    assert m["perfect"] > m["good_enough"] > max(m["inconsistent"], m["rejecting"])


def test_crying_is_higher_early_and_highest_late_with_inconsistency(result):
    d = result.dyads.groupby("scenario")[["crying_early", "crying_late"]].mean()
    assert (d["crying_early"] > d["crying_late"]).all()
    assert d["crying_late"].idxmax() == "inconsistent"

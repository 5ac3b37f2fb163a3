"""The questions of issue 16, asked as a user would (simulation.study.probes), held to their answers.

Each check has a margin of at least 3.3 standard errors at its size (so it passes for at least
999 of 1,000 seeds); the margins are worked out beside each assertion. Before issue 16 the model
failed each of them: a 10-s answer to distress gave 48% B against 93% at 1.2 s; a bias of 0.6 moved
security by d -0.03; video-feedback raised D; temperament gave d 0.40 (insecure) and 0.34 (D);
a responsiveness of 0.3 lowered late crying from 34 to 19 minutes a day.
"""

from simulation.study import probes


def test_answers_to_distress_run_on_the_time_scale_of_soothing():
    # Millar 1972's 2-s window is for social contingency; crying is answered in tens of seconds
    t = probes.distress_latency(n_dyads=1000, seed=3).set_index("distress_latency_s")
    # 1.2 s vs 10 s: measured 0.4 points apart at 2,000 dyads; the same dyads (common random numbers)
    # differ by well under a point from seed to seed, so 5 points is a margin of many SEs
    assert abs(t.loc[10.0, "B_minus_first_pts"]) <= 5.0
    # three minutes: measured 48 points lower; the bound is 10 points with a CI excluding 0
    assert t.loc[180.0, "B_minus_first_pts"] <= -10.0 and t.loc[180.0, "ci_high_pts"] < 0.0


def test_a_negative_reading_of_faces_changes_the_answers_themselves():
    # depression off: the bias acts only through the answers (issue 16, probe 2)
    t = probes.negative_bias(n_dyads=1500, seed=3).set_index("negative_bias")
    strong = t.loc[0.6]
    # measured d -0.27 on security (SE about 0.037 at 1,500 per arm, less with common random numbers):
    # the bound -0.1 is 4.6 SEs away; coordination d about -0.9
    assert strong["d_security"] <= -0.1 and strong["d_security_high"] < 0.0
    assert strong["d_coordination"] < 0.0 and strong["d_coordination_high"] < 0.0
    assert strong["coordination"] < t.loc[0.0, "coordination"]


def test_video_feedback_does_not_raise_disorganisation():
    # frightening moments come from the caregiver's state, not from answering (Main & Hesse 1990)
    effect = probes.video_feedback_disorganisation(seed=3, reps=200)
    m, low, high = effect["same_families"]
    # measured -0.7 points [-1.1, -0.3] at seed 1 (2,400 families); the bound is +1 point
    assert high <= 1.0


def test_temperament_is_only_weakly_associated_with_attachment():
    # Groh et al. 2017: d 0.14 insecure, 0.30 resistant, 0.10 avoidant (ns), 0.11 disorganised (ns);
    # the validation's T1-T4 hold the figures to those CIs at seed 1. Here, at any seed: no comparison
    # beyond the published upper bound by more than 0.12 (about 4 SEs for the insecure/secure d at
    # 5,000 dyads, SE 0.03; 2.3 for resistance, whose measured d 0.30 is 0.22 below its ceiling);
    # before issue 16 the model gave 0.40 insecure and 0.32 avoidant
    t = probes.temperament(n_dyads=5000, seed=3).set_index("comparison")
    for name, row in t.iterrows():
        assert row["d"] <= row["published_high"] + 0.12, name
    # resistance is the classification temperament leans to (measured d 0.30, SE 0.053)
    assert t.loc["resistant_vs_secure", "ci_low"] > 0.0
    assert t.loc["resistant_vs_secure", "d"] > t.loc["avoidant_vs_secure", "d"]


def test_worse_care_does_not_lower_later_crying():
    # muting hides the bid, not the distress (Ainsworth et al. 1978); prompt answers end cries sooner
    t = probes.crying_and_care(n_dyads=2000, seed=3).set_index("responsiveness")
    # measured 39.3 vs 34.4 minutes a day (SE of each mean about 0.35): a margin of about 10 SEs
    assert t.loc[0.3, "crying_late"] >= t.loc[0.85, "crying_late"]
    assert t.loc[0.3, "share_A"] > 0.5  # the poorly answered infants are mostly avoidant, and cry no less


def test_avoidant_infants_cry_about_as_long_as_secure_ones():
    # Ainsworth, Blehar, Waters & Wall 1978: avoidant infants did not cry less at home
    t = probes.crying_by_class(n_dyads=5000, seed=3).set_index("attachment")
    # measured 32.4 (A, n about 700) vs 34.1 (B) minutes a day; SE of the ratio about 0.02: 0.85 is
    # about 5 SEs below; before issue 16 muting cut distress signals by 30% and shortened them
    assert t.loc["A", "crying_late"] >= 0.85 * t.loc["B", "crying_late"]

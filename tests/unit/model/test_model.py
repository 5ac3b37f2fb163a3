"""The Mesa model on small populations: agents, reproducibility, the tables' days and columns.

Per-agent equivalence and common random numbers across scenarios are population checks
(tests/population/test_per_agent_path.py, tests/population/test_crn.py)."""

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation import AttachmentModel, Caregiver, Infant, Supporter
from simulation.model.calendar import month_day

from helpers import SHORT


def test_agents_are_real_mesa_agents_viewing_rows():
    model = AttachmentModel("good_enough", n_dyads=20, seed=3, overrides=SHORT)
    caregivers = model.agents_by_type[Caregiver]
    infants = model.agents_by_type[Infant]
    assert len(caregivers) == len(infants) == 20
    supporters = model.agents_by_type[Supporter]
    assert len(supporters) == model.state.sup_exists.sum() > 0
    assert len(model.agents) == 40 + len(supporters)
    c = model.caregivers[7]
    # the caregiver's supporters are its neighbours in the Mesa network space
    assert sorted(a.slot for a in c.supporters) == list(np.nonzero(model.state.sup_exists[7])[0])
    assert all(sup.caregiver is model.caregivers[sup.dyad] for sup in supporters)
    assert c.infant.caregiver is c
    for _ in range(10):
        model.step()
    assert c.stress == model.state.stress[7]
    assert model.infants[7].availability == model.state.availability[7]
    with pytest.raises(AttributeError):
        c.stress = 0.5  # read-only view


def test_same_seed_same_table_different_seed_different():
    a = simulation.run("good_enough", n_dyads=80, seed=5, overrides=SHORT).dyads
    b = simulation.run("good_enough", n_dyads=80, seed=5, overrides=SHORT).dyads
    c = simulation.run("good_enough", n_dyads=80, seed=6, overrides=SHORT).dyads
    pd.testing.assert_frame_equal(a, b)
    assert not a.drop(columns="seed").equals(c.drop(columns="seed"))
    assert not np.allclose(a["availability"], c["availability"])


def test_seed_sequence_seeds_work():
    ss = np.random.SeedSequence(11).spawn(2)[1]
    a = simulation.run("good_enough", n_dyads=30, seed=ss, overrides=SHORT).dyads
    b = simulation.run("good_enough", n_dyads=30, seed=np.random.SeedSequence(11).spawn(2)[1], overrides=SHORT).dyads
    pd.testing.assert_frame_equal(a, b)


def test_changing_a_parameter_that_does_not_matter_changes_nothing():
    a = simulation.run("good_enough", n_dyads=50, seed=4, overrides=SHORT).dyads
    # the frightening trait acts only in unresolved caregivers; there are none in good_enough
    b = simulation.run("good_enough", n_dyads=50, seed=4, overrides={**SHORT, "caregiver.frightening": 0.5}).dyads
    pd.testing.assert_frame_equal(a.drop(columns="cg_frightening"), b.drop(columns="cg_frightening"))


def test_daily_table_covers_every_day():
    res = simulation.run("good_enough", n_dyads=20, seed=1, overrides=SHORT)
    days = res.daily["day"].to_numpy()
    assert days[0] == 0 and np.all(np.diff(days) == 1)
    assert len(days) == month_day(3)
    assert {"security_index", "crying_minutes", "caregiver_stress"} <= set(res.daily.columns)


def test_several_assessment_ages():
    over = {"simulation.months": 18, "simulation.assessment_ages": [12, 18]}
    d = simulation.run("good_enough", n_dyads=30, seed=1, overrides=over).dyads
    for col in ("attachment_12m", "attachment_18m", "security_12m", "security_18m"):
        assert col in d
    assert (d["attachment"] == d["attachment_12m"]).all()
    assert d["crying_late"].notna().all()


def test_required_columns():
    d = simulation.run("good_enough", n_dyads=20, seed=1, overrides=SHORT).dyads
    for col in ("scenario", "dyad", "observed_sensitivity", "attachment", "security", "attachment_3m",
                "security_3m", "crying_early", "crying_late", "crying_weeks_0_6", "crying_weeks_10_12",
                "responsiveness_early", "coordination"):
        assert col in d.columns
    # Wolke et al. 2017's two windows both lie inside the 3-month calendar, and crying falls between them
    assert d.crying_weeks_0_6.notna().all() and d.crying_weeks_10_12.notna().all()
    assert d.crying_weeks_0_6.mean() > d.crying_weeks_10_12.mean()
    assert set(d.attachment) <= set("ABCD")
    assert d.observed_sensitivity.between(1, 9).all()

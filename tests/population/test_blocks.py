"""Blocks of dyads (issue 19): a dyad's numbers depend only on the root seed and its place in the
population, so a model of dyads [a, b) (``first_dyad=a``) gives exactly those rows of the run over
everyone, and a run of N dyads is the first N dyads of a larger one.

Checked against the golden tables (150 dyads a scenario, written by whole runs), with blocks cut at
odd places (an odd first row leaves a float32 draw's half in numpy's buffer), on the scenarios that
draw in every way: the setup's normals and uniforms, the day's blocks, households' child seeds,
interventions, and every measure (Strange Situation with two coders, AQS, questionnaires, face
tasks, home observation).
"""

import pandas as pd
import pytest

from simulation.model.engine import AttachmentModel
from simulation.report import records
from tests.golden_tables import SEED, differences, path_for

CUTS = (0, 37, 101, 150)


def _round_trip(df: pd.DataFrame, tmp_path) -> pd.DataFrame:
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False, float_format="%.17g")  # as the goldens are stored
    return pd.read_csv(path)


@pytest.mark.parametrize("name", ["first_1001_days", "two_parents", "video_feedback_trial"])
def test_blocks_put_together_are_the_whole_run(name, tmp_path):
    parts = [records.dyad_table(AttachmentModel(name, n_dyads=b - a, seed=SEED, first_dyad=a).run())
             for a, b in zip(CUTS, CUTS[1:])]
    got = _round_trip(pd.concat(parts, ignore_index=True), tmp_path)
    assert got["dyad"].tolist() == list(range(150))
    assert differences(pd.read_csv(path_for(name)), got) == []


def test_a_smaller_run_is_the_first_dyads_of_a_larger_one(tmp_path):
    got = _round_trip(records.dyad_table(AttachmentModel("perinatal_depression", n_dyads=40, seed=SEED).run()), tmp_path)
    assert differences(pd.read_csv(path_for("perinatal_depression")).iloc[:40].reset_index(drop=True), got) == []


def test_an_intervention_for_listed_dyads_cannot_run_in_a_later_block():
    """``interventions.dyads`` names rows of a scenario's own population (checked against its
    n_dyads), which a block that starts later does not hold: refused, not silently misapplied."""
    over = {"interventions": [{"kind": "home_visiting", "dyads": [3]}]}
    AttachmentModel("good_enough", n_dyads=10, seed=4, overrides=over, first_dyad=0)
    with pytest.raises(ValueError, match="lists dyads"):
        AttachmentModel("good_enough", n_dyads=10, seed=4, overrides=over, first_dyad=10)


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_a_bad_first_dyad_is_refused(bad):
    with pytest.raises(ValueError, match="first_dyad"):
        AttachmentModel("good_enough", n_dyads=10, first_dyad=bad)

"""Sweeps without running them in other processes: designs and their sizes, seeds and task keys,
the summary of a run, and validation of every point before anything is submitted."""

import numpy as np
import pandas as pd
import pytest

from helpers import SHORT
from simulation.study import sweep
from simulation.errors import UserError


def small_grid():
    return sweep.grid({"caregiver.repair": [0.3, 0.9], "caregiver.accuracy": [0.4, 0.9]})


def small_sweep(**kwargs):
    kwargs = {"replicates": 2, "seed": 3, "n_dyads": 30, "overrides": SHORT, "progress": False, **kwargs}
    return sweep.run_sweep("good_enough", kwargs.pop("design", small_grid()), **kwargs)


class ForbiddenExecutor:
    """Fails if anything is submitted: proves that validation happens before any task runs."""

    def submit(self, *args, **kwargs):
        raise AssertionError("a task was submitted")


def test_grid_is_the_full_product_with_the_last_parameter_fastest():
    design = small_grid()
    assert design.points == [{"caregiver.repair": 0.3, "caregiver.accuracy": 0.4},
                             {"caregiver.repair": 0.3, "caregiver.accuracy": 0.9},
                             {"caregiver.repair": 0.9, "caregiver.accuracy": 0.4},
                             {"caregiver.repair": 0.9, "caregiver.accuracy": 0.9}]


def test_sampled_designs_have_the_documented_sizes_and_stay_in_bounds():
    bounds = {"caregiver.repair": (0.2, 0.9), "caregiver.accuracy": (0.4, 0.95), "caregiver.attention": (0.5, 1.0)}
    assert len(sweep.sobol(bounds, 8)) == 8 * (2 * 3 + 2)
    assert len(sweep.sobol(bounds, 8, second_order=False)) == 8 * (3 + 2)
    assert len(sweep.morris(bounds, 5)) == 5 * (3 + 1)
    lhs = sweep.latin_hypercube(bounds, 12, seed=4)
    assert len(lhs) == 12 and lhs.matrix.shape == (12, 3)
    for j, (low, high) in enumerate(bounds.values()):
        assert (lhs.matrix[:, j] >= low).all() and (lhs.matrix[:, j] <= high).all()
        # a Latin hypercube puts exactly one point in each of the n strata of every parameter
        strata = np.floor((lhs.matrix[:, j] - low) / (high - low) * 12).astype(int)
        assert sorted(strata) == list(range(12))
    np.testing.assert_array_equal(lhs.matrix, sweep.latin_hypercube(bounds, 12, seed=4).matrix)


def test_replicate_r_of_every_point_shares_one_seed_and_keys_are_stable():
    plan = sweep.plan("good_enough", small_grid(), replicates=3, seed=7, overrides=SHORT)
    assert len(plan.tasks) == 12 and len({t.key for t in plan.tasks}) == 12
    assert [(t.point, t.replicate) for t in plan.tasks] == [(p, r) for p in range(4) for r in range(3)]
    root_children = np.random.SeedSequence(7).spawn(3)
    for t in plan.tasks:
        assert t.seed.entropy == 7 and t.seed.spawn_key == root_children[t.replicate].spawn_key
    # more replicates later: the first ones keep their keys (and their finished parts)
    more = sweep.plan("good_enough", small_grid(), replicates=5, seed=7, overrides=SHORT)
    assert {t.key for t in plan.tasks} <= {t.key for t in more.tasks}
    other_seed = sweep.plan("good_enough", small_grid(), replicates=3, seed=8, overrides=SHORT)
    assert not {t.key for t in plan.tasks} & {t.key for t in other_seed.tasks}


def test_integer_parameters_are_rounded_in_sampled_designs():
    design = sweep.latin_hypercube({"simulation.n_dyads": (20, 40)}, 5, seed=1)
    plan = sweep.plan("good_enough", design, overrides=SHORT)
    values = [ov["simulation.n_dyads"] for ov in plan.point_overrides]
    assert all(isinstance(v, int) and 20 <= v <= 40 for v in values)


def test_summary_outcomes_handle_a_missing_depression_column():
    dyads = pd.DataFrame({"attachment": list("ABBD"), "security": [0.2, 0.8, 0.6, 0.1],
                          "observed_sensitivity": [3, 6, 5, 2], "crying_early": [50, 40, 45, 70],
                          "crying_late": [np.nan] * 4, "coordination": [0.2, 0.4, 0.3, 0.1]})
    out = sweep.summarise_run(dyads)
    assert out["n"] == 4 and out["share_B"] == 0.5 and out["share_D"] == 0.25 and out["share_C"] == 0.0
    assert out["mean_security"] == pytest.approx(0.425) and np.isnan(out["mean_crying_late"])
    assert np.isnan(out["share_depressed"])
    assert sweep.summarise_run(dyads.assign(depressed=[True, False, False, True]))["share_depressed"] == 0.5
    assert list(out) == sweep.outcome_names()


@pytest.mark.parametrize("design", [
    lambda: sweep.grid({"caregiver.attention": [0.5, 2.0]}),
    lambda: sweep.points([{"caregiver.nope": 1.0}]),
    lambda: sweep.grid({"caregiver.repair": [0.5], "simulation.months": [3]}),  # also a fixed override
])
def test_api_validates_every_point_before_submitting(tmp_path, design):
    with pytest.raises(UserError):
        small_sweep(design=design(), executor=ForbiddenExecutor(), out=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_api_rejects_bad_ranges_when_the_design_is_built():
    with pytest.raises(UserError, match="empty list of values"):
        sweep.grid({"caregiver.repair": []})
    with pytest.raises(UserError, match="empty range"):
        sweep.latin_hypercube({"caregiver.repair": (0.5, 0.5)}, 4)
    with pytest.raises(UserError, match="two numbers"):
        sweep.morris({"caregiver.repair": (0.5,)})
    with pytest.raises(UserError, match="at least one parameter"):
        sweep.sobol({}, 8)


def test_point_means_use_the_names_asked_for():
    result = sweep.run_sweep("good_enough", sweep.grid({"caregiver.repair": [0.3, 0.9]}), n_dyads=20,
                             overrides={"simulation.months": 3, "simulation.assessment_ages": [3],
                                        "simulation.observation_age_months": 1}, executor="serial", progress=False)
    means = result.point_means(["share_secure", "share_B"])
    assert list(means.columns) == ["caregiver.repair", "share_secure", "share_B"]
    assert (means["share_secure"] == means["share_B"]).all()


def test_the_tasks_in_flight_follow_a_dask_cluster_that_grows(monkeypatch):
    """A cluster whose workers join late (SLURM jobs still queued, adapt()): the window of tasks in
    flight is looked at again while tasks run, so it grows from the first workers' to all of them."""
    import threading
    from concurrent.futures import Future

    from simulation.study.sweep import executors

    class GrowingClient:
        __module__ = "distributed.fake"

        def __init__(self):
            self.workers, self.pending, self.most = 1, [], 0
            self.lock = threading.Lock()

        def nthreads(self):
            return {f"w{i}": 1 for i in range(self.workers)}

        def scheduler_info(self):
            return {"address": "tcp://fake"}

        def submit(self, fn, task, pure=True):
            fut = Future()
            self.pending.append((fut, fn, task))
            self.most = max(self.most, len(self.pending))
            threading.Timer(0.05, self.finish_one).start()
            return fut

        def finish_one(self):
            with self.lock:
                fut, fn, task = self.pending.pop(0)
            self.workers = min(self.workers + 2, 20)  # more workers join as the run goes on
            fut.set_result(fn(task))

    monkeypatch.setattr(executors, "_LOOK_AGAIN_S", 0.0)
    client, seen = GrowingClient(), []
    executors._execute(client, list(range(60)), lambda t, r: seen.append(r), fn=lambda t: t * 2,
                       describe=str)
    assert sorted(seen) == [2 * t for t in range(60)]
    assert client.most > executors._capacity(GrowingClient())  # more in flight than the first look allowed

"""Cohort runs (issue 19): blocks on any executor give the one-run answer, resume, refuse bad input.

Small cohorts on a short calendar (3 months, assessed at 3): the properties do not depend on size.
The large runs (1,000,000 dyads x 1,010 days) are in benchmarks/bench_cohort.py.
"""

import json

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.errors import UserError
from simulation.study import analysis, cohort, runner

SHORT = {"simulation.months": 3, "simulation.assessment_ages": [3], "simulation.observation_age_months": 1.0}


def _cohort(tmp_path=None, **kw):
    args = dict(n_dyads=230, seed=3, block_dyads=70, overrides=SHORT, executor="serial", progress=False)
    args.update(kw)
    return cohort.run_cohort("two_parents", **args)


@pytest.fixture(scope="module")
def whole():
    return runner.run("two_parents", n_dyads=230, seed=3, overrides=SHORT)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    return _cohort(out=tmp_path_factory.mktemp("c") / "serial", per_dyad=True)


def test_the_summary_and_the_rows_are_those_of_one_run(whole, serial):
    """Blocks of 70 (the last of 20): the summary from the aggregates equals analysis.summarise of
    the whole run's table; the Parquet rows and the daily means are the whole run's."""
    pd.testing.assert_frame_equal(serial.summary(), analysis.summarise(whole.dyads), check_exact=False, rtol=1e-9)
    rows = serial.dyads()
    assert rows["dyad"].tolist() == list(range(230))
    pd.testing.assert_frame_equal(rows, whole.dyads, check_exact=False, rtol=1e-12, check_dtype=False)
    pd.testing.assert_frame_equal(serial.daily, whole.daily, check_exact=False, rtol=1e-9, check_dtype=False)
    by_risk = serial.subgroups("risk_count")
    for value, sub in whole.dyads.groupby("risk_count"):
        got = by_risk[by_risk["risk_count"] == value].drop(columns="risk_count").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, analysis.summarise(sub), check_exact=False, rtol=1e-9)


def test_the_files_of_a_cohort(serial):
    out = serial.out
    names = {p.name for p in out.iterdir()}
    assert {"summary.csv", "subgroups.csv", "daily.csv", "aggregates.json", "manifest.json", "blocks", "dyads"} <= names
    assert len(list((out / "blocks").iterdir())) == 4 and len(list((out / "dyads").iterdir())) == 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["n_dyads"] == 230 and manifest["blocks"] == 4
    sub = pd.read_csv(out / "subgroups.csv")
    assert set(sub["by"]) == {"risk_count", "depressed", "support_size", "caregivers"}


def test_a_process_pool_gives_identical_aggregates(serial):
    """Merged in block order, so not even the rounding depends on which worker finished first (Dask:
    test_a_dask_scheduler_address_runs_the_blocks_there)."""
    other = _cohort(executor="process", workers=2)
    assert other.aggregates.to_dict() == serial.aggregates.to_dict()
    assert other.executor["kind"] == "process"


def test_no_block_draws_and_drops_the_normals_of_the_dyads_before_it(serial):
    """The driver draws each setup normal stream once and hands each block its state (streams.normal_states)."""
    from simulation.model import streams

    before = streams.normals_dropped
    other = _cohort()
    assert streams.normals_dropped == before
    assert other.aggregates.to_dict() == serial.aggregates.to_dict()


def test_the_block_size_does_not_change_the_answer(serial):
    other = _cohort(block_dyads=101)
    pd.testing.assert_frame_equal(other.summary(), serial.summary(), check_exact=False, rtol=1e-12)


def test_an_interrupted_cohort_resumes_where_it_stopped(tmp_path, monkeypatch, serial):
    out = tmp_path / "c"
    real = cohort.run_block

    def fail_on_third(block):
        if block.index == 2:
            raise KeyboardInterrupt
        return real(block)

    monkeypatch.setattr(cohort, "run_block", fail_on_third)
    with pytest.raises(KeyboardInterrupt):
        _cohort(out=out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["blocks_left"] == 2
    assert not (out / "summary.csv").exists()
    monkeypatch.setattr(cohort, "run_block", real)
    again = _cohort(out=out)
    assert (again.computed, again.reused) == (2, 2)
    assert again.aggregates.to_dict() == serial.aggregates.to_dict()
    third = _cohort(out=out)
    assert (third.computed, third.reused) == (0, 4)


def test_a_folder_with_another_cohort_is_refused_and_replaced_with_overwrite(tmp_path):
    out = tmp_path / "c"
    _cohort(out=out, n_dyads=80)
    with pytest.raises(UserError, match="another cohort"):
        _cohort(out=out, n_dyads=90)
    res = _cohort(out=out, n_dyads=90, overwrite=True)
    assert res.reused == 0 and len(list((out / "blocks").iterdir())) == 2


def test_blocks_of_other_code_are_not_resumed_nor_silently_thrown_away(tmp_path, monkeypatch):
    out = tmp_path / "c"
    _cohort(out=out, n_dyads=80)
    monkeypatch.setattr(cohort, "code_version", lambda: "another commit")
    with pytest.raises(UserError, match="computed by other code"):
        _cohort(out=out, n_dyads=80)
    assert len(list((out / "blocks").iterdir())) == 2
    res = _cohort(out=out, n_dyads=80, overwrite=True)
    assert (res.computed, res.reused) == (2, 0)


@pytest.mark.parametrize("kw, message", [
    ({"n_dyads": 0}, "n_dyads"),
    ({"n_dyads": 200_000_000}, "n_dyads"),
    ({"block_dyads": 2_000_000}, "block_dyads"),
    ({"by": ["no_such_column"]}, "no_such_column"),
    ({"by": ["security"]}, "continuous"),
    ({"overrides": {**SHORT, "simulation.n_dyads": 5}}, "simulation.n_dyads"),
    ({"executor": "nonsense"}, "nonsense"),
])
def test_bad_input_is_one_message(kw, message, tmp_path):
    with pytest.raises(UserError, match=message):
        _cohort(out=tmp_path / "never", **kw)
    assert not (tmp_path / "never").exists()


def test_a_cohort_too_large_for_the_memory_left_is_refused_before_it_runs(tmp_path, monkeypatch):
    from simulation.model import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 1.5e9)
    with pytest.raises(UserError, match=r"block_dyads = 70 on 2 worker\(s\) needs about .* GB.*--block-dyads"):
        _cohort(out=tmp_path / "never", executor="process", workers=2)
    assert not (tmp_path / "never").exists()
    _cohort(executor="serial")  # one worker's block fits


def test_a_dask_scheduler_address_runs_the_blocks_there(serial):
    """--dask tcp://...: the address of a running scheduler (here a LocalCluster's)."""
    import distributed

    import dask

    from simulation.study.sweep.executors import MALLOC_TRIM_KEY

    with dask.config.set({MALLOC_TRIM_KEY: None}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster:
        other = _cohort(executor=cluster.scheduler_address)
    assert other.aggregates.to_dict() == serial.aggregates.to_dict()
    assert other.executor["kind"] == "dask" and other.executor["workers"] == 2


def test_the_estimate_grows_with_the_population_not_the_memory():
    small = cohort.estimate("first_1001_days", n_dyads=100_000, workers=2)
    large = cohort.estimate("first_1001_days", n_dyads=1_000_000, workers=2)
    assert large.seconds == pytest.approx(10 * small.seconds, rel=0.1)
    assert large.total_peak_bytes == small.total_peak_bytes < 4e9
    assert large.days == 1010 and "1,000,000 dyads x 1,010 days" in str(large)


def test_the_command_line_runs_a_cohort_and_resumes(tmp_path, capsys):
    out = tmp_path / "cli"
    argv = ["two_parents", "--dyads", "150", "--workers", "1", "--block-dyads", "60", "--months", "3",
            "--set", "simulation.assessment_ages=[3]", "--set", "simulation.observation_age_months=1.0",
            "--no-figures", "--no-progress", "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr()
    assert "150 dyads x 181 days in 3 block(s)" in printed.err
    assert "cohort two_parents, 150 dyads in 3 block(s) of 60" in printed.out and "by risk_count" in printed.out
    resumed = [a for a in argv if a not in ("--workers", "1")] + ["--dask", "local", "--workers", "2"]
    assert main(resumed) == 0  # how it runs is not what it computes: the same cohort, resumed
    printed = capsys.readouterr()
    assert "3 block(s) already done" in printed.err and "0 block(s) run, 3 reused" in printed.out
    table = pd.read_csv(out / "summary.csv")
    assert int(table["n"].iloc[0]) == 150 and np.isclose(table[["A", "B", "C", "D"]].iloc[0].sum(), 1.0)


@pytest.mark.parametrize("argv, message", [
    (["good_enough", "--dyads", "2000000"], "--cohort"),
    (["good_enough", "--by", "risk_count"], "--by is an option of cohort runs"),
    (["good_enough", "inconsistent", "--cohort"], "one scenario"),
    (["good_enough", "--cohort", "--dyads", "200000000"], "--dyads"),
    (["good_enough", "--cohort", "--by", "nope", "--dyads", "30", "--months", "1",
      "--set", "simulation.assessment_ages=[1]", "--set", "simulation.observation_age_months=0.5"], "nope"),
])
def test_command_line_errors_are_one_line_and_exit_2(argv, message, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "x"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_our_dask_workers_keep_glibcs_adaptive_memory_thresholds(monkeypatch):
    """Dask's nannies set MALLOC_TRIM_THRESHOLD_, which made a block 2.6x slower (executors.MALLOC_TRIM_KEY).
    (A nanny also sets it in the process that starts it: another test's cluster may have left it here.)"""
    import os

    from simulation.study.sweep.executors import dask_client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)

    with dask_client("local", 1) as client:
        assert client.submit(os.environ.get, "MALLOC_TRIM_THRESHOLD_", pure=False).result() is None



def _live_models() -> int:
    import gc

    from simulation.model.engine import AttachmentModel
    # (by type, not isinstance: isinstance asks a weak proxy for its referent's class, and a proxy
    # whose referent has died, such as numba leaves, raises ReferenceError)
    return sum(issubclass(type(o), AttachmentModel) for o in gc.get_objects())


def _models_still_referenced() -> int:
    import gc

    gc.collect()  # earlier tests' dead models: not this test's business
    return _live_models()


def test_a_finished_block_or_sweep_task_leaves_no_model_behind(monkeypatch):
    """A model and its agents refer to each other, so only a full collection frees them; without one
    after each block, a worker's memory grew by about 0.2 GB a block of 25,000 dyads. Counted here:
    the models alive before and after (a model left behind is one more). Models from
    ``COLLECT_FROM_DYADS`` dyads are collected (every default block is); here every model is."""
    from simulation.study.sweep import tasks

    assert runner.COLLECT_FROM_DYADS <= cohort.BLOCK_DYADS
    monkeypatch.setattr(runner, "COLLECT_FROM_DYADS", 0)
    the_plan = cohort.plan("two_parents", n_dyads=60, seed=3, block_dyads=30, overrides=SHORT)
    before = _models_still_referenced()
    for block in the_plan.blocks:
        cohort.run_block(block)
    tasks.run_task(tasks.Task(key="t", point=0, replicate=0, scenario=the_plan.scenario.model_dump(), overrides={},
                              seed=np.random.SeedSequence(3)))
    assert _live_models() == before

"""Parameter sweeps over processes: executors (serial, process pool, threads, Dask) give one table;
outputs, resume after a kill; the sweep scripts' bad designs and examples. Designs, seeds and the
API's validation are in tests/unit/test_sweep.py, sensitivity indices in tests/unit/test_sensitivity.py."""

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import SHORT
from simulation.study import sweep

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "experiments" / "sweep.py"
SHORT_ARGS = ["--set", "simulation.months=3", "--set", "simulation.assessment_ages=[3]",
              "--set", "simulation.observation_age_months=1"]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def small_grid():
    return sweep.grid({"caregiver.repair": [0.3, 0.9], "caregiver.accuracy": [0.4, 0.9]})


def small_sweep(**kwargs):
    kwargs = {"replicates": 2, "seed": 3, "n_dyads": 30, "overrides": SHORT, "progress": False, **kwargs}
    return sweep.run_sweep("good_enough", kwargs.pop("design", small_grid()), **kwargs)


def load_script(name):
    spec = importlib.util.spec_from_file_location(f"_script_{name}", ROOT / "experiments" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def serial_result():
    return small_sweep(executor="serial")


# --------------------------------------------------------------------------------------------
# executors: identical tables


def test_serial_table_is_tidy_and_sorted(serial_result):
    table = serial_result.table
    assert len(table) == 8 and list(table[["point", "replicate"]].itertuples(index=False)) == \
        [(p, r) for p in range(4) for r in range(2)]
    assert {"scenario", "root_seed", "task", "caregiver.repair", "caregiver.accuracy", "n", "share_A", "share_B",
            "share_C", "share_D", "mean_security", "mean_observed_sensitivity", "mean_crying_early",
            "mean_coordination", "share_depressed"} <= set(table.columns)
    assert (table["n"] == 30).all() and np.allclose(table[["share_A", "share_B", "share_C", "share_D"]].sum(axis=1), 1)
    # common random numbers: better repair raises mean security with the same seeds
    means = serial_result.point_means(["mean_security"])
    assert means.loc[2, "mean_security"] > means.loc[0, "mean_security"]


@pytest.mark.timeout(120)
def test_local_process_pool_gives_the_serial_table(serial_result):
    pooled = small_sweep(executor="process", workers=2)
    assert pooled.executor == {"kind": "process", "workers": 2}
    pd.testing.assert_frame_equal(pooled.table, serial_result.table)


def test_an_injected_executor_gives_the_serial_table(serial_result):
    with ThreadPoolExecutor(2) as pool:
        threaded = small_sweep(executor=pool)
    pd.testing.assert_frame_equal(threaded.table, serial_result.table)


@pytest.mark.timeout(180)
def test_dask_local_cluster_gives_the_serial_table(serial_result):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = small_sweep(executor=client)
    assert on_dask.executor["kind"] == "dask" and on_dask.executor["workers"] == 2
    pd.testing.assert_frame_equal(on_dask.table, serial_result.table)


# --------------------------------------------------------------------------------------------
# outputs and resume


def test_outputs_manifest_and_rerun_reuse(tmp_path, serial_result):
    out = tmp_path / "sw"
    first = small_sweep(executor="serial", out=out, per_dyad=True)
    assert {"sweep.parquet", "sweep.csv", "dyads.parquet", "manifest.json", "tasks.log", "parts"} <= \
        {p.name for p in out.iterdir()}
    pd.testing.assert_frame_equal(pd.read_parquet(out / "sweep.parquet"), serial_result.table)
    pd.testing.assert_frame_equal(first.table, serial_result.table)
    dyads = pd.read_parquet(out / "dyads.parquet")
    assert len(dyads) == 8 * 30 and {"point", "replicate", "attachment", "security"} <= set(dyads.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["root_seed"] == 3 and manifest["replicates"] == 2
    assert manifest["design"]["kind"] == "grid" and manifest["design"]["n_points"] == 4
    assert manifest["scenario"]["name"] == "good_enough" and manifest["executor"]["kind"] == "serial"
    assert {"SALib", "pyarrow", "mesa", "pandas", "python"} <= set(manifest["versions"]) and "git_commit" in manifest
    assert (first.computed, first.reused) == (8, 0)

    again = small_sweep(executor="serial", out=out, per_dyad=True)
    assert (again.computed, again.reused) == (0, 8)
    pd.testing.assert_frame_equal(again.table, first.table)

    (out / "parts" / f"{first.plan.tasks[5].key}.parquet").unlink()
    third = small_sweep(executor="serial", out=out, per_dyad=True)
    assert (third.computed, third.reused) == (1, 7)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "sweep.parquet"), serial_result.table)
    logged = [json.loads(line)["task"] for line in (out / "tasks.log").read_text().splitlines()]
    assert len(logged) == 9 and logged[-1] == first.plan.tasks[5].key


def _cli(out, *extra):
    return [sys.executable, str(CLI), "good_enough", "--param", "caregiver.repair=0.1:0.9:20", "--replicates", "4",
            "--dyads", "40", *SHORT_ARGS, "--seed", "5", "--workers", "2", "--no-progress", "--out", str(out), *extra]


def _summary_parts(out):
    folder = out / "parts"
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.parquet")} if folder.is_dir() else {}


@pytest.mark.timeout(300)
def test_a_killed_sweep_resumes_to_the_uninterrupted_table(tmp_path):
    out, reference = tmp_path / "killed", tmp_path / "reference"
    proc = subprocess.Popen(_cli(out), env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)  # own process group: the kill takes its workers too
    try:
        deadline = time.monotonic() + 120
        while len(_summary_parts(out)) < 8 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, f"the sweep ended before it could be killed: {proc.stderr.read().decode()}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
        proc.stderr.close()
    time.sleep(0.2)
    before = _summary_parts(out)
    assert 8 <= len(before) < 80 and not (out / "sweep.parquet").exists()

    rerun = subprocess.run(_cli(out), env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert rerun.returncode == 0, rerun.stderr
    computed, reused = map(int, re.search(r"computed (\d+), reused (\d+)", rerun.stdout).groups())
    assert reused == len(before) and computed == 80 - len(before)
    after = _summary_parts(out)
    assert all(after[name] == mtime for name, mtime in before.items()), "a finished task was rewritten"
    logged = []
    for line in (out / "tasks.log").read_text().splitlines():
        try:
            logged.append(json.loads(line)["task"])
        except ValueError:  # a line torn by the kill
            pass
    assert len(logged) == len(set(logged)) == 80, "a finished task was computed twice"

    uninterrupted = subprocess.run(_cli(reference), env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "sweep.parquet"), pd.read_parquet(reference / "sweep.parquet"))
    assert (out / "sweep.csv").read_bytes() == (reference / "sweep.csv").read_bytes()


# --------------------------------------------------------------------------------------------
# bad designs: one message, exit code 2, nothing written, nothing run

BAD = [
    (["--param", "caregiver.repairr=0.2,0.5"], "unknown key 'caregiver.repairr' (did you mean 'caregiver.repair'?)"),
    (["--param", "nosuch.section=1,2"], "design parameter 'nosuch.section'"),
    (["--param", "caregiver.repair="], "empty list of values"),
    (["--design", "lhs", "--param", "caregiver.repair=0.5:0.5"], "empty range"),
    (["--design", "sobol", "--param", "caregiver.repair=0.9:0.2"], "are decreasing; allowed: low < high"),
    (["--design", "lhs", "--param", "caregiver.repair=0.2:1.5"], "allowed 0 <= mean <= 1"),
    (["--param", "caregiver.repair=0.2,1.5"], "design point 1"),
    (["--design", "sobol", "--n", "10", "--param", "caregiver.repair=0.2:0.9"], "power of two"),
    (["--design", "sobol", "--param", "caregiver.repair=0.2,0.4"], "needs bounds LOW:HIGH"),
    (["--param", "caregiver.repair=0.2", "--param", "caregiver.repair=0.3"], "given twice"),
    (["--param", "caregiver.repair=0.2", "--analyze"], "--analyze needs --design sobol or morris"),
    (["--param", "caregiver.repair=0.2", "--outcomes", "share_happy"], "unknown outcome 'share_happy'"),
    (["--param", "caregiver.repair=0.2", "--replicates", "0"], "replicates must be"),
    ([], "at least one design parameter"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[m[:30] for _, m in BAD])
def test_bad_designs_fail_before_anything_runs(tmp_path, capsys, args, message):
    out = tmp_path / "never"
    cli = load_script("sweep")
    assert cli.main(["good_enough", *args, "--serial", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_bad_design_exits_with_code_2_from_the_shell(tmp_path):
    out = tmp_path / "never"
    proc = subprocess.run([sys.executable, str(CLI), "good_enough", "--param", "caregiver.repairr=0.2", "--out", str(out)],
                          env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("sweep.py: error: design parameter 'caregiver.repairr'")
    assert "Traceback" not in proc.stderr and not out.exists()


# --------------------------------------------------------------------------------------------
# example experiments


def test_support_risk_grid_names_unknown_keys_clearly(tmp_path, capsys):
    grid = load_script("support_risk_grid")
    assert grid.main(["--support-key", "support.nosuch", "--out", str(tmp_path / "never")]) == 2
    err = capsys.readouterr().err
    assert "support.nosuch" in err and "SUPPORT_KEY" in err and not (tmp_path / "never").exists()


@pytest.mark.timeout(180)
def test_sobol_caregiver_example_runs_small(tmp_path):
    example = load_script("sobol_caregiver")
    out = tmp_path / "sobol"
    assert example.main(["--n", "2", "--dyads", "20", *SHORT_ARGS, "--serial", "--no-progress",
                         "--out", str(out)]) == 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert set(table["parameter"]) == {f"caregiver.{p}" for p in example.PARAMETERS}
    assert set(table["outcome"]) == {"share_secure", "mean_security"}

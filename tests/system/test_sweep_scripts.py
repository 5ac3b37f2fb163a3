"""Bad input to the sweep scripts, generated (Hypothesis); SIGTERM and leftovers of killed sweeps.

Each bad input must be refused before any task runs: exit 2, one short message, nothing written.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, note, strategies as st

from fuzz import FUZZ, assert_refused
from simulation.study import sweep

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def load_script(name):
    spec = importlib.util.spec_from_file_location(f"_fuzz_{name}", ROOT / "experiments" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPTS = {name: load_script(name) for name in ("sweep", "sobol_caregiver", "support_risk_grid")}
VALID = {"sweep": ["good_enough", "--param", "caregiver.repair=0.3,0.9"],
         "sobol_caregiver": [], "support_risk_grid": []}

not_ints = st.sampled_from(["", "abc", "1.5", "1e3", "0x10", "1_0", "true", "nan", "½", "9" * 5000])
negative = st.integers(max_value=-1).map(str)
common_bad = st.one_of(
    st.tuples(st.sampled_from(["--seed", "--replicates", "--dyads", "--workers"]), not_ints | negative),
    st.tuples(st.sampled_from(["--replicates", "--dyads", "--workers"]), st.just("0")),
    st.tuples(st.just("--replicates"), st.just("99999999")),
    st.tuples(st.just("--seed"), st.integers(min_value=2 ** 128, max_value=2 ** 300).map(str)),
    st.tuples(st.just("--set"), st.sampled_from(["caregiver.repair=2", "caregiver..repair=1", "simulation=5",
                                                 "caregiver.repair=nan", 'caregiver.repair="0.5"', "nokey=1",
                                                 "simulation.n_dyads=true", "caregiver.repair"])),
    st.tuples(st.just("--nosuchoption"), st.text(max_size=5)),
)
sweep_bad = st.one_of(
    common_bad,
    st.tuples(st.just("--param"), st.sampled_from([
        "caregiver.repair=nan,0.5", "caregiver.repair=inf", "caregiver.nosuch=0.1,0.2", "caregiver.repair=",
        "caregiver.repair=0.9:0.1:3", "caregiver.repair=0.2:0.8:0", "caregiver.repair=0.1:0.2:x",
        "caregiver.repair=" + "9" * 5000, "=0.5", "caregiver.repair=2,3"])),
    st.tuples(st.just("--design"), st.sampled_from(["nope", "", "GRID"])),
    st.tuples(st.just("--n"), st.sampled_from(["0", "-3", "x"])),
)


def _argv(name, pair, tmp_path):
    option, value = pair
    extra = [option, value] if option != "--param" else ["--param", value]
    base = VALID[name] if option != "--param" else ["good_enough"]
    if name == "sweep" and option in ("--design", "--n"):
        base = ["good_enough", "--param", "caregiver.repair=0.2:0.9"] + (["--design", "lhs"] if option == "--n" else [])
    return [*base, *extra, "--out", str(tmp_path / "res"), "--no-progress"]


@FUZZ
@given(pair=sweep_bad)
def test_sweep_py_refuses_bad_input(tmp_path, capsys, pair):
    note(repr(pair)[:200])
    assert_refused(SCRIPTS["sweep"].main, _argv("sweep", pair, tmp_path), tmp_path, capsys)


@FUZZ
@given(pair=common_bad, name=st.sampled_from(["sobol_caregiver", "support_risk_grid"]))
def test_the_study_scripts_refuse_bad_input(tmp_path, capsys, pair, name):
    note(repr(pair)[:200])
    assert_refused(SCRIPTS[name].main, _argv(name, pair, tmp_path), tmp_path, capsys)


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_help_and_a_bad_option_in_a_real_process(name):
    script = ROOT / "experiments" / f"{name}.py"
    ok = subprocess.run([sys.executable, script, "--help"], capture_output=True, text=True, env=ENV)
    assert ok.returncode == 0 and "--seed" in ok.stdout
    bad = subprocess.run([sys.executable, script, *VALID[name], "--seed", "-1", "--out", "/nonexistent/x"],
                         capture_output=True, text=True, env=ENV)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "seed" in bad.stderr, bad.stderr


def test_sigterm_marks_the_manifest_interrupted_and_a_rerun_resumes(tmp_path):
    """Waits on the event (a finished part on disk), never on a timer; then SIGTERM to the driver."""
    out = tmp_path / "res"
    cmd = [sys.executable, ROOT / "experiments" / "sweep.py", "good_enough", "--param",
           "caregiver.repair=0.1:0.9:30", "--replicates", "2", "--dyads", "200", "--set", "simulation.months=3",
           "--set", "simulation.assessment_ages=[3]", "--set", "simulation.observation_age_months=1",
           "--workers", "2", "--out", out, "--no-progress"]
    proc = subprocess.Popen(cmd, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        import time
        deadline = time.monotonic() + 180
        while not list((out / "parts").glob("*.parquet")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for the event, bounded; the synchronisation is the file, not the sleep
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["finished"] >= 1
    assert not list(Path(tempfile.gettempdir()).glob(f"securebase-{proc.pid}-*")), "a private temp folder was left"
    rerun = subprocess.run(cmd, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


def test_temp_folders_of_a_killed_driver_are_removed_by_the_next_pool():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.mkdtemp(prefix=f"{sweep.PRIVATE_TMP_PREFIX}{dead.pid}-"))
    (stale / "pymp-x").mkdir()
    code = ("from simulation.study.sweep import executors; import multiprocessing as m; "
            "executors._claim_multiprocessing_tempdir(); print(m.process.current_process()._config['tempdir'])")
    mine = subprocess.run([sys.executable, "-c", code], env=ENV, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    assert not stale.exists()
    assert Path(mine).name.startswith(sweep.PRIVATE_TMP_PREFIX) and not Path(mine).exists()  # removed at exit

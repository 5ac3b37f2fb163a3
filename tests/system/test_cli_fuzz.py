"""Bad input to run_sim.py, generated (Hypothesis), and what a careful user does to results folders.

Every bad input must give exit code 2, one short message without a traceback, and write nothing;
it must be refused before any simulation runs (so each example takes milliseconds).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, note, strategies as st

from fuzz import FUZZ, assert_refused
from simulation import cli
from simulation.report import outputs
from simulation.scenario import available_scenarios

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--dyads", "20", "--months", "3", "--set", "simulation.assessment_ages=[3]",
        "--set", "simulation.observation_age_months=1", "--no-figures"]
SCENARIOS = available_scenarios()

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
not_ints = st.one_of(st.floats(allow_nan=True).map(repr), st.sampled_from(["", "abc", "1e3", "0x10", "true", "1.5",
                                                                           "½", "--", "1_0"]))
huge = st.integers(min_value=4400, max_value=6000).map(lambda k: "9" * k)


def bad_count(option: str, low: int, high: int):
    """Values of an integer option that are out of range or not integers."""
    return st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1).filter(lambda v: v < 10 ** 40)
                     ).map(str).map(lambda v: [option, v]) | not_ints.map(lambda v: [option, v]) \
        | huge.map(lambda v: [option, v])


unknown_scenario = words.filter(lambda w: w not in SCENARIOS and not w.startswith("-") and w.strip() == w and w
                                and w not in ("app", "new-scenario")).map(lambda w: [w + ("" if "." in w else "_x")])
bad_sets = st.one_of(
    # unknown keys at every level
    st.tuples(st.sampled_from(["", "caregiver.", "simulation.", "infant.", "nosuch."]), words.filter(
        lambda w: "=" not in w and w.strip() == w)).map(lambda kw: ["--set", f"{kw[0]}zz{kw[1]}=1"]),
    # wrong types and out-of-range values for real keys
    st.sampled_from(["caregiver.repair=2", "caregiver.repair=-0.1", "caregiver.repair=nan", "caregiver.repair=inf",
                     "caregiver.repair.sd=1e9", "simulation.n_dyads=true", "simulation.n_dyads=0",
                     'caregiver.repair="0.5"', "caregiver..repair=0.5", ".caregiver.repair=0.5", "simulation=5",
                     "simulation.assessment_ages=[12,", "simulation.assessment_ages=[40]", "simulation.months=0",
                     "caregiver.repair", "=0.5", "interventions=[{kind=\"nope\"}]",
                     "interventions=[{kind=\"video_feedback\", foo=1}]",
                     "interventions=[{kind=\"video_feedback\", effects={attention=nan}}]"]).map(lambda v: ["--set", v]),
    huge.map(lambda v: ["--set", f"caregiver.repair={v}"]),
    st.integers(min_value=10_000, max_value=100_000).map(lambda k: ["--set", "caregiver.repair=" + "x" * k]),
)
conflicts = st.sampled_from([["--dyads", "30", "--set", "simulation.n_dyads=40"],
                             ["--months", "6", "--set", "simulation.months=6"],
                             ["--set", "caregiver.repair=0.5", "--set", "caregiver.repair=0.6"]])
unknown_options = words.filter(lambda w: w.strip() == w).map(lambda w: ["--" + w.lstrip("-") + "zz"])
bad_argv = st.one_of(
    bad_count("--dyads", 1, 1_000_000), bad_count("--months", 1, 36),
    st.one_of(st.integers(max_value=-1), st.integers(min_value=2 ** 128, max_value=2 ** 140)).map(
        lambda v: ["--seed", str(v)]), not_ints.map(lambda v: ["--seed", v]),
    unknown_scenario, bad_sets, conflicts, unknown_options,
    bad_count("--port", 1, 65535).map(lambda a: ["app", *a]),
    words.filter(lambda w: not all(c.isalnum() or c in "_-" for c in w) and not w.startswith("-")).map(
        lambda w: ["new-scenario", w]),
)


@FUZZ
@given(argv=bad_argv, scenario=st.sampled_from(SCENARIOS))
def test_bad_command_lines_are_refused_with_one_message(tmp_path, capsys, argv, scenario):
    note(repr(argv)[:300])
    full = argv if argv[0] in ("app", "new-scenario") else [scenario, *argv, "--out", str(tmp_path / "res")]
    if full[0] == "new-scenario":
        full = [*full, "--dir", str(tmp_path)]
    assert_refused(cli.main, full, tmp_path, capsys)


@pytest.fixture
def places(tmp_path):
    """Unusable --out paths: under a file, a name over 255 bytes, a symlink loop."""
    (tmp_path / "a_file").write_text("x")
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    return {"under a file": tmp_path / "a_file" / "res", "long name": tmp_path / ("n" * 300),
            "symlink loop": loop / "res", "a file": tmp_path / "a_file"}


@pytest.mark.parametrize("what", ["under a file", "long name", "symlink loop", "a file"])
def test_unusable_out_is_refused_before_running(tmp_path, capsys, places, what):
    err = assert_refused(cli.main, ["good_enough", *TINY, "--out", str(places[what])], tmp_path, capsys)
    assert "--out" in err
    assert "running" not in err  # refused before the simulation started


def _run(out, *extra):
    return cli.main(["good_enough", *TINY, "--out", str(out), *extra])


def test_same_command_replaces_the_folder_as_a_whole(tmp_path, capsys):
    out = tmp_path / "res"
    assert _run(out) == 0
    first = sorted(p.name for p in out.iterdir())
    (out / "left_over.png").write_text("from an earlier run")
    assert _run(out) == 0
    assert sorted(p.name for p in out.iterdir()) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]  # no staging folder left


def test_a_different_command_needs_overwrite(tmp_path, capsys):
    out = tmp_path / "res"
    assert _run(out) == 0
    capsys.readouterr()
    err = assert_refused(cli.main, ["good_enough", *TINY, "--seed", "2", "--out", str(out)], tmp_path, capsys)
    assert "--overwrite" in err and "another command" in err
    assert _run(out, "--seed", "2", "--overwrite") == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2


def test_a_folder_of_other_files_is_never_replaced(tmp_path, capsys):
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.tex").write_text("years of work")
    for extra in ([], ["--overwrite"]):
        assert_refused(cli.main, ["good_enough", *TINY, "--out", str(mine), *extra], tmp_path, capsys)
    assert (mine / "chapter1.tex").read_text() == "years of work"


def test_stale_staging_folders_of_dead_processes_are_removed(tmp_path):
    out = tmp_path / "res"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".res.partial-{dead.pid}-abcd1234"
    live = tmp_path / f".res.partial-{os.getppid()}-abcd1234"  # a live process's: never touched
    stale.mkdir()
    live.mkdir()
    assert _run(out) == 0
    assert not stale.exists() and live.exists()


def test_a_result_moved_away_by_a_killed_run_comes_back(tmp_path):
    """Killed between the two renames: the previous result is restored, not lost."""
    out = tmp_path / "res"
    assert _run(out) == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    moved = tmp_path / f".res.old-{dead.pid}-abcd1234"
    os.rename(out, moved)
    outputs.clean_stale_staging(out)
    assert out.is_dir() and (out / "manifest.json").exists() and not moved.exists()


# ---------------------------------------------------------------- a few real processes

def _cli(*args, **kw):
    return subprocess.run([sys.executable, "run_sim.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, **kw)


def test_help_is_plain_complete_and_true():
    proc = _cli("--help")
    assert proc.returncode == 0
    text = proc.stdout
    for needle in ("app", "new-scenario", "--overwrite", "2,000 when no scenario is named", "default 1"):
        assert needle in text, needle
    assert "``" not in text and ":func:" not in text


@pytest.mark.parametrize("args,needle", [(["--seed", "-1"], "--seed"), (["--dyads", "1.5"], "--dyads"),
                                         (["app", "--port", "99999"], "--port"),
                                         (["good_enough", "--set", "caregiver..repair=0.5"], "caregiver..repair")])
def test_bad_input_in_a_real_process(args, needle, tmp_path):
    proc = _cli(*args, "--out", str(tmp_path / "res")) if args[0] != "app" else _cli(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and needle in proc.stderr, proc.stderr
    assert not (tmp_path / "res").exists()


def test_sigterm_leaves_nothing(tmp_path):
    """SIGTERM during the run: exit 143, no result folder, no staging folder (waits on the run's own
    'running' line, not on a timer)."""
    out = tmp_path / "res"
    proc = subprocess.Popen([sys.executable, "run_sim.py", "good_enough", "--dyads", "3000", "--no-figures",
                             "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "running" in line, line
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert "Traceback" not in err and "nothing was written" in err
    assert list(tmp_path.iterdir()) == []

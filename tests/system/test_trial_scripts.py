"""Bad input to experiments/virtual_trial.py, timing.py and validate.py, generated (Hypothesis),
and what their output folders go through: rerun, another command, SIGTERM.

Every bad input must give exit code 2, one short message that names the option or key, no
traceback, and nothing written; it must be refused before any simulation runs (so an example
takes milliseconds). Each script's ``main(argv)`` is called in this process; a few real processes
check --help, a bad option, a small valid run and a signal.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, note, strategies as st

from fuzz import BAD_INPUTS, FUZZ, assert_refused
from simulation import cli
from simulation.study import effects
from simulation.scenario import available_scenarios, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = available_scenarios()
WITHOUT_INTERVENTIONS = [name for name in SCENARIOS if not load_scenario(name).interventions]


def script(name: str):
    """An experiments/ script as a module (under its own name, so that none shadows another)."""
    spec = importlib.util.spec_from_file_location(f"script_{name}", ROOT / "experiments" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


virtual_trial, timing, validate = script("virtual_trial"), script("timing"), script("validate")

# Small sizes in every base command line: should a generated input ever be valid after all, the
# run it starts takes seconds, not minutes (and the test fails on its exit code).
SHORT_SETS = ["--set", "simulation.months=3", "--set", "simulation.assessment_ages=[3]",
              "--set", "simulation.observation_age_months=1"]
TIMING_SETS = ["--set", "simulation.months=10", "--set", "simulation.assessment_ages=[10]"]
TINY = {
    "virtual_trial": ["video_feedback_trial", "--dyads", "40", "--reps", str(effects.MIN_BOOTSTRAP_REPS),
                      "--power-reps", str(virtual_trial.MIN_POWER_REPS)],
    "timing": ["--dyads", "40", "--reps", str(effects.MIN_BOOTSTRAP_REPS)],
    "validate": ["--quick", "--dyads", str(validate.MIN_DYADS)],
}
MAINS = {"virtual_trial": virtual_trial.main, "timing": timing.main, "validate": validate.main}

# ------------------------------------------------------------------------------ strategies
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
not_ints = st.one_of(st.floats(allow_nan=True).map(repr),
                     st.sampled_from(["", " ", "abc", "1e3", "0x10", "true", "1.5", "2.0", "½", "--", "1_0", "-"]))
huge = st.integers(min_value=4400, max_value=6000).map(lambda k: "9" * k)


def bad_count(option: str, low: int, high: int):
    """[option, value] with a value out of [low, high], not a whole number, or 5,000 digits long."""
    out_of_range = st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1, max_value=10 ** 40))
    return st.one_of(out_of_range.map(str), not_ints, huge).map(lambda v: [option, v])


bad_seed = st.one_of(st.integers(max_value=-1), st.integers(min_value=2 ** 128, max_value=2 ** 140)).map(str) | not_ints
unknown_options = words.filter(lambda w: w.strip() == w).map(lambda w: ["--" + w.lstrip("-") + "zz"])
bad_sets = st.one_of(
    st.tuples(st.sampled_from(["", "caregiver.", "simulation.", "trial.", "nosuch."]),
              words.filter(lambda w: "=" not in w and w.strip() == w)).map(lambda kw: ["--set", f"{kw[0]}zz{kw[1]}=1"]),
    st.sampled_from(["caregiver.repair=2", "caregiver.repair=nan", "caregiver.repair=inf", 'caregiver.repair="0.5"',
                     "caregiver..repair=0.5", "simulation=5", "simulation.months=0", "simulation.assessment_ages=[12,",
                     "caregiver.repair", "=0.5", "", "trial.eligible=nobody", "trial.n_dyads=5", "trial.n_dyads=true",
                     "trial.power_outcome=happy", "interventions=[{kind=\"nope\"}]"]).map(lambda v: ["--set", v]),
    huge.map(lambda v: ["--set", f"caregiver.repair={v}"]),
    st.integers(min_value=10_000, max_value=50_000).map(lambda k: ["--set", "caregiver.repair=" + "x" * k]),
)
# words that name no scenario (a dot makes it a path, which does not exist under tmp_path's names)
unknown_scenario = words.filter(lambda w: w not in SCENARIOS and not w.startswith("-") and w.strip() == w).map(
    lambda w: w + ("" if "." in w else "_x"))

NAMED = {"--dyads", "--seed", "--reps", "--power-reps", "--pilot-replications", "--kind"}
"""Options whose every refusal names them (a bad --set or scenario is named by its key or value)."""
OUT_PLACES = ("under a file", "long name", "symlink loop", "a file", "other files", "another command")


def make_places(root: Path) -> dict[str, Path]:
    """Unusable --out folders (made once per test; Hypothesis reuses the test's tmp_path)."""
    (root / "a_file").write_text("x")
    loop = root / "loop"
    if not os.path.lexists(loop):
        os.symlink(loop, loop)
    (root / "thesis").mkdir(exist_ok=True)
    (root / "thesis" / "chapter1.tex").write_text("years of work")
    other = root / "other_command"
    other.mkdir(exist_ok=True)
    (other / "manifest.json").write_text(json.dumps({"command_key": ["run_sim.py", "good_enough"]}))
    return {"under a file": root / "a_file" / "res", "long name": root / ("n" * 300), "symlink loop": loop / "res",
            "a file": root / "a_file", "other files": root / "thesis", "another command": other}


def shared(counts: list) -> list:
    """Bad inputs every script refuses the same way: seed, unknown options, output folders."""
    return [bad_seed.map(lambda v: ["--seed", v]), unknown_options,
            st.sampled_from(OUT_PLACES).map(lambda place: ["--out", place]), *counts]


BAD = {
    "virtual_trial": st.one_of(
        *shared([bad_count("--dyads", virtual_trial.MIN_DYADS, cli.MAX_DYADS),
                 bad_count("--reps", effects.MIN_BOOTSTRAP_REPS, effects.MAX_BOOTSTRAP_REPS),
                 bad_count("--power-reps", virtual_trial.MIN_POWER_REPS, virtual_trial.MAX_POWER_REPS),
                 bad_count("--pilot-replications", virtual_trial.MIN_PILOT_REPLICATIONS,
                           virtual_trial.MAX_PILOT_REPLICATIONS)]),
        bad_sets,
        unknown_scenario.map(lambda w: ["SCENARIO", w]),
        st.sampled_from(WITHOUT_INTERVENTIONS).map(lambda w: ["SCENARIO", w]),
        st.sampled_from([["--set", "trial.n_dyads=100"], ["--set", "simulation.n_dyads=100"],
                         ["--set", "trial.n_dyads=11"]]),
    ),
    "timing": st.one_of(
        *shared([bad_count("--dyads", timing.MIN_DYADS, cli.MAX_DYADS),
                 bad_count("--reps", effects.MIN_BOOTSTRAP_REPS, effects.MAX_BOOTSTRAP_REPS)]),
        bad_sets,
        unknown_scenario.map(lambda w: ["--scenario", w]),
        words.filter(lambda w: w not in timing.kind_names() and not w.startswith("-")).map(
            lambda w: ["--kind", w]),
        huge.map(lambda w: ["--kind", w]),
        st.sampled_from([["--set", "simulation.n_dyads=100"], ["--set", "interventions=[]"],
                         ["--set", "simulation.prenatal_days=30"], ["--set", "simulation.assessment_ages=[9]"],
                         ["--set", "simulation.n_dyads=39"], ["--scenario", "good_enough"]]),
    ),
    "validate": st.one_of(*shared([bad_count("--dyads", validate.MIN_DYADS, cli.MAX_DYADS)]),
                          st.sampled_from([["--quick", "x"], ["--quick=1"], ["SCENARIO", "community"]])),
}


def command_line(name: str, bad: list[str], places: dict[str, Path], default_out: Path) -> tuple[list[str], str]:
    """The script's tiny base command line with the bad part in it; and the word the message names."""
    base = list(TINY[name])
    if bad[0] == "SCENARIO":  # virtual_trial's positional scenario, or a stray positional argument
        if name == "virtual_trial":
            base[0] = bad[1]
            return [*base, "--out", str(default_out)], ""
        return [*base, bad[1], "--out", str(default_out)], ""
    if bad[0] == "--out":
        return [*base, "--out", str(places[bad[1]])], "--out"
    return [*base, *bad, "--out", str(default_out)], bad[0] if bad[0] in NAMED else ""


@pytest.mark.parametrize("name", list(MAINS))
def test_bad_input_is_refused_before_running(name, tmp_path, capsys):
    places, tried = make_places(tmp_path), []

    @FUZZ
    @given(bad=BAD[name])
    def refused(bad):
        argv, needle = command_line(name, bad, places, tmp_path / "res")
        note(repr(argv)[:300])
        err = assert_refused(MAINS[name], argv, tmp_path, capsys, needles=[needle] if needle else [])
        assert "running" not in err  # refused before the simulation started
        tried.append(argv)

    refused()
    assert len(tried) >= BAD_INPUTS


# ------------------------------------------------------------------------- output folders
def tiny_trial(out: Path, *extra: str) -> list[str]:
    return [*TINY["virtual_trial"], *SHORT_SETS, "--out", str(out), *extra]


def test_same_command_replaces_the_folder_as_a_whole(tmp_path, capsys):
    out = tmp_path / "res"
    assert virtual_trial.main(tiny_trial(out)) == 0
    first = sorted(p.name for p in out.iterdir())
    (out / "pilot_replications.csv").write_text("left over from an earlier run")
    assert virtual_trial.main(tiny_trial(out)) == 0
    assert sorted(p.name for p in out.iterdir()) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]  # no staging folder left


def test_a_different_command_needs_overwrite(tmp_path, capsys):
    out = tmp_path / "res"
    assert virtual_trial.main(tiny_trial(out)) == 0
    capsys.readouterr()
    err = assert_refused(virtual_trial.main, tiny_trial(out, "--seed", "2"), tmp_path, capsys)
    assert "--overwrite" in err and "another command" in err
    assert_refused(timing.main, [*TINY["timing"], *TIMING_SETS, "--out", str(out)], tmp_path, capsys)
    assert virtual_trial.main(tiny_trial(out, "--seed", "2", "--overwrite")) == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2


# ------------------------------------------------------------------------ real processes
def run_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, f"experiments/{name}.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


HELP_NEEDLES = {
    "virtual_trial": ["--dyads", "--seed", "--reps", "--power-reps", "--pilot-replications", "--set", "--out",
                      "--overwrite", "default 1)", "default 1,000)", "default 400)", "default 200)",
                      "results/trial_<scenario name>"],
    "timing": ["--scenario", "--kind", "--dyads", "--seed", "--reps", "--set", "--out", "--overwrite",
               "default community", "default video_feedback", "default 4,000", "default 1)", "default 500)",
               "default results/timing"],
    "validate": ["--quick", "--dyads", "--seed", "--out", "--overwrite", "default 1)", "default 5,000",
                 "default results/validation"],
}


@pytest.mark.parametrize("name", list(MAINS))
def test_help_is_plain_complete_and_true(name):
    proc = run_script(name, "--help")
    assert proc.returncode == 0 and not proc.stderr
    text = " ".join(proc.stdout.split())  # as read, not as wrapped
    for needle in HELP_NEEDLES[name]:
        assert needle in text, needle
    assert "``" not in proc.stdout and ":func:" not in proc.stdout


@pytest.mark.parametrize("name,args,needle", [
    ("virtual_trial", ["video_feedback_trial", "--seed", "-1"], "--seed"),
    ("virtual_trial", ["video_feedback_trial", "--reps", "0"], "--reps"),
    ("virtual_trial", ["video_feedback_trial", "--power-reps", "-1"], "--power-reps"),
    ("timing", ["--dyads", "1.5"], "--dyads"),
    ("timing", ["--kind", "yoga"], "--kind"),
    ("timing", ["--reps", "0"], "--reps"),
    ("validate", ["--seed", "-1"], "--seed"),
    ("validate", ["--quick", "--dyads", "99"], "--dyads"),
])
def test_bad_option_in_a_real_process(name, args, needle, tmp_path):
    proc = run_script(name, *args, "--out", str(tmp_path / "res"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and needle in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name,args,files", [
    ("virtual_trial", [*TINY["virtual_trial"], *SHORT_SETS],
     {"report.md", "effects.csv", "dyads.csv", "power.csv", "effects.png", "power.png", "manifest.json"}),
    ("timing", [*TINY["timing"], *TIMING_SETS], {"timing.csv", "timing_decomposition.csv", "timing.png", "manifest.json"}),
    ("validate", TINY["validate"], {"validation.csv", "validation.md", "manifest.json"}),
])
def test_a_small_valid_run(name, args, files, tmp_path):
    out = tmp_path / "res"
    proc = run_script(name, *args, "--out", str(out))
    assert proc.returncode in ((0, 1) if name == "validate" else (0,)), proc.stderr  # 1: a target out of band
    assert {p.name for p in out.iterdir()} == files
    assert not re.search(r"\bnan\b", proc.stdout, re.IGNORECASE)  # what cannot be computed is said in words
    assert json.loads((out / "manifest.json").read_text())["command_key"][0] == f"{name}.py"


def test_virtual_trial_cli(tmp_path):
    out = tmp_path / "t"
    proc = subprocess.run([sys.executable, str(ROOT / "experiments" / "virtual_trial.py"), "video_feedback_trial",
                           "--dyads", "300", "--reps", str(effects.MIN_BOOTSTRAP_REPS), "--power-reps", "100",
                           "--out", str(out),
                           "--set", "simulation.months=6", "--set", "simulation.assessment_ages=[6]",
                           "--set", "simulation.observation_age_months=3"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in ("report.md", "effects.csv", "dyads.csv", "power.csv", "effects.png", "power.png", "manifest.json"):
        assert (out / name).exists(), name
    report = (out / "report.md").read_text()
    assert "cohens_d" in report and report.startswith("# Virtual trial: video-feedback")
    bad = subprocess.run([sys.executable, str(ROOT / "experiments" / "virtual_trial.py"), "good_enough",
                          "--out", str(tmp_path / "u")], capture_output=True, text=True)
    assert bad.returncode == 2 and "no [[interventions]]" in bad.stderr and not (tmp_path / "u").exists()


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, cli.EXIT_TERMINATED), (signal.SIGINT, cli.EXIT_INTERRUPTED)])
def test_a_signal_leaves_nothing(sig, code, tmp_path):
    """SIGTERM or Ctrl-C during the trial: its exit code, one message, no result and no staging folder
    (waits on the run's own 'running' line, not on a timer)."""
    out = tmp_path / "res"
    # a parent started without a terminal (CI) may ignore SIGINT, and a child inherits that: restore
    # the default so that Python installs its Ctrl-C handler, as it does in a terminal
    proc = subprocess.Popen([sys.executable, "experiments/virtual_trial.py", "video_feedback_trial", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert any("running" in line for line in proc.stderr), "the run ended without its 'running' line"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert "Traceback" not in err and "nothing was written" in err
    assert list(tmp_path.iterdir()) == []

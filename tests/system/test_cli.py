"""The command line: outputs, and bad input (one message, exit code 2, nothing written)."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation import cli
from simulation.report import outputs

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--dyads", "30", "--months", "3", "--set", "simulation.assessment_ages=[3]",
         "--set", "simulation.observation_age_months=1"]


def test_small_comparison_writes_all_outputs(tmp_path, capsys):
    out = tmp_path / "res"
    assert cli.main(["good_enough", "inconsistent", *SMALL, "--seed", "3", "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"dyads.csv", "daily.csv", "summary.csv", "manifest.json", "attachment_by_scenario.png",
            "security_crying_over_age.png"} <= names
    dyads = pd.read_csv(out / "dyads.csv")
    assert len(dyads) == 60 and set(dyads.scenario) == {"good_enough", "inconsistent"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["versions"]["mesa"].startswith("3.")
    assert [s["name"] for s in manifest["scenarios"]] == ["good_enough", "inconsistent"]
    printed = capsys.readouterr().out
    assert "good_enough" in printed and "95% CI" in printed


@pytest.mark.parametrize("args,needle", [
    (["good_enuogh"], "did you mean 'good_enough'"),
    (["good_enough", "--set", "caregiver.repiar=0.3"], "caregiver.repair"),
    (["good_enough", "--set", "caregiver.repair=2"], "caregiver.repair.mean = 2"),
    (["good_enough", "--set", "caregiver.repair"], "KEY=VALUE"),
    (["good_enough", "--dyads", "0"], "--dyads"),
    (["good_enough", "--months", "6"], "later than the simulated months"),
    (["missing/file.toml"], "does not exist"),
])
def test_bad_input_exits_2_with_one_message_and_writes_nothing(tmp_path, args, needle):
    out = tmp_path / "res"
    proc = subprocess.run([sys.executable, str(ROOT / "run_sim.py"), *args, "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_out_must_be_a_folder(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("x")
    assert cli.main(["good_enough", *SMALL, "--out", str(f)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "res"

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(cli.plots, "trajectories", boom)
    with pytest.raises(RuntimeError):
        cli.main(["good_enough", *SMALL, "--out", str(out)])
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_staged_output_replaces_the_folder_only_on_success(tmp_path):
    out = tmp_path / "res"
    key = ["run_sim.py", "x"]
    with outputs.staged_output(out, command=key) as scratch:
        (scratch / "dyads.csv").write_text("old")
        (scratch / "old_figure.png").write_text("old")
        outputs.write_json(scratch / "manifest.json", outputs.manifest(command_key=key))
    with pytest.raises(ValueError):
        with outputs.staged_output(out, command=key) as scratch:
            (scratch / "dyads.csv").write_text("new")
            raise ValueError
    assert (out / "dyads.csv").read_text() == "old"
    with outputs.staged_output(out, command=key) as scratch:
        (scratch / "dyads.csv").write_text("new")
        outputs.write_json(scratch / "manifest.json", outputs.manifest(command_key=key))
    assert (out / "dyads.csv").read_text() == "new"
    assert sorted(p.name for p in out.iterdir()) == ["dyads.csv", "manifest.json"]  # nothing of the first run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_list_scenarios(capsys):
    assert cli.main(["--list"]) == 0
    assert "good_enough" in capsys.readouterr().out


def test_new_scenario_writes_a_template_that_lists_every_key_and_runs(tmp_path, capsys):
    """Uncommenting everything in the template gives back the base scenario's values exactly."""
    import tomllib

    from simulation.scenario import load_scenario

    assert cli.main(["new-scenario", "my_scenario", "--from", "village", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "my_scenario.toml"
    text = path.read_text()
    import re

    setting = re.compile(r"^# (\[[\w.]+\]$|\w+ = )")
    uncommented = "\n".join(line[2:] if setting.match(line) else line for line in text.splitlines())
    uncommented = "\n".join(line.split("  # ", 1)[0] if " = " in line and "  # " in line else line
                            for line in uncommented.splitlines())
    tomllib.loads(uncommented)  # valid TOML
    full = tmp_path / "full.toml"
    full.write_text(uncommented)
    assert load_scenario(full).model_dump(exclude={"name", "title", "description", "teaching_notes", "app_notes"}) == \
        load_scenario("village").model_dump(exclude={"name", "title", "description", "teaching_notes", "app_notes"})
    # as written (all commented), it is the base scenario under a new name, and it runs
    out = tmp_path / "res"
    assert cli.main([str(path), *SMALL, "--out", str(out), "--no-figures"]) == 0
    # a second time refuses to overwrite; a bad name is one message
    assert cli.main(["new-scenario", "my_scenario", "--dir", str(tmp_path)]) == 2
    assert cli.main(["new-scenario", "bad name!", "--dir", str(tmp_path)]) == 2
    assert "not allowed" in capsys.readouterr().err

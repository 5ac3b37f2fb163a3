"""The engine benchmark (benchmarks/bench_engine.py) on tiny sizes: its JSON and its checks.

Nothing here is timed: the figures themselves are the benchmark's business.
"""

import importlib.util
import json
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_engine.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_engine", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_distribution_check(bench):
    assert bench.same_distribution({"A": 15, "B": 60, "C": 10, "D": 15}, {"A": 15, "B": 60, "C": 10, "D": 15}) == (
        1.0, True)
    p, ok = bench.same_distribution({"A": 10, "B": 190}, {"A": 80, "B": 120})
    assert p < 0.001 and not ok
    assert bench.same_distribution({"B": 10}, {"B": 10}) == (1.0, True)  # one class: nothing to test
    assert bench.same_distribution({"A": 0, "B": 10}, {"B": 10, "D": 0}) == (1.0, True)  # empty classes dropped


def test_both_paths_do_the_same_work(bench):
    row = bench.compare(12, 2, per_agent=True, run=bench.worker)
    engine, agent = row["engine"], row["per_agent"]
    assert engine["path"] == "engine" and agent["path"] == "per-agent"
    assert engine["dyad_days"] == agent["dyad_days"] == 12 * engine["days"] > 0
    assert engine["attachment"] == agent["attachment"] and sum(engine["attachment"].values()) == 12
    assert row["identical_tables"] and row["same_distribution"] and row["chi2_p"] == 1.0
    assert row["ratio"] > 0


def test_a_configuration_runs_in_its_own_process(bench):
    out = bench.run_config(bench.config(8, 2))
    assert out["n_dyads"] == 8 and out["path"] == "engine" and out["peak_rss_mb"] >= out["rss_start_mb"] > 0
    assert out["table_sha256"] is None  # only the comparison hashes tables


def test_json_structure(bench, tmp_path, capsys):
    path = tmp_path / "bench.json"
    assert bench.main(["--in-process", "--compare-sizes", "10", "--compare-months", "2", "--engine-only-sizes", "20",
                       "--dyads", "10,20", "--months", "2,3", "--horizon-dyads", "10", "--household-dyads", "12",
                       "--household-months", "2", "--household-reps", "1", "--json", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "Engine vs per-agent path" in printed and "scaling in dyads" in printed and "Targets" in printed
    summary = json.loads(printed[printed.index("{"):printed.rindex("}") + 1])
    result = json.loads(path.read_text())
    for doc in (summary, result):
        assert {"comparison", "scaling_dyads", "scaling_horizon", "growth", "targets"} <= set(doc)
    compared, engine_only = result["comparison"]
    assert compared["per_agent"] is not None and compared["same_distribution"] and compared["identical_tables"]
    assert engine_only["per_agent"] is None and engine_only["ratio"] is None
    assert [r["n_dyads"] for r in result["scaling_dyads"]] == [10, 20]
    assert [r["months"] for r in result["scaling_horizon"]] == [2, 3]
    for r in result["scaling_dyads"] + result["scaling_horizon"]:
        for key in ("creation_s", "run_s", "dyad_days_per_s", "us_per_dyad_day", "peak_rss_mb", "days"):
            assert r[key] > 0
    assert {t["target"].split()[0] for t in result["targets"]} >= {"engine", "20"}
    assert all(isinstance(t["ok"], bool) for t in result["targets"])
    assert result["growth"]["dyads"]["dyads_linear"]["r2"] <= 1.0
    households = result["households"]
    assert households["n_dyads"] == 12 and len(households["one"]) == len(households["two"]) == 1
    assert households["ratio"] == households["two_us_per_dyad_day"] / households["one_us_per_dyad_day"] > 0
    assert "One caregiver per infant against two" in printed and summary["households"]["ratio"] > 0

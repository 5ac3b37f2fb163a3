"""Validation targets and verdicts: every finding with its source and bands; out of band fails;
rows the model cannot measure are reported, not dropped (100 dyads, quick mode)."""

import pandas as pd

from simulation.study import validation


def test_targets_table_carries_every_finding_with_its_source():
    t = validation.load_targets()
    assert {f"V{i}" for i in range(1, 10)} <= set(t["id"])
    assert t["source"].notna().all() and t["finding"].notna().all()
    measured = t[t["measure"].notna()]
    assert (measured["low"] <= measured["high"]).all()
    assert (measured["quick_low"] <= measured["low"]).all() and (measured["quick_high"] >= measured["high"]).all()


def test_out_of_band_fails(tmp_path):
    t = validation.load_targets()
    t = t[t["measure"] == "coordination"].copy()
    t["quick_low"], t["quick_high"] = 0.9, 1.0  # good-enough coordination is nowhere near 90%
    res = validation.validate(quick=True, n_dyads=100, targets=t)
    assert not validation.passed(res)
    assert res.loc[0, "status"] == "OUT OF BAND"


def test_rows_without_a_measure_are_reported_not_dropped():
    t = validation.load_targets()
    t = pd.concat([t[t["measure"] == "coordination"],
                   pd.DataFrame([{"id": "V99", "finding": "a finding the model cannot measure", "source": "x"}])],
                  ignore_index=True)
    res = validation.validate(quick=True, n_dyads=100, targets=t)
    assert res.loc[1, "status"] == "not measurable yet" and validation.passed(res)
    assert "not measurable yet: V99" in validation.to_markdown(res)

"""Validation targets and verdicts: every finding with its source and bands; out of band fails;
rows the model cannot measure are reported, not dropped (100 dyads, quick mode)."""

import numpy as np
import pandas as pd

from simulation.study import validation


def test_targets_table_carries_every_finding_with_its_source():
    t = validation.load_targets()
    assert {f"V{i}" for i in range(1, 10)} <= set(t["id"])
    assert t["source"].notna().all() and t["finding"].notna().all()
    measured = t[t["measure"].notna()]
    assert (measured["low"] <= measured["high"]).all()
    quick = measured[measured["quick_low"].notna()]
    assert (quick["quick_low"] <= quick["low"]).all() and (quick["quick_high"] >= quick["high"]).all()
    assert (measured["quick_low"].isna() == measured["quick_high"].isna()).all()


def test_every_band_for_a_claimed_effect_excludes_zero():
    """Issue 16: a band a null effect passes is no test of an effect. Rows whose band may hold zero are
    listed with their reason (validation.ZERO_IN_BAND); a row that cannot exclude zero in the quick run
    leaves it (no quick band)."""
    t = validation.load_targets()
    measured = t[t["measure"].notna()]
    holds_zero = []
    for r in measured.itertuples():
        for low, high, which in ((r.low, r.high, "full"), (r.quick_low, r.quick_high, "quick")):
            if not pd.isna(low) and low <= 0.0 <= high:
                holds_zero.append((r.id, r.measure, which))
    unexplained = [z for z in holds_zero if z[:2] not in validation.ZERO_IN_BAND]
    assert not unexplained, f"bands that hold zero for a claimed effect: {unexplained}"
    assert set(validation.ZERO_IN_BAND) <= {(r.id, r.measure) for r in measured.itertuples()}


def test_a_row_without_a_quick_band_is_left_out_of_the_quick_run_not_failed():
    t = validation.load_targets()
    t = t[t["measure"].isin(["coordination", "repair_rate"])].reset_index(drop=True)
    t.loc[t["measure"] == "repair_rate", ["quick_low", "quick_high"]] = np.nan
    t.loc[t["measure"] == "repair_rate", "low"] = 2.0  # out of band if it were checked
    res = validation.validate(quick=True, n_dyads=100, targets=t)
    left = res[res["measure"] == "repair_rate"].iloc[0]
    assert left["status"] == validation.FULL_RUN_ONLY and validation.passed(res)
    assert "In the full run only (an effect too small to exclude zero at this size): V5 repair_rate" in \
        validation.to_markdown(res)


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


def test_every_row_says_what_it_is_and_fitted_rows_name_their_parameters():
    t = validation.load_targets()
    assert set(t["kind"]) <= set(validation.KINDS)
    fitted = t[t["kind"] != validation.PREDICTED]
    assert (fitted["fitted_on"].str.len() > 0).all(), "a calibrated or input row must say what was fitted"
    assert (t.loc[t["kind"] == validation.PREDICTED, "fitted_on"] == "").all()


def test_a_predicted_row_out_of_band_is_not_reproduced_and_does_not_fail():
    t = validation.load_targets()
    t = t[t["measure"] == "coordination"].copy()
    t["quick_low"], t["quick_high"], t["kind"], t["fitted_on"] = 0.9, 1.0, validation.PREDICTED, ""
    res = validation.validate(quick=True, n_dyads=100, targets=t)
    assert res.loc[0, "status"] == validation.NOT_REPRODUCED and validation.passed(res)
    assert "predicted: 0 of 1 reproduced, 1 not reproduced" in validation.to_markdown(res)
    # a miss with no written reason says so, in the terminal table and the markdown
    assert res.loc[0, "why_missed"] == validation.NO_REASON
    assert "V5 coordination" in validation.format_table(res) and validation.NO_REASON in validation.to_markdown(res)
    # a predicted row is printed beside the published finding it predicts
    assert f"published: {t.iloc[0]['finding']}" in validation.format_table(res)


def test_every_written_reason_explains_a_predicted_row():
    """experiments/validation_misses.csv explains misses; it cannot excuse a calibrated row."""
    t = validation.load_targets()
    kinds = {(r.id, r.measure): r.kind for r in t.itertuples()}
    misses = validation.load_misses()
    assert misses, "the file is read"
    for key, reason in misses.items():
        assert kinds.get(key) == validation.PREDICTED, key
        assert len(reason) > 20, key


def test_kappa_matches_a_hand_worked_table():
    # 2x2 table: 40 both B, 10 B/A, 20 A/B, 30 both A -> p_o = 0.70, p_e = 0.5*0.6 + 0.5*0.4 = 0.50, kappa = 0.40
    from simulation.study import analysis
    a = ["B"] * 50 + ["A"] * 50
    b = ["B"] * 40 + ["A"] * 10 + ["B"] * 20 + ["A"] * 30
    assert abs(analysis.kappa(a, b) - 0.40) < 1e-12
    k, lo, hi = analysis.kappa_ci(a, b)
    assert lo < 0.40 < hi


def test_share_not_mediated_recovers_a_known_mediation():
    """Simulated data with a known structure (not the model): x -> m -> y plus a direct x -> y path.
    With standardised paths a = 0.5 (x->m), b = 0.4 (m->y), c = 0.3 (x->y direct), r(x, y) = c + a*b
    = 0.5 and the partial r(x, y | m) / r(x, y) is worked out by hand below."""
    from simulation.study import analysis
    rng = np.random.default_rng(3)
    n = 20000
    x = rng.standard_normal(n)
    m = 0.5 * x + np.sqrt(1 - 0.25) * rng.standard_normal(n)
    y_mean = 0.3 * x + 0.4 * m
    y = y_mean + np.sqrt(1 - np.var(0.3 * x + 0.4 * m)) * rng.standard_normal(n)
    rxy, rxm, rym = 0.5, 0.5, 0.3 * 0.5 + 0.4  # r(y, m) = c*a + b
    expected = (rxy - rxm * rym) / np.sqrt((1 - rxm ** 2) * (1 - rym ** 2)) / rxy
    est, lo, hi = analysis.share_not_mediated(x, y, m, reps=200)
    assert abs(est - expected) < 0.03 and lo < expected < hi, (est, lo, hi, expected)
    # no mediator effect: everything remains
    est, lo, hi = analysis.share_not_mediated(x, y, rng.standard_normal(n), reps=100)
    assert abs(est - 1) < 0.03


def test_inputs_read_back_are_sanity_checks_apart_from_the_validation():
    """Issue 16: rows that read a parameter back are not validation: their own section, their own count."""
    t = validation.load_targets()
    t = t[t["measure"].isin(["coordination", "repair_rate"])].reset_index(drop=True)
    assert t.loc[t["measure"] == "repair_rate", "kind"].item() == validation.INPUT
    res = validation.validate(quick=True, n_dyads=100, targets=t)
    table, md = validation.format_table(res), validation.to_markdown(res)
    counts = validation.counts(res)
    assert "calibrated: 1 of 1 in band" in counts and "sanity checks (inputs read back, not validation): 1 of 1" in counts
    section = table.index("sanity checks: inputs read back")
    assert table.index("coordination") < section < table.index("repair_rate")
    assert md.index("## Sanity checks: inputs read back") < md.index("| V5 | input")

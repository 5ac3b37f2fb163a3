"""Golden tables: every built-in scenario's per-dyad table is unchanged (see golden_tables.py)."""

import pandas as pd
import pytest

import golden_tables as golden
from simulation.scenario import available_scenarios


def test_every_builtin_scenario_has_a_golden_table():
    stored = sorted(p.stem for p in golden.GOLDEN_DIR.glob("*.csv"))
    assert stored == available_scenarios(), (
        "a built-in scenario was added or removed: regenerate with tests/golden_tables.py")


@pytest.mark.parametrize("name", available_scenarios())
def test_golden_table_unchanged(name):
    expected = pd.read_csv(golden.path_for(name))
    problems = golden.differences(expected, golden.golden_run(name))
    assert not problems, (f"{name}: the per-dyad table changed. If a rule or the random draws changed on "
                          f"purpose, regenerate (tests/golden_tables.py) with a re-run of the validation:\n"
                          + "\n".join(problems))


def test_the_comparison_can_fail():
    """A change of one float by more than the tolerance, or of one class, is caught."""
    table = pd.read_csv(golden.path_for("good_enough"))
    nudged = table.copy()
    nudged.loc[3, "security"] *= 1 + 1e-7
    assert any(p.startswith("security") for p in golden.differences(table, nudged))
    tiny = table.copy()
    tiny.loc[3, "security"] *= 1 + 1e-12
    assert golden.differences(table, tiny) == []
    relabelled = table.copy()
    relabelled.loc[5, "attachment"] = "D" if table.loc[5, "attachment"] != "D" else "B"
    assert any(p.startswith("attachment") for p in golden.differences(table, relabelled))

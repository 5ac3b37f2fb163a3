"""Running aggregates (simulation/study/aggregates.py, issue 19 item 2a): the summary of a run folded
block by block, merged across workers, equals ``analysis.summarise`` of the full per-dyad table.

Every check compares with ``summarise`` on the full table (or its subset), an independent
computation from the values, not with the aggregates' own formulas."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest

import simulation
from helpers import SHORT
from simulation.study.aggregates import Aggregates
from simulation.study.analysis import summarise
from simulation.scenario import load_scenario

RTOL, ATOL = 1e-9, 1e-12
"""Floating-point rounding: relative, and absolute for figures that are zero."""


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The same columns, row order, dtypes and values (to rounding)."""
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=RTOL, atol=ATOL)


@pytest.fixture(scope="module")
def community() -> pd.DataFrame:
    """12 months (crying late, so the responsiveness-crying correlation is defined), one assessment;
    observed sensitivity and late crying missing for some dyads."""
    d = simulation.run("community", n_dyads=300, seed=1, overrides={"simulation.months": 12}).dyads.copy()
    d.loc[d.index % 7 == 3, "observed_sensitivity"] = np.nan
    d.loc[d.index % 11 == 5, "crying_late"] = np.nan
    return d


@pytest.fixture(scope="module")
def two_parents() -> pd.DataFrame:
    """Households with one or two caregivers, assessed at 3 and 6 months (late crying undefined)."""
    return simulation.run("two_parents", n_dyads=300, seed=1,
                          overrides={"simulation.months": 6, "simulation.assessment_ages": [3, 6],
                                     "simulation.observation_age_months": 1, "household.two_caregivers": 0.5}).dyads


@pytest.fixture(params=["community", "two_parents"])
def table(request) -> pd.DataFrame:
    return request.getfixturevalue(request.param)


def blocks(df: pd.DataFrame, sizes=(1, 7, 50, 3, 88)) -> list[pd.DataFrame]:
    """Uneven blocks of consecutive dyads (the rest in the last), as a cohort run streams them."""
    cuts = [0, *np.cumsum(sizes).tolist(), len(df)]
    assert cuts[-2] < len(df)
    return [df.iloc[a:b] for a, b in zip(cuts[:-1], cuts[1:])]


def tree(aggs: list[Aggregates]) -> Aggregates:
    """Pairwise merges, as a Dask tree reduction does them."""
    while len(aggs) > 1:
        aggs = [aggs[i].merge(aggs[i + 1]) if i + 1 < len(aggs) else aggs[i] for i in range(0, len(aggs), 2)]
    return aggs[0]


# ------------------------------------------------------------------------------ the summary
def test_blocks_merged_in_any_order_give_the_summary_of_the_full_table(table):
    expected = summarise(table)
    assert {"r_sensitivity_secure", "security"} <= set(expected.columns)
    parts = blocks(table)
    workers = [Aggregates(by=["risk_count"]).add(part) for part in parts]
    one_by_one = Aggregates(by=["risk_count"])
    for part in parts:
        one_by_one.add(part)
    order = np.random.default_rng(19).permutation(len(workers))
    for agg in (one_by_one,
                tree(workers),
                tree(workers[::-1]),
                tree([workers[i] for i in order]),
                Aggregates.of(table)):
        assert agg.n == len(table)
        same(agg.summary(), expected)


def test_the_two_caregiver_columns_are_summarised(two_parents):
    expected = summarise(two_parents)
    assert expected["n_two_caregivers"].iloc[0] == (two_parents["caregivers"] == 2).sum() > 0
    assert expected["r_secure_cg1_cg2"].notna().all() and expected["concordant"].between(0.3, 1).all()
    same(tree([Aggregates().add(part) for part in blocks(two_parents, (13, 1, 2, 140))]).summary(), expected)


def test_a_changed_table_is_caught(community):
    """The comparison can fail: one dyad less, or one value changed, changes the summary."""
    agg = Aggregates.of(community.iloc[1:])
    with pytest.raises(AssertionError):
        same(agg.summary(), summarise(community))
    changed = community.copy()
    changed.loc[10, "coordination"] += 0.01
    with pytest.raises(AssertionError):
        same(Aggregates.of(community).summary(), summarise(changed))


def test_missing_values_count_where_defined(community):
    assert community["observed_sensitivity"].isna().sum() > 40 and community["crying_late"].isna().any()
    expected = summarise(community)
    got = tree([Aggregates().add(part) for part in blocks(community)])
    same(got.summary(), expected)
    # a block where a measure is missing for every dyad, and one without it at all
    holes = community.copy()
    holes.loc[:29, "repair_rate"] = np.nan
    parts = [holes.iloc[:30], holes.iloc[30:60].drop(columns=["security"]), holes.iloc[60:]]
    same(tree([Aggregates().add(p) for p in parts]).summary(), summarise(pd.concat(parts, ignore_index=True)))


def test_tiny_blocks_and_tables(two_parents):
    """One dyad a block; tables too small for a CI (n < 2) or a correlation (n < 4)."""
    for rows in (1, 2, 3, 5):
        t = two_parents.iloc[:rows]
        same(tree([Aggregates().add(t.iloc[[i]]) for i in range(rows)]).summary(), summarise(t))


def test_several_scenarios_split_across_blocks():
    table = simulation.compare(["good_enough", "inconsistent"], n_dyads=100, seed=3, overrides=SHORT).dyads
    parts = blocks(table, (30, 90, 1, 40))  # the second block straddles the two scenarios
    got = tree([Aggregates(by=["history"]).add(p) for p in parts])
    same(got.summary(), summarise(table))
    assert list(got.summary()["scenario"]) == ["good_enough", "inconsistent"]


def test_a_table_without_assessments(community):
    table = community.drop(columns=[c for c in community if c.startswith("attachment_") and c.endswith("m")])
    expected = summarise(table)
    assert expected["age_months"].isna().all()
    same(tree([Aggregates().add(p) for p in blocks(table)]).summary(), expected)


def test_the_ages_of_a_scenario_are_those_of_its_table(two_parents):
    sc = load_scenario("two_parents", {"simulation.months": 6, "simulation.assessment_ages": [6, 3],
                                       "simulation.observation_age_months": 1})
    agg = Aggregates.for_scenario(sc)
    assert agg.ages == [3, 6]
    same(agg.add(two_parents).summary(), summarise(two_parents))


# -------------------------------------------------------------------------------- subgroups
@pytest.mark.parametrize("column", ["risk_count", "depressed", "history", "caregivers", "support_size"])
def test_subgroups_are_the_summaries_of_the_subsets(two_parents, column):
    by = ["risk_count", "depressed", "history", "caregivers", "support_size"]
    agg = tree([Aggregates(by=by).add(p) for p in blocks(two_parents)])
    values = sorted(two_parents[column].dropna().unique().tolist())
    assert agg.values(column) == values and len(values) >= 2
    expected = []
    for v in values:
        subset = summarise(two_parents[two_parents[column] == v])
        same(agg.subgroup(column, v), subset)
        expected.append(subset.assign(**{column: v})[[column, *subset.columns]])
    same(agg.subgroups(column), pd.concat(expected, ignore_index=True))


def test_a_missing_subgroup_value_counts_overall_only(community):
    table = community.assign(arm=np.where(community.index % 3 == 0, "treated", "control"))
    table.loc[table.index % 10 == 1, "arm"] = np.nan
    agg = tree([Aggregates(by=["arm"]).add(p) for p in blocks(table)])
    assert agg.values("arm") == ["control", "treated"]
    same(agg.summary(), summarise(table))
    for arm in ("control", "treated"):
        same(agg.subgroup("arm", arm), summarise(table[table["arm"] == arm]))


# ------------------------------------------------------------------ merging, saving, errors
def test_merge_is_associative_and_leaves_its_parts_alone(two_parents):
    a, b, c = (Aggregates(by=["risk_count"]).add(p) for p in blocks(two_parents, (17, 143)))
    before = json.dumps(a.to_dict())
    left, right = a.merge(b).merge(c), a.merge(b.merge(c))
    a.merge(Aggregates(by=["risk_count"])).add(two_parents.iloc[:5])  # adding to a merge leaves its parts alone
    assert json.dumps(a.to_dict()) == before
    same(left.summary(), right.summary())
    same(left.subgroups("risk_count"), right.subgroups("risk_count"))
    assert list(left.cells) == list(right.cells)
    for group, cells in left.cells.items():  # the counts exactly
        assert {k: (c["n"], c["counts"]) for k, c in cells.items()} == \
            {k: (c["n"], c["counts"]) for k, c in right.cells[group].items()}
    same((c + a + b).summary(), summarise(two_parents))


def test_json_and_pickle_round_trips(two_parents, tmp_path):
    agg = tree([Aggregates(by=["caregivers", "depressed", "history"]).add(p) for p in blocks(two_parents)])
    text = agg.to_json(tmp_path / "aggregates.json")
    json.loads(text)  # plain JSON
    for back in (Aggregates.from_json(text), Aggregates.load(tmp_path / "aggregates.json"),
                 pickle.loads(pickle.dumps(agg))):
        assert back.to_dict() == agg.to_dict()
        pd.testing.assert_frame_equal(back.summary(), agg.summary())
        pd.testing.assert_frame_equal(back.subgroups("depressed"), agg.subgroups("depressed"))
    # resuming: a saved aggregate, loaded, takes the next block
    first, rest = two_parents.iloc[:100], two_parents.iloc[100:]
    resumed = Aggregates.from_json(Aggregates(by=["caregivers"]).add(first).to_json()).add(rest)
    same(resumed.summary(), summarise(two_parents))
    same(resumed.subgroup("caregivers", 2), summarise(two_parents[two_parents["caregivers"] == 2]))


def test_the_aggregates_do_not_grow_with_the_dyads(community):
    small, large = Aggregates(by=["risk_count"]).add(community.iloc[:120]), Aggregates(by=["risk_count"]).add(community)
    assert set(small.values("risk_count")) == set(large.values("risk_count"))
    assert len(large.to_json()) < 1.1 * len(small.to_json())


def test_mismatches_are_refused(community):
    with pytest.raises(ValueError, match="by"):
        Aggregates(by=["risk_count"]).merge(Aggregates(by=["depressed"]))
    with pytest.raises(ValueError, match="assessment ages"):
        Aggregates(ages=[12]).merge(Aggregates(ages=[12, 18]))
    with pytest.raises(ValueError, match="no column 'arm'"):
        Aggregates(by=["arm"]).add(community)
    with pytest.raises(ValueError, match="no subgroups by 'depressed'"):
        Aggregates(by=["risk_count"]).add(community).subgroup("depressed", True)
    with pytest.raises(ValueError, match="format"):
        Aggregates.from_dict({"format": 0})


def test_the_terminal_table_keeps_a_cohorts_n_in_its_column():
    """A cohort's n (millions) used to push its row out of line with the header."""
    from simulation.study.analysis import format_summary

    d = simulation.run("good_enough", n_dyads=60, seed=1, overrides=SHORT).dyads
    table = summarise(d)
    for n in (60, 4_000_000):
        lines = format_summary(table.assign(n=n)).splitlines()
        header, row = lines[1], lines[3]
        assert header.index("A %") == row.index(f"{n}") + len(f"{n}") + 2

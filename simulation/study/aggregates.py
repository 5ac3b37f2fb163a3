"""Running aggregates of per-dyad tables: the summary of a run from its blocks, without the table.

Why (issue 19, item 2a): a whole birth cohort (millions of families) is run in blocks of dyads, on a
pool of processes or on Dask, and its per-dyad table does not fit in memory. Each finished block's
table is folded into an ``Aggregates`` (``add``), the aggregates of blocks done by different workers
are combined (``merge``), and the summary with its CIs is computed from them (``summary``): the same
columns, rows and figures, to floating-point rounding, as ``analysis.summarise`` of the full table,
overall and for each value of any per-dyad column named in ``by`` (``subgroups``: risk count,
depression, support size, intervention arm, household type). An ``Aggregates`` is a few plain
dicts of numbers: small, picklable (it travels between workers) and saved as JSON (``to_json``,
``from_json``) to resume a cohort run.

What is kept, per scenario and subgroup value (``summarise`` groups by scenario):

- counts: dyads; A/B/C/D at each assessment age; in two-caregiver households their number, the
  A/B/C/D with the second caregiver and the number with the same class with both;
- for each mean: the count, mean and sum of squared deviations of its defined (non-NaN) values;
- for each correlation: over the pairs where both values are defined, the count, both means, both
  sums of squared deviations, the sum of cross-products of deviations, and each variable's least
  and greatest value (no spread, min = max: no correlation, as ``analysis.correlation_ci``).

These are the running sums n, Σx, Σx², Σxy kept about their means: a block's are computed from its
values, two are combined by the pairwise update of Chan, Golub & LeVeque (1979; "Updating formulae
and a pairwise algorithm for computing sample variances"), which is exact in arithmetic and, unlike
raw Σx² - (Σx)²/n, loses no precision to cancellation over millions of dyads. The final formulas
are those of ``analysis``, one copy each: shares with Wilson score intervals (Wilson 1927; Brown,
Cai & DasGupta 2001: ``analysis.wilson_ci``), means with normal-approximation CIs from the sample SD
(ddof = 1: ``analysis.mean_ci_of``), Pearson r (and phi, for two indicators) with Fisher's z CI
(Fisher 1915, 1921: ``analysis.fisher_ci``), laid out by ``analysis.summary_row``.

Scenarios are listed in the order first seen (blocks as added, then merged: ``a.merge(b)`` puts
``a``'s first); a cohort run has one. Rows whose ``by`` value is missing (NaN) count overall but in
no subgroup (as ``table[table[col] == v]``). Each value of a ``by`` column keeps its own counts, so
``by`` columns should have few values (counts, flags, arms, types): bin a continuous column (a
depression score) into a new column before adding the block.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from simulation.measures.strange_situation import CLASSES
from simulation.study.analysis import (MIN_PAIRS, SUMMARY_MEASURES, assessment_ages, fisher_ci, mean_ci_of,
                                       second_caregiver_row, summary_common, summary_row)

FORMAT = 1
"""Version of the JSON layout (``to_json``)."""

_NO_PAIRS = [0, 0.0, 0.0, 0.0, 0.0, 0.0, None, None, None, None]


# ------------------------------------------------------------------------- one block's moments
def _floats(df: pd.DataFrame, col: str) -> np.ndarray:
    """A column as floats (NaN where undefined; all NaN if the block has no such column, as in a
    concatenation of blocks with and without it)."""
    return np.asarray(df[col], dtype=float) if col in df else np.full(len(df), np.nan)


def _labels(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col] if col in df else pd.Series(np.nan, index=df.index, dtype=object)


def _moments(x: np.ndarray) -> list:
    """[n, mean, sum of squared deviations] of the defined values."""
    x = x[~np.isnan(x)]
    if x.size == 0:
        return [0, 0.0, 0.0]
    m = float(x.mean())
    return [int(x.size), m, float(((x - m) ** 2).sum())]


def _pairs(x: np.ndarray, y: np.ndarray) -> list:
    """[n, mean x, mean y, SS x, SS y, cross-products, min x, max x, min y, max y] of the pairs
    where both are defined."""
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if x.size == 0:
        return list(_NO_PAIRS)
    mx, my = float(x.mean()), float(y.mean())
    dx, dy = x - mx, y - my
    return [int(x.size), mx, my, float((dx * dx).sum()), float((dy * dy).sum()), float((dx * dy).sum()),
            float(x.min()), float(x.max()), float(y.min()), float(y.max())]


def _block_cell(df: pd.DataFrame, ages: Sequence[int]) -> dict[str, Any]:
    """The counts and moments of one block's dyads (one scenario, one subgroup value)."""
    counts: dict[str, int] = {}
    moments = {col: _moments(_floats(df, col)) for col in SUMMARY_MEASURES}
    pairs = {"responsiveness_crying": _pairs(_floats(df, "responsiveness_early"), _floats(df, "crying_late"))}
    sensitivity = _floats(df, "observed_sensitivity")
    two = (df["caregivers"] == 2).to_numpy(dtype=bool) if "caregivers" in df else np.zeros(len(df), dtype=bool)
    counts["n_two_caregivers"] = int(two.sum())
    for age in ages:
        classes = _labels(df, f"attachment_{age}m")
        for cls in CLASSES:
            counts[f"{cls}@{age}"] = int((classes == cls).sum())
        moments[f"security@{age}"] = _moments(_floats(df, f"security_{age}m"))
        pairs[f"sensitivity_secure@{age}"] = _pairs(sensitivity, (classes == "B").astype(float).to_numpy())
        # the second caregivers, as analysis.second_caregiver_summary reads them
        first = classes.to_numpy(dtype=object)[two]
        second = _labels(df, f"attachment_{age}m_cg2").to_numpy(dtype=object)[two]
        for cls in CLASSES:
            counts[f"{cls}_cg2@{age}"] = int((second == cls).sum())
        counts[f"same@{age}"] = int((first == second).sum())
        pairs[f"secure_cg1_cg2@{age}"] = _pairs((first == "B").astype(float), (second == "B").astype(float))
    return {"n": int(len(df)), "counts": counts, "moments": moments, "pairs": pairs}


# ------------------------------------------------------------------------------------ merging
def _merge_moments(a: list, b: list) -> list:
    """Chan, Golub & LeVeque's pairwise update of [n, mean, SS]."""
    (na, ma, sa), (nb, mb, sb) = a, b
    if nb == 0:
        return list(a)
    if na == 0:
        return list(b)
    n = na + nb
    d = mb - ma
    return [n, ma + d * nb / n, sa + sb + d * d * na * nb / n]


def _merge_pairs(a: list, b: list) -> list:
    """The same update for two variables and their cross-products, with the ranges."""
    if b[0] == 0:
        return list(a)
    if a[0] == 0:
        return list(b)
    na, nb = a[0], b[0]
    n = na + nb
    dx, dy = b[1] - a[1], b[2] - a[2]
    w = na * nb / n
    return [n, a[1] + dx * nb / n, a[2] + dy * nb / n,
            a[3] + b[3] + dx * dx * w, a[4] + b[4] + dy * dy * w, a[5] + b[5] + dx * dy * w,
            min(a[6], b[6]), max(a[7], b[7]), min(a[8], b[8]), max(a[9], b[9])]


def _merge_cells(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    counts = dict(a["counts"])
    for key, k in b["counts"].items():
        counts[key] = counts.get(key, 0) + k
    moments = dict(a["moments"])
    for key, m in b["moments"].items():
        moments[key] = _merge_moments(moments[key], m) if key in moments else list(m)
    pairs = dict(a["pairs"])
    for key, p in b["pairs"].items():
        pairs[key] = _merge_pairs(pairs[key], p) if key in pairs else list(p)
    return {"n": a["n"] + b["n"], "counts": counts, "moments": moments, "pairs": pairs}


# ------------------------------------------------------------------------------ the estimates
def _mean(moments: list | None) -> tuple[float, float, float]:
    n, m, ss = moments if moments is not None else (0, 0.0, 0.0)
    return mean_ci_of(n, m, float(np.sqrt(ss / (n - 1))) if n >= 2 else np.nan)


def _correlation(pairs: list | None) -> tuple[float, float, float]:
    n, _, _, sxx, syy, sxy, xmin, xmax, ymin, ymax = pairs if pairs is not None else _NO_PAIRS
    if n < MIN_PAIRS or xmin == xmax or ymin == ymax or sxx <= 0 or syy <= 0:
        return (np.nan, np.nan, np.nan)
    return fisher_ci(float(np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0)), n)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python one (JSON, and equal keys)."""
    return value.item() if isinstance(value, np.generic) else value


def _order(values: Iterable[Any]) -> list[Any]:
    values = list(values)
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (type(v).__name__, str(v)))


class Aggregates:
    """Running counts and moments of per-dyad tables, overall and by subgroup; see the module.

    >>> agg = Aggregates(ages=[12], by=["risk_count"])
    >>> for block in blocks:                      # doctest: +SKIP
    ...     agg.add(block)                        # one block's per-dyad table
    >>> total = agg.merge(other_workers_agg)      # doctest: +SKIP
    >>> total.summary()                           # == analysis.summarise(full table)  # doctest: +SKIP
    >>> total.subgroups("risk_count")             # doctest: +SKIP

    ``ages``: the assessment ages (months; ``Scenario.simulation.assessment_ages``); None: those
    of the first table added (``analysis.assessment_ages``). ``by``: per-dyad columns to summarise
    by value.
    """

    def __init__(self, ages: Sequence[int] | None = None, by: Sequence[str] = ()):
        if isinstance(by, str):
            by = [by]
        self.ages: list[int] | None = None if ages is None else sorted(int(a) for a in ages)
        self.by: tuple[str, ...] = tuple(by)
        self.second: list[int] = []
        """The assessment ages with a second caregiver's class (``attachment_<age>m_cg2``) in a table."""
        self.cells: dict[tuple[str, Any] | None, dict[str, dict[str, Any]]] = {}
        """Subgroup (None: overall; else (column, value)) -> scenario -> counts and moments."""

    @classmethod
    def for_scenario(cls, scenario, by: Sequence[str] = ()) -> "Aggregates":
        """Empty aggregates for the runs of a ``Scenario`` (its assessment ages)."""
        return cls(scenario.simulation.assessment_ages, by)

    @classmethod
    def of(cls, table: pd.DataFrame, by: Sequence[str] = ()) -> "Aggregates":
        """The aggregates of one whole table."""
        return cls(None, by).add(table)

    @property
    def n(self) -> int:
        """Dyads added, over all scenarios."""
        return sum(cell["n"] for cell in self.cells.get(None, {}).values())

    def __repr__(self) -> str:
        return f"Aggregates(ages={self.ages}, by={list(self.by)}, n={self.n})"

    # ------------------------------------------------------------------------------ updating
    def add(self, table: pd.DataFrame) -> "Aggregates":
        """Fold in one block's per-dyad table (``records.dyad_table``, ``run(...).dyads``); returns self."""
        if self.ages is None:
            self.ages = assessment_ages(table)
        missing = [c for c in ("scenario", *self.by) if c not in table]
        if missing:
            raise ValueError(f"the per-dyad table has no column {missing[0]!r} (aggregates by {list(self.by)})")
        self.second = sorted(set(self.second) | {a for a in self.ages if f"attachment_{a}m_cg2" in table})
        for name, df in table.groupby("scenario", sort=False):
            self._fold(None, _plain(name), _block_cell(df, self.ages))
            for col in self.by:
                for value, sub in df.groupby(col, sort=False, dropna=True):
                    self._fold((col, _plain(value)), _plain(name), _block_cell(sub, self.ages))
        return self

    def _fold(self, group, name, cell) -> None:
        cells = self.cells.setdefault(group, {})
        cells[name] = _merge_cells(cells[name], cell) if name in cells else cell

    def merge(self, other: "Aggregates") -> "Aggregates":
        """The aggregates of both (blocks done by different workers), as a new object: the same, to
        floating-point rounding, whatever the order and grouping of the merges."""
        if self.by != other.by:
            raise ValueError(f"cannot merge aggregates by {list(self.by)} with aggregates by {list(other.by)}")
        if self.ages is not None and other.ages is not None and self.ages != other.ages:
            raise ValueError(f"cannot merge aggregates of assessment ages {self.ages} and {other.ages}")
        out = Aggregates(self.ages if self.ages is not None else other.ages, self.by)
        out.second = sorted(set(self.second) | set(other.second))
        for source in (self, other):
            for group, cells in source.cells.items():
                for name, cell in cells.items():
                    out._fold(group, name, cell)
        return out

    __add__ = merge

    # ----------------------------------------------------------------------------- summaries
    def summary(self) -> pd.DataFrame:
        """``analysis.summarise`` of all the tables added: one row per scenario and assessment age."""
        return self._summary(self.cells.get(None, {}))

    def subgroup(self, column: str, value: Any) -> pd.DataFrame:
        """The summary of the dyads with ``column == value`` (``summarise(table[table[column] == value])``)."""
        self._check_by(column)
        return self._summary(self.cells.get((column, _plain(value)), {}))

    def values(self, column: str) -> list[Any]:
        """The values of a ``by`` column seen, in order."""
        self._check_by(column)
        return _order(v for (c, v) in (g for g in self.cells if g is not None) if c == column)

    def subgroups(self, column: str) -> pd.DataFrame:
        """The summary for each value of a ``by`` column (in order), with the value as the first column."""
        parts = []
        for value in self.values(column):
            part = self.subgroup(column, value)
            part.insert(0, column, [value] * len(part))
            parts.append(part)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def _check_by(self, column: str) -> None:
        if column not in self.by:
            raise ValueError(f"no subgroups by {column!r}: these aggregates are by {list(self.by)}")

    def _summary(self, cells: dict[str, dict[str, Any]]) -> pd.DataFrame:
        rows = []
        ages: list[int | None] = list(self.ages or []) or [None]
        for name, cell in cells.items():
            n, counts, moments, pairs = cell["n"], cell["counts"], cell["moments"], cell["pairs"]
            common = summary_common({col: _mean(moments.get(col)) for col in SUMMARY_MEASURES},
                                    _correlation(pairs.get("responsiveness_crying")))
            for age in ages:
                if age is None:
                    rows.append(summary_row(name, age, n, common))
                    continue
                second = None
                if age in self.second:
                    second = second_caregiver_row(counts.get("n_two_caregivers", 0),
                                                  {cls: counts.get(f"{cls}_cg2@{age}", 0) for cls in CLASSES},
                                                  counts.get(f"same@{age}", 0),
                                                  _correlation(pairs.get(f"secure_cg1_cg2@{age}")))
                rows.append(summary_row(name, age, n, common, {cls: counts.get(f"{cls}@{age}", 0) for cls in CLASSES},
                                        _mean(moments.get(f"security@{age}")),
                                        _correlation(pairs.get(f"sensitivity_secure@{age}")), second))
        return pd.DataFrame(rows)

    # ---------------------------------------------------------------------------------- JSON
    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, dicts, numbers, strings) for JSON."""
        cells = [{"column": None if group is None else group[0], "value": None if group is None else group[1],
                  "scenario": name, **cell}
                 for group, by_scenario in self.cells.items() for name, cell in by_scenario.items()]
        return {"format": FORMAT, "ages": self.ages, "by": list(self.by), "second": self.second, "cells": cells}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Aggregates":
        if data.get("format") != FORMAT:
            raise ValueError(f"aggregates of format {data.get('format')!r}; this version reads format {FORMAT}")
        out = cls(data["ages"], data["by"])
        out.second = [int(a) for a in data["second"]]
        for c in data["cells"]:
            group = None if c["column"] is None else (c["column"], c["value"])
            out.cells.setdefault(group, {})[c["scenario"]] = {
                "n": c["n"], "counts": dict(c["counts"]),
                "moments": {k: list(v) for k, v in c["moments"].items()},
                "pairs": {k: list(v) for k, v in c["pairs"].items()}}
        return out

    def to_json(self, path=None) -> str:
        """The aggregates as JSON (written to ``path`` if given): to resume a cohort run."""
        text = json.dumps(self.to_dict())
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    @classmethod
    def from_json(cls, text: str) -> "Aggregates":
        """Aggregates from ``to_json``'s text."""
        return cls.from_dict(json.loads(text))

    @classmethod
    def load(cls, path) -> "Aggregates":
        """Aggregates from a file written by ``to_json(path)``."""
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read())

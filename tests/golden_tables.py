"""Golden tables: small per-dyad tables of every built-in scenario, kept in ``tests/golden/``.

They prove that a refactor changed nothing. Discrete columns (text, integers, booleans) must match
exactly, floats to a relative tolerance of 1e-9: exact hashes change with the CPU's SIMD dispatch
(differences of 3e-14 were seen in the crying columns between two CPUs).

A change to a rule, or to which random numbers a run draws, changes these tables on purpose:
regenerate them in the same commit as a re-run of ``experiments/validate.py`` (whose figures go in
the commit message)::

    .venv/bin/python tests/golden_tables.py          # rewrite tests/golden/*.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from simulation.study import runner  # noqa: E402
from simulation.scenario import available_scenarios  # noqa: E402

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
DYADS = 150
"""Dyads per scenario: enough that every rule and every class shows up in some row."""
SEED = 20261202
RTOL = 1e-9
ATOL = 1e-12
"""Absolute floor for values that are (nearly) zero, where a relative tolerance means nothing."""


def golden_run(name: str) -> pd.DataFrame:
    """The per-dyad table of a built-in scenario at the golden size and seed (its own calendar)."""
    return runner.run(name, n_dyads=DYADS, seed=SEED).dyads


def path_for(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.csv"


def write(name: str) -> Path:
    path = path_for(name)
    golden_run(name).to_csv(path, index=False, float_format="%.17g")
    return path


def differences(expected: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    """What differs between two tables: columns, then discrete columns exactly, floats to RTOL."""
    problems = []
    if list(expected.columns) != list(got.columns):
        missing = [c for c in expected.columns if c not in got.columns]
        extra = [c for c in got.columns if c not in expected.columns]
        problems.append(f"columns differ: missing {missing}, new {extra}")
        return problems
    if len(expected) != len(got):
        return [f"{len(got)} rows, expected {len(expected)}"]
    for col in expected.columns:
        e, g = expected[col], got[col]
        if pd.api.types.is_float_dtype(e) or pd.api.types.is_float_dtype(g):
            ev, gv = e.to_numpy(dtype=float), g.to_numpy(dtype=float)
            same_nan = np.isnan(ev) == np.isnan(gv)
            close = np.isclose(ev, gv, rtol=RTOL, atol=ATOL, equal_nan=True)
            bad = ~(same_nan & close)
        else:
            bad = e.astype(str).to_numpy() != g.astype(str).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            problems.append(f"{col}: {int(bad.sum())} rows differ (first: dyad {i}, expected {e.iloc[i]!r}, "
                            f"got {g.iloc[i]!r})")
    return problems


if __name__ == "__main__":
    GOLDEN_DIR.mkdir(exist_ok=True)
    names = sys.argv[1:] or available_scenarios()
    for name in names:
        print(f"golden: {write(name).relative_to(ROOT)}")

"""The state's fast row reductions give numpy's own numbers (they replace mask.sum/any and a.sum on rows)."""

import numpy as np
import pytest

from simulation.model.state import any_per_dyad, per_dyad, row_sums


@pytest.mark.parametrize("rows", [1, 7, 64, 1000, 20000])
@pytest.mark.parametrize("width", [8, 16, 24, 64, 128, 12])
def test_row_sums_are_numpys_sums(rows, width):
    rng = np.random.default_rng(rows)
    a = rng.random((rows, width)) * rng.choice([1e-9, 1.0, 1e9], (rows, width))
    a[rng.random((rows, width)) < 0.3] = 0.0
    assert np.array_equal(row_sums(a), a.sum(axis=1))  # bitwise: numpy's pairwise order


@pytest.mark.parametrize("rows, slots", [(1, 8), (100, 8), (100, 16), (100, 12), (5000, 16)])
def test_row_counts_and_any(rows, slots):
    mask = np.random.default_rng(slots).random((rows, slots)) < 0.1
    assert np.array_equal(any_per_dyad(mask), mask.any(axis=1))
    assert np.array_equal(per_dyad(mask), mask.sum(axis=1))

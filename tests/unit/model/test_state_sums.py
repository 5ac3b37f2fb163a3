"""The state's fast row reductions give numpy's own numbers (they replace mask.sum/any and a.sum on rows)."""

import numpy as np
import pytest

from simulation.model.state import any_per_dyad, per_dyad, sum_of_eight


@pytest.mark.parametrize("rows", [1, 7, 64, 1000, 20000])
def test_sum_of_eight_is_numpys_sum(rows):
    rng = np.random.default_rng(rows)
    a = rng.random((rows, 8)) * rng.choice([1e-9, 1.0, 1e9], (rows, 8))
    a[rng.random((rows, 8)) < 0.3] = 0.0
    assert np.array_equal(sum_of_eight(a), a.sum(axis=1))  # bitwise: numpy's pairwise order


@pytest.mark.parametrize("rows, slots", [(1, 8), (100, 8), (100, 16), (100, 12), (5000, 16)])
def test_row_counts_and_any(rows, slots):
    mask = np.random.default_rng(slots).random((rows, slots)) < 0.1
    assert np.array_equal(any_per_dyad(mask), mask.any(axis=1))
    assert np.array_equal(per_dyad(mask), mask.sum(axis=1))

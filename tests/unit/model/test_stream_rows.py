"""Rows of a daily stream reached without drawing the others (issue 19's blocks of dyads)."""

import numpy as np
import pytest

from simulation.model import streams

SHAPES = [(1000,), (257, 11), (300, 16, 13), (64, 7, 3)]
"""One draw a row; an odd width (the caregiver block's); the episode block (16 slots x 13 draws);
an odd number of draws a row in a 3-d block."""


@pytest.mark.parametrize("shape", SHAPES)
def test_any_rows_equal_the_same_rows_of_the_whole_stream(shape):
    whole = streams.uniforms(streams.generator(7, "caregiver-day:12"), shape)
    pick = np.random.default_rng(0)
    n = shape[0]
    cuts = [(0, n), (0, 1), (n - 1, n), (3, 4), (5, n // 2)] + [tuple(sorted(pick.integers(0, n, 2))) for _ in range(20)]
    for start, stop in cuts:
        part = streams.uniforms_rows(7, "caregiver-day:12", shape, slice(start, stop))
        assert part.dtype == np.float32 and part.shape == (stop - start, *shape[1:])
        assert np.array_equal(part, whole[start:stop]), (start, stop)


def test_blocks_put_together_are_the_whole_stream_and_stay_inside_zero_one():
    shape = (10_000, 16, 13)
    whole = streams.uniforms(streams.generator(3, "episodes-day:40"), shape)
    blocks = [streams.uniforms_rows(3, "episodes-day:40", shape, slice(a, min(a + 999, shape[0])))
              for a in range(0, shape[0], 999)]
    joined = np.concatenate(blocks)
    assert np.array_equal(joined, whole)
    assert joined.min() > 0.0 and joined.max() < 1.0


def test_a_stepped_slice_is_refused():
    with pytest.raises(ValueError, match="contiguous"):
        streams.uniforms_rows(1, "x", (10, 2), slice(0, 10, 2))

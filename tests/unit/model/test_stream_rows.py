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


# ---------------------------------------------------------------- block seeds (cohort blocks)
@pytest.mark.parametrize("first", [0, 1, 2, 37, 1000])
@pytest.mark.parametrize("shape", [(50,), (40, 3), (30, 16, 13), (20, 7)])
def test_each_draw_kind_of_a_block_is_the_same_rows_of_the_whole_population(first, shape):
    """uniforms_of (with and without a day's store), randoms_of and normals_of under a block seed
    starting at dyad ``first`` give the rows ``first`` on of a draw over the whole population."""
    n = shape[0]
    whole_shape = (first + n, *shape[1:])
    block = streams.at_row(11, first)
    whole_u = streams.uniforms(streams.generator(11, "s"), whole_shape)
    assert np.array_equal(streams.uniforms_of(block, "s", shape), whole_u[first:])
    if len(shape) > 1:  # a day's store holds a block of dyads x draws (x slots)
        store = np.empty((shape[-1], *shape[:-1]), dtype=np.float32)
        assert np.array_equal(streams.uniforms_of(block, "s", shape, store), whole_u[first:])
    assert np.array_equal(streams.randoms_of(block, "r", shape), streams.generator(11, "r").random(whole_shape)[first:])
    assert np.array_equal(streams.normals_of(block, "z", shape),
                          streams.generator(11, "z").standard_normal(whole_shape)[first:])


@pytest.mark.parametrize("per_row, first", [(3, 1), (3, 2), (4, 5), (279, 3)])
def test_a_generator_placed_at_a_row_continues_as_the_whole_population_draws(per_row, first):
    """generator_at: sequential float32 draws in several calls (as the Strange Situation draws, a
    chunk of dyads at a time), odd rows included (the high half left in numpy's buffer)."""
    whole = streams.uniforms(streams.generator(5, "a"), (first + 10, per_row))
    gen = streams.generator_at(streams.at_row(5, first), "a", per_row)
    got = np.concatenate([streams.uniforms(gen, (4, per_row)), streams.uniforms(gen, (6, per_row))])
    assert np.array_equal(got, whole[first:])
    row = streams.generator_at(5, "a", per_row, row=first + 2)
    assert np.array_equal(streams.uniforms(row, (1, per_row))[0], whole[first + 2])


def test_a_block_seed_keeps_its_root_and_first_row_through_child_streams():
    block = streams.at_row(9, 40)
    assert streams.root_of(block) == 9 and streams.first_row(block) == 40
    assert streams.at_row(9, 0) == 9  # a plain seed stays itself at row 0
    child = streams.child_sequence(block, "second-caregiver")
    assert streams.first_row(child) == 40
    whole = streams.uniforms_of(streams.child_sequence(9, "second-caregiver"), "d", (50, 2))
    assert np.array_equal(streams.uniforms_of(child, "d", (10, 2)), whole[40:])


def test_generator_refuses_a_block_that_does_not_start_at_row_zero():
    """A forgotten call site would silently give a block row 0's numbers: it fails instead."""
    with pytest.raises(ValueError, match="generator_at"):
        streams.generator(streams.at_row(1, 5), "x")
    streams.generator(streams.at_row(1, 0), "x")


def test_a_normal_stream_drawn_once_gives_each_block_its_start():
    """The cohort driver draws each normal stream once and hands each block the generator's state at
    its first row: the block's normals are the same as drawing and dropping, without the drawing."""
    with streams.recording_normals() as used:
        streams.normals_of(5, "trait:x", 10)
        streams.normals_of(streams.child_sequence(5, "second"), "trait:y", (10, 4))
    assert [(name, per_row) for _, name, per_row in used] == [("trait:x", 1), ("trait:y", 4)]
    firsts = [0, 37, 1000]
    states = streams.normal_states(used, firsts)
    assert len(states[0]) == 0 and len(states[37]) == len(states[1000]) == 2
    for first in firsts:
        block = streams.at_row(5, first)
        dropped = (streams.normals_of(block, "trait:x", 6),
                   streams.normals_of(streams.child_sequence(block, "second"), "trait:y", (6, 4)))
        with streams.known_states(states[first]):
            jumped = (streams.normals_of(block, "trait:x", 6),
                      streams.normals_of(streams.child_sequence(block, "second"), "trait:y", (6, 4)))
        assert all(np.array_equal(a, b) for a, b in zip(dropped, jumped))
    assert streams._KNOWN_STATES == {}

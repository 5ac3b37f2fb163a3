"""The float32 uniforms stay strictly inside (0, 1), in both of their code paths."""
import numpy as np
from scipy import stats

from simulation.model import streams

# numpy's generator seeded 0 draws the largest float32 below 1 (1 - 2**-24) at this index: a
# value that, plus the 2**-25 offset, used to round to exactly 1 (found by search, 2**24 draws)
SEED, INDEX = 0, 504002


def test_the_largest_draw_stays_below_one():
    raw = np.random.default_rng(SEED).random(INDEX + 1, dtype=np.float32)
    assert raw[INDEX] == np.float32(1 - 2 ** -24)  # the fixture is what it says
    shape = ((INDEX + 1) // 2 + 1, 2)
    plain = streams.uniforms(np.random.default_rng(SEED), shape)
    stored = streams.uniforms(np.random.default_rng(SEED), shape, store=np.empty(shape[::-1], np.float32))
    for u in (plain, stored):
        assert u.max() < 1 and u.min() > 0
        assert np.isfinite(stats.norm.ppf(u.astype(np.float64))).all()
    np.testing.assert_array_equal(plain, stored)


def numpy_definition(seed: int, shape: tuple[int, ...], skip: int = 0) -> np.ndarray:
    """The documented numbers, from numpy's own float32 draws: ``random(float32) + 2**-25``, the
    largest kept below 1 (after ``skip`` float32 draws)."""
    gen = np.random.default_rng(seed)
    gen.random(skip, dtype=np.float32)
    u = gen.random(shape, dtype=np.float32) + np.float32(2.0 ** -25)
    return np.minimum(u, np.float32(1 - 2 ** -24))


def test_the_integer_path_gives_numpys_float32_draws_in_every_layout():
    for shape in [(7,), (5, 3), (1001, 16, 13), (3, 1)]:
        for skip in (0, 1):  # after an odd number of draws, numpy keeps half an output waiting
            gen = np.random.default_rng(11)
            gen.random(skip, dtype=np.float32)
            plain = streams.uniforms(gen, shape)
            gen = np.random.default_rng(11)
            gen.random(skip, dtype=np.float32)
            stored = streams.uniforms(gen, shape, store=np.empty((shape[-1], *shape[:-1]), np.float32))
            want = numpy_definition(11, shape, skip)
            np.testing.assert_array_equal(plain, want)
            np.testing.assert_array_equal(stored, want)
            # the generator is left where numpy's own draws leave it
            gen_want = np.random.default_rng(11)
            gen_want.random(skip + int(np.prod(shape)), dtype=np.float32)
            assert gen.random(3, dtype=np.float32).tolist() == gen_want.random(3, dtype=np.float32).tolist()


def test_raw_outputs_are_the_bit_generators_own():
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    for count in (1, 2, 1000, 1 << 17):
        np.testing.assert_array_equal(streams._raw_outputs(a, count), b.bit_generator.random_raw(count))

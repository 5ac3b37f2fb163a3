"""Named random streams derived from one root seed.

Reproducibility and common random numbers (CRN) rest on two rules:

1. Every source of randomness has its own stream, derived from the root seed with
   :class:`numpy.random.SeedSequence` and a stable key computed from the stream's *name*
   (not from the order in which streams are created). Adding a new stream, or a new caregiver
   trait, never shifts the numbers any other stream gives.
2. Each rule draws a block of fixed shape every day (one row per dyad, one column per use),
   whatever the parameter values. Two scenarios run with the same seed and the same number
   of dyads therefore see the same random numbers, and differ only by their parameters
   (CRN: Law & Kelton, *Simulation Modeling and Analysis*, ch. 11).
"""

from __future__ import annotations

import hashlib
import math
import sys

import numpy as np

from ..errors import UserError, shown

SeedLike = int | np.random.SeedSequence
DEFAULT_SEED = 1
"""The root seed when none is given: the same in the API, the command line and every script."""
MAX_SEED = 2 ** 128 - 1
"""Largest root seed (SeedSequence takes any non-negative integer; beyond this nobody means it)."""


def stream_key(name: str) -> int:
    """A stable 32-bit integer for a stream name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little")


def root_sequence(seed: SeedLike) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise UserError(f"seed = {shown(seed)} is not allowed: give a whole number from 0 to 2**128 - 1 "
                        f"(or a numpy SeedSequence)")
    return np.random.SeedSequence(int(seed))


def child_sequence(seed: SeedLike, name: str) -> np.random.SeedSequence:
    """The SeedSequence of the stream called ``name`` under ``seed``."""
    root = root_sequence(seed)
    return np.random.SeedSequence(entropy=root.entropy, spawn_key=tuple(root.spawn_key) + (stream_key(name),))


def generator(seed: SeedLike, name: str) -> np.random.Generator:
    """A numpy Generator for the stream ``name`` under ``seed``."""
    return np.random.Generator(np.random.PCG64(child_sequence(seed, name)))


_CHUNK_DRAWS = 1 << 18
"""Draws converted at a time by ``uniforms`` (1 MB of float32: stays in cache)."""


_BELOW_ONE = np.float32(1.0 - 2.0 ** -24)
"""The largest float32 below 1 (a definition)."""


def uniforms(gen: np.random.Generator, shape: tuple[int, ...], store: np.ndarray | None = None) -> np.ndarray:
    """Float32 uniforms strictly inside (0, 1), so that normal quantiles stay finite.

    The numbers are those of ``gen.random(shape, dtype=np.float32) + 2**-25``, in that (C) order,
    except that the largest draw, ``1 - 2**-24``, stays itself: adding ``2**-25`` to it rounds to
    exactly 1 in float32 (an infinite normal quantile), once in 2**24 draws.
    With ``store`` (float32, shaped ``(shape[-1], *shape[:-1])``), they are written into it and a
    view of it in ``shape`` is returned: the last axis is outermost in memory, so that
    ``u[..., i]`` (one kind of draw for every dyad and slot) is contiguous, and a buffer reused
    from day to day costs no fresh memory. The values at each index are the same.
    """
    if store is None or sys.byteorder != "little":
        u = gen.random(shape, dtype=np.float32)
        u += np.float32(2.0 ** -25)
        np.minimum(u, _BELOW_ONE, out=u)
        if store is None:
            return u
        np.copyto(np.moveaxis(store, 0, -1), u)
        return np.moveaxis(store, 0, -1)
    # numpy draws a float32 as (next 32 bits >> 8) * 2**-24, taking the low then the high half
    # of each 64-bit output of the bit generator: do the same, transposing on the way, a few
    # hundred kilobytes at a time (an even number of 32-bit draws per chunk but the last)
    u = np.moveaxis(store, 0, -1)
    per_row = math.prod(shape[1:])
    step = max(1, _CHUNK_DRAWS // max(per_row, 1))
    step += (step * per_row) % 2
    for i in range(0, shape[0], step):
        part = u[i:i + step]
        count = part.size
        bits = gen.bit_generator.random_raw((count + 1) // 2).view(np.uint32)[:count]
        np.right_shift(bits, 8, out=bits)
        np.multiply(bits.reshape(part.shape), np.float32(2.0 ** -24), out=part, dtype=np.float32, casting="unsafe")
        np.add(store[:, i:i + step], np.float32(2.0 ** -25), out=store[:, i:i + step])
        np.minimum(store[:, i:i + step], _BELOW_ONE, out=store[:, i:i + step])
    return u


def uniforms_rows(seed: SeedLike, name: str, shape: tuple[int, ...], rows: slice) -> np.ndarray:
    """Rows ``rows`` of ``uniforms(generator(seed, name), shape)``, without drawing the other rows.

    The building block of cohort runs in blocks of dyads (issue 19): a block computes its own rows of
    a day's stream, the same numbers a single run over all the dyads gives them, so a run split into
    blocks on any number of workers equals the run in one process. A float32 draw takes 32 bits of
    the bit generator (the low then the high half of each 64-bit output: see :func:`uniforms`), so
    row ``i`` of a stream with ``k`` draws a row starts at 32-bit draw ``i * k``: the bit generator
    is advanced to that 64-bit output (PCG64's ``advance``, a jump, not a loop) and, when ``i * k``
    is odd, the low half of the first output is skipped.
    """
    n = int(shape[0])
    start, stop, step = rows.indices(n)
    if step != 1:
        raise ValueError("rows must be a contiguous slice")
    stop = max(start, stop)
    per_row = math.prod(shape[1:])
    gen = generator(seed, name)
    if sys.byteorder != "little":  # the 32-bit halves' order below is little-endian's
        return uniforms(gen, (stop, *shape[1:]))[start:stop]
    first, count = start * per_row, (stop - start) * per_row
    gen.bit_generator.advance(first // 2)
    skip = first % 2
    bits = gen.bit_generator.random_raw((count + skip + 1) // 2).view(np.uint32)[skip:skip + count]
    u = np.empty(count, dtype=np.float32)
    np.multiply(np.right_shift(bits, 8), np.float32(2.0 ** -24), out=u, dtype=np.float32, casting="unsafe")
    u += np.float32(2.0 ** -25)
    np.minimum(u, _BELOW_ONE, out=u)
    return u.reshape((stop - start, *shape[1:]))

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

import contextlib
import hashlib
import math
import sys
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..errors import UserError, shown



@dataclass(frozen=True)
class BlockSeed:
    """A root seed and the place in the population of a model's first dyad (cohort blocks, issue 19).

    A birth cohort is run as blocks of dyads (``simulation.study.cohort``). A model made with
    ``first_dyad=k`` holds dyads ``k, k+1, ...`` of the population: every stream gives its rows the
    numbers that rows ``k, k+1, ...`` get in one run over the whole population, so a dyad's random
    numbers depend only on the root seed and its place, whatever the block size or the number of
    workers, and a run of N dyads is the first N dyads of any larger run. Draw through
    :func:`uniforms_of`, :func:`randoms_of`, :func:`normals_of` and :func:`generator_at`, which start
    at row ``first``; :func:`generator` refuses a block seed that does not start at row 0 (its
    numbers would be row 0's).
    """

    root: "int | np.random.SeedSequence"
    first: int = 0


SeedLike = int | np.random.SeedSequence | BlockSeed
DEFAULT_SEED = 1
"""The root seed when none is given: the same in the API, the command line and every script."""
MAX_SEED = 2 ** 128 - 1
"""Largest root seed (SeedSequence takes any non-negative integer; beyond this nobody means it)."""


def stream_key(name: str) -> int:
    """A stable 32-bit integer for a stream name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little")


def root_sequence(seed: SeedLike) -> np.random.SeedSequence:
    if isinstance(seed, BlockSeed):
        return root_sequence(seed.root)
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise UserError(f"seed = {shown(seed)} is not allowed: give a whole number from 0 to 2**128 - 1 "
                        f"(or a numpy SeedSequence)")
    return np.random.SeedSequence(int(seed))


def root_of(seed: SeedLike) -> "int | np.random.SeedSequence":
    """The root seed as given (an int or a SeedSequence), without a block's first row."""
    return seed.root if isinstance(seed, BlockSeed) else seed


def first_row(seed: SeedLike) -> int:
    """The population index of the first dyad drawn for under ``seed`` (0 but for a cohort block)."""
    return seed.first if isinstance(seed, BlockSeed) else 0


def at_row(seed: SeedLike, first: int) -> SeedLike:
    """``seed`` for a model whose first dyad is dyad ``first`` of the population (``seed`` itself at 0)."""
    if first == 0 and not isinstance(seed, BlockSeed):
        return seed
    return BlockSeed(root_of(seed), int(first))


def _sequence(seed: SeedLike, name: str) -> np.random.SeedSequence:
    root = root_sequence(seed)
    return np.random.SeedSequence(entropy=root.entropy, spawn_key=tuple(root.spawn_key) + (stream_key(name),))


def child_sequence(seed: SeedLike, name: str) -> "np.random.SeedSequence | BlockSeed":
    """The SeedSequence of the stream called ``name`` under ``seed`` (a block seed's keeps its first row)."""
    child = _sequence(seed, name)
    return BlockSeed(child, seed.first) if isinstance(seed, BlockSeed) else child


def generator(seed: SeedLike, name: str) -> np.random.Generator:
    """A numpy Generator for the stream ``name`` under ``seed``, from its first number.

    Under a block seed that does not start at row 0 this is refused: the generator's first numbers
    are row 0's. Use the ``*_of`` functions or :func:`generator_at` there.
    """
    if first_row(seed):
        raise ValueError(f"stream '{name}': a block starting at dyad {first_row(seed)} must draw with "
                         f"uniforms_of, randoms_of, normals_of or generator_at, not generator()")
    return np.random.Generator(np.random.PCG64(_sequence(seed, name)))


def _raw_generator(seed: SeedLike, name: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(_sequence(seed, name)))


def generator_at(seed: SeedLike, name: str, per_row: int, row: int = 0) -> np.random.Generator:
    """The stream ``name``'s Generator placed at row ``first_row(seed) + row`` of float32 draws.

    For code that draws ``per_row`` float32 uniforms a row in sequence (``uniforms(gen, (k,
    per_row))``, perhaps in several calls): its next float32 draw is the one that row gets when the
    whole population draws from the start. A float32 draw takes 32 bits, the low then the high half
    of one 64-bit output (see :func:`uniforms`): the bit generator jumps to the 64-bit output (PCG64's
    ``advance``, not a loop) and, when the row starts at an odd 32-bit draw, the high half is left
    waiting in the generator's one-number buffer, as numpy leaves it after an odd number of draws.
    """
    gen = _raw_generator(seed, name)
    draws = (first_row(seed) + row) * per_row
    if draws:
        bits = gen.bit_generator
        bits.advance(draws // 2)
        if draws % 2:
            _leave_half(gen, int(bits.random_raw()) >> 32)
    return gen


def _leave_half(gen: np.random.Generator, high: int) -> None:
    """Leave the high half of the last 64-bit output waiting in the generator's one-number buffer, as
    numpy does after an odd number of float32 draws."""
    state = gen.bit_generator.state
    state["has_uint32"], state["uinteger"] = 1, high
    gen.bit_generator.state = state


def _pending_half(gen: np.random.Generator) -> bool:
    return bool(gen.bit_generator.state.get("has_uint32", 0))


_CHUNK_DRAWS = 1 << 18
"""Draws converted at a time by ``uniforms`` (1 MB of float32: stays in cache)."""


_BELOW_ONE = np.float32(1.0 - 2.0 ** -24)
"""The largest float32 below 1 (a definition)."""
_ONE, _TOP, _TOP_KEPT, _HALF_STEP = np.uint32(1), np.uint32(2 ** 25 - 1), np.uint32(2 ** 25 - 2), np.float32(2.0 ** -25)
"""For ``uniforms``: (2k + 1) * 2**-25, the largest, 2**25 - 1, kept at 2**25 - 2 (1 - 2**-24) (definitions)."""


_ALL_BITS = np.iinfo(np.uint64).max


def _raw_outputs(gen: np.random.Generator, count: int) -> np.ndarray:
    """The bit generator's next ``count`` 64-bit outputs, as ``gen.bit_generator.random_raw(count)``
    gives them: numpy fills a full-range uint64 ``integers`` draw with the raw outputs themselves (a
    unit test checks the two agree), as fast as ``random_raw`` or faster (up to twice, at times, on
    the benchmark machine: benchmarks/README.md)."""
    return gen.integers(0, _ALL_BITS, size=count, dtype=np.uint64, endpoint=True)


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
    if sys.byteorder != "little" or _pending_half(gen):
        u = gen.random(shape, dtype=np.float32)
        u += np.float32(2.0 ** -25)
        np.minimum(u, _BELOW_ONE, out=u)
        if store is None:
            return u
        np.copyto(np.moveaxis(store, 0, -1), u)
        return np.moveaxis(store, 0, -1)
    # numpy draws a float32 as (next 32 bits >> 8) * 2**-24, taking the low then the high half
    # of each 64-bit output of the bit generator: do the same (into the store: transposing on the
    # way), a few hundred kilobytes at a time (an even number of 32-bit draws per chunk but the last,
    # which leaves the generator where numpy's own draws would)
    u = np.empty(shape, dtype=np.float32) if store is None else np.moveaxis(store, 0, -1)
    per_row = math.prod(shape[1:])
    step = max(1, _CHUNK_DRAWS // max(per_row, 1))
    step += (step * per_row) % 2
    # The sum (bits >> 8) * 2**-24 + 2**-25 is (2k + 1) * 2**-25 with k = bits >> 8, rounded to
    # float32: it is computed as that odd integer, (bits >> 7) | 1, converted to float32 (the same
    # rounding to nearest even as the float32 addition) and scaled by a power of two (exact). The one
    # integer that rounds up to 2**25 (a draw of 1) is first lowered to 2**25 - 2 (1 - 2**-24).
    # Integer passes over the raw bits are cheaper than float passes over the transposed store.
    for i in range(0, shape[0], step):
        part = u[i:i + step]
        count = part.size
        raw = _raw_outputs(gen, (count + 1) // 2).view(np.uint32)
        if count % 2:  # (the last chunk) the other half of the last output waits for the next draw
            _leave_half(gen, int(raw[count]))
        bits = raw[:count]
        np.right_shift(bits, 7, out=bits)
        np.bitwise_or(bits, _ONE, out=bits)
        if bits.max(initial=0) == _TOP:  # (once in 2**25 draws; a maximum is cheaper than a minimum with it)
            bits[bits == _TOP] = _TOP_KEPT
        np.multiply(bits.view(np.int32).reshape(part.shape), _HALF_STEP, out=part, dtype=np.float32,
                    casting="unsafe")
    return u


def uniforms_of(seed: SeedLike, name: str, shape: tuple[int, ...], store: np.ndarray | None = None) -> np.ndarray:
    """``uniforms`` of the stream ``name`` for this model's rows: rows ``first_row(seed)`` on of the
    whole population's block of that shape (rows 0 on for a plain seed: the same as
    ``uniforms(generator(seed, name), shape, store)``)."""
    per_row = math.prod(shape[1:])
    return uniforms(generator_at(seed, name, per_row), shape, store)


def uniforms_rows(seed: SeedLike, name: str, shape: tuple[int, ...], rows: slice) -> np.ndarray:
    """Rows ``rows`` of ``uniforms(generator(seed, name), shape)``, without drawing the other rows
    (:func:`generator_at`)."""
    n = int(shape[0])
    start, stop, step = rows.indices(n)
    if step != 1:
        raise ValueError("rows must be a contiguous slice")
    stop = max(start, stop)
    return uniforms_of(at_row(root_of(seed), first_row(seed) + start), name, (stop - start, *shape[1:]))


def randoms_of(seed: SeedLike, name: str, shape: int | tuple[int, ...]) -> np.ndarray:
    """``generator(seed, name).random(shape)`` (float64 in [0, 1)) for this model's rows: a float64
    draw takes one 64-bit output, so the bit generator jumps over the rows before ``first_row``."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    gen = _raw_generator(seed, name)
    skip = first_row(seed) * math.prod(shape[1:])
    if skip:
        gen.bit_generator.advance(skip)
    return gen.random(shape)


_NORMAL_CHUNK = 1 << 20
"""Normals drawn and dropped at a time when ``normals_of`` skips the rows before a block's."""

_KNOWN_STATES: dict[tuple, dict] = {}
"""(stream, normals before the block's rows) -> the bit generator's state there: handed to a cohort
block by its driver (:func:`known_states`), so that the block need not draw and drop them."""
_RECORDING: list | None = None
normals_dropped = 0
"""Normals this process has drawn and dropped in :func:`normals_of` (a check that cohorts need none)."""


def _identity(seed: SeedLike, name: str) -> tuple:
    seq = _sequence(seed, name)
    return (seq.entropy, tuple(seq.spawn_key))


def normals_of(seed: SeedLike, name: str, shape: int | tuple[int, ...]) -> np.ndarray:
    """``generator(seed, name).standard_normal(shape)`` for this model's rows.

    numpy's normals (the ziggurat) take a varying number of 64-bit outputs each, so the rows before
    ``first_row`` cannot be jumped over. A cohort's driver draws each normal stream once, in order,
    and hands every block the generator's state at its first row (:func:`normal_states`,
    :func:`known_states`: O(N) in all instead of O(N) a block); without it the rows before are drawn
    and dropped here, a million at a time (memory stays small). Only the setup draws normals.
    """
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    per_row = math.prod(shape[1:])
    if _RECORDING is not None:
        _RECORDING.append((root_sequence(seed) if isinstance(seed, BlockSeed) else seed, name, per_row))
    gen = _raw_generator(seed, name)
    skip = first_row(seed) * per_row
    state = _KNOWN_STATES.get((_identity(seed, name), skip)) if skip else None
    if state is not None:
        gen.bit_generator.state = state
        skip = 0
    global normals_dropped
    normals_dropped += skip
    while skip:
        take = min(skip, _NORMAL_CHUNK)
        gen.standard_normal(take)
        skip -= take
    return gen.standard_normal(shape)


@contextlib.contextmanager
def recording_normals() -> Iterator[list]:
    """Inside, every :func:`normals_of` call appends (seed, stream name, normals a row) to the list
    yielded: a cohort's driver learns the model's normal streams from a small run."""
    global _RECORDING
    before, _RECORDING = _RECORDING, []
    try:
        yield _RECORDING
    finally:
        _RECORDING = before


def normal_states(streams_used: list[tuple], firsts: list[int]) -> dict[int, list[tuple]]:
    """For each first row in ``firsts``, for each (seed, name, normals a row) stream: (stream, normals
    before that row, the bit generator's state there), drawing each stream once, in order."""
    out: dict[int, list[tuple]] = {first: [] for first in firsts}
    for seed, name, per_row in dict.fromkeys(streams_used):
        gen = _raw_generator(seed, name)
        done = 0
        for first in sorted(set(firsts)):
            skip = first * per_row
            while done < skip:
                take = min(skip - done, _NORMAL_CHUNK)
                gen.standard_normal(take)
                done += take
            if skip:
                out[first].append((_identity(seed, name), skip, gen.bit_generator.state))
    return out


@contextlib.contextmanager
def known_states(states: list[tuple]) -> Iterator[None]:
    """Inside, :func:`normals_of` starts from these states (from :func:`normal_states`) where they apply."""
    added = {(identity, skip): state for identity, skip, state in states}
    _KNOWN_STATES.update(added)
    try:
        yield
    finally:
        for key in added:
            _KNOWN_STATES.pop(key, None)

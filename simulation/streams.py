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

import numpy as np

from .errors import UserError, shown

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

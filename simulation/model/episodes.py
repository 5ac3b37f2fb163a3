"""Today's signal episodes, shared by the infant-phase components (perception, response, crying,
learning) and the measures that count them.

Arrays are (dyads, slots): one column per episode slot of the day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(eq=False)
class Episodes:
    """How each of today's episodes went (boolean arrays of shape (dyads, slots))."""

    kind: np.ndarray
    felt_cry: np.ndarray
    active: np.ndarray
    relief: np.ndarray
    distress: np.ndarray
    social: np.ndarray
    noticed: np.ndarray
    hidden: np.ndarray
    read_negative: np.ndarray
    answered: np.ndarray
    rebuffed: np.ndarray
    matched: np.ndarray
    mismatched: np.ndarray
    repaired: np.ndarray
    frightening: np.ndarray
    soothed: np.ndarray
    contingent: np.ndarray
    coordinated: np.ndarray


class Selected:
    """Some of the day's episodes (where ``mask`` holds), as an array of shape (episodes, 1).

    Rules written for (dyads, slots) arrays apply unchanged to the selection, one row per
    episode: ``slots`` picks per-episode values, ``dyads`` the values of each episode's dyad.
    Expensive per-episode maths (normal quantiles, exponentials) then runs only where needed.
    """

    def __init__(self, mask: np.ndarray):
        self.flat = np.flatnonzero(mask)
        self._width = mask.shape[1]
        self._rows: np.ndarray | None = None

    @property
    def rows(self) -> np.ndarray:
        """Each episode's dyad (row), worked out on first use."""
        if self._rows is None:
            width = self._width
            if width & (width - 1) == 0:  # a power of two: a shift, several times faster than a division
                self._rows = self.flat >> (width.bit_length() - 1)
            else:
                self._rows = self.flat // width
        return self._rows

    def slots(self, a: np.ndarray) -> np.ndarray:
        return a.reshape(-1).take(self.flat)[:, None]

    def dyads(self, a: np.ndarray) -> np.ndarray:
        return a.take(self.rows)

    def put(self, out: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Write ``values`` (one per selected episode) into ``out`` (dyads, slots), in place."""
        if out.flags.c_contiguous:
            out.reshape(-1)[self.flat] = values.reshape(-1)
        else:
            np.put(out, self.flat, values)
        return out


NO_AWAY = np.zeros((0, 0), dtype=bool)
"""For the compiled rules (``signals``, ``response``): no slot is another caregiver's today (an empty
array stands for ``Today.away`` of None, a definition)."""

"""Structure-of-arrays state: one row per dyad, one array per declared field.

The fields are the ones the components declare (:class:`~simulation.model.component.Var`),
gathered by the day plan (``simulation.model.plan``) into a layout. All rules read and write these
arrays for all dyads at once (the vectorised engine) or for one row (``agent.step()``, through
:meth:`DyadState.view`, whose arrays are numpy *views* onto the same memory). Rules therefore
update arrays in place (``a[...] = ...``), never rebind them.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

WIDTHS = {"supporters": 8, "interventions": 4}
"""Columns per dyad of the slot-shaped fields: supporter slots (``support.MAX_SUPPORTERS``) and
intervention slots (``interventions.MAX_INTERVENTIONS``); a test checks they agree
(this module sits below the components and cannot import them)."""


class DyadState:
    """Arrays of length ``n`` (slot fields: ``n`` x width) for every field of ``layout``.

    Fields are read as attributes (``s.stress``); ``s.n`` is the number of rows.
    """

    def __init__(self, n: int, layout: Mapping[str, Any]):
        self.n = int(n)
        self._layout = layout
        for name, var in layout.items():
            shape = (self.n, WIDTHS[var.width]) if var.width else self.n
            array = np.zeros(shape, dtype=var.dtype)
            if var.init:
                array[...] = var.init
            setattr(self, name, array)

    @property
    def fields(self) -> Mapping[str, Any]:
        """The layout: field name -> its declaration (``Var``)."""
        return self._layout

    def view(self, rows: slice) -> "DyadState":
        """A DyadState whose arrays are views onto ``rows`` of this one (writes go through)."""
        if not isinstance(rows, slice):
            raise TypeError("rows must be a slice so that arrays are views, not copies")
        new = object.__new__(DyadState)
        new._layout = self._layout
        for name in self._layout:
            setattr(new, name, getattr(self, name)[rows])
        new.n = len(range(*rows.indices(self.n)))
        return new


_BYTE_SUM = np.uint64(0x0101010101010101)


def per_dyad(mask: np.ndarray) -> np.ndarray:
    """The number of true slots in each row of a (dyads, slots) boolean array (int64).

    Same result as ``mask.sum(axis=1)``, several times faster on many rows: the slots of a row
    are read as 64-bit words whose bytes (0 or 1) are added up by a multiplication.
    """
    rows, slots = mask.shape
    if rows < 64 or slots % 8 or slots > 255 or not mask.flags.c_contiguous:
        return mask.sum(axis=1)
    words = mask.view(np.uint64)
    total = words[:, 0].copy()
    for k in range(1, words.shape[1]):
        total += words[:, k]
    return ((total * _BYTE_SUM) >> np.uint64(56)).astype(np.int64)


def any_per_dyad(mask: np.ndarray) -> np.ndarray:
    """Whether each row of a (dyads, slots) boolean array holds a true slot.

    Same result as ``mask.any(axis=1)``, several times faster on many rows: the slots of a row are
    read as 64-bit words, and a word that is not zero holds a true slot.
    """
    rows, slots = mask.shape
    if slots % 8 or not mask.flags.c_contiguous:
        return mask.any(axis=1)
    words = mask.view(np.uint64)
    out = words[:, 0] != 0
    for k in range(1, words.shape[1]):
        out |= words[:, k] != 0
    return out


def row_sums(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1)`` for a C-contiguous (rows, 8 x k) float64 array (k = 1 to 16), the same numbers,
    several times faster on many rows.

    numpy adds the values of a row (up to 128) in eight running sums, ``r[j] = a[j] + a[8 + j] + ...``,
    then pairwise, ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))``; this adds them in the same
    order a column at a time over every row (a unit test checks the two agree bitwise).
    """
    if (a.ndim != 2 or a.dtype != np.float64 or not a.flags.c_contiguous or a.shape[1] % 8
            or not 8 <= a.shape[1] <= 128):
        return a.sum(axis=1)
    r = a[:, :8]
    for start in range(8, a.shape[1], 8):
        r = r + a[:, start:start + 8]
    c = [r[:, k] for k in range(8)]
    left = c[0] + c[1]
    left += c[2] + c[3]
    right = c[4] + c[5]
    right += c[6] + c[7]
    left += right
    return left

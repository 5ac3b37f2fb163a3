"""The observer Attachment Q-Sort (AQS: Waters & Deane 1985; Vaughn & Waters 1990) at each assessment age.

Beyond about 20 months the Strange Situation loses its power to stress a toddler, and researchers
describe secure-base behaviour at home instead: an observer watches the child for a few hours
and sorts 90 descriptions of behaviour into 9 piles of 10, from most to least like the child. The
security score is the correlation of that sort with the criterion sort experts made for the
prototypically secure child (-1 to 1). The AQS is valid from 12 to 48 months (Waters & Deane
1985; van IJzendoorn, Vereijken, Bakermans-Kranenburg & Riksen-Walraven 2004).

Simulated as the procedure is: each item's salience for the child is its criterion value
(standardised) times the child's likeness to the secure prototype, plus the item's idiosyncratic
noise for this child and observer; the observer ranks the items into the forced 9 x 10 piles; the
score is the correlation of the piles with the criterion. The child's likeness comes from the same
working model as the Strange Situation (``security_index``: the expected security given
availability, unpredictability, rejection, fear and strategy), so the two measures converge
through the working model, not by construction, and each has its own measurement error.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..model import streams
from ..model.calendar import month_day
from ..model.component import Analyzer, Column
from ..model.params import Section, param
from ..model.state import DyadState
from .strange_situation import security_index

ITEMS = 90
PILES = 9
"""The AQS (version 3): 90 items sorted into 9 piles of 10 (Waters 1995: a definition of the instrument)."""


class QSortParams(Section):
    """The observer Attachment Q-Sort (in ``[assessment]``)."""

    aqs_likeness_per_security: float = param(
        1.5, "the child's likeness to the secure prototype per unit of expected security (0..1)", unit="1",
        ge=0.0, le=10.0,
        source="assumption: the whole range of expected security spans children unlike and like the prototype; "
               "not fitted to the AQS validation rows (Q1-Q4)")
    aqs_neutral_security: float = param(
        0.22, "expected security (0..1) at which a child is as unlike the secure prototype as like it (score 0)",
        unit="1", ge=0.0, le=1.0,
        source="set so that community children's mean AQS score at 24 months is about .3 (0.32 with 2,000 "
               "dyads of first_1001_days, seed 1, when set; 0.37 with the model of 2026-12-04), the typical level of observer AQS security in non-clinical "
               "samples (approximately: the studies of van IJzendoorn et al. 2004); a level, not a correlation: "
               "not fitted to Q1-Q4")


def criterion() -> np.ndarray:
    """The criterion sort's piles, standardised: 10 items in each of the 9 piles (which items stand
    where does not change a correlation, so the items are in pile order)."""
    piles = np.repeat(np.arange(1, PILES + 1, dtype=float), ITEMS // PILES)
    return (piles - piles.mean()) / piles.std()


def q_sort(s: DyadState, params: QSortParams, z: np.ndarray) -> np.ndarray:
    """The AQS security score (-1..1) of the rows of ``s``; ``z``: standard normals of shape (rows, ITEMS)."""
    c = criterion()
    likeness = params.aqs_likeness_per_security * (security_index(s, params) - params.aqs_neutral_security)
    salience = likeness[:, None] * c[None, :] + z
    # the observer's forced sort: ranks 0..89 -> piles 1..9, ten per pile
    ranks = np.argsort(np.argsort(salience, axis=1, kind="stable"), axis=1)
    piles = (ranks // (ITEMS // PILES)).astype(float)
    piles -= piles.mean(axis=1, keepdims=True)
    score = (piles @ c) / (np.sqrt((piles ** 2).sum(axis=1)) * np.sqrt((c ** 2).sum()))
    return np.clip(score, -1.0, 1.0)


class AttachmentQSort(Analyzer):
    """The observer AQS at each of ``simulation.assessment_ages`` (end of the last day of that month)."""

    name = "attachment_q_sort"
    summary = "observer Attachment Q-Sort (security score -1..1) at each assessment age"
    parameters = {"assessment": QSortParams}
    columns = (Column("aqs_security_<age>m", "observer AQS security score (-1..1) at every assessment age"),)

    def start(self, model) -> None:
        model.q_sorts = {}

    def schedule(self, params) -> dict[int, int]:
        return {month_day(age) - 1: age for age in params.simulation.assessment_ages}

    def measure(self, model, age: int) -> None:
        # the items' noise by inversion of uniforms (not numpy's ziggurat normals, which take a varying
        # number of the bit generator's outputs each): a cohort block reaches its own rows by a jump
        # (streams.uniforms_of) instead of drawing and dropping 90 normals for every dyad before it
        z = special.ndtri(streams.uniforms_of(model.seed, f"aqs:{age}", (model.n, ITEMS)).astype(np.float64))
        model.q_sorts[age] = q_sort(model.state, model.params.assessment, z)

    def table(self, model) -> dict[str, np.ndarray]:
        return {f"aqs_security_{age}m": score for age, score in sorted(model.q_sorts.items())}

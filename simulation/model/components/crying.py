"""How long each distress episode lasts: the day's minutes of fussing and crying.

An unsoothed cry lasts until it settles by itself; one soothed within the infant's comfort window
stops early, one soothed later (or after a repair) half-way, except for the share that resists any
soothing in the first weeks (``signals.inconsolable_share``: Barr 1990; St James-Roberts et al.
2006). Intensity rises with temperament and amplification and falls with soothability.

The model's position on crying and care. Each cry answered promptly ends sooner, so an infant
whose cries are answered cries fewer minutes; answering does not teach the infant to cry more
("spoiling" is not in the model, and V6 checks that prompt early responding does not go with
more crying later: Bell & Ainsworth 1972; the critical replication of Hubbard & van IJzendoorn
1991 found no spoiling either, and little effect at all once early crying was controlled).
Worse care therefore never lowers crying: muting hides the bid, not the distress (avoidant
infants did not cry less at home: Ainsworth, Blehar, Waters & Wall 1978), so a muted cry lasts as
long as the cry it was (``felt_cry``) and hidden distress is left unsoothed. What care cannot
change is the early crying of the first weeks, much of which resists any soothing (Barr, Konner,
Bakeman & Adamson 1991; St James-Roberts et al. 2006). A day's episodes add up to at most
``MINUTES_PER_DAY``: episodes do not overlap.
"""

from __future__ import annotations

import numba
import numpy as np

from ..component import Component, Today, Var
from ..episodes import Episodes
from ..params import Section, param
from .signals import inconsolable_share
from ..state import DyadState

MINUTES_PER_DAY = 24 * 60
"""Crying episodes do not overlap, so a day holds at most this many minutes of them."""


class CryingParams(Section):
    """Length of distress episodes (in ``[infant]``)."""

    cry_minutes: float = param(16.0, "minutes an unsoothed cry lasts before it settles by itself", unit="min",
                               ge=0.0, le=120.0, source="calibrated: L4 (Wolke et al. 2017), docs/ODD.md section 8")
    early_inconsolable: float = param(0.5, "share of a soothed cry that goes on regardless in the first weeks "
                                           "(fades as self-regulation matures, by about 3 months)", unit="1",
                                      ge=0.0, le=1.0, source="calibrated: L4 (Wolke et al. 2017), docs/ODD.md "
                                                             "section 8; Barr 1990; St James-Roberts et al. 2006")
    fuss_length: float = param(0.4, "length of a fuss relative to a cry", unit="1", ge=0.0, le=1.0,
                               source="assumption: fussing is milder and shorter than crying")
    late_soothing_length: float = param(0.5, "length of a cry soothed late or after a repair, relative to an "
                                             "unsoothed one", unit="1", ge=0.0, le=1.0,
                                        source="assumption: half-way")
    contingent_soothing_length: float = param(0.15, "length of a cry soothed within the infant's comfort window, "
                                                    "relative to an unsoothed one", unit="1", ge=0.0, le=1.0,
                                              source="assumption: a prompt answer stops a cry early (Bell & "
                                                     "Ainsworth 1972)")
    temperament_crying: float = param(0.04, "log-change of a cry's length per SD of negative emotionality", unit="1/z",
                                      ge=0.0, le=2.0, source="calibrated: T1-T4 (Groh et al. 2017: temperament is only weakly associated "
                                               "with attachment), docs/ODD.md section 8; direction from Rothbart 1981")
    amplify_length: float = param(1.0, "relative lengthening of a cry under a full amplifying strategy", unit="1",
                                  ge=0.0, le=5.0, source="assumption: direction from Cassidy & Berlin 1994")
    unsoothable_length: float = param(1.5, "length factor of a cry at soothability 0 (it falls by one per unit of "
                                           "soothability)", unit="1", ge=1.0, le=5.0,
                                      source="assumption: the most soothable infants cry a third as long as the "
                                             "least")


CRYING_COUNTS = ("left_cries", "left_fusses", "late_cries", "late_fusses", "prompt_cries", "prompt_fusses")
"""What :func:`distress_counts` counts, in the order of its arguments (names)."""


@numba.njit(cache=True, nogil=True)
def distress_counts(distress, felt_cry, soothed, contingent, left_cries, left_fusses, late_cries, late_fusses,
                    prompt_cries, prompt_fusses):
    """Per dyad: its distress episodes left unsoothed, soothed late (or after a repair) and soothed within
    the window, felt as a cry or as a fuss, counted in one pass over the slots into the last six
    arrays: compiled (numba)."""
    for i in range(distress.shape[0]):
        left_cry = left_fuss = late_cry = late_fuss = prompt_cry = prompt_fuss = 0
        for j in range(distress.shape[1]):
            d, cry, done, in_time = distress[i, j], felt_cry[i, j], soothed[i, j], contingent[i, j]
            left, late, prompt = d & ~done, d & done & ~in_time, d & in_time
            left_cry += left & cry
            left_fuss += left & ~cry
            late_cry += late & cry
            late_fuss += late & ~cry
            prompt_cry += prompt & cry
            prompt_fuss += prompt & ~cry
        left_cries[i], left_fusses[i], late_cries[i], late_fusses[i] = left_cry, left_fuss, late_cry, late_fuss
        prompt_cries[i], prompt_fusses[i] = prompt_cry, prompt_fuss


def crying_minutes(s: DyadState, ep: Episodes, age_days: float, infant: CryingParams,
                   share: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Minutes of fussing/crying of each dyad's day, and the part left unsoothed. A distress episode
    lasts as long as the distress felt (``ep.felt_cry``), whatever muting made of its expression.
    ``share``: the share of the day that is this caregiver's (two-caregiver households), which holds
    at most that share of the day's minutes."""
    base = (infant.cry_minutes * np.exp(infant.temperament_crying * s.negative_emotionality)
            * (1.0 + infant.amplify_length * s.amplify) * (infant.unsoothable_length - s.soothability))
    resists = inconsolable_share(age_days, infant)
    length = np.array([1.0, infant.late_soothing_length, infant.contingent_soothing_length])
    answered = length + (1.0 - length) * resists  # unsoothed, soothed late (or after repair), contingently
    # a distress episode lasts base x (1 for a felt cry, fuss_length for a fuss) x answered[how it was
    # soothed]: six kinds of episode, so each dyad's minutes are its counts of each kind times their lengths
    # (the same sums as adding the episodes one by one, to rounding; counting is cheaper than a length a slot;
    # soothed within the window: contingent answers are soothing ones)
    counts = {name: np.empty(len(base), dtype=np.int64) for name in CRYING_COUNTS}
    distress_counts(ep.distress, ep.felt_cry, ep.soothed, ep.contingent, *counts.values())

    def minutes_of(how: str, answered_length: float) -> np.ndarray:
        cries, fusses = counts[f"{how}_cries"], counts[f"{how}_fusses"]
        return base * ((cries + infant.fuss_length * fusses) * answered_length)

    unsoothed, late_minutes, prompt_minutes = (minutes_of(how, a) for how, a in zip(("left", "late", "prompt"),
                                                                                    answered))
    total = unsoothed + late_minutes + prompt_minutes
    # a day cannot hold more crying than it has minutes: where the episodes would add up to more
    # (only with extreme parameters), each is shortened in proportion
    cap = np.full(total.shape, float(MINUTES_PER_DAY)) if share is None else MINUTES_PER_DAY * share
    over = total > cap
    if over.any():
        shrink = cap[over] / total[over]
        total[over] = cap[over]
        unsoothed[over] *= shrink
    return total, unsoothed


class Crying(Component):
    """Minutes of fussing and crying today, and the part left unsoothed (the caregiver's burden).

    Sets ``t.minutes`` (per dyad) for the measures.
    """

    name = "crying"
    phase = "infant"
    summary = ("minutes of fussing and crying: unsoothed cries settle by themselves, soothed ones stop early; "
               "early bouts resist soothing until the 2-month shift")
    parameters = {"infant": CryingParams}
    state = (
        Var("cry_minutes_today", np.float64, "minutes of fussing and crying today", agent="caregiver"),
        Var("unsoothed_minutes", np.float64, "yesterday's minutes of unsoothed crying", agent="caregiver"),
    )

    def step(self, t: Today) -> None:
        minutes, unsoothed = crying_minutes(t.s, t.episodes, t.day, t.params.infant, t.share)
        t.s.cry_minutes_today[:] = minutes
        t.s.unsoothed_minutes[:] = unsoothed
        t.minutes = minutes

"""Who handles each episode, and whether the caregiver notices a signal and how she reads it.

- Relief: a share of the day's episodes (``relief_today``, from ``support``) is handled by a
  supporter who is there, with the supporter's quality.
- Noticing: a fuss, a smile or a face is noticed with the caregiver's attention today; a cry is
  louder, so it gets two chances. Attention falls with stress and fatigue (see ``sensitivity``).
  A muting infant hides a share of its distress (``signals.muted_share``): what would have been
  noticed goes unseen (``t.hidden``), and is no bid the infant learns from (Main 1990).
- Reading: the caregiver perceives a face's valence as its true valence minus their negative
  bias plus reading noise. Mothers at risk of depression read ambiguous and even happy infant
  faces as more negative (Pearson et al. 2010; Bjertrup et al. 2023); depressed mothers are
  less accurate at recognising infant happiness (Arteche et al. 2011). A face read as
  negative draws a soothing (mismatched, intrusive) answer instead of shared delight, and adds
  to the caregiver's perceived distress.
- The bias weighs on a face in proportion to its ambiguity, ``1 - clarity x |true valence|``:
  an interpretation bias is the reading of *ambiguous* information (Mathews & MacLeod 2005),
  and a clear expression leaves expectation less room. So the prenatal training of Bjertrup
  et al. (2023) moved the rating of ambiguous faces by about 5% of the scale while the
  recognition of happy faces improved only a little (d about 0.1-0.2: V8).
"""

from __future__ import annotations

import numba
import numpy as np
from scipy.special import ndtri

from ..component import Component, Draw, Today
from ..episodes import Selected
from ..params import BY_HAND, Section, param
from .signals import AMBIGUOUS, CRY, FUSS, NONE, SMILE, muted_share

CRY_CHANCES = 2
"""A cry is louder than a fuss: the caregiver gets two chances to notice it (a definition of 'louder')."""


class PerceptionParams(Section):
    """Reading the infant's faces (in ``[caregiver]``)."""

    face_reading_noise: float = param(0.35, "noise in reading an infant's face", unit="valence SD", gt=0.0, le=2.0,
                                      source=BY_HAND)
    read_threshold: float = param(0.3, "a perceived valence below -threshold reads as distress, above +threshold as "
                                       "delight, between as neutral", unit="valence", ge=0.0, le=1.0,
                                  source="assumption: the middle of the scale's outer thirds")
    clarity: float = param(0.9, "how much a clear expression resists the bias: a face of valence v is read with the "
                                "share 1 - clarity x |v| of the caregiver's bias", unit="1", ge=0.0, le=1.0,
                           source="calibrated: the two V8 task findings at once (docs/ODD.md section 8)")


def notice_probabilities(attention_today: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per caregiver: the probability of noticing a fuss, a smile or a face, and a cry (two chances)."""
    return attention_today, 1.0 - (1.0 - attention_today) ** CRY_CHANCES


def bias_weight(true_valence: np.ndarray, clarity: float) -> np.ndarray:
    """The share of the caregiver's bias that reaches a face of this true valence."""
    return 1.0 - clarity * np.minimum(np.abs(true_valence), 1.0)


def perceived_valence(true_valence: np.ndarray, negative_bias: np.ndarray, caregiver: PerceptionParams, u_read: np.ndarray) -> np.ndarray:
    """How the caregiver reads the signal's valence (-1 distress .. +1 delight)."""
    return (true_valence - bias_weight(true_valence, caregiver.clarity) * negative_bias[:, None]
            + caregiver.face_reading_noise * ndtri(u_read))


def reads_negative(perceived: np.ndarray, caregiver: PerceptionParams) -> np.ndarray:
    return perceived < -caregiver.read_threshold


def reads_positive(perceived: np.ndarray, caregiver: PerceptionParams) -> np.ndarray:
    return perceived > caregiver.read_threshold


NOTICE_FLAGS = ("active", "distress", "social", "relief", "noticed", "hidden", "own_faces")
"""The boolean arrays (dyads, slots) that :func:`notice_slots` fills (names)."""


@numba.njit(cache=True, nogil=True)
def notice_slots(kind, u_relief, u_notice, relief_today, quality, quiet, loud, quiet_shown, loud_shown,
                 active, distress, social, relief, noticed, hidden, own_faces):
    """Who handles each slot's signal and whether it is noticed (one row per dyad, one column per slot),
    written into the boolean arrays ``active`` .. ``own_faces``: compiled, one pass (numba).

    A supporter takes over a signal when the ``relief`` draw is below ``relief_today``, and notices
    it when the ``notice`` draw is below the supporter's ``quality``. The caregiver notices a fuss,
    a smile or a face when it is below ``quiet`` (today's attention) and a cry below ``loud`` (two
    chances), the distress a muting infant shows with the shares ``quiet_shown`` and ``loud_shown``
    of those; distress she would have noticed but the infant hid is ``hidden``. ``own_faces`` are
    the smiles and faces she noticed herself (read through her bias: :func:`perceived_valence`). Draws
    (float32) are compared with the probabilities (float64, one a dyad) exactly. (Branch-free, so that
    the compiler vectorises the loop.)
    """
    for i in range(kind.shape[0]):
        relief_p, q, quiet_p, loud_p, quiet_shown_p, loud_shown_p = (relief_today[i], quality[i], quiet[i], loud[i],
                                                                     quiet_shown[i], loud_shown[i])
        for j in range(kind.shape[1]):
            k, u = kind[i, j], u_notice[i, j]
            cry, fuss, is_active = k == CRY, k == FUSS, k != NONE
            is_distress = cry | fuss
            is_social = is_active & ~is_distress
            by_supporter = is_active & (u_relief[i, j] < relief_p)
            caregiver_notices = (cry & (u < loud_shown_p)) | (fuss & (u < quiet_shown_p)) | (is_social & (u < quiet_p))
            seen = is_active & ((by_supporter & (u < q)) | (~by_supporter & caregiver_notices))
            active[i, j], distress[i, j], social[i, j] = is_active, is_distress, is_social
            relief[i, j], noticed[i, j] = by_supporter, seen
            hidden[i, j] = (is_distress & ~by_supporter & ~caregiver_notices
                            & ((cry & (u < loud_p)) | (fuss & (u < quiet_p))))
            own_faces[i, j] = is_social & seen & ~by_supporter


class Perception(Component):
    """Who handles each episode (caregiver or supporter); noticed or not; faces read through the bias.

    Sets ``t.active``, ``t.distress``, ``t.social``, ``t.relief`` (a supporter took over),
    ``t.noticed``, ``t.hidden`` (distress the infant hid), ``t.read_negative`` and
    ``t.read_positive`` (dyads, slots). Where a supporter took over, the supporter's quality stands for
    the caregiver's probabilities (``response``).
    """

    name = "perception"
    phase = "infant"
    summary = ("who handles each episode (a supporter takes over a share); the caregiver notices it (a cry has two "
               "chances) and reads faces through her bias")
    parameters = {"caregiver": PerceptionParams}
    draws = (Draw("relief"), Draw("notice"), Draw("read"))

    def step(self, t: Today) -> None:
        s, u, c, kind, valence = t.s, t.u, t.params.caregiver, t.kind, t.valence
        # a fuss, smile or face is noticed with today's attention, a cry (louder) with two chances;
        # a muting infant hides a share of its distress: of what would be noticed, that share goes unseen
        quiet, loud = notice_probabilities(s.attention_today)
        shown = 1.0 - muted_share(s, t.params.infant)
        active, distress, social, relief, noticed, hidden, own_faces = (np.empty(kind.shape, dtype=bool)
                                                                        for _ in NOTICE_FLAGS)
        notice_slots(kind, u["relief"], u["notice"], s.relief_today, s.relief_quality, quiet, loud, quiet * shown,
                     loud * shown, active, distress, social, relief, noticed, hidden, own_faces)
        # faces the caregiver reads, through her bias; a supporter reads them as they are
        # (the readings of the true valence, with the faces she read herself put in: no copy of the valences)
        faces = Selected(own_faces)
        perceived = perceived_valence(faces.slots(valence), faces.dyads(s.negative_bias_today), c, faces.slots(u["read"]))
        read_negative = faces.put(reads_negative(valence, c), reads_negative(perceived, c))
        t.active, t.distress, t.social, t.relief, t.noticed = active, distress, social, relief, noticed
        t.hidden = hidden
        t.read_negative = social & noticed & read_negative
        t.read_positive = faces.put(reads_positive(valence, c), reads_positive(perceived, c))

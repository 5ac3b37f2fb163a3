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

import numpy as np
from scipy.special import ndtri

from ..component import Component, Draw, Today
from ..episodes import Selected, either
from ..numerics import below
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


class Perception(Component):
    """Who handles each episode (caregiver or supporter); noticed or not; faces read through the bias.

    Sets ``t.active``, ``t.distress``, ``t.social``, ``t.relief`` (a supporter took over),
    ``t.noticed``, ``t.hidden`` (distress the infant hid), ``t.read_negative`` and
    ``t.read_positive`` (dyads, slots), and ``t.who(draw, p)``: whether ``draw < p`` (``p``: the
    caregiver's probability, one per dyad), ``p`` being the supporter's quality where a supporter took over.
    """

    name = "perception"
    phase = "infant"
    summary = ("who handles each episode (a supporter takes over a share); the caregiver notices it (a cry has two "
               "chances) and reads faces through her bias")
    parameters = {"caregiver": PerceptionParams}
    draws = (Draw("relief"), Draw("notice"), Draw("read"))

    def step(self, t: Today) -> None:
        s, u, c, kind, valence = t.s, t.u, t.params.caregiver, t.kind, t.valence
        active = kind != NONE
        cry, fuss = kind == CRY, kind == FUSS
        distress = cry | fuss
        social = active & ~distress  # smiles and faces
        relief = active & below(u["relief"], s.relief_today)
        q = s.relief_quality

        def who(draw: np.ndarray, caregiver_p: np.ndarray) -> np.ndarray:
            """draw < p, p being the supporter's quality where a supporter took over, else the caregiver's
            (``caregiver_p``: one per dyad)."""
            return either(relief, below(draw, q), below(draw, caregiver_p))

        # a fuss, smile or face is noticed with today's attention, a cry (louder) with two chances
        quiet, loud = notice_probabilities(s.attention_today)
        # a muting infant hides a share of its distress: of what would be noticed, that share goes unseen
        shown = 1.0 - muted_share(s, t.params.infant)
        # (per dyad and kind of signal, then per slot: the same products as per slot, made once a dyad)
        u_notice = u["notice"]
        quiet_hit, loud_hit = below(u_notice, quiet), below(u_notice, loud)
        caregiver_notices = ((cry & below(u_notice, loud * shown)) | (fuss & below(u_notice, quiet * shown))
                             | (social & quiet_hit))
        hidden = distress & ~relief & ~caregiver_notices & ((cry & loud_hit) | (fuss & quiet_hit))
        noticed = active & either(relief, below(u_notice, q), caregiver_notices)
        # faces the caregiver reads, through her bias; a supporter reads them as they are
        # (the readings of the true valence, with the faces she read herself put in: no copy of the valences)
        faces = Selected(social & noticed & ~relief)
        perceived = perceived_valence(faces.slots(valence), faces.dyads(s.negative_bias_today), c, faces.slots(u["read"]))
        read_negative = faces.put(reads_negative(valence, c), reads_negative(perceived, c))
        t.active, t.distress, t.social, t.relief, t.noticed, t.who = active, distress, social, relief, noticed, who
        t.hidden = hidden
        t.read_negative = social & noticed & read_negative
        t.read_positive = faces.put(reads_positive(valence, c), reads_positive(perceived, c))

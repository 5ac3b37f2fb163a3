"""The caregiver's answer: whether, how fast, how well, repaired or not, frightening or not.

For every signal noticed (``perception``):

- *answer*: with today's responsiveness (trait, mood and stress: ``wellbeing``);
- *rebuff*: an answer to a bid for comfort can be a rebuff (turning away, irritation); a
  consistently rebuffing caregiver teaches the infant to mute its bids (Main 1981, 1990);
- *latency*: lognormal around today's median; an answer later than the infant's contingency
  window (about 2 s: Millar 1972) soothes but is not contingent for the infant's learning (V7);
- *match*: the first answer fits the need with the caregiver's accuracy; a smile or face read
  as negative gets a mismatched (soothing, intrusive) answer;
- *repair*: a mismatch is repaired within the episode with the caregiver's repair probability.
  Even healthy dyads are coordinated only about a third of the time and repair most
  mismatches (Tronick & Gianino 1986; Tronick & Cohn 1989); "good enough" caregiving misses
  often but repairs (Winnicott 1953);
- *frightening*: unresolved caregivers sometimes answer in a frightened or frightening way,
  more so under stress (Main & Hesse 1990; Schuengel et al. 1999); any caregiver may, under
  stress or depression (disrupted communication: Lyons-Ruth et al. 1999). The day's probability
  is ``fright_today``, set in ``wellbeing``.

A share of the day's episodes (``relief_today``, from ``support``) is handled by a supporter who
is there: noticed, answered and matched with the supporter's quality, promptly, never rebuffed
or frightening. These episodes soothe the infant but do not teach it about its caregiver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.special import ndtri

from . import perception
from .signals import AMBIGUOUS, CRY, FUSS, NONE, SMILE, inconsolable_share

RELIEF_LATENCY_S = 1.5
"""Median latency of a supporter who takes over an episode (s)."""
PER_KIND = np.array([0.4, 1.0])
"""Length of a fuss and of a cry, relative to a cry (``crying_minutes``)."""
ANSWERED = np.array([1.0, 0.5, 0.15])
"""Length of a distress episode left unsoothed, soothed late (or after repair), soothed contingently."""
MINUTES_PER_DAY = 24 * 60
"""Crying episodes do not overlap, so a day holds at most this many minutes of them."""


@dataclass(eq=False)
class Episodes:
    """Today's episodes: boolean or float arrays of shape (dyads, slots).

    ``prompt`` (the first answer came within the contingency window, for every slot) is worked
    out on first use: the day's rules only need it where the first answer matched
    (``coordinated``).
    """

    kind: np.ndarray
    active: np.ndarray
    relief: np.ndarray
    distress: np.ndarray
    social: np.ndarray
    noticed: np.ndarray
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
    _prompt: np.ndarray | Callable[[], np.ndarray] = field(default=None, repr=False)

    @property
    def prompt(self) -> np.ndarray:
        if callable(self._prompt):
            self._prompt = self._prompt()
        return self._prompt


class Selected:
    """Some of the day's episodes (where ``mask`` holds), as an array of shape (episodes, 1).

    Rules written for (dyads, slots) arrays apply unchanged to the selection, one row per
    episode: ``slots`` picks per-episode values, ``dyads`` the values of each episode's dyad.
    Expensive per-episode maths (normal quantiles, exponentials) then runs only where needed.
    """

    def __init__(self, mask: np.ndarray):
        self.flat = np.flatnonzero(mask)
        self.rows = self.flat // mask.shape[1]

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


def _either(cond: np.ndarray, if_true: np.ndarray, if_false: np.ndarray) -> np.ndarray:
    """Element-wise ``if_true`` where ``cond`` holds, else ``if_false`` (booleans)."""
    return (cond & if_true) | (~cond & if_false)


def within_window(median_latency, spread: float, u: np.ndarray, window_s: float) -> np.ndarray:
    """Whether a lognormal latency (``median_latency``, ``spread``; quantile ``u``) is within the window."""
    return median_latency * np.exp(spread * ndtri(u)) <= window_s


def median_latency(relief: np.ndarray, latency_today_s: np.ndarray) -> np.ndarray:
    """The supporter's median latency where a supporter took over, else the caregiver's today."""
    return np.where(relief, RELIEF_LATENCY_S, latency_today_s[:, None])


def answer(s, kind: np.ndarray, valence: np.ndarray, caregiver, window_s: float, u: dict) -> Episodes:
    """Resolve every episode of the day for the rows of ``s`` (see module docstring)."""
    active = kind != NONE
    distress = (kind == CRY) | (kind == FUSS)
    social = (kind == SMILE) | (kind == AMBIGUOUS)
    relief = active & (u["relief"] < s.relief_today[:, None])
    q = s.relief_quality[:, None]

    def who(draw: np.ndarray, caregiver_p: np.ndarray) -> np.ndarray:
        """draw < p, p being the supporter's quality where a supporter took over, else the caregiver's."""
        return _either(relief, draw < q, draw < caregiver_p)

    # a fuss, smile or face is noticed with today's attention, a cry (louder) with two chances
    quiet, loud = perception.notice_probabilities(s.attention_today)
    caregiver_notices = _either(kind == CRY, u["notice"] < loud[:, None], u["notice"] < quiet[:, None])
    noticed = active & _either(relief, u["notice"] < q, caregiver_notices)
    # faces the caregiver reads, through her bias; a supporter reads them as they are
    perceived = valence.copy()
    faces = Selected(social & noticed & ~relief)
    faces.put(perceived, perception.perceived_valence(faces.slots(valence), faces.dyads(s.negative_bias_today),
                                                      caregiver.face_reading_noise, faces.slots(u["read"])))
    read_negative = social & noticed & perception.reads_negative(perceived)
    read_positive = perception.reads_positive(perceived)

    answered = noticed & who(u["answer"], s.responsiveness_today[:, None])
    rebuffed = answered & distress & ~relief & (u["rebuff"] < s.rejection_today[:, None])
    engaged = answered & ~rebuffed

    fits_distress = distress & who(u["match"], s.accuracy_today[:, None])
    fits_smile = (kind == SMILE) & read_positive
    fits_face = (kind == AMBIGUOUS) & ~read_negative
    matched = engaged & (fits_distress | fits_smile | fits_face)
    mismatched = engaged & ~matched
    repaired = mismatched & who(u["repair"], s.repair[:, None])
    frightening = answered & ~relief & (u["fright"] < s.fright_today[:, None])

    # latencies matter only for answers that soothe: the first answer if it matched, the repair
    spread = caregiver.latency_spread
    first, second = Selected(matched), Selected(repaired)
    coordinated = first.put(np.zeros(kind.shape, dtype=bool), within_window(
        median_latency(first.slots(relief), first.dyads(s.latency_today_s)), spread, first.slots(u["latency"]),
        window_s))
    contingent = second.put(coordinated.copy(), within_window(
        median_latency(second.slots(relief), second.dyads(s.latency_today_s)), spread,
        second.slots(u["repair_latency"]), window_s))
    soothed = matched | repaired

    latency_today_s, u_latency = s.latency_today_s.copy(), u["latency"].copy()  # the day's draws are reused

    def prompt() -> np.ndarray:
        return within_window(median_latency(relief, latency_today_s), spread, u_latency, window_s)

    return Episodes(kind=kind, active=active, relief=relief, distress=distress, social=social, noticed=noticed,
                    read_negative=read_negative, answered=answered, rebuffed=rebuffed, matched=matched,
                    mismatched=mismatched, repaired=repaired, frightening=frightening, soothed=soothed,
                    contingent=contingent, coordinated=coordinated, _prompt=prompt)


def crying_minutes(s, ep: Episodes, age_days: float, infant) -> tuple[np.ndarray, np.ndarray]:
    """Minutes of fussing/crying of each distress episode, and the part left unsoothed.

    An unsoothed cry lasts until it settles by itself; a contingent answer stops it early, a
    late or repaired one half-way, except for the share that resists any soothing in the first
    weeks (``signals.inconsolable_share``). Intensity rises with temperament and amplification
    and falls with soothability. A day's episodes add up to at most ``MINUTES_PER_DAY``.
    """
    base = (infant.cry_minutes * np.exp(0.2 * s.negative_emotionality) * (1.0 + s.amplify)
            * (1.5 - s.soothability))
    resists = inconsolable_share(age_days, infant.early_inconsolable)
    answered = ANSWERED + (1.0 - ANSWERED) * resists
    cries = Selected(ep.distress)
    cry = (cries.slots(ep.kind) == CRY).astype(np.intp)  # a fuss is shorter than a cry
    how = cries.slots(ep.soothed).astype(np.intp) + cries.slots(ep.contingent)  # see ANSWERED
    minutes = cries.put(np.zeros(ep.kind.shape), cries.dyads(base)[:, None] * PER_KIND.take(cry) * answered.take(how))
    left = Selected(ep.distress & ~ep.soothed)
    unsoothed = left.put(np.zeros(ep.kind.shape), left.slots(minutes))
    total, unsoothed = minutes.sum(axis=1), unsoothed.sum(axis=1)
    # a day cannot hold more crying than it has minutes: where the episodes would add up to more
    # (only with extreme parameters), each is shortened in proportion
    over = total > MINUTES_PER_DAY
    if over.any():
        shrink = MINUTES_PER_DAY / total[over]
        total[over] = MINUTES_PER_DAY
        unsoothed[over] *= shrink
    return total, unsoothed

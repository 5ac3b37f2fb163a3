"""Infant needs and signals: how many bids a day, of which kind, with what true valence.

Kinds of signal (one per episode slot): cry, fuss, smile, ambiguous face. Rates depend on age,
temperament and the infant's attachment strategy so far, so that crying *emerges* from the
history of answers instead of being an input:

- distress is high for the first weeks, then drops: fussing and crying are on a plateau of
  about 2 h/day (117-133 min) for the first 6 weeks and fall to about 68 min/day by 10-12
  weeks (meta-analysis of Wolke, Bilgin & Samara 2017, 28 diary studies, 8,690 infants: no
  universal peak at 6 weeks, a drop after 8-9 weeks), and crying stays substantial through the
  first year (Vermillet et al. 2022). The drop is the "2-month shift" in the infant's own
  regulation (Barr 1990; Emde, Gaensbauer & Harmon 1976): it also ends the early bouts that
  resist soothing (``inconsolable_share``);
- infants high in negative emotionality signal distress more often and more intensely
  (Rothbart 1981);
- an amplifying (hyperactivating) strategy makes signals louder and more frequent (Cassidy &
  Berlin 1994). A muting (deactivating) one hides the bid, not the distress: the infant is as
  often distressed, but signals it more weakly (a cry comes out as a fuss) and hides a share of
  it from the caregiver (``muted_share``; Main 1990). Avoidant infants did not cry less at home
  (Ainsworth, Blehar, Waters & Wall 1978), and the distress a muting infant hides is left
  unsoothed, so muting does not shorten crying (``crying``);
- social smiles appear at about 6 weeks and are established by about 4 months
  (Messinger & Fogel 2007).
"""

from __future__ import annotations

import numba
import numpy as np
from scipy.special import expit

from ..calendar import DAYS_PER_WEEK
from ..component import Component, Draw, Today
from ..episodes import NO_AWAY
from ..numerics import ndtri32
from ..params import BY_HAND, Section, param
from ..state import DyadState

NONE, CRY, FUSS, SMILE, AMBIGUOUS = 0, 1, 2, 3, 4
# kind of a slot by the number of thresholds (distress, smile, face) its draw falls below,
# plus 4 if the cry draw says "cry": 3 -> fuss, or cry if the cry draw says so
KIND_BY_DRAW = np.array([NONE, AMBIGUOUS, SMILE, FUSS, NONE, AMBIGUOUS, SMILE, CRY], dtype=np.int8)
CRY_ROW = 4
"""Offset of the second half of KIND_BY_DRAW (the cry draw said "cry")."""
DISTRESS_VALENCE = -1.0
"""Cries and fusses are distress, the end of the -1 (distress) .. +1 (delight) valence scale (a
definition; only faces and smiles are read through the caregiver's bias, so no rule reads it)."""
SLOT_FILL = 0.95
"""At most this share of a day's slots hold a signal, so that the binomial number of signals
stays close to Poisson (numerical: ``simulation.episode_slots`` sets the capacity)."""
RATE_FLOOR = 1e-12
"""Guards a division by a zero rate (numerical)."""


class SignalParams(Section):
    """Infant signals (in ``[infant]``)."""

    distress_bids_per_day: float = param(6.0, "distress signals a day at 3 months, average temperament", unit="1/day",
                                         ge=0.0, le=30.0, source=BY_HAND)
    crying_peak: float = param(1.0, "extra distress signals in the first weeks, before the 2-month shift", unit="1",
                               ge=0.0, le=3.0, source="calibrated: L4 (Wolke et al. 2017), docs/ODD.md section 8")
    smile_bids_per_day: float = param(4.0, "social smiles a day once the social smile is established", unit="1/day",
                                      ge=0.0, le=30.0, source="assumption: a few social smiles an hour of face-to-face "
                                                              "play (Messinger & Fogel 2007)")
    ambiguous_faces_per_day: float = param(3.0, "ambiguous faces a day", unit="1/day", ge=0.0, le=30.0,
                                           source="assumption")
    regulation_weeks: float = param(8.0, "age at which the early-weeks regime of crying is half over (the 2-month "
                                         "shift)", unit="weeks", ge=1.0, le=52.0,
                                    source="Wolke et al. 2017 (a drop after 8-9 weeks); Barr 1990")
    regulation_width_weeks: float = param(1.2, "how gradual the 2-month shift is (the early regime is ~85% there at "
                                               "6 weeks and ~8% at 11 weeks)", unit="weeks", gt=0.0, le=10.0,
                                          source="assumption: the plateau to 6 weeks and the drop after 8-9 "
                                                 "weeks of Wolke et al. 2017")
    distress_decline_days: float = param(730.0, "time constant of the slow decline of distress over the first years",
                                         unit="days", gt=0.0, le=10000.0,
                                         source="assumption: crying stays substantial through the first year "
                                                "(Vermillet et al. 2022)")
    temperament_distress: float = param(0.05, "log-change of distress signals per SD of negative emotionality",
                                        unit="1/z", ge=0.0, le=2.0, source="calibrated: T1-T4 (Groh et al. 2017: temperament is only weakly associated "
                                               "with attachment), docs/ODD.md section 8; direction from Rothbart 1981")
    amplify_signals: float = param(0.5, "relative increase of distress signals under a full amplifying strategy",
                                   unit="1", ge=0.0, le=5.0, source="assumption: direction from Cassidy & Berlin 1994")
    mute_signals: float = param(0.3, "share of distress a full muting strategy hides from the caregiver (not "
                                     "signalled, so not noticed)", unit="1", ge=0.0, le=1.0,
                                source="assumption: direction from Main 1990")
    temperament_smiles: float = param(0.15, "log-decrease of smiles per SD of negative emotionality", unit="1/z",
                                      ge=0.0, le=2.0, source="assumption: direction from Rothbart 1981")
    social_smile_start_days: float = param(42.0, "age at which social smiles start", unit="days", ge=0.0, le=365.0,
                                           source="Messinger & Fogel 2007 (about 6 weeks)")
    social_smile_full_days: float = param(120.0, "age by which the social smile is established", unit="days",
                                          ge=1.0, le=730.0, source="Messinger & Fogel 2007 (about 4 months)")
    cry_temperament: float = param(0.1, "logit of a distress signal being a cry (not a fuss) per SD of negative "
                                        "emotionality", unit="logit/z", ge=0.0, le=5.0,
                                   source="calibrated: T1-T4 (Groh et al. 2017: temperament is only weakly associated "
                                               "with attachment), docs/ODD.md section 8; direction from Rothbart 1981")
    cry_amplify: float = param(2.0, "logit of a distress signal being a cry under a full amplifying strategy",
                               unit="logit", ge=0.0, le=10.0, source="assumption: direction from Cassidy & Berlin 1994")
    cry_mute: float = param(2.0, "logit decrease of a distress signal being a cry under a full muting strategy",
                            unit="logit", ge=0.0, le=10.0, source="assumption: direction from Main 1990")
    smile_valence: float = param(0.9, "valence of a social smile (and of a task's happy face)", unit="valence",
                                 ge=0.0, le=1.0, source="assumption: a clear, not maximal, expression of delight")
    ambiguous_spread: float = param(0.2, "SD of the true valence of ambiguous faces around 0", unit="valence",
                                    ge=0.0, le=1.0, source="assumption: faces rated neutral by adults "
                                                           "(Bjertrup et al. 2023's ambiguous faces)")


def early_weeks(age_days: float, infant: SignalParams) -> float:
    """How much of the early-weeks regime of crying is left at this age (1 at birth, ~0 by 12 weeks)."""
    return float(expit((infant.regulation_weeks - age_days / DAYS_PER_WEEK) / infant.regulation_width_weeks))


def crying_curve(age_days: float, infant: SignalParams) -> float:
    """Relative distress propensity by age: ``1 + peak`` in the first weeks, falling to 1 after
    the 2-month shift, then declining slowly over the first years."""
    return (1.0 + infant.crying_peak * early_weeks(age_days, infant)) * np.exp(-age_days / infant.distress_decline_days)


def inconsolable_share(age_days: float, infant) -> float:
    """The share of a soothed cry that goes on regardless, by age.

    Much early crying resists soothing: the bouts of the first weeks are often inconsolable,
    whatever the care, and this ends with the 2-month shift (Barr 1990; St James-Roberts et al.
    2006 found unsoothable bouts as often with very proximal as with distal care; the !Kung,
    answered within seconds, cried in bouts as often as Western infants, only shorter: Barr,
    Konner, Bakeman & Adamson 1991). ``infant.early_inconsolable`` is the share at birth.
    """
    return infant.early_inconsolable * early_weeks(age_days, infant)


def social_smile_onset(age_days: float, infant: SignalParams) -> float:
    """Share of the adult smile rate reached by age (0 before the start, 1 once established)."""
    start, full = infant.social_smile_start_days, infant.social_smile_full_days
    return float(np.clip((age_days - start) / (full - start), 0.0, 1.0))


def true_valence(infant: SignalParams) -> np.ndarray:
    """Valence of each kind (none, cry, fuss, smile, ambiguous face); ambiguous faces scatter around 0."""
    return np.array([0.0, DISTRESS_VALENCE, DISTRESS_VALENCE, infant.smile_valence, 0.0])


def signal_rates(s: DyadState, age_days: float, infant: SignalParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected distress signals, smiles and ambiguous faces a day, per dyad."""
    distress = (infant.distress_bids_per_day * crying_curve(age_days, infant)
                * np.exp(infant.temperament_distress * s.negative_emotionality)
                * (1.0 + infant.amplify_signals * s.amplify))
    smiles = (infant.smile_bids_per_day * social_smile_onset(age_days, infant)
              * np.exp(-infant.temperament_smiles * s.negative_emotionality))
    ambiguous = np.full(s.n, infant.ambiguous_faces_per_day)
    return distress, smiles, ambiguous


def muted_share(s: DyadState, infant: SignalParams) -> np.ndarray:
    """Per dyad: the share of its distress a muting infant hides from the caregiver (Main 1990)."""
    return infant.mute_signals * s.mute


@numba.njit(cache=True, nogil=True)
def signal_slots(u_kind, u_cry, p_distress, p_smile, p_face, p_cry, p_felt_cry, away, valences,
                 kind, felt_cry, valence):
    """Each slot's signal (one row per dyad, one column per slot), written into ``kind``, ``felt_cry``
    and ``valence``: compiled, one pass over the slots (numba).

    The slot's ``kind`` draw falls below ``p_distress`` (a distress signal), ``p_smile`` (a smile),
    ``p_face`` (an ambiguous face) or none of them (``p_distress <= p_smile <= p_face``, so counting the
    thresholds above it tells which); a distress signal is a cry rather than a fuss when the ``cry``
    draw is below ``p_cry``. Slots where ``away`` holds (the other caregiver's: households; an empty
    array when there are none) hold no signal. The felt distress is a cry when expressed as one, or
    when a fuss's ``cry`` draw is below ``p_felt_cry`` (muting weakens the expression, not the
    distress). The valence is that of the kind (``valences``: :func:`ambiguous_valences` then
    scatters the faces'). The draws are float32, the probabilities float64 (one a dyad): compared
    exactly. (Branch-free over the slots, whose kinds are unpredictable, so that the compiler
    vectorises the loop.)
    """
    check_away = away.shape[0] > 0
    for i in range(u_kind.shape[0]):
        distress_p, smile_p, face_p, cry_p, felt_p = p_distress[i], p_smile[i], p_face[i], p_cry[i], p_felt_cry[i]
        for j in range(u_kind.shape[1]):
            u, u_c = u_kind[i, j], u_cry[i, j]
            below = np.int8(u < distress_p) + np.int8(u < smile_p) + np.int8(u < face_p)
            k = KIND_BY_DRAW[below + CRY_ROW * np.int8(u_c < cry_p)]
            if check_away:
                k = NONE if away[i, j] else k
            kind[i, j] = k
            felt_cry[i, j] = (k == CRY) | ((k == FUSS) & (u_c < felt_p))
            valence[i, j] = valences[k]


@numba.njit(cache=True, nogil=True)
def ambiguous_valences(faces, u_valence, spread, valence):
    """The true valence of the ambiguous faces (flat indices ``faces``) scatters around theirs by ``spread``
    times the normal quantile of their ``valence`` draw (in float32, as for a float32 array): compiled
    (numba)."""
    spread32 = np.float32(spread)
    slots = valence.shape[1]
    for f in faces:
        i, j = f // slots, f % slots
        valence[i, j] += spread32 * ndtri32(u_valence[i, j])


class Signals(Component):
    """Today's signals: kind and true valence of each episode slot.

    Each slot holds at most one signal; its kind is read off one uniform draw, so the number of
    signals a day is binomial (close to Poisson) and the draws do not depend on the parameters.
    Sets ``t.kind`` (dyads, slots; NONE, CRY, FUSS, SMILE, AMBIGUOUS: the signal as expressed),
    ``t.felt_cry`` (the distress is a cry, before muting weakens it to a fuss) and ``t.valence``.
    """

    name = "signals"
    phase = "infant"
    summary = ("today's signals by age, temperament and strategy: cries and fusses, social smiles, ambiguous faces, "
               "with their true valence")
    parameters = {"infant": SignalParams}
    draws = (Draw("kind"), Draw("cry"), Draw("valence"))

    def step(self, t: Today) -> None:
        s, infant = t.s, t.params.infant
        u_kind, u_cry, u_valence = t.u["kind"], t.u["cry"], t.u["valence"]
        slots = t.params.simulation.episode_slots  # the day's slots (a caregiver of two may have some of them)
        distress, smiles, ambiguous = signal_rates(s, t.day, infant)
        total = distress + smiles + ambiguous
        scale = np.minimum(1.0, SLOT_FILL * slots / np.maximum(total, RATE_FLOOR))
        p_distress = distress * scale / slots
        p_smile = p_distress + smiles * scale / slots
        p_face = p_smile + ambiguous * scale / slots
        # the draw falls below p_distress (a fuss), p_smile (a smile), p_face (a face) or none of them
        # (p_distress <= p_smile <= p_face, so counting the thresholds above it tells which);
        # a distress signal is a cry rather than a fuss with a probability that rises with temperament
        # and an amplifying strategy and falls with a muting one
        felt = infant.cry_temperament * s.negative_emotionality + infant.cry_amplify * s.amplify
        p_cry = expit(felt - infant.cry_mute * s.mute)
        shape = u_kind.shape
        kind, felt_cry, valence = np.empty(shape, np.int8), np.empty(shape, bool), np.empty(shape, np.float64)
        signal_slots(u_kind, u_cry, p_distress, p_smile, p_face, p_cry, expit(felt),
                     NO_AWAY if t.away is None else t.away, true_valence(infant), kind, felt_cry, valence)
        ambiguous_valences(np.flatnonzero(kind == AMBIGUOUS), u_valence, infant.ambiguous_spread, valence)
        t.kind, t.felt_cry, t.valence = kind, felt_cry, valence

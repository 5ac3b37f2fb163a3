"""The Strange Situation (Ainsworth, Blehar, Waters & Wall 1978), simulated as a procedure.

The measure is the procedure, not a noisy read-out of the working model. Measurement error
comes from three places, as in a real laboratory: the infant's state on the day, the
interval-to-interval variability of what it does, and the coder.

**The procedure.** Eight episodes: 1, caregiver and infant are shown in (30 s); 2, caregiver
and infant; 3, a stranger joins them; 4, first separation (the stranger stays); 5, first
reunion (the stranger leaves); 6, the infant alone; 7, the stranger returns; 8, second
reunion; episodes 2-8 last 3 minutes each (Ainsworth et al. 1978, ch. 2). Curtailing a
separation for a very distressed infant is not simulated: every infant has the full episodes.
The procedure is simulated in 15-s intervals, the unit Ainsworth et al. (1978) coded crying and
exploration in, for all dyads at once (arrays of dyads x 86 intervals).

**Arousal** (0..1, the activation of the attachment system: Bowlby 1969) moves each interval
towards a target set by who is in the room: ``rest_arousal`` plus the day's shift (the infant
tired, unwell or long since a nap: ``day_state_sd``), plus, scaled by the infant's reactivity
``exp(reactivity_per_sd x negative_emotionality)`` (Vaughn, Lefever, Seifer & Barglow 1989:
temperament drives distress in the separations), ``stranger_arousal`` when the stranger is
there, ``separation_arousal`` when the caregiver is not and ``alone_arousal`` when nobody is.
It rises at ``rise_per_min``; it falls at ``self_settle_per_min`` alone, and with the caregiver
there at that plus ``comfort_per_min x soothability x availability x (1 - mute) x
(1 - amplify_slowing x amplify)``: comfort works through contact with a caregiver expected to be
available; the muting infant does not seek the contact, and the amplifying one is hard to settle
(Ainsworth et al. 1978; Cassidy & Berlin 1994). Within an episode the course is the exact
solution ``target + (start - target) (1 - r)^k``.

**Behaviour** in each interval (one uniform draw each, so that interval-to-interval variability
is the procedure's own): with ``activation = min(1, arousal / full_activation)``,

- crying with probability ``shown = arousal x (1 - mute_masking x mute)``, the distress shown, and
  exploration with ``1 - shown``: the muting infant explores and looks unconcerned while its heart
  rate and cortisol say otherwise (Sroufe & Waters 1977; Spangler & Grossmann 1993). Crying over
  the separation episodes (4, 6, 7) is reported as ``separation_crying``: temperament drives it
  more than it drives the classification (Vaughn et al. 1989);
- with the caregiver in the room, proximity seeking ``approach x activation`` where ``approach =
  (1 - mute) x clip(seek_base + seek_per_availability x availability + seek_per_amplify x
  amplify)`` (Bowlby 1973; Cassidy & Berlin 1994), contact maintaining ``approach x activation x
  (cling_share + (1 - cling_share) x amplify)`` and resistance ``amplify x activation``;
- at the reunions (episodes 5 and 8), avoidance ``mute`` and disorganised behaviour (freezing,
  approach-avoidance) ``clip(fear_disorganisation x fear + conflict_disorganisation x amplify x
  mute)`` (Main & Solomon 1990; Main & Hesse 1990).

**The coder** scores each reunion on the interactive scales (1-7) from the share of its
intervals with each behaviour, and disorganisation (1-9) once over both reunions, each score
with an independent error of SD ``coder_error`` scale points, rounded to half points. The
reported scale is ``second_reunion_weight`` x episode 8 + the rest x episode 5 (coders lean on the
second reunion), in half points. ``coder_error`` is set so that two coders scoring the same
procedures agree as trained coders do (``INTERCODER_AGREEMENT``, ``INTERCODER_KAPPA``).

**Classification** by the standard rules, simplified to the scales:

- D if DS >= 5 (Main & Solomon 1990); the forced A/B/C alternative is kept as well;
- A if AV >= 5 and AV >= RS (avoidance dominates the reunions);
- C if RS >= 5 and RS > AV (resistance with contact seeking);
- B otherwise.

**Security score**: a continuous composite of the same scales (in the spirit of the
discriminant-function score of Richters, Waters & Vaughn 1988), from 0 to 1:
``(PS + CM - RS - AV + 12) / 24 - security_disorganisation_weight x (DS - 1) / 8``.
:func:`security_index` is its noise-free expectation for today's working model (the same
formulas at the mean day and with every behaviour at its probability), cheap enough for the
daily records.

**Random numbers.** Each dyad's draws for one assessment are one contiguous row of the stream
``assessment:<age>``: the day's state, then the behaviour draws interval by interval, then the
first coder's errors. A second coder draws from ``assessment:<age>:coder2``. One dyad's procedure
can therefore be replayed exactly (:func:`trace_one`), and the daily streams are untouched.

The scale ranges (1-7, 1-9), the half-point rounding, the cut-offs of 5, the episodes and the
15-s interval are the coding system's and the procedure's own definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.special import ndtri

from ..model import streams
from ..model.calendar import DAYS_PER_MONTH, month_day
from ..model.component import Analyzer, Column
from ..model.params import Section, param
from ..model.state import DyadState

CLASSES = ("A", "B", "C", "D")
SCALE_NAMES = ("proximity_seeking", "contact_maintaining", "resistance", "avoidance", "disorganisation")
D_CUTOFF = 5.0
AV_CUTOFF = 5.0
RS_CUTOFF = 5.0
SCALE_TOP = {"disorganisation": 9.0}
"""Top of each scale (1-7, disorganisation 1-9: the coding system's definitions)."""
SEVEN_POINT = 7.0
HALF_POINTS = 2.0
"""Coders score in half points."""
BALANCE_RANGE = 12.0
"""PS + CM - RS - AV runs from -12 to 12 on four 1-7 scales (a consequence of the scales' definitions)."""

INTERCODER_AGREEMENT = 0.83
"""Share of A/B/C/D classifications on which two trained coders agree: approximately 83%, kappa
approximately .69, in the NICHD Early Child Care Research Network's 15-month Strange Situations (1997, Child
Dev 68:860); agreement in the 80-90% range is usual (Ainsworth et al. 1978; van IJzendoorn,
Schuengel & Bakermans-Kranenburg 1999). The target of ``coder_error``."""
INTERCODER_KAPPA = 0.69
"""Cohen's kappa between two trained coders on A/B/C/D (NICHD ECCRN 1997, approximately .69)."""

INTERVAL_S = 15.0
"""The procedure's time step: Ainsworth et al. (1978) coded crying and exploration in 15-s intervals."""
SECONDS_PER_MINUTE = 60.0
"""Unit: the rates are declared per minute."""


class Episode(NamedTuple):
    """One episode of the procedure: who is in the room with the infant, and for how long."""

    number: int
    name: str
    seconds: float
    caregiver: bool
    stranger: bool

    @property
    def intervals(self) -> int:
        return int(round(self.seconds / INTERVAL_S))

    @property
    def present(self) -> str:
        who = [w for w, here in (("caregiver", self.caregiver), ("stranger", self.stranger)) if here]
        return " and ".join(who) if who else "nobody"


EPISODES = (
    Episode(1, "caregiver and infant shown in", 30.0, True, False),
    Episode(2, "caregiver and infant", 180.0, True, False),
    Episode(3, "stranger joins", 180.0, True, True),
    Episode(4, "first separation", 180.0, False, True),
    Episode(5, "first reunion", 180.0, True, False),
    Episode(6, "infant alone", 180.0, False, False),
    Episode(7, "stranger returns", 180.0, False, True),
    Episode(8, "second reunion", 180.0, True, False),
)
"""The eight episodes (Ainsworth et al. 1978, ch. 2): number, name, length, caregiver and stranger present."""
REUNIONS = (5, 8)
"""The reunion episodes, which the interactive scales are scored on (Ainsworth et al. 1978)."""

_STEPS = tuple((e.number, e.intervals, e.caregiver, e.stranger) for e in EPISODES)
_LONGEST = max(e.intervals for e in EPISODES)
EPISODE_OF = np.concatenate([np.full(e.intervals, e.number) for e in EPISODES])
"""Episode number of each interval of the procedure."""
INTERVALS = EPISODE_OF.size
CAREGIVER_IN = np.concatenate([np.full(e.intervals, e.caregiver) for e in EPISODES])
IN_REUNION = np.isin(EPISODE_OF, REUNIONS)
BEHAVIOURS = ("exploring", "crying", "proximity_seeking", "contact_maintaining", "resistance", "avoidance",
              "disorganised")
"""What the infant may do in an interval (one uniform draw each per interval)."""
SEPARATIONS = tuple(e.number for e in EPISODES if not e.caregiver)
"""The episodes without the caregiver (4, 6, 7): separation crying is counted over them."""
REUNION_SCALES = ("proximity_seeking", "contact_maintaining", "resistance", "avoidance")
"""The interactive scales scored per reunion (disorganisation is scored once for the procedure)."""
CODER_DRAWS = len(REUNION_SCALES) * len(REUNIONS) + 1
"""A coder's errors: each reunion scale in each reunion, and disorganisation."""
ROW_DRAWS = 1 + INTERVALS * len(BEHAVIOURS) + CODER_DRAWS
"""Draws per dyad and assessment: the day's state, the behaviours, the first coder's errors."""
CHUNK_ROWS = 4096
"""Dyads assessed at a time (numerical: bounds the procedure's memory whatever the population size)."""
INDEX_CHUNK_ROWS = 16384
"""Dyads of the daily security index worked out at a time (numerical: it reads the reunions only, so a
larger chunk keeps its memory small and costs less numpy overhead per dyad)."""
SECOND_CODER = "coder2"
PREVIEW_STREAM = "app:preview"
"""The stream of an assessment previewed on today's state (the app), so the model's own are untouched."""


class StrangeSituationParams(Section):
    """How the Strange Situation runs and is coded (in ``[assessment]``)."""

    rest_arousal: float = param(0.15, "arousal of a rested infant with its caregiver in the unfamiliar room",
                                unit="0..1 arousal", ge=0.0, le=1.0,
                                source="assumption: mild; exploration dominates episodes 1-2 "
                                       "(Ainsworth et al. 1978)")
    stranger_arousal: float = param(0.15, "arousal added by the stranger's presence", unit="0..1 arousal",
                                    ge=0.0, le=1.0,
                                    source="assumption: wariness of the stranger is milder than separation "
                                           "distress (Ainsworth et al. 1978: little crying in episode 3)")
    separation_arousal: float = param(0.4, "arousal added by the caregiver's absence", unit="0..1 arousal",
                                      ge=0.0, le=1.0,
                                      source="assumption: size; direction from Ainsworth et al. 1978 (distress "
                                             "rises sharply in the separation episodes)")
    alone_arousal: float = param(0.2, "arousal added when nobody is in the room", unit="0..1 arousal",
                                 ge=0.0, le=1.0,
                                 source="assumption: size; direction from Ainsworth et al. 1978 (crying peaks "
                                        "when the infant is left alone, episode 6)")
    rise_per_min: float = param(1.5, "rate at which arousal rises towards its target", unit="1/min",
                                ge=0.01, le=60.0,
                                source="assumption: separation distress builds within about a minute")
    self_settle_per_min: float = param(0.1, "rate at which arousal settles without comfort", unit="1/min",
                                       ge=0.0, le=60.0,
                                       source="assumption: an aroused infant alone settles only over minutes")
    comfort_per_min: float = param(4.0, "settling added by the caregiver's comfort, at full availability and "
                                        "soothability", unit="1/min", ge=0.0, le=60.0,
                                   source="assumption: an infant of the good-enough profile (availability about "
                                          ".4, soothability .6) settles within a minute or so of the reunion "
                                          "and returns to play (Ainsworth et al. 1978, group B)")
    amplify_slowing: float = param(0.8, "share of the comfort lost at full amplification", unit="1",
                                   ge=0.0, le=1.0,
                                   source="assumption: size; direction from Ainsworth et al. 1978 and Cassidy "
                                          "& Berlin 1994 (resistant infants are not settled by contact)")
    mute_masking: float = param(0.8, "share of arousal hidden from view at full muting", unit="1", ge=0.0, le=1.0,
                                source="assumption: size; direction from Sroufe & Waters 1977 (heart rate) "
                                       "and Spangler & Grossmann 1993 (cortisol): avoidant infants are aroused at "
                                       "reunion while showing little distress")
    reactivity_per_sd: float = param(0.2, "log-change of the arousal drives per SD of negative emotionality",
                                     unit="1 per SD", ge=0.0, le=2.0,
                                     source="assumption: size; direction from Vaughn, Lefever, Seifer & Barglow "
                                            "1989 (temperament predicts distress in the separations, not the "
                                            "classification)")
    day_state_sd: float = param(0.08, "SD of the day's shift of arousal (tired, unwell, long since a nap)",
                                unit="0..1 arousal", ge=0.0, le=1.0,
                                source="assumption: small, since an unwell infant's procedure is postponed "
                                       "(Ainsworth et al. 1978); with the coder and the intervals it makes the "
                                       "same infant on two days agree less than two coders on one day")
    full_activation: float = param(0.25, "arousal at and above which attachment behaviour is shown at full "
                                         "strength", unit="0..1 arousal", ge=0.01, le=1.0,
                                   source="calibrated: keeps the A/B/C/D shares of the read-out of the working "
                                          "model that the procedure replaced (within about 3 points in seven "
                                          "scenarios) and the daily security index rising with availability")
    seek_base: float = param(0.2, "proximity seeking of an activated, non-muting infant that expects no "
                                  "availability", unit="1", ge=0.0, le=1.0,
                             source="assumption: attachment behaviour is activated by distress whatever the "
                                    "expectation (Bowlby 1969)")
    seek_per_availability: float = param(0.8, "proximity seeking added per unit of expected availability",
                                         unit="1", ge=0.0, le=5.0,
                                         source="assumption: size; direction from Bowlby 1973 (proximity seeking "
                                                "follows the expected availability of the figure)")
    seek_per_amplify: float = param(0.3, "proximity seeking added at full amplification", unit="1", ge=0.0, le=5.0,
                                    source="assumption: size; direction from Cassidy & Berlin 1994 (the "
                                           "hyperactivating strategy heightens proximity and contact seeking)")
    cling_share: float = param(0.6, "share of its activated time a non-amplifying infant holds on to contact",
                               unit="1", ge=0.0, le=1.0,
                               source="assumption: amplifying infants hold on throughout (Cassidy & Berlin "
                                      "1994), others until settled")
    fear_disorganisation: float = param(0.95, "share of reunion intervals with disorganised behaviour per unit of "
                                             "fear of the caregiver", unit="1", ge=0.0, le=5.0,
                                        source="calibrated: keeps the share D of the read-out the procedure "
                                               "replaced (V1, fitted with caregiver.frightening); direction from "
                                               "Main & Hesse 1990 (fright without solution)")
    conflict_disorganisation: float = param(0.5, "share of reunion intervals with disorganised behaviour when both "
                                                 "strategies are fully active", unit="1", ge=0.0, le=5.0,
                                            source="assumption: approach and avoidance at once (Main & Solomon "
                                                   "1990); half the weight of fear")
    second_reunion_weight: float = param(2.0 / 3.0, "weight of episode 8 in the reported scales (episode 5: "
                                                     "the rest)", unit="1", ge=0.0, le=1.0,
                                         source="assumption: coders lean on the second reunion, where the "
                                                "attachment system is most activated (Ainsworth et al. 1978)")
    coder_error: float = param(1.1, "SD of a coder's error on one scale score", unit="scale points",
                               ge=0.0, le=4.0,
                               source="calibrated: two coders on the same procedures agree about 83% on "
                                      "A/B/C/D, kappa about .69 (NICHD ECCRN 1997; S3): 81.6%, kappa .70 in "
                                      "community (2,000 dyads, 5 seeds); measured by "
                                      "tests/unit/measures/test_strange_situation.py::"
                                      "test_two_coders_agree_like_trained_coders")
    security_disorganisation_weight: float = param(0.5, "weight of disorganisation (0..1 of its scale) in the "
                                                        "security score", unit="1", ge=0.0, le=1.0,
                                                   source="assumption: after Richters, Waters & Vaughn 1988's "
                                                          "composite, disorganisation halves a secure score")


@dataclass
class Procedure:
    """What happened in one Strange Situation, per dyad and 15-s interval (``EPISODE_OF`` etc. say when)."""

    day_state: np.ndarray
    """The day's state (z: + tired, unwell, long since a nap)."""
    arousal: np.ndarray
    """Arousal at the end of each interval, (dyads, intervals)."""
    shown: np.ndarray
    """Distress shown (arousal not masked by muting)."""
    behaviour: dict[str, np.ndarray]
    """Each of ``BEHAVIOURS``: did the infant do it in the interval (bool, (dyads, intervals))."""


@dataclass
class Assessment:
    """One assessment: the five scales, the class (A/B/C/D), the forced A/B/C, the security score."""

    proximity_seeking: np.ndarray
    contact_maintaining: np.ndarray
    resistance: np.ndarray
    avoidance: np.ndarray
    disorganisation: np.ndarray
    attachment: np.ndarray
    attachment_abc: np.ndarray
    security: np.ndarray
    by_reunion: dict[str, np.ndarray] = field(default_factory=dict)
    """Each reunion scale per reunion (``proximity_seeking_5``, ``..._8``)."""
    inputs: dict[str, np.ndarray] = field(default_factory=dict)
    """The infant's working model and temperament on the day (to replay one dyad: :func:`trace_one`)."""
    separation_crying: np.ndarray | None = None
    """Share of the separation episodes' intervals with crying (Ainsworth et al. 1978 counted crying by
    15-s intervals)."""
    attachment_coder2: np.ndarray | None = None
    """A/B/C/D given by a second, independent coder of the same procedures (if one coded them)."""
    procedure: Procedure | None = None
    """The per-interval trace, when asked for."""


INPUTS = ("availability", "amplify", "mute", "fear", "negative_emotionality", "soothability")
"""The infant's state the procedure reads."""


def _inputs(s: Any, rows: slice = slice(None)) -> dict[str, np.ndarray]:
    """Copies of the ``INPUTS`` rows (a snapshot: the state moves on after the assessment)."""
    return {name: np.array(np.asarray(getattr(s, name))[rows], dtype=np.float64) for name in INPUTS}


def _per_interval(per_min: np.ndarray | float) -> np.ndarray | float:
    """A rate per minute as the share of the remaining distance covered in one interval."""
    return -np.expm1(-np.asarray(per_min) * INTERVAL_S / SECONDS_PER_MINUTE)


@cache
def _powers(per_min: float) -> np.ndarray:
    """``(1 - rate)^k`` for k = 1..the longest episode, at a rate per minute shared by every dyad
    (cached: the daily security index needs it every day; read-only)."""
    out = (1.0 - _per_interval(per_min)) ** np.arange(1, _LONGEST + 1)
    out.flags.writeable = False
    return out


def arousal_course(inp: dict[str, np.ndarray], p: StrangeSituationParams, shift: np.ndarray | float = 0.0,
                   episodes: tuple[int, ...] | None = None) -> np.ndarray:
    """Arousal at the end of each interval of ``episodes`` (default all), (dyads, intervals), no noise.

    ``shift``: the day's shift of the resting level. Exact within an episode (the target and the
    rate are constant there, and the course never crosses the target).
    """
    parts = _arousal_parts(inp, p, shift, episodes)
    return np.concatenate(parts, axis=1) if parts else np.zeros((len(inp["availability"]), 0))


def _arousal_parts(inp: dict[str, np.ndarray], p: StrangeSituationParams, shift: np.ndarray | float = 0.0,
                   episodes: tuple[int, ...] | None = None) -> list[np.ndarray]:
    """:func:`arousal_course` one episode at a time: a (dyads, intervals) array for each of ``episodes``."""
    a, amp, mute = (np.clip(inp[k], 0.0, 1.0) for k in ("availability", "amplify", "mute"))
    rest = np.clip(p.rest_arousal + shift + np.zeros_like(a), 0.0, 1.0)
    reactivity = np.exp(p.reactivity_per_sd * inp["negative_emotionality"])
    comfort = p.comfort_per_min * inp["soothability"] * a * (1.0 - mute) * (1.0 - p.amplify_slowing * amp)
    # (1 - rate)^k for k = 1..K: rising and settling alone are the same for every dyad; settling with
    # the caregiver is each dyad's own (cumulative products: cheaper than powers, for the daily index)
    rise = _powers(p.rise_per_min)
    alone = _powers(p.self_settle_per_min)
    keep_with = 1.0 - _per_interval(p.self_settle_per_min + np.maximum(comfort, 0.0))
    # (the products of np.cumprod, one interval at a time over every dyad: several times faster)
    powers = np.empty((_LONGEST, a.size))
    powers[0] = keep_with
    for k in range(1, _LONGEST):
        np.multiply(powers[k - 1], keep_with, out=powers[k])
    with_caregiver = powers.T
    x = rest
    out = []
    for number, intervals, caregiver, stranger in _STEPS:
        drive = (p.stranger_arousal * stranger
                 + (not caregiver) * (p.separation_arousal + p.alone_arousal * (not stranger)))
        target = np.minimum(rest + reactivity * drive, 1.0) if drive else rest
        up = target > x
        settle = with_caregiver if caregiver else alone[None, :]
        if episodes is None or number in episodes:
            # rising where the target is above, else settling (in column order, as the course always was:
            # the mean of a row over a reunion adds its intervals in that order)
            factor = np.empty((a.size, intervals), order="F")
            factor[...] = settle[:, :intervals]
            factor[up] = rise[:intervals]
            course = target[:, None] + (x - target)[:, None] * factor
            out.append(course)
            x = course[:, -1]
        else:
            last = intervals - 1
            x = target + (x - target) * np.where(up, rise[last], settle[:, last])
    return out


def organisation(inp: dict[str, np.ndarray], p: StrangeSituationParams) -> dict[str, np.ndarray]:
    """Per dyad, how its strategy organises each behaviour towards the caregiver: the probability
    in an interval at full activation (proximity seeking, contact maintaining, resistance; with the
    caregiver in the room) or at a reunion (avoidance, disorganised behaviour)."""
    a, amp, mute, fear = (np.clip(inp[k], 0.0, 1.0) for k in ("availability", "amplify", "mute", "fear"))
    seek = p.seek_base + p.seek_per_availability * a + p.seek_per_amplify * amp
    approach = (1.0 - mute) * np.clip(seek, 0.0, 1.0)
    return {
        "proximity_seeking": approach,
        "contact_maintaining": approach * (p.cling_share + (1.0 - p.cling_share) * amp),
        "resistance": amp,
        "avoidance": mute,
        "disorganised": np.clip(p.fear_disorganisation * fear + p.conflict_disorganisation * amp * mute, 0.0, 1.0),
    }


ACTIVATED = ("proximity_seeking", "contact_maintaining", "resistance")
"""Behaviours shown in proportion to the attachment system's activation, whenever the caregiver is there."""
AT_REUNION = ("avoidance", "disorganised")
"""Behaviours that answer the caregiver's return (the reunions only)."""


def activation(arousal: np.ndarray, p: StrangeSituationParams) -> np.ndarray:
    return np.minimum(arousal / p.full_activation, 1.0)


def behaviour_probabilities(inp: dict[str, np.ndarray], p: StrangeSituationParams, arousal: np.ndarray,
                            columns: np.ndarray) -> dict[str, np.ndarray]:
    """Probability of each of ``BEHAVIOURS`` in the intervals ``columns`` of the procedure, given the arousal there."""
    org = organisation(inp, p)
    act = activation(arousal, p)
    shown = arousal * (1.0 - p.mute_masking * np.clip(inp["mute"], 0.0, 1.0)[:, None])
    out = {"exploring": np.clip(1.0 - shown, 0.0, 1.0), "crying": np.clip(shown, 0.0, 1.0)}
    for name in ACTIVATED:
        out[name] = CAREGIVER_IN[columns] * org[name][:, None] * act
    for name in AT_REUNION:
        out[name] = np.outer(org[name], IN_REUNION[columns])
    return out


def _scale(share: np.ndarray, name: str) -> np.ndarray:
    return 1.0 + (SCALE_TOP.get(name, SEVEN_POINT) - 1.0) * share


def _half_points(score: np.ndarray, name: str) -> np.ndarray:
    top = SCALE_TOP.get(name, SEVEN_POINT)
    return np.round(np.clip(score, 1.0, top) * HALF_POINTS) / HALF_POINTS


def code(behaviour: dict[str, np.ndarray], p: StrangeSituationParams, errors: np.ndarray | None,
         columns: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """A coder's scores from the behaviour of each interval (``columns``: which intervals they are).

    ``errors``: the coder's standard-normal errors, (dyads, ``CODER_DRAWS``); None scores the
    expectation (no error, no rounding: ``behaviour`` then holds probabilities).
    """
    columns = np.arange(INTERVALS) if columns is None else columns
    episode = EPISODE_OF[columns]
    out: dict[str, np.ndarray] = {}
    i = 0
    for name in REUNION_SCALES:
        for number in REUNIONS:
            score = _scale(behaviour[name][:, episode == number].mean(axis=1), name)
            if errors is not None:
                score = _half_points(score + p.coder_error * errors[:, i], name)
            out[f"{name}_{number}"] = score
            i += 1
        later, earlier = out[f"{name}_{REUNIONS[-1]}"], out[f"{name}_{REUNIONS[0]}"]
        combined = p.second_reunion_weight * later + (1.0 - p.second_reunion_weight) * earlier
        out[name] = combined if errors is None else _half_points(combined, name)
    ds = _scale(behaviour["disorganised"][:, np.isin(episode, REUNIONS)].mean(axis=1), "disorganisation")
    out["disorganisation"] = ds if errors is None else _half_points(ds + p.coder_error * errors[:, i],
                                                                      "disorganisation")
    return out


def classify(ps, cm, rs, av, ds) -> tuple[np.ndarray, np.ndarray]:
    """A/B/C/D and the forced A/B/C from the interactive scales (rules in the module docstring)."""
    av, rs, ds = np.asarray(av, float), np.asarray(rs, float), np.asarray(ds, float)
    avoidant = (av >= AV_CUTOFF) & (av >= rs)
    resistant = (rs >= RS_CUTOFF) & (rs > av)
    abc = np.where(avoidant, "A", np.where(resistant, "C", "B"))
    cls = np.where(ds >= D_CUTOFF, "D", abc)
    return cls, abc


def security_score(ps, cm, rs, av, ds, params: StrangeSituationParams | None = None) -> np.ndarray:
    """0 (insecure) .. 1 (secure): seeking and maintaining contact, without resisting or avoiding,
    less disorganisation (after Richters, Waters & Vaughn 1988)."""
    p = params or _defaults()
    balance = (np.asarray(ps) + np.asarray(cm) - np.asarray(rs) - np.asarray(av) + BALANCE_RANGE) / (
        BALANCE_RANGE + BALANCE_RANGE)
    top = SCALE_TOP["disorganisation"]
    disorganised = (np.asarray(ds) - 1.0) / (top - 1.0)
    return np.clip(balance - p.security_disorganisation_weight * disorganised, 0.0, 1.0)


@cache
def _defaults() -> StrangeSituationParams:
    return StrangeSituationParams()


assert REUNIONS == tuple(sorted(REUNIONS)), "_arousal_parts gives the episodes in the procedure's order"


def expected_scores(inp: dict[str, np.ndarray], p: StrangeSituationParams) -> dict[str, np.ndarray]:
    """The scales a coder without error would give on average at the mean day (no day's shift): what
    :func:`code` gives for the probabilities of :func:`behaviour_probabilities`, per reunion and reported,
    unrounded. Reads the reunions' arousal only, and each behaviour's mean over a reunion is its
    organisation times the mean activation there (the caregiver is in the room at both reunions)."""
    org = organisation(inp, p)
    out: dict[str, np.ndarray] = {}
    for number, arousal in zip(REUNIONS, _arousal_parts(inp, p, episodes=REUNIONS)):
        act = activation(arousal, p).mean(axis=1)
        for name in REUNION_SCALES:
            share = org[name] * act if name in ACTIVATED else org[name]
            out[f"{name}_{number}"] = _scale(share, name)
    for name in REUNION_SCALES:
        later, earlier = out[f"{name}_{REUNIONS[-1]}"], out[f"{name}_{REUNIONS[0]}"]
        out[name] = p.second_reunion_weight * later + (1.0 - p.second_reunion_weight) * earlier
    out["disorganisation"] = _scale(org["disorganised"], "disorganisation")
    return out


def security_index(s: DyadState, params: StrangeSituationParams | None = None) -> np.ndarray:
    """The security score the infant's working model leads to on average today: no day's shift,
    every behaviour at its probability, no coder error (the daily records; cheap: the reunions only).
    ``params``: the ``[assessment]`` section (default: its declared defaults)."""
    p = params or _defaults()
    n = len(s.availability)
    out = np.empty(n)
    for start in range(0, n, INDEX_CHUNK_ROWS):
        rows = slice(start, min(n, start + INDEX_CHUNK_ROWS))
        sc = expected_scores(_inputs(s, rows), p)
        out[rows] = security_score(*(sc[k] for k in SCALE_NAMES), params=p)
    return out


def expected_attachment(s: Any, params: StrangeSituationParams | None = None) -> np.ndarray:
    """A/B/C/D the infant's working model leads to today without assessment noise: the procedure
    and the coding of :func:`strange_situation` minus their noise. The mean day (no day's shift),
    every behaviour at its probability instead of the interval draws, a coder without error who
    still scores in half points (the rounding is the coding system's, not noise: with it a
    score's cut-off of 5 falls at 4.75 of the unrounded score), then the standard rules
    (:func:`classify`). Reads the reunions only, as :func:`security_index` does.

    What a Strange Situation on this working model shows, so the teaching app can name a class
    on any day; a real assessment of the same infant differs by its noise (about 1 in 5, as
    two coders do). ``s``: a state, or anything with the ``INPUTS`` arrays (``Assessment.inputs``
    as a namespace); ``params``: the ``[assessment]`` section (default: its declared defaults)."""
    p = params or _defaults()
    n = len(s.availability)
    out = np.empty(n, dtype="<U1")
    columns = np.flatnonzero(IN_REUNION)
    for start in range(0, n, CHUNK_ROWS):
        rows = slice(start, min(n, start + CHUNK_ROWS))
        inp = _inputs(s, rows)
        arousal = arousal_course(inp, p, episodes=REUNIONS)
        probability = behaviour_probabilities(inp, p, arousal, columns)
        scores = code(probability, p, np.zeros((len(inp["availability"]), CODER_DRAWS)), columns)
        out[rows] = classify(*(scores[k] for k in SCALE_NAMES))[0]
    return out


def run_procedure(inp: dict[str, np.ndarray], p: StrangeSituationParams, u: np.ndarray) -> Procedure:
    """The eight episodes for the dyads of ``inp`` with their rows of draws ``u`` (dyads, ``ROW_DRAWS``)."""
    day = ndtri(u[:, 0].astype(np.float64))
    arousal = arousal_course(inp, p, p.day_state_sd * day)
    prob = behaviour_probabilities(inp, p, arousal, np.arange(INTERVALS))
    draws = u[:, 1:1 + INTERVALS * len(BEHAVIOURS)].reshape(len(day), INTERVALS, len(BEHAVIOURS))
    behaviour = {name: draws[:, :, j] < prob[name] for j, name in enumerate(BEHAVIOURS)}
    shown = arousal * (1.0 - p.mute_masking * inp["mute"][:, None])
    return Procedure(day_state=day, arousal=arousal, shown=shown, behaviour=behaviour)


def _coder_errors(u: np.ndarray) -> np.ndarray:
    return ndtri(u.astype(np.float64))


def _assessment(scores: dict[str, np.ndarray], p: StrangeSituationParams) -> Assessment:
    args = [scores[n] for n in SCALE_NAMES]
    cls, abc = classify(*args)
    by_reunion = {f"{n}_{r}": scores[f"{n}_{r}"] for n in REUNION_SCALES for r in REUNIONS}
    return Assessment(*args, attachment=cls, attachment_abc=abc, security=security_score(*args, params=p),
                      by_reunion=by_reunion)


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}


def _run(s: Any, p: StrangeSituationParams, rng: np.random.Generator, rng2: np.random.Generator | None,
         trace: bool) -> tuple[Assessment, Assessment | None]:
    inputs = _inputs(s)
    n = len(inputs["availability"])
    first, second, procedures = [], [], []
    for start in range(0, max(n, 1), CHUNK_ROWS):
        rows = slice(start, min(n, start + CHUNK_ROWS))
        inp = {k: v[rows] for k, v in inputs.items()}
        size = len(inp["availability"])
        u = streams.uniforms(rng, (size, ROW_DRAWS))
        proc = run_procedure(inp, p, u)
        first.append(code(proc.behaviour, p, _coder_errors(u[:, ROW_DRAWS - CODER_DRAWS:])))
        first[-1]["separation_crying"] = proc.behaviour["crying"][:, np.isin(EPISODE_OF, SEPARATIONS)].mean(axis=1)
        if rng2 is not None:
            second.append(code(proc.behaviour, p, _coder_errors(streams.uniforms(rng2, (size, CODER_DRAWS)))))
        if trace:
            procedures.append(proc)
    scores = _concat(first)
    one = _assessment(scores, p)
    one.inputs = inputs
    one.separation_crying = scores["separation_crying"]
    if trace:
        one.procedure = Procedure(day_state=np.concatenate([x.day_state for x in procedures]),
                                  arousal=np.concatenate([x.arousal for x in procedures]),
                                  shown=np.concatenate([x.shown for x in procedures]),
                                  behaviour=_concat([x.behaviour for x in procedures]))
    two = _assessment(_concat(second), p) if rng2 is not None else None
    if two is not None:
        one.attachment_coder2 = two.attachment
    return one, two


def strange_situation(s: Any, params: StrangeSituationParams, rng: np.random.Generator,
                      trace: bool = False) -> Assessment:
    """Run and code the Strange Situation for the rows of ``s`` (a state, or anything with the
    ``INPUTS`` arrays), with draws from ``rng``. ``trace``: keep the per-interval :class:`Procedure`."""
    return _run(s, params, rng, None, trace)[0]


def code_twice(s: Any, params: StrangeSituationParams, rng: np.random.Generator,
               rng2: np.random.Generator, trace: bool = False) -> tuple[Assessment, Assessment]:
    """One procedure per dyad (draws from ``rng``), coded by two independent coders (the second's
    errors from ``rng2``): the first coder's assessment is the one :func:`strange_situation` gives."""
    one, two = _run(s, params, rng, rng2, trace)
    assert two is not None
    return one, two


# ------------------------------------------------------------------------------ one dyad, for teaching
TRACE_COLUMNS = ("episode", "episode_name", "present", "time_s", "arousal", "shown_distress", *BEHAVIOURS)


def trace_one(model: Any, dyad: int, age: int | None = None) -> pd.DataFrame:
    """One dyad's Strange Situation interval by interval: the assessment at ``age`` months
    (default the first one done) replayed exactly, or, before any assessment, a preview on
    today's working model (stream ``app:preview``, as the app's A/B/C/D preview).

    One row per 15-s interval (``TRACE_COLUMNS``: episode, who is in the room, time since the
    start, arousal, distress shown, and 0/1 for each behaviour); ``attrs`` holds the coded
    scales (reported and per reunion), the class, the forced A/B/C, the security score, the day's
    state, ``age_months`` and ``preview``.
    """
    p = model.params.assessment
    dyad = int(dyad)
    if not 0 <= dyad < model.n:
        raise IndexError(f"dyad {dyad} is not in 0..{model.n - 1}")
    ages = sorted(model.assessments)
    if age is None and ages:
        age = ages[0]
    if age is not None:
        done = model.assessments[age]
        inp = {k: v[dyad:dyad + 1] for k, v in done.inputs.items()}
        stream = f"assessment:{age}"
        age_months, preview = float(age), False
    else:
        inp = _inputs(model.state, slice(dyad, dyad + 1))
        stream = PREVIEW_STREAM
        age_months, preview = max(model.day, 0) / DAYS_PER_MONTH, True
    rng = streams.generator_at(model.seed, stream, ROW_DRAWS, row=dyad)
    u = streams.uniforms(rng, (1, ROW_DRAWS))
    proc = run_procedure(inp, p, u)
    scores = code(proc.behaviour, p, _coder_errors(u[:, ROW_DRAWS - CODER_DRAWS:]))
    coded = _assessment(scores, p)
    names = {e.number: e for e in EPISODES}
    df = pd.DataFrame({
        "episode": EPISODE_OF,
        "episode_name": [names[e].name for e in EPISODE_OF],
        "present": [names[e].present for e in EPISODE_OF],
        "time_s": INTERVAL_S * np.arange(1, INTERVALS + 1),
        "arousal": proc.arousal[0],
        "shown_distress": proc.shown[0],
        **{name: proc.behaviour[name][0].astype(int) for name in BEHAVIOURS},
    })
    df.attrs.update({
        "dyad": dyad, "age_months": age_months, "preview": preview, "day_state": float(proc.day_state[0]),
        "attachment": str(coded.attachment[0]), "attachment_abc": str(coded.attachment_abc[0]),
        "security": float(coded.security[0]),
        "separation_crying": float(proc.behaviour["crying"][0, np.isin(EPISODE_OF, SEPARATIONS)].mean()),
        "scales": {name: float(getattr(coded, name)[0]) for name in SCALE_NAMES},
        "by_reunion": {k: float(v[0]) for k, v in coded.by_reunion.items()},
    })
    return df


def episode_table(trace: pd.DataFrame) -> pd.DataFrame:
    """A trace (:func:`trace_one`) episode by episode: who is there, arousal at the end, and the share
    of the episode's intervals with each behaviour."""
    grouped = trace.groupby("episode", sort=True)
    out = grouped.agg(episode_name=("episode_name", "first"), present=("present", "first"),
                      arousal_end=("arousal", "last"), shown_end=("shown_distress", "last"),
                      **{b: (b, "mean") for b in BEHAVIOURS})
    out.attrs.update(trace.attrs)
    return out.reset_index()


class StrangeSituation(Analyzer):
    """The Strange Situation at each of ``simulation.assessment_ages`` (end of the last day of that month)."""

    name = "strange_situation"
    summary = ("Strange Situation at each assessment age: the eight episodes in 15-s intervals (arousal, "
               "behaviour), coded on the interactive scales by two coders, A/B/C/D, security score")
    parameters = {"assessment": StrangeSituationParams}
    columns = (Column("attachment", "A/B/C/D at the first assessment"),
               Column("attachment_abc", "the forced A/B/C at the first assessment"),
               Column("security", "continuous security score (0-1) at the first assessment"),
               Column("attachment_<age>m", "A/B/C/D at every assessment age"),
               Column("security_<age>m", "security score at every assessment age"),
               *(Column(n, "interactive scale at the first assessment") for n in SCALE_NAMES),
               Column("attachment_coder2", "A/B/C/D at the first assessment by a second, independent coder of "
                                           "the same procedure"),
               Column("separation_crying", "share of the 15-s intervals of the separation episodes (4, 6, 7) with "
                                           "crying, at the first assessment"))

    def start(self, model) -> None:
        model.assessments = {}

    def schedule(self, params) -> dict[int, int]:
        return {month_day(age) - 1: age for age in params.simulation.assessment_ages}

    def measure(self, model, age: int) -> None:
        rng = streams.generator_at(model.seed, f"assessment:{age}", ROW_DRAWS)
        rng2 = streams.generator_at(model.seed, f"assessment:{age}:{SECOND_CODER}", CODER_DRAWS)
        model.assessments[age] = code_twice(model.state, model.params.assessment, rng, rng2)[0]

    def table(self, model) -> dict[str, np.ndarray]:
        cols = {}
        ages = sorted(model.assessments)
        if ages:
            first = model.assessments[ages[0]]
            cols["attachment"] = first.attachment
            cols["attachment_abc"] = first.attachment_abc
            cols["security"] = first.security
            for age in ages:
                cols[f"attachment_{age}m"] = model.assessments[age].attachment
                cols[f"security_{age}m"] = model.assessments[age].security
            for name in SCALE_NAMES:
                cols[name] = getattr(first, name)
            cols["attachment_coder2"] = first.attachment_coder2
            cols["separation_crying"] = first.separation_crying
        return cols

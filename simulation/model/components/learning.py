"""The infant's working model of its caregiver, and the attachment strategy it adopts.

Each day the infant updates, from its distress bids (attachment behaviour is activated by
distress: Bowlby 1969; sensitivity to distress, not to non-distress, predicts security:
McElwain & Booth-LaForce 2006):

- *availability*: the expected share of bids soothed **in time**: within the comfort window,
  the time scale on which an infant links comfort to its cry (tens of seconds; answers to
  distress are measured in seconds to minutes: Bell & Ainsworth 1972). The 2-s window of
  social contingency (Millar 1972) governs face-to-face play, not comfort (``response``).
  Distress a muting infant hid is no bid, and teaches it nothing;
- *unpredictability*: the learned SD of the daily soothing rate around that expectation,
  beyond what chance alone gives (over-dispersion): a caregiver who is there on some days and
  not on others (Ainsworth et al. 1978; Cassidy & Berlin 1994);
- *expected rejection*: the share of bids rebuffed; a bid seen and ignored counts half, and so
  (``unrepaired_weight``) does a mismatched answer never repaired: an intrusive, off-target
  answer predicts avoidance (Isabella & Belsky 1991), and it is repair that makes the frequent
  mismatches of normal interaction harmless (Tronick & Gianino 1986);
- *fear*: raised by each frightening moment, slowly forgotten (Main & Hesse 1990).

**Consolidation.** The working model learns like evidence accumulating (a Beta-binomial /
Kalman-style update): the weight of a day's experience is ``1 / (prior_days + experience)``,
where ``experience`` counts the days with bids so far, up to ``consolidated_memory_days``. The
first months are therefore learned fast and weigh heavily (a newborn's expectation is no more
than ``prior_days`` of evidence), later change is possible but slower, and once consolidated the
working model weighs about the last ``consolidated_memory_days`` of experience: change in care
changes attachment lawfully, not at once (Bowlby 1973 on working models that are "open to
revision"; Waters, Merrick, Treboux, Crowell & Albersheim 2000; Weinfield, Sroufe & Egeland 2000
on lawful discontinuity). Before consolidation existed, the working model was a 45-day moving
average: what the infant learned in months 0-6 was 95-98% gone by 12 months.

The strategy follows these expectations slowly:

- **amplify** (hyperactivation) when answers are unpredictable: louder, longer signals keep an
  intermittently available caregiver engaged; infants high in negative emotionality lean this
  way (Belsky & Rovine 1987). In the Strange Situation: resistance, C.
- **mute** (deactivation) when bids are futile — rebuffed, or consistently left unanswered:
  fewer, weaker signals avoid rebuff (Main 1981, 1990). In the Strange Situation: avoidance, A.
"""

from __future__ import annotations

import numba
import numpy as np
from scipy.special import expit

from .. import streams
from ..component import Column, Component, Today, Var
from ..params import BY_HAND, Section, param
from ..state import DyadState

WORKING_MODEL = ("availability", "unpredictability", "expected_rejection", "fear", "amplify", "mute")
"""The working model and strategy, reported at the end of a run."""


class LearningParams(Section):
    """The infant's learning and strategy (in ``[infant]``)."""

    prior_days: float = param(7.0, "strength of the newborn's undifferentiated expectations, in days of experience",
                              unit="days", ge=1.0, le=365.0,
                              source="assumption: a week of bids outweighs the newborn's prior (Bowlby 1969: phase 1, "
                                     "no differentiated expectations yet)")
    consolidated_memory_days: float = param(120.0, "the most experience the working model weighs once consolidated "
                                                   "(its memory from then on)", unit="days", ge=1.0, le=1000.0,
                                            source="assumption, bounded by two findings: a lasting change in care "
                                                   "changes later classifications in part (lawful discontinuity: "
                                                   "Vaughn, Egeland, Sroufe & Waters 1979; Weinfield, Sroufe & "
                                                   "Egeland 2000), and infants adopted before 12 months become "
                                                   "about as secure as non-adopted ones (van den Dries, Juffer, "
                                                   "van IJzendoorn & Bakermans-Kranenburg 2009), so a year of good "
                                                   "care must undo most of an early adversity")
    strategy_memory_days: float = param(60.0, "time constant of the attachment strategy", unit="days",
                                        ge=1.0, le=365.0, source=BY_HAND)
    fear_memory_days: float = param(90.0, "time constant of the decay of fear of the caregiver", unit="days",
                                    ge=1.0, le=730.0, source=BY_HAND)
    fear_per_fright: float = param(0.05, "fear added by one frightening moment", unit="1", ge=0.0, le=1.0,
                                   source=BY_HAND)
    amplify_threshold: float = param(0.22, "unpredictability (SD of daily answer rate) above which signals are "
                                           "amplified", unit="1", ge=0.0, le=1.0,
                                     source="calibrated: the good-enough and inconsistent profiles, "
                                            "docs/ODD.md section 8")
    mute_threshold: float = param(0.6, "futility of bids (expected rejection + weighted unavailability) above which "
                                       "signals are muted", unit="1", ge=0.0, le=2.0,
                                  source="calibrated: the good-enough and rejecting profiles, docs/ODD.md section 8")
    unanswered_weight: float = param(0.5, "weight of unavailability (1 - availability) in the futility of bids",
                                     unit="1", ge=0.0, le=2.0, source="calibrated: V2, docs/ODD.md section 8")
    unrepaired_weight: float = param(0.5, "an unrepaired mismatched answer to distress counts as this much of a "
                                          "rebuff", unit="1", ge=0.0, le=1.0,
                                     source="calibrated: good enough without repair and V1-V9, docs/ODD.md section 8; "
                                            "Tronick & Gianino 1986")
    seen_ignored_weight: float = param(0.5, "a bid seen and ignored counts as this much of a rebuff in expected "
                                            "rejection", unit="1", ge=0.0, le=1.0,
                                       source="assumption: half a rebuff, like an unrepaired mismatch "
                                              "(unrepaired_weight); seen and ignored is a milder rebuff (Ainsworth, "
                                              "Bell & Stayton 1974: ignoring the signal is the low end of "
                                              "sensitivity)")
    temperament_amplify: float = param(0.017, "lowering of the amplification threshold per SD of the infant's negative "
                                             "emotionality", unit="1 per SD", ge=0.0, le=0.5,
                                       source="calibrated: T1-T4 (Groh et al. 2017: resistance is the one classification "
                                              "temperament leans to), docs/ODD.md section 8; direction from Belsky & "
                                              "Rovine 1987 (distress-prone infants lean to C)")
    strategy_slope: float = param(0.05, "softness of the strategy thresholds", unit="1", ge=0.001, le=1.0,
                                  source=BY_HAND)
    strategy_noise: float = param(0.05, "infant-to-infant spread of the strategy thresholds", unit="1", ge=0.0,
                                  le=1.0, source=BY_HAND)
    prior_availability: float = param(0.5, "the newborn's expected availability: answers as likely as not", unit="1",
                                      ge=0.0, le=1.0, source="Bowlby 1969 (phase 1: an undifferentiated working "
                                                             "model)")
    prior_unpredictability: float = param(0.1, "the newborn's expected unpredictability", unit="1", ge=0.0, le=1.0,
                                          source="assumption: about the good-enough level, nothing learned yet")


def update_working_model(s: DyadState, infant: LearningParams, bids: np.ndarray, met: np.ndarray, rejected: np.ndarray,
                         frights: np.ndarray) -> None:
    """One day of learning for the rows of ``s`` (in place)."""
    has = bids > 0
    n_bids = np.maximum(bids, 1)
    rate = met / n_bids
    # consolidation: today's weight falls as evidence accumulates, down to the consolidated memory
    s.experience_days[:] = np.minimum(s.experience_days + has, infant.consolidated_memory_days)
    a = 1.0 / (infant.prior_days + s.experience_days)
    err = np.where(has, rate - s.availability, 0.0)
    # over-dispersion: squared error beyond the binomial noise expected from this many bids
    chance = s.availability * (1.0 - s.availability) / n_bids
    excess = np.where(has, err ** 2 - chance, s.unpredictability ** 2)
    variance = s.unpredictability ** 2 + a * (excess - s.unpredictability ** 2)
    s.unpredictability[:] = np.sqrt(np.clip(variance, 0.0, 1.0))
    s.availability[:] = s.availability + a * err
    s.expected_rejection[:] = s.expected_rejection + a * np.where(has, rejected / n_bids - s.expected_rejection, 0.0)
    decay = 1.0 / infant.fear_memory_days
    s.fear[:] = np.clip(s.fear * (1.0 - decay) + infant.fear_per_fright * frights, 0.0, 1.0)


def strategy_targets(s: DyadState, infant: LearningParams) -> tuple[np.ndarray, np.ndarray]:
    """Where the amplifying and muting strategies are heading, given the working model."""
    slope = infant.strategy_slope
    amplify_at = infant.amplify_threshold + s.amplify_offset - infant.temperament_amplify * s.negative_emotionality
    mute_at = infant.mute_threshold + s.mute_offset
    futility = s.expected_rejection + infant.unanswered_weight * (1.0 - s.availability)
    mute = expit((futility - mute_at) / slope)
    amplify = expit((s.unpredictability - amplify_at) / slope) * (1.0 - mute)
    return amplify, mute


def update_strategy(s: DyadState, infant: LearningParams) -> None:
    amplify, mute = strategy_targets(s, infant)
    rate = 1.0 / infant.strategy_memory_days
    s.amplify[:] = s.amplify + rate * (amplify - s.amplify)
    s.mute[:] = s.mute + rate * (mute - s.mute)


BID_COUNTS = ("bids", "met", "rebuffs", "ignored", "unrepaired", "frights")
"""What :func:`bid_counts` counts, in the order of its arguments (names)."""


@numba.njit(cache=True, nogil=True)
def bid_counts(distress, own, hidden, contingent, rebuffed, noticed, answered, mismatched, repaired, frightening,
               bids, met, rebuffs, ignored, unrepaired, frights):
    """Per dyad, what the infant learns from today, counted in one pass over the slots into the last six
    arrays (compiled, numba): its bids for comfort to its caregiver (distress it did not hide: a hidden
    distress is no bid, Main 1990), those met within the window, the rebuffs of its distress, the bids
    she noticed but did not answer, those she mismatched and did not repair, and the frightening
    moments."""
    for i in range(distress.shape[0]):
        made_i = met_i = rebuffs_i = ignored_i = unrepaired_i = frights_i = 0
        for j in range(distress.shape[1]):
            made = distress[i, j] & own[i, j] & ~hidden[i, j]
            made_i += made
            met_i += made & contingent[i, j]
            rebuffs_i += distress[i, j] & rebuffed[i, j]
            ignored_i += made & noticed[i, j] & ~answered[i, j]
            unrepaired_i += made & mismatched[i, j] & ~repaired[i, j]
            frights_i += frightening[i, j]
        bids[i], met[i], rebuffs[i], ignored[i], unrepaired[i], frights[i] = (made_i, met_i, rebuffs_i, ignored_i,
                                                                              unrepaired_i, frights_i)


class Learning(Component):
    """The infant's working model of its caregiver and the strategy it adopts, from today's bids.

    Sets ``t.bids`` (distress bids to the caregiver today, per dyad) for the measures.
    """

    name = "learning"
    phase = "infant"
    summary = ("the infant's working model (availability, unpredictability, expected rejection, fear) from its "
               "distress bids to the caregiver; the amplifying or muting strategy follows")
    parameters = {"infant": LearningParams}
    state = (
        Var("amplify_offset", np.float64, "idiosyncratic shift of the amplification threshold", agent="infant"),
        Var("mute_offset", np.float64, "idiosyncratic shift of the muting threshold", agent="infant"),
        Var("experience_days", np.float64, "days with distress bids learned from so far, up to the consolidated memory",
            agent="infant"),
        Var("availability", np.float64, "expected share of bids soothed in time", agent="infant"),
        Var("unpredictability", np.float64, "learned SD of the daily answer rate around its expectation",
            agent="infant"),
        Var("expected_rejection", np.float64, "expected share of bids rebuffed or ignored when seen", agent="infant"),
        Var("fear", np.float64, "fear of the caregiver (0..1)", agent="infant"),
        Var("amplify", np.float64, "hyperactivating strategy (0..1): louder, longer signals", agent="infant"),
        Var("mute", np.float64, "deactivating strategy (0..1): fewer, weaker signals", agent="infant"),
    )
    columns = tuple(Column(v.name, f"the infant's {v.doc} at the end of the run") for v in state
                    if v.name in WORKING_MODEL)

    def setup(self, s: DyadState, params, seed) -> None:
        """Idiosyncratic thresholds; the newborn's working model starts undifferentiated: answers are
        as likely as not, nothing has been learned about predictability, rejection or fear (Bowlby 1969)."""
        infant = params.infant
        for name in ("amplify_offset", "mute_offset"):
            getattr(s, name)[:] = infant.strategy_noise * streams.normals_of(seed, f"trait:infant.{name}", s.n)
        s.availability[:] = infant.prior_availability
        s.unpredictability[:] = infant.prior_unpredictability

    def step(self, t: Today) -> None:
        s, infant, ep, own = t.s, t.params.infant, t.episodes, t.own
        c = {name: np.empty(len(own), dtype=np.int64) for name in BID_COUNTS}
        bid_counts(ep.distress, own, ep.hidden, ep.contingent, ep.rebuffed, ep.noticed, ep.answered, ep.mismatched,
                   ep.repaired, ep.frightening, *c.values())
        rejected = c["rebuffs"] + infant.seen_ignored_weight * c["ignored"] + infant.unrepaired_weight * c["unrepaired"]
        update_working_model(s, infant, c["bids"], c["met"], rejected, c["frights"])
        update_strategy(s, infant)
        t.bids = c["bids"]

    def table(self, model) -> dict[str, np.ndarray]:
        return {name: getattr(model.state, name).copy() for name in WORKING_MODEL}

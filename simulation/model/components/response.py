"""The caregiver's answer: whether, how fast, how well, repaired or not, frightening or not.

For every signal noticed (``perception``):

- *answer*: with today's responsiveness (trait, mood and stress: ``sensitivity``);
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
  is ``fright_today``, set in ``sensitivity``.

Episodes a supporter took over (``perception``) are noticed, answered and matched with the
supporter's quality, promptly, never rebuffed or frightening. They soothe the infant but do not
teach it about its caregiver.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from ..component import Component, Draw, Today, Var
from ..episodes import Episodes, Selected
from ..params import Section, param
from ..state import per_dyad
from .signals import AMBIGUOUS, SMILE


class ResponseParams(Section):
    """Answer timing (in ``[caregiver]``)."""

    latency_spread: float = param(0.6, "episode-to-episode spread of latency", unit="lognormal sigma", ge=0.0, le=3.0,
                                  source="assumption: answer latencies vary several-fold within a day")


class ContingencyParams(Section):
    """What the infant counts as an answer to its signal (in ``[infant]``)."""

    contingency_window_s: float = param(2.0, "answers later than this do not count as contingent", unit="s",
                                        gt=0.0, le=60.0, source="Millar 1972 (contingency detected within about "
                                                                "2 s, not at 3 s)")


class ReliefParams(Section):
    """How supporters answer (in ``[support]``)."""

    relief_latency_s: float = param(1.5, "median latency of a supporter who takes over an episode", unit="s",
                                    gt=0.0, le=600.0, source="assumption: as prompt as a sensitive caregiver")


def within_window(median_latency, spread: float, u: np.ndarray, window_s: float) -> np.ndarray:
    """Whether a lognormal latency (``median_latency``, ``spread``; quantile ``u``) is within the window."""
    return median_latency * np.exp(spread * ndtri(u)) <= window_s


def median_latency(relief: np.ndarray, latency_today_s: np.ndarray, relief_latency_s: float) -> np.ndarray:
    """The supporter's median latency where a supporter took over, else the caregiver's today."""
    return np.where(relief, relief_latency_s, latency_today_s[:, None])


class Response(Component):
    """Answered or not, rebuffed, matched, repaired, frightening, within the contingency window.

    Sets ``t.episodes`` (:class:`~simulation.model.episodes.Episodes`); keeps for the caregiver's
    next morning the faces she read as negative and the smiles she shared.
    """

    name = "response"
    phase = "infant"
    summary = ("answered or not, rebuffed, first answer matched or mismatched and repaired, frightening; "
               "soothing contingent when within the infant's window")
    parameters = {"caregiver": ResponseParams, "infant": ContingencyParams, "support": ReliefParams}
    state = (
        Var("perceived_negative", np.float64, "yesterday's faces read as negative", agent="caregiver"),
        Var("shared_smiles", np.float64, "yesterday's smiles read as delight and answered", agent="caregiver"),
    )
    draws = (Draw("answer"), Draw("rebuff"), Draw("latency"), Draw("match"), Draw("repair"),
             Draw("repair_latency"), Draw("fright"))

    def step(self, t: Today) -> None:
        s, u, p = t.s, t.u, t.params
        kind, relief, distress, who = t.kind, t.relief, t.distress, t.who
        answered = t.noticed & who(u["answer"], s.responsiveness_today[:, None])
        rebuffed = answered & distress & ~relief & (u["rebuff"] < s.rejection_today[:, None])
        engaged = answered & ~rebuffed

        fits_distress = distress & who(u["match"], s.accuracy_today[:, None])
        fits_smile = (kind == SMILE) & t.read_positive
        fits_face = (kind == AMBIGUOUS) & ~t.read_negative
        matched = engaged & (fits_distress | fits_smile | fits_face)
        mismatched = engaged & ~matched
        repaired = mismatched & who(u["repair"], s.repair[:, None])
        frightening = answered & ~relief & (u["fright"] < s.fright_today[:, None])

        # latencies matter only for answers that soothe: the first answer if it matched, the repair
        spread, window_s, relief_s = p.caregiver.latency_spread, p.infant.contingency_window_s, p.support.relief_latency_s
        first, second = Selected(matched), Selected(repaired)
        coordinated = first.put(np.zeros(kind.shape, dtype=bool), within_window(
            median_latency(first.slots(relief), first.dyads(s.latency_today_s), relief_s), spread,
            first.slots(u["latency"]), window_s))
        contingent = second.put(coordinated.copy(), within_window(
            median_latency(second.slots(relief), second.dyads(s.latency_today_s), relief_s), spread,
            second.slots(u["repair_latency"]), window_s))
        ep = Episodes(kind=kind, active=t.active, relief=relief, distress=distress, social=t.social,
                      noticed=t.noticed, read_negative=t.read_negative, answered=answered, rebuffed=rebuffed,
                      matched=matched, mismatched=mismatched, repaired=repaired, frightening=frightening,
                      soothed=matched | repaired, contingent=contingent, coordinated=coordinated)
        t.episodes = ep
        own = ~relief  # the infant learns about its caregiver from the caregiver's own answers
        t.own = own
        s.perceived_negative[:] = per_dyad(ep.read_negative & own)
        s.shared_smiles[:] = per_dyad((kind == SMILE) & matched & own)

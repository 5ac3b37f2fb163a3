"""The caregiver's answer: whether, how fast, how well, repaired or not; and frightening moments.

For every signal noticed (``perception``):

- *answer*: with today's responsiveness (trait, mood and stress: ``sensitivity``);
- *rebuff*: an answer to a bid for comfort can be a rebuff (turning away, irritation); a
  consistently rebuffing caregiver teaches the infant to mute its bids (Main 1981, 1990);
- *latency*, on the time scale of the exchange. Social bids (smiles, faces) are answered in
  face-to-face play, timed in about a second (Tronick & Cohn 1989; Beebe et al. 2010): an answer
  later than the infant's contingency window (about 2 s: Millar 1972; Watson 1972) is not
  contingent for the infant (V7). Distress is answered on the time scale of soothing, tens of
  seconds to minutes (Bell & Ainsworth 1972 measured minutes of delay): a cry answered within the
  comfort window (``infant.comfort_window_s``) is comfort the infant links to its cry; a cry
  answered later still ends sooner but teaches less. Each is lognormal around today's median
  (``social_latency_today_s``, ``distress_latency_today_s``);
- *match*: the first answer fits the need with the caregiver's accuracy; a smile or face read
  as negative gets a mismatched (soothing, intrusive) answer;
- *repair*: a mismatch is repaired within the episode with the caregiver's repair probability.
  Even healthy dyads are coordinated only about a third of the time and repair most
  mismatches (Tronick & Gianino 1986; Tronick & Cohn 1989); "good enough" caregiving misses
  often but repairs (Winnicott 1953).

*Frightening moments* come from the caregiver's state, not from answering: an unresolved
caregiver's lapses into frightened, frightening or dissociated behaviour are triggered by her own
arousal and memories (Main & Hesse 1990; Schuengel, Bakermans-Kranenburg & van IJzendoorn 1999),
and disrupted communication comes with stress and depression (Lyons-Ruth, Bronfman & Parsons
1999). So they happen at today's rate per day (``fright_today``, set in ``sensitivity``) spread
over the day's slots while the caregiver is with the infant, whether or not a signal is being
answered: a caregiver who answers more often (after video-feedback, say) does not frighten more.

Episodes a supporter took over (``perception``) are noticed, answered and matched with the
supporter's quality, promptly, never rebuffed or frightening. They soothe the infant but do not
teach it about its caregiver.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.special import ndtr, ndtri

from ..component import Component, Draw, Today, Var
from ..episodes import Episodes, Selected
from ..numerics import below
from ..params import Section, param
from ..state import per_dyad
from .signals import AMBIGUOUS, SMILE


class ResponseParams(Section):
    """Answer timing (in ``[caregiver]``)."""

    latency_spread: float = param(0.6, "episode-to-episode spread of latency", unit="lognormal sigma", ge=0.0, le=3.0,
                                  source="assumption: answer latencies vary several-fold within a day")


class ContingencyParams(Section):
    """What the infant counts as an answer to its signal (in ``[infant]``)."""

    contingency_window_s: float = param(2.0, "answers to a social bid later than this do not count as contingent",
                                        unit="s", gt=0.0, le=60.0,
                                        source="Millar 1972 (contingency detected within about 2 s, not at 3 s); "
                                               "Watson 1972")
    comfort_window_s: float = param(60.0, "answers to a cry or a fuss later than this still soothe, but the infant "
                                          "does not link the comfort to its signal", unit="s", gt=0.0, le=3600.0,
                                    source="assumption: a cry left unanswered for about a minute has escalated to "
                                           "full distress, and responsiveness to crying is scored in minutes of "
                                           "delay (Bell & Ainsworth 1972); no direct measurement of the window "
                                           "was found")


class ReliefParams(Section):
    """How supporters answer (in ``[support]``)."""

    relief_latency_s: float = param(20.0, "median latency of a supporter who takes over an episode (it matters for "
                                          "distress: supporters' answers to social bids are not counted anywhere)",
                                    unit="s", gt=0.0, le=600.0,
                                    source="assumption: as prompt as a sensitive caregiver answering distress "
                                           "(caregiver.distress_latency_s)")


def within_window(median_latency, spread: float, u: np.ndarray, window_s) -> np.ndarray:
    """Whether a lognormal latency (``median_latency``, ``spread``; quantile ``u``) is within the window."""
    return median_latency * np.exp(spread * ndtri(u)) <= window_s


QUANTILE_GUARD = 1e-5
"""(numerical) Draws within ``QUANTILE_GUARD x (1 + 1 / spread)`` of a latency's window quantile are decided by
:func:`within_window` itself; further away the quantile decides, as :func:`within_window` would (its
rounding errors, under 2e-6 in log-latency, cannot move a draw that far: see :func:`within_window_fast`)."""


def window_quantile(median_latency, spread: float, window_s) -> np.ndarray:
    """The quantile of the latency draw at which the lognormal latency reaches the window, ``P(latency <=
    window)``: a draw below it is within the window, one above it is not."""
    with np.errstate(divide="ignore"):
        return ndtr(np.log(window_s / median_latency) / spread)


def within_window_fast(u: np.ndarray, quantile: np.ndarray, spread: float,
                       exact: "Callable[[np.ndarray], np.ndarray]") -> np.ndarray:
    """:func:`within_window` for draws ``u``, the same booleans, decided mostly by each latency's window
    quantile (:func:`window_quantile`, worked out once a dyad and case instead of a normal quantile an
    episode); ``exact(i)`` is :func:`within_window` for the draws ``u[i]``.

    Exact arithmetic gives ``u < quantile``. The float32 normal quantile and exponential that
    :func:`within_window` computes err by under ``1.3e-6 x spread + 5e-7`` in log-latency, so they can
    only decide differently for a draw whose normal quantile is within that error / spread of the
    window's, that is (the normal density being at most 0.4) a draw within ``5.2e-7 + 2e-7 / spread``
    of the quantile: draws within ``QUANTILE_GUARD x (1 + 1 / spread)`` of it, a margin of 19 or more,
    are handed to ``exact``.
    """
    inside = u < quantile
    gap = u - quantile
    np.abs(gap, out=gap)
    near = np.flatnonzero(gap <= QUANTILE_GUARD * (1.0 + 1.0 / spread))
    if near.size:
        inside[near] = exact(near)
    return inside


LATENCY_CASES = np.array([(False, False), (False, True), (True, False), (True, True)])
"""The cases of an answer's latency, (a supporter took over, distress), in the order of their codes
``2 x supporter + distress`` (bookkeeping)."""


def median_latency(relief: np.ndarray, distress: np.ndarray, social_today_s: np.ndarray,
                   distress_today_s: np.ndarray, relief_latency_s: float) -> np.ndarray:
    """The supporter's median latency where a supporter took over, else the caregiver's today for the
    signal's kind (distress or social): per (dyad, signal); ``relief`` and ``distress`` (signals),
    ``social_today_s`` and ``distress_today_s`` (dyads)."""
    own = np.where(distress, distress_today_s[:, None], social_today_s[:, None])
    return np.where(relief, relief_latency_s, own)


def window(distress: np.ndarray, infant: ContingencyParams) -> np.ndarray:
    """The infant's window for each signal: comfort for distress, contingency for social bids."""
    return np.where(distress, infant.comfort_window_s, infant.contingency_window_s)


def frightening_moments(present: np.ndarray, fright_today: np.ndarray, u: np.ndarray, slots: int) -> np.ndarray:
    """Which of the day's slots hold a frightening moment: today's rate per day spread over the day's
    ``slots`` (at most one a slot), in those the caregiver is with the infant, independent of what is
    signalled or answered."""
    return present & below(u, np.minimum(fright_today / slots, 1.0))


class Response(Component):
    """Answered or not, rebuffed, matched, repaired, within the infant's window; frightening moments.

    Sets ``t.episodes`` (:class:`~simulation.model.episodes.Episodes`); keeps for the caregiver's
    next morning the faces she read as negative and the smiles she shared.
    """

    name = "response"
    phase = "infant"
    summary = ("answered or not, rebuffed, first answer matched or mismatched and repaired; soothing contingent "
               "when within the infant's window (2 s for social bids, a minute for distress); frightening moments "
               "from the caregiver's state, whatever is answered")
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
        answered = t.noticed & who(u["answer"], s.responsiveness_today)
        rebuffed = answered & distress & ~relief & below(u["rebuff"], s.rejection_today)
        engaged = answered & ~rebuffed

        fits_distress = distress & who(u["match"], s.accuracy_today)
        fits_smile = (kind == SMILE) & t.read_positive
        fits_face = (kind == AMBIGUOUS) & ~t.read_negative
        matched = engaged & (fits_distress | fits_smile | fits_face)
        mismatched = engaged & ~matched
        repaired = mismatched & who(u["repair"], s.repair)
        present = ~relief if t.away is None else ~relief & ~t.away  # not in a supporter's or the other caregiver's
        frightening = frightening_moments(present, s.fright_today, u["fright"], p.simulation.episode_slots)

        # latencies matter only for answers that soothe: the first answer if it matched, the repair
        spread, relief_s = p.caregiver.latency_spread, p.support.relief_latency_s

        # each dyad's median latency and the infant's window in the four cases (supporter or not, distress
        # or not), then each answer's case: 2 x supporter + distress
        supporter, of_distress = LATENCY_CASES.T
        windows = window(of_distress, p.infant)
        case = distress.view(np.int8) + (relief.view(np.int8) << 1)
        own_medians = (s.social_latency_today_s, s.distress_latency_today_s)
        made: list[np.ndarray] = []

        def medians() -> np.ndarray:  # (dyads, cases), made on first use (rarely needed: see within_window_fast)
            if not made:
                made.append(median_latency(supporter, of_distress, *own_medians, relief_s))
            return made[0]

        if spread > 0.0:  # each case's window quantile: the caregiver's a dyad, the supporters' one for all
            quantiles = np.empty((len(case), len(LATENCY_CASES)))
            for c, (by_supporter, for_distress) in enumerate(LATENCY_CASES):
                quantiles[:, c] = window_quantile(relief_s if by_supporter else own_medians[int(for_distress)], spread,
                                                  windows[c])

        def in_time(sel: Selected, draw: np.ndarray) -> np.ndarray:
            cases = sel.slots(case)[:, 0].astype(np.intp)
            at = sel.rows * len(LATENCY_CASES) + cases
            u = sel.slots(draw)[:, 0]

            def exact(i: np.ndarray) -> np.ndarray:
                return within_window(medians().reshape(-1).take(at[i]), spread, u[i], windows.take(cases[i]))

            if not spread > 0.0:
                return exact(np.arange(len(u)))
            return within_window_fast(u, quantiles.reshape(-1).take(at), spread, exact)

        first, second = Selected(matched), Selected(repaired)
        coordinated = first.put(np.zeros(kind.shape, dtype=bool), in_time(first, u["latency"]))
        contingent = second.put(coordinated.copy(), in_time(second, u["repair_latency"]))
        ep = Episodes(kind=kind, felt_cry=t.felt_cry, active=t.active, relief=relief, distress=distress,
                      social=t.social, noticed=t.noticed, hidden=t.hidden, read_negative=t.read_negative,
                      answered=answered, rebuffed=rebuffed,
                      matched=matched, mismatched=mismatched, repaired=repaired, frightening=frightening,
                      soothed=matched | repaired, contingent=contingent, coordinated=coordinated)
        t.episodes = ep
        own = ~relief  # the infant learns about its caregiver from the caregiver's own answers
        t.own = own
        s.perceived_negative[:] = per_dyad(ep.read_negative & own)
        s.shared_smiles[:] = per_dyad((kind == SMILE) & matched & own)

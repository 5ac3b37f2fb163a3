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

import numba
import numpy as np
from scipy.special import ndtr, ndtri

from ..component import Component, Draw, Today, Var
from ..episodes import NO_AWAY, Episodes
from ..params import Section, param
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
rounding errors, under 2e-6 in log-latency, cannot move a draw that far: see :func:`quantile_decision`)."""


def window_quantile(median_latency, spread: float, window_s) -> np.ndarray:
    """The quantile of the latency draw at which the lognormal latency reaches the window, ``P(latency <=
    window)``: a draw below it is within the window, one above it is not."""
    with np.errstate(divide="ignore"):
        return ndtr(np.log(window_s / median_latency) / spread)


INSIDE, OUTSIDE, UNDECIDED = 1, 0, -1
"""What :func:`quantile_decision` says of a latency draw (codes)."""


@numba.njit(cache=True, nogil=True, inline="always")
def quantile_decision(u, quantile: float, guard: float) -> int:
    """:func:`within_window` for a draw ``u`` decided by its latency's window quantile
    (:func:`window_quantile`, worked out once a dyad and case instead of a normal quantile an episode):
    ``INSIDE``, ``OUTSIDE``, or ``UNDECIDED`` for a draw within ``guard`` of the quantile, which
    :func:`within_window` itself must decide.

    Exact arithmetic gives ``u < quantile``. The float32 normal quantile and exponential that
    :func:`within_window` computes err by under ``1.3e-6 x spread + 5e-7`` in log-latency, so they can
    only decide differently for a draw whose normal quantile is within that error / spread of the
    window's, that is (the normal density being at most 0.4) a draw within ``5.2e-7 + 2e-7 / spread``
    of the quantile: with ``guard = QUANTILE_GUARD x (1 + 1 / spread)``, a margin of 19 or more, the
    decisions are those of :func:`within_window` (a unit test checks every float32 draw near quantiles).
    """
    near = abs(np.float64(u) - quantile) <= guard
    return UNDECIDED if near else (INSIDE if u < quantile else OUTSIDE)


ANSWER_FLAGS = ("answered", "rebuffed", "matched", "mismatched", "repaired", "soothed", "frightening", "coordinated",
                "contingent", "undecided")
"""The boolean arrays (dyads, slots) that :func:`answer_slots` and :func:`in_window_slots` fill (names)."""
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


def fright_chance(fright_today: np.ndarray, slots: int) -> np.ndarray:
    """Per dyad, the chance that a slot holds a frightening moment: today's rate per day spread over the
    day's ``slots`` (at most one a slot). It applies to every slot the caregiver is with the infant,
    independent of what is signalled or answered (:func:`answer_slots`)."""
    return np.minimum(fright_today / slots, 1.0)


@numba.njit(cache=True, nogil=True, inline="always")
def whose(by_supporter, quality, caregiver_p):
    """The chance of an episode: the supporter's ``quality`` where a supporter took over, else the
    caregiver's ``caregiver_p``."""
    return quality if by_supporter else caregiver_p


@numba.njit(cache=True, nogil=True)
def answer_slots(kind, distress, relief, away, noticed, read_positive, read_negative,
                 u_answer, u_rebuff, u_match, u_repair, u_fright,
                 responsiveness, rejection, accuracy, repair, quality, fright,
                 answered, rebuffed, matched, mismatched, repaired, soothed, frightening,
                 perceived_negative, shared_smiles):
    """How each slot is answered (one row per dyad, one column per slot): compiled, one pass over the
    slots (numba), written into the boolean arrays ``answered`` .. ``frightening``.

    A noticed signal is answered when the ``answer`` draw is below the caregiver's ``responsiveness``
    (the supporter's ``quality`` where a supporter took over, ``relief``: likewise for match and
    repair, :func:`whose`); an answer to the caregiver's own distress signal is a rebuff when the ``rebuff`` draw
    is below her ``rejection``. An answer not rebuffed matches distress with her ``accuracy``, a smile
    she read as delight, and a face she did not read as distress; a mismatch is repaired with her
    ``repair``. Where she is with the infant (not a supporter's or, ``away``, the other caregiver's
    slot), a slot holds a frightening moment when the ``fright`` draw is below ``fright``, whatever is
    signalled or answered. Per dyad, ``perceived_negative`` counts the caregiver's own faces read as
    distress and ``shared_smiles`` the smiles she matched. Draws (float32) are compared with the
    probabilities (float64) exactly.

    (Branch-free over the slots, whose outcomes are unpredictable, so that the compiler vectorises
    the loop; the latencies are in :func:`in_window_slots`, a loop of its own: with more arrays in
    one loop the compiler no longer vectorises it.)
    """
    check_away = away.shape[0] > 0
    for i in range(kind.shape[0]):
        q, responsive, rejecting, accurate, repairs, frights = (quality[i], responsiveness[i], rejection[i],
                                                                accuracy[i], repair[i], fright[i])
        negative = smiles = 0
        for j in range(kind.shape[1]):
            by_supporter, is_distress, k = relief[i, j], distress[i, j], kind[i, j]
            answer = noticed[i, j] & (u_answer[i, j] < whose(by_supporter, q, responsive))
            rebuff = answer & is_distress & ~by_supporter & (u_rebuff[i, j] < rejecting)
            engaged = answer & ~rebuff
            fits = ((is_distress & (u_match[i, j] < whose(by_supporter, q, accurate)))
                    | ((k == SMILE) & read_positive[i, j]) | ((k == AMBIGUOUS) & ~read_negative[i, j]))
            match = engaged & fits
            miss = engaged & ~fits
            fix = miss & (u_repair[i, j] < whose(by_supporter, q, repairs))
            present = ~by_supporter
            if check_away:
                present &= ~away[i, j]
            answered[i, j], rebuffed[i, j], matched[i, j], mismatched[i, j] = answer, rebuff, match, miss
            repaired[i, j], soothed[i, j] = fix, match | fix
            frightening[i, j] = present & (u_fright[i, j] < frights)
            negative += read_negative[i, j] & ~by_supporter
            smiles += (k == SMILE) & match & ~by_supporter
        perceived_negative[i], shared_smiles[i] = negative, smiles


@numba.njit(cache=True, nogil=True)
def in_window_slots(matched, repaired, relief, distress, u_latency, u_repair_latency, quantiles, guard,
                    coordinated, contingent, undecided):
    """Whether the first answer, where it matched, and the repair are within the infant's window
    (``coordinated``, ``contingent``: one row per dyad, one column per slot), compiled (numba).

    Their latency draws are compared with the dyad's window quantile of the case (``quantiles``, by
    ``2 x supporter + distress``), as :func:`quantile_decision` says; the draws within ``guard`` of it
    are marked ``undecided``, to be decided by :func:`within_window`. (Branch-free: both draws are
    looked at in every slot and kept where they count.)
    """
    for i in range(matched.shape[0]):
        social_q, distress_q, relief_social_q, relief_distress_q = quantiles[i]  # (LATENCY_CASES' order)
        for j in range(matched.shape[1]):
            by_supporter, is_distress, match, fix = relief[i, j], distress[i, j], matched[i, j], repaired[i, j]
            quantile = ((relief_distress_q if is_distress else relief_social_q) if by_supporter
                        else (distress_q if is_distress else social_q))
            said, said_repair = (quantile_decision(u_latency[i, j], quantile, guard),
                                 quantile_decision(u_repair_latency[i, j], quantile, guard))
            in_time = match & (said == INSIDE)
            coordinated[i, j] = in_time
            contingent[i, j] = in_time | (fix & (said_repair == INSIDE))
            undecided[i, j] = (match & (said == UNDECIDED)) | (fix & (said_repair == UNDECIDED))


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
        kind, relief, distress = t.kind, t.relief, t.distress
        spread, relief_s = p.caregiver.latency_spread, p.support.relief_latency_s
        # each dyad's median latency and the infant's window in the four cases (supporter or not, distress
        # or not), and each case's window quantile: the caregiver's a dyad, the supporters' one for all
        supporter, of_distress = LATENCY_CASES.T
        windows = window(of_distress, p.infant)
        own_medians = (s.social_latency_today_s, s.distress_latency_today_s)
        quantiles = np.zeros((len(kind), len(LATENCY_CASES)))
        if spread > 0.0:
            for c, (by_supporter, for_distress) in enumerate(LATENCY_CASES):
                quantiles[:, c] = window_quantile(relief_s if by_supporter else own_medians[int(for_distress)], spread,
                                                  windows[c])
        guard = QUANTILE_GUARD * (1.0 + 1.0 / spread) if spread > 0.0 else np.inf  # (no spread: within_window decides)
        shape = kind.shape
        (answered, rebuffed, matched, mismatched, repaired, soothed, frightening, coordinated, contingent,
         undecided) = (np.empty(shape, dtype=bool) for _ in ANSWER_FLAGS)
        answer_slots(kind, distress, relief, NO_AWAY if t.away is None else t.away, t.noticed, t.read_positive,
                     t.read_negative, u["answer"], u["rebuff"], u["match"], u["repair"], u["fright"],
                     s.responsiveness_today, s.rejection_today, s.accuracy_today, s.repair, s.relief_quality,
                     fright_chance(s.fright_today, p.simulation.episode_slots),
                     answered, rebuffed, matched, mismatched, repaired, soothed, frightening,
                     s.perceived_negative, s.shared_smiles)
        in_window_slots(matched, repaired, relief, distress, u["latency"], u["repair_latency"], quantiles, guard,
                        coordinated, contingent, undecided)
        near = np.flatnonzero(undecided)
        if near.size:  # the draws too near their quantile: decided by the latency itself
            medians = median_latency(supporter, of_distress, *own_medians, relief_s)
            rows = near // shape[1]
            # each draw's case, 2 x supporter + distress (LATENCY_CASES)
            cases = distress.reshape(-1)[near] + (relief.reshape(-1)[near].astype(np.intp) << 1)
            first = matched.reshape(-1)[near]  # (else a repair's)
            draws = np.where(first, u["latency"].reshape(-1)[near], u["repair_latency"].reshape(-1)[near])
            inside = within_window(medians[rows, cases], spread, draws, windows[cases])
            contingent.reshape(-1)[near] = inside
            coordinated.reshape(-1)[near[first]] = inside[first]
        t.episodes = Episodes(kind=kind, felt_cry=t.felt_cry, active=t.active, relief=relief, distress=distress,
                              social=t.social, noticed=t.noticed, hidden=t.hidden, read_negative=t.read_negative,
                              answered=answered, rebuffed=rebuffed, matched=matched, mismatched=mismatched,
                              repaired=repaired, frightening=frightening, soothed=soothed, contingent=contingent,
                              coordinated=coordinated)
        t.own = ~relief  # the infant learns about its caregiver from the caregiver's own answers

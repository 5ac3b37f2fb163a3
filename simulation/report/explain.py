"""One dyad's last days, in words (the teaching app's "explain one dyad" panel).

The model keeps per-dyad counters (signal episodes, prompt and appropriate answers, mismatched
first answers, repairs, frightening moments) and each day's levels (crying minutes, caregiver
stress, depression, who of the network is there, the infant's working model). A
:class:`DyadDiary` takes a snapshot of every dyad after each day and keeps the differences for
the last few days; :func:`describe_day` and :func:`summarise` turn one dyad's days into
sentences a student can read, and :func:`explain` does both for a model.

The diary only *reads* the model's state after a day has run; it changes nothing and draws no
random numbers, so a model with a diary gives exactly the results of one without.

Words used (the caregiver's own answers; episodes a supporter took over are not counted, as
the infant learns about its caregiver from the caregiver's answers):

- *signals*: the infant's bids that reached the caregiver (cries, fusses, smiles, faces; not the
  distress a muting infant hid);
- *met promptly*: noticed, answered, and the first answer fitted the need, in time: within
  about 2 s for a smile or a face (the infant's contingency window), within about a minute for
  a cry or a fuss (the time scale of soothing);
- *first answer missed the need*: answered, but with the wrong answer first (e.g. soothing a
  smile, feeding a tired infant); *repaired*: put right within the same episode;
- *not met in time*: not noticed, not answered, turned away, or the right answer came late.

**The reading** names the class the infant's working model would get today in a Strange
Situation *without the noise of a real assessment* (:func:`reading_class`, which calls
``strange_situation.expected_attachment``: the procedure and its coding minus their noise). The
reading is built from that class, so it cannot contradict it (the earlier rules of thumb read
'disorganisation' into a single frightening moment, 'many misses' into one miss, and 'resistance'
into a secure infant's slight amplifying). Before birth there is no class: no expectations have
been learned yet. Its other phrases follow the numbers of the same days: 'many' first answers
missed only when at least ``MANY_MISSES_SHARE`` of the signals did, frightening moments by their
count, D only when the class is D. One Strange Situation (the app's preview, or the assessment)
differs from the noise-free class by chance for about 1 infant in 5; :func:`strange_situation_words`
says so when given the class.

**Two caregivers** (a household, ``components.household``): the infant has a working model of
each caregiver, learned from that one's own answers. The app keeps a second diary of the second
caregivers' rows (``model.second_diary``, the same :class:`DyadDiary` on ``model.households.state``)
and :func:`explain` reads each relationship with the same rules (:func:`summarise`, :func:`reading`,
:func:`reading_class` with ``second=True``), under its own heading, then says that attachment is
relationship-specific (:data:`RELATIONSHIP_SPECIFIC`; Fox, Kimmerly & Schafer 1991).

Every term the explainer shows has a plain-words entry in :data:`GLOSSARY` (:func:`glossary_for`
picks the ones a text uses), and every explanation carries :data:`MODEL_NOT_DIAGNOSIS`: a
teaching model's reading of a simulated infant is not a judgement of any real child.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
from scipy.special import ndtr

from simulation.measures.strange_situation import (
    BEHAVIOURS, INPUTS, StrangeSituationParams, episode_table, expected_attachment, security_index)
from simulation.model.calendar import DAYS_PER_MONTH
from simulation.model.components.support import ROLES

COUNTERS = ("signals", "met_first", "mismatched", "repaired", "frights")
"""Cumulative per-dyad counters whose daily increase the diary keeps."""
LEVELS = ("cry_minutes_today", "unsoothed_minutes", "shared_smiles", "perceived_negative", "stress", "depressed",
          "responsiveness_today", "relief_today", "availability", "unpredictability", "expected_rejection",
          "amplify", "mute", "fear")
"""Per-dyad values of the day (read after the day has run)."""

BEHAVIOUR_WORDS = {"exploring": "explores", "crying": "cries", "proximity_seeking": "seeks the caregiver",
                   "contact_maintaining": "holds on", "resistance": "resists", "avoidance": "avoids",
                   "disorganised": "freezes or approaches and veers away"}
"""How the Strange Situation trace's behaviours read in words."""
assert set(BEHAVIOUR_WORDS) == set(BEHAVIOURS)
DAY_STATE_WORDS = 1.0
"""A day's state beyond this many SD reads as tired/unwell (above) or well rested (below)."""
MASKED = 0.1
"""Arousal hidden from view beyond this (0..1) is mentioned."""

AMPLIFY_NOTICEABLE = 0.25
"""Amplifying at or above this (0..1) is mentioned: a quarter of full strength, where the resistance
it would show in the Strange Situation passes 2.5 on the 1-7 scale (1-2 read as no sign of it)."""
MUTE_NOTICEABLE = 0.25
"""Muting at or above this is mentioned: as for amplifying, avoidance 2.5 of 7 in the Strange Situation."""
FEAR_NOTICEABLE = 0.15
"""Fear of the caregiver at or above this (0..1) is mentioned: about three frightening moments not yet
faded (``infant.fear_per_fright`` 0.05 each), the level where a moment is no longer an isolated one."""
MANY_MISSES_SHARE = 0.25
"""'Many' first answers missed: at least one signal in four got a wrong first answer in the days read.
A wording threshold: about 1 dyad-week in 15 reaches it with the good-enough caregiver (first answers
fit 70% of the time), about 1 in 500 with the perfect one (95%), where 93 of 100 read 'many first
answers miss' before (issue 17); below it the text gives the counts without calling them many."""
MOST = 0.5
"""'Most' means more than half (the word's meaning): of the misses repaired, of the bids met."""
CLASS_WORDS = {
    "A": "avoidant: the infant keeps its distress to itself and turns away from the caregiver when "
         "the caregiver comes back",
    "B": "secure: the infant seeks the caregiver when upset, is comforted, and goes back to play",
    "C": "resistant (ambivalent): the infant clings and protests, and is hard to settle when the caregiver "
         "comes back",
    "D": "disorganised: the infant has no one way of coping with distress with this caregiver (it freezes, or "
         "approaches and veers away)",
}
"""What each class means, in plain words (Ainsworth et al. 1978; Main & Solomon 1990)."""
CLASS_NAMES = {"A": "avoidant", "B": "secure", "C": "resistant", "D": "disorganised"}
"""The one-word name of each class."""
MODEL_NOT_DIAGNOSIS = (
    "*This is a teaching model's reading of a simulated infant, not a diagnosis.* Real children cannot be "
    "classified from a week of counts; even a real Strange Situation is a research measure (two trained "
    "coders agree on about 4 infants in 5), and an insecure class is not a disorder.")
"""Shown with every explanation (issue 17): students must not read the model's classes as judgements of
real children or parents."""


@dataclass
class DyadDay:
    """What happened to one dyad on one day (the caregiver's own episodes)."""

    day: int
    signals: int = 0
    met_promptly: int = 0
    mismatched: int = 0
    repaired: int = 0
    frightening: int = 0
    cry_minutes: float = 0.0
    unsoothed_minutes: float = 0.0
    shared_smiles: int = 0
    faces_read_negative: int = 0
    stress: float = 0.0
    depressed: bool = False
    responsiveness: float = 0.0
    relief_share: float = 0.0
    supporters_present: list[str] = field(default_factory=list)
    availability: float = 0.0
    unpredictability: float = 0.0
    expected_rejection: float = 0.0
    amplify: float = 0.0
    mute: float = 0.0
    fear: float = 0.0
    security: float = 0.0
    attachment: str = ""
    """A/B/C/D of the working model at the end of the day, without assessment noise ("" before birth)."""

    @property
    def unrepaired(self) -> int:
        return self.mismatched - self.repaired

    @property
    def not_met(self) -> int:
        """Signals neither met promptly nor answered with a (mismatched) first answer."""
        return max(self.signals - self.met_promptly - self.mismatched, 0)

    @property
    def age_months(self) -> float:
        return self.day / DAYS_PER_MONTH


class DyadDiary:
    """Snapshots of every dyad after each day; keeps the last ``days`` days.

    Call :meth:`record` after each day (the state as the day left it). Memory is small: a few
    arrays of length ``n`` per day kept. ``params``: the ``[assessment]`` section the security
    index and the noise-free class are computed with (default: its declared defaults).
    """

    def __init__(self, state, days: int = 14, params: StrangeSituationParams | None = None):
        self.days = int(days)
        self.params = params
        self._entries: deque[dict] = deque(maxlen=self.days)
        self._last = {name: getattr(state, name).copy() for name in COUNTERS}

    def record(self, day: int, state) -> None:
        entry: dict = {"day": int(day)}
        for name in COUNTERS:
            now = getattr(state, name)
            entry[name] = (now - self._last[name]).astype(np.int64)
            self._last[name] = now.copy()
        for name in LEVELS:
            entry[name] = getattr(state, name).copy()
        entry["sup_present"] = state.sup_present.copy()
        entry["sup_role"] = state.sup_role.copy()
        entry["security"] = security_index(state, self.params)
        # no class before birth: the newborn's expectations are a prior, not learned (Bowlby 1969)
        entry["attachment"] = (expected_attachment(state, self.params) if day >= 0
                               else np.full(len(entry["security"]), ""))
        self._entries.append(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def dyad(self, i: int, last: int | None = None) -> list[DyadDay]:
        """The recorded days of dyad ``i`` (oldest first), at most the ``last`` ones."""
        entries = list(self._entries)
        if last is not None:
            entries = entries[-last:] if last > 0 else []
        out = []
        for e in entries:
            present = [ROLES[int(r)] for r, p in zip(e["sup_role"][i], e["sup_present"][i]) if p]
            out.append(DyadDay(
                day=e["day"], signals=int(e["signals"][i]), met_promptly=int(e["met_first"][i]),
                mismatched=int(e["mismatched"][i]), repaired=int(e["repaired"][i]),
                frightening=int(e["frights"][i]), cry_minutes=float(e["cry_minutes_today"][i]),
                unsoothed_minutes=float(e["unsoothed_minutes"][i]), shared_smiles=int(e["shared_smiles"][i]),
                faces_read_negative=int(e["perceived_negative"][i]), stress=float(e["stress"][i]),
                depressed=bool(e["depressed"][i]), responsiveness=float(e["responsiveness_today"][i]),
                relief_share=float(e["relief_today"][i]), supporters_present=present,
                availability=float(e["availability"][i]), unpredictability=float(e["unpredictability"][i]),
                expected_rejection=float(e["expected_rejection"][i]), amplify=float(e["amplify"][i]),
                mute=float(e["mute"][i]), fear=float(e["fear"][i]), security=float(e["security"][i]),
                attachment=str(e["attachment"][i])))
        return out


# ------------------------------------------------------------------------------------ words
def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _supporters(roles: list[str]) -> str:
    if not roles:
        return "nobody else was there"
    counts: dict[str, int] = {}
    for r in roles:
        counts[r] = counts.get(r, 0) + 1
    parts = []
    for role, k in counts.items():
        if role == "partner":
            parts.append("the partner")
        elif role == "health visitor":
            parts.append("the health visitor")
        else:
            parts.append(_n(k, "family member or friend", "family members or friends"))
    return "there to help: " + ", ".join(parts)


def stress_words(stress: float) -> str:
    if stress < 0.2:
        return "calm"
    if stress < 0.4:
        return "somewhat stressed"
    if stress < 0.6:
        return "stressed"
    return "very stressed"


def age_words(day: int) -> str:
    if day < 0:
        return f"{-day} days before birth"
    return f"day {day}, {day / DAYS_PER_MONTH:.1f} months old"


def describe_day(d: DyadDay) -> str:
    """One day in one or two sentences."""
    if d.day < 0:
        return (f"**{age_words(d.day).capitalize()}**: not born yet. The caregiver is {stress_words(d.stress)} "
                f"(stress {d.stress:.2f}){', depressed' if d.depressed else ''}; {_supporters(d.supporters_present)}.")
    parts = [f"**{age_words(d.day).capitalize()}**: {_n(d.signals, 'signal')} to the caregiver"]
    if d.signals:
        answers = [f"{d.met_promptly} met promptly and right first time"]
        if d.mismatched:
            if d.repaired == d.mismatched:
                answers.append(f"{d.mismatched} first {'answer' if d.mismatched == 1 else 'answers'} missed the need "
                               f"and {'was' if d.mismatched == 1 else 'both were' if d.mismatched == 2 else 'all were'}"
                               " repaired")
            elif d.repaired:
                answers.append(f"{d.mismatched} first {'answer' if d.mismatched == 1 else 'answers'} missed the need, "
                               f"{d.repaired} repaired and {d.unrepaired} left unrepaired")
            else:
                answers.append(f"{d.mismatched} first {'answer' if d.mismatched == 1 else 'answers'} missed the need "
                               f"and {'was' if d.mismatched == 1 else 'were'} not repaired")
        if d.not_met:
            answers.append(f"{d.not_met} not met in time (unnoticed, unanswered, turned away or late)")
        parts[0] += ": " + "; ".join(answers)
    text = parts[0] + "."
    extra = [f"Crying {d.cry_minutes:.0f} min" + (f" ({d.unsoothed_minutes:.0f} unsoothed)" if d.unsoothed_minutes >= 0.5
                                                    else "")]
    if d.shared_smiles:
        extra.append(_n(d.shared_smiles, "shared smile"))
    if d.faces_read_negative:
        extra.append(f"{_n(d.faces_read_negative, 'face')} read as upset")
    if d.frightening:
        extra.append(f"**{_n(d.frightening, 'frightening moment')}**")
    caregiver = f"caregiver {stress_words(d.stress)} (stress {d.stress:.2f})"
    if d.depressed:
        caregiver += ", depressed"
    extra.append(caregiver)
    extra.append(_supporters(d.supporters_present)
                 + (f" (took over about {100 * d.relief_share:.0f}% of signals)" if d.relief_share >= 0.01 else ""))
    return text + " " + "; ".join(extra) + "."


@dataclass
class Summary:
    days: int
    signals: int
    met_promptly: int
    mismatched: int
    repaired: int
    not_met: int
    frightening: int
    cry_minutes: float
    security_start: float
    security_end: float
    availability_start: float
    availability_end: float
    text: list[str]
    attachment: str | None = None
    """The class the reading names (A/B/C/D without assessment noise); None before birth or before any day."""
    reading: str = ""
    """The reading (the last line of ``text`` once a day has run)."""


def summarise(days: list[DyadDay], attachment: str | None = None,
              params: StrangeSituationParams | None = None, who: str | None = None) -> Summary:
    """Totals over ``days`` (caregiver's own episodes) and what they teach the infant, in words.

    ``attachment``: the class the reading names; default the last day's noise-free class as the
    diary recorded it (:func:`explain` passes the model's own, :func:`reading_class`). ``params``:
    the ``[assessment]`` section (which of fear or conflicting strategies disorganises). ``who``:
    which caregiver these days are of, in a two-caregiver household ("the first caregiver", "the
    second caregiver"; :data:`WHO`): the crying is then the crying in that caregiver's time and
    the reading names the relationship (None: the only caregiver).
    """
    born = [d for d in days if d.day >= 0]
    if not days:
        none = "No day has run yet: press Step."
        return Summary(0, 0, 0, 0, 0, 0, 0, 0.0, np.nan, np.nan, np.nan, np.nan, [none], None, none)
    first, last = days[0], days[-1]
    if attachment is None and last.day >= 0:
        attachment = last.attachment or None
    tot = Summary(
        days=len(days), signals=sum(d.signals for d in born), met_promptly=sum(d.met_promptly for d in born),
        mismatched=sum(d.mismatched for d in born), repaired=sum(d.repaired for d in born),
        not_met=sum(d.not_met for d in born), frightening=sum(d.frightening for d in born),
        cry_minutes=float(np.mean([d.cry_minutes for d in born])) if born else 0.0,
        security_start=first.security, security_end=last.security,
        availability_start=first.availability, availability_end=last.availability, text=[],
        attachment=attachment if last.day >= 0 else None)
    lines = tot.text
    if not born:
        lines.append("The infant is not born yet: only the caregiver's stress, mood and support change. "
                     "Stress and depression before birth carry over into the first weeks.")
        tot.reading = reading(tot, last, params, who)
        lines.append(tot.reading)
        return tot
    span = f"Over these {_n(len(born), 'day')}"
    if tot.signals:
        met = tot.met_promptly / tot.signals
        line = (f"{span}: {tot.signals} signals, {100 * met:.0f}% met promptly and right first time "
                f"(real dyads: about 30%)")
        if tot.mismatched:
            line += (f"; {tot.mismatched} first answers missed the need and {tot.repaired} of them "
                     f"({100 * tot.repaired / tot.mismatched:.0f}%) were repaired")
        line += f"; {tot.not_met} were not met in time"
        if tot.frightening:
            line += f"; **{_n(tot.frightening, 'frightening moment')}**"
        line += (f". Crying: {tot.cry_minutes:.0f} min a day." if who is None
                 else f". Crying while with {who}: {tot.cry_minutes:.0f} min a day.")
        lines.append(line)
    elif tot.frightening:
        lines.append(f"{span}: no signals reached the caregiver; **{_n(tot.frightening, 'frightening moment')}**.")
    trend = last.availability - first.availability
    direction = "up" if trend > 0.005 else "down" if trend < -0.005 else "about the same"
    lines.append(f"**What the infant learns**: it expects about {100 * last.availability:.0f}% of its bids "
                 f"to be soothed promptly ({direction}"
                 + (f" from {100 * first.availability:.0f}%" if direction != "about the same" else "")
                 + f"); security index {last.security:.2f}"
                 + (f" (was {first.security:.2f})" if abs(last.security - first.security) >= 0.005 else "") + ".")
    tot.reading = reading(tot, last, params, who)
    lines.append(tot.reading)
    return tot


def _fear_disorganises(last: DyadDay, params: StrangeSituationParams | None) -> bool:
    """Whether fear, rather than amplifying and muting at once, drives a D (the larger of the two terms
    of disorganised behaviour in the Strange Situation: ``organisation``)."""
    p = params or StrangeSituationParams()
    return p.fear_disorganisation * last.fear >= p.conflict_disorganisation * last.amplify * last.mute


def reading(tot: Summary, last: DyadDay, params: StrangeSituationParams | None = None,
            who: str | None = None) -> str:
    """The reading: the class the working model would get today without assessment noise
    (``tot.attachment``), what it means, why the model's infant came to it, and what these days'
    numbers say, each phrase only when the numbers beside it bear it out (thresholds above).
    ``who``: the caregiver of this working model in a two-caregiver household (:data:`WHO`; the
    reading then says with whom), None for the only caregiver."""
    cls = tot.attachment
    title = "**Reading**" if who is None else f"**Reading, with {who}**"
    if last.day < 0:
        return (f"{title}: not born yet, so no expectations of the caregiver yet and no attachment "
                "class (A/B/C/D) to read.")
    if cls not in CLASS_WORDS:  # days made by hand, without the diary's class
        return f"{title}: no class recorded for these days."
    model_of = "this working model" if who is None else f"the infant's working model of {who}"
    notes = [f"{title} (the model's): seen in a Strange Situation today, without the chance variation of a "
             f"real assessment, {model_of} would be classified **{cls}**, {CLASS_WORDS[cls]}."]
    fear = f"fear of the caregiver {last.fear:.2f} on a 0-1 scale"
    if cls == "A":
        notes.append(f"Why: over weeks and months its bids were often turned away or left unanswered (it now "
                     f"expects about {100 * last.expected_rejection:.0f}% to be turned away or ignored), so it has "
                     f"learned to mute them: fewer, weaker signals (muting {last.mute:.2f} of full strength).")
    elif cls == "C":
        notes.append(f"Why: answers have come on some days and not on others (how much they vary: "
                     f"{last.unpredictability:.2f}), so it has learned to amplify: louder, longer signals to keep "
                     f"the caregiver close (amplifying {last.amplify:.2f} of full strength).")
    elif cls == "D":
        if _fear_disorganises(last, params):
            notes.append(f"Why: frightening moments, again and again, have made the caregiver a source of comfort "
                         f"*and* of fear ({fear}); no way of coping solves that.")
        else:
            notes.append(f"Why: it mutes and amplifies at once (muting {last.mute:.2f}, amplifying "
                         f"{last.amplify:.2f}), and neither way of coping works.")
    else:
        share = tot.mismatched / tot.signals if tot.signals else 0.0
        mostly_repaired = tot.mismatched > 0 and tot.repaired > MOST * tot.mismatched
        if tot.signals and share >= MANY_MISSES_SHARE:
            count = f"{tot.mismatched} of {tot.signals} signals, at least 1 in {round(1 / MANY_MISSES_SHARE)}"
            notes.append(f"Many first answers missed the need ({count}), but most were repaired: the infant learns "
                         "that its caregiver comes back and puts things right, the good-enough pattern that "
                         "builds security." if mostly_repaired else
                         f"Many first answers missed the need ({count}) and most were not repaired: if that "
                         "lasts, the infant expects less comfort and security falls.")
        elif tot.signals and tot.met_promptly + tot.repaired > MOST * tot.signals:
            notes.append("Most bids ended with the caregiver meeting the need: what keeps the infant secure.")
        elif tot.signals:
            notes.append("Half or more of the bids ended without the need met: if that lasts, the infant expects "
                         "less comfort and security falls.")
        if last.amplify >= AMPLIFY_NOTICEABLE:
            notes.append(f"It has begun to signal louder and longer (amplifying {last.amplify:.2f} of full "
                         "strength), not enough to change its class.")
        if last.mute >= MUTE_NOTICEABLE:
            notes.append(f"It has begun to hold back its signals (muting {last.mute:.2f} of full strength), not "
                         "enough to change its class.")
    if cls != "D" and (tot.frightening or last.fear >= FEAR_NOTICEABLE):
        moments = (f"{_n(tot.frightening, 'frightening moment')} in these days" if tot.frightening
                   else "No frightening moment in these days")
        notes.append(f"{moments}; {fear}. Fear builds up only if they keep happening, and fades over months.")
    return " ".join(notes)


# ------------------------------------------------------------------------------- the whole panel
STATE_OF_MIND_WORDS = {
    "unresolved": "still troubled by a loss or trauma not worked through (an *unresolved state of mind*)",
    "dismissing": "plays down how their own childhood felt (a *dismissing state of mind*)",
    "preoccupied": "is still caught up in their own childhood relationships (a *preoccupied state of mind*)",
    "autonomous": "can talk about their own childhood openly and calmly (an *autonomous state of mind*)",
}
"""The caregiver's adult attachment state of mind (Main's Adult Attachment Interview), in plain words."""


def reading_class(model, dyad: int, second: bool = False) -> str | None:
    """A/B/C/D of dyad ``dyad``'s working model as the last day left it, without assessment noise
    (``strange_situation.expected_attachment`` with the model's ``[assessment]``); None while no day
    of life has run (the last day run is before birth, or none has run): no expectations yet.
    ``second``: the infant's working model of its second caregiver (``model.households.state``;
    None when the dyad has none)."""
    if model.day - 1 < 0:
        return None
    if second:
        if not has_second(model, dyad):
            return None
        state, params = model.households.state, model.households.params.assessment
    else:
        state, params = model.state, model.params.assessment
    row = SimpleNamespace(**{name: np.asarray(getattr(state, name))[dyad:dyad + 1] for name in INPUTS})
    return str(expected_attachment(row, params)[0])


def has_second(model, dyad: int) -> bool:
    """Whether dyad ``dyad``'s infant has a second caregiver (a two-caregiver household)."""
    h = getattr(model, "households", None)
    return h is not None and bool(h.two[dyad])


WHO = ("the first caregiver", "the second caregiver")
"""How the explainer names the two caregivers of a two-caregiver household."""
RELATIONSHIP_SPECIFIC = (
    "Attachment is **relationship-specific**: the infant has a working model of each caregiver, learned "
    "from that caregiver's own answers, so its class can differ from one to the other (Fox, Kimmerly & "
    "Schafer 1991; Main & Weston 1981).")
"""Said with every two-caregiver explanation."""


def relationship_words(first: str | None, second: str | None) -> str:
    """The two relationships side by side, in one sentence (classes without assessment noise, or None
    before birth), then :data:`RELATIONSHIP_SPECIFIC`."""
    if first is None or second is None:
        return ("Two caregivers: once the infant is born it learns a working model of each. "
                + RELATIONSHIP_SPECIFIC)
    same = (f"Here the two readings agree ({CLASS_NAMES[first]} with both)" if first == second else
            f"Here the two readings differ: {CLASS_NAMES[first]} with the first caregiver, {CLASS_NAMES[second]} "
            "with the second")
    return same + ". " + RELATIONSHIP_SPECIFIC


def _history(s, dyad: int) -> str:
    return ("unresolved" if s.unresolved[dyad] else "dismissing" if s.dismissing[dyad] else
            "preoccupied" if s.preoccupied[dyad] else "autonomous")


def _answers(caregiver, who: str) -> str:
    return (f"On an average day {who} answers about {100 * caregiver.responsiveness:.0f} in 100 of the distress "
            f"signals they notice, and puts right about {100 * caregiver.repair:.0f} in 100 first answers that "
            "missed the need")


def _answers_too(caregiver) -> str:
    """The second caregiver's answering and repair, after the first's (:func:`_answers`)."""
    return f"the second, about {100 * caregiver.responsiveness:.0f} and {100 * caregiver.repair:.0f} in 100"


def headline(model, dyad: int) -> str:
    """Who dyad ``dyad`` is, in plain words: the caregiver's risks, history, answering and repair, the
    network, and the infant's temperament as a share of infants; in a two-caregiver household the
    second caregiver's own history, answering and repair too (the risk factors are the household's)."""
    caregiver = model.caregivers[dyad]
    s = model.state
    roles = [ROLES[int(r)] for r, e in zip(s.sup_role[dyad], s.sup_exists[dyad]) if e]
    z = float(s.negative_emotionality[dyad])
    if has_second(model, dyad):
        s2 = model.households.state
        who = (f"Dyad {dyad}: the infant lives with two caregivers. The first has "
               f"{_n(int(s.risk_count[dyad]), 'risk factor')} and {STATE_OF_MIND_WORDS[_history(s, dyad)]}; "
               f"the second has {_n(int(s2.risk_count[dyad]), 'risk factor')} and "
               f"{STATE_OF_MIND_WORDS[_history(s2, dyad)]}. {_answers(caregiver, 'the first caregiver')}; "
               f"{_answers_too(model.second_caregivers[dyad])}; ")
    else:
        who = (f"Dyad {dyad}: the caregiver has {_n(int(s.risk_count[dyad]), 'risk factor')} and "
               f"{STATE_OF_MIND_WORDS[_history(s, dyad)]}. {_answers(caregiver, 'the caregiver')}; ")
    return (who + f"{_n(len(roles), 'supporter')}" + (f" ({', '.join(sorted(set(roles)))})" if roles else "")
            + f". The infant's temperament: gets upset more easily than about {100 * ndtr(z):.0f} in 100 infants "
              f"(*proneness to distress* {z:+.1f} SD).")


def explain(model, dyad: int, days: int = 7) -> dict:
    """Sentences about dyad ``dyad`` of an app model with a ``diary``: its last ``days`` days.

    Returns ``{"dyad", "headline", "days": [sentence, ...] (newest first), "summary": [...],
    "recorded", "attachment", "reading", "second", "note", "glossary"}``: ``attachment`` is
    :func:`reading_class` (the class the reading names), ``reading`` the reading (also a line of
    the summary), ``note`` is :data:`MODEL_NOT_DIAGNOSIS` (also the summary's last line, so that
    the panel shows it), ``glossary`` the :data:`GLOSSARY` entries for the terms of the headline,
    the days and the summary (:func:`glossary_for`; with a second caregiver, of its days too).

    ``second``: None for an infant with one caregiver. With two (a household,
    ``components.household``) the same for the infant's relationship with the second caregiver,
    ``{"attachment", "reading", "days", "recorded"}``, from the model's ``second_diary`` (a
    :class:`DyadDiary` of ``model.households.state``) and the noise-free class of the working model
    of that caregiver; the summary then reads each relationship under its own heading (the first
    caregiver's fields above are that relationship's), says how much the infant cried in all, and
    that attachment is relationship-specific (:func:`relationship_words`).
    """
    diary: DyadDiary | None = getattr(model, "diary", None)
    dyad = int(min(max(dyad, 0), model.n - 1))
    recorded = diary.dyad(dyad, last=days) if diary is not None else []
    two = has_second(model, dyad)
    cls = reading_class(model, dyad)
    summary = summarise(recorded, attachment=cls, params=model.params.assessment, who=WHO[0] if two else None)
    head = headline(model, dyad)
    words = [describe_day(d) for d in reversed(recorded)]
    second = None
    if two:
        diary2: DyadDiary | None = getattr(model, "second_diary", None)
        recorded2 = diary2.dyad(dyad, last=days) if diary2 is not None else []
        cls2 = reading_class(model, dyad, second=True)
        summary2 = summarise(recorded2, attachment=cls2, params=model.households.params.assessment, who=WHO[1])
        words2 = [describe_day(d) for d in reversed(recorded2)]
        second = {"attachment": summary2.attachment, "reading": summary2.reading, "days": words2,
                  "recorded": recorded2}
        text = [f"**With {WHO[0]}**", *summary.text, f"**With {WHO[1]}**", *summary2.text]
        theirs = {d.day: d.cry_minutes for d in recorded2}
        born = [d.cry_minutes + theirs[d.day] for d in recorded if d.day >= 0 and d.day in theirs]
        if born:
            text.append(f"In all, with either caregiver, the infant cried about {np.mean(born):.0f} min a day.")
        text += [relationship_words(summary.attachment, summary2.attachment), MODEL_NOT_DIAGNOSIS]
        shown = (head, *words, *words2, *text)
    else:
        text = [*summary.text, MODEL_NOT_DIAGNOSIS]
        shown = (head, *words, *text)
    return {"dyad": dyad, "headline": head, "days": words, "summary": text, "recorded": recorded,
            "attachment": summary.attachment, "reading": summary.reading, "second": second,
            "note": MODEL_NOT_DIAGNOSIS, "glossary": glossary_for(*shown)}


def strange_situation_words(trace, expected: str | None = None, who: str | None = None) -> list[str]:
    """One dyad's Strange Situation (a trace from ``strange_situation.trace_one``) in sentences: the
    coded result, then each episode (who is there, arousal, the share of its 15-s intervals with
    each behaviour).

    ``expected``: the class of today's working model without assessment noise (``explain()``'s
    ``attachment``); when a preview's chance gives another class, the first sentence says so, so
    that the panel does not show two classes unexplained. ``who``: with which caregiver, in a
    two-caregiver household (:data:`WHO`; the trace of the second is ``trace_one(model.households,
    dyad)``)."""
    a = trace.attrs
    sc = a["scales"]
    when = (f"if assessed today ({a['age_months']:.1f} months)" if a["preview"]
            else f"at {a['age_months']:g} months")
    if who is not None:
        when = f"with {who} {when}"
    z = a["day_state"]
    day = ("a tired or unwell day" if z > DAY_STATE_WORDS else "a well-rested day" if z < -DAY_STATE_WORDS
           else "an ordinary day")
    lines = [f"**Strange Situation {when}**: classified **{a['attachment']}**"
             + (f" (forced A/B/C: {a['attachment_abc']})" if a["attachment"] == "D" else "")
             + f"; reunion scales PS {sc['proximity_seeking']:g}, CM {sc['contact_maintaining']:g}, "
               f"RS {sc['resistance']:g}, AV {sc['avoidance']:g} (1-7), DS {sc['disorganisation']:g} (1-9); "
               f"security {a['security']:.2f}; {day}"
             + (f". By this run's chance: without it, today's working model is classified **{expected}** (the "
                "reading)." if a["preview"] and expected and expected != a["attachment"] else ".")]
    table = episode_table(trace)
    start = trace["arousal"].iloc[0]
    for row in table.itertuples():
        shown = row.arousal_end - row.shown_end
        doing = [f"{BEHAVIOUR_WORDS[b]} {100 * getattr(row, b):.0f}%" for b in BEHAVIOURS if getattr(row, b) > 0]
        lines.append(f"{row.episode}. {row.episode_name} ({row.present}): arousal {start:.2f} → {row.arousal_end:.2f}"
                     + (f", of which {shown:.2f} hidden" if shown > MASKED else "")
                     + ("; " + ", ".join(doing) if doing else "; does none of these") + ".")
        start = row.arousal_end
    return lines


# ------------------------------------------------------------------------------------ glossary
GLOSSARY = {
    "signal": "Anything the infant does that asks for the caregiver: a cry, a fuss, a smile, a face. Only the "
              "signals that reached the caregiver are counted (not those a helper took over, nor the distress "
              "an infant hid).",
    "met promptly and right first time": "The caregiver noticed the signal, answered it, and the first answer "
                                         "fitted the need, in time: within about 2 seconds for a smile or a face, "
                                         "within about a minute for a cry or a fuss.",
    "first answer missed the need": "The caregiver answered, but the first answer did not fit (soothing a "
                                    "smile, feeding a tired infant). Even good caregivers miss often.",
    "repair": "Putting a missed answer right within the same moment (trying something else until it fits). "
              "Repair, not never missing, is what builds security (Tronick & Gianino 1986).",
    "not met in time": "The signal went unnoticed or unanswered, was turned away, or the right answer came "
                       "too late for the infant to link it to its signal.",
    "frightening moment": "A moment when the caregiver looks frightened or frightening to the infant (a sudden "
                          "loud or threatening gesture, a blank, 'absent' stare), often from the caregiver's "
                          "own stress or memories. One does not harm an infant; many, over months, can make the "
                          "caregiver a source of fear as well as of comfort.",
    "fear of the caregiver": "How much the infant has come to fear its caregiver (0 = not at all, 1 = fully), "
                             "built up by frightening moments and fading slowly over months.",
    "shared smile": "The infant smiled and the caregiver smiled back in time: a moment of shared delight.",
    "face read as upset": "The caregiver read a neutral or happy face as upset (and so answered the wrong need).",
    "crying": "Minutes the infant cried in the day; 'unsoothed': minutes nobody was comforting it.",
    "stress": "How stressed the caregiver is today, 0 (calm) to 1 (very stressed): raised by crying, tiredness "
              "and life's troubles, eased by help.",
    "depressed": "The caregiver has a depressive episode today: low mood and energy make noticing and answering "
                 "signals harder.",
    "there to help": "Who of the caregiver's network (partner, family or friends, the health visitor) was "
                     "around today; helpers can take over some of the infant's signals and ease stress.",
    "supporter": "Someone in the caregiver's network who can help: the partner, family or friends, a health "
                 "visitor.",
    "risk factor": "A circumstance that makes attuned care harder: earlier depression, a hard relationship with "
                   "one's own parents, partner conflict, low income, stressful events, a difficult pregnancy or "
                   "birth, little support. The more there are, the harder it can be.",
    "state of mind": "How an adult thinks and talks about their own childhood relationships, as judged in a "
                     "research interview (the Adult Attachment Interview). It is about the way of telling, not "
                     "what happened.",
    "autonomous state of mind": "Talks about their own childhood, good or bad, openly, calmly and "
                                "coherently. Parents like this tend to have secure infants.",
    "dismissing state of mind": "Plays down how their own childhood felt and the need for others. In the model "
                                "such caregivers turn bids away more often.",
    "preoccupied state of mind": "Still caught up, angrily or anxiously, in their own childhood relationships. "
                                 "In the model such caregivers are less consistent from day to day.",
    "unresolved state of mind": "A loss or trauma not yet worked through, which shows as lapses when talking "
                                "about it. In the model such caregivers have more frightening moments.",
    "proneness to distress": "Temperament: how easily and how strongly the infant gets upset (researchers call "
                             "it negative emotionality). Inborn in part; it is not the caregiver's doing.",
    "SD": "Standard deviation: the typical distance from the average. 0 SD is an average infant; +1 SD is more "
          "than about 84 in 100 infants, +0.8 SD more than about 79 in 100, -1 SD more than only 16 in 100.",
    "working model": "What the infant has learned to expect of its caregiver from its own experience: will my "
                     "signals be answered, in time, kindly? It guides how the infant signals (Bowlby).",
    "security index": "One number from 0 to 1 for how securely the infant expects comfort: the score its "
                      "working model would get in a Strange Situation on average. Higher is more secure.",
    "Strange Situation": "A 20-minute laboratory procedure at about 12 months (Ainsworth): two short separations "
                         "from the caregiver and two reunions. How the infant greets the caregiver coming back "
                         "gives its class: A, B, C or D.",
    "A/B/C/D": "The four attachment classes: A avoidant, B secure, C resistant (ambivalent), D disorganised. "
               "A, C and D are 'insecure'; being insecure is not a disorder.",
    "A (avoidant)": "In the Strange Situation the infant seems unconcerned and turns away when the caregiver "
                    "comes back: it has learned to keep its distress to itself (its bids were often turned "
                    "away). About 15 in 100 infants in ordinary families.",
    "B (secure)": "The infant seeks the caregiver when upset, is comforted and goes back to play: it expects "
                  "comfort. About 60 in 100 infants in ordinary families.",
    "C (resistant)": "Also called ambivalent: the infant clings, protests and is hard to settle when the "
                     "caregiver comes back: it has learned that comfort comes sometimes, so it signals louder. "
                     "About 10 in 100 infants in ordinary families.",
    "D (disorganised)": "The infant has no one way of coping with the caregiver's return: it freezes, or "
                        "approaches and veers away. Often linked to a caregiver who is also a source of fear. "
                        "About 15 in 100 infants in ordinary families.",
    "without the chance variation of a real assessment": "A real Strange Situation varies by chance: the "
                                                         "infant's day (tired, unwell), what it happens to do "
                                                         "in each moment, the coder's judgement. The reading "
                                                         "leaves those out: the class this working model gets on "
                                                         "average. A real assessment of the same infant gives "
                                                         "another class about 1 time in 5.",
    "mute": "Muting: the infant learns to hold back its signals (fewer, weaker) because they were often "
            "turned away or went unanswered. At full strength it leads to A (avoidant).",
    "amplify": "Amplifying: the infant learns to signal louder and longer because answers come on some days and "
               "not on others. At full strength it leads to C (resistant).",
    "of full strength": "Muting and amplifying run from 0 (not at all) to 1 (full strength).",
    "reunion": "The moments in the Strange Situation when the caregiver comes back (episodes 5 and 8); the "
               "infant's behaviour then gives its class.",
    "PS, CM, RS, AV": "The coder's scales for each reunion, 1 (none) to 7 (very much): PS proximity seeking "
                      "(goes to the caregiver), CM contact maintaining (holds on), RS resistance (angry, pushes "
                      "away while wanting contact), AV avoidance (ignores, turns away).",
    "DS": "Disorganisation, 1 (none) to 9 (strong): freezing, or approaching and veering away at the reunions; "
          "5 or more gives D.",
    "forced A/B/C": "For an infant classified D, the class it would get if D did not exist: the organised way "
                    "of coping underneath.",
    "arousal": "How upset the infant is, 0 (calm) to 1 (as upset as can be); 'hidden': upset that a muting "
               "infant does not show.",
    "second caregiver": "In a two-caregiver household, the other adult who lives with the infant and cares for "
                        "it (a partner, a co-parent): a caregiver in full, with their own history, moods and "
                        "answers. In the model they answer a smaller share of the infant's signals than the first "
                        "caregiver, rising over the first months.",
    "relationship-specific": "An infant's attachment belongs to each relationship, not to the infant: it learns "
                             "what to expect of each caregiver from that caregiver's own answers, so it can be "
                             "secure with one parent and insecure with the other.",
}
"""Plain words for every term the explainer shows (issue 17: students met 'autonomous state of mind'
and '+0.8 SD' unexplained). Shares of classes: low-risk samples (van IJzendoorn, Schuengel &
Bakermans-Kranenburg 1999)."""

GLOSSARY_MATCH = {
    "signal": r"\bsignals?\b",
    "met promptly and right first time": r"\bmet promptly\b",
    "first answer missed the need": r"\bfirst answers? missed the need\b|\bmissed the need\b",
    "repair": r"\brepair",
    "frightening moment": r"\bfrightening moments?\b",
    "shared smile": r"\bshared smiles?\b",
    "face read as upset": r"\bfaces? read as upset\b",
    "crying": r"\bcrying\b",
    "stress": r"\bstress(ed)?\b",
    "supporter": r"\bsupporters?\b",
    "risk factor": r"\brisk factors?\b",
    "state of mind": r"\bstate of mind\b",
    "SD": r"\d SD\b",
    "working model": r"\bworking model\b",
    "A/B/C/D": r"A/B/C/D",
    "A (avoidant)": r"\*\*A\*\*|\bavoidant\b",
    "B (secure)": r"\*\*B\*\*|\bsecure\b",
    "C (resistant)": r"\*\*C\*\*|\bresistant\b",
    "D (disorganised)": r"\*\*D\*\*|\bdisorganised\b",
    "mute": r"\bmut(e|es|ed|ing)\b",
    "amplify": r"\bamplif(y|ies|ied|ying)\b",
    "reunion": r"\breunions?\b",
    "PS, CM, RS, AV": r"\bPS \d",
    "DS": r"\bDS \d",
    "arousal": r"\barousal\b",
    "without the chance variation of a real assessment": r"chance variation|this run's chance",
    "second caregiver": r"\bsecond caregivers?\b|\btwo caregivers\b",
}
"""How each term shows in the text, where not as itself (case-insensitive; class letters only bold)."""
_CASE_SENSITIVE = ("A (avoidant)", "B (secure)", "C (resistant)", "D (disorganised)", "SD", "PS, CM, RS, AV", "DS")


def glossary_for(*texts: str) -> dict[str, str]:
    """The :data:`GLOSSARY` entries for the terms that appear in ``texts`` (e.g. an explanation's
    headline, days and summary, or ``strange_situation_words``), in the glossary's order, so that the
    app can explain exactly the words it shows."""
    text = "\n".join(texts)
    out = {}
    for term, meaning in GLOSSARY.items():
        pattern = GLOSSARY_MATCH.get(term, r"\b" + re.escape(term) + r"\b")
        flags = 0 if term in _CASE_SENSITIVE else re.IGNORECASE
        if re.search(pattern, text, flags):
            out[term] = meaning
    return out

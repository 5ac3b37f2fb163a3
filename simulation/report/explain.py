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
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from simulation.measures.strange_situation import BEHAVIOURS, episode_table, security_index
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
MUTE_NOTICEABLE = 0.25
FEAR_NOTICEABLE = 0.15


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
    arrays of length ``n`` per day kept.
    """

    def __init__(self, state, days: int = 14):
        self.days = int(days)
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
        entry["security"] = security_index(state)
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
                mute=float(e["mute"][i]), fear=float(e["fear"][i]), security=float(e["security"][i])))
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


def summarise(days: list[DyadDay]) -> Summary:
    """Totals over ``days`` (caregiver's own episodes) and what they teach the infant, in words."""
    born = [d for d in days if d.day >= 0]
    if not days:
        return Summary(0, 0, 0, 0, 0, 0, 0, 0.0, np.nan, np.nan, np.nan, np.nan, ["No day has run yet: press Step."])
    first, last = days[0], days[-1]
    tot = Summary(
        days=len(days), signals=sum(d.signals for d in born), met_promptly=sum(d.met_promptly for d in born),
        mismatched=sum(d.mismatched for d in born), repaired=sum(d.repaired for d in born),
        not_met=sum(d.not_met for d in born), frightening=sum(d.frightening for d in born),
        cry_minutes=float(np.mean([d.cry_minutes for d in born])) if born else 0.0,
        security_start=first.security, security_end=last.security,
        availability_start=first.availability, availability_end=last.availability, text=[])
    lines = tot.text
    if not born:
        lines.append("The infant is not born yet: only the caregiver's stress, mood and support change. "
                     "Stress and depression before birth carry over into the first weeks.")
        return tot
    span = f"Over these {_n(len(born), 'day')}"
    if tot.signals:
        met = tot.met_promptly / tot.signals
        line = (f"{span}: {tot.signals} signals, {100 * met:.0f}% met promptly and right first time "
                f"(real dyads: about 30%)")
        if tot.mismatched:
            line += (f"; {tot.mismatched} first answers missed the need and {tot.repaired} of them "
                     f"({100 * tot.repaired / tot.mismatched:.0f}%) were repaired")
        line += f"; {tot.not_met} were not met in time. Crying: {tot.cry_minutes:.0f} min a day."
        lines.append(line)
    trend = last.availability - first.availability
    direction = "up" if trend > 0.005 else "down" if trend < -0.005 else "about the same"
    lines.append(f"**What the infant learns**: it expects about {100 * last.availability:.0f}% of its bids "
                 f"to be soothed promptly ({direction}"
                 + (f" from {100 * first.availability:.0f}%" if direction != "about the same" else "")
                 + f"); security index {last.security:.2f}"
                 + (f" (was {first.security:.2f})" if abs(last.security - first.security) >= 0.005 else "") + ".")
    lines.append(interpretation(tot, last))
    return tot


def interpretation(tot: Summary, last: DyadDay) -> str:
    """One rule-of-thumb reading of the pattern (the mechanisms of the model, in words)."""
    notes = []
    if last.fear >= FEAR_NOTICEABLE or tot.frightening:
        notes.append("frightening moments make the caregiver a source of comfort *and* of fear: "
                     "no strategy can solve that (the road to disorganisation, D)")
    if last.mute >= MUTE_NOTICEABLE:
        notes.append("bids are often turned away or left unanswered, so the infant is learning to mute them: "
                     "fewer, weaker signals (the road to avoidance, A)")
    if last.amplify >= AMPLIFY_NOTICEABLE:
        notes.append("answers vary from day to day, so the infant is learning to amplify: louder, longer "
                     "signals (the road to resistance, C)")
    if notes:
        return "**Reading**: " + "; ".join(notes) + "."
    if tot.mismatched and tot.repaired >= 0.6 * tot.mismatched:
        return ("**Reading**: many first answers miss, but most are repaired: the infant learns that its "
                "caregiver comes back and puts things right, the good-enough pattern that builds security.")
    if tot.signals and tot.met_promptly + tot.repaired >= 0.5 * tot.signals:
        return "**Reading**: most bids end with the caregiver meeting the need: a secure pattern."
    return ("**Reading**: many bids end without the need being met; if this lasts, the infant's expectation of "
            "its caregiver falls and security with it.")


def explain(model, dyad: int, days: int = 7) -> dict:
    """Sentences about dyad ``dyad`` of an app model with a ``diary``: its last ``days`` days.

    Returns ``{"dyad", "headline", "days": [sentence, ...] (newest first), "summary": [...]}``.
    """
    diary: DyadDiary | None = getattr(model, "diary", None)
    n = model.n
    dyad = int(min(max(dyad, 0), n - 1))
    caregiver = model.caregivers[dyad]
    s = model.state
    roles = [ROLES[int(r)] for r, e in zip(s.sup_role[dyad], s.sup_exists[dyad]) if e]
    history = ("an unresolved loss or trauma" if s.unresolved[dyad] else
               "a dismissing state of mind" if s.dismissing[dyad] else
               "a preoccupied state of mind" if s.preoccupied[dyad] else "an autonomous state of mind")
    headline = (f"Dyad {dyad}: a caregiver with {_n(int(s.risk_count[dyad]), 'risk factor')} and {history}, "
                f"answering a noticed distress signal with probability {caregiver.responsiveness:.2f} "
                f"(on an average day) and repairing a missed one with {caregiver.repair:.2f}; "
                f"{_n(len(roles), 'supporter')}"
                + (f" ({', '.join(sorted(set(roles)))})" if roles else "")
                + f". The infant's temperament: proneness to distress {s.negative_emotionality[dyad]:+.1f} SD.")
    recorded = diary.dyad(dyad, last=days) if diary is not None else []
    summary = summarise(recorded)
    return {"dyad": dyad, "headline": headline, "days": [describe_day(d) for d in reversed(recorded)],
            "summary": summary.text, "recorded": recorded}


def strange_situation_words(trace) -> list[str]:
    """One dyad's Strange Situation (a trace from ``strange_situation.trace_one``) in sentences: the
    coded result, then each episode (who is there, arousal, the share of its 15-s intervals with
    each behaviour)."""
    a = trace.attrs
    sc = a["scales"]
    when = (f"if assessed today ({a['age_months']:.1f} months)" if a["preview"]
            else f"at {a['age_months']:g} months")
    z = a["day_state"]
    day = ("a tired or unwell day" if z > DAY_STATE_WORDS else "a well-rested day" if z < -DAY_STATE_WORDS
           else "an ordinary day")
    lines = [f"**Strange Situation {when}**: classified **{a['attachment']}**"
             + (f" (forced A/B/C: {a['attachment_abc']})" if a["attachment"] == "D" else "")
             + f"; reunion scales PS {sc['proximity_seeking']:g}, CM {sc['contact_maintaining']:g}, "
               f"RS {sc['resistance']:g}, AV {sc['avoidance']:g} (1-7), DS {sc['disorganisation']:g} (1-9); "
               f"security {a['security']:.2f}; {day}."]
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

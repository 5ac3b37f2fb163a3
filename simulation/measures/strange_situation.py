"""The Strange Situation (Ainsworth, Blehar, Waters & Wall 1978), at each assessment age.

The infant's behaviour in the reunions is scored on the interactive scales, here derived from
its working model and strategy plus situational noise (the infant's state on the day and coder
error):

- proximity seeking (PS, 1-7) and contact maintaining (CM, 1-7): high when the caregiver is
  expected to be available, higher still under an amplifying strategy, low under a muting one;
- resistance (RS, 1-7): the angry, ambivalent side of amplification;
- avoidance (AV, 1-7): the muting strategy;
- disorganisation (DS, 1-9, Main & Solomon 1990): fear of the caregiver, and the collapse of
  strategy when amplification and muting conflict.

**Classification** by the standard rules, simplified to the scales:

- D if DS >= 5 (Main & Solomon 1990); the forced A/B/C alternative is kept as well;
- A if AV >= 5 and AV >= RS (avoidance dominates the reunions);
- C if RS >= 5 and RS > AV (resistance with contact seeking);
- B otherwise.

**Security score**: a continuous composite of the same scales (in the spirit of the
discriminant-function score of Richters, Waters & Vaughn 1988), from 0 to 1.

Awaiting rewrite (issue "mechanisms that give the right answers"): the mapping from working
model to scales (``latent_scales``) and the security composite keep their coefficients until
that rewrite, which declares them. The scale ranges (1-7, 1-9), the half-point rounding and the
cut-offs of 5 are the coding system's own definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from ..model import streams
from ..model.calendar import month_day
from ..model.component import Analyzer, Column
from ..model.params import BY_HAND, Section, param
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


class StrangeSituationParams(Section):
    """How the Strange Situation is scored (in ``[assessment]``)."""

    situational_noise: float = param(0.12, "noise of the Strange Situation (state on the day, coding)",
                                     unit="0..1 scale", ge=0.0, le=1.0,
                                     source=BY_HAND)


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


def latent_scales(s: DyadState) -> dict[str, np.ndarray]:
    """Expected reunion behaviour on a 0..1 scale per interactive scale (no noise). Awaiting rewrite."""
    a, amp, mute = s.availability, s.amplify, s.mute
    return {
        "proximity_seeking": np.clip(0.35 + 0.5 * a + 0.3 * amp - 0.6 * mute, 0.0, 1.0),
        "contact_maintaining": np.clip(0.2 + 0.4 * a + 0.5 * amp - 0.6 * mute, 0.0, 1.0),
        "resistance": np.clip(amp, 0.0, 1.0),
        "avoidance": np.clip(mute, 0.0, 1.0),
        "disorganisation": np.clip(s.fear + 0.5 * amp * mute, 0.0, 1.0),
    }


def to_scales(latent: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Map 0..1 latent values to the 1-7 (and 1-9) scales, rounded to half points as coders do."""
    out = {}
    for name, value in latent.items():
        top = SCALE_TOP.get(name, SEVEN_POINT) - 1.0
        out[name] = np.round((1.0 + top * np.clip(value, 0.0, 1.0)) * HALF_POINTS) / HALF_POINTS
    return out


def classify(ps, cm, rs, av, ds) -> tuple[np.ndarray, np.ndarray]:
    """A/B/C/D and the forced A/B/C from the interactive scales (rules in the module docstring)."""
    av, rs, ds = np.asarray(av, float), np.asarray(rs, float), np.asarray(ds, float)
    avoidant = (av >= AV_CUTOFF) & (av >= rs)
    resistant = (rs >= RS_CUTOFF) & (rs > av)
    abc = np.where(avoidant, "A", np.where(resistant, "C", "B"))
    cls = np.where(ds >= D_CUTOFF, "D", abc)
    return cls, abc


def security_score(ps, cm, rs, av, ds) -> np.ndarray:
    """0 (insecure) .. 1 (secure): seeking and maintaining contact, without resisting or avoiding,
    minus disorganisation. Awaiting rewrite."""
    balance = (np.asarray(ps) + np.asarray(cm) - np.asarray(rs) - np.asarray(av)) / 12.0  # -1..1
    return np.clip((balance + 1.0) / 2.0 - 0.5 * (np.asarray(ds) - 1.0) / 8.0, 0.0, 1.0)


def security_index(s: DyadState) -> np.ndarray:
    """The security score the infant would show today with no situational noise (daily tracking)."""
    sc = to_scales(latent_scales(s))
    return security_score(sc["proximity_seeking"], sc["contact_maintaining"], sc["resistance"],
                          sc["avoidance"], sc["disorganisation"])


def strange_situation(s: DyadState, noise_sd: float, u: np.ndarray) -> Assessment:
    """Run the Strange Situation for the rows of ``s``. ``u``: uniforms of shape (rows, 5)."""
    latent = latent_scales(s)
    noisy = {name: latent[name] + noise_sd * ndtri(u[:, i]) for i, name in enumerate(SCALE_NAMES)}
    sc = to_scales(noisy)
    args = [sc[n] for n in SCALE_NAMES]
    cls, abc = classify(*args)
    return Assessment(*args, attachment=cls, attachment_abc=abc, security=security_score(*args))


class StrangeSituation(Analyzer):
    """The Strange Situation at each of ``simulation.assessment_ages`` (end of the last day of that month)."""

    name = "strange_situation"
    summary = "Strange Situation at each assessment age: interactive scales, A/B/C/D, security score"
    parameters = {"assessment": StrangeSituationParams}
    columns = (Column("attachment", "A/B/C/D at the first assessment"),
               Column("attachment_abc", "the forced A/B/C at the first assessment"),
               Column("security", "continuous security score (0-1) at the first assessment"),
               Column("attachment_<age>m", "A/B/C/D at every assessment age"),
               Column("security_<age>m", "security score at every assessment age"),
               *(Column(n, "interactive scale at the first assessment") for n in SCALE_NAMES))

    def start(self, model) -> None:
        model.assessments = {}

    def schedule(self, params) -> dict[int, int]:
        return {month_day(age) - 1: age for age in params.simulation.assessment_ages}

    def measure(self, model, age: int) -> None:
        u = streams.uniforms(streams.generator(model.seed, f"assessment:{age}"), (model.n, len(SCALE_NAMES)))
        model.assessments[age] = strange_situation(model.state, model.params.assessment.situational_noise, u)

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
        return cols

"""Outcomes measured the way researchers measure them.

**Strange Situation** (Ainsworth, Blehar, Waters & Wall 1978). The infant's behaviour in the
reunions is scored on the interactive scales, here derived from its working model and strategy
plus situational noise (the infant's state on the day and coder error):

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

**Observed sensitivity** (Ainsworth 1974 scale, 1-9): scored from what the caregiver actually
did during a home-observation window (prompt and appropriate answers, rebuffs, intrusions,
frightening behaviour), with coder error; never from the hidden parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

CLASSES = ("A", "B", "C", "D")
SCALE_NAMES = ("proximity_seeking", "contact_maintaining", "resistance", "avoidance", "disorganisation")
D_CUTOFF = 5.0
AV_CUTOFF = 5.0
RS_CUTOFF = 5.0
INSENSITIVE_WEIGHT = 2.0
"""A rebuff, an unrepaired intrusion or a frightening answer weighs twice a missed signal: the
scale's low anchors describe answers on the caregiver's own terms (Ainsworth 1974)."""


@dataclass
class StrangeSituation:
    """One assessment: the five scales, the class (A/B/C/D), the forced A/B/C, the security score."""

    proximity_seeking: np.ndarray
    contact_maintaining: np.ndarray
    resistance: np.ndarray
    avoidance: np.ndarray
    disorganisation: np.ndarray
    attachment: np.ndarray
    attachment_abc: np.ndarray
    security: np.ndarray


def latent_scales(s) -> dict[str, np.ndarray]:
    """Expected reunion behaviour on a 0..1 scale per interactive scale (no noise)."""
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
        top = 8.0 if name == "disorganisation" else 6.0
        out[name] = np.round((1.0 + top * np.clip(value, 0.0, 1.0)) * 2.0) / 2.0
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
    minus disorganisation."""
    balance = (np.asarray(ps) + np.asarray(cm) - np.asarray(rs) - np.asarray(av)) / 12.0  # -1..1
    return np.clip((balance + 1.0) / 2.0 - 0.5 * (np.asarray(ds) - 1.0) / 8.0, 0.0, 1.0)


def security_index(s) -> np.ndarray:
    """The security score the infant would show today with no situational noise (daily tracking)."""
    sc = to_scales(latent_scales(s))
    return security_score(sc["proximity_seeking"], sc["contact_maintaining"], sc["resistance"],
                          sc["avoidance"], sc["disorganisation"])


def strange_situation(s, noise_sd: float, u: np.ndarray) -> StrangeSituation:
    """Run the Strange Situation for the rows of ``s``. ``u``: uniforms of shape (rows, 5)."""
    latent = latent_scales(s)
    noisy = {name: latent[name] + noise_sd * ndtri(u[:, i]) for i, name in enumerate(SCALE_NAMES)}
    sc = to_scales(noisy)
    args = [sc[n] for n in SCALE_NAMES]
    cls, abc = classify(*args)
    return StrangeSituation(*args, attachment=cls, attachment_abc=abc, security=security_score(*args))


def observed_sensitivity(s, coder_noise: float, u: np.ndarray) -> np.ndarray:
    """Ainsworth's sensitivity (1-9) from the observation-window counters, with coder error.

    9: answers promptly and appropriately; 5: inconsistently sensitive; 1: insensitive,
    answers on own terms. Score: ``1 + 8 x clip(0.7 appropriate + 0.3 prompt - 2 insensitive)``
    plus coder error, rounded to half points. Rows with no signal observed get NaN.
    """
    bids = s.obs_bids.astype(float)
    seen = np.maximum(bids, 1.0)
    appropriate = s.obs_appropriate / seen
    prompt = s.obs_prompt / seen
    insensitive = s.obs_insensitive / seen
    raw = 0.7 * appropriate + 0.3 * prompt - INSENSITIVE_WEIGHT * insensitive
    score = 1.0 + 8.0 * np.clip(raw, 0.0, 1.0) + coder_noise * ndtri(u)
    score = np.round(np.clip(score, 1.0, 9.0) * 2.0) / 2.0
    return np.where(bids > 0, score, np.nan)

"""The questions users ask of the model, asked the way a user would, with answers a reviewer can check.

Issue 16 found that the model fitted its calibration targets yet gave wrong answers to plain
questions. Each probe here asks one of them and returns its answer with 95% CIs;
``experiments/probes.py`` prints them and ``tests/population/test_probes.py`` holds each answer to
its direction and size, so a wrong answer cannot come back unnoticed.

1. **Time scales** (:func:`distress_latency`). Infants detect a social contingency only within
   about 2 s (Millar 1972; Watson 1972), the time scale of face-to-face play; responsiveness to
   crying is measured in tens of seconds to minutes (Bell & Ainsworth 1972). A caregiver who
   soothes cries within ten seconds is as good as one who does so within one; one who leaves
   them three minutes is not.
2. **Interpretation bias** (:func:`negative_bias`). With depression switched off, a caregiver who
   reads infant faces negatively still answers differently: fewer shared moments, more
   irritation (Leerkes, Parade & Gudmundson 2011), so lower coordination and lower security.
3. **Video-feedback and disorganisation** (:func:`video_feedback_disorganisation`). Frightening
   behaviour comes from the caregiver's state (Main & Hesse 1990; Schuengel et al. 1999), not
   from how often she answers, so a programme that raises answering must not raise D.
4. **Temperament** (:func:`temperament`). Negative emotionality is only weakly associated with
   insecurity, modestly with resistance, not significantly with avoidance or disorganisation
   (Groh et al. 2017: :data:`GROH_2017`).
5. **Crying and care** (:func:`crying_and_care`). Worse care does not lower later crying: muting
   hides the bid, not the distress (Ainsworth et al. 1978).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulation.study import analysis, effects, trial
from simulation.study.runner import run

GROH_2017 = {
    "insecure_vs_secure": (0.14, 0.08, 0.19),
    "resistant_vs_secure": (0.30, 0.21, 0.40),
    "avoidant_vs_secure": (0.10, -0.02, 0.19),
    "disorganised_vs_organised": (0.11, -0.03, 0.25),
}
"""Cohen's d of infant negative emotionality between attachment groups, with its 95% CI: Groh,
Narayan, Bakermans-Kranenburg, Roisman, Vaughn, Fearon & van IJzendoorn 2017, Child Dev 88:770
(109 samples, N = 11,440)."""

LATENCIES_S = (1.2, 10.0, 180.0)
"""Median latencies of answers to distress: within the 2-s social window, ten seconds, three minutes."""
BIASES = (0.0, 0.6)
"""Mean negative face-reading bias: none, and a strong one (on the -1..+1 valence scale)."""
RESPONSIVENESS = (0.85, 0.3)
"""Probability of answering a noticed distress signal: good enough, and poor."""
NO_DEPRESSION = {"depression.onset_per_year": 0.0}
"""No depressive episode starts: the bias then acts only through the answers themselves."""


def distress_latency(n_dyads: int = 2000, seed: int = 1, scenario: Any = "good_enough",
                     latencies_s=LATENCIES_S) -> pd.DataFrame:
    """Share secure (B) when every caregiver's median answer to distress takes ``latencies_s``; each
    row's difference from the first, in percentage points with a 95% CI."""
    runs = {lat: run(scenario, n_dyads=n_dyads, seed=seed,
                     overrides={"caregiver.distress_latency_s": lat, "caregiver.distress_latency_s.sd": 0.0}).dyads
            for lat in latencies_s}
    first = runs[latencies_s[0]]["attachment"] == "B"
    rows = []
    for lat, d in runs.items():
        secure = d["attachment"] == "B"
        diff, lo, hi = analysis.share_difference_ci(secure, first)
        rows.append(dict(distress_latency_s=lat, share_B=secure.mean(), B_minus_first_pts=100 * diff,
                         ci_low_pts=100 * lo, ci_high_pts=100 * hi,
                         observed_sensitivity=d["observed_sensitivity"].mean()))
    return pd.DataFrame(rows)


def negative_bias(n_dyads: int = 2000, seed: int = 1, scenario: Any = "community", biases=BIASES) -> pd.DataFrame:
    """With depression off: coordination, share B and the security score at each mean bias, and
    Cohen's d of each against no bias (95% CI)."""
    runs = {b: run(scenario, n_dyads=n_dyads, seed=seed,
                   overrides={**NO_DEPRESSION, "caregiver.negative_bias": b}).dyads for b in biases}
    ref = runs[biases[0]]
    rows = []
    for b, d in runs.items():
        row = dict(negative_bias=b, share_B=(d["attachment"] == "B").mean(), coordination=d["coordination"].mean(),
                   security=d["security"].mean())
        for out in ("coordination", "security"):
            row[f"d_{out}"], row[f"d_{out}_low"], row[f"d_{out}_high"] = effects.cohens_d_ci(
                d[out].to_numpy(float), ref[out].to_numpy(float))
        rows.append(row)
    return pd.DataFrame(rows)


def video_feedback_disorganisation(n_dyads: int | None = None, seed: int = 1, reps: int = 1000) -> dict[str, tuple]:
    """The video-feedback trial's effect on D (percentage points, 95% CI): as the trial estimates it
    (treated vs control dyads), and on the same families with and without the programme (each
    dyad's potential outcomes: the programme's causal effect, without sampling between arms)."""
    result = trial.scenario_trial("video_feedback_trial", n_dyads=n_dyads, seed=seed, reps=reps)
    e = result.effects
    row = e[(e.outcome == "disorganised") & (e.measure == "risk_difference")].iloc[0]
    return {"trial": (100 * row.estimate, 100 * row.ci_low, 100 * row.ci_high),
            "same_families": tuple(100 * v for v in trial.paired_risk_difference(result, "disorganised"))}


def temperament(n_dyads: int = 5000, seed: int = 1, scenario: Any = "community") -> pd.DataFrame:
    """Cohen's d of negative emotionality between attachment groups (95% CI), beside Groh et al. 2017."""
    d = run(scenario, n_dyads=n_dyads, seed=seed).dyads
    rows = []
    for name, (published, low, high) in GROH_2017.items():
        value, lo, hi = temperament_d(d, name)
        rows.append(dict(comparison=name, d=value, ci_low=lo, ci_high=hi, published=published,
                         published_low=low, published_high=high))
    return pd.DataFrame(rows)


def temperament_d(d: pd.DataFrame, comparison: str) -> tuple[float, float, float]:
    """Cohen's d of negative emotionality for one of :data:`GROH_2017`'s comparisons (95% CI)."""
    ne, cls = d["inf_negative_emotionality"].to_numpy(float), d["attachment"].to_numpy()
    groups = {"insecure_vs_secure": (cls != "B", cls == "B"), "resistant_vs_secure": (cls == "C", cls == "B"),
              "avoidant_vs_secure": (cls == "A", cls == "B"), "disorganised_vs_organised": (cls == "D", cls != "D")}
    first, second = groups[comparison]
    return effects.cohens_d_ci(ne[first], ne[second])


def crying_and_care(n_dyads: int = 2000, seed: int = 1, scenario: Any = "good_enough",
                    responsiveness=RESPONSIVENESS) -> pd.DataFrame:
    """Minutes of fussing and crying a day in months 9-12 at each responsiveness, and by class."""
    rows = []
    for r in responsiveness:
        d = run(scenario, n_dyads=n_dyads, seed=seed, overrides={"caregiver.responsiveness": r}).dyads
        late = analysis.mean_ci(d["crying_late"])
        rows.append(dict(responsiveness=r, crying_late=late[0], ci_low=late[1], ci_high=late[2],
                         share_A=(d["attachment"] == "A").mean()))
    return pd.DataFrame(rows)


def crying_by_class(n_dyads: int = 5000, seed: int = 1, scenario: Any = "community") -> pd.DataFrame:
    """Late crying (months 9-12) by attachment class: muting hides the bid, not the distress."""
    d = run(scenario, n_dyads=n_dyads, seed=seed).dyads
    return pd.DataFrame([dict(attachment=c, n=int((d["attachment"] == c).sum()),
                              crying_late=analysis.mean_ci(d.loc[d["attachment"] == c, "crying_late"])[0])
                         for c in "ABCD"])

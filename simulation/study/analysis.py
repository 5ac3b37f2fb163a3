"""Statistics for outputs: confidence intervals, correlations, summary tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simulation.measures.strange_situation import CLASSES

Z95 = 1.959963984540054


def wilson_ci(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927; Brown, Cai & DasGupta 2001)."""
    if n <= 0:
        return (np.nan, np.nan)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def share_difference_ci(a, b) -> tuple[float, float, float]:
    """Share of True in ``a`` minus in ``b``, with Newcombe's hybrid-score 95% CI (the two Wilson
    intervals combined; Newcombe 1998). For independent samples; conservative for the same dyads
    under two conditions."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    (k1, n1), (k0, n0) = (int(a.sum()), a.size), (int(b.sum()), b.size)
    p1, p0 = (k1 / n1 if n1 else np.nan), (k0 / n0 if n0 else np.nan)
    (l1, h1), (l0, h0) = wilson_ci(k1, n1), wilson_ci(k0, n0)
    diff = p1 - p0
    return diff, diff - np.hypot(p1 - l1, h0 - p0), diff + np.hypot(h1 - p1, p0 - l0)


def mean_ci(values, z: float = Z95) -> tuple[float, float, float]:
    """Mean and normal-approximation 95% CI, ignoring NaN."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    return mean_ci_of(x.size, float(x.mean()), float(x.std(ddof=1)) if x.size >= 2 else np.nan, z)


def mean_ci_of(n: int, mean: float, sd: float, z: float = Z95) -> tuple[float, float, float]:
    """Mean and normal-approximation 95% CI from the count, the mean and the sample SD (ddof=1) of
    the values: what ``mean_ci`` reports, also from running sums (``aggregates``)."""
    if n == 0:
        return (np.nan, np.nan, np.nan)
    if n < 2:
        return (mean, np.nan, np.nan)
    half = z * sd / np.sqrt(n)
    return (mean, mean - half, mean + half)


MIN_PAIRS = 4
"""Fewest pairs for a correlation with a CI (Fisher z needs n - 3 > 0); fewer, or no spread: NaN."""


def correlation_ci(x, y, z: float = Z95) -> tuple[float, float, float]:
    """Pearson r with a Fisher-z 95% CI, over pairs where both are defined."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if x.size < MIN_PAIRS or np.std(x) == 0 or np.std(y) == 0:
        return (np.nan, np.nan, np.nan)
    return fisher_ci(float(stats.pearsonr(x, y)[0]), x.size, z)


def fisher_ci(r: float, n: int, z: float = Z95) -> tuple[float, float, float]:
    """A correlation ``r`` of ``n`` pairs with its 95% CI by Fisher's z transformation (Fisher 1915,
    1921): tanh(atanh(r) -+ z / sqrt(n - 3))."""
    fz, se = np.arctanh(np.clip(r, -0.999999, 0.999999)), 1.0 / np.sqrt(n - 3)
    return (r, float(np.tanh(fz - z * se)), float(np.tanh(fz + z * se)))


def share_not_mediated(x, y, m, reps: int = 500, seed: int = 0) -> tuple[float, float, float]:
    """How much of the correlation of ``x`` and ``y`` remains once the mediator ``m`` is partialled
    out: partial r(x, y | m) / r(x, y), with a percentile bootstrap 95% CI over units (the
    "transmission gap" of attachment research: van IJzendoorn 1995). 1: the mediator explains none
    of it; 0: all of it."""
    data = np.column_stack([np.asarray(v, dtype=float) for v in (x, y, m)])
    data = data[~np.isnan(data).any(axis=1)]

    def share(d: np.ndarray) -> float:
        if len(d) < 4 or (d.std(axis=0) == 0).any():
            return np.nan
        c = np.corrcoef(d, rowvar=False)
        rxy, rxm, rym = c[0, 1], c[0, 2], c[1, 2]
        if rxy == 0:
            return np.nan
        partial = (rxy - rxm * rym) / np.sqrt((1.0 - rxm ** 2) * (1.0 - rym ** 2))
        return float(partial / rxy)

    estimate = share(data)
    if not np.isfinite(estimate):
        return (np.nan, np.nan, np.nan)
    rng = np.random.default_rng(seed)
    boot = np.array([share(data[rng.integers(0, len(data), len(data))]) for _ in range(reps)])
    boot = boot[np.isfinite(boot)]
    lo, hi = np.percentile(boot, [2.5, 97.5]) if boot.size else (np.nan, np.nan)
    return (estimate, float(lo), float(hi))


def assessment_ages(dyads: pd.DataFrame) -> list[int]:
    """The ages (months) at which the table has a Strange Situation (``attachment_<age>m`` columns)."""
    ages = [int(c[len("attachment_"):-1]) for c in dyads.columns
            if c.startswith("attachment_") and c.endswith("m") and c[len("attachment_"):-1].isdigit()]
    return sorted(ages)


SUMMARY_MEASURES = ("observed_sensitivity", "coordination", "repair_rate", "responsiveness_early",
                    "crying_early", "crying_late")
"""The per-dyad measures whose means (with CIs) the summary reports, in its column order."""


def summarise(dyads: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and assessment age: class shares with Wilson CIs and the main measures
    with CIs (``age_months`` says which assessment; the other measures repeat on each row)."""
    rows = []
    ages = assessment_ages(dyads) or [None]
    for name, df in dyads.groupby("scenario", sort=False):
        n = len(df)
        common = summary_common({col: mean_ci(df[col]) for col in SUMMARY_MEASURES},
                                correlation_ci(df["responsiveness_early"], df["crying_late"]))
        for age in ages:
            if age is None:
                rows.append(summary_row(name, age, n, common))
                continue
            classes, security = df[f"attachment_{age}m"], df[f"security_{age}m"]
            second = second_caregiver_summary(df, age) if f"attachment_{age}m_cg2" in df else None
            rows.append(summary_row(name, age, n, common, {cls: int((classes == cls).sum()) for cls in CLASSES},
                                    mean_ci(security),
                                    correlation_ci(df["observed_sensitivity"], (classes == "B").astype(float)),
                                    second))
    return pd.DataFrame(rows)


def _put(row: dict[str, object], name: str, estimate: tuple[float, float, float]) -> None:
    """An estimate and its CI as the columns ``name``, ``name_lo``, ``name_hi``."""
    row[name], row[f"{name}_lo"], row[f"{name}_hi"] = estimate


def summary_common(means: dict[str, tuple[float, float, float]],
                   r_responsiveness_crying: tuple[float, float, float]) -> dict[str, object]:
    """The summary's columns that repeat on each assessment age's row: the measures' means with CIs
    (``means`` keyed by ``SUMMARY_MEASURES``) and the correlation of early responsiveness with late
    crying."""
    common: dict[str, object] = {}
    for col in SUMMARY_MEASURES:
        _put(common, col, means[col])
    _put(common, "r_responsiveness_crying", r_responsiveness_crying)
    return common


def summary_row(name, age: int | None, n: int, common: dict[str, object], counts: dict[str, int] | None = None,
                security: tuple[float, float, float] | None = None,
                r_sensitivity_secure: tuple[float, float, float] | None = None,
                second: dict[str, object] | None = None) -> dict[str, object]:
    """One row of the summary, in its column order, from the figures of one scenario at one
    assessment age: the A/B/C/D ``counts`` of the ``n`` dyads (shares with Wilson CIs), the mean
    security, the ``common`` measures, the correlation of observed sensitivity with security and
    the ``second`` caregivers' columns (two-caregiver tables). ``age`` None: a table without
    assessments (the measures only)."""
    row: dict[str, object] = {"scenario": name, "age_months": age, "n": n}
    if age is not None:
        for cls in CLASSES:
            k = counts[cls]
            row[cls] = k / n
            row[f"{cls}_lo"], row[f"{cls}_hi"] = wilson_ci(k, n)
        _put(row, "security", security)
    row.update(common)
    if age is not None:
        _put(row, "r_sensitivity_secure", r_sensitivity_secure)
        if second is not None:
            row.update(second)
    return row


CONCORDANCE_PUBLISHED = ("r = 0.32 between security with mother and with father (Pinquart, 95 studies of behavioural "
                         "measures; larger with the Strange Situation); Fox, Kimmerly & Schafer 1991")
"""The published concordance printed beside the model's (validation row H1)."""


def second_caregiver_summary(df: pd.DataFrame, age: int) -> dict[str, object]:
    """Two-caregiver households: A/B/C/D with the second caregiver and the concordance of the two
    relationships (same class; phi of secure with each), with 95% CIs."""
    h = df[df["caregivers"] == 2]
    first, second = h[f"attachment_{age}m"].to_numpy(dtype=object), h[f"attachment_{age}m_cg2"].to_numpy(dtype=object)
    return second_caregiver_row(len(h), {cls: int((second == cls).sum()) for cls in CLASSES},
                                int((first == second).sum()),
                                correlation_ci((first == "B").astype(float), (second == "B").astype(float)))


def second_caregiver_row(n: int, counts: dict[str, int], same: int,
                         r_secure: tuple[float, float, float]) -> dict[str, object]:
    """The second caregivers' columns of a summary row from the figures of the ``n`` two-caregiver
    households: A/B/C/D ``counts`` with the second caregiver, the number with the ``same`` class with
    both, and the phi correlation of secure with each (``r_secure``)."""
    row: dict[str, object] = {"n_two_caregivers": n}
    for cls in CLASSES:
        k = counts[cls]
        row[f"{cls}_cg2"] = k / n if n else np.nan
        row[f"{cls}_cg2_lo"], row[f"{cls}_cg2_hi"] = wilson_ci(k, n)
    row["concordant"] = same / n if n else np.nan
    row["concordant_lo"], row["concordant_hi"] = wilson_ci(same, n)
    _put(row, "r_secure_cg1_cg2", r_secure)
    return row


def _n_width(counts: pd.Series) -> int:
    """Width of the terminal tables' n column: 6, or more for a cohort's millions."""
    return max([6] + [len(str(int(n))) + 1 for n in counts if not pd.isna(n)])


def format_second_caregivers(summary: pd.DataFrame) -> str:
    """The second caregivers' block of the terminal table (two-caregiver runs), with the published
    concordance beside the model's; empty if no scenario has a second caregiver."""
    if "concordant" not in summary:
        return ""
    rows = summary[summary["concordant"].notna()]
    if not len(rows):
        return ""
    wide = _n_width(rows['n_two_caregivers'])
    head = (f"{'scenario':<22}{'n':>{wide}}  " + "  ".join(f"{c + ' % [95% CI]':<18}" for c in CLASSES)
            + f"  {'same class %':<18}  {'r secure-secure [95% CI]':<24}")
    lines = ["With the second caregiver (two-caregiver households), and the concordance of the two relationships:",
             head, "-" * len(head)]
    for _, r in rows.drop_duplicates("scenario").iterrows():
        cells = [f"{pct(r[c + '_cg2'])} [{pct(r[c + '_cg2_lo']).strip()}-{pct(r[c + '_cg2_hi']).strip()}]".ljust(18)
                 for c in CLASSES]
        same = f"{pct(r['concordant'])} [{pct(r['concordant_lo']).strip()}-{pct(r['concordant_hi']).strip()}]"
        corr = f"{r['r_secure_cg1_cg2']:.2f} [{r['r_secure_cg1_cg2_lo']:.2f}, {r['r_secure_cg1_cg2_hi']:.2f}]"
        lines.append(f"{str(r['scenario']):<22}{int(r['n_two_caregivers']):>{wide}}  " + "  ".join(cells)
                     + f"  {same:<18}  {corr:<24}")
    lines.append(f"published: {CONCORDANCE_PUBLISHED}")
    return "\n".join(lines)


def pct(p: float) -> str:
    return "  n/a" if p is None or np.isnan(p) else f"{100 * p:4.1f}"


def format_summary(summary: pd.DataFrame) -> str:
    """A plain-text table of the summary, with 95% CIs, for the terminal: one block per assessment age."""
    wide = _n_width(summary['n'])
    head = (f"{'scenario':<22}{'n':>{wide}}  " + "  ".join(f"{c + ' % [95% CI]':<18}" for c in CLASSES)
            + f"  {'security':>8}  {'sens 1-9':>8}  {'coord %':>7}  {'cry 0-3m':>8}  {'cry 9-12m':>9}")
    blocks = []
    ages = summary["age_months"] if "age_months" in summary else pd.Series([None] * len(summary))
    for age in pd.unique(ages):
        rows = summary[ages.to_numpy() == age] if age is not None else summary
        title = (f"Attachment at {int(age)} months (Strange Situation):" if age is not None and not pd.isna(age)
                 else "Measures:")
        lines = [title, head, "-" * len(head)]
        for _, r in rows.iterrows():
            cells = []
            for c in CLASSES:
                if c in r and not pd.isna(r.get(c)):
                    cells.append(f"{pct(r[c])} [{pct(r[c + '_lo']).strip()}-{pct(r[c + '_hi']).strip()}]".ljust(18))
                else:
                    cells.append("n/a".ljust(18))
            sec = r.get("security", np.nan)
            lines.append(f"{str(r['scenario']):<22}{int(r['n']):>{wide}}  " + "  ".join(cells)
                         + f"  {sec:8.2f}  {r['observed_sensitivity']:8.1f}  {pct(r['coordination']):>7}"
                         + f"  {r['crying_early']:8.0f}  {r['crying_late']:9.0f}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def kappa(a, b) -> float:
    """Cohen's kappa between two classifications of the same cases (Cohen 1960)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.size == 0:
        return np.nan
    labels = np.union1d(a, b)
    observed = float(np.mean(a == b))
    chance = float(sum(np.mean(a == c) * np.mean(b == c) for c in labels))
    return np.nan if chance >= 1.0 else (observed - chance) / (1.0 - chance)


def kappa_ci(a, b, reps: int = 400, seed: int = 0) -> tuple[float, float, float]:
    """Cohen's kappa with a percentile bootstrap 95% CI over cases (fixed seed: reproducible)."""
    a, b = np.asarray(a), np.asarray(b)
    k = kappa(a, b)
    if a.size < 10 or not np.isfinite(k):
        return (k, np.nan, np.nan)
    rng = np.random.default_rng(seed)
    boot = [kappa(a[i], b[i]) for i in (rng.integers(0, a.size, a.size) for _ in range(reps))]
    lo, hi = np.nanpercentile(boot, [2.5, 97.5])
    return (k, float(lo), float(hi))

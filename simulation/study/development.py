"""Development over time: care that changes during infancy, and what the infant keeps of it.

The working model consolidates (``simulation.model.components.learning``): what is learned early
weighs heavily, later change is possible but slower. These runs answer the questions the
first 1,001 days are about, with common random numbers (the same dyads, the same quantiles of
every trait, the same days' random numbers):

- ``changed_care(first, second, switch_month)``: care as in ``first`` until ``switch_month``,
  then as in ``second`` (``AttachmentModel.change_caregiving``);
- ``compare_histories``: several such histories side by side, measured at the same ages.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from simulation.errors import ScenarioError, shown
from simulation.model import streams
from simulation.measures.strange_situation import security_index
from simulation.model.calendar import DAYS_PER_MONTH, month_day
from simulation.model.engine import AttachmentModel
from simulation.report import records
from simulation.scenario import load_scenario


def changed_care(first: Any, second: Any | None = None, switch_month: float | None = None, *,
                 n_dyads: int = 1000, months: int = 12, assessment_ages: Sequence[int] = (12,),
                 seed: streams.SeedLike = streams.DEFAULT_SEED, overrides: dict[str, Any] | None = None,
                 label: str | None = None) -> pd.DataFrame:
    """The per-dyad table of a run whose care is ``first`` until ``switch_month`` and ``second`` after.

    Without ``second`` the care never changes. ``overrides`` apply to both scenarios.
    """
    if (second is None) != (switch_month is None):
        raise ScenarioError("changed_care: give both `second` and `switch_month`, or neither")
    if switch_month is not None and not 0 <= switch_month < months:
        raise ScenarioError(f"changed_care: `switch_month` must be from 0 to before the end ({months} months), "
                            f"got {shown(switch_month)}")
    common = {**(overrides or {}), "simulation.months": months, "simulation.assessment_ages": list(assessment_ages)}
    model = AttachmentModel(first, n_dyads=n_dyads, seed=seed, overrides=common)
    if second is not None:
        switch_day = month_day(switch_month)
        while model.running and model.day < switch_day:
            model.step()
        model.change_caregiving(second, overrides)
    model.run()
    table = records.dyad_table(model)
    if label is None and second is not None:
        label = f"{model.params.name} then {load_scenario(second, overrides).name} from {switch_month:g} months"
    table["scenario"] = label or model.params.name
    return table


def compare_histories(histories: dict[str, tuple], **kwargs) -> pd.DataFrame:
    """Several histories (label -> ``(first,)`` or ``(first, second, switch_month)``), stacked."""
    return pd.concat([changed_care(*history, label=label, **kwargs) for label, history in histories.items()],
                     ignore_index=True)


def expected_security_on(scenario: Any, days: Sequence[int], *, n_dyads: int, seed: streams.SeedLike,
                         overrides: dict[str, Any] | None = None) -> dict[int, np.ndarray]:
    """Each dyad's expected security (the working model's ``security_index``, no measurement error)
    at the end of each of ``days`` (days from birth): the model's own read-out of what the infant
    has learned so far, at any age, for questions of timing."""
    wanted = sorted(set(int(d) for d in days))
    end = wanted[-1] + 1
    months = max(1, int(np.ceil(end / DAYS_PER_MONTH)))
    common = {**(overrides or {}), "simulation.months": months,
              "simulation.assessment_ages": [months]}
    model = AttachmentModel(scenario, n_dyads=n_dyads, seed=seed, overrides=common)
    out: dict[int, np.ndarray] = {}
    for day in wanted:
        while model.running and model.day <= day:
            model.step()
        out[day] = security_index(model.state, model.params.assessment).copy()
    return out


def paired_effect(treated: np.ndarray, control: np.ndarray, reps: int = 400, seed: int = 0) -> tuple[float, float, float]:
    """The effect on the same dyads (common random numbers) in SDs of the control: mean difference /
    control SD, with a percentile bootstrap 95% CI over dyads."""
    diff = treated - control
    sd = float(control.std(ddof=1))
    if diff.size < 2 or sd == 0:
        return (np.nan, np.nan, np.nan)
    rng = np.random.default_rng(seed)
    boot = np.array([diff[i].mean() / control[i].std(ddof=1)
                     for i in (rng.integers(0, diff.size, diff.size) for _ in range(reps))])
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return (float(diff.mean() / sd), float(lo), float(hi))


def timing_decomposition(scenario: Any, kind: str, starts: dict[str, int], *, age_months: int, lag_days: int,
                         n_dyads: int, seed: streams.SeedLike, overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """Why an earlier start does better at a fixed age: development, or only time to assessment?

    For each start, the same dyads with and without the intervention (common random numbers) are
    compared on expected security (``expected_security_on``) at two moments: at ``age_months``
    (every start measured at the same age, as a trial does) and ``lag_days`` after that start's
    sessions end (every start measured equally long after it ended). The second takes
    time-to-assessment out: what remains of a difference between starts is development (an
    infant learns more from the same change in care when less is consolidated). The rest of the
    difference at the fixed age is time to assessment (a later start has had less time to act).
    """
    from simulation.model.components.interventions import KINDS

    duration = KINDS[kind].duration_days
    age_day = month_day(age_months) - 1
    lag_day = {label: start + duration + lag_days for label, start in starts.items()}
    days = [age_day, *lag_day.values()]
    control = expected_security_on(scenario, days, n_dyads=n_dyads, seed=seed,
                                   overrides={**(overrides or {}), "interventions": []})
    rows = []
    for label, start in starts.items():
        arm = expected_security_on(scenario, days, n_dyads=n_dyads, seed=seed,
                                   overrides={**(overrides or {}), "interventions": [{"kind": kind,
                                                                                     "start_day": start}]})
        at_age = paired_effect(arm[age_day], control[age_day])
        at_lag = paired_effect(arm[lag_day[label]], control[lag_day[label]])
        rows.append({"start": label, "start_day": start, "end_day": start + duration,
                     f"d_at_{age_months}m": at_age[0], f"d_at_{age_months}m_low": at_age[1],
                     f"d_at_{age_months}m_high": at_age[2],
                     "lag_day": lag_day[label], "d_at_lag": at_lag[0], "d_at_lag_low": at_lag[1],
                     "d_at_lag_high": at_lag[2]})
    return pd.DataFrame(rows)

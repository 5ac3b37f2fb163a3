"""No dead parameters: changing any declared parameter (as ``--set`` does) changes some output.

One small run of a scenario where every mechanism acts (risk factors, every history subtype, a
health visitor, all four intervention kinds, the face tasks), then one run per parameter with
that parameter moved half-way towards its lower bound (or, at its lower bound, towards its upper
bound): its per-dyad or daily table must differ. ``simulation.*`` (the calendar and size) and
``trial.*`` (read by the virtual-trial script, not the model) are not model parameters.
"""

from __future__ import annotations

import pytest

from simulation.study import runner
from simulation.model.params import Dist
from simulation.scenario import load_scenario, schema

BASE = "community"
OVERRIDES = {
    "simulation.months": 7, "simulation.assessment_ages": [7], "simulation.observation_age_months": 6,
    "simulation.observation_days": 7, "simulation.n_dyads": 60,
    "history.dismissing": 0.3, "history.preoccupied": 0.3, "history.unresolved": 0.3,
    "support.health_visitor": 0.5,
    # households: half the infants with a second caregiver, so that its parameters act
    "household.two_caregivers": 0.5,
    # depression common enough that a partner's depression acts on the other's (depression.partner_effect)
    "depression.onset_per_year": 0.3,
    # conflict and separation often enough to happen in 60 dyads over 7 months
    "life_events.conflict_onset_per_year": 1.0, "life_events.separation_per_year": 0.3,
    **{f"risk.{f}": 0.4 for f in ("prior_depression", "partner_conflict", "low_ses", "life_events",
                                   "birth_complications", "lack_of_support")},
    "interventions": [
        {"kind": "bias_training", "start_day": 10},
        {"kind": "video_feedback", "start_day": 30},
        {"kind": "home_visiting", "start_day": 30},
        {"kind": "depression_treatment", "start_day": 30, "target": "screen_positive"},
    ],
}
SEED = 11
SKIP_SECTIONS = ("simulation", "trial", "interventions")


def _bounds(field) -> tuple[float | None, float | None]:
    info = extra_or_empty(field)
    if "bounds" in info:
        return tuple(info["bounds"])
    low = high = None
    for m in field.metadata:
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                low = getattr(m, attr)
        for attr in ("le", "lt"):
            if getattr(m, attr, None) is not None:
                high = getattr(m, attr)
    return low, high


def extra_or_empty(field) -> dict:
    return dict(field.json_schema_extra or {})


def _leaves(model, prefix):
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and hasattr(annotation, "model_fields") and annotation is not Dist:
            yield from _leaves(annotation, f"{prefix}{name}.")
        elif annotation in (int, float, Dist):
            yield f"{prefix}{name}", field


def parameters() -> list[tuple[str, object]]:
    out = []
    for section, field in schema().model_fields.items():
        if section in SKIP_SECTIONS or not hasattr(field.annotation, "model_fields"):
            continue
        out += list(_leaves(field.annotation, f"{section}."))
    return out


def _current(scenario, key):
    value = scenario
    for part in key.split("."):
        value = getattr(value, part)
    return value.mean if isinstance(value, Dist) else value


def moved(key, field, value):
    """Half-way towards the lower bound, or towards the upper one from the lower bound."""
    low, high = _bounds(field)
    if low is not None and value > low:
        new = value - (value - low) / 2
    else:
        top = high if high is not None else value + 1
        new = value + (min(top, value + 10) - value) / 2
    return int(round(new)) if field.annotation is int and new != value else new


@pytest.fixture(scope="module")
def base():
    sc = load_scenario(BASE, OVERRIDES)
    result = runner.run(sc, seed=SEED)
    return sc, result


def test_the_base_run_exercises_every_mechanism(base):
    _, result = base
    d = result.dyads
    assert d.history.nunique() == 3 and d.cg_unresolved.any() and d.depressed.any()
    assert d.dose_home_visiting.gt(0).any() and d.bias_rating_post.notna().all()
    assert d.separated.any() and d.conflict_days.gt(0).any() and d.returned_to_work.any()
    assert d.supporters_lost.gt(0).any() and d.supporters_gained.gt(0).any() and d.life_events_n.gt(0).any()


@pytest.mark.parametrize("key,field", parameters(), ids=[k for k, _ in parameters()])
def test_changing_a_parameter_changes_some_output(base, key, field):
    sc, result = base
    new = moved(key, field, _current(sc, key))
    changed = runner.run(load_scenario(BASE, {**OVERRIDES, key: new}), seed=SEED)
    same = result.dyads.equals(changed.dyads) and result.daily.equals(changed.daily)
    assert not same, f"{key}: {_current(sc, key)} -> {new} changed no output (a dead parameter)"


def test_a_dead_parameter_would_be_caught(base):
    sc, result = base
    again = runner.run(load_scenario(BASE, {**OVERRIDES, "trial.n_dyads": 500}), seed=SEED)
    assert result.dyads.equals(again.dyads) and result.daily.equals(again.daily)

"""Loading a scenario: by name, path, dict or Scenario, with overrides, validated into one model.

The model is the schema of the current day plan, looked up at each validation (:func:`schema`),
so components added at run time are validated too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..errors import ScenarioError
from .files import read_scenario_file
from .messages import _cut, _format_error, _one_message, _trait_problems
from .overrides import apply_overrides
from .schema import Scenario, ScenarioBase, schema


def validate_scenario(data: dict, source: str = "scenario") -> Scenario:
    """Validate a raw dict (as read from TOML) into a Scenario, or raise one ScenarioError."""
    source = _cut(str(source))
    try:
        scenario = schema().model_validate(data)
    except ValidationError as exc:
        listed: set = set()
        raise ScenarioError(_one_message(source, [_format_error(e, listed) for e in exc.errors()])) from None
    problems = _trait_problems(scenario)
    if problems:
        raise ScenarioError(_one_message(source, problems))
    _check_second_caregiver(scenario, data, source)
    return scenario


def _check_second_caregiver(scenario: Scenario, data: dict, source: str) -> None:
    """Refuse, at load time, a ``household.second`` that would not make a valid scenario for the second
    caregiver (the model builds that scenario from it: ``components.household.second_overrides``)."""
    household = getattr(scenario, "household", None)
    if household is None or not household.second:
        return
    from ..model.components.household import second_overrides
    try:
        second = apply_overrides(data, second_overrides(household), source=f"{source}: household.second")
        validate_scenario(second, f"{source}: household.second")
    except ScenarioError as exc:
        raise ScenarioError(str(exc)) from None


def load_scenario(scenario: "str | os.PathLike | Scenario | dict",
                  overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario by name, path, dict or Scenario, with optional dotted overrides.

    >>> load_scenario("good_enough", {"caregiver.repair": 0.5}).caregiver.repair.mean
    0.5
    """
    if isinstance(scenario, ScenarioBase):
        data, source = scenario.model_dump(), scenario.name
    elif isinstance(scenario, dict):
        name = scenario.get("name")
        data, source = scenario, name if isinstance(name, str) and name else "scenario"
    else:
        data, source = read_scenario_file(scenario)
    data = apply_overrides(data, overrides, source=f"{_cut(source)} (override)")
    return validate_scenario(data, source)

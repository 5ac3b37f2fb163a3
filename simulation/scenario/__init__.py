"""Scenarios: every parameter of the model, its default, its range and its meaning, and the loader.

A scenario is a TOML file in ``scenarios/`` (or any path) with a name, a description, teaching
notes and the parameter sections of the schema. Anything not given takes the default, so a
scenario file only states how it differs from the built-in defaults. Validation is done with
pydantic; every problem is turned into one :class:`~simulation.errors.ScenarioError` that names
the key path, the value given (cut to a readable length) and what is allowed, and suggests the
closest key for a typo.

One module per job; this front door holds the names other code uses:

- ``schema.py``: the schema, assembled from the parameters the components declare
  (:func:`schema`, rebuilt when the day plan changes; ``Scenario`` and the ``*Params`` sections of
  the built-in plan, for type hints), the run's settings, the trial's, the rules across sections;
- ``files.py``: the built-in folder (:func:`scenario_dir`), names and paths, ``extends`` chains
  (:func:`read_scenario_file`);
- ``overrides.py``: command-line values (:func:`parse_value`) and dotted-key overrides
  (:func:`apply_overrides`);
- ``messages.py``: pydantic's errors and the traits' range checks as one clear message;
- ``load.py``: :func:`validate_scenario` and :func:`load_scenario`.
"""

from __future__ import annotations

from ..errors import ScenarioError
from ..model.params import Dist, trait_bounds
from .files import (MAX_EXTENDS_DEPTH, OWN_KEYS, SCENARIO_DIR_ENV, available_scenarios, read_scenario_file,
                    scenario_dir)
from .load import load_scenario, validate_scenario
from .messages import LABEL_CHARS, MAX_PROBLEMS
from .overrides import TOML_VALUE_START, VALUE_FORMS, apply_overrides, parse_value
from .schema import (SECTION_ORDER, TRAIT_SECTIONS, AssessmentParams, CaregiverParams, DepressionParams,
                     InfantParams, Scenario, ScenarioBase, SimulationSettings, SupportParams, TrialParams, schema)

__all__ = [
    "AssessmentParams", "CaregiverParams", "DepressionParams", "Dist", "InfantParams", "LABEL_CHARS",
    "MAX_EXTENDS_DEPTH", "MAX_PROBLEMS", "OWN_KEYS", "SCENARIO_DIR_ENV", "SECTION_ORDER", "Scenario", "ScenarioBase",
    "ScenarioError", "SimulationSettings", "SupportParams", "TOML_VALUE_START", "TRAIT_SECTIONS", "TrialParams",
    "VALUE_FORMS", "apply_overrides", "available_scenarios", "load_scenario", "parse_value", "read_scenario_file",
    "scenario_dir", "schema", "trait_bounds", "validate_scenario",
]

"""How a parameter is declared: value, range, unit and source, in the file of the rule that uses it.

Every behavioural coefficient of the model is a field of a pydantic section (``[caregiver]``,
``[infant]``, ``[depression]``, ...). A component declares the fields it reads in a small class
(:class:`Section` subclass) next to its rule; the scenario schema is assembled from those classes
(``simulation.model.plan``), so a parameter is reachable by ``--set``, sweeps and Sobol' analyses
as soon as it is declared, and has exactly one home.

Each field says where its value comes from (``source``): a citation of the measurement of the
mechanism itself, ``"calibrated: <target>"`` when it was fitted to a validation target, or
``"assumption: <why>"`` when neither exists. ``unit`` is the unit of the value (``"1"`` for a pure
number, a probability or a share).

Types are strict (see ``simulation.scenario``): ``true`` is not 1, ``"0.5"`` is not 0.5 and
``nan``/``inf`` are refused.
"""

from __future__ import annotations

import numbers
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

BY_HAND = "calibrated: set by hand on the patterns and V1-V3, V5, V6, V9 (docs/ODD.md section 8)"
"""The source of the mechanism parameters calibrated together by hand (docs/ODD.md, section 8)."""
EXACT_WHOLE = 2 ** 53
"""Largest float that is exactly a whole number: beyond it a float is not read as a whole number."""


def _as_whole(value: Any) -> Any:
    """``12.0`` and ``numpy.int64(12)`` are the whole number 12; ``12.5``, ``true`` and ``"12"`` are left
    for strict validation to refuse."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):  # numpy's integers too (array sizes, indices)
        return int(value)
    if isinstance(value, float) and value.is_integer() and abs(value) <= EXACT_WHOLE:
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_as_whole)]
"""A whole number in a strict model: an int, or a float without fraction (never a bool or text)."""


class Strict(BaseModel):
    """Base of every section: unknown keys, converted types and non-finite numbers are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True, allow_inf_nan=False)


class Section(Strict):
    """The parameters one component adds to a scenario section (see the module docstring)."""


class Dist(Strict):
    """A trait's distribution in the population: mean and standard deviation (clipped normal)."""

    mean: float
    sd: float = Field(0.0, ge=0.0)

    @model_validator(mode="before")
    @classmethod
    def _scalar_is_fixed(cls, value: Any) -> Any:
        """A plain number means everyone has that value; anything else but a table is refused here
        (not deeper, at ``.mean``) so that the message names the key the user wrote."""
        if isinstance(value, (dict, Dist)):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"mean": value, "sd": 0.0}  # not float(value): a huge int is refused, not overflowed
        raise ValueError("should be a number or a table { mean = ..., sd = ... }")


def param(default: Any, doc: str, *, unit: str, source: str, ge: float | None = None, gt: float | None = None,
          le: float | None = None, lt: float | None = None) -> Any:
    """A parameter field: default, allowed range, unit, meaning and source."""
    if not source:
        raise ValueError(f"parameter '{doc}' needs a source (a citation, 'calibrated: ...' or 'assumption: ...')")
    return Field(default, ge=ge, gt=gt, le=le, lt=lt, description=doc,
                 json_schema_extra={"unit": unit, "source": source})


def trait(mean: float, sd: float, low: float, high: float, doc: str, *, unit: str = "1", source: str,
          effect: str | None = None) -> Any:
    """A per-dyad trait: default distribution, allowed range of values, meaning, unit and source.

    ``effect`` says how an intervention's effect on it applies ("logit", "add" or "relative": see
    ``simulation.model.components.interventions``); None if no intervention may change it.
    """
    return Field(default_factory=lambda: Dist(mean=mean, sd=sd), description=doc,
                 json_schema_extra={"bounds": [low, high], "unit": unit, "source": source, "effect": effect})


def extra(section: BaseModel | type[BaseModel], name: str) -> dict:
    """The declaration's extras (bounds, unit, source, effect) of a section's field."""
    cls = section if isinstance(section, type) else type(section)
    return dict(cls.model_fields[name].json_schema_extra or {})


def trait_bounds(section: BaseModel | type[BaseModel], name: str) -> tuple[float, float]:
    """A trait's allowed range of values (rules clip to it every day: cached per class)."""
    return _bounds(section if isinstance(section, type) else type(section), name)


@cache
def _bounds(cls: type[BaseModel], name: str) -> tuple[float, float]:
    low, high = extra(cls, name)["bounds"]
    return float(low), float(high)


def is_trait(field: Any) -> bool:
    return field.annotation is Dist

"""A scenario file to start from: ``run_sim.py new-scenario NAME`` writes it.

It is generated from the schema (``simulation.scenario.schema``), so it always lists every key there is, with
its default, allowed range and meaning, and can never drift from what the loader accepts. The
file extends a built-in scenario and sets nothing itself: every key is a comment to uncomment.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from simulation.errors import UserError, shown
from simulation.scenario import Dist, load_scenario, trait_bounds

NAME = re.compile(r"^[A-Za-z0-9_\-]{1,100}$")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _range(section: BaseModel, key: str) -> str:
    """'0 to 1' from a field's declared bounds (pydantic ge/le/gt/lt, or a trait's bounds)."""
    field = type(section).model_fields[key]
    if isinstance(getattr(section, key), Dist):
        low, high = trait_bounds(section, key)
        return f"each dyad's value {_num(low)} to {_num(high)}"
    low = high = None
    for m in field.metadata:
        low = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else low
        low = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else low
        high = getattr(m, "le", None) if getattr(m, "le", None) is not None else high
        high = getattr(m, "lt", None) if getattr(m, "lt", None) is not None else high
    if low is None and high is None:
        return ""
    return f"{'' if low is None else _num(low)} to {'' if high is None else _num(high)}".strip()


def _section_lines(section: BaseModel, name: str) -> list[str]:
    lines = [f"## {(type(section).__doc__ or '').strip().splitlines()[0]}", f"# [{name}]"]
    tables = []
    for key, field in type(section).model_fields.items():
        value = getattr(section, key)
        if isinstance(value, BaseModel) and not isinstance(value, Dist):  # a table within the section
            tables.append((key, value))
            continue
        if isinstance(value, Dist):
            shown_value = f"{{ mean = {value.mean!r}, sd = {value.sd!r} }}"
        else:
            shown_value = _toml(value)
        allowed = _range(section, key)
        meaning = field.description or ""
        lines.append(f"# {key} = {shown_value}".ljust(48) + f"  # {meaning}" + (f" ({allowed})" if allowed else ""))
    for key, table in tables:
        lines += [""] + _section_lines(table, f"{name}.{key}")[1:]
    return lines


def scenario_template(name: str, base: str = "good_enough") -> str:
    """The text of a new scenario file called ``name`` that extends the built-in ``base``."""
    if not NAME.match(name):
        raise UserError(f"scenario name {shown(name)} is not allowed: use 1 to 100 letters, digits, _ or -")
    parent = load_scenario(base)  # a clear error if the base does not exist
    lines = [
        f'name = "{name}"',
        f'title = "{name.replace("_", " ")}"',
        'description = "What this scenario shows."',
        'teaching_notes = "What a student should notice."',
        f'extends = "{base}"   # everything not set below is as in the built-in scenario {base!r}',
        "",
        f"# Uncomment a key under its [section] header to change it. The values shown are those of {base!r}.",
        "# A per-dyad trait is a distribution: { mean = 0.8, sd = 0.05 }; a plain number means everyone has it.",
        "# Interventions: [[interventions]] tables with kind = \"video_feedback\" etc. (README, 'Interventions').",
        "",
    ]
    for section_name, field in type(parent).model_fields.items():
        value = getattr(parent, section_name)
        if isinstance(value, BaseModel):  # every table of the schema, in its order
            lines += _section_lines(value, section_name) + [""]
    return "\n".join(lines)

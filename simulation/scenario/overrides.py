"""Values from the command line and dotted-key overrides (``--set caregiver.repair=0.5``).

A command-line value is parsed as TOML (:func:`parse_value`); overrides are checked against the
schema of the current day plan key by key (:func:`apply_overrides`). A plain number given as an
override for a per-dyad trait (``--set caregiver.attention=0.8``) moves the trait's mean and keeps
its spread; ``caregiver.attention.sd`` sets the spread; a table or list replaces the whole entry.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from typing import Any, get_origin

from pydantic import BaseModel

from ..errors import ScenarioError, shown
from ..model.params import Dist
from .messages import _cut, _key, _toml_problem, _unknown_key
from .schema import _table_model, schema

TOML_VALUE_START = tuple("[{\"'+-.0123456789")
"""First characters of a command-line value meant as TOML (a list, a table, quoted text, a number):
if it does not parse, that is an error. Anything else that does not parse is taken as text."""
VALUE_FORMS = "a number, true or false, a list [...], a table {...} or text in quotes"
"""What a value may be, for messages about a value that is not TOML."""
_PARSE_KEY = "v"
"""A command-line value is parsed as the TOML line ``v = VALUE``."""


def parse_value(text: str, key: str = "") -> Any:
    """Parse a command-line value as TOML (numbers, booleans, lists, tables, quoted text).

    A bare word that is not TOML (``--set title=trial``) is taken as text. A value that starts
    like TOML but does not parse (``[12,``, ``"abc``, ``1.2.3``, a 5,000-digit number) is an
    error that says why, naming ``key`` if given: taken as text it would only be refused later
    as "should be a list", which hides the real slip.
    """
    text = str(text)
    prefix = f"{_PARSE_KEY} = "
    try:
        table = tomllib.loads(prefix + text)
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError is a ValueError, as is int()'s digit limit
        if not text.lstrip().startswith(TOML_VALUE_START):
            return text
        problem = _toml_problem(exc, offset=len(prefix))
    else:
        if list(table) == [_PARSE_KEY]:
            return table[_PARSE_KEY]
        problem = "more than one value (a new line starts another key)"
    raise ScenarioError(f"{key or 'value'} = {shown(text)} is not a valid value: {problem}; give {VALUE_FORMS}")


def _set_leaf(node: dict, model: type[BaseModel], part: str, path: list[str], value: Any) -> str | None:
    """Set ``node[part] = value`` for the last part of an override key; a problem, or None."""
    table, is_list = _table_model(model.model_fields[part].annotation)
    if is_list:  # a list of tables (interventions) is given whole
        table = None
    if table is Dist and not isinstance(value, (dict, Dist)):  # a number moves the mean, keeps the spread
        current = node.get(part)
        if isinstance(current, Dist):
            current = current.model_dump()
        if isinstance(current, dict):
            node[part] = {**current, "mean": value}
        elif current is None:
            node[part] = {"mean": value, "sd": model.model_fields[part].get_default(call_default_factory=True).sd}
        else:
            node[part] = {"mean": value, "sd": 0.0}
    elif table is not None and table is not Dist and not isinstance(value, (dict, BaseModel)):
        where = _key(path)
        return (f"'{where}' is a section, not a value (got {shown(value)}): set one of its keys, e.g. "
                f"{where}.{next(iter(table.model_fields))}=...; allowed keys here: {', '.join(table.model_fields)}")
    else:
        node[part] = value
    return None


def _apply_one(data: dict, key: str, value: Any) -> str | None:
    """Apply one dotted-key override to ``data`` in place; return the problem, or None."""
    parts = key.split(".")
    if not all(parts):
        return f"override key {shown(key)} has an empty part; write keys as section.key, e.g. caregiver.repair"
    node: dict = data
    model: type[BaseModel] = schema()
    for i, part in enumerate(parts):
        path = parts[:i + 1]
        if part not in model.model_fields:
            return _unknown_key(tuple(path))
        if i == len(parts) - 1:
            return _set_leaf(node, model, part, path, value)
        child_model, is_list = _table_model(model.model_fields[part].annotation)
        if child_model is None and get_origin(model.model_fields[part].annotation) is dict:
            # a table of overrides by section (household.second): the next part names the section, the
            # rest is one key within it (checked when the scenario is validated)
            table = {k: dict(v) if isinstance(v, dict) else v for k, v in (node.get(part) or {}).items()}
            rest = parts[i + 2:]
            if rest:
                section = table.get(parts[i + 1])
                table[parts[i + 1]] = {**(section if isinstance(section, dict) else {}), ".".join(rest): value}
            else:
                table[parts[i + 1]] = value
            node[part] = table
            return None
        if child_model is None or is_list:
            what = "a list of tables, set as a whole (e.g. " + _key(path) + "=[{...}])" if is_list else "a value"
            return f"'{_key(path)}' is {what}, it has no key {shown(parts[i + 1])}"
        child = node.get(part)
        if child is None:
            child = {}
        elif isinstance(child, Dist):
            child = child.model_dump()
        elif child_model is Dist and not isinstance(child, dict):  # a plain number in the file
            child = {"mean": child, "sd": 0.0}
        elif not isinstance(child, dict):
            return f"cannot set '{_key(parts)}': '{_key(path)}' is {shown(child)} in the scenario, not a table"
        node[part] = child
        node, model = child, child_model
    return None


def apply_overrides(data: dict, overrides: Mapping[str, Any] | None, source: str = "override") -> dict:
    """Return a copy of ``data`` with dotted-key overrides applied (checked against the schema).

    A plain number for a trait (``caregiver.repair = 0.5``) moves its mean and keeps its spread;
    ``caregiver.repair.sd`` sets the spread; a table or list value replaces the whole entry.
    """
    source = _cut(str(source))
    if overrides is None:
        return copy.deepcopy(data)
    if not isinstance(overrides, Mapping):
        raise ScenarioError(f"{source}: overrides should be a mapping of dotted keys to values, e.g. "
                            f"{{'caregiver.repair': 0.5}}, got {shown(overrides)}")
    data = copy.deepcopy(data)
    for key, value in overrides.items():
        problem = _apply_one(data, str(key), value)
        if problem:
            raise ScenarioError(f"{source}: {problem}")
    return data

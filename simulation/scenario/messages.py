"""Every problem with a scenario as one clear message.

Validation is done with pydantic; every problem is turned into one
:class:`~simulation.errors.ScenarioError` that names the key path, the value given (cut to a
readable length) and what is allowed, and suggests the closest key for a typo. Several problems
make one message of at most :data:`MAX_PROBLEMS` lines. The checks pydantic cannot make from a
field's declaration alone (a trait's mean and spread within its declared range) are here too.
"""

from __future__ import annotations

import difflib
import re
import sys
import tomllib

from ..errors import cut, shown
from ..model.params import Dist, trait_bounds
from .schema import TRAIT_SECTIONS, Scenario, _section_model

MAX_PROBLEMS = 5
"""Problems listed in one message; the rest are counted ("and 3 more"), so a message stays short."""
LABEL_CHARS = 120
"""Longest scenario name or path echoed in a message (longer ones are cut)."""

_TYPE_WORDS = {
    "int_type": "should be a whole number",
    "float_type": "should be a number",
    "finite_number": "should be a finite number (not nan or inf)",
    "bool_type": "should be true or false",
    "string_type": "should be text in quotes",
    "list_type": "should be a list [...]",
    "dict_type": "should be a table { ... }",
    "model_type": "should be a table { ... }",
}
"""Plain words for pydantic's type errors (its own name for them is the Python type)."""


def _suggest(word: str, options: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{prefix}{close[0]}'?)" if close else ""


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    """A name, path or key cut to ``limit`` characters (unquoted, unlike :func:`shown`)."""
    return cut(text, limit)


KEY_CHARS = 100
"""Longest key path echoed whole (the longest declared one has 61 characters: a message must name a
real key in full; only a made-up key longer than this is cut)."""


def _key(parts: tuple | list) -> str:
    """A key path as the user writes it (``interventions.0.kind``), cut for messages."""
    return _cut(".".join(str(p) for p in parts), KEY_CHARS)


def _allowed_keys(path: tuple) -> list[str]:
    model = _section_model(path)
    return list(model.model_fields) if model else []


def _unknown_key(parts: tuple, listed: set | None = None) -> str:
    """An unknown key, the closest known one and the keys allowed in its table.

    ``listed`` collects the tables whose keys a message already lists: one list per message (the
    first unknown key's), as five lists of up to 20 keys would make the message too long to read.
    """
    table = tuple(parts[:-1])
    allowed = _allowed_keys(table)
    prefix = ".".join(str(p) for p in table)
    text = f"unknown key '{_key(parts)}'{_suggest(str(parts[-1]), allowed, prefix + '.' if prefix else '')}"
    if listed is not None:
        if listed:
            return text
        listed.add(table)
    return f"{text}; allowed keys here: {', '.join(allowed)}"


def _is_number_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _what_is_wrong(err: dict) -> str:
    """pydantic's complaint in plain words, with a hint for the usual slips (quotes, true/false)."""
    kind, value = err["type"], err.get("input")
    words = _TYPE_WORDS.get(kind) or err["msg"].removeprefix("Value error, ").removeprefix("Input ")
    wants_number = "should be a number" in words or "should be a whole number" in words
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        words = f"should be a number no larger than about {sys.float_info.max:.1e}"
    elif wants_number and isinstance(value, bool):
        words += " (true and false are not numbers)"
    elif wants_number and isinstance(value, str) and _is_number_text(value):
        words += " (write it without quotes)"
    return words


def _format_error(err: dict, listed: set) -> str:
    """One line for one pydantic error: key path, value (cut) and what is allowed."""
    loc = tuple(err["loc"])
    path = _key(loc) or "(top level)"
    if err["type"] == "extra_forbidden":
        return _unknown_key(loc, listed)
    if err["type"] == "missing":
        return f"missing required key '{path}'"
    value = err.get("input")
    if err["type"] == "value_error" and isinstance(value, dict):  # a rule across a table's keys
        return _what_is_wrong(err) if not loc else f"{path}: {_what_is_wrong(err)}"
    return f"{path} = {shown(value)} is not allowed: {_what_is_wrong(err)}"


def _one_message(source: str, problems: list[str]) -> str:
    """Several problems as one message: at most MAX_PROBLEMS lines, then how many more."""
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    lines = [f"{source}: {len(problems)} problems:"] + [f"  {p}" for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        lines.append(f"  and {len(problems) - MAX_PROBLEMS} more")
    return "\n".join(lines)


def _trait_problems(scenario: Scenario) -> list[str]:
    """Each trait's mean within its declared range, and its sd at most the range's width (a wider
    spread would put most dyads on the clip bounds: a different distribution from the one asked)."""
    problems = []
    for section_name in TRAIT_SECTIONS:
        section = getattr(scenario, section_name)
        for name, field in type(section).model_fields.items():
            if field.annotation is not Dist:
                continue
            dist = getattr(section, name)
            low, high = trait_bounds(section, name)
            key = f"{section_name}.{name}"
            if not low <= dist.mean <= high:
                problems.append(f"{key}.mean = {shown(dist.mean)} is out of range: allowed {low:g} <= mean <= "
                                f"{high:g} ({field.description})")
            if dist.sd > high - low:
                problems.append(f"{key}.sd = {shown(dist.sd)} is out of range: allowed 0 <= sd <= {high - low:g}, "
                                f"the width of the trait's range {low:g} to {high:g}")
    return problems


def _toml_problem(exc: BaseException, offset: int = 0) -> str:
    """Why TOML text did not parse, in words (``offset``: characters added before the user's text)."""
    if isinstance(exc, RecursionError):
        return "lists or tables nested too deeply"
    if not isinstance(exc, tomllib.TOMLDecodeError):  # int(): more digits than Python converts
        return f"a whole number may have at most {sys.get_int_max_str_digits():,} digits"
    text = str(exc)
    if offset:
        text = re.sub(r"\(at line 1, column (\d+)\)", lambda m: f"(at character {int(m.group(1)) - offset})", text)
    return text

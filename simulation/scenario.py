"""Scenario schema: every parameter of the model, its default, its range and its meaning.

A scenario is a TOML file in ``scenarios/`` (or any path) with a name, a description, teaching
notes and the parameter sections below. Anything not given takes the default here, so a
scenario file only states how it differs from the built-in defaults. Validation is done with
pydantic; every problem is turned into one :class:`~simulation.errors.ScenarioError` that names
the key path, the value given (cut to a readable length) and what is allowed, and suggests the
closest key for a typo.

Types are strict, because a silently converted value runs a different experiment from the one
the user meant: ``true`` is not the number 1, ``"0.5"`` (text) is not the number 0.5, and
``nan`` or ``inf`` would turn every dyad's rates into NaN. A whole number is accepted where a
decimal is expected, and a decimal without fraction where a whole number is (``12.0`` months, a
sweep's bounds, ``1e3`` dyads): TOML writes ``1`` and ``1.0`` differently, people do not, and
nothing is lost either way.

Per-dyad traits are population distributions (:class:`Dist`): each dyad draws its own value
``clip(mean + sd * z, low, high)`` with ``z`` a standard normal from its own random stream, so
a dyad keeps its rank in the population when a scenario moves the mean (common random numbers).
A plain number in a file means "everyone has this value" (sd = 0); a plain number given as an
override (``--set caregiver.attention=0.8``) moves the mean and keeps the spread.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, Field, ValidationError, create_model, field_validator, model_validator

from .errors import SHOWN_CHARS, ScenarioError, cut, shown
from .model.calendar import DAYS_PER_MONTH
from .model.components.interventions import MAX_INTERVENTIONS, InterventionSpec
from .model.params import Dist, Strict, WholeNumber, trait_bounds
from .model.plan import PLAN

SCENARIO_DIR_ENV = "SECUREBASE_SCENARIOS"


def scenario_dir() -> Path:
    """Folder of the built-in scenarios (``$SECUREBASE_SCENARIOS`` if set).

    ``scenarios/`` at the project root, shipped in the package as ``simulation/_data/scenarios``
    (a link to it in the repository, the files themselves in an installed wheel: pyproject.toml).
    """
    env = os.environ.get(SCENARIO_DIR_ENV)
    if env:
        return Path(env)
    return Path(resources.files("simulation") / "_data" / "scenarios").resolve()


class SimulationSettings(Strict):
    """Size, calendar and measurement schedule of a run."""

    n_dyads: WholeNumber = Field(1000, ge=1, le=1_000_000, description="number of caregiver-infant dyads")
    months: WholeNumber = Field(12, ge=1, le=36, description="months of infant life simulated (one step = one day)")
    prenatal_days: WholeNumber = Field(0, ge=0, le=280, description="days simulated before birth (caregiver only)")
    assessment_ages: list[WholeNumber] = Field(default_factory=lambda: [12], min_length=1,
                                       description="ages (months) of the Strange Situation assessments")
    observation_age_months: float = Field(6.0, ge=0.0, le=36.0,
                                          description="age (months) at which the home observation of sensitivity starts")
    observation_days: WholeNumber = Field(2, ge=1, le=30, description="length of the home observation window (days)")
    episode_slots: WholeNumber = Field(16, ge=8, le=64, description="maximum signal episodes per dyad per day")

    @field_validator("assessment_ages")
    @classmethod
    def _ages_in_range(cls, ages: list[int]) -> list[int]:
        for age in ages:
            if not 1 <= age <= 36:
                raise ValueError(f"each assessment age must be between 1 and 36 months, got {shown(age)}")
        if len(set(ages)) != len(ages):
            raise ValueError(f"assessment ages must be distinct, got {shown(ages)}")
        return sorted(ages)


class TrialParams(Strict):
    """How ``experiments/virtual_trial.py`` runs this scenario as a randomised trial.

    The treatment arm receives the scenario's ``interventions``; the control arm the same
    scenario without them.
    """

    eligible: Literal["all", "prior_depression", "high_risk"] = Field(
        "all", description="who is randomised: everyone, those with earlier depression, or high-risk caregivers")
    stratify: Literal["none", "risk_count", "prior_depression"] = Field(
        "risk_count", description="stratified randomisation by this characteristic")
    n_dyads: WholeNumber = Field(2000, ge=10, le=1_000_000, description="dyads in the trial (both arms together)")
    power_outcome: Literal["secure", "disorganised", "depressed"] = Field(
        "secure", description="binary outcome for the power curve")


class ScenarioBase(Strict):
    """A complete, validated scenario: its identity; the sections are added from the day plan (``schema``)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = ""
    description: str = ""
    teaching_notes: str = ""

    @model_validator(mode="after")
    def _schedule_fits(self) -> "ScenarioBase":
        sim = self.simulation
        late = [a for a in sim.assessment_ages if a > sim.months]
        if late:
            raise ValueError(f"assessment ages {shown(late)} are later than the simulated months ({sim.months})")
        names = [iv.name or iv.kind for iv in self.interventions]
        if len(set(names)) != len(names):
            raise ValueError(f"interventions need distinct names (set 'name'), got {shown(names)}")
        for iv in self.interventions:
            if iv.start_day < -sim.prenatal_days:
                raise ValueError(f"intervention {shown(iv.name or iv.kind)} starts on day {iv.start_day}, before the "
                                 f"simulated calendar (simulation.prenatal_days = {sim.prenatal_days})")
            if any(not 0 <= d < sim.n_dyads for d in iv.dyads):
                raise ValueError(f"intervention {shown(iv.name or iv.kind)}: dyads must be between 0 and "
                                 f"{sim.n_dyads - 1}, got {shown(iv.dyads)}")
        if sim.observation_age_months + sim.observation_days / DAYS_PER_MONTH > sim.months:
            raise ValueError(f"the observation window (from {sim.observation_age_months} months, "
                             f"{sim.observation_days} days) ends after the simulated months ({sim.months})")
        return self


SECTION_ORDER = ("simulation", "caregiver", "infant", "assessment", "history", "risk", "depression", "support")
"""The order of the sections in a scenario (files, messages, templates); sections that components
add beyond these follow, then ``interventions`` and ``trial``."""
_SECTION_DOCS = {
    "caregiver": "The caregiver's traits (per dyad) and the rules that turn them into day-to-day answers.",
    "infant": "The infant's temperament, signalling and learning rules.",
    "assessment": "How outcomes are measured (as researchers measure them).",
    "history": "The caregiver's own attachment history (adult attachment states of mind, AAI).",
    "risk": "Prevalence of each risk factor (share of caregivers who have it), and what each does.",
    "depression": "Perinatal depression: onset, recovery, effects on caregiving, questionnaire score.",
    "support": "The caregiver's support network (\"it takes a village\").",
}
_SCHEMA: tuple[int, type] | None = None


def _section_class(name: str, parts: list[type]) -> type:
    """One section from the classes components add to it (fields in plan order)."""
    if len(parts) == 1 and name not in _SECTION_DOCS:
        return parts[0]
    cls = create_model(f"{name.title().replace('_', '')}Params", __base__=tuple(reversed(parts)))
    cls.__doc__ = _SECTION_DOCS.get(name, parts[0].__doc__)
    return cls


def schema() -> type[ScenarioBase]:
    """The scenario model of the current day plan (rebuilt when components are added or removed)."""
    global _SCHEMA
    if _SCHEMA is None or _SCHEMA[0] != PLAN.version:
        sections = PLAN.sections()
        order = [*SECTION_ORDER, *(s for s in sections if s not in SECTION_ORDER)]
        fields: dict[str, Any] = {"simulation": (SimulationSettings, Field(default_factory=SimulationSettings))}
        for name in order[1:]:
            if name in sections:
                cls = _section_class(name, sections[name])
                fields[name] = (cls, Field(default_factory=cls))
        fields["interventions"] = (list[InterventionSpec], Field(default_factory=list, max_length=MAX_INTERVENTIONS))
        fields["trial"] = (TrialParams, Field(default_factory=TrialParams))
        model = create_model("Scenario", __base__=ScenarioBase, **fields)
        model.__doc__ = "A complete, validated scenario."
        _SCHEMA = (PLAN.version, model)
    return _SCHEMA[1]


Scenario = schema()
"""The scenario model of the built-in day plan (for type hints; :func:`schema` follows run-time additions)."""
CaregiverParams = Scenario.model_fields["caregiver"].annotation
InfantParams = Scenario.model_fields["infant"].annotation
SupportParams = Scenario.model_fields["support"].annotation
DepressionParams = Scenario.model_fields["depression"].annotation
AssessmentParams = Scenario.model_fields["assessment"].annotation


TRAIT_SECTIONS = ("caregiver", "infant", "support")
"""Sections whose :class:`Dist` fields are per-dyad traits drawn at initialisation."""

# --------------------------------------------------------------------------------------------
# Loading, overrides and error messages

MAX_PROBLEMS = 5
"""Problems listed in one message; the rest are counted ("and 3 more"), so a message stays short."""
MAX_EXTENDS_DEPTH = 16
"""Most ``extends`` levels above a scenario file: more than any real use needs, and a clear message
(not a RecursionError) for a runaway chain."""
LABEL_CHARS = 120
"""Longest scenario name or path echoed in a message (longer ones are cut)."""
TOML_VALUE_START = tuple("[{\"'+-.0123456789")
"""First characters of a command-line value meant as TOML (a list, a table, quoted text, a number):
if it does not parse, that is an error. Anything else that does not parse is taken as text."""
VALUE_FORMS = "a number, true or false, a list [...], a table {...} or text in quotes"
"""What a value may be, for messages about a value that is not TOML."""
_PARSE_KEY = "v"
"""A command-line value is parsed as the TOML line ``v = VALUE``."""

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


def available_scenarios() -> list[str]:
    folder = scenario_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def _suggest(word: str, options: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{prefix}{close[0]}'?)" if close else ""


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    """A name, path or key cut to ``limit`` characters (unquoted, unlike :func:`shown`)."""
    return cut(text, limit)


def _key(parts: tuple | list) -> str:
    """A key path as the user writes it (``interventions.0.kind``), cut for messages."""
    return _cut(".".join(str(p) for p in parts), SHOWN_CHARS)


def _table_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model of a field holding a table, or a list of tables (then True); (None, False) for a value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    args = get_args(annotation)
    if get_origin(annotation) is list and len(args) == 1 and isinstance(args[0], type) \
            and issubclass(args[0], BaseModel):
        return args[0], True
    return None, False


def _section_model(path: tuple) -> type[BaseModel] | None:
    """The pydantic model that validates the table at ``path`` (None if not a table).

    An int in the path indexes a list of tables, as in pydantic's error locations:
    ``("interventions", 0)`` is an :class:`InterventionSpec`.
    """
    model: type[BaseModel] | None = schema()
    in_list = False
    for key in path:
        if in_list:
            if not isinstance(key, int):
                return None
            in_list = False
            continue
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None:
            return None
        model, in_list = _table_model(field.annotation)
        if model is None:
            return None
    return None if in_list else model


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
    return scenario


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


OWN_KEYS = ("name", "title", "description", "teaching_notes")
"""Keys a scenario never inherits through ``extends``."""


def _merge(parent: dict, child: dict) -> dict:
    """Child over parent: tables merge key by key, anything else (values, lists) is replaced."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _looks_like_path(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or os.sep in text


def _locate(text: str) -> tuple[Path, str]:
    """The file of a built-in name or a path, and its label for messages."""
    if _looks_like_path(text):
        return Path(text), _cut(text)
    names = available_scenarios()
    if text not in names:  # also keeps over-long or odd names away from the file system
        raise ScenarioError(f"unknown scenario {shown(text)}{_suggest(text, names)}; "
                            f"available: {', '.join(names) or '(none found in ' + str(scenario_dir()) + ')'}")
    return scenario_dir() / f"{text}.toml", text


def _read_toml(path: Path, label: str) -> dict:
    """The TOML table of a file (a UTF-8 byte-order mark is fine); every failure is a ScenarioError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file '{label}' does not exist") from None
    except IsADirectoryError:
        raise ScenarioError(f"scenario file '{label}' is a folder; give a .toml file") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"scenario file '{label}' is not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    except (OSError, ValueError) as exc:  # permission, name too long, symlink loop, NUL in the name...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ScenarioError(f"scenario file '{label}' cannot be read: {_cut(reason)}") from None
    try:
        return tomllib.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ScenarioError(f"scenario file '{label}' is not valid TOML: {_toml_problem(exc)}") from None


def _identity(path: Path) -> str:
    """The file's resolved path: the same file reached by a name and by a path is one file."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return str(path.absolute())


def read_scenario_file(name_or_path: str | os.PathLike, _chain: tuple[str, ...] = ()) -> tuple[dict, str]:
    """Read a scenario by built-in name or by path; return the raw dict and a label for errors.

    A file may start from another scenario with ``extends = "community"`` (a built-in name or a
    path relative to the file): it then states only how it differs. Tables merge key by key;
    values and lists (e.g. ``interventions``) replace the parent's; ``name``, ``title``,
    ``description`` and ``teaching_notes`` are never inherited. A chain of ``extends`` may be
    MAX_EXTENDS_DEPTH levels deep and must not come back to a file already in it.
    """
    text = os.fspath(name_or_path) if isinstance(name_or_path, os.PathLike) else str(name_or_path)
    path, label = _locate(text)
    data = _read_toml(path, label)
    parent = data.pop("extends", None)
    if parent is None:
        return data, label
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{label}: extends = {shown(parent)} is not allowed: give a scenario name or a path")
    chain = _chain + (_identity(path),)
    if chain[-1] in _chain:
        raise ScenarioError(f"{label}: extends = {shown(parent)} makes a cycle (a scenario extends itself, "
                            f"directly or through others)")
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{label}: extends = {shown(parent)} goes deeper than {MAX_EXTENDS_DEPTH} levels of "
                            f"extends, counted from {shown(Path(chain[0]).name)}; allowed: at most "
                            f"{MAX_EXTENDS_DEPTH} levels")
    if _looks_like_path(parent):
        parent = str(path.parent / parent)
    parent_data, _ = read_scenario_file(parent, chain)
    inherited = {k: v for k, v in parent_data.items() if k not in OWN_KEYS}
    return _merge(inherited, data), label


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

"""Reading scenario files: the built-in folder, names and paths, and ``extends`` chains.

A scenario is a TOML file in ``scenarios/`` (or any path); a built-in one is named by its file's
stem (``good_enough``). A file may start from another with ``extends`` and state only how it
differs (:func:`read_scenario_file`). Every failure to find, read or parse a file is one
:class:`~simulation.errors.ScenarioError` that names the file.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from ..errors import ScenarioError, shown
from .messages import _cut, _suggest, _toml_problem

SCENARIO_DIR_ENV = "SECUREBASE_SCENARIOS"
MAX_EXTENDS_DEPTH = 16
"""Most ``extends`` levels above a scenario file: more than any real use needs, and a clear message
(not a RecursionError) for a runaway chain."""


def scenario_dir() -> Path:
    """Folder of the built-in scenarios (``$SECUREBASE_SCENARIOS`` if set).

    ``scenarios/`` at the project root, shipped in the package as ``simulation/_data/scenarios``
    (a link to it in the repository, the files themselves in an installed wheel: pyproject.toml).
    """
    env = os.environ.get(SCENARIO_DIR_ENV)
    if env:
        return Path(env)
    return Path(resources.files("simulation") / "_data" / "scenarios").resolve()


def available_scenarios() -> list[str]:
    folder = scenario_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


OWN_KEYS = ("name", "title", "description", "teaching_notes", "app_notes")
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
    ``description``, ``teaching_notes`` and ``app_notes`` are never inherited. A chain of ``extends`` may be
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

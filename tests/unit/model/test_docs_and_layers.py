"""docs/ODD.md's generated blocks match the day plan; no module imports from a layer above it."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _update_docs():
    spec = importlib.util.spec_from_file_location("update_docs", ROOT / "scripts" / "update_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["schedule", "state", "intervention-kinds", "calibrated"])
def test_odd_blocks_match_the_day_plan(name):
    docs = _update_docs()
    text = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert docs.current(text, name) == docs.blocks()[name].strip(), (
        f"docs/ODD.md's '{name}' block is out of date: run .venv/bin/python scripts/update_docs.py")


def test_every_calibrated_parameter_is_listed_with_its_target():
    """docs/ODD.md section 8 names each parameter whose declared source says it was calibrated."""
    from simulation.scenario.schema import declared_parameters

    text = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    calibrated = [key for key, f in declared_parameters()
                  if (f.json_schema_extra or {}).get("source", "").lower().startswith("calibrated")]
    assert len(calibrated) >= 20  # the walk reaches every section (traits and nested sections included)
    assert "caregiver.frightening" in calibrated and "assessment.coder_error" in calibrated
    missing = [key for key in calibrated if f"| `{key}` |" not in text]
    assert not missing, f"calibrated parameters not in docs/ODD.md section 8: {missing}"


def test_the_docs_check_can_fail():
    docs = _update_docs()
    text = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8").replace("`perception`:", "`perceptions`:", 1)
    assert docs.current(text, "schedule") != docs.blocks()["schedule"].strip()


LAYERS = [
    ("simulation.errors",),
    ("simulation.model.params", "simulation.model.calendar", "simulation.model.component", "simulation.model.state",
     "simulation.model.episodes", "simulation.model.streams", "simulation.model.memory",
     "simulation.model.numerics"),
    ("simulation.model.components",),
    ("simulation.measures",),
    ("simulation.model.plan", "simulation.model.population", "simulation.scenario"),
    ("simulation.model.agents", "simulation.model.engine", "simulation.model"),
    ("simulation.report",),
    ("simulation.study",),
    ("simulation.app", "simulation.cli", "simulation.__main__"),
]
"""Lowest first; a module may import from its own layer or below: the model's foundations (how a
parameter, a component, the state and the random streams are declared), the components, the
measures, the day plan and the schema, the engine and its agents, reports (tables, files,
figures), studies (runs, trials, sweeps, sensitivity, validation), then the app and the command
line (and the package's own front door, ``simulation/__init__.py``)."""


def _layer(module: str) -> int | None:
    """The layer of a module: that of the longest prefix listed."""
    if module == "simulation":  # the package's front door (simulation/__init__.py) is on top
        return len(LAYERS) - 1
    matches = [(len(p), rank) for rank, layer in enumerate(LAYERS) for p in layer
               if module == p or module.startswith(p + ".")]
    return max(matches)[1] if matches else None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(text: str, module: str, is_package: bool = False) -> list[str]:
    package = module if is_package else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out += [f"{base}.{a.name}" for a in node.names]
    return [m for m in out if m.startswith("simulation")]


def problems_in(module: str, text: str, is_package: bool = False) -> list[str]:
    rank = _layer(module)
    problems = []
    for imported in _imports(text, module, is_package):
        other = _layer(imported)
        if other is None:
            other = _layer(imported.rsplit(".", 1)[0])  # "from simulation import run": the package
        if other is not None and other > rank:
            problems.append(f"{module} imports {imported}")
    return problems


def modules() -> list[tuple[str, Path]]:
    return [(_module_name(p), p) for p in sorted((ROOT / "simulation").rglob("*.py"))]


def test_every_module_has_a_layer():
    assert [m for m, _ in modules() if _layer(m) is None] == []


def test_no_module_imports_from_a_layer_above_it():
    problems = []
    for module, path in modules():
        problems += problems_in(module, path.read_text(), path.name == "__init__.py")
    assert problems == []


def test_the_layer_check_can_fail():
    text = (ROOT / "simulation" / "model" / "components" / "signals.py").read_text()
    assert problems_in("simulation.model.components.signals", text) == []
    assert problems_in("simulation.model.components.signals", text + "\nfrom ..engine import AttachmentModel\n")
    assert problems_in("simulation.measures.observation", "from ..study.trial import run_trial\n")
    assert problems_in("simulation.report.plots", "from simulation.study import sensitivity\n")

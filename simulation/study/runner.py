"""The Python API: run one scenario, or compare several with common random numbers."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any, Sequence

import pandas as pd

from simulation.study import analysis
from simulation.report import records
from simulation.model import streams
from simulation.model.engine import AttachmentModel
from simulation.errors import ScenarioError, shown
from simulation.scenario import Scenario, load_scenario


@dataclass
class RunResult:
    """Results of one or more scenarios: ``dyads`` (one row per dyad) and ``daily`` tables."""

    dyads: pd.DataFrame
    daily: pd.DataFrame
    scenarios: list[Scenario] = field(default_factory=list)
    seed: Any = streams.DEFAULT_SEED

    def summary(self) -> pd.DataFrame:
        """One row per scenario: A/B/C/D shares with 95% CIs and the main measures."""
        return analysis.summarise(self.dyads)


def _shortcuts(overrides: dict[str, Any] | None, n_dyads: int | None, months: int | None) -> dict[str, Any]:
    merged = dict(overrides or {})
    if n_dyads is not None:
        merged["simulation.n_dyads"] = n_dyads
    if months is not None:
        merged["simulation.months"] = months
    return merged


def run(scenario: Any = "good_enough", *, n_dyads: int | None = None, seed: streams.SeedLike = streams.DEFAULT_SEED,
        overrides: dict[str, Any] | None = None, months: int | None = None, per_agent: bool = False) -> RunResult:
    """Run one scenario (name, path, dict or Scenario) and return its tables.

    >>> result = run("good_enough", n_dyads=200, seed=1)
    >>> result.dyads["attachment"].value_counts()  # doctest: +SKIP
    """
    sc = load_scenario(scenario, _shortcuts(overrides, n_dyads, months))
    model = AttachmentModel(sc, seed=seed, per_agent=per_agent).run()
    return RunResult(records.dyad_table(model), records.daily_table(model), [sc], seed)


COLLECT_FROM_DYADS = 5_000
"""Models of at least this many dyads are collected as soon as they finish (:func:`collect_models`)."""


def collect_models(n_dyads: int) -> None:
    """Free a finished model's memory now, in processes that run model after model (sweep tasks,
    cohort blocks on a worker), once the last reference to it is dropped. A model and its agents
    refer to each other, so reference counting alone never frees them, and Python's full collection
    comes late: dead models piled up, about 0.2 GB for each block of 25,000 dyads. A full collection
    costs about 0.1 s, nothing beside a model of ``COLLECT_FROM_DYADS`` dyads or more; smaller ones
    (a small sweep's hundreds of tasks) are left to Python, and plain runs skip it."""
    if n_dyads >= COLLECT_FROM_DYADS:
        gc.collect()


def compare(scenarios: Sequence[Any], *, n_dyads: int | None = None, seed: streams.SeedLike = streams.DEFAULT_SEED,
            overrides: dict[str, Any] | None = None, months: int | None = None) -> RunResult:
    """Run several scenarios with the same seed (common random numbers) and stack their tables.

    Every scenario is validated before any runs, so a bad one fails fast.
    """
    if isinstance(scenarios, (str, bytes, dict, Scenario)) or not isinstance(scenarios, Sequence):
        raise ScenarioError(f"compare() takes a list of scenarios, e.g. compare(['good_enough', 'inconsistent']), "
                            f"got {shown(scenarios)}; to run one scenario use run()")
    if not scenarios:
        raise ScenarioError("compare() needs at least one scenario, got an empty list")
    loaded = [load_scenario(s, _shortcuts(overrides, n_dyads, months)) for s in scenarios]
    names = [s.name for s in loaded]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names must be distinct in a comparison, got {names}")
    results = [run(sc, seed=seed) for sc in loaded]
    return RunResult(pd.concat([r.dyads for r in results], ignore_index=True),
                     pd.concat([r.daily for r in results], ignore_index=True), loaded, seed)

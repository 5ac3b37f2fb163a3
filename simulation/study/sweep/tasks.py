"""Sweep tasks: one simulation, ``(scenario, overrides, seed)`` in, a tidy record out.

**Pure tasks.** A task reads and writes no files and shares no state. It can therefore run in this
process, in a local process pool or on a Dask cluster on other machines, and gives the same numbers
everywhere. Workers unpickle :func:`run_task` and :class:`Task` by their module path
(``simulation.study.sweep.tasks``), so both stay at module level here.

The outcomes a task reports (:func:`summarise_run`) and their names and aliases live here too.
"""

from __future__ import annotations

import math
import os
import socket
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from simulation.errors import UserError

CLASSES = ("A", "B", "C", "D")
MEAN_OUTCOMES = ("security", "observed_sensitivity", "crying_early", "crying_late", "coordination")
SHARE_OUTCOMES = ("depressed",)  # 0/1 (or bool) per-dyad columns reported as a share; NaN if absent
OUTCOME_ALIASES = {"share_secure": "share_B", "share_avoidant": "share_A", "share_resistant": "share_C",
                   "share_disorganised": "share_D", "depression_prevalence": "share_depressed"}


@dataclass(frozen=True)
class Task:
    """One simulation: the base scenario (a plain dict), the point's overrides and a seed."""

    key: str
    point: int
    replicate: int
    scenario: dict
    overrides: dict
    seed: np.random.SeedSequence
    per_dyad: bool = False


@dataclass
class TaskResult:
    key: str
    outcomes: dict[str, float]
    dyads: pd.DataFrame | None
    seconds: float
    host: str
    pid: int


def _share(values: pd.Series) -> float:
    return float(values.astype(float).mean()) if len(values) else math.nan


def summarise_run(dyads: pd.DataFrame) -> dict[str, float]:
    """The per-run outcomes of a task. Add new outcomes here (missing columns give NaN)."""
    out: dict[str, float] = {"n": len(dyads)}
    for cls in CLASSES:
        out[f"share_{cls}"] = _share(dyads["attachment"] == cls) if "attachment" in dyads else math.nan
    for col in MEAN_OUTCOMES:
        out[f"mean_{col}"] = float(dyads[col].astype(float).mean()) if col in dyads else math.nan
    for col in SHARE_OUTCOMES:
        out[f"share_{col}"] = _share(dyads[col]) if col in dyads else math.nan
    return out


def resolve_outcome(name: str) -> str:
    """Outcome column for a name or an alias (``share_secure`` -> ``share_B``)."""
    return OUTCOME_ALIASES.get(name, name)


def run_task(task: Task) -> TaskResult:
    """Run one task. Pure: no files, no shared state (so it runs anywhere, identically)."""
    from simulation.study.runner import collect_models, run

    start = time.perf_counter()
    result = run(task.scenario, seed=task.seed, overrides=task.overrides)
    collect_models(len(result.dyads))  # the task's model, before the next task on this worker
    dyads = result.dyads if task.per_dyad else None
    return TaskResult(task.key, summarise_run(result.dyads), dyads, time.perf_counter() - start,
                      socket.gethostname(), os.getpid())


def outcome_names() -> list[str]:
    """Every outcome column a task produces (see :func:`summarise_run`)."""
    return list(summarise_run(pd.DataFrame()))


def outcome_columns(table: pd.DataFrame) -> list[str]:
    known = outcome_names()
    return [c for c in table.columns if c in known]


def check_outcomes(names: Sequence[str]) -> list[str]:
    """Validate outcome names (or aliases) before a sweep runs; return them unchanged."""
    known = outcome_names()
    for name in names:
        if resolve_outcome(name) not in known:
            raise UserError(f"unknown outcome '{name}'; allowed: {', '.join(known)} "
                            f"or the aliases {', '.join(OUTCOME_ALIASES)}")
    return list(names)

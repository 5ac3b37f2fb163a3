"""Running a sweep: the plan, the executors' results on disk, resume, the final table, the manifest.

* **Validate first.** Every point is validated with :func:`~simulation.scenario.load_scenario`
  before any task runs, so a bad design fails with one :class:`~simulation.errors.UserError`
  and nothing is written. Parameter names are never hard-coded: whatever the schema accepts.
* **Common random numbers.** Replicate ``r`` of *every* design point gets the same child
  ``SeedSequence(root_seed).spawn(R)[r]``, so differences between points are differences of
  parameters, not of luck (Law & Kelton, ch. 11). The child does not depend on ``R``: adding
  replicates later reuses the finished ones.
* **Resume.** The driver (not the workers: a remote Dask worker may not see our disk) writes
  each finished task to ``parts/<key>.parquet`` atomically (temporary file + ``os.replace``).
  The key hashes what determines the numbers (validated scenario after overrides, replicate,
  root seed), so a rerun skips finished tasks, and the final table, assembled in (point,
  replicate) order from the parts, is the same as an uninterrupted run's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from simulation.report import outputs
from simulation.model import streams
from simulation.errors import UserError
from simulation.scenario import Scenario, load_scenario
from simulation.study.sweep.designs import Design, _check_count, _plain
from simulation.study.sweep.executors import _check_executor_spec, _execute, describe_executor, open_executor
from simulation.study.sweep.tasks import Task, TaskResult, check_outcomes, outcome_columns, resolve_outcome

MAX_TASKS = 1_000_000
"""Most tasks in one sweep: planning more takes gigabytes before anything runs."""
KEY_VERSION = 1  # bump when a task's outcomes change meaning: old parts are then not reused
TEXT_FIELDS = ("title", "description", "teaching_notes", "app_notes")
EXTRA_PACKAGES = ("SALib", "pyarrow", "tqdm", "dask", "distributed")


# --------------------------------------------------------------------------------------------
# Planning: validate everything, compute task keys


@dataclass
class Plan:
    scenario: Scenario
    design: Design
    replicates: int
    root_seed: int
    overrides: dict[str, Any]
    point_overrides: list[dict[str, Any]]
    tasks: list[Task]

    def unique_tasks(self) -> list[Task]:
        """One task per key: a design may repeat a point (Saltelli designs do, for D = 2), and a
        repeated point with the same seed gives the same numbers, so it runs once."""
        first: dict[str, Task] = {}
        for task in self.tasks:
            first.setdefault(task.key, task)
        return list(first.values())


def _current_value(scenario: Scenario, name: str) -> Any:
    node: Any = scenario
    for part in name.split("."):
        node = getattr(node, part, None)
    return node


def _hash(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def plan(scenario: Any, design: Design, *, replicates: int = 1, seed: int = 0,
         overrides: Mapping[str, Any] | None = None, n_dyads: int | None = None, months: int | None = None,
         per_dyad: bool = False) -> Plan:
    """Validate the sweep and list its tasks; raises one UserError before anything runs."""
    replicates = _check_count("replicates", replicates)
    root_seed = _check_count("the root seed", seed, 0)
    if isinstance(design, Design) and len(design) * replicates > MAX_TASKS:
        raise UserError(f"{len(design):,} design points x {replicates:,} replicates = {len(design) * replicates:,} "
                        f"tasks is more than a sweep takes ({MAX_TASKS:,}); use fewer replicates or points")
    streams.root_sequence(root_seed)  # at most 2**128 - 1: one message, not an OverflowError later
    if not isinstance(design, Design) or not design.points:
        raise UserError("the design has no points")
    fixed = dict(overrides or {})
    for key, value in (("simulation.n_dyads", n_dyads), ("simulation.months", months)):
        if value is not None and key in fixed:
            raise UserError(f"{key} is given twice (an override {key}={fixed[key]!r} and the {key.split('.')[1]} "
                            f"argument {value!r}); give it one way only")
    if n_dyads is not None:
        fixed["simulation.n_dyads"] = n_dyads
    if months is not None:
        fixed["simulation.months"] = months
    base = load_scenario(scenario, fixed)
    base_dict = base.model_dump(mode="json")
    both = sorted(set(design.names) & set(fixed))
    if both:
        raise UserError(f"design parameter '{both[0]}' is also set as a fixed override; set it in one place only")

    integer = {}
    for p in design.parameters:  # one clear message per parameter before checking every point
        probes = list(p.bounds) if p.bounds is not None else list(p.values[:1])
        for probe in probes:
            try:
                load_scenario(base_dict, {p.name: probe})
            except UserError as exc:
                raise UserError(f"design parameter '{p.name}' = {probe!r}: {exc}") from None
        current = _current_value(base, p.name)
        integer[p.name] = (p.bounds is not None and isinstance(current, int) and not isinstance(current, bool))

    point_overrides, point_hashes = [], []
    for i, point in enumerate(design.points):
        ov = {k: (int(round(v)) if integer.get(k) else _plain(v)) for k, v in point.items()}
        try:
            final = load_scenario(base_dict, ov)
        except UserError as exc:
            raise UserError(f"design point {i} {ov}: {exc}") from None
        point_overrides.append(ov)
        content = final.model_dump(mode="json", exclude=set(TEXT_FIELDS))  # prose does not change the numbers
        point_hashes.append(_hash({"scenario": content, "key_version": KEY_VERSION}))

    children = np.random.SeedSequence(root_seed).spawn(replicates)
    tasks = [Task(_hash({"point": h, "replicate": r, "root_seed": root_seed}), i, r, base_dict, ov, children[r], per_dyad)
             for i, (ov, h) in enumerate(zip(point_overrides, point_hashes)) for r in range(replicates)]
    return Plan(base, design, replicates, root_seed, fixed, point_overrides, tasks)


# --------------------------------------------------------------------------------------------
# Output: parts, log, final table, manifest


@dataclass
class SweepResult:
    """A finished sweep: ``table`` (one row per task, sorted by point and replicate)."""

    table: pd.DataFrame
    dyads: pd.DataFrame | None
    plan: Plan
    out: Path | None
    computed: int
    reused: int
    elapsed: float
    executor: dict[str, Any]
    manifest: dict[str, Any]

    @property
    def design(self) -> Design:
        return self.plan.design

    def point_means(self, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
        """Mean of each outcome over replicates, one row per design point (in point order).

        Columns carry the names asked for: ``point_means(["share_secure"])`` has a column
        ``share_secure`` (the table's ``share_B``), never a name nobody asked for.
        """
        names = self.plan.design.names
        asked = check_outcomes(outcomes) if outcomes else outcome_columns(self.table)
        means = self.table.groupby("point", sort=True).agg(
            {**{n: "first" for n in names}, **{resolve_outcome(o): "mean" for o in asked}})
        for o in asked:
            means[o] = means[resolve_outcome(o)]
        return means[[*names, *asked]]


def _atomic_write(write: Callable[[Path], None], path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    _atomic_write(lambda p: df.to_parquet(p, index=False, engine="pyarrow"), path)


def _write_part(parts: Path, result: TaskResult) -> None:
    if result.dyads is not None:  # the summary part is written last: it marks the task done
        _write_parquet(result.dyads, parts / f"{result.key}.dyads.parquet")
    row = {"task": result.key, "n": int(result.outcomes["n"]),
           **{k: float(v) for k, v in result.outcomes.items() if k != "n"}}
    _write_parquet(pd.DataFrame([row]), parts / f"{result.key}.parquet")


def _finished(parts: Path, tasks: Sequence[Task]) -> set[str]:
    names = set(os.listdir(parts)) if parts.is_dir() else set()
    return {t.key for t in tasks
            if f"{t.key}.parquet" in names and (not t.per_dyad or f"{t.key}.dyads.parquet" in names)}


def _assemble(parts: Path, the_plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tasks = the_plan.tasks
    ident = pd.DataFrame({
        "scenario": the_plan.scenario.name,
        "point": [t.point for t in tasks],
        "replicate": [t.replicate for t in tasks],
        "root_seed": the_plan.root_seed,
        "task": [t.key for t in tasks],
    })
    for name in the_plan.design.names:
        ident[name] = [the_plan.point_overrides[t.point][name] for t in tasks]
    tables = [pq.read_table(parts / f"{t.key}.parquet") for t in the_plan.unique_tasks()]
    outcomes = pa.concat_tables(tables, promote_options="default").to_pandas()
    table = ident.join(outcomes.set_index("task"), on="task", validate="many_to_one")
    dyads = None
    if tasks and tasks[0].per_dyad:
        frames = []
        for t in tasks:
            df = pd.read_parquet(parts / f"{t.key}.dyads.parquet")
            df.insert(0, "replicate", t.replicate)
            df.insert(0, "point", t.point)
            frames.append(df)
        dyads = pd.concat(frames, ignore_index=True)
    return table, dyads


def _open_log(path: Path):
    """The log of computed tasks (one JSON line each), appended to across reruns."""
    if path.exists() and path.stat().st_size:
        with open(path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"  # a run killed mid-line: start a fresh line
        if torn:
            with open(path, "a", encoding="utf-8") as f:
                f.write("\n")
    return open(path, "a", encoding="utf-8")


def versions() -> dict[str, str]:
    return outputs.versions(EXTRA_PACKAGES)


def _progress(total: int, initial: int, enabled: bool | None, label: str, unit: str = "task",
              unit_scale: bool = False, smoothing: float = 0.05):
    """A progress bar on stderr (on a terminal unless ``enabled`` says), with rate and time left
    (sweeps count tasks; cohorts count dyads, shown as 1.2M with ``unit_scale``)."""
    from tqdm.auto import tqdm

    enabled = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(total=total, initial=initial, unit=unit, unit_scale=unit_scale, desc=label, disable=not enabled,
                file=sys.stderr, dynamic_ncols=True, smoothing=smoothing)


def _warn_if_other_commit(out: Path, reusable: int) -> None:
    try:
        old = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    now = outputs.git_commit()
    if reusable and old.get("git_commit") and now and old["git_commit"] != now:
        warnings.warn(f"{reusable} finished task(s) in {out}/parts were computed at commit "
                      f"{old['git_commit'][:10]}, the code is now at {now[:10]}; delete {out}/parts to recompute")


def run_sweep(scenario: Any, design: Design, *, replicates: int = 1, seed: int = 0,
              overrides: Mapping[str, Any] | None = None, n_dyads: int | None = None, months: int | None = None,
              out: str | os.PathLike | None = None, executor: Any = None, workers: int | None = None,
              per_dyad: bool = False, progress: bool | None = None) -> SweepResult:
    """Run a sweep and return its table; with ``out``, write it there and resume from it.

    ``executor``: None/"process" (local process pool, ``workers`` default all cores), "serial",
    "dask" (a new LocalCluster), a Dask scheduler address, or any object with ``submit`` that
    returns ``concurrent.futures``-style futures (e.g. a ``distributed.Client``).
    """
    the_plan = plan(scenario, design, replicates=replicates, seed=seed, overrides=overrides,
                    n_dyads=n_dyads, months=months, per_dyad=per_dyad)
    _check_executor_spec(executor)
    if workers is not None:
        _check_count("workers", workers)
    out_path = outputs.check_output_dir(out) if out is not None else None
    with contextlib.ExitStack() as stack:
        root = out_path if out_path is not None else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        return _run(the_plan, root, out_path, executor, workers, progress)


def _run(the_plan: Plan, root: Path, out: Path | None, executor: Any, workers: int | None,
         progress: bool | None) -> SweepResult:
    parts = root / "parts"
    unique = the_plan.unique_tasks()
    done = _finished(parts, unique)
    if out is not None:
        _warn_if_other_commit(out, len(done))
    todo = [t for t in unique if t.key not in done]
    fields = {"status": "running", "scenario": the_plan.scenario.model_dump(mode="json"),
              "overrides": the_plan.overrides, "design": the_plan.design.to_dict(),
              "replicates": the_plan.replicates, "root_seed": the_plan.root_seed, "n_tasks": len(the_plan.tasks),
              "n_unique_tasks": len(unique), "per_dyad": the_plan.tasks[0].per_dyad, "key_version": KEY_VERSION,
              "versions": versions()}
    start = time.perf_counter()
    with open_executor(executor if todo else "serial", workers) as ex:  # may fail: nothing written yet
        parts.mkdir(parents=True, exist_ok=True)
        for stale in parts.glob(".*.tmp-*"):  # left by a killed run
            stale.unlink(missing_ok=True)
        fields["executor"] = (describe_executor(ex) if todo else
                              {"kind": "none", "note": "all tasks were already done",
                               "requested": executor if executor is None or isinstance(executor, str)
                               else describe_executor(executor)})
        if out is not None:
            _atomic_write(lambda p: outputs.write_json(p, outputs.manifest(**fields)), out / "manifest.json")
        with _progress(len(unique), len(done), progress, f"{the_plan.scenario.name} sweep") as bar, \
                _open_log(root / "tasks.log") as log:
            def on_result(task: Task, result: TaskResult) -> None:
                _write_part(parts, result)
                log.write(json.dumps({"task": task.key, "point": task.point, "replicate": task.replicate,
                                      "seconds": round(result.seconds, 4), "host": result.host,
                                      "pid": result.pid}) + "\n")
                log.flush()
                bar.update(1)

            try:
                _execute(ex, todo, on_result)
            except BaseException:  # Ctrl-C, SIGTERM, a failed task: say so, keep the finished parts
                if out is not None:
                    fields.update(status="interrupted", finished=len(_finished(parts, unique)),
                                  note="rerun the same command to resume")
                    _atomic_write(lambda p: outputs.write_json(p, outputs.manifest(**fields)), out / "manifest.json")
                raise
    elapsed = time.perf_counter() - start
    table, dyads = _assemble(parts, the_plan)
    fields.update(status="complete", computed=len(todo), reused=len(done), elapsed_seconds=round(elapsed, 2),
                  outcomes=outcome_columns(table))
    manifest = outputs.manifest(**fields)
    if out is not None:
        with outputs.staged_output(out, replace=False) as scratch:
            _write_parquet(table, scratch / "sweep.parquet")
            table.to_csv(scratch / "sweep.csv", index=False)
            if dyads is not None:
                _write_parquet(dyads, scratch / "dyads.parquet")
            outputs.write_json(scratch / "manifest.json", manifest)
    return SweepResult(table, dyads, the_plan, out, len(todo), len(done), elapsed, fields["executor"], manifest)


def clean_parts(out: str | os.PathLike) -> None:
    """Remove the per-task parts of a finished sweep (the final table is kept)."""
    shutil.rmtree(Path(out) / "parts", ignore_errors=True)

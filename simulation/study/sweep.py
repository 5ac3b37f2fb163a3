"""Parameter sweeps: designs, pure tasks, executors and resumable output.

A sweep is a base scenario (plus fixed overrides), a *design* (a list of points, each a dict of
dotted scenario keys -> values), a number of replicates and a root seed. Why it is built this way:

* **Pure tasks.** A task is ``(scenario, overrides, seed)`` in, a tidy record out; it reads and
  writes no files and shares no state. It can therefore run in this process, in a local process
  pool or on a Dask cluster on other machines, and gives the same numbers everywhere.
* **Common random numbers.** Replicate ``r`` of *every* design point gets the same child
  ``SeedSequence(root_seed).spawn(R)[r]``, so differences between points are differences of
  parameters, not of luck (Law & Kelton, ch. 11). The child does not depend on ``R``: adding
  replicates later reuses the finished ones.
* **Validate first.** Every point is validated with :func:`~simulation.scenario.load_scenario`
  before any task runs, so a bad design fails with one :class:`~simulation.errors.UserError`
  and nothing is written. Parameter names are never hard-coded: whatever the schema accepts.
* **Resume.** The driver (not the workers: a remote Dask worker may not see our disk) writes
  each finished task to ``parts/<key>.parquet`` atomically (temporary file + ``os.replace``).
  The key hashes what determines the numbers (validated scenario after overrides, replicate,
  root seed), so a rerun skips finished tasks, and the final table, assembled in (point,
  replicate) order from the parts, is the same as an uninterrupted run's.

Example::

    from simulation.study import sweep
    design = sweep.grid({"caregiver.repair": [0.3, 0.6, 0.9], "caregiver.accuracy": [0.5, 0.8]})
    result = sweep.run_sweep("good_enough", design, replicates=5, seed=1, n_dyads=500, out="results/repair")
    result.table.groupby("caregiver.repair")["share_B"].mean()
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import os
import queue
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from simulation.report import outputs
from simulation.model import streams
from simulation.errors import UserError, whole_number
from simulation.scenario import Scenario, load_scenario

MAX_TASKS = 1_000_000
"""Most tasks in one sweep: planning more takes gigabytes before anything runs."""
KEY_VERSION = 1  # bump when a task's outcomes change meaning: old parts are then not reused
TEXT_FIELDS = ("title", "description", "teaching_notes")
EXTRA_PACKAGES = ("SALib", "pyarrow", "tqdm", "dask", "distributed")
CLASSES = ("A", "B", "C", "D")
MEAN_OUTCOMES = ("security", "observed_sensitivity", "crying_early", "crying_late", "coordination")
SHARE_OUTCOMES = ("depressed",)  # 0/1 (or bool) per-dyad columns reported as a share; NaN if absent
OUTCOME_ALIASES = {"share_secure": "share_B", "share_avoidant": "share_A", "share_resistant": "share_C",
                   "share_disorganised": "share_D", "depression_prevalence": "share_depressed"}


# --------------------------------------------------------------------------------------------
# Designs


@dataclass(frozen=True)
class Parameter:
    """A design parameter: a dotted scenario key with its grid ``values`` or its ``bounds``."""

    name: str
    values: tuple | None = None
    bounds: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **({"values": list(self.values)} if self.values is not None else {}),
                **({"bounds": list(self.bounds)} if self.bounds is not None else {})}


@dataclass
class Design:
    """Design points (dicts of overrides) and, for sampled designs, the raw sample matrix.

    ``matrix`` (points x parameters) is what SALib's analysers need; ``points`` are the values
    run (integer parameters are rounded when the sweep is planned, the matrix is not).
    """

    kind: str
    parameters: list[Parameter]
    points: list[dict[str, Any]]
    matrix: np.ndarray | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    def __len__(self) -> int:
        return len(self.points)

    def problem(self) -> dict[str, Any]:
        """The SALib problem dict (only for designs with bounds)."""
        if any(p.bounds is None for p in self.parameters):
            raise UserError(f"a {self.kind} design has no bounds; sensitivity analysis needs a sobol or morris design")
        return {"num_vars": len(self.parameters), "names": self.names,
                "bounds": [list(p.bounds) for p in self.parameters]}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "parameters": [p.to_dict() for p in self.parameters],
                "n_points": len(self.points), **self.options}


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or any(not part for part in name.split(".")):
        raise UserError(f"design parameter {name!r}: a parameter is a dotted scenario key, e.g. 'caregiver.repair'")
    return name.strip()


def _check_bounds(name: str, bounds: Any) -> tuple[float, float]:
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise UserError(f"design parameter '{name}': bounds must be two numbers (low, high), got {bounds!r}") from None
    for v in (low, high):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
            raise UserError(f"design parameter '{name}': bounds must be two finite numbers (low, high), got {bounds!r}")
    if not low < high:
        what = "give an empty range" if low == high else "are decreasing"
        raise UserError(f"design parameter '{name}': bounds ({low!r}, {high!r}) {what}; allowed: low < high")
    return float(low), float(high)


def _check_count(what: str, n: Any, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise UserError(f"{what} must be a whole number >= {minimum}, got {n!r}")
    return int(n)


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars (for hashing, JSON and pydantic)."""
    return value.item() if isinstance(value, np.generic) else value


def _bounded(bounds: Mapping[str, Any]) -> list[Parameter]:
    if not bounds:
        raise UserError("a design needs at least one parameter")
    return [Parameter(_check_name(k), bounds=_check_bounds(str(k), b)) for k, b in bounds.items()]


def _sampled(kind: str, params: list[Parameter], matrix: np.ndarray, **options: Any) -> Design:
    points = [{p.name: float(x) for p, x in zip(params, row)} for row in matrix]
    return Design(kind, params, points, np.asarray(matrix, dtype=float), options)


def grid(values: Mapping[str, Sequence[Any]]) -> Design:
    """Full factorial grid; the last parameter varies fastest."""
    if not values:
        raise UserError("a design needs at least one parameter")
    params = []
    for name, vals in values.items():
        name = _check_name(name)
        if isinstance(vals, (str, bytes)) or not isinstance(vals, Iterable):
            raise UserError(f"design parameter '{name}': grid values must be a list, got {vals!r}")
        vals = tuple(_plain(v) for v in vals)
        if not vals:
            raise UserError(f"design parameter '{name}': empty list of values; give at least one value")
        for v in vals:
            if not isinstance(v, (int, float, str, bool)) or (isinstance(v, float) and not math.isfinite(v)):
                raise UserError(f"design parameter '{name}': grid value {v!r} is not allowed; "
                                f"allowed: finite numbers, booleans or strings")
        if len(set(vals)) != len(vals):
            raise UserError(f"design parameter '{name}': grid values {list(vals)} contain duplicates")
        params.append(Parameter(name, values=vals))
    points = [dict(zip((p.name for p in params), combo)) for combo in itertools.product(*(p.values for p in params))]
    return Design("grid", params, points)


def latin_hypercube(bounds: Mapping[str, tuple[float, float]], n: int, *, seed: int = 0) -> Design:
    """``n`` points of a Latin hypercube (scipy.stats.qmc) within ``bounds``."""
    from scipy.stats import qmc

    params = _bounded(bounds)
    n = _check_count("the number of Latin hypercube points", n)
    seed = _check_count("the design seed", seed, 0)
    try:
        engine = qmc.LatinHypercube(len(params), rng=seed)
    except TypeError:  # scipy < 1.15
        engine = qmc.LatinHypercube(len(params), seed=seed)
    unit = engine.random(n)
    lows, highs = (np.array([p.bounds[i] for p in params]) for i in (0, 1))
    return _sampled("lhs", params, qmc.scale(unit, lows, highs), n=n, seed=seed)


def sobol(bounds: Mapping[str, tuple[float, float]], n: int, *, second_order: bool = True, seed: int = 0) -> Design:
    """Saltelli/Sobol' design (SALib): ``n * (2D + 2)`` points, or ``n * (D + 2)`` without
    second-order indices. ``n`` must be a power of two (the Sobol' sequence's balance)."""
    from SALib.sample import sobol as salib_sobol

    params = _bounded(bounds)
    n = _check_count("the Sobol base sample size n", n)
    if n & (n - 1):
        lower = 1 << (n.bit_length() - 1)
        raise UserError(f"the Sobol base sample size n = {n} is not allowed: it must be a power of two "
                        f"(e.g. {lower} or {lower * 2})")
    seed = _check_count("the design seed", seed, 0)
    problem = {"num_vars": len(params), "names": [p.name for p in params], "bounds": [list(p.bounds) for p in params]}
    matrix = salib_sobol.sample(problem, n, calc_second_order=second_order, scramble=True, seed=seed)
    return _sampled("sobol", params, matrix, n=n, second_order=bool(second_order), seed=seed)


def morris(bounds: Mapping[str, tuple[float, float]], trajectories: int = 10, *, levels: int = 4,
           seed: int = 0) -> Design:
    """Morris elementary-effects design (SALib): ``trajectories * (D + 1)`` points."""
    from SALib.sample import morris as salib_morris

    params = _bounded(bounds)
    trajectories = _check_count("the number of Morris trajectories", trajectories, 2)
    levels = _check_count("the number of Morris levels", levels, 2)
    if levels % 2:
        raise UserError(f"the number of Morris levels must be even, got {levels}")
    seed = _check_count("the design seed", seed, 0)
    problem = {"num_vars": len(params), "names": [p.name for p in params], "bounds": [list(p.bounds) for p in params]}
    matrix = salib_morris.sample(problem, trajectories, num_levels=levels, seed=seed)
    return _sampled("morris", params, matrix, n=trajectories, levels=levels, seed=seed)


def points(rows: Sequence[Mapping[str, Any]]) -> Design:
    """An explicit list of design points (every row must set the same keys)."""
    rows = [dict(r) for r in rows]
    if not rows or not rows[0]:
        raise UserError("a design needs at least one point with at least one parameter")
    names = [_check_name(k) for k in rows[0]]
    for i, row in enumerate(rows):
        if sorted(row) != sorted(names):
            raise UserError(f"design point {i} sets {sorted(row)}, but point 0 sets {sorted(names)}; "
                            f"every point must set the same parameters")
    params = [Parameter(n, values=tuple(dict.fromkeys(_plain(r[n]) for r in rows))) for n in names]
    return Design("points", params, [{n: _plain(r[n]) for n in names} for r in rows])


# --------------------------------------------------------------------------------------------
# Tasks


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
    from simulation.study.runner import run

    start = time.perf_counter()
    result = run(task.scenario, seed=task.seed, overrides=task.overrides)
    dyads = result.dyads if task.per_dyad else None
    return TaskResult(task.key, summarise_run(result.dyads), dyads, time.perf_counter() - start,
                      socket.gethostname(), os.getpid())


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
# Executors


class SerialExecutor:
    """Runs each task in this process when it is submitted (``concurrent.futures`` interface)."""

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
            fut.set_exception(exc)
        return fut

    def map(self, fn: Callable, *iterables: Iterable) -> Iterator:
        return map(fn, *iterables)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def _worker_init(driver_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the driver only
    threading.Thread(target=_exit_with_driver, args=(driver_pid,), daemon=True, name="securebase-watchdog").start()


def _exit_with_driver(driver_pid: int, every: float = 1.0) -> None:
    """Pool workers block on their queue forever if the driver is killed (SIGKILL, OOM killer),
    and keep the forkserver and resource tracker alive with them: leave when the driver is gone."""
    while True:
        time.sleep(every)
        try:
            os.kill(driver_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # exists, owned by someone else: cannot be our driver, but be safe
            pass


PRIVATE_TMP_PREFIX = "securebase-"
_PRIVATE_TMP = re.compile(r"^securebase-(?P<pid>\d+)-\w+$")


def _claim_multiprocessing_tempdir() -> None:
    """Give multiprocessing a temporary folder named after this process.

    multiprocessing keeps its forkserver socket in a ``pymp-*`` folder that it removes at a normal
    exit; a driver killed with SIGKILL leaves it behind for ever. Ours is called
    ``securebase-<pid>-*``, removed at exit, and the next sweep removes those whose process is dead
    (never a live run's). Uses multiprocessing's per-process ``_config['tempdir']``, the place its
    ``util.get_temp_dir`` looks first.
    """
    import atexit
    import multiprocessing

    config = multiprocessing.process.current_process()._config
    if config.get("tempdir"):
        return
    base = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for item in base.iterdir():
            m = _PRIVATE_TMP.match(item.name)
            if m and not outputs.pid_alive(int(m["pid"])):
                shutil.rmtree(item, ignore_errors=True)
    folder = tempfile.mkdtemp(prefix=f"{PRIVATE_TMP_PREFIX}{os.getpid()}-", dir=base)
    config["tempdir"] = folder
    atexit.register(shutil.rmtree, folder, True)


def process_pool(workers: int | None = None):
    """A process pool; on POSIX its workers fork from a server that has imported the model
    (fast start, no fork of a threaded parent, workers die with the parent)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _claim_multiprocessing_tempdir()

    ctx = None
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["simulation.study.sweep", "simulation.study.runner"])
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count(), mp_context=ctx, initializer=_worker_init,
                               initargs=(os.getpid(),))


def _dask_module():
    try:
        import distributed
    except ImportError:
        raise UserError("Dask is not installed; install the optional extra: pip install 'securebase[dask]'") from None
    return distributed


@contextlib.contextmanager
def dask_client(address: str = "local", workers: int | None = None) -> Iterator[Any]:
    """A Dask ``distributed.Client``: a new LocalCluster (``"local"``) or a running scheduler."""
    distributed = _dask_module()
    import logging

    if address == "local":
        cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count(), threads_per_worker=1,
                                           processes=True, dashboard_address=None, silence_logs=logging.ERROR)
        client = distributed.Client(cluster)
    else:
        cluster = None
        try:
            client = distributed.Client(address, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserError(f"--dask {address}: cannot connect to a Dask scheduler ({exc})") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def describe_executor(executor: Any) -> dict[str, Any]:
    """What ran the tasks, for the manifest."""
    if isinstance(executor, SerialExecutor):
        return {"kind": "serial", "workers": 1}
    if type(executor).__name__ == "ProcessPoolExecutor":
        return {"kind": "process", "workers": getattr(executor, "_max_workers", None)}
    if type(executor).__module__.startswith("distributed"):
        nthreads = executor.nthreads()
        return {"kind": "dask", "scheduler": executor.scheduler_info().get("address"), "workers": len(nthreads),
                "threads": sum(nthreads.values())}
    return {"kind": f"{type(executor).__module__}.{type(executor).__qualname__}"}


def _capacity(executor: Any) -> int:
    """How many tasks to keep in flight: enough to keep every worker busy, few enough to stop fast."""
    desc = describe_executor(executor)
    if desc["kind"] == "serial":
        return 1
    return max(4, 2 * (desc.get("threads") or desc.get("workers") or os.cpu_count() or 1))


@contextlib.contextmanager
def open_executor(executor: Any = None, workers: int | None = None) -> Iterator[Any]:
    """``None``/"process" (all cores), "serial", "dask" (LocalCluster), a scheduler address
    (``tcp://host:8786``), or any object with ``submit`` -> futures (used as is, not closed)."""
    if workers is not None:
        _check_count("workers", workers)
    if executor is None or executor == "process":
        pool = process_pool(workers)
        try:
            yield pool
        except BaseException:
            for proc in list(getattr(pool, "_processes", {}).values()):  # stop running tasks now
                proc.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        else:
            pool.shutdown(wait=True)
    elif executor == "serial":
        yield SerialExecutor()
    elif isinstance(executor, str):
        with dask_client("local" if executor in ("dask", "local") else executor, workers) as client:
            yield client
    elif callable(getattr(executor, "submit", None)):
        yield executor
    else:
        raise UserError(f"executor {executor!r} is not allowed; give 'process', 'serial', 'dask', a Dask "
                        f"scheduler address or an object with submit()")


def _check_executor_spec(executor: Any) -> None:
    if isinstance(executor, str) and executor not in ("process", "serial"):
        if executor not in ("dask", "local") and "://" not in executor:
            raise UserError(f"executor {executor!r} is not allowed; give 'process', 'serial', 'dask' "
                            f"or a Dask scheduler address such as tcp://host:8786")
        _dask_module()


def _execute(executor: Any, tasks: Sequence[Task], on_result: Callable[[Task, TaskResult], None]) -> None:
    """Submit tasks (a bounded number in flight) and hand each result over as it completes."""
    done: queue.SimpleQueue = queue.SimpleQueue()
    todo = iter(tasks)
    in_flight: list[Future] = []

    def submit_next() -> bool:
        task = next(todo, None)
        if task is None:
            return False
        if type(executor).__module__.startswith("distributed"):  # do not let Dask hash the task to dedupe it
            fut = executor.submit(run_task, task, pure=False)
        else:
            fut = executor.submit(run_task, task)
        in_flight.append(fut)
        fut.add_done_callback(lambda f, t=task: done.put((t, f)))
        return True

    window = _capacity(executor)
    try:
        while len(in_flight) < window and submit_next():
            pass
        while in_flight:
            try:
                task, fut = done.get(timeout=0.5)
            except queue.Empty:
                continue
            in_flight.remove(fut)
            try:
                result = fut.result()
            except Exception as exc:
                raise RuntimeError(f"task {task.key} (design point {task.point}, replicate {task.replicate}, "
                                   f"overrides {task.overrides}) failed: {type(exc).__name__}: {exc}") from exc
            on_result(task, result)
            submit_next()
    finally:
        for fut in in_flight:
            fut.cancel()


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


def _progress(total: int, initial: int, enabled: bool | None, label: str):
    from tqdm.auto import tqdm

    enabled = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(total=total, initial=initial, unit="task", desc=label, disable=not enabled, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.05)


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


# --------------------------------------------------------------------------------------------
# Command-line helpers shared by experiments/*.py


def add_executor_arguments(parser: Any) -> None:
    group = parser.add_argument_group("execution")
    how = group.add_mutually_exclusive_group()
    how.add_argument("--serial", action="store_true", help="run the tasks one by one in this process")
    how.add_argument("--dask", metavar="ADDRESS",
                     help="run on Dask: 'local' starts a LocalCluster, tcp://host:8786 connects to a scheduler")
    group.add_argument("--workers", type=whole_number, default=None, metavar="N",
                       help="processes of the local pool or of --dask local (default: all cores)")
    group.add_argument("--no-progress", action="store_true", help="no progress bar")


def executor_from_args(args: Any) -> str:
    if args.serial:
        return "serial"
    if args.dask:
        return "dask" if args.dask == "local" else args.dask
    return "process"


def clean_parts(out: str | os.PathLike) -> None:
    """Remove the per-task parts of a finished sweep (the final table is kept)."""
    shutil.rmtree(Path(out) / "parts", ignore_errors=True)

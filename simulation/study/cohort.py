"""Whole birth cohorts: millions of dyads in blocks, on a local pool or a Dask cluster (issue 19).

Public-health questions are about populations (a year of births is hundreds of thousands to
millions of families), and one process cannot hold them: a run of N dyads keeps every dyad in
memory. A cohort run cuts the population into blocks of ``block_dyads`` dyads and runs each as its
own model (:class:`~simulation.model.engine.AttachmentModel` with ``first_dyad``):

* **Same numbers, any split.** Block ``k`` holds dyads ``k * block_dyads ...`` with exactly the random
  numbers a single run over everyone gives them (``streams.BlockSeed``), so a cohort's per-dyad rows
  are those of one big run, whatever the block size or the number of workers, and a cohort of N
  dyads is the first N dyads of any larger one.
* **Bounded memory.** A worker holds one block at a time; the driver keeps running aggregates
  (:class:`~simulation.study.aggregates.Aggregates`: counts of A/B/C/D and the moments of each
  measure, overall and by subgroup) and the weighted sums of the daily means, never the per-dyad
  table. Peak memory is about workers x one block, whatever N.
* **Exact summary.** ``CohortResult.summary()`` is ``analysis.summarise`` of the full per-dyad table
  to floating-point rounding (the aggregates are merged in block order, so the figures do not depend
  on which worker finished first); ``subgroups(column)`` gives the same table for each value of a
  ``by`` column.
* **Resume.** With ``out``, each finished block is written at once (its per-dyad rows, if asked
  for, to ``dyads/block-<k>.parquet``, then its aggregates to ``blocks/<k>-<key>.json``, atomically: the
  JSON marks the block done). A rerun of the same cohort into the same folder skips the finished
  blocks. A block's key hashes what determines its numbers (the validated scenario, root seed,
  first dyad, size, ``by``); the folder's manifest keeps the key of the whole cohort and of the code
  (git commit), and a folder holding another cohort, or blocks of other code, is never added to: it
  is refused, or replaced as a whole (``overwrite``, or the same command line).
* **Executors.** As sweeps (``simulation.study.sweep``): "process" (a local pool, the default),
  "serial", "dask" (a LocalCluster), a Dask scheduler address (``tcp://host:8786``) or a
  ``distributed.Client``. The driver alone writes files (a remote worker may not see its disk).

Example::

    from simulation.study import cohort
    est = cohort.estimate("first_1001_days", n_dyads=1_000_000, workers=2)
    print(est)                                    # time and memory before anything runs
    res = cohort.run_cohort("first_1001_days", n_dyads=1_000_000, seed=1, out="results/cohort")
    res.summary()                                 # A/B/C/D with Wilson CIs, means with CIs
    res.subgroups("risk_count")
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import resource
import socket
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from simulation.errors import UserError, shown
from simulation.model import memory, streams
from simulation.model.calendar import month_day
from simulation.report import outputs
from simulation.scenario import Scenario, load_scenario
from simulation.study.aggregates import Aggregates
from simulation.study.runner import collect_models
from simulation.study.sweep.designs import _check_count
from simulation.study.sweep.executors import _check_executor_spec, _execute, describe_executor, open_executor
from simulation.study.sweep.run import _atomic_write, _progress

BLOCK_DYADS = 25_000
"""Dyads per block by default (numerical): a block's model peaks at about 0.45 GB (``memory``), so two
workers and the driver stay well under 4 GB, and its setup (agents, network) is under 1% of its
run at 12 months or more. Results do not depend on it."""
MAX_COHORT_DYADS = 100_000_000
"""Most dyads in one cohort (about 25 years of births in the EU)."""
DEFAULT_BY = ("risk_count", "depressed", "support_size")
"""Subgroups summarised by default (plus ``caregivers`` in two-caregiver households)."""
US_PER_DYAD_DAY = 1.6
"""Engine cost used by :func:`estimate` before a run, microseconds per dyad-day on one core, rounded up
from what ``benchmarks/bench_cohort.py`` measured on the project's 2-core x86_64 machines on 2026-12-04,
after issue 19's compiled loops: community at 100,000 dyads, 12 months, 1.17-1.52; first_1001_days on
the local pool, 1.27-1.30 (2.3-2.6 before issue 19). The progress bar's ETA then uses the real rate."""
HOUSEHOLD_COST = 1.45
"""Cost of a dyad-day with two caregivers relative to one: 1.33 and 1.42 measured (issue 18,
``benchmarks/bench_engine.py --parts households``, benchmarks/README.md), rounded up."""
KEY_VERSION = 1
"""Bump when what a finished block stores changes meaning: older blocks are then recomputed."""
MAX_BLOCKS = 100_000
"""Most blocks in one cohort: each is a task and a file (numerical: planning stays under a second)."""
PILOT_DYADS = 20
"""Dyads of the check run made before a cohort starts (the whole calendar: every measure's columns)."""


# ------------------------------------------------------------------------------------ a block
@dataclass(frozen=True)
class Block:
    """One block of a cohort: what a worker needs (picklable), and its key."""

    index: int
    first: int
    n: int
    scenario: dict
    seed: Any
    by: tuple[str, ...]
    per_dyad: bool
    key: str
    normal_states: tuple = ()
    """The bit generator's state at the block's first row of each normal stream (the driver's
    ``streams.normal_states``): the block need not draw and drop the normals of the dyads before it."""


@dataclass
class BlockResult:
    """A finished block: its aggregates (a dict), the sums of its daily means, optionally its rows."""

    index: int
    key: str
    n: int
    aggregates: dict
    daily: dict[str, list]
    dyads: pd.DataFrame | None
    seconds: float
    peak_rss_bytes: int
    host: str
    pid: int


def _peak_rss_bytes() -> int:
    """This process's peak resident memory so far (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


DAILY_KEYS = ("day", "age_months")
"""Columns of the daily table that are the day itself, not a mean over dyads."""


def run_block(block: Block) -> BlockResult:
    """Run one block (pure: no files, no shared state, so it runs anywhere with the same result)."""
    from simulation.model.engine import AttachmentModel
    from simulation.report import records

    start = time.perf_counter()
    with streams.known_states(list(block.normal_states)):
        model = AttachmentModel(block.scenario, seed=block.seed, first_dyad=block.first)
    model.run()
    table = records.dyad_table(model)
    daily = records.daily_table(model)
    del model
    collect_models(block.n)
    agg = Aggregates(ages=None, by=block.by).add(table)
    sums = {c: (daily[c].to_numpy(float) if c in DAILY_KEYS else daily[c].to_numpy(float) * block.n).tolist()
            for c in daily.columns if c != "scenario"}
    return BlockResult(block.index, block.key, block.n, agg.to_dict(), sums, table if block.per_dyad else None,
                       time.perf_counter() - start, _peak_rss_bytes(), socket.gethostname(), os.getpid())


# ------------------------------------------------------------------------------------ planning
def _hash(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _seed_text(seed: Any) -> Any:
    return seed.entropy if isinstance(seed, np.random.SeedSequence) else seed


@dataclass
class CohortPlan:
    """A validated cohort: the scenario (``n_dyads`` = one block's), its blocks, the subgroups."""

    scenario: Scenario
    n_dyads: int
    block_dyads: int
    seed: Any
    by: tuple[str, ...]
    per_dyad: bool
    blocks: list[Block]

    @property
    def days(self) -> int:
        """Days simulated per dyad (before birth included)."""
        sim = self.scenario.simulation
        return sim.prenatal_days + month_day(sim.months)


def plan(scenario: Any = "community", *, n_dyads: int, seed: streams.SeedLike = streams.DEFAULT_SEED,
         block_dyads: int = BLOCK_DYADS, overrides: dict[str, Any] | None = None, months: int | None = None,
         by: Sequence[str] | None = None, per_dyad: bool = False) -> CohortPlan:
    """Validate a cohort and cut it into blocks; one UserError before anything runs."""
    n_dyads = _check_count("n_dyads", n_dyads)
    if n_dyads > MAX_COHORT_DYADS:
        raise UserError(f"n_dyads = {n_dyads:,} is not allowed: a cohort has 1 to {MAX_COHORT_DYADS:,} dyads")
    block_dyads = _check_count("block_dyads", block_dyads)
    if block_dyads > 1_000_000:
        raise UserError(f"block_dyads = {block_dyads:,} is not allowed: give 1 to 1,000,000 (default {BLOCK_DYADS:,})")
    streams.root_sequence(seed)
    if isinstance(seed, streams.BlockSeed):
        raise UserError("seed: give the root seed (a whole number), not a block's")
    fixed = dict(overrides or {})
    if "simulation.n_dyads" in fixed:
        raise UserError("simulation.n_dyads is set by the cohort's n_dyads and block_dyads; do not override it")
    if months is not None:
        fixed["simulation.months"] = months
    size = min(block_dyads, n_dyads)
    sc = load_scenario(scenario, {**fixed, "simulation.n_dyads": size})
    listed = [iv.name or iv.kind for iv in sc.interventions if iv.dyads]
    if listed and n_dyads > size:
        raise UserError(f"intervention {shown(listed[0])} lists dyads by number (interventions.dyads), which a "
                        f"cohort in blocks cannot follow; offer it by target (all, high_risk, prior_depression, "
                        f"screen_positive)")
    if by is None:
        by = list(DEFAULT_BY) + (["caregivers"] if sc.household.two_caregivers > 0 else [])
    by = tuple(dict.fromkeys(str(b) for b in ([by] if isinstance(by, str) else by)))
    if math.ceil(n_dyads / size) > MAX_BLOCKS:
        raise UserError(f"block_dyads = {block_dyads:,} cuts {n_dyads:,} dyads into "
                        f"{math.ceil(n_dyads / size):,} blocks, more than {MAX_BLOCKS:,}: use larger blocks (default {BLOCK_DYADS:,})")
    # one scenario dict (and hash of its content) for the full blocks and one for a shorter last block
    data: dict[int, dict] = {}
    content: dict[int, str] = {}
    for n in {size, n_dyads - size * (math.ceil(n_dyads / size) - 1)}:
        data[n] = sc.model_dump(mode="json")
        data[n]["simulation"]["n_dyads"] = n
        numbers = sc.model_dump(mode="json", exclude={"title", "description", "teaching_notes", "app_notes"})
        numbers["simulation"]["n_dyads"] = n
        content[n] = _hash(numbers)
    blocks = []
    for index, first in enumerate(range(0, n_dyads, size)):
        n = min(size, n_dyads - first)
        key = _hash({"scenario": content[n], "seed": _seed_text(seed), "first": first, "by": by, "per_dyad": per_dyad,
                     "key_version": KEY_VERSION})
        blocks.append(Block(index, first, n, data[n], seed, by, per_dyad, key))
    return CohortPlan(sc, n_dyads, size, seed, by, per_dyad, blocks)


def _pilot(the_plan: CohortPlan) -> list[tuple]:
    """Run the first PILOT_DYADS dyads over the whole calendar: every ``by`` column must be in the
    table. Returns the model's normal streams (``streams.recording_normals``)."""
    from simulation.model.engine import AttachmentModel
    from simulation.report import records

    small = the_plan.blocks[0].scenario | {"simulation": {**the_plan.blocks[0].scenario["simulation"],
                                                          "n_dyads": min(PILOT_DYADS, the_plan.n_dyads)}}
    with streams.recording_normals() as used:
        table = records.dyad_table(AttachmentModel(small, seed=the_plan.seed).run())
    for col in the_plan.by:
        if col in table and pd.api.types.is_float_dtype(table[col]):
            raise UserError(f"by = {shown(col)} is a continuous column (one subgroup per distinct value): bin it "
                            f"first, e.g. from the per-dyad rows (per_dyad=True) with Aggregates; by takes counts, "
                            f"flags, classes and types such as risk_count, depressed, support_size, caregivers")
        if col not in table:
            allowed = [c for c in table.columns if table[c].dtype != float and c not in ("scenario", "dyad", "seed")]
            raise UserError(f"by = {shown(col)} is not a per-dyad column; allowed: any column of dyads.csv, e.g. "
                            f"{', '.join(allowed[:12])}")
    return used


# ------------------------------------------------------------------------------------ estimate
@dataclass
class Estimate:
    """Time and memory of a cohort, before it runs."""

    n_dyads: int
    days: int
    workers: int
    blocks: int
    block_dyads: int
    seconds: float
    block_peak_bytes: float
    total_peak_bytes: float

    def __str__(self) -> str:
        hours = self.seconds / 3600
        when = (f"{hours:.1f} h" if hours >= 1 else f"{self.seconds / 60:.0f} min" if self.seconds >= 60
                else f"{self.seconds:.0f} s")
        return (f"{self.n_dyads:,} dyads x {self.days:,} days in {self.blocks:,} block(s) of {self.block_dyads:,} on "
                f"{self.workers} worker(s): about {when} (at {US_PER_DYAD_DAY} us per dyad-day a core), peak "
                f"memory about {self.block_peak_bytes / 1e9:.1f} GB a worker, {self.total_peak_bytes / 1e9:.1f} GB "
                f"in all")


def estimate(scenario: Any = "community", *, n_dyads: int, workers: int | None = None,
             block_dyads: int = BLOCK_DYADS, overrides: dict[str, Any] | None = None,
             months: int | None = None) -> Estimate:
    """How long a cohort will take and how much memory it will use (from measured constants)."""
    the_plan = plan(scenario, n_dyads=n_dyads, block_dyads=block_dyads, overrides=overrides, months=months, by=())
    workers = workers or os.cpu_count() or 1
    return _estimate(the_plan, workers)


def _estimate(the_plan: CohortPlan, workers: int) -> Estimate:
    sim = the_plan.scenario.simulation
    households = the_plan.scenario.household.two_caregivers > 0
    busy = min(workers, len(the_plan.blocks))
    rounds = math.ceil(len(the_plan.blocks) / busy)  # blocks run in rounds of `busy` at a time
    cost = US_PER_DYAD_DAY * (HOUSEHOLD_COST if households else 1.0)
    seconds = rounds * the_plan.block_dyads * the_plan.days * cost * 1e-6
    block = memory.estimate_peak_bytes(the_plan.block_dyads, sim.episode_slots, households)
    driver = memory.estimate_peak_bytes(0)
    if the_plan.per_dyad:  # the driver writes one block's table at a time
        driver += memory.BYTES_PER_DYAD * the_plan.block_dyads
    return Estimate(the_plan.n_dyads, the_plan.days, workers, len(the_plan.blocks), the_plan.block_dyads, seconds,
                    block, busy * block + driver)


# ------------------------------------------------------------------------------------ results
@dataclass
class CohortResult:
    """A finished cohort: running aggregates (no per-dyad table in memory) and the daily means."""

    aggregates: Aggregates
    daily: pd.DataFrame
    plan: CohortPlan
    out: Path | None
    computed: int
    reused: int
    elapsed: float
    executor: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)
    block_seconds: list[float] = field(default_factory=list)
    peak_rss_bytes: int = 0
    """The largest peak resident memory reported by a worker process (the driver's is not included)."""

    @property
    def n(self) -> int:
        return self.aggregates.n

    def summary(self) -> pd.DataFrame:
        """``analysis.summarise`` of the cohort's per-dyad table, computed from the aggregates."""
        return self.aggregates.summary()

    def subgroups(self, column: str) -> pd.DataFrame:
        """The summary for each value of a ``by`` column (``value`` column first)."""
        return self.aggregates.subgroups(column)

    def dyads(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The per-dyad table read back from ``out/dyads`` (only for ``per_dyad=True`` runs with ``out``;
        a whole cohort's may not fit in memory: pick ``columns``)."""
        if self.out is None or not self.plan.per_dyad:
            raise UserError("this cohort kept no per-dyad rows: run it with per_dyad=True and out=FOLDER")
        import pyarrow.dataset as ds

        return ds.dataset(self.out / "dyads", format="parquet").to_table(columns=columns).to_pandas()


def subgroups_table(result: CohortResult) -> pd.DataFrame:
    """Every ``by`` column's subgroups in one table: ``by`` (the column), ``value``, then the summary."""
    frames = []
    for col in result.plan.by:
        part = result.subgroups(col)
        if len(part):
            part = part.rename(columns={col: "value"})
            part.insert(0, "by", col)
            frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["by", "value"])


def _part_name(block: Block) -> str:
    return f"{block.index:06d}-{block.key}.json"


def _dyads_name(block: Block) -> str:
    return f"block-{block.index:06d}.parquet"


def _save(root: Path, block: Block, result: BlockResult) -> None:
    if result.dyads is not None:  # the rows first: the JSON marks the block done
        _atomic_write(lambda p: result.dyads.to_parquet(p, index=False, engine="pyarrow"),
                      root / "dyads" / _dyads_name(block))
    data = {"index": result.index, "key": result.key, "n": result.n, "aggregates": result.aggregates,
            "daily": result.daily, "seconds": round(result.seconds, 3), "peak_rss_bytes": result.peak_rss_bytes,
            "host": result.host, "pid": result.pid}
    _atomic_write(lambda p: p.write_text(json.dumps(data), encoding="utf-8"), root / "blocks" / _part_name(block))


def _load(root: Path, block: Block) -> dict | None:
    path = root / "blocks" / _part_name(block)
    if not path.is_file() or (block.per_dyad and not (root / "dyads" / _dyads_name(block)).is_file()):
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # torn by a crash of the file system: recompute
        return None


def _daily_frame(total: dict[str, np.ndarray] | None, n: int, name: str) -> pd.DataFrame:
    """The daily table (``records.daily_table``) of the whole cohort: each day's means over all dyads."""
    if total is None:
        return pd.DataFrame()
    return pd.DataFrame({"scenario": name, **{c: (v if c in DAILY_KEYS else v / n) for c, v in total.items()}})


def plan_key(the_plan: CohortPlan) -> str:
    """What a result folder's blocks belong to: the same key, the same cohort (resume)."""
    return _hash({"blocks": [b.key for b in the_plan.blocks], "key_version": KEY_VERSION})


def code_version() -> str:
    """The code that computes the blocks: its git commit, or the installed package's version."""
    import importlib.metadata

    commit = outputs.git_commit()
    if commit:
        return commit
    try:
        return f"securebase {importlib.metadata.version('securebase')}"
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _prepare_out(out: Path, the_plan: CohortPlan, command_key, overwrite: bool) -> Path:
    """``out`` may receive this cohort: new or empty, or the same cohort's by the same code (resume).

    Nothing is ever added to a folder that holds something else: another command's results or another
    cohort are refused, or removed first with ``overwrite`` (or when the same command line wrote them,
    as every run_sim.py command replaces its own results); blocks of this cohort computed by other code
    (another git commit) are refused, even for the same command, unless ``overwrite``: a run of days
    on a cluster is not thrown away because a commit changed the docs, nor resumed with other rules.
    """
    out = outputs.check_output_dir(out, command=command_key, overwrite=overwrite)
    old = outputs.read_manifest(out) if out.is_dir() else None
    if old is None:
        return out
    same_cohort = old.get("kind") == "cohort" and old.get("plan_key") == plan_key(the_plan)
    if same_cohort and old.get("code") == code_version():
        return out
    if same_cohort and not overwrite:
        raise UserError(f"--out '{out}' holds blocks of this cohort computed by other code ({old.get('code')}; now "
                        f"{code_version()}): run that code to resume them, or add --overwrite to compute them all "
                        f"again")
    same_command = command_key is not None and old.get("command_key") == list(command_key)
    if not (same_cohort or overwrite or same_command):
        what = "another cohort" if old.get("kind") == "cohort" else "the results of another command"
        raise UserError(f"--out '{out}' holds {what}; choose another folder, or add --overwrite to replace it")
    import shutil

    shutil.rmtree(out)
    return out


def run_cohort(scenario: Any = "community", *, n_dyads: int, seed: streams.SeedLike = streams.DEFAULT_SEED,
               block_dyads: int = BLOCK_DYADS, overrides: dict[str, Any] | None = None, months: int | None = None,
               by: Sequence[str] | None = None, per_dyad: bool = False, out: str | os.PathLike | None = None,
               executor: Any = None, workers: int | None = None, progress: bool | None = None,
               command_key: Sequence[str] | None = None, overwrite: bool = False,
               on_estimate=None) -> CohortResult:
    """Run a cohort of ``n_dyads`` dyads in blocks and return its aggregates (see the module).

    ``executor``: None/"process" (local pool, ``workers`` default all cores), "serial", "dask"
    (a LocalCluster of ``workers``), a Dask scheduler address, or an object with ``submit``.
    ``out``: a folder for the blocks (resume), the per-dyad rows (``per_dyad``: a Parquet dataset,
    ``out/dyads``) and, at the end, ``summary.csv``, ``subgroups.csv``, ``daily.csv`` and
    ``manifest.json``. ``on_estimate``: called with the :class:`Estimate` before anything runs.
    """
    the_plan = plan(scenario, n_dyads=n_dyads, seed=seed, block_dyads=block_dyads, overrides=overrides,
                    months=months, by=by, per_dyad=per_dyad)
    _check_executor_spec(executor)
    if workers is not None:
        _check_count("workers", workers)
    normal_streams = _pilot(the_plan)
    out_path = None if out is None else _prepare_out(Path(out), the_plan, command_key, overwrite)
    with contextlib.ExitStack() as stack:
        import tempfile

        root = out_path if out_path is not None else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        return _run(the_plan, root, out_path, executor, workers, progress, command_key, on_estimate, normal_streams)


def _check_memory(the_plan: CohortPlan, executor: Any, workers: int | None) -> None:
    """On this machine (serial, the local pool, a Dask LocalCluster), refuse a cohort whose workers'
    blocks would not fit in the memory left (``memory.available_bytes``), before anything runs."""
    if executor is not None and not (isinstance(executor, str) and executor in ("process", "serial", "dask", "local")):
        return  # a scheduler elsewhere: its workers' memory is theirs
    busy = 1 if executor == "serial" else (workers or os.cpu_count() or 1)
    est = _estimate(the_plan, busy)
    free = memory.available_bytes()
    if free is not None and est.total_peak_bytes > free:
        raise UserError(f"block_dyads = {the_plan.block_dyads:,} on {min(busy, len(the_plan.blocks))} worker(s) needs "
                        f"about {est.total_peak_bytes / 1e9:.1f} GB of memory, but {free / 1e9:.1f} GB is available "
                        f"here; use smaller blocks (--block-dyads) or fewer workers (--workers)")


def _run(the_plan: CohortPlan, root: Path, out: Path | None, executor: Any, workers: int | None,
         progress: bool | None, command_key, on_estimate, normal_streams: list[tuple] = ()) -> CohortResult:
    done = {b.index for b in the_plan.blocks if _load(root, b) is not None}
    todo = [b for b in the_plan.blocks if b.index not in done]
    if todo and normal_streams:  # each normal stream drawn once here, not once a block
        states = streams.normal_states(list(normal_streams), [b.first for b in todo])
        todo = [replace(b, normal_states=tuple(states[b.first])) for b in todo]
    if todo:
        _check_memory(the_plan, executor, workers)
    fields = {"status": "running", "kind": "cohort", "scenario": the_plan.scenario.model_dump(mode="json"),
              "n_dyads": the_plan.n_dyads, "block_dyads": the_plan.block_dyads, "blocks": len(the_plan.blocks),
              "seed": _seed_text(the_plan.seed), "by": list(the_plan.by), "per_dyad": the_plan.per_dyad,
              "key_version": KEY_VERSION, "plan_key": plan_key(the_plan), "code": code_version()}
    start = time.perf_counter()
    with open_executor(executor if todo else "serial", workers) as ex:
        for sub in ("blocks", "dyads") if the_plan.per_dyad else ("blocks",):  # nothing is written before here
            (root / sub).mkdir(parents=True, exist_ok=True)
            for stale in (root / sub).glob(".*.tmp-*"):  # left by a killed run
                stale.unlink(missing_ok=True)
        desc = describe_executor(ex) if todo else {"kind": "none", "note": "all blocks were already done"}
        fields["executor"] = desc
        if on_estimate is not None:
            on_estimate(_estimate(the_plan, int(desc.get("threads") or desc.get("workers") or 1)), len(done))
        if out is not None:
            _atomic_write(lambda p: outputs.write_json(p, outputs.manifest(command_key=command_key, **fields)),
                          out / "manifest.json")
        finished = sum(b.n for b in the_plan.blocks if b.index in done)
        with _progress(the_plan.n_dyads, finished, progress, the_plan.scenario.name, unit="dyad", unit_scale=True,
                       smoothing=0.1) as bar:
            def on_result(block: Block, result: BlockResult) -> None:
                _save(root, block, result)
                bar.update(block.n)

            try:
                _execute(ex, todo, on_result, fn=run_block,
                         describe=lambda b: f"block {b.index} (dyads {b.first:,} to {b.first + b.n - 1:,})")
            except BaseException:
                if out is not None:
                    left = sum(1 for b in the_plan.blocks if _load(root, b) is None)
                    fields.update(status="interrupted", blocks_left=left, note="rerun the same command to resume")
                    _atomic_write(lambda p: outputs.write_json(p, outputs.manifest(command_key=command_key, **fields)),
                                  out / "manifest.json")
                raise
    elapsed = time.perf_counter() - start
    # put the blocks together in block order (the figures do not depend on who finished first)
    total = Aggregates(ages=the_plan.scenario.simulation.assessment_ages, by=the_plan.by)
    daily: dict[str, np.ndarray] | None = None
    seconds, peak = [], 0
    for block in the_plan.blocks:
        part = _load(root, block)
        total = total.merge(Aggregates.from_dict(part["aggregates"]))
        sums = {c: np.asarray(v, dtype=float) for c, v in part["daily"].items()}
        daily = sums if daily is None else {c: (v if c in DAILY_KEYS else v + sums[c]) for c, v in daily.items()}
        seconds.append(float(part["seconds"]))
        peak = max(peak, int(part.get("peak_rss_bytes", 0)))
    daily_df = _daily_frame(daily, the_plan.n_dyads, the_plan.scenario.name)
    fields.update(status="complete", computed=len(todo), reused=len(done), elapsed_seconds=round(elapsed, 2),
                  block_seconds_total=round(sum(seconds), 2), worker_peak_rss_bytes=peak)
    manifest = outputs.manifest(command_key=command_key, **fields)
    result = CohortResult(total, daily_df, the_plan, out, len(todo), len(done), elapsed, fields["executor"], manifest,
                          seconds, peak)
    if out is not None:
        with outputs.staged_output(out, command=command_key, overwrite=True, replace=False) as scratch:
            result.summary().to_csv(scratch / "summary.csv", index=False)
            subgroups_table(result).to_csv(scratch / "subgroups.csv", index=False)
            daily_df.to_csv(scratch / "daily.csv", index=False)
            (scratch / "aggregates.json").write_text(total.to_json(), encoding="utf-8")
            outputs.write_json(scratch / "manifest.json", manifest)
    return result

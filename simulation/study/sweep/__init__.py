"""Parameter sweeps: designs, pure tasks, executors and resumable output.

A sweep is a base scenario (plus fixed overrides), a *design* (a list of points, each a dict of
dotted scenario keys -> values), a number of replicates and a root seed. One module per job:

* :mod:`~simulation.study.sweep.designs`: the designs (grid, Latin hypercube, Sobol', Morris, an
  explicit list of points) and the checks of their parameters.
* :mod:`~simulation.study.sweep.tasks`: one task (scenario, overrides, seed) in, one tidy record
  out, and the outcomes a task reports.
* :mod:`~simulation.study.sweep.executors`: what runs the tasks (this process, a local process
  pool with its private temporary folder, Dask) and the command-line options that choose it.
* :mod:`~simulation.study.sweep.run`: the plan (validation, seeds, task keys), running and
  resuming a sweep, the parts, the final table and the manifest.

This file is the front door: ``from simulation.study import sweep`` then ``sweep.grid(...)``,
``sweep.plan(...)``, ``sweep.run_sweep(...)`` and the other public names below. Private helpers
live in (and are imported, or monkeypatched, from) their own module.

Example::

    from simulation.study import sweep
    design = sweep.grid({"caregiver.repair": [0.3, 0.6, 0.9], "caregiver.accuracy": [0.5, 0.8]})
    result = sweep.run_sweep("good_enough", design, replicates=5, seed=1, n_dyads=500, out="results/repair")
    result.table.groupby("caregiver.repair")["share_B"].mean()
"""

from simulation.study.sweep.designs import Design, Parameter, grid, latin_hypercube, morris, points, sobol
from simulation.study.sweep.executors import (PRIVATE_TMP_PREFIX, SerialExecutor, add_executor_arguments,
                                              dask_client, describe_executor, executor_from_args, open_executor,
                                              process_pool)
from simulation.study.sweep.run import (EXTRA_PACKAGES, KEY_VERSION, MAX_TASKS, TEXT_FIELDS, Plan, SweepResult,
                                        clean_parts, plan, run_sweep, versions)
from simulation.study.sweep.tasks import (CLASSES, MEAN_OUTCOMES, OUTCOME_ALIASES, SHARE_OUTCOMES, Task, TaskResult,
                                          check_outcomes, outcome_columns, outcome_names, resolve_outcome, run_task,
                                          summarise_run)

__all__ = [
    # designs
    "Design", "Parameter", "grid", "latin_hypercube", "sobol", "morris", "points",
    # tasks and outcomes
    "Task", "TaskResult", "run_task", "summarise_run", "outcome_names", "outcome_columns", "check_outcomes",
    "resolve_outcome", "CLASSES", "MEAN_OUTCOMES", "SHARE_OUTCOMES", "OUTCOME_ALIASES",
    # executors
    "SerialExecutor", "process_pool", "dask_client", "describe_executor", "open_executor",
    "add_executor_arguments", "executor_from_args", "PRIVATE_TMP_PREFIX",
    # plan, run, resume, manifest
    "Plan", "plan", "SweepResult", "run_sweep", "versions", "clean_parts", "MAX_TASKS", "KEY_VERSION",
    "TEXT_FIELDS", "EXTRA_PACKAGES",
]

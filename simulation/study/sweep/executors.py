"""Sweep executors: what runs the tasks, with a ``concurrent.futures``-style ``submit``.

This process (:class:`SerialExecutor`), a local process pool (:func:`process_pool`: a forkserver
that has imported the model, workers that ignore Ctrl-C and leave when the driver dies, and a
private temporary folder for multiprocessing that the next sweep removes if the driver was
killed), a Dask cluster (:func:`dask_client`), or any object with ``submit``. :func:`_execute`
keeps a bounded number of tasks in flight and hands each result back to the driver as it
completes; the driver alone writes files (a remote Dask worker may not see our disk).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from simulation.errors import UserError, whole_number
from simulation.report import outputs
from simulation.study.sweep.designs import _check_count
from simulation.study.sweep.tasks import Task, TaskResult, run_task


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
        ctx.set_forkserver_preload(["simulation.study.sweep", "simulation.study.runner", "simulation.study.cohort"])
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count(), mp_context=ctx, initializer=_worker_init,
                               initargs=(os.getpid(),))


MALLOC_TRIM_KEY = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
"""Dask's nannies start each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (to give memory back to the
system sooner). Setting it turns off glibc's adaptive thresholds, so every large numpy temporary of
the engine is mapped and zeroed afresh: a cohort block ran 2.6x slower on a Dask worker than in a
process of the local pool (13.9 s against 5.3 s for 20,000 dyads x 3 months, measured 2026-12-04).
Our LocalClusters unset it (None unsets it: ``distributed.nanny._get_env_variables``); for a cluster
started elsewhere docs/cohorts.md says how."""


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
        import dask

        with dask.config.set({MALLOC_TRIM_KEY: None}):  # see MALLOC_TRIM_KEY
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


_LOOK_AGAIN_S = 5.0
"""How often (seconds) the number of a Dask cluster's workers is looked at again while tasks run."""


def _describe_task(task: Task) -> str:
    return f"task {task.key} (design point {task.point}, replicate {task.replicate}, overrides {task.overrides})"


def _execute(executor: Any, tasks: Sequence[Any], on_result: Callable[[Any, Any], None], *,
             fn: Callable[[Any], Any] = run_task, describe: Callable[[Any], str] = _describe_task) -> None:
    """Submit ``fn(task)`` for each task (a bounded number in flight) and hand each result over as it
    completes (sweep tasks by default; a cohort's blocks use the same loop)."""
    done: queue.SimpleQueue = queue.SimpleQueue()
    todo = iter(tasks)
    in_flight: list[Future] = []

    def submit_next() -> bool:
        task = next(todo, None)
        if task is None:
            return False
        if type(executor).__module__.startswith("distributed"):  # do not let Dask hash the task to dedupe it
            fut = executor.submit(fn, task, pure=False)
        else:
            fut = executor.submit(fn, task)
        in_flight.append(fut)
        fut.add_done_callback(lambda f, t=task: done.put((t, f)))
        return True

    # a Dask cluster may grow while it runs (SLURM jobs that start late, adapt()): look again now and then
    growing = type(executor).__module__.startswith("distributed")
    window, looked = _capacity(executor), time.monotonic()
    try:
        while len(in_flight) < window and submit_next():
            pass
        while in_flight:
            if growing and time.monotonic() - looked > _LOOK_AGAIN_S:
                window, looked = _capacity(executor), time.monotonic()
                while len(in_flight) < window and submit_next():
                    pass
            try:
                task, fut = done.get(timeout=0.5)
            except queue.Empty:
                continue
            in_flight.remove(fut)
            try:
                result = fut.result()
            except Exception as exc:
                raise RuntimeError(f"{describe(task)} failed: {type(exc).__name__}: {exc}") from exc
            on_result(task, result)
            while len(in_flight) < window and submit_next():
                pass
    finally:
        for fut in in_flight:
            fut.cancel()


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

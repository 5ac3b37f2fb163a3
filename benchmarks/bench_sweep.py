#!/usr/bin/env python3
"""Benchmark: the same sweep of 200 tasks run serially and on the local process pool.

Each task is one full run (default 100 dyads x 12 months, about 0.4 s), big enough
that process start-up and result transfer do not dominate. Prints tasks/s and the speed-up,
checks that both tables are identical, and writes bench_sweep.json and bench_sweep.png to
--out. Other programs using the CPU during the benchmark lower the speed-up: the load average
is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

from simulation.errors import EXIT_USAGE, UserError
from simulation.report import outputs
from simulation.study import sweep


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=200, help="number of tasks (default 200)")
    p.add_argument("--dyads", type=int, default=100, help="dyads per task (default 100)")
    p.add_argument("--months", type=int, default=12, help="months per task (default 12)")
    p.add_argument("--workers", type=int, default=None, help="pool size (default: all cores)")
    p.add_argument("--out", type=Path, default=Path("results/bench_sweep"), help="output folder")
    return p


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) CPU ticks of the whole machine (Linux), to see who else used the CPU."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def timed(label: str, design: sweep.Design, replicates: int, args: argparse.Namespace, executor: str) -> dict:
    ticks = cpu_ticks()
    start = time.perf_counter()
    result = sweep.run_sweep("good_enough", design, replicates=replicates, seed=1, n_dyads=args.dyads,
                             months=args.months, executor=executor, workers=args.workers, progress=False)
    seconds = time.perf_counter() - start
    after = cpu_ticks()
    busy = (after[0] - ticks[0]) / max(1, after[1] - ticks[1]) * os.cpu_count() if ticks and after else float("nan")
    n = len(result.plan.tasks)
    print(f"{label:<22}{n} tasks in {seconds:6.1f} s = {n / seconds:5.2f} tasks/s "
          f"(cores busy, all processes: {busy:.2f})", flush=True)
    return {"label": label, "executor": result.executor, "tasks": n, "seconds": seconds,
            "tasks_per_s": n / seconds, "cores_busy": busy, "table": result.table}


def main() -> int:
    args = build_parser().parse_args()
    replicates = 4
    points = max(1, args.tasks // replicates)
    design = sweep.grid({"caregiver.repair": [round(0.2 + 0.7 * i / max(1, points - 1), 6) for i in range(points)]})
    load_before = os.getloadavg()
    print(f"{points * replicates} tasks of {args.dyads} dyads x {args.months} months on {os.cpu_count()} cores "
          f"(load average before: {load_before[0]:.2f})", flush=True)
    serial = timed("serial", design, replicates, args, "serial")
    pool = timed("local process pool", design, replicates, args, "process")
    pd.testing.assert_frame_equal(serial["table"], pool["table"])
    speedup = serial["seconds"] / pool["seconds"]
    load_after = os.getloadavg()
    print(f"speed-up: {speedup:.2f}x with {pool['executor']['workers']} workers (tables identical; "
          f"load average after: {load_after[0]:.2f})")
    if serial["cores_busy"] > 1.3:
        print("warning: other processes used the CPU during the benchmark (serial should keep about one core "
              "busy); the speed-up is not reliable, rerun on an idle machine")
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [{k: v for k, v in r.items() if k != "table"} for r in (serial, pool)]
    report = {"tasks": points * replicates, "dyads": args.dyads, "months": args.months, "cpu_count": os.cpu_count(),
              "machine": platform.platform(), "load_before": load_before, "load_after": load_after,
              "runs": rows, "speedup": speedup, "versions": sweep.versions(), "git_commit": outputs.git_commit()}
    (args.out / "bench_sweep.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    from simulation.report import plots  # here, not at the top: the pool's workers import this script

    plots.sweep_speed(rows, speedup, os.cpu_count(), args.out / "bench_sweep.png")
    print(f"written to {args.out}/: bench_sweep.json, bench_sweep.png")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except UserError as exc:  # bad input (e.g. --months shorter than the 12-month assessment): one message
        print(f"bench_sweep.py: {exc}", file=sys.stderr)
        sys.exit(EXIT_USAGE)

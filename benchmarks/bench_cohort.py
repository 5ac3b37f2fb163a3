#!/usr/bin/env python3
"""Benchmark: whole birth cohorts in blocks (issue 19) on the local pool, serially and on Dask.

Parts (``--parts``, default all):

* ``sizes``: the first 1,001 days (``first_1001_days``: 280 days before birth + 24 months = 1,010
  days) for 10,000, 100,000 and 1,000,000 dyads on the local pool: microseconds per dyad-day
  (wall time x busy workers / dyad-days) and peak memory of all processes (the driver and every
  process under it, sampled every 0.2 s).
* ``executors``: 100,000 dyads serially, on the local pool and on a 2-worker Dask LocalCluster:
  the speed-ups and whether the three summaries are identical.
* ``projection``: from the 1,000,000 run's measured seconds per block and overhead, the time of 4
  million dyads on this machine and on 100 workers of the same speed.
* ``speed``: the engine on issue 19's fixed configuration (community, 12 months, 90 days before
  birth, 100,000 dyads, one process), microseconds per dyad-day, beside the time of drawing the
  day's random numbers alone (the design's floor). With ``--baseline DIR`` (a checkout of the commit
  before the issue, e.g. ``git worktree add --detach ../base 6533a23``) the same is timed there,
  alternating runs, and the ratio is printed.

The machine's load average and the share of its CPU used by others are printed before and after.
Results go to ``--json``. Figures in benchmarks/README.md say when and how they were measured.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_sweep import cpu_ticks  # noqa: E402  (benchmarks/, this script's folder)

SCENARIO = "first_1001_days"
SPEED_SCENARIO = "community"
SPEED_OVERRIDES = {"simulation.months": 12, "simulation.prenatal_days": 90}

SPEED_SNIPPET = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from simulation.model.engine import AttachmentModel
n = int(sys.argv[2])
over = {"simulation.months": 12, "simulation.prenatal_days": 90}
m = AttachmentModel("community", n_dyads=n, seed=1, overrides=over)
days = m.end_day - m.day
start = time.perf_counter(); m.run(); run = time.perf_counter() - start
d = AttachmentModel("community", n_dyads=n, seed=1, overrides=over)
start = time.perf_counter()
while d.day < d.end_day:
    d.draws_today(); d.day += 1; d._draws = None
draws = time.perf_counter() - start
print(json.dumps({"us_per_dyad_day": run / (n * days) * 1e6, "draws_us_per_dyad_day": draws / (n * days) * 1e6,
                  "days": days}))
"""


class PeakMemory:
    """Peak resident memory of this process and all its descendants together (psutil, sampled)."""

    def __init__(self, every: float = 0.2):
        import psutil

        self.psutil = psutil
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _total(self) -> int:
        me = self.psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                pass
        return total

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def load() -> dict:
    one, five, fifteen = os.getloadavg()
    return {"load_1m": one, "load_5m": five, "load_15m": fifteen}


def cohort_run(n: int, executor: str, workers: int | None, block: int, scenario: str = SCENARIO) -> dict:
    from simulation.study import cohort

    ticks = cpu_ticks()
    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as mem:
        start = time.perf_counter()
        res = cohort.run_cohort(scenario, n_dyads=n, seed=1, block_dyads=block, executor=executor, workers=workers,
                                out=Path(tmp) / "c", progress=sys.stderr.isatty())
        seconds = time.perf_counter() - start
    after = cpu_ticks()
    busy = (after[0] - ticks[0]) / max(1, after[1] - ticks[1]) * os.cpu_count() if ticks and after else math.nan
    used = res.executor.get("threads") or res.executor.get("workers") or 1
    days = res.plan.days
    busy_workers = min(used, len(res.plan.blocks))  # fewer blocks than workers leave some idle
    row = {"scenario": scenario, "n_dyads": n, "days": days, "executor": res.executor, "workers": used,
           "block_dyads": res.plan.block_dyads, "blocks": len(res.plan.blocks), "seconds": seconds,
           "us_per_dyad_day": seconds * busy_workers / (n * days) * 1e6, "peak_bytes_all_processes": mem.peak,
           "worker_peak_rss_bytes": res.peak_rss_bytes, "block_seconds": res.block_seconds, "cores_busy": busy,
           "summary": res.summary().to_dict(orient="records")}
    print(f"{scenario} {n:>9,} dyads x {days} days, {res.executor.get('kind'):<7} x{used}: {seconds:8.1f} s, "
          f"{row['us_per_dyad_day']:.2f} us per dyad-day (wall x busy workers), "
          f"peak {mem.peak / 1e9:.2f} GB all processes, "
          f"{len(res.plan.blocks)} blocks of {res.plan.block_dyads:,} (cores busy {busy:.2f})", flush=True)
    return row


def projection(row: dict, target: int = 4_000_000, workers_far: int = 100) -> dict:
    """Time for ``target`` dyads from a measured run: rounds of blocks x seconds a block + overhead."""
    per_block = sum(row["block_seconds"]) / len(row["block_seconds"])
    rounds = math.ceil(row["blocks"] / row["workers"])
    overhead = max(0.0, row["seconds"] - rounds * per_block)
    blocks = math.ceil(target / row["block_dyads"])
    here = math.ceil(blocks / row["workers"]) * per_block + overhead * blocks / row["blocks"]
    far = math.ceil(blocks / workers_far) * per_block + overhead * blocks / row["blocks"]
    out = {"target_dyads": target, "block_dyads": row["block_dyads"], "blocks": blocks,
           "seconds_per_block": per_block, "overhead_seconds_measured": overhead,
           "here_workers": row["workers"], "here_hours": here / 3600, "far_workers": workers_far,
           "far_hours": far / 3600}
    print(f"projection, {target:,} dyads x {row['days']} days in {blocks} blocks of {row['block_dyads']:,} "
          f"({per_block:.0f} s a block measured, overhead {overhead:.0f} s over {row['blocks']} blocks, scaled): "
          f"{out['here_hours']:.1f} h on this machine ({row['workers']} workers), {out['far_hours']:.2f} h on "
          f"{workers_far} workers of the same speed (the driver's merge, under 0.1 s a block, is not a limit)",
          flush=True)
    return out


def speed(n: int, baseline: Path | None, reps: int) -> dict:
    """The fixed configuration, in fresh processes, alternating with the baseline checkout if given."""
    runs: dict[str, list[dict]] = {"now": [], "baseline": []}
    for _ in range(reps):
        for label, repo in (("now", ROOT), ("baseline", baseline)):
            if repo is None:
                continue
            # a Dask nanny started in this process may have set MALLOC_TRIM_THRESHOLD_ here (it does so
            # in its own process): the engine is 2.5x slower with it (executors.MALLOC_TRIM_KEY)
            env = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
            out = subprocess.run([sys.executable, "-c", SPEED_SNIPPET, str(repo), str(n)], capture_output=True,
                                 text=True, check=True, cwd=repo, env=env)
            runs[label].append(json.loads(out.stdout.strip().splitlines()[-1]))

    def median(label: str, key: str) -> float | None:
        xs = sorted(r[key] for r in runs[label])
        return xs[len(xs) // 2] if xs else None

    res = {"n_dyads": n, "configuration": {"scenario": SPEED_SCENARIO, **SPEED_OVERRIDES}, "runs": runs,
           "now_us": median("now", "us_per_dyad_day"), "now_draws_us": median("now", "draws_us_per_dyad_day"),
           "baseline_us": median("baseline", "us_per_dyad_day"),
           "baseline_draws_us": median("baseline", "draws_us_per_dyad_day"), "baseline_repo": str(baseline or "")}
    line = (f"engine, community x {n:,} dyads, 12 months + 90 days before birth, one process: "
            f"{res['now_us']:.2f} us per dyad-day (median of {reps}); drawing the day's random numbers alone "
            f"{res['now_draws_us']:.2f} us")
    if res["baseline_us"]:
        res["speedup"] = res["baseline_us"] / res["now_us"]
        line += (f"; before issue 19 ({baseline}): {res['baseline_us']:.2f} us, draws {res['baseline_draws_us']:.2f}"
                 f" -> {res['speedup']:.2f}x fewer us per dyad-day (target 1.5x: "
                 f"{'met' if res['speedup'] >= 1.5 else 'NOT met'})")
    print(line, flush=True)
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--parts", default="sizes,executors,projection,speed",
                   help="comma-separated: sizes, executors, projection, speed (default all)")
    p.add_argument("--sizes", default="10000,100000,1000000", help="dyads for the sizes part")
    p.add_argument("--executor-dyads", type=int, default=100_000, help="dyads for the executors part")
    p.add_argument("--block-dyads", type=int, default=None, help="dyads per block (default: the cohort default)")
    p.add_argument("--workers", type=int, default=2, help="pool / Dask workers (default 2)")
    p.add_argument("--speed-dyads", type=int, default=100_000)
    p.add_argument("--speed-reps", type=int, default=3)
    p.add_argument("--baseline", type=Path, default=None, help="checkout of the commit before issue 19")
    p.add_argument("--json", type=Path, default=Path("results/bench_cohort.json"))
    args = p.parse_args(argv)
    from simulation.study import cohort

    block = args.block_dyads or cohort.BLOCK_DYADS
    parts = {x.strip() for x in args.parts.split(",") if x.strip()}
    result: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                "python": platform.python_version()},
                    "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "load_before": load()}
    print(f"load before: {result['load_before']}", flush=True)
    if "sizes" in parts or "projection" in parts:
        sizes = [int(x) for x in args.sizes.split(",")]
        sizes = sizes if "sizes" in parts else [max(sizes)]
        result["sizes"] = [cohort_run(n, "process", args.workers, block) for n in sizes]
        if len(result["sizes"]) > 1:
            by_n = {r["n_dyads"]: r for r in result["sizes"]}
            if 100_000 in by_n and 1_000_000 in by_n:
                ratio = by_n[1_000_000]["us_per_dyad_day"] / by_n[100_000]["us_per_dyad_day"]
                result["ratio_1m_to_100k"] = ratio
                print(f"us per dyad-day at 1,000,000 / at 100,000: {ratio:.3f} (target <= 1.1)", flush=True)
    if "projection" in parts:
        result["projection"] = projection(max(result["sizes"], key=lambda r: r["n_dyads"]))
    if "executors" in parts:
        n = args.executor_dyads
        runs = {kind: cohort_run(n, kind, None if kind == "serial" else args.workers, block)
                for kind in ("serial", "process", "dask")}
        result["executors"] = runs
        same = runs["serial"]["summary"] == runs["process"]["summary"] == runs["dask"]["summary"]
        result["pool_speedup"] = runs["serial"]["seconds"] / runs["process"]["seconds"]
        result["dask_speedup"] = runs["serial"]["seconds"] / runs["dask"]["seconds"]
        result["summaries_identical"] = same
        print(f"at {n:,} dyads: pool {result['pool_speedup']:.2f}x serial (target >= 1.8), Dask LocalCluster "
              f"{result['dask_speedup']:.2f}x serial; summaries identical: {same}", flush=True)
    if "speed" in parts:
        result["speed"] = speed(args.speed_dyads, args.baseline, args.speed_reps)
    result["load_after"] = load()
    result["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    print(f"load after: {result['load_after']}", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

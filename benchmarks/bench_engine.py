#!/usr/bin/env python3
"""Benchmark: the vectorised engine against the per-agent Mesa path, and how the engine scales.

Three parts, each configuration run in a fresh subprocess (so that peak memory, read from
``getrusage(RUSAGE_SELF).ru_maxrss`` at the end of the run, belongs to that configuration alone):

1. **comparison**: the same scenario and seed through the vectorised engine (``model.step()``:
   each rule applied to all dyads at once) and through the per-agent path (``per_agent=True``:
   ``Caregiver.step()`` then ``Infant.step()`` on every agent, the same rule functions on one
   row). Prints dyad-days per second of each and their ratio, and checks that both paths give
   the same attachment distribution (chi-square test; they read the same random numbers, so
   their per-dyad tables are in fact identical, which is checked too) so that the ratio
   compares equal work;
2. **scaling in dyads**: time and peak memory of the engine from 1,000 to 100,000 dyads, 12 months;
3. **scaling in horizon**: 6 to 24 months at 10,000 dyads;
4. **profile**: each component's share of a day's time (``model.profile()``), at the largest
   comparison size run through the engine only;
5. **households**: the same scenario, size and seed with one caregiver per infant and with two
   (``household.two_caregivers = 1``: every infant has a second caregiver, who answers about a
   third of its episodes), each run ``--household-reps`` times alternately; the ratio of the
   fastest times per dyad-day (issue 18's target: at most 1.6). A dyad-day is still one infant
   simulated for one day, with its one or two caregivers.

A *dyad-day* is one dyad simulated for one day (one Mesa step), prenatal days included.
Times are wall-clock (``perf_counter``); CPU time and the load average are printed too, since
other programs using the CPU slow every figure down. Creation (the model with its agents and
network) is timed apart from the run. ``--quick`` runs small sizes (about a minute); ``--json``
writes everything to a file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH and the installed package

SCENARIO = "community"
"""General-population sample: risk factors, depression, a support network (Supporter agents in a
Mesa Network), 90 prenatal days. The most complete built-in scenario."""

FULL = {"compare_sizes": [200, 2000], "engine_only_sizes": [20000], "compare_months": 6,
        "dyads": [1000, 3000, 10000, 30000, 100000], "months": [6, 12, 18, 24], "horizon_dyads": 10000,
        "household_dyads": 10000, "household_months": 12, "household_reps": 3}
QUICK = {"compare_sizes": [300], "engine_only_sizes": [2000], "compare_months": 3,
         "dyads": [1000, 5000], "months": [6, 12], "horizon_dyads": 1000,
         "household_dyads": 2000, "household_months": 6, "household_reps": 2}
TARGET_HOUSEHOLD_RATIO = 1.6
"""Issue 18: two caregivers per infant cost at most 1.6 times one caregiver per dyad-day."""
TWO_CAREGIVERS = {"household.two_caregivers": 1.0}
TARGET_RATIO = 50.0
TARGET_PEAK_MB = 2048.0
TARGET_LARGE_SLOWDOWN = 1.3
TARGET_CREATION_SHARE = 0.10
ALPHA = 0.05


# ------------------------------------------------------------------------------ one configuration
def calendar(months: int) -> dict:
    """Scenario overrides for a horizon of ``months``: assessed at the end (at 12 months if longer),
    the home observation half-way (at 6 months if the horizon allows)."""
    over = {"simulation.months": months}
    if months < 12:
        over["simulation.assessment_ages"] = [months]
        over["simulation.observation_age_months"] = months / 2
    return over


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


def worker(cfg: dict) -> dict:
    """Create and run one model in this process; timings, peak memory and the outcome."""
    import numpy as np

    import simulation
    from simulation import AttachmentModel
    from simulation.report import records

    rss_start = _rss_mb()
    overrides = {**calendar(cfg["months"]), **cfg.get("overrides", {})}
    w0, c0 = time.perf_counter(), time.process_time()
    model = AttachmentModel(cfg["scenario"], n_dyads=cfg["n_dyads"], seed=cfg["seed"], overrides=overrides,
                            per_agent=cfg["per_agent"])
    w1, c1 = time.perf_counter(), time.process_time()
    rss_created = _rss_mb()
    first_day = model.day
    model.run()
    w2, c2 = time.perf_counter(), time.process_time()
    peak = _rss_mb()
    days = model.day - first_day
    table = records.dyad_table(model)
    counts = table["attachment"].value_counts().to_dict()
    digest = None
    if cfg.get("digest"):  # of the whole per-dyad table, to check that two runs did the same work
        digest = hashlib.sha256(table.drop(columns=["seed"]).to_csv(index=False).encode()).hexdigest()
    run_s = w2 - w1
    return {
        "scenario": cfg["scenario"], "seed": cfg["seed"], "n_dyads": cfg["n_dyads"], "months": cfg["months"],
        "path": "per-agent" if cfg["per_agent"] else "engine", "days": days, "dyad_days": cfg["n_dyads"] * days,
        "agents": len(model.agents), "creation_s": w1 - w0, "creation_cpu_s": c1 - c0, "run_s": run_s,
        "run_cpu_s": c2 - c1, "dyad_days_per_s": cfg["n_dyads"] * days / run_s,
        "us_per_dyad_day": 1e6 * run_s / (cfg["n_dyads"] * days),
        "creation_share": (w1 - w0) / run_s, "rss_start_mb": rss_start, "rss_created_mb": rss_created,
        "peak_rss_mb": peak, "attachment": {k: int(v) for k, v in sorted(counts.items())},
        "table_sha256": digest, "simulation": os.path.dirname(simulation.__file__), "numpy": np.__version__,
    }


def run_config(cfg: dict) -> dict:
    """Run ``worker(cfg)`` in a fresh Python process (peak memory of that configuration alone)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(cfg)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"configuration {cfg} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def config(n_dyads: int, months: int, per_agent: bool = False, scenario: str = SCENARIO, seed: int = 1,
           digest: bool = False, overrides: dict | None = None) -> dict:
    return {"scenario": scenario, "n_dyads": int(n_dyads), "months": int(months), "per_agent": per_agent,
            "seed": seed, "digest": digest, "overrides": dict(overrides or {})}


def households(n_dyads: int, months: int, reps: int, scenario: str = SCENARIO, seed: int = 1,
               run=run_config) -> dict:
    """One caregiver per infant against two, ``reps`` runs of each, alternating (so that a change in
    the machine's load falls on both); the ratio of the fastest times per dyad-day."""
    one, two = [], []
    for _ in range(reps):
        one.append(run(config(n_dyads, months, False, scenario, seed)))
        two.append(run(config(n_dyads, months, False, scenario, seed, overrides=TWO_CAREGIVERS)))
    best_one = min(r["us_per_dyad_day"] for r in one)
    best_two = min(r["us_per_dyad_day"] for r in two)
    return {"n_dyads": n_dyads, "months": months, "reps": reps, "one": one, "two": two,
            "one_us_per_dyad_day": best_one, "two_us_per_dyad_day": best_two, "ratio": best_two / best_one}


def print_households(h: dict) -> None:
    print(f"\n== One caregiver per infant against two ({h['n_dyads']:,} dyads, {h['months']} months, "
          f"{h['reps']} runs each, alternating) ==")
    for label, runs in (("one caregiver", h["one"]), ("two caregivers", h["two"])):
        times = ", ".join(f"{r['us_per_dyad_day']:.2f}" for r in runs)
        peak = max(r["peak_rss_mb"] for r in runs)
        print(f"  {label:15s} us per dyad-day: {times} (peak {peak:.0f} MB)")
    print(f"  ratio of the fastest: {h['ratio']:.2f}")


# ------------------------------------------------------------------------------ checks
def same_distribution(a: dict, b: dict, alpha: float = ALPHA) -> tuple[float, bool]:
    """Chi-square test that two attachment distributions (class -> count) do not differ."""
    from scipy.stats import chi2_contingency

    classes = sorted(set(a) | set(b))
    table = [[a.get(c, 0) for c in classes], [b.get(c, 0) for c in classes]]
    keep = [i for i, c in enumerate(classes) if table[0][i] + table[1][i] > 0]
    if len(keep) < 2:
        return 1.0, True
    p = float(chi2_contingency([[row[i] for i in keep] for row in table])[1])
    return p, p > alpha


def compare(n_dyads: int, months: int, per_agent: bool = True, scenario: str = SCENARIO, seed: int = 1,
            run=run_config) -> dict:
    """The engine and (optionally) the per-agent path on the same scenario, seed and size."""
    engine = run(config(n_dyads, months, False, scenario, seed, digest=per_agent))
    row = {"n_dyads": n_dyads, "months": months, "engine": engine, "per_agent": None, "ratio": None,
           "chi2_p": None, "same_distribution": None, "identical_tables": None}
    if per_agent:
        agent = run(config(n_dyads, months, True, scenario, seed, digest=True))
        p, ok = same_distribution(engine["attachment"], agent["attachment"])
        row.update(per_agent=agent, ratio=engine["dyad_days_per_s"] / agent["dyad_days_per_s"], chi2_p=p,
                   same_distribution=ok, identical_tables=engine["table_sha256"] == agent["table_sha256"])
    return row


def growth_exponent(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): 1 means cost proportional to x."""
    if len(xs) < 2:
        return None
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    sxx = sum((x - mx) ** 2 for x in lx)
    return sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sxx if sxx else None


def linear_fit(xs: list[float], ys: list[float]) -> dict | None:
    """Least-squares ``y = a + b x`` and its R^2: cost linear in x (with a fixed part) gives R^2 near 1."""
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if not sxx:
        return None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss = sum((y - my) ** 2 for y in ys)
    r2 = 1.0 - sum((y - a - b * x) ** 2 for x, y in zip(xs, ys)) / ss if ss else 1.0
    return {"intercept_s": a, "slope_s": b, "r2": r2}


def targets(result: dict) -> list[dict]:
    """The issue's targets, evaluated on this benchmark's figures (at the sizes it ran)."""
    out = []
    rows = [r for r in result["comparison"] if r["ratio"] is not None]
    if rows:
        r = min(rows, key=lambda r: abs(r["n_dyads"] - 2000))
        out.append({"target": f"engine >= {TARGET_RATIO:g}x per-agent (dyad-days/s) at {r['n_dyads']} dyads",
                    "value": round(r["ratio"], 1), "ok": r["ratio"] >= TARGET_RATIO and bool(r["same_distribution"])})
    by_n = {r["n_dyads"]: r for r in result["scaling_dyads"] if r["months"] == 12}
    if by_n:
        big = by_n[max(by_n)]
        out.append({"target": f"{big['n_dyads']} dyads x 12 months: peak memory <= {TARGET_PEAK_MB:g} MB",
                    "value": round(big["peak_rss_mb"]), "ok": big["peak_rss_mb"] <= TARGET_PEAK_MB})
        ref_n = 10000 if 10000 in by_n and max(by_n) > 10000 else min(by_n)
        if ref_n != max(by_n):
            slowdown = big["us_per_dyad_day"] / by_n[ref_n]["us_per_dyad_day"]
            out.append({"target": f"time per dyad-day at {big['n_dyads']} <= {TARGET_LARGE_SLOWDOWN:g}x that at "
                                  f"{ref_n} dyads", "value": round(slowdown, 2), "ok": slowdown <= TARGET_LARGE_SLOWDOWN})
        mid_n = 10000 if 10000 in by_n else max(by_n)
        share = by_n[mid_n]["creation_share"]
        out.append({"target": f"creating {mid_n} dyads < {100 * TARGET_CREATION_SHARE:g}% of running 12 months",
                    "value": f"{100 * share:.1f}%", "ok": share < TARGET_CREATION_SHARE})
    if result.get("households"):
        h = result["households"]
        out.append({"target": f"two caregivers per infant <= {TARGET_HOUSEHOLD_RATIO:g}x one caregiver per dyad-day "
                              f"({h['n_dyads']} dyads, {h['months']} months)",
                    "value": round(h["ratio"], 2), "ok": h["ratio"] <= TARGET_HOUSEHOLD_RATIO})
    return out


# ------------------------------------------------------------------------------ printing
def _fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


def print_comparison(rows: list[dict]) -> None:
    print(f"\n== Engine vs per-agent path ({rows[0]['engine']['scenario']}, seed {rows[0]['engine']['seed']}, "
          f"{rows[0]['months']} months + prenatal days) ==")
    print(f"{'dyads':>7} {'days':>5} {'engine dd/s':>12} {'wall s':>7} {'peak MB':>8} | {'per-agent dd/s':>14} "
          f"{'wall s':>8} {'peak MB':>8} | {'ratio':>6} {'chi2 p':>6} {'same dist.':>10} {'identical':>9}")
    for r in rows:
        e, a = r["engine"], r["per_agent"]
        left = (f"{r['n_dyads']:>7} {e['days']:>5} {_fmt_rate(e['dyad_days_per_s']):>12} {e['run_s']:>7.2f} "
                f"{e['peak_rss_mb']:>8.0f} | ")
        if a is None:
            print(left + f"{'-':>14} {'-':>8} {'-':>8} | {'-':>6} {'-':>6} {'-':>10} {'-':>9}")
        else:
            print(left + f"{_fmt_rate(a['dyad_days_per_s']):>14} {a['run_s']:>8.1f} {a['peak_rss_mb']:>8.0f} | "
                  f"{r['ratio']:>6.1f} {r['chi2_p']:>6.3f} {str(r['same_distribution']):>10} "
                  f"{str(r['identical_tables']):>9}")


def print_scaling(title: str, rows: list[dict], growth: dict) -> None:
    print(f"\n== {title} ==")
    print(f"{'dyads':>7} {'months':>6} {'days':>5} {'agents':>7} {'create s':>8} {'run s':>7} {'cpu s':>7} "
          f"{'dd/s':>11} {'us/dd':>6} {'create/run':>10} {'peak MB':>8}")
    for r in rows:
        print(f"{r['n_dyads']:>7} {r['months']:>6} {r['days']:>5} {r['agents']:>7} {r['creation_s']:>8.2f} "
              f"{r['run_s']:>7.2f} {r['run_cpu_s']:>7.2f} {_fmt_rate(r['dyad_days_per_s']):>11} "
              f"{r['us_per_dyad_day']:>6.2f} {100 * r['creation_share']:>9.1f}% {r['peak_rss_mb']:>8.0f}")
    for what, g in growth.items():
        if what.endswith("exponent") and g is not None:
            print(f"run time ~ {what.split('_')[0]}^{g:.2f} (1.00 = proportional)")
        elif g is not None:
            print(f"run time = {g['intercept_s']:.2f} s + {g['slope_s'] * 1e3:.3f} ms x {what.split('_')[0]} "
                  f"(R^2 = {g['r2']:.4f})")


def summary(result: dict) -> dict:
    """The printed JSON: the figures of each configuration, without the bookkeeping."""
    keys = ("n_dyads", "months", "days", "creation_s", "run_s", "run_cpu_s", "dyad_days_per_s", "us_per_dyad_day",
            "peak_rss_mb")

    def brief(r: dict | None) -> dict | None:
        return None if r is None else {k: (round(r[k], 3) if isinstance(r[k], float) else r[k]) for k in keys}

    return {
        "scenario": result["scenario"], "seed": result["seed"], "quick": result["quick"],
        "comparison": [{"n_dyads": r["n_dyads"], "months": r["months"], "engine": brief(r["engine"]),
                        "per_agent": brief(r["per_agent"]), "ratio": r["ratio"] and round(r["ratio"], 1),
                        "chi2_p": r["chi2_p"], "same_distribution": r["same_distribution"],
                        "identical_tables": r["identical_tables"]} for r in result["comparison"]],
        "scaling_dyads": [brief(r) for r in result["scaling_dyads"]],
        "scaling_horizon": [brief(r) for r in result["scaling_horizon"]],
        "households": None if not result.get("households") else {
            k: (round(v, 3) if isinstance(v, float) else v) for k, v in result["households"].items()
            if k not in ("one", "two")},
        "growth": result["growth"], "targets": result["targets"], "load_average": result["load_average"],
        "wall_s": round(result["wall_s"], 1),
    }


# ------------------------------------------------------------------------------ main
def profile(n_dyads: int, months: int, scenario: str = SCENARIO, seed: int = 1) -> dict[str, float]:
    """Each component's share of the engine's time over a whole run (``AttachmentModel.profile``)."""
    from simulation import AttachmentModel

    model = AttachmentModel(scenario, n_dyads=n_dyads, seed=seed, overrides=calendar(months))
    return model.profile()


def print_profile(n_dyads: int, months: int, shares: dict[str, float]) -> None:
    print(f"\n== Engine: share of a day's time by component ({n_dyads:,} dyads, {months} months) ==")
    for name, share in shares.items():
        print(f"  {name:22s} {100 * share:5.1f}%")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    p.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    p.add_argument("--scenario", default=SCENARIO, help=f"scenario (default {SCENARIO})")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--parts", default="compare,dyads,horizon,profile,households",
                   help="comma-separated parts to run: compare, dyads, horizon, profile, households (default all)")
    p.add_argument("--household-dyads", type=int, default=None, help="dyads for the households part")
    p.add_argument("--household-months", type=int, default=None, help="months for the households part")
    p.add_argument("--household-reps", type=int, default=None, help="runs of each configuration in the households part")
    p.add_argument("--compare-sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                   help="dyads for the engine vs per-agent comparison")
    p.add_argument("--compare-months", type=int, default=None, help="months simulated in the comparison")
    p.add_argument("--dyads", type=lambda s: [int(x) for x in s.split(",")], default=None,
                   help="dyads for the scaling in dyads (12 months)")
    p.add_argument("--months", type=lambda s: [int(x) for x in s.split(",")], default=None,
                   help="months for the scaling in horizon")
    p.add_argument("--horizon-dyads", type=int, default=None, help="dyads for the scaling in horizon")
    p.add_argument("--engine-only-sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=None,
                   help="dyads run through the engine only, in the comparison table")
    p.add_argument("--in-process", action="store_true",
                   help="run every configuration in this process (faster; peak memory then not per configuration)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0
    plan = dict(QUICK if args.quick else FULL)
    for key in ("compare_sizes", "compare_months", "dyads", "months", "horizon_dyads", "engine_only_sizes",
                "household_dyads", "household_months", "household_reps"):
        if getattr(args, key) is not None:
            plan[key] = getattr(args, key)
    parts = set(args.parts.split(","))
    run = worker if args.in_process else run_config
    load_before = os.getloadavg()
    started = time.perf_counter()
    print(f"bench_engine: scenario {args.scenario}, seed {args.seed}, {'quick' if args.quick else 'full'} run on "
          f"{os.cpu_count()} cores, Python {platform.python_version()} (load average before: {load_before[0]:.2f})",
          flush=True)
    result = {"benchmark": "engine", "scenario": args.scenario, "seed": args.seed, "quick": args.quick,
              "plan": plan, "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                                        "python": platform.python_version()},
              "comparison": [], "scaling_dyads": [], "scaling_horizon": [], "growth": {}}

    if "compare" in parts:
        for n in plan["compare_sizes"]:
            result["comparison"].append(compare(n, plan["compare_months"], True, args.scenario, args.seed, run))
        for n in plan["engine_only_sizes"]:
            result["comparison"].append(compare(n, plan["compare_months"], False, args.scenario, args.seed, run))
        print_comparison(result["comparison"])

    cache: dict[tuple[int, int], dict] = {}

    def engine(n: int, months: int) -> dict:
        if (n, months) not in cache:
            cache[n, months] = run(config(n, months, False, args.scenario, args.seed))
        return cache[n, months]

    if "dyads" in parts:
        rows = result["scaling_dyads"] = [engine(n, 12) for n in plan["dyads"]]
        xs, ys = [r["n_dyads"] for r in rows], [r["run_s"] for r in rows]
        result["growth"]["dyads"] = {"dyads_exponent": growth_exponent(xs, ys), "dyads_linear": linear_fit(xs, ys)}
        print_scaling("Engine: scaling in dyads (12 months + prenatal days)", rows, result["growth"]["dyads"])
    if "horizon" in parts:
        rows = result["scaling_horizon"] = [engine(plan["horizon_dyads"], m) for m in plan["months"]]
        xs, ys = [r["days"] for r in rows], [r["run_s"] for r in rows]
        result["growth"]["days"] = {"days_exponent": growth_exponent(xs, ys), "days_linear": linear_fit(xs, ys)}
        print_scaling(f"Engine: scaling in horizon ({plan['horizon_dyads']} dyads; days include the prenatal days, "
                      f"which cost less)", rows, result["growth"]["days"])

    if "profile" in parts:
        n = max(plan["engine_only_sizes"] or plan["compare_sizes"])
        result["profile"] = profile(n, plan["compare_months"], args.scenario, args.seed)
        print_profile(n, plan["compare_months"], result["profile"])

    if "households" in parts:
        result["households"] = households(plan["household_dyads"], plan["household_months"], plan["household_reps"],
                                          args.scenario, args.seed, run)
        print_households(result["households"])

    result["targets"] = targets(result)
    if result["targets"]:
        print("\n== Targets" + (" (quick run: not the target sizes)" if args.quick else "") + " ==")
        for t in result["targets"]:
            print(f"  [{'ok' if t['ok'] else 'MISSED'}] {t['target']}: {t['value']}")
    load_after = os.getloadavg()
    result["load_average"] = {"before": load_before[0], "after": load_after[0]}
    result["wall_s"] = time.perf_counter() - started
    print(f"\ntotal {result['wall_s']:.0f} s (load average after: {load_after[0]:.2f})")
    print("\nJSON (summary; --json writes everything):")
    print(json.dumps(summary(result), indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n")
        print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

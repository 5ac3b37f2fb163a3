#!/usr/bin/env python3
"""Parameter sweep of a SecureBase scenario: grid, Latin hypercube, Sobol' or Morris design.

Every design point is run ``--replicates`` times; replicate r of every point uses the same
seed (common random numbers). Tasks run on all local cores by default, in this process with
``--serial``, or on Dask with ``--dask local`` / ``--dask tcp://host:8786``. Each finished task
is saved in OUT/parts/ at once: rerun the same command after an interruption and only the
missing tasks run. Outputs in OUT/: sweep.parquet, sweep.csv (one row per task), manifest.json,
tasks.log, and with --analyze sensitivity.csv and sensitivity.png. Bad input: one message, exit
code 2, nothing written. Documentation: docs/sweeps.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from simulation.study import sensitivity, sweep
from simulation.study.sweep.designs import _check_bounds
from simulation.cli import UsageParser, guarded, parse_sets, whole_number
from simulation.errors import UserError
from simulation.scenario import parse_value

DEFAULT_N = {"lhs": 20, "sobol": 64, "morris": 10}



def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="sweep.py", description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter,
                epilog="examples:\n"
                       "  sweep.py good_enough --param caregiver.repair=0.2,0.5,0.8 "
                       "--param caregiver.accuracy=0.4:0.9:6 --replicates 5 --out results/repair_grid\n"
                       "  sweep.py good_enough --design lhs --n 50 --param caregiver.repair=0.2:0.9 "
                       "--param caregiver.rejection=0:0.4\n"
                       "  sweep.py good_enough --design sobol --n 64 --param caregiver.repair=0.2:0.9 "
                       "--param caregiver.accuracy=0.4:0.95 --analyze --dyads 300\n"
                       "  sweep.py good_enough --design morris --n 10 --param caregiver.repair=0.2:0.9 "
                       "--param caregiver.attention=0.5:1 --analyze --dask local")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario name or .toml path")
    d = p.add_argument_group("design")
    d.add_argument("--design", choices=["grid", "lhs", "sobol", "morris"], default="grid",
                   help="grid (default), lhs (Latin hypercube), sobol (Saltelli) or morris")
    d.add_argument("--param", dest="params", action="append", default=[], metavar="KEY=SPEC",
                   help="a design parameter (repeatable). grid: KEY=v1,v2,... or KEY=LOW:HIGH:COUNT; "
                        "lhs/sobol/morris: KEY=LOW:HIGH")
    d.add_argument("--n", type=whole_number, default=None, metavar="N",
                   help="lhs: points (default 20); sobol: base sample, a power of two (default 64); "
                        "morris: trajectories (default 10)")
    d.add_argument("--levels", type=whole_number, default=4, metavar="L", help="morris: grid levels (default 4)")
    d.add_argument("--no-second-order", action="store_true", help="sobol: skip second-order indices (fewer runs)")
    d.add_argument("--design-seed", type=whole_number, default=None, metavar="S", help="seed of the design sampler (default --seed)")
    r = p.add_argument_group("runs")
    r.add_argument("--replicates", type=whole_number, default=1, metavar="R", help="runs per design point (default 1)")
    r.add_argument("--seed", type=whole_number, default=1, metavar="S", help="root seed (default 1)")
    r.add_argument("--dyads", type=whole_number, default=None, metavar="N", help="dyads per run (default: the scenario's)")
    r.add_argument("--months", type=whole_number, default=None, metavar="M", help="months of infant life to simulate")
    r.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="a fixed override for every run, e.g. simulation.assessment_ages=[12] (repeatable)")
    o = p.add_argument_group("output")
    o.add_argument("--out", type=Path, default=Path("results/sweep"), metavar="DIR",
                   help="output folder (default results/sweep); rerun with the same folder to resume")
    o.add_argument("--per-dyad", action="store_true", help="also keep every dyad's row (dyads.parquet)")
    o.add_argument("--analyze", action="store_true", help="sobol/morris: sensitivity indices and figure")
    o.add_argument("--outcomes", default=",".join(sensitivity.DEFAULT_OUTCOMES), metavar="A,B,...",
                   help=f"outcomes for --analyze (default {','.join(sensitivity.DEFAULT_OUTCOMES)})")
    sweep.add_executor_arguments(p)
    return p


def _number(name: str, text: str) -> float:
    value = parse_value(text.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UserError(f"--param {name}: '{text}' is not a number")
    return value


def parse_param(item: str, kind: str) -> tuple[str, Any]:
    """``KEY=SPEC`` -> (key, grid values or (low, high) bounds)."""
    name, sep, spec = item.partition("=")
    name, spec = name.strip(), spec.strip()
    if not sep or not name:
        raise UserError(f"--param expects KEY=SPEC (e.g. caregiver.repair=0.2,0.5,0.8 or caregiver.repair=0.2:0.9), "
                        f"got '{item}'")
    if ":" in spec:
        pieces = spec.split(":")
        if kind == "grid":
            if len(pieces) != 3:
                raise UserError(f"--param {name}={spec}: a grid range is LOW:HIGH:COUNT, e.g. 0.2:0.8:4")
            low, high = (_number(name, x) for x in pieces[:2])
            count = parse_value(pieces[2].strip())
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise UserError(f"--param {name}={spec}: COUNT must be a whole number >= 1, got '{pieces[2]}'")
            if count > 1:
                _check_bounds(name, (low, high))
            return name, [float(f"{v:.12g}") for v in np.linspace(low, high, count)]
        if len(pieces) != 2:
            raise UserError(f"--param {name}={spec}: a {kind} design needs bounds LOW:HIGH, e.g. 0.2:0.9")
        return name, tuple(_number(name, x) for x in pieces)
    if kind != "grid":
        raise UserError(f"--param {name}={spec}: a {kind} design needs bounds LOW:HIGH, e.g. 0.2:0.9")
    return name, [parse_value(v.strip()) for v in spec.split(",") if v.strip()]


def build_design(args: argparse.Namespace) -> sweep.Design:
    if not args.params:
        raise UserError("give at least one design parameter with --param KEY=SPEC (see --help)")
    specs: dict[str, Any] = {}
    for item in args.params:
        name, spec = parse_param(item, args.design)
        if name in specs:
            raise UserError(f"--param {name} is given twice")
        specs[name] = spec
    if args.design == "grid":
        if args.n is not None:
            raise UserError("--n does not apply to a grid design (the grid size is set by the values)")
        return sweep.grid(specs)
    n = args.n if args.n is not None else DEFAULT_N[args.design]
    seed = args.design_seed if args.design_seed is not None else args.seed
    if args.design == "lhs":
        return sweep.latin_hypercube(specs, n, seed=seed)
    if args.design == "sobol":
        return sweep.sobol(specs, n, second_order=not args.no_second_order, seed=seed)
    return sweep.morris(specs, n, levels=args.levels, seed=seed)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"sweep.py: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return guarded("sweep.py", lambda: _main_body(args), interrupted=f"interrupted; finished tasks are kept in {args.out}/parts, "
                   f"rerun the same command to resume")


def _main_body(args: argparse.Namespace) -> int:
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning
            return _main(args)
    except RuntimeError as exc:  # a task failed: finished tasks are kept
        print(f"sweep.py: {exc}\nfinished tasks are kept in {args.out}/parts", file=sys.stderr)
        return 1


def _main(args: argparse.Namespace) -> int:
    design = build_design(args)
    outcomes = sweep.check_outcomes([o.strip() for o in args.outcomes.split(",") if o.strip()])
    if args.analyze and design.kind not in ("sobol", "morris"):
        raise UserError(f"--analyze needs --design sobol or morris, not {design.kind}")
    if args.dyads is not None and args.dyads < 1:
        raise UserError(f"--dyads must be a positive whole number, got {args.dyads}")
    result = sweep.run_sweep(args.scenario, design, replicates=args.replicates, seed=args.seed,
                             overrides=parse_sets(args.sets), n_dyads=args.dyads, months=args.months,
                             out=args.out, executor=sweep.executor_from_args(args), workers=args.workers,
                             per_dyad=args.per_dyad, progress=False if args.no_progress else None)
    the_plan = result.plan
    print(f"sweep of '{the_plan.scenario.name}': {len(design)} {design.kind} point(s) x {the_plan.replicates} "
          f"replicate(s) = {len(the_plan.tasks)} tasks, root seed {the_plan.root_seed}, "
          f"{the_plan.scenario.simulation.n_dyads} dyads each; computed {result.computed}, "
          f"reused {result.reused} ({result.elapsed:.1f} s, {result.executor['kind']})")
    means = result.point_means(["share_A", "share_B", "share_C", "share_D", "mean_security"])
    print(means.head(20).to_string(float_format=lambda v: f"{v:.3f}"))
    if len(means) > 20:
        print(f"... {len(means) - 20} more points in {args.out}/sweep.csv")
    if args.analyze:
        table = sensitivity.write_indices(design, result.table, args.out, outcomes)
        print("\nsensitivity indices (95% bootstrap CI):")
        print(sensitivity.format_indices(table))
    print(f"\nwritten to {args.out}/: sweep.parquet, sweep.csv, manifest.json"
          + (", dyads.parquet" if args.per_dyad else "") + (", sensitivity.csv, sensitivity.png" if args.analyze else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

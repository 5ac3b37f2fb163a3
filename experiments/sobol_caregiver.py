#!/usr/bin/env python3
"""Sobol' sensitivity analysis of the main caregiver parameters on the good_enough scenario.

Which of the caregiver's traits (attention, responsiveness, accuracy, repair, rejection,
inconsistency) drives the share of secure infants and their mean security, alone (S1) and
with interactions (ST)? The population mean of each trait is varied within the bounds below
(the per-dyad spread around it is kept); every run uses the same seed (common random numbers).

Runs: n * (2D + 2) = 14 n with second-order indices (default n = 32: 448 runs of 300 dyads,
about 3 minutes on 2 cores), 8 n with --no-second-order. Outputs in --out: the sweep
(sweep.parquet, sweep.csv, manifest.json, parts/) plus sensitivity.csv and sensitivity.png.
Rerun the same command to resume an interrupted run.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Sequence

from simulation.study import sensitivity, sweep
from simulation.cli import UsageParser, guarded, parse_sets, whole_number

SCENARIO = "good_enough"
# caregiver.<name>: (low, high) bounds of the population mean
PARAMETERS = {
    "attention": (0.5, 1.0),
    "responsiveness": (0.4, 1.0),
    "accuracy": (0.4, 0.95),
    "repair": (0.3, 0.95),
    "rejection": (0.0, 0.4),
    "inconsistency": (0.1, 1.5),
}
OUTCOMES = ("share_secure", "mean_security")



def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="sobol_caregiver.py", description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", default=SCENARIO, help=f"scenario name or .toml path (default {SCENARIO})")
    p.add_argument("--n", type=whole_number, default=32, help="Sobol' base sample, a power of two (default 32)")
    p.add_argument("--no-second-order", action="store_true", help="first and total order only (8 n runs)")
    p.add_argument("--dyads", type=whole_number, default=300, help="dyads per run (default 300)")
    p.add_argument("--replicates", type=whole_number, default=1, help="runs per design point (default 1)")
    p.add_argument("--seed", type=whole_number, default=1, help="root seed, also the design's seed (default 1)")
    p.add_argument("--resamples", type=whole_number, default=1000, help="bootstrap resamples for the CIs (default 1000)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="fixed override for every run (repeatable)")
    p.add_argument("--out", type=Path, default=Path("results/sobol_caregiver"), help="output folder")
    sweep.add_executor_arguments(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return guarded("sobol_caregiver.py", lambda: _main(args), interrupted=f"interrupted; finished runs are kept in {args.out}/parts, "
                   f"rerun the same command to resume")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"sobol_caregiver.py: warning: {message}", file=sys.stderr)


def _main(args: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        design = sweep.sobol({f"caregiver.{name}": bounds for name, bounds in PARAMETERS.items()}, args.n,
                             second_order=not args.no_second_order, seed=args.seed)
        result = sweep.run_sweep(args.scenario, design, replicates=args.replicates, seed=args.seed,
                                 overrides=parse_sets(args.sets), n_dyads=args.dyads, out=args.out,
                                 executor=sweep.executor_from_args(args), workers=args.workers,
                                 progress=False if args.no_progress else None)
        table = sensitivity.write_indices(
            design, result.table, args.out, OUTCOMES, num_resamples=args.resamples, seed=args.seed,
            title=f"Sobol' indices of caregiver parameters ('{result.plan.scenario.name}', n = {args.n}, "
                  f"{result.plan.scenario.simulation.n_dyads} dyads per run)")
    print(f"{len(result.plan.tasks)} runs: computed {result.computed}, reused {result.reused} "
          f"({result.elapsed:.0f} s, {result.executor['kind']})")
    print("Sobol' indices (95% bootstrap CI):")
    print(sensitivity.format_indices(table))
    print(f"written to {args.out}/: sensitivity.png, sensitivity.csv, sweep.parquet, sweep.csv, manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

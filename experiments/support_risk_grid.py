#!/usr/bin/env python3
"""Share of secure infants over a grid of support-network size x number of risk factors.

"It takes a village": does a larger support network protect the attachment of infants whose
caregivers carry more risk factors? Every cell of the grid is run ``--replicates`` times with
common random numbers (the same families, only support and risk differ), and the share of
secure (B) infants is drawn as a heat map.

Outputs in --out: the sweep (sweep.parquet, sweep.csv, manifest.json, parts/) plus
share_secure_grid.csv (risk x support table of mean share secure) and share_secure_heatmap.png.
Rerun the same command to resume an interrupted run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from simulation.report import outputs, style
from simulation.study import sweep
from simulation.cli import UsageParser, guarded, parse_sets, whole_number
from simulation.errors import UserError
from simulation.scenario import load_scenario

# The scenario keys swept here: the support network's size and the number of risk factors each
# caregiver carries (risk.fixed_count gives every caregiver exactly that many, chosen at random).
# Other keys can be swept with --support-key / --risk-key.
SCENARIO = "community"
SUPPORT_KEY = "support.size"
RISK_KEY = "risk.fixed_count"
SUPPORT_VALUES = [0, 1, 2, 3, 4, 5, 6]
RISK_VALUES = [0, 1, 2, 3, 4, 5]



def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="support_risk_grid.py", description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", default=SCENARIO, help=f"scenario name or .toml path (default {SCENARIO})")
    p.add_argument("--support-key", default=SUPPORT_KEY, help=f"scenario key of the support size (default {SUPPORT_KEY})")
    p.add_argument("--risk-key", default=RISK_KEY, help=f"scenario key of the number of risk factors (default {RISK_KEY})")
    p.add_argument("--support", default=",".join(map(str, SUPPORT_VALUES)), metavar="V,V,...",
                   help="support sizes (default %(default)s)")
    p.add_argument("--risk", default=",".join(map(str, RISK_VALUES)), metavar="V,V,...",
                   help="numbers of risk factors (default %(default)s)")
    p.add_argument("--replicates", type=whole_number, default=3, help="runs per cell (default 3)")
    p.add_argument("--dyads", type=whole_number, default=500, help="dyads per run (default 500)")
    p.add_argument("--seed", type=whole_number, default=1, help="root seed (default 1)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="fixed override for every run (repeatable)")
    p.add_argument("--out", type=Path, default=Path("results/support_risk_grid"), help="output folder")
    sweep.add_executor_arguments(p)
    return p


def _values(text: str, option: str) -> list[float]:
    try:
        values = [float(v) if "." in v else int(v) for v in (x.strip() for x in text.split(",")) if v]
    except ValueError:
        raise UserError(f"--{option} expects numbers separated by commas, got '{text}'") from None
    return values


def check_keys(scenario: str, support_key: str, risk_key: str, support: list, risk: list) -> None:
    """Stop with one clear message if the schema does not (yet) have the swept keys."""
    for constant, option, key, values in (("SUPPORT_KEY", "support-key", support_key, support),
                                          ("RISK_KEY", "risk-key", risk_key, risk)):
        try:
            load_scenario(scenario, {key: values[0]} if values else {})
        except UserError as exc:
            raise UserError(f"{constant} = '{key}' cannot be swept: {exc}. Set {constant} at the top of "
                            f"experiments/support_risk_grid.py (or pass --{option}) to the schema's key") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return guarded("support_risk_grid.py", lambda: _main(args), interrupted=f"interrupted; finished runs are kept in {args.out}/parts, "
                   f"rerun the same command to resume")


def _main(args: argparse.Namespace) -> int:
    support, risk = _values(args.support, "support"), _values(args.risk, "risk")
    check_keys(args.scenario, args.support_key, args.risk_key, support, risk)
    design = sweep.grid({args.support_key: support, args.risk_key: risk})
    result = sweep.run_sweep(args.scenario, design, replicates=args.replicates, seed=args.seed,
                             overrides=parse_sets(args.sets), n_dyads=args.dyads, out=args.out,
                             executor=sweep.executor_from_args(args), workers=args.workers,
                             progress=False if args.no_progress else None)
    grid = (result.table.groupby([args.risk_key, args.support_key])["share_B"].mean()
            .unstack(args.support_key).sort_index().sort_index(axis=1))
    title = (f"Share secure by support and risk\n{style.scenario_label(result.plan.scenario)}: "
             f"{args.replicates} x {result.plan.scenario.simulation.n_dyads} dyads per cell")
    with outputs.staged_output(args.out, replace=False) as scratch:  # beside the sweep's parts/
        grid.to_csv(scratch / "share_secure_grid.csv")
        from simulation.report import plots  # here, not at the top: the pool's workers import this script

        plots.support_risk_heatmap(grid, args.support_key, args.risk_key, scratch / "share_secure_heatmap.png", title)
    print(f"{title.replace(chr(10), ' ')}; computed {result.computed}, reused {result.reused} tasks ({result.elapsed:.0f} s)")
    print("% secure, rows = risk factors, columns = support size:")
    print((grid * 100).round(1).to_string())
    print(f"written to {args.out}/: share_secure_heatmap.png, share_secure_grid.csv, sweep.parquet, sweep.csv, "
          f"manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Validate SecureBase against published findings (experiments/validation_targets.csv).

Runs every target the model can measure, prints a table (kind, target, band, simulated figure
with 95% CI, verdict), writes it as validation.md and validation.csv to --out, and exits 0 only
if every calibrated target and sanity check is in its band (1 if not, 2 for bad arguments).
Predicted rows (nothing fitted to them, committed before their run) are reported as reproduced
or not reproduced and counted separately.

    .venv/bin/python experiments/validate.py              # 5,000 dyads per population
    .venv/bin/python experiments/validate.py --quick      # 1,000 dyads, wider bands (tests)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import cli  # noqa: E402
from simulation.model import memory  # noqa: E402
from simulation.report import outputs  # noqa: E402
from simulation.study import effects, validation  # noqa: E402

PROG = "validate.py"
DEFAULT_OUT = "results/validation"
MIN_DYADS = 100
"""Fewest dyads per population: with fewer, some figures cannot be computed at all (the bias-training
trial trains about a quarter of its dyads, and a correlation's CI needs more than a handful)."""
EXIT_OUT_OF_BAND = 1

DESCRIPTION = f"""\
Validate SecureBase against published findings (experiments/validation_targets.csv).

Runs every target the model can measure, prints a table (target, band, simulated figure with
95% CI, verdict), writes validation.md, validation.csv and manifest.json to --out, and exits 0
only if every calibrated target and sanity check is in its band, {EXIT_OUT_OF_BAND} if not, 2 for bad
input (which is refused before anything runs, writing nothing). Each row says its kind:
calibrated (on which parameters), predicted (nothing fitted to it) or input (a parameter
read back out: a sanity check, in its own section, not counted as validation); predicted
findings the model misses are reported as "not reproduced".
"""

EPILOG = f"""\
examples:
  {PROG}                 {validation.FULL_DYADS:,} dyads per population (about a minute)
  {PROG} --quick         {validation.QUICK_DYADS:,} dyads per population, wider bands
  {PROG} --seed 2 --out results/validation_seed2
"""


def build_parser() -> argparse.ArgumentParser:
    p = cli.UsageParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help=f"{validation.QUICK_DYADS:,} dyads per population ({validation.QUICK_TRIAL_DYADS:,} per "
                        f"virtual trial) and the wider quick bands")
    p.add_argument("--dyads", type=cli.whole_number, default=None, metavar="N",
                   help=f"dyads per population and per virtual trial, {MIN_DYADS} to {cli.MAX_DYADS:,} (default "
                        f"{validation.FULL_DYADS:,} per population and each trial scenario's trial.n_dyads; "
                        f"{validation.QUICK_DYADS:,} with --quick)")
    p.add_argument("--seed", type=cli.whole_number, default=cli.DEFAULT_SEED, metavar="S",
                   help=f"root seed, a whole number >= 0 (default {cli.DEFAULT_SEED})")
    cli.add_output_arguments(p, DEFAULT_OUT)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    return cli.guarded(PROG, lambda: _main(args, argv))


def _main(args: argparse.Namespace, argv: list[str]) -> int:
    cli.check_count("--dyads", args.dyads, MIN_DYADS, cli.MAX_DYADS)
    cli.check_seed("--seed", args.seed)
    if args.dyads is not None:
        memory.check_fits(args.dyads, key="--dyads")
        effects.check_bootstrap_fits(args.dyads, validation.QUICK_REPS if args.quick else validation.FULL_REPS,
                                     option="--dyads")
    key = cli.command_key(PROG, argv)
    outputs.prepare_output_dir(args.out, command=key, overwrite=args.overwrite)

    start = time.perf_counter()
    print(f"{PROG}: running the validation targets{' (quick)' if args.quick else ''}, seed {args.seed} ...",
          file=sys.stderr, flush=True)
    results = validation.validate(quick=args.quick, n_dyads=args.dyads, seed=args.seed,
                                  progress=lambda m: print(m, file=sys.stderr, flush=True))
    with outputs.staged_output(args.out, command=key, overwrite=args.overwrite) as scratch:
        results.to_csv(scratch / "validation.csv", index=False)
        (scratch / "validation.md").write_text(validation.to_markdown(results), encoding="utf-8")
        outputs.write_json(scratch / "manifest.json", outputs.manifest(
            command_key=key, seed=args.seed, quick=args.quick, n_dyads=results.attrs["n_dyads"],
            elapsed_seconds=round(time.perf_counter() - start, 1)))
    print(validation.format_table(results))
    ok = validation.passed(results)
    print(f"\n{'PASS' if ok else 'FAIL'} ({validation.counts(results)}); written to {args.out}/")
    return 0 if ok else EXIT_OUT_OF_BAND


if __name__ == "__main__":
    sys.exit(main())

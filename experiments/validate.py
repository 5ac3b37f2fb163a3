#!/usr/bin/env python3
"""Validate SecureBase against published findings (experiments/validation_targets.csv).

Runs every target the model can measure, prints a table (target, band, simulated figure with
95% CI, verdict), writes it as validation.md and validation.csv to --out, and exits 0 only if
every measured target is in its band (1 if not, 2 for bad arguments).

    .venv/bin/python experiments/validate.py              # 5,000 dyads per population
    .venv/bin/python experiments/validate.py --quick      # 1,000 dyads, wider bands (tests)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import outputs, validation  # noqa: E402
from simulation.errors import UserError  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="1,000 dyads per population and the wider quick bands")
    p.add_argument("--dyads", type=int, default=None, help="dyads per population (default 5,000; quick 1,000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=Path("results/validation"))
    args = p.parse_args(argv)
    try:
        if args.dyads is not None and args.dyads < 10:
            raise UserError(f"--dyads must be at least 10, got {args.dyads}")
        outputs.check_output_dir(args.out)
        start = time.perf_counter()
        results = validation.validate(quick=args.quick, n_dyads=args.dyads, seed=args.seed,
                                      progress=lambda m: print(m, file=sys.stderr))
        with outputs.staged_output(args.out) as scratch:
            results.to_csv(scratch / "validation.csv", index=False)
            (scratch / "validation.md").write_text(validation.to_markdown(results), encoding="utf-8")
            outputs.write_json(scratch / "manifest.json", outputs.manifest(
                seed=args.seed, quick=args.quick, n_dyads=results.attrs["n_dyads"],
                elapsed_seconds=round(time.perf_counter() - start, 1)))
    except UserError as exc:
        print(f"validate.py: error: {exc}", file=sys.stderr)
        return 2
    print(validation.format_table(results))
    ok = validation.passed(results)
    print(f"\n{'PASS' if ok else 'FAIL'}: {int(results['in_band'].sum())} of {int(results['in_band'].notna().sum())} "
          f"measured targets in band; written to {args.out}/")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""When to intervene: the same intervention started before birth, at 3 months and at 9 months.

Runs one virtual trial per start (each against the same control arm, common random numbers)
and prints the effect on security at 12 months (Cohen's d with bootstrap 95% CI), on observed
sensitivity and on the share secure; writes timing.csv, timing.png and manifest.json.

    .venv/bin/python experiments/timing.py                       # video_feedback in community
    .venv/bin/python experiments/timing.py --kind home_visiting --dyads 4000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import outputs, plots, trial  # noqa: E402
from simulation.errors import UserError  # noqa: E402
from simulation.scenario import INTERVENTION_KINDS, load_scenario  # noqa: E402

STARTS = {"prenatal (day -60)": -60, "3 months": 91, "9 months": 274}


def timing_table(scenario: str, kind: str, n_dyads: int, seed: int, reps: int) -> pd.DataFrame:
    arms = {"control": [], **{label: [{"kind": kind, "start_day": day}] for label, day in STARTS.items()}}
    result = trial.run_trial(scenario, arms, n_dyads=n_dyads, seed=seed, reps=reps)
    e = result.effects
    rows = []
    for label in STARTS:
        sec = e[(e.arm == label) & (e.outcome == "security") & (e.measure == "cohens_d")].iloc[0]
        sens = e[(e.arm == label) & (e.outcome == "observed_sensitivity") & (e.measure == "cohens_d")].iloc[0]
        rd = e[(e.arm == label) & (e.outcome == "secure") & (e.measure == "risk_difference")].iloc[0]
        rows.append({"start": label, "start_day": STARTS[label], "d_security": sec.estimate, "ci_low": sec.ci_low,
                     "ci_high": sec.ci_high, "d_sensitivity": sens.estimate, "secure_risk_difference": rd.estimate})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", default="community")
    p.add_argument("--kind", default="video_feedback", help=f"one of {', '.join(INTERVENTION_KINDS)}")
    p.add_argument("--dyads", type=int, default=4000, help="dyads randomised over the four arms")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reps", type=int, default=500)
    p.add_argument("--out", type=Path, default=Path("results/timing"))
    args = p.parse_args(argv)
    try:
        if args.kind not in INTERVENTION_KINDS:
            raise UserError(f"--kind '{args.kind}' is not an intervention; allowed: {', '.join(INTERVENTION_KINDS)}")
        sc = load_scenario(args.scenario)
        if sc.simulation.prenatal_days < 60:
            raise UserError(f"scenario '{args.scenario}' starts {sc.simulation.prenatal_days} days before birth; "
                            "a prenatal start needs simulation.prenatal_days >= 60")
        outputs.check_output_dir(args.out)
        start = time.perf_counter()
        table = timing_table(args.scenario, args.kind, args.dyads, args.seed, args.reps)
        with outputs.staged_output(args.out) as scratch:
            table.to_csv(scratch / "timing.csv", index=False)
            plots.timing(table, scratch / "timing.png")
            outputs.write_json(scratch / "manifest.json", outputs.manifest(
                seed=args.seed, scenario=args.scenario, kind=args.kind, n_dyads=args.dyads,
                elapsed_seconds=round(time.perf_counter() - start, 1)))
    except UserError as exc:
        print(f"timing.py: error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.kind} in {args.scenario}, {args.dyads} dyads, seed {args.seed}: effect at 12 months by start")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"written to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

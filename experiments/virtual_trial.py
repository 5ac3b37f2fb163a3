#!/usr/bin/env python3
"""Run a scenario as a randomised virtual trial: control vs the scenario's interventions.

Writes to --out: report.md (design, effects with bootstrap 95% CIs, power, pilot replications),
effects.csv, dyads.csv (one row per randomised dyad, with its arm), power.csv, figures and
manifest.json. For bias_training_trial it also replicates the second seed's pilot design
(23 high-risk trained and 22 low-risk untrained expectant mothers).

    .venv/bin/python experiments/virtual_trial.py video_feedback_trial
    .venv/bin/python experiments/virtual_trial.py bias_training_trial --dyads 4000 --seed 2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import outputs, plots, trial  # noqa: E402
from simulation.errors import UserError  # noqa: E402
from simulation.scenario import load_scenario, parse_value  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scenario", help="a scenario with [[interventions]] (e.g. video_feedback_trial, bias_training_trial)")
    p.add_argument("--dyads", type=int, default=None, help="dyads randomised (default: the scenario's [trial] n_dyads)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reps", type=int, default=1000, help="bootstrap replicates for the CIs")
    p.add_argument("--power-reps", type=int, default=400, help="simulated trials per sample size for the power curve")
    p.add_argument("--pilot-replications", type=int, default=200, help="replications of the pilot design (bias training)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--out", type=Path, default=None, help="output folder (default results/trial_<scenario>)")
    args = p.parse_args(argv)
    try:
        overrides = {}
        for item in args.sets:
            key, sep, value = item.partition("=")
            if not sep:
                raise UserError(f"--set expects KEY=VALUE, got '{item}'")
            overrides[key.strip()] = parse_value(value.strip())
        if args.dyads is not None and args.dyads < 20:
            raise UserError(f"--dyads must be at least 20, got {args.dyads}")
        sc = load_scenario(args.scenario, overrides)
        if not sc.interventions:
            raise UserError(f"scenario '{sc.name}' has no [[interventions]]: nothing to trial "
                            f"(try video_feedback_trial or bias_training_trial)")
        out = args.out or Path("results") / f"trial_{sc.name}"
        outputs.check_output_dir(out)
        start = time.perf_counter()
        print(f"running {sc.name}: control vs {', '.join(iv.kind for iv in sc.interventions)} ...", file=sys.stderr)
        result = trial.scenario_trial(args.scenario, n_dyads=args.dyads, seed=args.seed, overrides=overrides,
                                      reps=args.reps)
        arm = [a for a in result.potential if a != result.control][0]
        eligible = trial.ELIGIBLE_COLUMN[sc.trial.eligible]
        power = trial.power_curve(result.potential, arm, result.control, outcome=sc.trial.power_outcome,
                                  reps=args.power_reps, seed=args.seed, eligible=eligible)
        mask = trial.eligible_mask(result.potential[result.control], eligible)
        fn = trial.BINARY[sc.trial.power_outcome]
        p1 = fn(result.potential[arm][mask]).mean()
        p0 = fn(result.potential[result.control][mask]).mean()
        power.attrs.update(outcome=sc.trial.power_outcome, n_80=trial.n_for_power(p1, p0))
        pilot = None
        if any(iv.kind == "bias_training" for iv in sc.interventions):
            print(f"replicating the pilot design {args.pilot_replications} times ...", file=sys.stderr)
            pilot, _ = trial.pilot_study(args.scenario, replications=args.pilot_replications, seed=args.seed,
                                         overrides=overrides)
        with outputs.staged_output(out) as scratch:
            figures = ["effects.png", "power.png"]
            plots.effects_forest(result.effects, scratch / "effects.png")
            plots.power_curve(power, scratch / "power.png",
                              title=f"Power to detect the effect on {sc.trial.power_outcome}")
            result.dyads.to_csv(scratch / "dyads.csv", index=False)
            result.effects.to_csv(scratch / "effects.csv", index=False)
            power.to_csv(scratch / "power.csv", index=False)
            if pilot is not None:
                pilot.to_csv(scratch / "pilot_replications.csv", index=False)
            report = trial.markdown_report(result, power, pilot, figures)
            (scratch / "report.md").write_text(report, encoding="utf-8")
            outputs.write_json(scratch / "manifest.json", outputs.manifest(
                seed=args.seed, overrides=overrides, elapsed_seconds=round(time.perf_counter() - start, 1),
                scenarios={k: v.model_dump() for k, v in result.arms.items()}))
    except UserError as exc:
        print(f"virtual_trial.py: error: {exc}", file=sys.stderr)
        return 2
    print(report)
    print(f"written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import cli  # noqa: E402
from simulation.model import memory  # noqa: E402
from simulation.report import outputs, plots, style  # noqa: E402
from simulation.study import effects, trial, trial_report  # noqa: E402
from simulation.study.power import power_analysis  # noqa: E402
from simulation.errors import UserError  # noqa: E402
from simulation.scenario import Scenario, load_scenario  # noqa: E402

PROG = "virtual_trial.py"
ARMS = 2
"""Control and the scenario's interventions."""
MIN_DYADS = ARMS * trial.MIN_DYADS_PER_ARM
DEFAULT_OUT_PARENT = "results"
"""The default --out is results/trial_<scenario name>: one folder per trialled scenario."""
DEFAULT_REPS = 1000
DEFAULT_POWER_REPS = 400
MIN_POWER_REPS = 100
"""Each power figure is a share of this many simulated trials: at 100 its standard error is at most
0.05, the least that tells 50% from 80% power."""
MAX_POWER_REPS = 10_000
DEFAULT_PILOT_REPLICATIONS = 200
MIN_PILOT_REPLICATIONS = 40
"""The report gives the range holding 95% of the pilot replications: with fewer than 40, its ends
are just the smallest and largest replication."""
MAX_PILOT_REPLICATIONS = 10_000
"""Each replication draws new mothers: 10,000 replications simulate 230,000 per group."""
UNUSED_KEY = "simulation.n_dyads"
"""A trial's size is trial.n_dyads (--dyads); simulation.n_dyads would be silently replaced."""

DESCRIPTION = f"""\
Run a scenario as a randomised virtual trial: control vs the scenario's [[interventions]].

Every arm is simulated for the whole population with common random numbers, then each dyad is
randomised (within strata, as the scenario's [trial] table says) to one arm. Reports Cohen's d,
risk difference, odds ratio and Cohen's h with bootstrap 95% CIs, the power curve for the
scenario's power outcome and the dyads per arm for 80% power (from the normal approximation, and
where the simulated curve reaches 80%). For scenarios with bias_training it also replicates the
second seed's pilot design ({trial.PILOT_HIGH} high-risk trained, {trial.PILOT_LOW} low-risk untrained mothers).

Writes report.md, effects.csv, dyads.csv, power.csv, effects.png, power.png, manifest.json (and
pilot_replications.csv) to results/trial_<scenario name>/ unless --out is given. Every option is
checked before anything runs: bad input gives one message and exit code 2, and writes nothing.
"""

EPILOG = f"""\
examples:
  {PROG} video_feedback_trial
  {PROG} bias_training_trial --dyads 4000 --seed 2
  {PROG} video_feedback_trial --set 'interventions=[{{kind="video_feedback", start_day=120}}]'
"""


def build_parser() -> argparse.ArgumentParser:
    p = cli.UsageParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario with [[interventions]], by name (video_feedback_trial, bias_training_trial) "
                        "or a .toml path")
    p.add_argument("--dyads", type=cli.whole_number, default=None, metavar="N",
                   help=f"dyads randomised, both arms together, {MIN_DYADS} to {cli.MAX_DYADS:,} (default: the "
                        f"scenario's trial.n_dyads, e.g. 2,400 in video_feedback_trial); "
                        f"the same as --set trial.n_dyads=N")
    p.add_argument("--seed", type=cli.whole_number, default=cli.DEFAULT_SEED, metavar="S",
                   help=f"root seed, a whole number >= 0 (default {cli.DEFAULT_SEED})")
    p.add_argument("--reps", type=cli.whole_number, default=DEFAULT_REPS, metavar="B",
                   help=f"bootstrap replicates for each 95%% CI, {effects.MIN_BOOTSTRAP_REPS} to "
                        f"{effects.MAX_BOOTSTRAP_REPS:,} (default {DEFAULT_REPS:,}); at least "
                        f"{effects.MIN_BOOTSTRAP_REPS} so that 5 replicates lie beyond each end of the interval")
    p.add_argument("--power-reps", type=cli.whole_number, default=DEFAULT_POWER_REPS, metavar="R",
                   help=f"simulated trials per sample size for the power curve, {MIN_POWER_REPS} to "
                        f"{MAX_POWER_REPS:,} (default {DEFAULT_POWER_REPS}); at least {MIN_POWER_REPS} so that "
                        f"each power figure has a standard error of at most 0.05")
    p.add_argument("--pilot-replications", type=cli.whole_number, default=DEFAULT_PILOT_REPLICATIONS, metavar="K",
                   help=f"replications of the pilot design (scenarios with bias_training only), "
                        f"{MIN_PILOT_REPLICATIONS} to {MAX_PILOT_REPLICATIONS:,} "
                        f"(default {DEFAULT_PILOT_REPLICATIONS}); "
                        f"at least {MIN_PILOT_REPLICATIONS} so that the range of 95%% of them is not just the "
                        f"smallest and largest")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter of the scenario in every arm, e.g. caregiver.repair=0.5 or "
                        "trial.eligible=high_risk (repeatable; --set interventions=[...] replaces the treatment arm)")
    cli.add_output_arguments(p, None)
    return p


def check_inputs(args: argparse.Namespace) -> tuple[Scenario, dict]:
    """Every option and the scenario, before anything runs: (scenario, overrides)."""
    cli.check_count("--dyads", args.dyads, MIN_DYADS, cli.MAX_DYADS)
    cli.check_seed("--seed", args.seed)
    cli.check_count("--reps", args.reps, effects.MIN_BOOTSTRAP_REPS, effects.MAX_BOOTSTRAP_REPS)
    cli.check_count("--power-reps", args.power_reps, MIN_POWER_REPS, MAX_POWER_REPS)
    cli.check_count("--pilot-replications", args.pilot_replications, MIN_PILOT_REPLICATIONS, MAX_PILOT_REPLICATIONS)
    sets = cli.parse_sets(args.sets)
    if UNUSED_KEY in sets:
        raise UserError(f"--set {UNUSED_KEY} is not used by a trial, whose size is trial.n_dyads: "
                        f"give --dyads N (or --set trial.n_dyads=N) instead")
    overrides = cli.shortcut_overrides(sets, {"trial.n_dyads": ("--dyads", args.dyads)})
    sc = load_scenario(args.scenario, overrides)
    if not sc.interventions:
        raise UserError(f"scenario '{sc.name}' has no [[interventions]]: nothing to trial "
                        f"(try video_feedback_trial or bias_training_trial)")
    size_option = "--dyads" if args.dyads is not None else "trial.n_dyads"
    cli.check_count(size_option, sc.trial.n_dyads, MIN_DYADS, cli.MAX_DYADS)
    memory.check_fits(sc.trial.n_dyads, sc.simulation.episode_slots, key=size_option)
    effects.check_bootstrap_fits(sc.trial.n_dyads, args.reps)
    if has_pilot(sc):
        memory.check_fits(max(trial.PILOT_HIGH, trial.PILOT_LOW) * args.pilot_replications,
                          sc.simulation.episode_slots, key="--pilot-replications")
    return sc, overrides


def has_pilot(sc: Scenario) -> bool:
    """Bias training is the second seed's intervention: its trial also replicates that study's pilot."""
    return any(iv.kind == "bias_training" for iv in sc.interventions)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    return cli.guarded(PROG, lambda: _main(args, argv))


def _main(args: argparse.Namespace, argv: list[str]) -> int:
    sc, overrides = check_inputs(args)
    out = args.out or Path(DEFAULT_OUT_PARENT) / f"trial_{sc.name}"
    key = cli.command_key(PROG, argv)
    outputs.prepare_output_dir(out, command=key, overwrite=args.overwrite)

    start = time.perf_counter()
    print(f"{PROG}: running {sc.name}: control vs {', '.join(iv.kind for iv in sc.interventions)}, "
          f"{sc.trial.n_dyads:,} dyads ...", file=sys.stderr, flush=True)
    result = trial.scenario_trial(args.scenario, seed=args.seed, overrides=overrides, reps=args.reps)
    arm = next(a for a in result.potential if a != result.control)
    outcome = sc.trial.power_outcome
    power = power_analysis(result.potential, arm, result.control, outcome=outcome, reps=args.power_reps,
                           seed=args.seed, eligible=trial.ELIGIBLE_COLUMN[sc.trial.eligible])
    pilot = None
    if has_pilot(sc):
        print(f"{PROG}: replicating the pilot design {args.pilot_replications} times ...", file=sys.stderr, flush=True)
        pilot, _ = trial.pilot_study(args.scenario, replications=args.pilot_replications, seed=args.seed,
                                     overrides=overrides)
    age = sc.simulation.assessment_ages[0]
    figures = ["effects.png", "power.png"]
    with outputs.staged_output(out, command=key, overwrite=args.overwrite) as scratch:
        plots.effects_forest(result.effects, scratch / "effects.png", age_months=age)
        plots.power_curve(power, scratch / "power.png",
                          title=f"Power to detect the effect on {style.outcome_label(outcome, age)}")
        result.dyads.to_csv(scratch / "dyads.csv", index=False)
        result.effects.to_csv(scratch / "effects.csv", index=False)
        power.to_csv(scratch / "power.csv", index=False)
        if pilot is not None:
            pilot.to_csv(scratch / "pilot_replications.csv", index=False)
        report = trial_report.markdown_report(result, power, pilot, figures)
        (scratch / "report.md").write_text(report, encoding="utf-8")
        outputs.write_json(scratch / "manifest.json", outputs.manifest(
            command_key=key, seed=args.seed, overrides=overrides, reps=args.reps, power_reps=args.power_reps,
            pilot_replications=args.pilot_replications if pilot is not None else None,
            power={k: v if np.isfinite(v) else None for k, v in power.attrs.items() if k != "outcome"},
            elapsed_seconds=round(time.perf_counter() - start, 1),
            scenarios={k: v.model_dump() for k, v in result.arms.items()}))
    print(report)
    print(f"written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

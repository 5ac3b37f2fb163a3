#!/usr/bin/env python3
"""When to intervene: the same intervention started before birth, at 3 months and at 9 months.

Runs one virtual trial per start (each against the same control arm, common random numbers)
and prints the effect on security at the first assessment (Cohen's d with bootstrap 95% CI), on
observed sensitivity and on the share secure; writes timing.csv, timing.png and manifest.json.

Then it takes the difference between starts apart (``simulation.study.development``): every start
is also measured a fixed time (LAG_DAYS) after its sessions end, on the same dyads with and without
it. A difference that remains at the fixed lag is development (the infant learns more from the same
change in care before its working model has consolidated); the rest of the difference at the
fixed age is time to assessment. Written as timing_decomposition.csv.

    .venv/bin/python experiments/timing.py                       # video_feedback in community
    .venv/bin/python experiments/timing.py --kind home_visiting --dyads 4000
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import cli  # noqa: E402
from simulation.model import memory  # noqa: E402
from simulation.report import outputs, plots  # noqa: E402
from simulation.study import development, effects, trial  # noqa: E402
from simulation.errors import UserError, shown  # noqa: E402
from simulation.model.calendar import DAYS_PER_MONTH, month_day  # noqa: E402
from simulation.model.components.interventions import kind_names  # noqa: E402
from simulation.scenario import load_scenario  # noqa: E402

PROG = "timing.py"
STARTS = {"prenatal (day -60)": -60, "3 months": 91, "9 months": 274}
LAG_DAYS = 90
"""Every start is also measured this long after its sessions end (time to assessment taken out)."""
MIN_DYADS = (1 + len(STARTS)) * trial.MIN_DYADS_PER_ARM
DEFAULT_SCENARIO = "community"
DEFAULT_KIND = "video_feedback"
DEFAULT_DYADS = 4000
DEFAULT_REPS = 500
DEFAULT_OUT = "results/timing"
ARMS_KEY = "interventions"
"""Set by this script for every arm (control and the starts), so not a --set key."""
NOT_COMPUTABLE = "not computable"
"""Printed instead of NaN (an arm too small for a standard deviation)."""

DESCRIPTION = f"""\
When to intervene: the same intervention started before birth (day -60), at 3 months (day 91) and
at 9 months (day 274), each against the same control arm, with common random numbers.

Prints the effect at the first assessment age on security (Cohen's d with a bootstrap 95% CI), on
observed sensitivity (d) and on the share secure (risk difference); then how much of the
difference between starts is development and how much time to assessment (each start measured
{LAG_DAYS} days after its sessions end as well). Writes timing.csv, timing_decomposition.csv,
timing.png and manifest.json to --out. The scenario's own [[interventions]] are replaced by the
arms'. Every option is checked before anything runs: bad input gives one message and exit code
2, and writes nothing.
"""

EPILOG = f"""\
examples:
  {PROG}                                     video_feedback in community
  {PROG} --kind home_visiting --dyads 4000
  {PROG} --scenario village --set caregiver.repair=0.5
"""


def timing_table(scenario: Any, kind: str, n_dyads: int | None, seed: int, reps: int,
                 overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per start: the effects at the first assessment against the shared control arm."""
    arms = {"control": [], **{label: [{"kind": kind, "start_day": day}] for label, day in STARTS.items()}}
    result = trial.run_trial(scenario, arms, n_dyads=n_dyads, seed=seed, reps=reps, overrides=overrides)
    e = result.effects
    rows = []
    for label in STARTS:
        sec = e[(e.arm == label) & (e.outcome == "security") & (e.measure == "cohens_d")].iloc[0]
        sens = e[(e.arm == label) & (e.outcome == "observed_sensitivity") & (e.measure == "cohens_d")].iloc[0]
        rd = e[(e.arm == label) & (e.outcome == "secure") & (e.measure == "risk_difference")].iloc[0]
        rows.append({"start": label, "start_day": STARTS[label], "d_security": sec.estimate, "ci_low": sec.ci_low,
                     "ci_high": sec.ci_high, "d_sensitivity": sens.estimate, "secure_risk_difference": rd.estimate})
    return pd.DataFrame(rows)


def decomposition_table(scenario: Any, kind: str, n_dyads: int, seed: int, age_months: int,
                        overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """Each start's effect on expected security at the fixed age and LAG_DAYS after it ends, with
    the part of its difference from the earliest start due to development and to time to assessment."""
    table = development.timing_decomposition(scenario, kind, STARTS, age_months=age_months, lag_days=LAG_DAYS,
                                             n_dyads=n_dyads, seed=seed, overrides=overrides)
    at_age, first = f"d_at_{age_months}m", table.iloc[0]
    table["difference_from_earliest"] = table[at_age] - first[at_age]
    table["development_part"] = table["d_at_lag"] - first["d_at_lag"]
    table["time_to_assessment_part"] = table["difference_from_earliest"] - table["development_part"]
    return table


def explain(table: pd.DataFrame, age_months: int) -> list[str]:
    """The decomposition in words, one line per later start."""
    first = table.iloc[0]
    lines = [f"Why starts differ at {age_months} months (expected security, the same dyads with and without the "
             f"intervention; d at {age_months} months vs {LAG_DAYS} days after the sessions end):"]
    for _, r in table.iloc[1:].iterrows():
        lines.append(f"  {r['start']} vs {first['start']}: {r['difference_from_earliest']:+.3f} at {age_months} "
                     f"months = {r['development_part']:+.3f} development (at the same lag after the end) "
                     f"{r['time_to_assessment_part']:+.3f} time to assessment")
    return lines


def build_parser() -> argparse.ArgumentParser:
    p = cli.UsageParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", default=DEFAULT_SCENARIO, metavar="SCENARIO",
                   help=f"scenario name or .toml path (default {DEFAULT_SCENARIO}); it must simulate at least 60 "
                        f"days before birth and assess attachment after 9 months")
    p.add_argument("--kind", default=DEFAULT_KIND,
                   help=f"the intervention: one of {', '.join(kind_names())} (default {DEFAULT_KIND})")
    p.add_argument("--dyads", type=cli.whole_number, default=None, metavar="N",
                   help=f"dyads randomised over the {1 + len(STARTS)} arms, {MIN_DYADS} to {cli.MAX_DYADS:,} "
                        f"(default {DEFAULT_DYADS:,}); the same as --set simulation.n_dyads=N")
    p.add_argument("--seed", type=cli.whole_number, default=cli.DEFAULT_SEED, metavar="S",
                   help=f"root seed, a whole number >= 0 (default {cli.DEFAULT_SEED})")
    p.add_argument("--reps", type=cli.whole_number, default=DEFAULT_REPS, metavar="B",
                   help=f"bootstrap replicates for each 95%% CI, {effects.MIN_BOOTSTRAP_REPS} to "
                        f"{effects.MAX_BOOTSTRAP_REPS:,} (default {DEFAULT_REPS:,}); at least "
                        f"{effects.MIN_BOOTSTRAP_REPS} so that 5 replicates lie beyond each end of the interval")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help=f"override a parameter in every arm, e.g. caregiver.repair=0.5 (repeatable; not "
                        f"{ARMS_KEY}, which the arms set)")
    cli.add_output_arguments(p, DEFAULT_OUT)
    return p


def check_inputs(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """Every option and the scenario, before anything runs: (scenario, overrides)."""
    if args.kind not in kind_names():
        raise UserError(f"--kind {shown(args.kind)} is not an intervention; allowed: {', '.join(kind_names())}")
    cli.check_count("--dyads", args.dyads, MIN_DYADS, cli.MAX_DYADS)
    cli.check_seed("--seed", args.seed)
    cli.check_count("--reps", args.reps, effects.MIN_BOOTSTRAP_REPS, effects.MAX_BOOTSTRAP_REPS)
    sets = cli.parse_sets(args.sets)
    if ARMS_KEY in sets:
        raise UserError(f"--set {ARMS_KEY} is not allowed here: {PROG} gives every arm its own interventions "
                        f"(choose the intervention with --kind)")
    overrides = cli.shortcut_overrides(sets, {"simulation.n_dyads": ("--dyads", args.dyads)})
    overrides.setdefault("simulation.n_dyads", DEFAULT_DYADS)
    sc = load_scenario(args.scenario, overrides)
    size_option = "--dyads" if args.dyads is not None else "simulation.n_dyads"
    cli.check_count(size_option, sc.simulation.n_dyads, MIN_DYADS, cli.MAX_DYADS)
    earliest, latest = min(STARTS.values()), max(STARTS.values())
    if sc.simulation.prenatal_days < -earliest:
        raise UserError(f"scenario {shown(args.scenario)} starts {sc.simulation.prenatal_days} days before birth; "
                        f"a prenatal start needs simulation.prenatal_days >= {-earliest}")
    first = sc.simulation.assessment_ages[0]
    if month_day(first) <= latest:
        raise UserError(f"simulation.assessment_ages {shown(sc.simulation.assessment_ages)}: the first assessment "
                        f"({first} months) is not after the latest start (day {latest}); give a first assessment "
                        f"at {math.floor(latest / DAYS_PER_MONTH) + 1} months or later")
    memory.check_fits(sc.simulation.n_dyads, sc.simulation.episode_slots, key=size_option)
    effects.check_bootstrap_fits(sc.simulation.n_dyads, args.reps)
    return sc, overrides


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    return cli.guarded(PROG, lambda: _main(args, argv))


def _main(args: argparse.Namespace, argv: list[str]) -> int:
    sc, overrides = check_inputs(args)
    key = cli.command_key(PROG, argv)
    outputs.prepare_output_dir(args.out, command=key, overwrite=args.overwrite)

    start = time.perf_counter()
    print(f"{PROG}: running {args.kind} in {sc.name}: {1 + len(STARTS)} arms, {sc.simulation.n_dyads:,} dyads ...",
          file=sys.stderr, flush=True)
    table = timing_table(args.scenario, args.kind, None, args.seed, args.reps, overrides=overrides)
    age = sc.simulation.assessment_ages[0]
    print(f"{PROG}: taking the differences apart ({LAG_DAYS} days after each start's sessions end) ...",
          file=sys.stderr, flush=True)
    parts = decomposition_table(args.scenario, args.kind, sc.simulation.n_dyads, args.seed, age,
                                overrides={k: v for k, v in overrides.items() if k != "simulation.n_dyads"})
    with outputs.staged_output(args.out, command=key, overwrite=args.overwrite) as scratch:
        table.to_csv(scratch / "timing.csv", index=False)
        parts.to_csv(scratch / "timing_decomposition.csv", index=False)
        plots.timing(table, scratch / "timing.png", age_months=age)
        outputs.write_json(scratch / "manifest.json", outputs.manifest(
            command_key=key, seed=args.seed, scenario=args.scenario, kind=args.kind, overrides=overrides,
            n_dyads=sc.simulation.n_dyads, reps=args.reps, elapsed_seconds=round(time.perf_counter() - start, 1),
            scenarios=[sc.model_dump()]))
    print(f"{args.kind} in {sc.name}, {sc.simulation.n_dyads:,} dyads, seed {args.seed}: "
          f"effect at {age} months by start")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}" if np.isfinite(x) else NOT_COMPUTABLE))
    print()
    print("\n".join(explain(parts, age)))
    print(f"written to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

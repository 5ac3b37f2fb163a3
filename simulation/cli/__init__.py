"""Command line: run_sim.py [SCENARIO ...] [options], run_sim.py app, run_sim.py new-scenario NAME.

With no scenario it compares the five caregiving profiles on the built-in defaults. Several
scenarios are run with the same seed (common random numbers), printed as a table with 95%
confidence intervals (one block per assessment age), and written to ``--out``: ``dyads.csv``,
``daily.csv``, ``summary.csv``, ``manifest.json`` and two PNG figures. Bad input: one message,
exit code 2, nothing written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from simulation import __version__
from simulation.report import outputs, plots
from simulation.model import streams
from simulation.study.analysis import format_second_caregivers, format_summary
from simulation.errors import EXIT_USAGE, UserError, shown, whole_number
from simulation.study.cohort import BLOCK_DYADS, DEFAULT_BY, MAX_COHORT_DYADS
from simulation.study.runner import compare
from simulation.scenario import available_scenarios, load_scenario, parse_value

PROG = "run_sim.py"
DEFAULT_SCENARIOS = ("perfect", "good_enough", "inconsistent", "rejecting", "frightening")
DEFAULT_DYADS = 2000
"""Dyads per scenario when no scenario is named (a named scenario brings its own n_dyads)."""
DEFAULT_SEED = streams.DEFAULT_SEED
DEFAULT_OUT = "results/run_sim"
"""Each command has its own folder under results/, so that replacing one never removes another's."""
MAX_DYADS = 1_000_000
MAX_MONTHS = 36
MAX_PORT = 65535


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit code 2 (used by every script)."""

    def error(self, message: str) -> None:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
OUTPUT_OPTIONS = ("--out", "--overwrite")
"""Options that say where results go, not what they are (left out of a command's identity)."""


INTERRUPTED = "interrupted; nothing was written"


def guarded(prog: str, body: Callable[[], int], interrupted: str = INTERRUPTED) -> int:
    """Run a command's body the way every command of the project ends.

    A :class:`UserError` prints one message and gives exit code 2; Ctrl-C or SIGTERM prints
    ``interrupted`` (by default that nothing was written: staging folders are removed on the way
    out; a sweep says where its finished parts are) and gives 130 or 143.
    """
    with outputs.terminate_as_interrupt():
        try:
            return body()
        except UserError as exc:
            print(f"{prog}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt as exc:
            print(f"{prog}: {interrupted}", file=sys.stderr)
            return EXIT_TERMINATED if isinstance(exc, outputs.Terminated) else EXIT_INTERRUPTED


def command_key(prog: str, argv: Sequence[str]) -> list[str]:
    """What identifies a command for its output folder: its arguments without ``OUTPUT_OPTIONS``.

    Two runs with the same key write the same kind of result, so the second may replace the first.
    """
    key, skip = [prog], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in OUTPUT_OPTIONS:
            skip = "=" not in arg and name == "--out"
            continue
        key.append(arg)
    return key


def add_output_arguments(p: argparse.ArgumentParser, default: str | None, what: str = "output folder") -> None:
    """``--out DIR`` and ``--overwrite``, the same in every command."""
    shown_default = f"default {default}" if default else "see above"
    p.add_argument("--out", type=Path, default=Path(default) if default else None, metavar="DIR",
                   help=f"{what} ({shown_default}); a folder written by the same command is replaced as a whole")
    p.add_argument("--overwrite", action="store_true",
                   help="replace an --out folder written by a different command")


DESCRIPTION = """\
Simulate caregiver-infant dyads day by day and classify the infants' attachment (A/B/C/D) in a
simulated Strange Situation. With no SCENARIO, compares the five caregiving profiles
(perfect, good_enough, inconsistent, rejecting, frightening), 2,000 dyads each. Several
scenarios are run on the same random numbers. Prints a table with 95% confidence intervals and
writes dyads.csv, daily.csv, summary.csv, manifest.json and two figures to --out.

other commands:
  run_sim.py app [--host H] [--port P]     serve the teaching app in a browser (needs the app extra)
  run_sim.py new-scenario NAME             write NAME.toml, a scenario file to edit (every key listed)
"""

EPILOG = """\
examples:
  run_sim.py                                   compare the five caregiving profiles
  run_sim.py good_enough inconsistent --dyads 5000 --seed 7
  run_sim.py good_enough --set caregiver.repair=0.3 --out results/low_repair
  run_sim.py new-scenario my_scenario          then edit my_scenario.toml
  run_sim.py my_scenario.toml --months 18 --set simulation.assessment_ages=[12,18]
  run_sim.py --list                            the built-in scenarios
  run_sim.py first_1001_days --dyads 1000000 --workers 2 --out results/cohort_1m
                                               a birth cohort in blocks on 2 processes (docs/cohorts.md)

--set takes dotted keys of the scenario schema (sections simulation, caregiver, infant, history,
risk, depression, support, assessment, interventions, trial); a plain number for a per-dyad trait
moves its mean, e.g. caregiver.repair=0.5, caregiver.repair.sd=0. --dyads and --months are
shortcuts for simulation.n_dyads and simulation.months: give each setting one way only.
"""


def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="built-in scenario names (see --list) or paths to .toml files")
    p.add_argument("--dyads", type=whole_number, default=None, metavar="N",
                   help=f"dyads per scenario, 1 to {MAX_DYADS:,} (default: each scenario's own n_dyads; "
                        f"{DEFAULT_DYADS:,} when no scenario is named); a cohort run takes up to "
                        f"{MAX_COHORT_DYADS:,}")
    p.add_argument("--seed", type=whole_number, default=DEFAULT_SEED, metavar="S",
                   help=f"root seed, a whole number >= 0 (default {DEFAULT_SEED}); same scenario + seed = same results")
    p.add_argument("--months", type=whole_number, default=None, metavar="M",
                   help=f"months of infant life to simulate, 1 to {MAX_MONTHS} (default: the scenario's own, 12)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter in every scenario, e.g. caregiver.repair=0.5 (repeatable)")
    add_output_arguments(p, DEFAULT_OUT)
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    c = p.add_argument_group(
        "cohort runs (one scenario, any number of dyads, in blocks; docs/cohorts.md)",
        "--cohort, --workers or --dask runs the scenario as a birth cohort: blocks of dyads on a local\n"
        "pool or a Dask cluster, the same numbers as one big run, memory bounded by workers x block;\n"
        "--out keeps finished blocks and a rerun resumes. Writes summary.csv, subgroups.csv, daily.csv,\n"
        "aggregates.json, manifest.json (and dyads/ with --per-dyad).")
    c.add_argument("--cohort", action="store_true",
                   help="run as a cohort on all cores (implied by --workers or --dask)")
    c.add_argument("--workers", type=whole_number, default=None, metavar="N",
                   help="processes of the local pool, or of --dask local (default: all cores)")
    c.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run the blocks on Dask: 'local' starts a LocalCluster, tcp://host:8786 joins a scheduler")
    c.add_argument("--block-dyads", type=whole_number, default=None, metavar="B",
                   help=f"dyads per block (default {BLOCK_DYADS:,}); results do not depend on it")
    c.add_argument("--by", default=None, metavar="COL,COL",
                   help=f"per-dyad columns to summarise by value (default {','.join(DEFAULT_BY)}, and caregivers "
                        f"with two caregivers)")
    c.add_argument("--per-dyad", action="store_true",
                   help="also write every dyad's row to --out/dyads/ (a Parquet dataset, one file a block)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--list", action="store_true", help="list the built-in scenarios and exit")
    p.add_argument("--version", action="version", version=f"securebase {__version__}")
    return p


def parse_sets(items: Sequence[str], option: str = "--set") -> dict[str, Any]:
    """``KEY=VALUE`` items into overrides; a key given twice is an error (which one would win?)."""
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UserError(f"{option} expects KEY=VALUE (e.g. caregiver.repair=0.5), got {shown(item)}")
        if key in overrides:
            raise UserError(f"{option} {key} is given twice; give each key once")
        overrides[key] = parse_value(value.strip(), key=key)
    return overrides


def check_count(option: str, value: int | None, low: int, high: int) -> None:
    """An integer option within [low, high], or one UserError naming it."""
    if value is not None and not low <= value <= high:
        raise UserError(f"{option} {value:,} is not allowed: give a whole number from {low:,} to {high:,}")


def check_seed(option: str, seed: int) -> None:
    try:
        streams.root_sequence(seed)
    except UserError:
        raise UserError(f"{option} {shown(seed)} is not allowed: give a whole number from 0 to 2**128 - 1") from None


def shortcut_overrides(overrides: dict[str, Any], shortcuts: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """Add ``--dyads``-like shortcuts to the overrides; the same setting given both ways is an error."""
    merged = dict(overrides)
    for key, (option, value) in shortcuts.items():
        if value is None:
            continue
        if key in merged:
            raise UserError(f"{option} {value} and --set {key}={shown(merged[key])} set the same parameter; "
                            f"give it one way only")
        merged[key] = value
    return merged


def list_scenarios() -> str:
    lines = []
    names = available_scenarios()
    width = max((len(n) for n in names), default=0) + 2
    for name in names:
        sc = load_scenario(name)
        lines.append(f"{name:<{width}}{sc.title}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["app"]:
        return app_main(argv[1:])
    if argv[:1] == ["new-scenario"]:
        return new_scenario_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.cohort or args.workers is not None or args.dask is not None:
        return guarded(PROG, lambda: _main(args, argv),
                       interrupted=f"interrupted; finished blocks are kept in {args.out}/blocks: rerun the same "
                                   f"command to resume")
    return guarded(PROG, lambda: _main(args, argv))


def app_main(argv: Sequence[str]) -> int:
    """run_sim.py app [--host H] [--port P]: the teaching app (docs/app.md)."""
    p = UsageParser(prog=f"{PROG} app", description="Serve the teaching app (Solara) in the browser.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=whole_number, default=8765, help=f"port, 1 to {MAX_PORT} (default 8765)")
    args = p.parse_args(argv)

    def body() -> int:
        check_count("--port", args.port, 1, MAX_PORT)
        if not args.host.strip() or any(c.isspace() for c in args.host):
            raise UserError(f"--host {shown(args.host)} is not allowed: give an address such as 127.0.0.1")
        try:
            from simulation.app import serve
        except ImportError as exc:
            raise UserError(f"the app needs the 'app' extra ({exc}); install it with "
                            f".venv/bin/pip install -c constraints.txt -e '.[app]'") from None
        return serve(host=args.host, port=args.port)

    return guarded(f"{PROG} app", body)


def new_scenario_main(argv: Sequence[str]) -> int:
    """run_sim.py new-scenario NAME [--from SCENARIO] [--out DIR]: a scenario file to edit."""
    from simulation.cli.template import scenario_template

    p = UsageParser(prog=f"{PROG} new-scenario",
                    description="Write NAME.toml: a scenario that starts from a built-in one (extends) and lists "
                                "every key, commented out, with its default, range and meaning. Edit it, then "
                                f"run it with: {PROG} NAME.toml")
    p.add_argument("name", help="the scenario's name (letters, digits, _ and -)")
    p.add_argument("--from", dest="base", default="good_enough", metavar="SCENARIO",
                   help="the built-in scenario it starts from (default good_enough)")
    p.add_argument("--dir", type=Path, default=Path("."), help="folder to write it in (default: here)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing file of that name")
    args = p.parse_args(argv)

    def body() -> int:
        text = scenario_template(args.name, args.base)
        path = args.dir / f"{args.name}.toml"
        if path.exists() and not args.overwrite:
            raise UserError(f"'{path}' exists already; choose another name or add --overwrite")
        if not args.dir.is_dir():
            raise UserError(f"--dir '{args.dir}' is not a folder")
        tmp = path.with_name(f".{path.name}.partial")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise UserError(f"cannot write '{path}': {exc.strerror or exc}") from None
        print(f"wrote {path}: edit it, then run: {PROG} {path}")
        return 0

    return guarded(f"{PROG} new-scenario", body)


def _main(args: argparse.Namespace, argv: Sequence[str]) -> int:
    if args.list:
        print(list_scenarios())
        return 0
    if args.cohort or args.workers is not None or args.dask is not None:
        return _cohort_main(args, argv)
    cohort_only = (("--block-dyads", args.block_dyads), ("--by", args.by), ("--per-dyad", args.per_dyad or None))
    only = [o for o, v in cohort_only if v is not None]
    if only:
        raise UserError(f"{only[0]} is an option of cohort runs: add --cohort (or --workers N, --dask ADDRESS)")
    if args.dyads is not None and args.dyads > MAX_DYADS:
        raise UserError(f"--dyads {args.dyads:,} is not allowed in one process: give 1 to {MAX_DYADS:,}, or run it "
                        f"as a cohort in blocks with --cohort (up to {MAX_COHORT_DYADS:,} dyads)")
    check_count("--dyads", args.dyads, 1, MAX_DYADS)
    check_count("--months", args.months, 1, MAX_MONTHS)
    check_seed("--seed", args.seed)
    overrides = shortcut_overrides(parse_sets(args.sets), {"simulation.n_dyads": ("--dyads", args.dyads),
                                                           "simulation.months": ("--months", args.months)})
    if not args.scenarios:  # the built-in comparison: 2,000 dyads unless said otherwise
        overrides.setdefault("simulation.n_dyads", DEFAULT_DYADS)
    names = args.scenarios or list(DEFAULT_SCENARIOS)
    loaded = [load_scenario(name, overrides) for name in names]  # validate everything before running anything
    key = command_key(PROG, argv)
    outputs.prepare_output_dir(args.out, command=key, overwrite=args.overwrite)

    months = loaded[0].simulation.months
    print(f"{PROG}: running {len(loaded)} scenario(s) x {loaded[0].simulation.n_dyads:,} dyads, {months} months ...",
          file=sys.stderr, flush=True)
    start = time.perf_counter()
    result = compare(loaded, seed=args.seed)
    elapsed = time.perf_counter() - start
    summary = result.summary()
    ages = result.scenarios[0].simulation.assessment_ages

    replacing = args.out.is_dir() and any(args.out.iterdir())
    with outputs.staged_output(args.out, command=key, overwrite=args.overwrite) as scratch:
        result.dyads.to_csv(scratch / "dyads.csv", index=False)
        result.daily.to_csv(scratch / "daily.csv", index=False)
        summary.to_csv(scratch / "summary.csv", index=False)
        outputs.write_json(scratch / "manifest.json", outputs.manifest(
            command_key=key, seed=args.seed, overrides=overrides, elapsed_seconds=round(elapsed, 2),
            scenarios=[sc.model_dump() for sc in result.scenarios]))
        if not args.no_figures:
            for i, age in enumerate(ages):  # the first age, then one figure per later assessment
                suffix = "" if i == 0 else f"_{age}m"
                plots.attachment_distribution(summary, scratch / f"attachment_by_scenario{suffix}.png", age_months=age)
            plots.trajectories(result.daily, scratch / "security_crying_over_age.png")
        written = sorted(p.name for p in scratch.iterdir())

    n = summary["n"].iloc[0]
    print(f"SecureBase {__version__}: {len(names)} scenario(s) x {n} dyads, seed {args.seed}, "
          f"{result.scenarios[0].simulation.months} months ({elapsed:.1f} s, common random numbers)")
    print(format_summary(summary))
    second = format_second_caregivers(summary)
    if second:
        print(f"\n{second}")
    print(f"\nwritten to {args.out}/{' (replacing the earlier results there)' if replacing else ''}: "
          f"{', '.join(written)}")
    return 0


def _cohort_main(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """One scenario as a birth cohort in blocks (``simulation.study.cohort``)."""
    from simulation.study import cohort

    if len(args.scenarios) != 1:
        raise UserError(f"a cohort run takes one scenario, got {len(args.scenarios)}: e.g. "
                        f"{PROG} first_1001_days --dyads 1000000 --workers 2")
    if args.workers is not None and args.dask is not None and args.dask != "local":
        raise UserError("--workers sets the local pool's (or --dask local's) processes; a Dask scheduler at "
                        f"{args.dask} has its own workers: give one of them")
    check_count("--dyads", args.dyads, 1, MAX_COHORT_DYADS)
    check_count("--months", args.months, 1, MAX_MONTHS)
    check_count("--workers", args.workers, 1, 4096)
    check_count("--block-dyads", args.block_dyads, 1, MAX_DYADS)
    check_seed("--seed", args.seed)
    overrides = shortcut_overrides(parse_sets(args.sets), {"simulation.months": ("--months", args.months)})
    if "simulation.n_dyads" in overrides:
        raise UserError("--set simulation.n_dyads: in a cohort run give the number of dyads with --dyads")
    name = args.scenarios[0]
    n_dyads = args.dyads if args.dyads is not None else load_scenario(name, overrides).simulation.n_dyads
    by = None if args.by is None else [c.strip() for c in args.by.split(",") if c.strip()]
    executor = "process" if args.dask is None else ("dask" if args.dask == "local" else args.dask)
    key = cohort_key(argv)

    def said(est, reused: int) -> None:
        done = f"; {reused} block(s) already done in {args.out}, resuming" if reused else ""
        print(f"{PROG}: cohort {name}: {est}{done}", file=sys.stderr, flush=True)

    try:
        result = cohort.run_cohort(name, n_dyads=n_dyads, seed=args.seed, overrides=overrides,
                                   block_dyads=args.block_dyads or BLOCK_DYADS, by=by, per_dyad=args.per_dyad,
                                   out=args.out, executor=executor, workers=args.workers,
                                   progress=False if args.no_progress else None, command_key=key,
                                   overwrite=args.overwrite, on_estimate=said)
    except RuntimeError as exc:  # a block failed (a bug, or a worker lost): the finished blocks are kept
        print(f"{PROG}: {exc}\nfinished blocks are kept in {args.out}/blocks: rerun the same command to resume",
              file=sys.stderr)
        return 1
    summary = result.summary()
    if not args.no_figures:
        with outputs.staged_output(args.out, command=key, replace=False) as scratch:
            for i, age in enumerate(result.plan.scenario.simulation.assessment_ages):
                suffix = "" if i == 0 else f"_{age}m"
                plots.attachment_distribution(summary, scratch / f"attachment{suffix}.png", age_months=age)
            plots.trajectories(result.daily, scratch / "security_crying_over_age.png")
    sc = result.plan.scenario
    print(f"SecureBase {__version__}: cohort {sc.name}, {result.n:,} dyads in {len(result.plan.blocks):,} block(s) of "
          f"{result.plan.block_dyads:,}, seed {args.seed}, {sc.simulation.prenatal_days} days before birth + "
          f"{sc.simulation.months} months ({result.elapsed:.1f} s; {result.computed} block(s) run, "
          f"{result.reused} reused; {result.executor.get('kind')} with {result.executor.get('workers', 1)} worker(s))")
    print(format_summary(summary))
    second = format_second_caregivers(summary)
    if second:
        print(f"\n{second}")
    for col in result.plan.by:
        print(f"\n{format_subgroups(result.subgroups(col), col)}")
    files = sorted(p.name + ("/" if p.is_dir() else "") for p in args.out.iterdir() if not p.name.startswith("."))
    print(f"\nwritten to {args.out}/: {', '.join(files)}")
    return 0


HOW_OPTIONS = ("--cohort", "--workers", "--dask", "--no-progress")
"""Options of a cohort run that say how it runs, not what it computes (the numbers do not depend on
them): left out of its identity, so that a run resumes on another number of workers, or with a Dask
scheduler restarted at a new address."""


def cohort_key(argv: Sequence[str]) -> list[str]:
    """A cohort command's identity: :func:`command_key` without ``HOW_OPTIONS``."""
    kept, skip = [], False
    for arg in command_key(PROG, argv)[1:]:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in HOW_OPTIONS:
            skip = "=" not in arg and name in ("--workers", "--dask")
            continue
        kept.append(arg)
    return [PROG, "--cohort", *kept]


def format_subgroups(table, column: str, most: int = 12) -> str:
    """% secure and % disorganised (95% CIs) at the first assessment for each value of ``column``."""
    if not len(table):
        return f"by {column}: no dyads"
    first = table["age_months"].iloc[0] if "age_months" in table else None
    rows = table if first is None else table[table["age_months"] == first]
    head = f"by {column}" + (f" (at {int(first)} months)" if first is not None else "")
    lines = [head, f"{'value':>12}{'n':>11}  {'B % [95% CI]':<20}{'D % [95% CI]':<20}{'security':>9}"]
    for _, r in rows.head(most).iterrows():
        cells = [f"{100 * r[c]:4.1f} [{100 * r[c + '_lo']:.1f}-{100 * r[c + '_hi']:.1f}]".ljust(20) for c in ("B", "D")]
        lines.append(f"{str(r[column]):>12}{int(r['n']):>11,}  {''.join(cells)}{r['security']:9.2f}")
    if len(rows) > most:
        lines.append(f"... {len(rows) - most} more values in subgroups.csv")
    return "\n".join(lines)

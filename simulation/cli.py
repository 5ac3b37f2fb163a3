"""Command line: ``run_sim.py [SCENARIO ...] [options]``.

With no scenario it compares the five caregiving profiles on the built-in defaults. Several
scenarios are run with the same seed (common random numbers), printed as a table with 95%
confidence intervals, and written to ``--out``: ``dyads.csv``, ``daily.csv``, ``summary.csv``,
``manifest.json`` and two PNG figures. Bad input: one message, exit code 2, nothing written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from . import __version__, outputs, plots
from .analysis import format_summary
from .errors import UserError
from .runner import compare
from .scenario import available_scenarios, load_scenario, parse_value

DEFAULT_SCENARIOS = ("perfect", "good_enough", "inconsistent", "rejecting", "frightening")
DEFAULT_DYADS = 2000
DEFAULT_SEED = 1
EXIT_USAGE = 2


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit code 2 (used by every script)."""

    def error(self, message: str) -> None:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="run_sim.py", description=__doc__.split("\n\n")[0].split(": ", 1)[-1],
                formatter_class=argparse.RawDescriptionHelpFormatter,
                epilog="examples:\n"
                       "  run_sim.py                                  # compare the five profiles\n"
                       "  run_sim.py good_enough inconsistent --dyads 5000 --seed 7\n"
                       "  run_sim.py good_enough --set caregiver.repair=0.3 --out results/low_repair\n"
                       "  run_sim.py scenarios/my_scenario.toml --months 18 --set simulation.assessment_ages=[12,18]\n"
                       "  run_sim.py --list                           # built-in scenarios")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help=f"scenario names or .toml paths (default: {' '.join(DEFAULT_SCENARIOS)})")
    p.add_argument("--dyads", type=int, default=None, metavar="N", help=f"dyads per scenario (default {DEFAULT_DYADS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"root seed (default {DEFAULT_SEED})")
    p.add_argument("--months", type=int, default=None, metavar="M", help="months of infant life to simulate")
    p.add_argument("--out", type=Path, default=Path("results"), metavar="DIR", help="output folder (default results/)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter in every scenario, e.g. caregiver.repair=0.5 (repeatable)")
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    p.add_argument("--list", action="store_true", help="list the built-in scenarios and exit")
    p.add_argument("--version", action="version", version=f"securebase {__version__}")
    return p


def parse_sets(items: Sequence[str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set expects KEY=VALUE (e.g. caregiver.repair=0.5), got '{item}'")
        overrides[key.strip()] = parse_value(value.strip())
    return overrides


def list_scenarios() -> str:
    lines = []
    for name in available_scenarios():
        sc = load_scenario(name)
        lines.append(f"{name:<24}{sc.title}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["app"]:  # run_sim.py app [--host H] [--port P]: the teaching app (docs/app.md)
        app_parser = UsageParser(prog="run_sim.py app", description="Serve the teaching app (Solara) in the browser.")
        app_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        app_parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
        app_args = app_parser.parse_args(argv[1:])
        try:
            from .app import serve
        except ImportError as exc:
            print(f"run_sim.py: error: the app needs the 'app' extra ({exc}); install it with "
                  "pip install -e '.[app]'", file=sys.stderr)
            return EXIT_USAGE
        return serve(host=app_args.host, port=app_args.port)
    args = build_parser().parse_args(argv)
    try:
        return _main(args)
    except UserError as exc:
        print(f"run_sim.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("run_sim.py: interrupted; nothing was written", file=sys.stderr)
        return 130


def _main(args: argparse.Namespace) -> int:
    if args.list:
        print(list_scenarios())
        return 0
    if args.dyads is not None and args.dyads < 1:
        raise UserError(f"--dyads must be a positive whole number, got {args.dyads}")
    overrides = parse_sets(args.sets)
    if args.dyads is not None or not args.scenarios:
        overrides.setdefault("simulation.n_dyads", args.dyads or DEFAULT_DYADS)
    if args.months is not None:
        overrides["simulation.months"] = args.months
    names = args.scenarios or list(DEFAULT_SCENARIOS)
    for name in names:  # validate everything before running anything
        load_scenario(name, overrides)
    outputs.check_output_dir(args.out)

    start = time.perf_counter()
    result = compare(names, seed=args.seed, overrides=overrides)
    elapsed = time.perf_counter() - start
    summary = result.summary()

    with outputs.staged_output(args.out) as scratch:
        result.dyads.to_csv(scratch / "dyads.csv", index=False)
        result.daily.to_csv(scratch / "daily.csv", index=False)
        summary.to_csv(scratch / "summary.csv", index=False)
        outputs.write_json(scratch / "manifest.json", outputs.manifest(
            seed=args.seed, overrides=overrides, elapsed_seconds=round(elapsed, 2),
            scenarios=[sc.model_dump() for sc in result.scenarios]))
        if not args.no_figures:
            plots.attachment_distribution(summary, scratch / "attachment_by_scenario.png")
            plots.trajectories(result.daily, scratch / "security_crying_over_age.png")
        written = sorted(p.name for p in scratch.iterdir())

    n = summary["n"].iloc[0]
    print(f"SecureBase {__version__}: {len(names)} scenario(s) x {n} dyads, seed {args.seed}, "
          f"{result.scenarios[0].simulation.months} months ({elapsed:.1f} s, common random numbers)")
    print(f"Attachment at {result.scenarios[0].simulation.assessment_ages[0]} months (Strange Situation):")
    print(format_summary(summary))
    print(f"\nwritten to {args.out}/: {', '.join(written)}")
    return 0

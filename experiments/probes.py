#!/usr/bin/env python3
"""The questions users ask of the model (issue 16), asked as a user would, with their answers.

Prints five small tables (simulation.study.probes): how fast an answer to distress must come;
what a negative reading of infant faces does with depression switched off; whether video-feedback
raises disorganisation; how strongly temperament goes with attachment (beside Groh et al. 2017);
whether worse care lowers later crying. Writes probes.md, one CSV per probe and manifest.json.

    .venv/bin/python experiments/probes.py                 # 2,000 dyads (5,000 for temperament)
    .venv/bin/python experiments/probes.py --seed 2 --out results/probes_seed2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import cli  # noqa: E402
from simulation.model import memory  # noqa: E402
from simulation.report import outputs  # noqa: E402
from simulation.study import probes  # noqa: E402

PROG = "probes.py"
DEFAULT_DYADS = 2000
TEMPERAMENT_FACTOR = 2.5
"""The temperament probe uses this many times the dyads: its groups (C, A) are small."""
MIN_DYADS = 200
"""Fewest dyads: the resistant group is about 8% of a community sample, and a d needs a few dozen."""
DEFAULT_OUT = "results/probes"
REPS = 500
"""Bootstrap replicates of the video-feedback trial's CIs."""

DESCRIPTION = f"""\
The questions users ask of the model (issue 16), with their answers and 95% CIs: answers to
distress after 1.2 s, 10 s and 3 minutes; a negative face-reading bias with depression off;
video-feedback and disorganisation; temperament and attachment beside Groh et al. 2017; crying
and care. Writes probes.md, a CSV per probe and manifest.json to --out. Bad input gives one
message and exit code 2, and writes nothing.
"""

EPILOG = f"""\
examples:
  {PROG}
  {PROG} --dyads 4000 --seed 2 --out results/probes_seed2
"""


def build_parser() -> argparse.ArgumentParser:
    p = cli.UsageParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dyads", type=cli.whole_number, default=DEFAULT_DYADS, metavar="N",
                   help=f"dyads per run, {MIN_DYADS} to {cli.MAX_DYADS:,} (default {DEFAULT_DYADS:,}; the "
                        f"temperament probe uses {TEMPERAMENT_FACTOR:g} times as many, the video-feedback trial "
                        f"its scenario's size)")
    p.add_argument("--seed", type=cli.whole_number, default=cli.DEFAULT_SEED, metavar="S",
                   help=f"root seed, a whole number >= 0 (default {cli.DEFAULT_SEED})")
    cli.add_output_arguments(p, DEFAULT_OUT)
    return p


def run_probes(n_dyads: int, seed: int) -> dict[str, pd.DataFrame]:
    vf = probes.video_feedback_disorganisation(seed=seed, reps=REPS)
    return {
        "distress_latency": probes.distress_latency(n_dyads=n_dyads, seed=seed),
        "negative_bias": probes.negative_bias(n_dyads=n_dyads, seed=seed),
        "video_feedback_D": pd.DataFrame([dict(estimate="as the trial estimates it", points=m, ci_low=lo, ci_high=hi)
                                          for m, lo, hi in [vf["trial"]]]
                                         + [dict(estimate="the same families with and without", points=m,
                                                 ci_low=lo, ci_high=hi) for m, lo, hi in [vf["same_families"]]]),
        "temperament": probes.temperament(n_dyads=int(TEMPERAMENT_FACTOR * n_dyads), seed=seed),
        "crying_and_care": probes.crying_and_care(n_dyads=n_dyads, seed=seed),
        "crying_by_class": probes.crying_by_class(n_dyads=int(TEMPERAMENT_FACTOR * n_dyads), seed=seed),
    }


TITLES = {
    "distress_latency": "1. Answers to distress: median latency and the share secure (good_enough)",
    "negative_bias": "2. Negative face-reading bias, depression off (community): Cohen's d against no bias",
    "video_feedback_D": "3. Video-feedback and disorganisation: the effect on D, percentage points",
    "temperament": "4. Temperament (negative emotionality) by attachment group: Cohen's d beside Groh et al. 2017",
    "crying_and_care": "5. Crying in months 9-12 (minutes a day) by responsiveness (good_enough)",
    "crying_by_class": "5b. Crying in months 9-12 by attachment class (community)",
}


def markdown_table(table: pd.DataFrame) -> str:
    """A DataFrame as a markdown table (numbers to 3 decimals)."""
    def cell(v) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)
    head = "| " + " | ".join(table.columns) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    return "\n".join([head, rule] + ["| " + " | ".join(cell(v) for v in row) + " |"
                                     for row in table.itertuples(index=False)])


def to_markdown(tables: dict[str, pd.DataFrame], n_dyads: int, seed: int) -> str:
    lines = [f"# SecureBase probes ({n_dyads:,} dyads, seed {seed})", "",
             "The questions of issue 16, asked as a user would (`simulation/study/probes.py`); "
             "`tests/population/test_probes.py` holds each answer to its direction and size.", ""]
    for name, table in tables.items():
        lines += [f"## {TITLES[name]}", "", markdown_table(table), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    return cli.guarded(PROG, lambda: _main(args, argv))


def _main(args: argparse.Namespace, argv: list[str]) -> int:
    cli.check_count("--dyads", args.dyads, MIN_DYADS, cli.MAX_DYADS)
    cli.check_seed("--seed", args.seed)
    memory.check_fits(int(TEMPERAMENT_FACTOR * args.dyads), key="--dyads")
    key = cli.command_key(PROG, argv)
    outputs.prepare_output_dir(args.out, command=key, overwrite=args.overwrite)
    start = time.perf_counter()
    print(f"{PROG}: asking the questions of issue 16, {args.dyads:,} dyads, seed {args.seed} ...",
          file=sys.stderr, flush=True)
    tables = run_probes(args.dyads, args.seed)
    text = to_markdown(tables, args.dyads, args.seed)
    with outputs.staged_output(args.out, command=key, overwrite=args.overwrite) as scratch:
        for name, table in tables.items():
            table.to_csv(scratch / f"{name}.csv", index=False)
        (scratch / "probes.md").write_text(text, encoding="utf-8")
        outputs.write_json(scratch / "manifest.json", outputs.manifest(
            command_key=key, seed=args.seed, n_dyads=args.dyads, elapsed_seconds=round(time.perf_counter() - start, 1)))
    print(text)
    print(f"written to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""How fast the app runs a year when several sessions play at once (issue 17: a class of 30).

    .venv/bin/python benchmarks/bench_app_sessions.py [--sessions 1 4] [--dyads 100] [--days 365] [--preset NAME]

A session is what the page does while ▶ plays: the page's model (``simulation.app.AppModel``,
good_enough, with its comparison twin) run a frame at a time (``dashboard.PLAY_DAYS`` days) and,
after every frame, the page drawn as the server draws it: the four figures to PNG at the page's
resolution, the comparison's verdict and the one-dyad panel's words (its explanation and its
Strange Situation). Not counted: the pause between frames (the server is idle then) and the
browser's own work. Sessions at once run as threads of one process (what one ``run_sim.py app``
server does: they share one interpreter lock) and as separate processes (each student running
the app on their own computer, or a server per few students). Prints seconds per session (mean
and slowest). The issue's target: with 4 sessions stepping at once, each runs a year of 100
dyads in under 30 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def one_session(dyads: int, days: int, seed: int, preset: str = "good_enough") -> float:
    """Seconds for one session's year as ▶ plays it: PLAY_DAYS days a frame, the page drawn after each."""
    import io

    import matplotlib
    matplotlib.use("Agg")

    from simulation.app import AppModel, attachment_figure, comparison_figure, live_figure, network_figure
    from simulation.app.dashboard import PLAY_DAYS
    from simulation.app.figures import APP_PNG_DPI, comparison_verdict
    from simulation.measures.strange_situation import trace_one
    from simulation.report import explain

    start = time.perf_counter()
    model = AppModel(preset, n_dyads=dyads, seed=str(seed))
    while model.running and model.day < days:
        for _ in range(PLAY_DAYS):
            if model.running:
                model.step()
        for draw in (network_figure, live_figure, attachment_figure, comparison_figure):
            draw(model).savefig(io.BytesIO(), format="png", dpi=APP_PNG_DPI)
        comparison_verdict(model)
        info = explain.explain(model, 0, days=7)
        explain.strange_situation_words(trace_one(model, 0), info["attachment"])
        if info["second"] is not None:  # a household: the panel also reads the second relationship
            explain.strange_situation_words(trace_one(model.households, 0), info["second"]["attachment"])
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--dyads", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--preset", default="good_enough",
                        help="the page's preset (two_parents: households, two relationships per infant)")
    args = parser.parse_args(argv)
    one_session(20, 7, 0)  # imports and caches warm
    print(f"{datetime.date.today()} · {platform.node()} · {os.cpu_count()} cores · {args.dyads} dyads, "
          f"{args.days} days, {args.preset} with its comparison twin")
    print(f"{'sessions':>8} {'how':>9} {'mean s':>7} {'slowest s':>9}")
    for n in args.sessions:
        for how, pool in (("threads", ThreadPoolExecutor), ("processes", ProcessPoolExecutor)):
            if n == 1 and how == "processes":
                continue
            with pool(max_workers=n) as ex:
                times = list(ex.map(one_session, [args.dyads] * n, [args.days] * n, range(1, n + 1),
                                    [args.preset] * n))
            print(f"{n:>8} {how:>9} {sum(times) / n:7.1f} {max(times):9.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

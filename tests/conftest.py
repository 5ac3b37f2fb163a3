"""The three test lanes as markers.

The lanes are the folders ``tests/unit`` (fast: single rules, components, scenario loading, small
models), ``tests/population`` (statistical and population-level checks, golden tables, common
random numbers) and ``tests/system`` (command line, scripts, app, browser, worksheet, sweeps over
processes, memory, fuzzing of entry points). Every test gets its folder's marker, so
``pytest -m unit`` selects the same tests as ``pytest tests/unit``.
"""

from pathlib import Path

LANES = ("unit", "population", "system")
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        try:
            lane = Path(item.path).resolve().relative_to(TESTS).parts[0]
        except ValueError:  # a test outside tests/
            continue
        if lane in LANES:
            item.add_marker(lane)


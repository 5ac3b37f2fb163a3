"""Shared checks for the property-based (Hypothesis) tests of bad input.

Every entry point (``run_sim.py``, ``experiments/*.py``) has a ``main(argv)``; bad input must give
exit code 2, one message on stderr that is short and has no traceback, and nothing written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

from hypothesis import HealthCheck, settings

BAD_INPUTS = int(os.environ.get("SECUREBASE_FUZZ_EXAMPLES", "200"))
"""Bad inputs generated per property test and run (the issue asks for at least 200)."""
FUZZ = settings(max_examples=BAD_INPUTS, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])
"""Deterministic (derandomize): the same examples on every run and machine."""
MESSAGE_CHARS = 1500
"""Longest acceptable error message: a value must be cut, not echoed in full."""


def files_under(folder: Path) -> set[Path]:
    return {p for p in Path(folder).rglob("*")}


def assert_refused(main: Callable[[Sequence[str]], int], argv: Sequence[str], folder: Path, capsys,
                   needles: Sequence[str] = ()) -> str:
    """Run ``main(argv)``: exit 2, one clean message (returned), nothing new under ``folder``."""
    before = files_under(folder)
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse exits
        code = exc.code
    captured = capsys.readouterr()
    err = captured.err
    assert code == 2, f"exit {code} for {list(argv)!r}; stderr: {err[-500:]!r}; stdout: {captured.out[-300:]!r}"
    assert "Traceback" not in err and "Traceback" not in captured.out, err
    assert err.strip(), f"no message for {list(argv)!r}"
    assert len(err) <= MESSAGE_CHARS, f"message of {len(err)} characters for {list(argv)!r}: {err[:300]!r}"
    assert files_under(folder) == before, f"{list(argv)!r} wrote {files_under(folder) - before}"
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"
    return err

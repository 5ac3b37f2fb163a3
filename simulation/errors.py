"""User-facing errors.

Anything a user can get wrong (a scenario key, a value out of range, a missing file, a bad
command-line argument, an unusable output folder, a seed) raises :class:`UserError` — the one
documented exception type of the API — with one message that names the key, the value (cut to a
readable length by :func:`shown`) and what is allowed. The command line and every script print
that message and exit with code 2, without a traceback and without writing anything.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

EXIT_USAGE = 2
"""Exit code of every command for bad input."""
SHOWN_CHARS = 60
"""Longest value echoed in a message: a 100 kB value is cut, not printed."""


class UserError(Exception):
    """An error caused by user input, reported as one clear message (CLI exit code 2)."""


class ScenarioError(UserError, ValueError):
    """A scenario file, name or override is invalid."""


def cut(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was (names, paths, keys as typed)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters, saying how long it was (see :func:`cut`)."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int over 4,300 digits (maybe inside a list), or deep nesting
        if isinstance(value, int):
            text = f"<a whole number of about {value.bit_length() * 0.30103:,.0f} digits>"
        else:
            text = f"<a {type(value).__name__} too large or too deeply nested to show>"
    return cut(text, limit)


WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")
MAX_DIGITS = 100
"""Digits read from a count or seed; longer numbers are out of every range anyway."""


def whole_number(text: str) -> int:
    """argparse type for counts and seeds: plain digits only (``int()`` would take ``1_0`` and
    `` 7``, and refuses numbers over 4,300 digits with a ValueError)."""
    if not WHOLE_NUMBER.match(text):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number")
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise argparse.ArgumentTypeError(f"{shown(text)} is out of range ({len(text.lstrip('+-')):,} digits)")
    return int(text)

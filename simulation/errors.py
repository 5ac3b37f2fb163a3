"""User-facing errors.

Anything a user can get wrong (a scenario key, a value out of range, a missing file, a bad
command-line argument) raises :class:`UserError` with one message that names the key, the value
and what is allowed. The command line prints that message and exits with code 2, without a
traceback and without writing partial results.
"""


class UserError(Exception):
    """An error caused by user input, reported as one clear message (CLI exit code 2)."""


class ScenarioError(UserError, ValueError):
    """A scenario file, name or override is invalid."""

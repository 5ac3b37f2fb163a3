"""Writing results safely, with provenance.

:func:`staged_output` gives a scratch folder beside the destination; files written there are
moved into the destination only when everything has been written, so an error or an interrupt
never leaves a half-written result (the scratch folder is removed). :func:`manifest` records
what produced a result: versions, command, seed, scenario parameters, git commit.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

from .errors import UserError

PACKAGES = ("securebase", "mesa", "numpy", "scipy", "pandas", "networkx", "matplotlib", "pydantic")


def check_output_dir(out: Path | str) -> Path:
    """Fail early (UserError) if ``out`` cannot be a results folder."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out '{out}' exists and is not a folder; give a folder path")
    parent = out.resolve().parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        raise UserError(f"--out '{out}': cannot write in '{probe}'")
    return out


@contextlib.contextmanager
def staged_output(out: Path | str) -> Iterator[Path]:
    """Yield a scratch folder; on success move its files into ``out`` (created if needed)."""
    out = check_output_dir(out)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=parent))
    try:
        yield scratch
        out.mkdir(parents=True, exist_ok=True)
        for item in sorted(scratch.iterdir()):
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Python's version and those of the packages the results depend on (plus ``extra``)."""
    found = {"python": platform.python_version()}
    for pkg in (*PACKAGES, *extra):
        try:
            found[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            found[pkg] = "not installed"
    return found


def git_commit() -> str | None:
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def manifest(**fields: Any) -> dict[str, Any]:
    """Provenance of a result: versions, command line, git commit, time, plus ``fields``."""
    return {
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": sys.argv,
        "git_commit": git_commit(),
        "versions": versions(),
        **fields,
    }


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")

"""Writing results safely, with provenance: never half-written, never two runs mixed.

- :func:`check_output_dir` is called *before* a run starts: the folder must be usable (not a
  file, not under a file, no symlink loop, names the file system accepts, a parent we can write
  in), and if it already holds results they must be those of the same command (then they are
  replaced as a whole, or resumed by a sweep) unless ``overwrite``. A non-empty folder that holds
  no SecureBase manifest is never replaced: it may be anything of the user's.
- :func:`staged_output` gives a scratch folder beside the destination, named after this process;
  only when everything has been written is the destination replaced by it as a whole (two
  renames), so an error, Ctrl-C or SIGTERM never leaves a half-written or mixed folder. Staging
  folders left by a process that died (``kill -9``) are removed by the next run that writes
  there; those of a live run never are.
- :func:`manifest` records what produced a result: versions, command, seed, parameters, commit.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Iterator, Sequence

from simulation.errors import UserError, shown

PACKAGES = ("securebase", "mesa", "numpy", "scipy", "pandas", "networkx", "matplotlib", "pydantic")
MANIFEST = "manifest.json"
NAME_MAX = 255
"""Longest file or folder name (bytes) on the usual Linux file systems."""
_STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<what>partial|old)-(?P<pid>\d+)-[0-9a-f]+$")


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders of ``out`` left by dead processes (restoring a moved-away result)."""
    parent, removed = out.parent, []
    if not parent.is_dir():
        return removed
    with contextlib.suppress(OSError):
        for item in parent.iterdir():
            m = _STAGING.match(item.name)
            if not m or m["name"] != out.name or pid_alive(int(m["pid"])):
                continue
            if m["what"] == "old" and not os.path.lexists(out):
                os.rename(item, out)  # killed between the two renames: the previous result comes back
            else:
                shutil.rmtree(item, ignore_errors=True)
            removed.append(item)
    return removed


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a results folder, or None if it has none (or an unreadable one)."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _check_path(out: Path, option: str) -> Path:
    text = str(out)
    if not text.strip():
        raise UserError(f"{option} is empty: give a folder path")
    if "\x00" in text:
        raise UserError(f"{option} {shown(text)} contains a NUL character; give a folder path")
    for part in out.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise UserError(f"{option} {shown(text)}: the name {shown(part, 30)} is longer than {NAME_MAX} bytes, "
                            f"which the file system does not allow")
    try:
        resolved = out.resolve()
    except (RuntimeError, OSError) as exc:  # a symlink loop (RuntimeError before Python 3.13)
        raise UserError(f"{option} {shown(text)} cannot be used: {exc}") from None
    if len(os.fsencode(str(resolved))) >= 4096:
        raise UserError(f"{option} {shown(text)}: the path is longer than the file system allows (4,096 bytes)")
    if os.path.lexists(out) and not out.is_dir():
        raise UserError(f"{option} {shown(text)} exists and is not a folder; give a folder path")
    probe = resolved.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UserError(f"{option} {shown(text)} is under '{probe}', which is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"{option} {shown(text)}: cannot write in '{probe}' (permission denied)")
    return resolved


def check_output_dir(out: Path | str, *, command: Sequence[str] | None = None, overwrite: bool = False,
                     option: str = "--out") -> Path:
    """Fail early (UserError) if ``out`` cannot receive this command's results.

    ``command`` identifies what writes the folder (e.g. ``["run_sim.py", "good_enough", ...]``
    without the output options): a folder written by the same command may be replaced; one
    written by another needs ``overwrite``; a non-empty folder without a manifest is refused.
    """
    out = Path(out)
    _check_path(out, option)
    clean_stale_staging(out.resolve())
    if out.is_dir() and any(out.iterdir()):
        old = read_manifest(out)
        if old is None:
            raise UserError(f"{option} '{out}' is a folder that holds other files (no SecureBase {MANIFEST}); "
                            f"choose a new or empty folder")
        if command is not None and old.get("command_key") != list(command) and not overwrite:
            before = " ".join(old.get("command_key") or old.get("command") or ["(unknown)"])
            raise UserError(f"{option} '{out}' holds the results of another command ({shown(before, 120)}, "
                            f"{old.get('created', 'date unknown')}); choose another folder, or add --overwrite "
                            f"to replace them")
    return out


def _staging_path(out: Path, what: str = "partial") -> Path:
    """A folder beside ``out`` named after this process (see :func:`clean_stale_staging`)."""
    return out.resolve().parent / f".{out.name}.{what}-{os.getpid()}-{secrets.token_hex(4)}"


def _make_staging(out: Path, option: str) -> Path:
    """Create the parent folders and a staging folder beside ``out``, or one UserError saying why not."""
    scratch = _staging_path(out)
    try:
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.mkdir()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise UserError(f"{option} '{out}': cannot write there ({reason})") from None
    return scratch


def prepare_output_dir(out: Path | str, *, command: Sequence[str] | None = None, overwrite: bool = False,
                       option: str = "--out") -> Path:
    """:func:`check_output_dir`, then prove that a staging folder can be made beside ``out``.

    Call it once every other input has been checked and before the run: a read-only file system
    or a full disk is then found in a second, not after an hour of simulation.
    """
    out = check_output_dir(out, command=command, overwrite=overwrite, option=option)
    _make_staging(out, option).rmdir()
    return out


@contextlib.contextmanager
def staged_output(out: Path | str, *, command: Sequence[str] | None = None, overwrite: bool = False,
                  replace: bool = True, option: str = "--out") -> Iterator[Path]:
    """Yield a scratch folder; on success it becomes ``out``.

    ``replace=True``: ``out`` is replaced as a whole (nothing of an earlier run is left beside the
    new files). ``replace=False`` (a resumable sweep, whose ``parts/`` must stay): the scratch
    folder's files are moved into ``out`` one by one, each with an atomic rename.
    """
    out = check_output_dir(out, command=command, overwrite=overwrite, option=option)
    scratch = _make_staging(out, option)
    try:
        yield scratch
        if not replace:
            out.mkdir(parents=True, exist_ok=True)
            for item in sorted(scratch.iterdir()):
                os.replace(item, out / item.name)
        elif os.path.lexists(out):
            old = _staging_path(out, "old")
            os.rename(out, old)
            os.rename(scratch, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(scratch, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interrupt so that staging folders are cleaned up on the way out."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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


def manifest(*, command_key: Sequence[str] | None = None, **fields: Any) -> dict[str, Any]:
    """Provenance of a result: versions, command line, git commit, time, plus ``fields``.

    ``command_key`` is what :func:`check_output_dir` compares to decide whether a later run into
    the same folder is "the same command".
    """
    return {
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": sys.argv,
        "command_key": list(command_key) if command_key is not None else None,
        "git_commit": git_commit(),
        "versions": versions(),
        **fields,
    }


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")

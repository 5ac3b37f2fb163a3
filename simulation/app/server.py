"""Serving the app: ``serve()`` runs ``python -m solara run simulation.app`` until stopped.

This is what ``run_sim.py app`` calls (``simulation/cli``, through ``from simulation.app import
serve``, which also fails early, with an ImportError, when the ``app`` extra is missing). Solara
imports the package ``simulation.app`` in a child process and renders its ``Page``. Kept apart
because serving is a process's job (host, port, environment, signals), not the page's.

In a classroom (issue 17): ``kill <pid>`` (SIGTERM), SIGHUP (the terminal closed) and Ctrl-C all
stop the Solara child too, so the port is freed; sessions idle for :data:`CULL_TIMEOUT` are
closed (Solara keeps them a day by default, about 30 MB each); Solara's per-session warning about
cookies on plain http is not printed for every student; a non-local ``--host`` prints the
addresses students can open and warns that the app has no log-in.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the package ``simulation``: the child's working directory and import path."""
HOST = "127.0.0.1"
PORT = 8765
CULL_TIMEOUT = "30m"
"""How long Solara keeps a session whose browser tab has gone (its default is 24h)."""
STOP_GRACE_S = 10.0
"""Seconds the Solara child gets to stop after SIGINT before it is killed."""
QUIET_WARNINGS = "ignore:Cookies with samesite=none require https"
"""Solara warns, on every new session over plain http, that it falls back to samesite=lax cookies:
the fallback is what a classroom on a local network needs, so the 12-line warning is dropped."""


def solara_command(host: str = HOST, port: int = PORT) -> list[str]:
    """The ``solara run`` command line that serves the app (the package ``simulation.app``)."""
    return [sys.executable, "-m", "solara", "run", "simulation.app", "--host", host, "--port", str(int(port)),
            "--no-open", "--no-check-version", "--production", "--theme-variant", "light"]


def server_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The Solara child's environment: the package importable, no phoning home, idle sessions culled
    after CULL_TIMEOUT and the per-session cookie warning dropped (a user's own settings win)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # offline classrooms
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", CULL_TIMEOUT)
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")  # Solara's badge covered the page's text (issue 17)
    env.setdefault("SOLARA_THEME_TITLE", "SecureBase")
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS", ""), QUIET_WARNINGS) if w)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _is_local(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _addresses() -> list[str]:
    """This computer's addresses on its networks (best effort; no packet is sent)."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # a documentation address: only picks the outgoing interface
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]


def start_message(host: str = HOST, port: int = PORT) -> str:
    """What ``serve`` prints: the URL to open; for a non-local host, the URLs students can open and
    a warning that anyone who can reach the port can use the app."""
    if _is_local(host):
        return f"SecureBase app: open http://{host}:{port} in a browser (Ctrl-C stops the server)"
    if host in ("0.0.0.0", "::", ""):
        urls = [f"http://{a}:{port}" for a in _addresses()] or [f"http://<this computer's address>:{port}"]
    else:
        urls = [f"http://{host}:{port}"]
    return ("SecureBase app: students open " + " or ".join(urls) + " (Ctrl-C stops the server)\n"
            f"WARNING: --host {host} serves the app to every computer that can reach port {port}; it has no "
            "log-in or password. Use it only on a trusted classroom network.")


def serve(host: str = HOST, port: int = PORT) -> int:
    """Serve the app with Solara on ``host:port`` (127.0.0.1:8765 by default) until stopped: Ctrl-C,
    SIGTERM (``kill``) or SIGHUP stop the Solara child as well."""
    print(start_message(host, port), flush=True)
    proc = subprocess.Popen(solara_command(host, port), cwd=ROOT, env=server_environment())

    def _stop(signum, frame):  # kill / a closed terminal: stop as Ctrl-C does
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=STOP_GRACE_S)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            proc.kill()
            proc.wait()
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.kill()
            proc.wait()

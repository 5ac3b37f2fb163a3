"""Serving the app: ``serve()`` runs ``python -m solara run simulation.app`` until interrupted.

This is what ``run_sim.py app`` calls (``simulation/cli``, through ``from simulation.app import
serve``, which also fails early, with an ImportError, when the ``app`` extra is missing). Solara
imports the package ``simulation.app`` in a child process and renders its ``Page``. Kept apart
because serving is a process's job (host, port, environment, Ctrl-C), not the page's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

HOST = "127.0.0.1"
PORT = 8765


def solara_command(host: str = HOST, port: int = PORT) -> list[str]:
    """The ``solara run`` command line that serves the app (the package ``simulation.app``)."""
    return [sys.executable, "-m", "solara", "run", "simulation.app", "--host", host, "--port", str(int(port)),
            "--no-open", "--no-check-version", "--production", "--theme-variant", "light"]


def serve(host: str = HOST, port: int = PORT) -> int:
    """Serve the app with Solara on ``host:port`` (127.0.0.1:8765 by default) until interrupted."""
    root = Path(__file__).resolve().parents[2]  # the folder holding the package `simulation`
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # no phoning home (offline classrooms)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    print(f"SecureBase app: open http://{host}:{port} in a browser (Ctrl-C stops the server)", flush=True)
    proc = subprocess.Popen(solara_command(host, port), cwd=root, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            proc.kill()
            proc.wait()
        return 130

"""Serving the app in a classroom (issue 17): kill frees the port; sessions are culled; the
per-session warning is gone; a non-local host prints usable URLs and a warning."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from simulation.app import server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.serial  # a server of its own, alone, after the parallel part (see the Makefile)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _poll(predicate, limit_s: float) -> float | None:
    """Seconds until ``predicate`` held, polled every 0.1 s; None if it did not within ``limit_s``."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


@pytest.mark.timeout(180)
def test_kill_of_the_app_command_frees_the_port(tmp_path):
    port = _free_port()
    log = tmp_path / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "run_sim.py"), "app", "--port", str(port)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert _poll(lambda: _accepts(port), 90) is not None, log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:  # a session's page
            assert page.status == 200
        os.kill(proc.pid, signal.SIGTERM)  # `kill <pid>` of run_sim.py app, not of its group
        took = _poll(lambda: not _accepts(port), 30)
        print(f"port {port} freed {took:.1f} s after kill" if took is not None else "port not freed in 30 s")
        assert took is not None, log.read_text()
        assert proc.wait(timeout=30) == 130

        def group_gone():
            try:
                os.killpg(proc.pid, 0)  # any process left of the server's group (the Solara child)?
            except ProcessLookupError:
                return True
            return False
        assert _poll(group_gone, 30) is not None, "the Solara child outlived the app command"
        assert "samesite" not in log.read_text().lower()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_the_server_environment_culls_idle_sessions_and_keeps_a_users_settings():
    env = server.server_environment({"PYTHONWARNINGS": "error"})
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "30m"
    assert env["PYTHONWARNINGS"].split(",") == ["error", server.QUIET_WARNINGS]
    assert server.server_environment({"SOLARA_KERNEL_CULL_TIMEOUT": "2h"})["SOLARA_KERNEL_CULL_TIMEOUT"] == "2h"
    # Solara reads the setting as we spell it (its own parser)
    from solara.util import parse_timedelta
    assert parse_timedelta(env["SOLARA_KERNEL_CULL_TIMEOUT"]) == 30 * 60
    # Solara's badge, which covered the page's text, is off, as Solara's settings read it
    import os
    from unittest import mock

    from solara.server.settings import ThemeSettings
    with mock.patch.dict(os.environ, {k: v for k, v in env.items() if k.startswith("SOLARA_THEME")}):
        assert ThemeSettings().show_banner is False


def test_a_non_local_host_prints_urls_to_open_and_a_warning():
    local = server.start_message("127.0.0.1", 8765)
    assert "http://127.0.0.1:8765" in local and "WARNING" not in local
    wide = server.start_message("0.0.0.0", 8765)
    assert "WARNING" in wide and "no log-in" in wide and "0.0.0.0:8765" not in wide
    assert "http://" in wide
    named = server.start_message("10.1.2.3", 9000)
    assert "http://10.1.2.3:9000" in named and "WARNING" in named

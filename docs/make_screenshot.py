#!/usr/bin/env python3
"""Regenerate docs/images/app_good_enough.png: the teaching app, good_enough preset, after 180 days.

    .venv/bin/python docs/make_screenshot.py [--preset good_enough] [--days 180] [--out PATH]

It serves the app with the documented command (``run_sim.py app``) on a free local port,
drives Debian's Chromium (``apt-get install chromium``) with Playwright (no browser download),
runs the days with the Step button and saves a screenshot. The helpers here are also used by
the browser test (``tests/system/test_app_browser.py``).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SECUREBASE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
DEFAULT_OUT = ROOT / "docs" / "images" / "app_good_enough.png"
VIEWPORT = {"width": 1440, "height": 1900}
DAYS_PER_STEP = 7  # the app's default Render Interval


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(port: int | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Serve the app with ``run_sim.py app`` on 127.0.0.1; yield its URL; always stop it."""
    port = port or free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="securebase-app-", suffix=".log", delete=False)
    proc = subprocess.Popen([sys.executable, str(ROOT / "run_sim.py"), "app", "--port", str(port)], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the app server exited with code {proc.returncode}:\n{Path(log.name).read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app server did not answer within {timeout:.0f} s:\n{Path(log.name).read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        _stop(proc)
        log.close()
        os.unlink(log.name)


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and its children (it runs in its own process group)."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    else:  # the session leader is gone; make sure nothing it started is left behind
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


@contextmanager
def chromium_page(playwright, viewport: dict | None = None):
    """A page in Debian's headless Chromium (never a downloaded browser)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    try:
        page = browser.new_page(viewport=viewport or VIEWPORT)
        yield page
    finally:
        browser.close()


def open_app(page, url: str, timeout_ms: int = 60_000) -> None:
    page.goto(url)
    page.get_by_role("button", name="Reset", exact=True).wait_for(timeout=timeout_ms)
    page.locator(".sb-live-plots img").wait_for(timeout=timeout_ms)


def current_day(page) -> int | None:
    """The model's day as the scenario card shows it (negative before birth; None when finished)."""
    text = page.locator(".sb-scenario").inner_text()
    if m := re.search(r"day (-?\d+) of", text):
        return int(m.group(1))
    if m := re.search(r"(\d+) days before birth", text):
        return -int(m.group(1))
    return None


def wait_for_day(page, day: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while current_day(page) != day:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not reach day {day} (shows {current_day(page)})")
        page.wait_for_timeout(100)


def choose_preset(page, name: str) -> None:
    page.get_by_role("button", name=re.compile(r"^Preset")).click()
    page.get_by_role("option", name=name, exact=True).click()
    page.locator(".sb-scenario").wait_for()
    # the dashboard is rebuilt for the new preset: wait until its controls are back
    page.get_by_role("button", name="Reset", exact=True).wait_for()
    page.wait_for_function("name => document.querySelector('.v-select__selection')?.innerText.trim() === name", arg=name)


def press(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()


def slider(page, label: str):
    return page.get_by_role("slider", name=label, exact=True)


def set_slider(page, label: str, value: float, step: float) -> None:
    """Move a Vuetify slider with the keyboard (one arrow press per step)."""
    handle = slider(page, label)
    now = float(handle.get_attribute("aria-valuenow"))
    presses = round((value - now) / step)
    handle.focus()
    for _ in range(abs(presses)):
        page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
    page.wait_for_function(
        "([label, value]) => Math.abs(Number([...document.querySelectorAll('[role=slider]')]"
        ".find(e => e.getAttribute('aria-label') === label).getAttribute('aria-valuenow')) - value) < 1e-6",
        arg=[label, value])


def step(page) -> int:
    """Press Step and wait until the day shown has moved on; return it."""
    before = current_day(page)
    interval = int(slider(page, "Render Interval (steps)").get_attribute("aria-valuenow"))
    press(page, "Step")
    wait_for_day(page, before + interval)
    return before + interval


def run_to_day(page, target: int) -> None:
    """Step to exactly ``target`` (weeks with Step, then the remainder with a smaller interval)."""
    while current_day(page) + DAYS_PER_STEP <= target:
        step(page)
    rest = target - current_day(page)
    if rest > 0:
        # the Render Interval slider moves in steps of 2 from 1 (1, 3, 5, 7, ...)
        while rest > 0:
            chunk = rest if rest % 2 == 1 else rest - 1
            set_slider(page, "Render Interval (steps)", chunk, 2)
            step(page)
            rest = target - current_day(page)
        set_slider(page, "Render Interval (steps)", DAYS_PER_STEP, 2)


def make_screenshot(out: Path = DEFAULT_OUT, preset: str = "good_enough", days: int = 180) -> Path:
    from playwright.sync_api import sync_playwright

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with app_server() as url, sync_playwright() as p, chromium_page(p) as page:
        open_app(page, url)
        choose_preset(page, preset)
        press(page, "Reset")
        wait_for_day(page, first_day(preset))
        run_to_day(page, days)
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no slider tooltip
        page.wait_for_timeout(1500)  # let the last images arrive
        page.screenshot(path=str(out))
    return out


def first_day(preset: str) -> int:
    """The day a fresh model of ``preset`` starts at (negative when pregnancy is simulated)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from simulation import load_scenario

    return -load_scenario(preset).simulation.prenatal_days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="good_enough")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    path = make_screenshot(args.out, args.preset, args.days)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Regenerate the app's screenshots in docs/images/: good_enough after 12 months, on a 1280×720
projector and a 390×844 phone.

    .venv/bin/python docs/make_screenshot.py [--preset good_enough] [--days 365] [--out-dir DIR]

It serves the app with the documented command (``run_sim.py app``) on a free local port,
drives Debian's Chromium (``apt-get install chromium``) with Playwright (no browser download),
runs the weeks with the Step button and saves one screenshot per viewport. The helpers here are
also used by the browser test (``tests/system/test_app_browser.py``) and the browser matrix
(``scripts/app_browser_matrix.py``). They wait for the server's answer, never a timer: the day
and a control's value are written by the server, so a test waits until the page shows them.
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
DEFAULT_OUT_DIR = ROOT / "docs" / "images"
VIEWPORTS = {"projector": {"width": 1280, "height": 720}, "phone": {"width": 390, "height": 844}}
"""The screens the app is made for (issue 17): a classroom projector and a phone."""
VIEWPORT = VIEWPORTS["projector"]
DAYS_PER_STEP = 7  # the app's Step (simulation.app.DAYS_PER_STEP)


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
    """The model's day as the page shows it (negative before birth; None when finished)."""
    text = page.locator(".sb-age").inner_text()
    if m := re.search(r"day (-?\d+) of", text):
        return int(m.group(1))
    if m := re.search(r"(\d+) days before birth", text):
        return -int(m.group(1))
    return None


def wait_for_day(page, day: int | None, timeout_s: float = 60.0) -> None:
    """Wait until the server has run to ``day`` (None: to the end) and the page shows it."""
    deadline = time.monotonic() + timeout_s
    while current_day(page) != day:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not reach day {day} (shows {current_day(page)})")
        page.wait_for_timeout(50)


def choose_preset(page, name: str) -> None:
    page.get_by_role("button", name=re.compile(r"^Preset")).click()
    page.get_by_role("option", name=name, exact=True).click()
    # the dashboard is rebuilt for the new preset: wait until the server has drawn its card (the
    # list shows the new name at once, in the browser, before the server has heard of it)
    page.locator(".sb-scenario h3").filter(has_text=re.compile("^" + re.escape(preset_title(name)) + "$")).wait_for()
    page.get_by_role("button", name="Reset", exact=True).wait_for()


def press(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()


def slider(page, label: str):
    return page.get_by_role("slider", name=label, exact=True)


def value_text(page, label: str) -> str:
    """The value the server writes beside the control ``label`` (its acknowledgement of a move)."""
    row = page.locator(".sb-control").filter(has=slider(page, label))
    return row.locator(".sb-value").inner_text().strip()


def set_slider(page, label: str, value: float, step: float, shown: str | None = None) -> None:
    """Move a Vuetify slider with the keyboard (one arrow press per step), then wait for the server:
    until the value written beside the slider has changed (or reads ``shown``)."""
    handle = slider(page, label)
    now = float(handle.get_attribute("aria-valuenow"))
    presses = round((value - now) / step)
    if presses == 0:
        return
    before = value_text(page, label)
    handle.focus()
    for _ in range(abs(presses)):
        page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
    deadline = time.monotonic() + 30
    while (value_text(page, label) == before) if shown is None else (value_text(page, label) != shown):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server did not take {label} = {value} (shows {value_text(page, label)})")
        page.wait_for_timeout(50)


def step(page) -> int | None:
    """Press Step and wait until the server has run the week and the page shows the new day; return it
    (None once the run has finished)."""
    before = current_day(page)
    press(page, "Step")
    deadline = time.monotonic() + 60
    while (day := current_day(page)) == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"Step did not move the app on from day {before}")
        page.wait_for_timeout(50)
    return day


def run_to_day(page, target: int | None) -> None:
    """Step week by week until the page shows ``target`` or more (None: to the end of the run)."""
    while (day := current_day(page)) is not None and (target is None or day < target):
        step(page)


def wait_for_images(page) -> None:
    """Wait until every figure of the page has loaded."""
    page.wait_for_function("[...document.querySelectorAll('.sb-view img')].every(i => i.complete && i.naturalWidth > 0)")


def make_screenshots(out_dir: Path = DEFAULT_OUT_DIR, preset: str = "good_enough",
                     days: int | None = None) -> list[Path]:
    """Screenshots of ``preset`` after ``days`` (None: the whole run) at every viewport of VIEWPORTS."""
    from playwright.sync_api import sync_playwright

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with app_server() as url, sync_playwright() as p:
        for name, viewport in VIEWPORTS.items():
            with chromium_page(p, viewport) as page:
                open_app(page, url)
                if preset != "good_enough":
                    choose_preset(page, preset)
                wait_for_day(page, first_day(preset))
                run_to_day(page, days)
                page.evaluate("document.activeElement && document.activeElement.blur()")  # no slider tooltip
                wait_for_images(page)
                path = out_dir / f"app_{preset}_{viewport['width']}x{viewport['height']}.png"
                page.screenshot(path=str(path))
                paths.append(path)
    return paths


def preset_title(preset: str) -> str:
    """The title the scenario card shows for ``preset``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from simulation import load_scenario

    sc = load_scenario(preset)
    return sc.title or sc.name


def first_day(preset: str) -> int:
    """The day a fresh model of ``preset`` starts at (negative when pregnancy is simulated)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from simulation import load_scenario

    return -load_scenario(preset).simulation.prenatal_days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="good_enough")
    parser.add_argument("--days", type=int, default=None, help="day of age to stop at (default: the whole run)")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)
    for path in make_screenshots(args.out_dir, args.preset, args.days):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

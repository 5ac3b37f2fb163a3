"""End to end: the documented command serves the app; a real headless Chromium uses it.

Debian's ``chromium`` (``apt-get install chromium``; ``.ci/run`` installs it) is driven by
Playwright through ``executable_path`` (no browser download). Skipped only when that browser is
missing outside CI; in CI (``CI`` set) it must run.
"""

import importlib.util
import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = bool(os.environ.get("CI"))
pytestmark = pytest.mark.serial  # alone, after the parallel part of `make test` (see the Makefile)


def _helpers():
    spec = importlib.util.spec_from_file_location("make_screenshot", ROOT / "docs" / "make_screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _helpers()

if not IN_CI:
    if not Path(shots.CHROMIUM).exists():
        pytest.skip(f"{shots.CHROMIUM} is missing (apt-get install chromium); required in CI", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")

from playwright.sync_api import sync_playwright  # noqa: E402


def _wait_until(predicate, timeout_s=30.0, what="condition"):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.mark.timeout(180)
def test_app_in_headless_chromium(tmp_path):
    start = time.monotonic()
    with shots.app_server() as url, sync_playwright() as p, shots.chromium_page(p) as page:
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        shots.open_app(page, url)
        card = page.locator(".sb-scenario")
        assert "Good-enough caregiver" in card.inner_text()

        # a preset: its description and notes show, its values load into the sliders
        shots.choose_preset(page, "inconsistent")
        card.filter(has_text="Inconsistent caregiver").wait_for()
        assert "Teaching notes" in card.inner_text()
        assert shots.slider(page, "Sensitivity").get_attribute("aria-valuenow") == "0.75"
        assert shots.slider(page, "Inconsistency").get_attribute("aria-valuenow") == "2"

        # a slider and Reset: the model that runs changes
        shots.set_slider(page, "Sensitivity", 0.6, 0.01)
        shots.press(page, "Reset")
        card.filter(has_text="sensitivity: 0.75 → 0.6").wait_for()
        assert shots.current_day(page) == 0

        # a step: the live plot changes
        plot = page.locator(".sb-live-plots img")
        before_src, before_png = plot.get_attribute("src"), plot.screenshot()
        assert shots.step(page) == shots.DAYS_PER_STEP
        _wait_until(lambda: plot.get_attribute("src") != before_src, what="the live plot to change")
        page.wait_for_timeout(300)
        assert plot.screenshot() != before_png
        assert "signals to the caregiver" in page.locator(".sb-explain").inner_text()
        assert "inconsistent + your changes" in page.locator(".sb-comparison").inner_text()

        path = tmp_path / "app_inconsistent_day7.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 50_000
        assert not [e for e in errors if "katex" not in e.lower()], errors
    assert time.monotonic() - start < 120

#!/usr/bin/env python3
"""The teaching app's control matrix in a real browser: no combination shows a traceback.

    .venv/bin/python scripts/app_browser_matrix.py [--presets good_enough village ...] [--out results/app_browser_matrix]

For every built-in preset × {intervention off, each intervention kind at the start slider's first
and last day} (13 × 9 = 117 cases), in Debian's headless Chromium through Playwright (no browser
download), as a student would: choose the preset, tick *Intervention on*, choose the kind, move
*Starts (day)* to its end with the keyboard (Home / End), press Reset and wait until the scenario
card names the intervention and the day it starts (the server's acknowledgement), press Step and
wait for the next week. A case fails when the page shows a traceback or an error, the card does
not show the intervention asked for, or the week does not run. Prints one line per case and a
summary, writes ``matrix.csv`` to ``--out`` (replaced as a whole), and exits 1 if any case failed.
The same matrix runs without a browser in ``tests/system/test_app_controls.py`` (in ``make test``);
this script is the browser's half (issue 17), about 5 minutes.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FORBIDDEN = ("Traceback", "Error:", "error in step", "Exception")
"""Text that must never appear in the page."""


def _shots():
    spec = importlib.util.spec_from_file_location("make_screenshot", ROOT / "docs" / "make_screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cases(presets: list[str]) -> list[tuple[str, str | None, str | None]]:
    """(preset, kind or None, 'first'/'last' or None) for the whole matrix."""
    from simulation.app import intervention_kinds

    out = []
    for preset in presets:
        out.append((preset, None, None))
        for kind in intervention_kinds():
            for end in ("first", "last"):
                out.append((preset, kind, end))
    return out


def run_case(shots, page, preset: str, kind: str | None, end: str | None) -> tuple[bool, str]:
    """One case on an open page already showing ``preset`` (restored): (passed, what happened)."""
    from simulation.app import control_text, model_params

    card = page.locator(".sb-scenario")
    if kind is not None:
        start = model_params(preset)["intervention_start"]
        day = start["min"] if end == "first" else start["max"]
        box = page.get_by_role("checkbox", name="Intervention on")
        if not box.is_checked():
            page.locator(".sb-controls .v-input--checkbox label").filter(has_text="Intervention on").click()
            page.locator(".sb-pending").filter(has_text="Intervention on").wait_for()
        page.get_by_role("button", name=re.compile(r"^Intervention(?! on)")).click()
        page.get_by_role("option", name=kind, exact=True).click()
        handle = shots.slider(page, "Starts (day)")
        handle.focus()
        page.keyboard.press("Home" if end == "first" else "End")
        shown = control_text("intervention_start", day)
        deadline = time.monotonic() + 30
        while shots.value_text(page, "Starts (day)") != shown:
            if time.monotonic() > deadline:
                return False, f"the start slider did not reach {shown} (shows {shots.value_text(page, 'Starts (day)')})"
            page.wait_for_timeout(50)
    shots.press(page, "Reset")
    if kind is not None:
        when = f"day {day}" if day >= 0 else f"{-day} days before birth"
        expected = f"intervention: {kind.replace('_', ' ')} from {when}"
        try:
            card.filter(has_text=expected).wait_for(timeout=30_000)
        except Exception:  # noqa: BLE001 - reported as this case's failure
            return False, f"the card does not say '{expected}'"
    else:
        card.filter(has_text="The preset as written").wait_for(timeout=30_000)
    before = shots.current_day(page)
    after = shots.step(page)
    text = page.locator("body").inner_text()
    bad = [w for w in FORBIDDEN if w.lower() in text.lower()]
    if bad:
        return False, f"the page shows {bad}"
    if "could not be applied" in text:
        return False, "the card says the changes could not be applied"
    return True, f"day {before} -> {after}"


def main(argv: list[str] | None = None) -> int:
    from simulation.app import presets
    from simulation.errors import UserError
    from simulation.report import outputs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presets", nargs="+", default=None, help="presets to test (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "app_browser_matrix")
    args = parser.parse_args(argv)
    chosen = args.presets or presets()
    unknown = sorted(set(chosen) - set(presets()))
    if unknown:
        print(f"error: --presets: {', '.join(unknown)} not built in; allowed: {', '.join(presets())}", file=sys.stderr)
        return 2
    key = ["scripts/app_browser_matrix.py"]
    try:  # a folder that is not this script's own is refused before the run, not after it
        outputs.prepare_output_dir(args.out, command=key, overwrite=True)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shots = _shots()
    from playwright.sync_api import sync_playwright

    rows = []
    start = time.monotonic()
    with shots.app_server() as url, sync_playwright() as p, shots.chromium_page(p) as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        shots.open_app(page, url)
        current = "good_enough"
        for preset, kind, end in cases(chosen):
            if preset != current:
                shots.choose_preset(page, preset)
                current = preset
            elif page.get_by_role("button", name="Restore preset", exact=True).is_enabled():
                shots.press(page, "Restore preset")
                page.locator(".sb-scenario").filter(has_text="The preset as written").wait_for()
            t0 = time.monotonic()
            try:
                ok, what = run_case(shots, page, preset, kind, end)
            except Exception as exc:  # noqa: BLE001 - a case that cannot finish is a failed case
                ok, what = False, f"{type(exc).__name__}: {exc}".splitlines()[0]
            if errors:
                ok, what = False, f"browser error: {errors[-1]}"
                errors.clear()
            rows.append({"preset": preset, "intervention": kind or "off", "start": end or "", "passed": ok,
                         "what": what, "seconds": round(time.monotonic() - t0, 1)})
            print(f"{'ok  ' if ok else 'FAIL'} {preset:22s} {kind or 'off':22s} {end or '':5s} {what}", flush=True)
    failed = [r for r in rows if not r["passed"]]
    with outputs.staged_output(args.out, command=key, overwrite=True) as stage:
        with open(stage / "matrix.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        outputs.write_json(stage / "manifest.json", outputs.manifest(
            command_key=key, presets=chosen, cases=len(rows), failed=len(failed),
            elapsed_seconds=round(time.monotonic() - start, 1)))
    print(f"{len(rows) - len(failed)} of {len(rows)} cases passed in {time.monotonic() - start:.0f} s; "
          f"table: {args.out / 'matrix.csv'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

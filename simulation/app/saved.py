"""Save and load a run: the settings and the results in one HTML file a student can hand in.

:func:`run_file` writes one self-contained HTML page (no scripts to run, no resources fetched: it
reads offline in any browser): what was run (every control of the page, with the preset's value
where it differs), when and with which SecureBase, the age reached, the A/B/C/D shares with 95%
Wilson intervals (and the comparison run's), the daily population means week by week, the
per-dyad table (the CLI's ``dyads.csv`` columns, :func:`simulation.report.records.dyad_table`)
and the figures as embedded PNGs. For loading, the page also holds one machine-readable block,
``<script type="application/json" id="securebase-run">``: the format version, the settings (the
keywords of :class:`~simulation.app.controls.AppModel`), the day reached and a fingerprint of the
results (each dyad's class, a few daily means).

:func:`read_run` reads that block back (anything else is refused with one
:class:`~simulation.errors.UserError` sentence: a file not saved by SecureBase, a newer format, a
setting that is not a control or is out of its slider's range, an unknown preset), and
:func:`replay` rebuilds the model from the settings, runs it to the saved day (the model is
deterministic given its seed) and says in plain words whether the results are those saved.

Pure Python: the page offers these through ``solara.FileDownload`` and ``solara.FileDrop``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import inspect
import io
import json
import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Mapping

import numpy as np
import pandas as pd

import simulation
from simulation.errors import MAX_DIGITS, UserError, cut, shown
from simulation.measures.strange_situation import CLASSES
from simulation.model.calendar import month_day
from simulation.report import explain as explain_mod
from simulation.report import outputs, records
from simulation.report.style import CLASS_LABELS
from simulation.scenario import load_scenario

from . import figures
from .controls import (CONTROLS, AppModel, compare_choices, default_partner, intervention_kinds,
                       intervention_start_range, model_params, presets)

log = logging.getLogger("simulation.app")

FORMAT = "securebase-run"
"""The ``format`` field of the machine-readable block (and the block's ``id``)."""
FORMAT_VERSION = 1
"""The layout of the block this SecureBase writes and reads."""
MAX_FILE_BYTES = 50_000_000
"""Largest file :func:`read_run` reads (a saved run of 300 dyads is well under 1 MB)."""
MAX_SEED_CHARS = 1000
"""Longest seed text a run file holds (the page's seed box takes any text; a seed is a word or a number)."""
WEEK = 7
"""Days between the rows of the daily means table."""
DIGITS = 8
"""Significant digits of the daily means in the fingerprint."""
REL_TOL = 1e-6
"""Relative difference of a daily mean that counts as different on replay."""

SETTING_KEYS: tuple[str, ...] = ("preset", "n_dyads", "seed", *CONTROLS, "intervention", "intervention_kind",
                                 "intervention_start", "compare_with")
"""The page's controls: the keywords of :class:`AppModel` a saved run records."""


@dataclass(frozen=True)
class SavedRun:
    """What a run file says: enough to rebuild the run and to check the rebuilt one."""

    settings: dict[str, Any]
    """The keywords of :class:`AppModel` (every control of the page)."""
    day: int
    """The model's day when saved (negative before birth)."""
    fingerprint: dict[str, Any]
    format_version: int = FORMAT_VERSION
    saved_with: dict[str, Any] = field(default_factory=dict)
    """``securebase`` (version), ``commit`` (git, or None), ``saved`` (UTC time), package versions."""

    @property
    def version(self) -> str:
        """The SecureBase version that saved the run (as written in the file)."""
        return str(self.saved_with.get("securebase", "unknown"))

    @property
    def commit(self) -> str | None:
        """The git commit of the SecureBase that saved the run, if it was known."""
        commit = self.saved_with.get("commit")
        return commit if isinstance(commit, str) and commit else None


# ------------------------------------------------------------------------------ settings
def _defaults() -> dict[str, Any]:
    sig = inspect.signature(AppModel.__init__)
    return {k: sig.parameters[k].default for k in SETTING_KEYS}


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones (a slider may hand over numpy numbers)."""
    return value.item() if isinstance(value, np.generic) else value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole(value: Any) -> bool:
    """A whole number (an int, or a float without a fraction); never converts a huge int to float."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value) and value.is_integer())


def _real(value: Any) -> bool:
    """A finite number a float can hold (not NaN, not infinite, no 400-digit int)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < 1e300
    return isinstance(value, float) and math.isfinite(value)


def _fmt(x: float) -> str:
    return f"{x:g}"


@lru_cache(maxsize=1)
def _dyads_range() -> dict[str, Any]:
    return model_params()["n_dyads"]


@lru_cache(maxsize=1)
def _start_range() -> tuple[int, int]:
    """The start days any preset offers: a start left on the slider from another preset is a valid
    setting (:class:`AppModel` moves it into the preset's days and says so)."""
    ranges = [intervention_start_range(load_scenario(p)) for p in presets()]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _refuse(key: str, value: Any, allowed: str) -> UserError:
    return UserError(f"setting {key!r} is {shown(value)}, {allowed}")


def check_settings(settings: Any) -> dict[str, Any]:
    """The settings as :class:`AppModel` keywords, every control present (missing ones at their
    defaults), or one :class:`UserError` naming the setting, its value and what is allowed."""
    if not isinstance(settings, Mapping):
        raise UserError(f"the settings are {shown(settings)}, not a table of the page's controls")
    unknown = [k for k in settings if k not in SETTING_KEYS]
    if unknown:
        key = unknown[0]
        raise UserError(f"setting {shown(key)} is not a control of the page; the controls are "
                        f"{', '.join(SETTING_KEYS)}")
    out = _defaults()
    out.update({k: _plain(v) for k, v in settings.items()})
    preset = out["preset"]
    if not isinstance(preset, str) or preset not in presets():
        raise _refuse("preset", preset, f"not a preset; the presets are {', '.join(presets())}")
    dyads = _dyads_range()
    n = out["n_dyads"]
    if not (_whole(n) and dyads["min"] <= n <= dyads["max"]):
        raise _refuse("n_dyads", n, f"out of the slider's range: allowed are whole numbers from {dyads['min']} "
                                    f"to {dyads['max']}")
    out["n_dyads"] = int(n)
    seed = out["seed"]
    if isinstance(seed, str):
        if len(seed) > MAX_SEED_CHARS:
            raise _refuse("seed", seed, f"longer than a seed may be ({len(seed):,} characters; at most "
                                        f"{MAX_SEED_CHARS:,})")
    elif not (_whole(seed) and abs(seed) < 10 ** MAX_DIGITS):
        raise _refuse("seed", seed, f"not a seed: allowed are a whole number (up to {MAX_DIGITS} digits) or text")
    else:
        out["seed"] = int(seed)
    for name, c in CONTROLS.items():
        v = out[name]
        if v is None:  # AppModel: the preset's value
            continue
        whole = "whole numbers" if c.integer else "numbers"
        if not ((_whole(v) if c.integer else _real(v)) and c.min <= v <= c.max):
            raise _refuse(name, v, f"out of the {c.label} slider's range: allowed are {whole} from {_fmt(c.min)} "
                                   f"to {_fmt(c.max)}")
        out[name] = int(v) if c.integer else float(v)
    if not isinstance(out["intervention"], bool):
        raise _refuse("intervention", out["intervention"], "allowed are true and false (the checkbox)")
    kinds = intervention_kinds()
    if out["intervention_kind"] not in kinds:
        raise _refuse("intervention_kind", out["intervention_kind"],
                      f"not an intervention; allowed are {', '.join(kinds)}")
    first, last = _start_range()
    start = out["intervention_start"]
    if not (_whole(start) and first <= start <= last):
        raise _refuse("intervention_start", start, f"out of the start slider's range: allowed are whole numbers "
                                                   f"from {first} to {last} (days of age)")
    out["intervention_start"] = int(start)
    choices = compare_choices()
    if out["compare_with"] is not None and out["compare_with"] not in choices:
        raise _refuse("compare_with", out["compare_with"], f"not a comparison; allowed are {', '.join(choices)}")
    return out


def day_range(preset: str) -> tuple[int, int]:
    """The first and last day of a preset's run (negative: before birth)."""
    sim = load_scenario(preset).simulation
    return -int(sim.prenatal_days), month_day(sim.months)


# ------------------------------------------------------------------------------ fingerprint
def _rounded(x: Any) -> float | None:
    x = float(x)
    return float(f"{x:.{DIGITS}g}") if math.isfinite(x) else None


def fingerprint(model: AppModel) -> dict[str, Any]:
    """What a replay is checked against: each dyad's class (assessed or preview), the last day's
    population means, mean security week by week, and the comparison run's classes; in a scenario
    with households also the infants' classes with their second caregivers (``classes_cg2``, in
    the order of the dyads that have one)."""
    cls, _, assessed = figures.attachment_classes(model)
    df = figures.daily_frame(model)
    fp: dict[str, Any] = {"classes": "".join(str(c) for c in cls), "assessed": bool(assessed), "daily_last": {},
                          "security_weekly": []}
    if len(df):
        fp["daily_last"] = {str(k): _rounded(v) for k, v in df.iloc[-1].items()}
        fp["security_weekly"] = [_rounded(v) for v in df["security_index"].iloc[::WEEK]]
    second = figures.second_attachment_classes(model)
    if second is not None:
        fp["classes_cg2"] = "".join(str(c) for c in second[1])
    if model.twin is not None:
        fp["twin_classes"] = "".join(str(c) for c in figures.attachment_classes(model.twin)[0])
    return fp


def _check_fingerprint(fp: Any) -> dict[str, Any]:
    if not isinstance(fp, Mapping):
        raise UserError(f"its results fingerprint is {shown(fp)}, not a table")
    for key in ("classes", "classes_cg2", "twin_classes"):
        if key in fp and not (isinstance(fp[key], str) and set(fp[key]) <= set(CLASSES)):
            raise UserError(f"its fingerprint's {key!r} is {shown(fp[key])}: allowed are the letters "
                            f"{', '.join(CLASSES)}")
    if "classes" not in fp:
        raise UserError("its fingerprint has no 'classes' (each dyad's class)")
    daily = fp.get("daily_last", {})
    if not (isinstance(daily, Mapping) and all(v is None or _real(v) for v in daily.values())):
        raise UserError(f"its fingerprint's 'daily_last' is {shown(daily)}: allowed is a table of numbers")
    weekly = fp.get("security_weekly", [])
    if not (isinstance(weekly, list) and all(v is None or _real(v) for v in weekly)):
        raise UserError(f"its fingerprint's 'security_weekly' is {shown(weekly)}: allowed is a list of numbers")
    return dict(fp)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def differences(saved: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """How the results ``now`` differ from those ``saved`` (fingerprints), in words; empty if the same."""
    out: list[str] = []
    missing = {"classes_cg2": ("the classes with the second caregivers were not saved",
                               "the classes with the second caregivers are missing from this replay"),
               "twin_classes": ("the comparison run was not saved", "the comparison run is missing from this replay")}
    for key, where in (("classes", ""), ("classes_cg2", " with their second caregivers"),
                       ("twin_classes", " in the comparison run")):
        a, b = saved.get(key), now.get(key)
        if a is None and b is None:
            continue
        if a is None or b is None:
            out.append(missing[key][0 if a is None else 1])
        elif len(a) != len(b):
            out.append(f"the replay has {len(b)} dyads{where}, the saved run {len(a)}")
        else:
            n = sum(x != y for x, y in zip(a, b))
            if n:
                what = "dyad's class" if n == 1 else "dyads' classes"
                out.append(f"the replayed results differ from the saved ones in {n} {what}{where}")
    if bool(saved.get("assessed")) != bool(now.get("assessed")):
        out.append("the saved classes were " + ("assessed" if saved.get("assessed") else "a preview")
                   + ", the replayed ones " + ("assessed" if now.get("assessed") else "a preview"))
    da, db = saved.get("daily_last", {}), now.get("daily_last", {})
    cols = sorted(k for k in set(da) | set(db) if not _close(da.get(k), db.get(k)))
    wa, wb = saved.get("security_weekly", []), now.get("security_weekly", [])
    if len(wa) != len(wb) or any(not _close(x, y) for x, y in zip(wa, wb)):
        cols.append("weekly security_index")
    if cols:
        out.append(f"the replayed daily means differ from the saved ones ({cut(', '.join(cols), 200)})")
    return out


# ------------------------------------------------------------------------------ provenance
def _commit_words(commit: Any) -> str:
    return f"commit {commit[:7]}" if isinstance(commit, str) and commit else "commit unknown"


def _when(iso: str) -> str:
    """An ISO time in UTC as people write it: 2026-12-04 03:57 UTC."""
    return _dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")


def provenance() -> dict[str, Any]:
    """SecureBase's version and commit, the packages' versions, and the time now (UTC)."""
    return {"securebase": simulation.__version__, "commit": outputs.git_commit(),
            "saved": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": outputs.versions()}


# ------------------------------------------------------------------------------ the HTML file
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:1.5em auto;
max-width:72em;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.15em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.scroll{overflow-x:auto;max-height:40em;overflow-y:auto}.scroll table{font-size:.75em;white-space:nowrap}
.scroll td{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#555}.warn{color:#9a3412}img{max-width:100%;height:auto}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _cell(v: Any) -> str:
    v = _plain(v)
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "<td></td>"
    if isinstance(v, bool):
        return f"<td>{'yes' if v else 'no'}</td>"
    if isinstance(v, float):
        return f"<td>{v:.4g}</td>"
    if isinstance(v, int):
        return f"<td>{v}</td>"
    return f"<td>{_e(v)}</td>"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _frame(df: pd.DataFrame) -> str:
    return _table([str(c) for c in df.columns], df.astype(object).values.tolist())


def _shown_value(key: str, value: Any) -> str:
    if value is None:
        return "(the preset's default)" if key == "compare_with" else "(the preset's value)"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def settings_rows(settings: Mapping[str, Any]) -> list[list[str]]:
    """[label, setting, value, preset's value where it differs] for every control (a value left to
    the preset, ``None``, is shown as the preset's value)."""
    params = model_params(settings["preset"])
    scenario = load_scenario(settings["preset"])
    rows = []
    for key in SETTING_KEYS:
        p = params.get(key)
        label = p.get("label", key) if isinstance(p, dict) else "Preset"
        value = settings[key]
        shown_value, preset_value = _shown_value(key, value), ""
        if key in CONTROLS:
            before = CONTROLS[key].preset_value(scenario)
            if value is None:
                shown_value = f"{_shown_value(key, before)} (the preset's)"
            elif not math.isclose(before, float(value), abs_tol=1e-9):
                preset_value = _shown_value(key, before)
        elif key == "compare_with" and value is None:
            shown_value = f"{default_partner(settings['preset'])} (the preset's default)"
        elif key in ("intervention_kind", "intervention_start") and not settings["intervention"]:
            shown_value += " (not used: intervention off)"
        rows.append([label, key, shown_value, preset_value])
    return rows


def class_rows(cls: np.ndarray) -> list[list[Any]]:
    """[class, n, %, 95% CI] for A/B/C/D (Wilson intervals; empty before birth)."""
    n = len(cls)
    if not n:
        return [[CLASS_LABELS[c], 0, "", ""] for c in CLASSES]
    counts, ci = figures.class_counts(cls), figures.class_cis(cls)  # the figures' own counts and intervals
    return [[CLASS_LABELS[c], counts[c], f"{100 * counts[c] / n:.1f}%", f"{ci[c][0]:.1f}% to {ci[c][1]:.1f}%"]
            for c in CLASSES]


def _classes_section(title: str, cls: np.ndarray, caption: str) -> str:
    return (f"<h3>{_e(title)}</h3>\n<p class=\"note\">{_e(caption)}; {len(cls)} infants.</p>\n"
            + _table(["class", "infants", "share", "95% CI (Wilson)"], class_rows(cls)))


def weekly_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Every seventh day of the daily means from the first, and the last day."""
    if not len(df):
        return df
    idx = sorted(set(range(0, len(df), WEEK)) | {len(df) - 1})
    return df.iloc[idx]


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figures(model: AppModel) -> str:
    draw = [("Over age: population means", figures.live_figure), ("A/B/C/D", figures.attachment_figure)]
    if model.twin is not None:
        draw.append(("Comparison", figures.comparison_figure))
    parts = []
    for title, fn in draw:
        try:
            data = _png(fn(model))
        except Exception:  # noqa: BLE001 - a figure that cannot be drawn must not lose the student's run
            log.exception("app: the %s figure could not be drawn for the saved run", title)
            parts.append(f"<p class=\"note\">({_e(title)}: the figure could not be drawn.)</p>")
            continue
        parts.append(f'<figure><img alt="{_e(title)}" src="data:image/png;base64,{data}"></figure>')
    return "\n".join(parts)


def _json_block(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    # nothing in the block can end the script element or open a comment (``</script>``, ``<!--``)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{FORMAT}">{text}</script>'


def file_name(model: AppModel) -> str:
    return f"securebase_{re.sub(r'[^A-Za-z0-9_-]', '_', model.preset)}_day{model.day}.html"


def run_file(model: AppModel, settings: Mapping[str, Any], *, with_figures: bool = True) -> tuple[str, bytes]:
    """(file name, the HTML file's bytes) of ``model`` built with ``settings`` (its keywords) and
    run to today. Refuses settings that :func:`read_run` would refuse (UserError)."""
    settings = check_settings(settings)
    if settings["preset"] != model.preset or settings["n_dyads"] != model.n:
        raise ValueError(f"the settings ({settings['preset']}, {settings['n_dyads']} dyads) are not those of the "
                         f"model ({model.preset}, {model.n} dyads)")
    prov = provenance()
    cls, caption, assessed = figures.attachment_classes(model)
    fp = fingerprint(model)
    data = {"format": FORMAT, "format_version": FORMAT_VERSION, "settings": settings, "day": int(model.day),
            "fingerprint": fp, "saved_with": prov}
    title = f"SecureBase run: {model.label}, {explain_mod.age_words(model.day)}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="SecureBase">',
        f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>Saved {_e(_when(prov['saved']))} with SecureBase {_e(prov['securebase'])} "
        f"({_e(_commit_words(prov['commit']))}). "
        f"{model.n} dyads, random seed {_e(settings['seed'])}. To see this run again, load this file in the "
        f"SecureBase app: it is rebuilt from the settings below and checked against the results saved here.</p>",
    ]
    if model.error:
        parts.append(f'<p class="warn">{_e(model.error)}</p>')
    parts += ["<h2>Settings</h2>",
              _table(["control", "setting", "value", "preset's value (where different)"], settings_rows(settings))]
    if model.intervention:
        iv = model.intervention
        parts.append(f"<p>Intervention added: {_e(iv['kind'])} from day {_e(iv['start_day'])}.</p>")
    for label, before, after in model.changes:
        if "moved" in label:
            parts.append(f'<p class="note">{_e(label)}: {_e(before)} became {_e(after)}.</p>')
    parts += ["<h2>Age reached</h2>", f"<p>{_e(explain_mod.age_words(model.day))}.</p>",
              "<h2>Attachment (A/B/C/D)</h2>",
              _classes_section(model.label, cls, caption)]
    second = figures.second_attachment_classes(model)
    if second is not None:
        _, caption2, _ = figures.attachment_classes(model.households)
        parts.append(_classes_section(f"{model.label}: with the second caregiver (households with two)", second[1],
                                      caption2))
    if model.twin is not None:
        tcls, tcaption, _ = figures.attachment_classes(model.twin)
        parts.append(_classes_section(f"Compared with: {model.twin_label} (same infants, same random numbers)",
                                      tcls, tcaption))
    if with_figures:
        parts += ["<h2>Figures</h2>", _figures(model)]
    daily = weekly_rows(figures.daily_frame(model))
    parts += ["<h2>Daily population means (every 7th day and the last)</h2>",
              '<div class="scroll">' + _frame(daily) + "</div>"]
    dyads = records.dyad_table(model)
    if not assessed and len(cls) == len(dyads):
        dyads.insert(2, "attachment_preview", cls)
    parts += ["<h2>Per dyad</h2>",
              f"<p class=\"note\">One row per dyad, the columns of the command line's dyads.csv"
              f"{'' if assessed else ' (attachment_preview: the preview of the A/B/C/D view)'}.</p>",
              '<div class="scroll">' + _frame(dyads) + "</div>",
              _json_block(data), "</body>", "</html>", ""]
    return file_name(model), "\n".join(parts).encode("utf-8")


# ------------------------------------------------------------------------------ reading
class _BlockFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("id") == FORMAT and (a.get("type") or "").lower() == "application/json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


NOT_A_RUN = ("is not a run saved by SecureBase (no securebase-run block in it): choose the .html file the app's "
             "Save button wrote")


def _text(data: Any) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_FILE_BYTES:
            raise UserError(f"This file ({len(data):,} bytes) is too large to be a saved run (at most "
                            f"{MAX_FILE_BYTES:,} bytes): choose the .html file the app's Save button wrote")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(f"This file is not text, so it {NOT_A_RUN}") from None
    if isinstance(data, str):
        if len(data) > MAX_FILE_BYTES:
            raise UserError(f"This file ({len(data):,} characters) is too large to be a saved run")
        return data
    raise UserError(f"A run file is read from bytes or text, not from {shown(data)}")


def _block(text: str) -> dict[str, Any]:
    finder = _BlockFinder()
    try:
        finder.feed(text)
        finder.close()
    except Exception:  # noqa: BLE001 - html.parser on arbitrary input: any failure means not our file
        raise UserError(f"This file {NOT_A_RUN}") from None
    if not finder.blocks:
        raise UserError(f"This file {NOT_A_RUN}")
    if len(finder.blocks) > 1:
        raise UserError(f"This file holds {len(finder.blocks)} securebase-run blocks, not one: it was not saved by "
                        f"SecureBase as it is")
    try:
        data = json.loads(finder.blocks[0])
    except (ValueError, RecursionError):
        raise UserError("This file's securebase-run block is not valid JSON: the file was changed after SecureBase "
                        "saved it") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"This file {NOT_A_RUN}")
    return data


def read_run(data: bytes | str) -> SavedRun:
    """The run saved in a file written by :func:`run_file`, or one :class:`UserError` sentence
    saying why the file cannot be loaded."""
    block = _block(_text(data))
    version = block.get("format_version")
    if not _whole(version):
        raise UserError(f"This file's format version is {shown(version)}, not a whole number: it was not saved by "
                        f"SecureBase as it is")
    if version != FORMAT_VERSION:
        newer = version > FORMAT_VERSION
        raise UserError(f"This file's format version is {int(version)}; this SecureBase reads version {FORMAT_VERSION}"
                        + (": it was saved by a newer SecureBase, update this one to load it" if newer else ""))
    try:
        given = block.get("settings")
        missing = [k for k in SETTING_KEYS if k not in given] if isinstance(given, dict) else []
        if missing:
            raise UserError(f"setting {missing[0]!r} is missing: a saved run lists every control of the page "
                            f"({', '.join(SETTING_KEYS)})")
        settings = check_settings(given)
        day = block.get("day")
        first, last = day_range(settings["preset"])
        if not (_whole(day) and first <= day <= last):
            raise _refuse("day", day, f"not a day of the {settings['preset']} run: allowed are whole numbers from "
                                      f"{first} to {last}")
        fp = _check_fingerprint(block.get("fingerprint"))
        saved_with = block.get("saved_with") or {}
        if not isinstance(saved_with, dict):
            raise _refuse("saved_with", saved_with, "not a table of versions")
    except UserError as exc:
        raise UserError(f"This run file cannot be loaded: {exc}") from None
    return SavedRun(settings=settings, day=int(day), fingerprint=fp, format_version=int(version),
                    saved_with=saved_with)


def replay(saved: SavedRun) -> tuple[AppModel, list[str]]:
    """The saved run rebuilt and run to its day, and what differs from the saved results, in plain
    words (empty when the replay is the saved run)."""
    model = AppModel(**saved.settings)
    while model.day < saved.day and model.running:
        model.step()
    problems = []
    if model.day != saved.day:
        problems.append(f"the replay stopped at day {model.day}, the run was saved at day {saved.day}")
    problems += differences(saved.fingerprint, fingerprint(model))
    if not problems:
        return model, []
    before = f"SecureBase {cut(saved.version, 20)} ({_commit_words(saved.commit)})"
    now = f"SecureBase {simulation.__version__} ({_commit_words(outputs.git_commit())})"
    return model, [f"Saved with {before}, this is {now}: {p}." for p in problems]

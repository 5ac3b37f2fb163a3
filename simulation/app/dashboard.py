"""The dashboard: the control column and the panels of the page, in one fixed grid.

Why not Mesa's ``SolaraViz`` page: in a classroom it showed Mesa's own controls ("Play Interval",
"Render Interval", "Use Threads"), a "PAGE 0" tab, "Time: N" counted from the first simulated day,
sliders with no value on screen, a drag-and-drop grid that a student could rearrange with no way
back, and a sidebar that covered a phone's screen (issue 17). The page keeps Mesa's parts that do
the work: the model is a ``mesa.Model`` (:class:`AppModel`) and the views redraw on Mesa's
``update_counter``; the controls and the layout are the app's own:

- :func:`RunControls`: Reset, ▶ and Step after Mesa's ``ModelController``, with Step a week and
  ▶ a frame every four weeks (one speed for both made a server too slow for a class);
- :func:`ControlPanel`: the preset, the run controls, every control with its value written beside
  it in plain units, a "changed: press Reset" state, **Restore preset**, and saving and loading a
  run (:func:`SaveLoad`: one HTML file with the settings and the results, ``saved.py``);
- :func:`Dashboard`: the control column beside the panels, in a CSS grid that fits a 1280×720
  projector (controls and the four figures on screen together) and stacks on a phone.

The one name of each control runs end to end: the slider, the keyword of :class:`AppModel`
(``controls.CONTROLS`` and ``model_params``) and the model's ``settings``. The ``Page`` that
holds the dashboard is in ``__init__.py``, where Solara looks for it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import solara
import solara.lab
from mesa.visualization.utils import force_update, update_counter

from simulation.scenario import load_scenario

from simulation.errors import UserError

from . import saved
from .controls import (CONTROLS, DAYS_PER_STEP, AppModel, changed_settings, control_text, initial_kwargs,
                       model_params, preset_values, presets)
from .views import AttachmentView, ComparisonView, ExplainView, LivePlots, NetworkView, ScenarioCard, _md, age_text

log = logging.getLogger("simulation.app")

TITLE = "SecureBase: how answers become security"
PLAY_DAYS = 28
"""Days run between two drawings of the page while ▶ plays: four weeks, the age scale students
watch (the panels' ages are in months). Drawing the page costs far more than running the days
(issue 17: a class of 30), so a frame a month lets four sessions share one server."""
PLAY_PAUSE_S = 0.25
"""Pause between two frames while ▶ plays, so that a year takes a few seconds to watch (the pause
costs the server nothing)."""
CONTROL_COLUMN_PX = 340
"""Width of the control column on a wide screen; the panels share the rest (two columns)."""
PHONE_MAX_PX = 820
"""Below this width the page is one column: controls first, then the panels."""

CSS = f"""
.sb-app {{ display: grid; gap: 8px; padding: 8px; box-sizing: border-box;
  grid-template-columns: {CONTROL_COLUMN_PX}px minmax(0, 1fr) minmax(0, 1fr);
  grid-template-rows: calc(50vh - 12px) calc(50vh - 12px) auto;
  grid-template-areas: "controls network attachment" "controls live comparison" "scenario scenario explain"; }}
.sb-controls {{ grid-area: controls; overflow-y: auto; }}
.sb-network {{ grid-area: network; }} .sb-attachment {{ grid-area: attachment; }}
.sb-live-plots {{ grid-area: live; }} .sb-comparison {{ grid-area: comparison; }}
.sb-scenario {{ grid-area: scenario; }} .sb-explain {{ grid-area: explain; }}
.sb-view {{ overflow-y: auto; overflow-x: hidden; padding: 4px 8px; background: white;
  border: 1px solid #e0e0e0; border-radius: 4px; min-height: 0; }}
.sb-view img {{ width: 100%; height: auto; display: block; }}
.sb-md p, .sb-md li {{ font-size: 14px; line-height: 1.45; margin-bottom: 4px; }}
.sb-md ul {{ margin-bottom: 6px; }}
.sb-md h2 {{ font-size: 18px; font-weight: 600; margin: 0 0 4px 0; }}
.sb-md h3 {{ font-size: 17px; font-weight: 500; margin: 2px 0 4px 0; }}
.sb-small p, .sb-small li {{ font-size: 13px; }}
.sb-muted p {{ color: #555; }}
.sb-md strong {{ font-weight: 600; }}
.sb-md em {{ font-style: italic; }}
.sb-md code {{ font-size: 13px; }}
.sb-control {{ display: flex; align-items: center; gap: 6px; min-height: 40px; }}
.sb-control > :first-child {{ flex: 1 1 auto; min-width: 0; }}
.sb-control .v-label {{ font-size: 14px; min-width: 104px; }}
.sb-control .v-messages, .sb-control .v-text-field__details {{ display: none; }}
.sb-control .v-input__slot {{ margin-bottom: 0; }}
.sb-control .v-input {{ margin-top: 4px; padding-top: 0; }}
.sb-value {{ flex: 0 0 74px; align-self: center; text-align: right; font-size: 14px; line-height: 1.3;
  font-variant-numeric: tabular-nums; }}
.sb-changed .sb-value, .sb-value.sb-changed {{ color: #b35900; font-weight: 700; }}
.sb-pending {{ background: #fff3e0; border-left: 4px solid #e69f00; padding: 4px 8px; margin: 4px 0;
  font-size: 14px; }}
.sb-age {{ font-size: 15px; font-weight: 600; margin: 2px 0 6px 0; }}
@media (max-width: {PHONE_MAX_PX}px) {{
  .sb-app {{ grid-template-columns: minmax(0, 1fr); grid-template-rows: none;
    grid-template-areas: "controls" "attachment" "live" "network" "comparison" "explain" "scenario"; }}
  .sb-view {{ max-height: none; }}
  .sb-view.sb-controls {{ max-height: 45vh; }}
}}
"""
"""The page's style sheet: the grid of the panels, readable text (at least 13 px), the controls' values."""

VIEWS = [NetworkView, AttachmentView, LivePlots, ComparisonView, ScenarioCard, ExplainView]
"""The panels, each placed by its CSS class (``sb-network``, ...) in the grid of :data:`CSS`."""


@solara.component
def ShowAge(model: AppModel):
    """The infants' age, as the scenario card gives it (not Mesa's step count, which counts the
    days of pregnancy too)."""
    update_counter.get()
    return solara.Text(age_text(model), classes=["sb-age"])


@solara.component
def RunControls(model: solara.Reactive[AppModel], settings: solara.Reactive[dict[str, Any]]):
    """Reset, ▶/❚❚ and Step, after Mesa's ``ModelController`` (a threaded task that steps the model
    and ticks Mesa's ``update_counter``), with two speeds: Step runs one week (what the one-dyad
    panel describes), ▶ draws a frame every :data:`PLAY_DAYS` days. A failure while running is
    shown under the buttons and logged, never a traceback in place of the page."""
    update_counter.get()
    playing = solara.use_reactive(False)
    error = solara.use_reactive(None)
    running = model.value.running

    def advance(days: int) -> None:
        m = model.value
        for _ in range(days):
            if not m.running:
                break
            m.step()
        force_update()

    def play_loop():
        try:
            while playing.value and model.value.running:
                advance(PLAY_DAYS)
                time.sleep(PLAY_PAUSE_S)
        except Exception as exc:  # noqa: BLE001 - shown in the page and logged, not raised into it
            log.exception("app: running the model failed")
            error.set(f"The run stopped: {exc}")
        finally:
            playing.set(False)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def step():
        try:
            advance(DAYS_PER_STEP)
        except Exception as exc:  # noqa: BLE001 - as above
            log.exception("app: running the model failed")
            error.set(f"The run stopped: {exc}")

    def reset():
        playing.set(False)
        error.set(None)
        model.set(AppModel(**settings.value))

    with solara.Column(gap="2px") as main:
        with solara.Row(justify="space-between", margin=0):
            solara.Button("Reset", color="primary", on_click=reset)
            solara.Button("❚❚" if playing.value else "▶", color="primary", on_click=lambda: playing.set(not playing.value),
                          disabled=not running)
            solara.Button("Step", color="primary", on_click=step, disabled=playing.value or not running)
        if error.value:
            solara.Error(error.value)
    return main


def complete_settings(settings: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """``settings`` with a value for every control (a control left to the preset, None, takes the
    preset's value), as the control column shows them."""
    out = dict(settings)
    for name, options in params.items():
        if isinstance(options, dict) and "type" in options and out.get(name) is None:
            out[name] = options["value"]
    return out


def load_run(info: dict[str, Any], preset_choice: solara.Reactive[str], model: solara.Reactive[AppModel],
             settings: solara.Reactive[dict[str, Any]], loaded: solara.Reactive[dict | None]) -> None:
    """Load a run file dropped on the page (``saved.read_run``), replay it (``saved.replay``) and show it:
    its settings in the controls, its model in the panels (its preset's page when it is another
    preset's run), and what happened in the control column. A file that is not a saved run, or a
    setting out of range, is said in one sentence; nothing of the page is lost."""
    name = str(info.get("name") or "the file")
    try:
        run = saved.read_run(info.get("data") or b"")
        new_model, warnings = saved.replay(run)
    except UserError as exc:
        loaded.set({"model": model.value, "kind": "error", "text": f"Could not load {name}: {exc}"})
        return
    preset = run.settings["preset"]
    values = complete_settings(run.settings, model_params(preset))
    text = (f"Loaded {name}: {preset}, {age_text(new_model)}, saved with SecureBase {run.version}"
            + (": " + " ".join(warnings) if warnings else "; the replay gives the saved results."))
    loaded.set({"model": new_model, "settings": values, "kind": "warning" if warnings else "success", "text": text})
    if preset == preset_choice.value:
        settings.set(values)
        model.set(new_model)
    else:  # the page of that preset takes the loaded run (Dashboard)
        preset_choice.set(preset)


@solara.component
def FilePicker(on_file, accept: str = ".html"):
    """Choose a file from the computer or the phone (ipyvuetify's file input), read it whole and pass
    Solara's ``FileInfo`` (name, size, data) to ``on_file``. Solara's own FileDrop takes a file only by
    drag and drop, which a phone and a keyboard cannot do; this is its reading logic
    (``solara.components.file_drop._FileDrop``) on the file input that opens a chooser."""
    from ipyvuetify.extra import FileInput

    file_info, set_file_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    picker = FileInput.element(multiple=False, accept=accept, on_file_info=set_file_info)

    def wire():
        if not file_info:
            return
        real = solara.get_widget(picker)
        real.version += 1  # as Solara does: a new version of the same file is read again
        real.reset_stats()
        set_wired(real.get_files())

    solara.use_effect(wire, [file_info])

    def read(cancel):
        if wired:
            info = dict(wired[0])
            info["data"] = info["file_obj"].read()
            on_file(info)

    result = solara.use_thread(read, [wired])
    if result.error:
        log.error("app: reading a file failed: %s", result.error)
    return picker


@solara.component
def SaveLoad(preset_choice: solara.Reactive[str], model: solara.Reactive[AppModel],
             settings: solara.Reactive[dict[str, Any]], loaded: solara.Reactive[dict | None]):
    """Save the run as one HTML file a student can hand in (settings and results, ``saved.run_file``),
    or load one back."""
    update_counter.get()
    m = model.value

    def data() -> bytes:
        try:
            return saved.run_file(m, m.settings)[1]
        except UserError as exc:  # settings the page should never hold: said, not raised into the page
            loaded.set({"model": m, "kind": "error", "text": f"Could not save this run: {exc}"})
            return b""

    with solara.Column(gap="4px") as main:
        solara.FileDownload(data, filename=saved.file_name(m), label="Save this run (one .html file)",
                            mime_type="text/html")
        solara.Text("Load a run (a saved .html file):", style={"font-size": "14px"})
        FilePicker(on_file=lambda info: load_run(info, preset_choice, model, settings, loaded))
        note = loaded.value
        if note and note.get("model") is m:  # said until the next Reset, Restore or load
            {"error": solara.Error, "warning": solara.Warning}.get(note["kind"], solara.Success)(note["text"])
    return main


@solara.component
def ControlRow(name: str, options: dict[str, Any], value: Any, changed: bool, on_value):
    """One control of ``model_params`` with its value written beside it (marked when changed)."""
    kind = options["type"]
    label = options.get("label", name)
    classes = ["sb-control", *(["sb-changed"] if changed else [])]
    with solara.Row(classes=classes, gap="6px", margin=0) as main:
        if kind == "SliderFloat":
            solara.SliderFloat(label, value=float(value), min=options["min"], max=options["max"], step=options["step"],
                               on_value=on_value, thumb_label=False)
        elif kind == "SliderInt":
            solara.SliderInt(label, value=int(value), min=options["min"], max=options["max"], step=options["step"],
                             on_value=on_value, thumb_label=False)
        elif kind == "Select":
            solara.Select(label, value=value, values=options["values"], on_value=on_value)
        elif kind == "Checkbox":
            solara.Checkbox(label=label, value=bool(value), on_value=on_value)
        elif kind == "InputText":
            solara.InputText(label, value=str(value), on_value=on_value, continuous_update=False)
        else:  # pragma: no cover - model_params is the app's own
            raise ValueError(f"unknown control type {kind!r}")
        if kind.startswith("Slider"):
            solara.Text(control_text(name, value), classes=["sb-value"])
    return main


@solara.component
def ControlPanel(preset: solara.Reactive[str], model: solara.Reactive[AppModel],
                 settings: solara.Reactive[dict[str, Any]], params: dict[str, Any],
                 loaded: solara.Reactive[dict | None] | None = None):
    """The control column: preset, Reset/▶/Step, the controls with their values, what is changed,
    saving and loading a run."""
    update_counter.get()
    loaded = solara.use_reactive(None) if loaded is None else loaded
    applied = model.value.settings
    changed = changed_settings(settings.value, applied)

    def set_value(name: str):
        return lambda value: settings.set({**settings.value, name: value})

    def restore():
        # the preset's own values back in every control, and the model rebuilt with them
        values = initial_kwargs(params)
        settings.set(values)
        model.set(AppModel(**values))

    with solara.Column(classes=["sb-view", "sb-controls"], gap="4px") as main:
        _md(f"## {TITLE}")
        solara.Select("Preset", values=presets(), value=preset)
        ShowAge(model.value)
        RunControls(model, settings)
        # always there (empty when nothing is pending), so that the controls below keep their
        # widgets, and a slider its keyboard focus, when the note appears
        labels = ", ".join(params[name].get("label", name) for name in changed)
        solara.Text(f"Changed, not applied yet: {labels}. Press Reset to run with them." if changed else "",
                    classes=["sb-pending" if changed else "sb-nothing-pending"])
        with solara.Row(gap="6px", margin=0):
            solara.Button("Restore preset", on_click=restore, small=True, outlined=True,
                          disabled=not changed and not model.value.changes and not model.value.intervention)
            solara.Text(f"Step: {DAYS_PER_STEP} days · ▶: {PLAY_DAYS // DAYS_PER_STEP} weeks a frame",
                        style={"align-self": "center", "font-size": "14px"})
        for name, options in params.items():
            if isinstance(options, dict) and "type" in options:
                ControlRow(name, options, settings.value.get(name, options["value"]), name in changed,
                           set_value(name)).key(f"control-{name}")
        SaveLoad(preset, model, settings, loaded)
        with solara.Details("What the controls mean (preset values)"):
            values = preset_values(preset.value)
            rows = "\n".join(f"- **{c.label}** ({control_text(name, values[name])}): {c.help}"
                             for name, c in CONTROLS.items())
            _md(f"*{load_scenario(preset.value).title}*\n\n{rows}", ["sb-small"])
    return main


@solara.component
def Dashboard(preset: str, preset_choice: solara.Reactive[str] | None = None,
              loaded: solara.Reactive[dict | None] | None = None):
    """The page for one preset: the control column and the panels (rebuilt when the preset changes).
    It starts from the preset, or from a run just loaded for this preset (``loaded``)."""
    choice = solara.use_reactive(preset) if preset_choice is None else preset_choice
    loaded = solara.use_reactive(None) if loaded is None else loaded
    params = solara.use_memo(lambda: model_params(preset), [preset])

    def first() -> tuple[dict[str, Any], AppModel]:
        run = loaded.value
        if run and "settings" in run and run["settings"]["preset"] == preset:
            return run["settings"], run["model"]
        return initial_kwargs(params), AppModel(**initial_kwargs(params))

    start_settings, start_model = solara.use_memo(first, [preset])

    def consume():
        # a loaded run opens its preset's page once: picking the preset again later gives the preset
        run = loaded.value
        if run and run.get("model") is start_model and "settings" in run:
            loaded.set({k: v for k, v in run.items() if k != "settings"})

    solara.use_effect(consume, [])
    settings = solara.use_reactive(start_settings)
    model = solara.use_reactive(start_model)
    with solara.Div(classes=["sb-app"]) as main:
        ControlPanel(choice, model, settings, params, loaded)
        for view in VIEWS:
            view(model.value)
    return main

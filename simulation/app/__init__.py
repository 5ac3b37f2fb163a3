"""The teaching app: watch attachment form, day by day, in the browser (Mesa's SolaraViz).

Start it with ``python run_sim.py app`` (or ``solara run simulation.app --host 127.0.0.1``)
and open http://127.0.0.1:8765. See ``docs/app.md`` for what every control and view shows.

- Pick a **preset** (a scenario from ``scenarios/``): its parameters load into the sliders and
  its description and teaching notes are shown.
- Move the **sliders** (sensitivity, consistency, interpretation bias, depression risk,
  support, risk factors, an intervention) and press **Reset**: the model is rebuilt with them.
- **Step** runs one week (the "Render Interval" is the number of days per Step), ▶ plays.

Views: the dyads and their supporters as a network coloured by infant security (ring: caregiver
stress); mean security, crying and caregiver depression over age; the A/B/C/D distribution
(a preview until the Strange Situation at 12 months); the same infants under a second scenario
with the same random numbers; one dyad's last days in words (``simulation.report.explain``).

The model class of the page is :class:`AppModel`: an :class:`~simulation.model.AttachmentModel`
whose keyword arguments are the sliders (SolaraViz rebuilds it with them on Reset), which keeps
a short diary of every dyad and steps a comparison model alongside.

The package, one module per job (each imports at run time only from those above it in this list):

- ``figures.py``: the matplotlib figures (network, population over age, A/B/C/D, comparison) and
  what they are drawn from.
- ``controls.py``: presets, sliders, comparison partners, intervention choices, Mesa's
  ``model_params``, and :class:`AppModel`.
- ``views.py``: the Solara components of the panels, the explain panel's dyad among them.
- ``dashboard.py``: the sidebar's preset picker, Mesa's SolaraViz with the panels laid out, the
  style sheet.
- ``server.py``: ``serve()``, the ``python -m solara run simulation.app`` child process.
- here: :func:`Page`, and the names the command line, the tests and ``docs/`` use.

``Page`` is defined here, not in a module of its own: ``solara run simulation.app`` renders the
package's ``Page`` and makes every submodule that has a ``Page``, ``page`` or ``app`` a page of
its own (a second route, and navigation tabs), so no submodule may have those names.
"""

from __future__ import annotations

import solara

from simulation.report.style import CLASS_COLOURS, CLASS_LABELS

from .controls import (CONTROLS, DAYS_PER_STEP, DEFAULT_PRESET, DIARY_DAYS, OFF, UNCHANGED, WITHOUT_INTERVENTIONS,
                       AppModel, Control, initial_kwargs, intervention_kinds, model_params, parse_seed,
                       preset_interventions, preset_values, presets)
from .dashboard import CSS, VIEWS, Dashboard, PresetPicker
from .figures import attachment_classes, attachment_figure, comparison_figure, live_figure, network_figure
from .server import HOST, PORT, serve, solara_command
from .views import AttachmentView, ComparisonView, ExplainView, LivePlots, NetworkView, ScenarioCard, watched_dyad

__all__ = [
    "AppModel", "AttachmentView", "CLASS_COLOURS", "CLASS_LABELS", "CONTROLS", "ComparisonView", "Control",
    "DAYS_PER_STEP", "DEFAULT_PRESET", "DIARY_DAYS", "Dashboard", "ExplainView", "HOST", "LivePlots", "NetworkView",
    "OFF", "PORT", "Page", "PresetPicker", "ScenarioCard", "UNCHANGED", "VIEWS", "WITHOUT_INTERVENTIONS",
    "attachment_classes", "attachment_figure", "comparison_figure", "initial_kwargs", "intervention_kinds",
    "live_figure", "model_params", "network_figure", "page", "parse_seed", "preset_interventions", "preset_values",
    "presets", "serve", "solara_command", "watched_dyad",
]


@solara.component
def Page():
    """The app: a preset picker, then Mesa's SolaraViz for that preset.

    A new preset unmounts the SolaraViz for one render before mounting a new one. A key alone
    is not enough: SolaraViz's controls live in the sidebar (a portal of the AppLayout), where
    they would otherwise survive with the old preset's parameters.
    """
    preset = solara.use_reactive(DEFAULT_PRESET)
    shown = solara.use_reactive(DEFAULT_PRESET)

    def follow_preset():
        if shown.value != preset.value:
            shown.set(preset.value)

    solara.use_effect(follow_preset, [preset.value])
    solara.Style(CSS)
    with solara.Sidebar():
        PresetPicker(preset)
    if shown.value == preset.value:
        Dashboard(preset.value).key(f"dashboard-{preset.value}")
    else:
        solara.Text(f"Loading {preset.value} ...")


page = Page()
"""The page element (``solara run simulation.app`` serves ``Page``)."""

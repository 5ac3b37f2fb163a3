"""The teaching app: watch attachment form, day by day, in the browser (Solara, with Mesa's controller).

Start it with ``python run_sim.py app`` (or ``solara run simulation.app --host 127.0.0.1``)
and open http://127.0.0.1:8765. See ``docs/app.md`` for what every control and view shows.

- Pick a **preset** (a scenario from ``scenarios/``): its parameters load into the controls and
  its description and teaching notes are shown.
- Move the **controls** (sensitivity, consistency, interpretation bias, depression risk,
  support, risk factors, an intervention; each with its value beside it) and press **Reset**: the
  model is rebuilt with them. Until then the column says what is changed and not yet applied;
  **Restore preset** puts the preset's values back.
- **Step** runs one week; ▶ plays, drawing the page every four weeks.

Views: the dyads and their supporters as a network coloured by attachment class (ring: caregiver
depressed); mean security, crying and caregiver depression over age; the A/B/C/D distribution
with 95% CIs (a preview until the Strange Situation at 12 months); the same infants under a
second scenario with the same random numbers, and whether the difference could be chance; one
dyad's last days in words (``simulation.report.explain``).

The model class of the page is :class:`AppModel`: an :class:`~simulation.model.AttachmentModel`
whose keyword arguments are the controls (the page's Reset rebuilds it with them), which keeps
a short diary of every dyad and steps a comparison model alongside.

The package, one module per job (each imports at run time only from those above it in this list):

- ``figures.py``: the matplotlib figures (network, population over age, A/B/C/D, comparison) and
  what they are drawn from.
- ``controls.py``: presets, sliders, comparison partners, intervention choices, Mesa's
  ``model_params``, and :class:`AppModel`.
- ``saved.py``: a run saved as one HTML file (settings and results) and loaded back (replayed).
- ``views.py``: the Solara components of the panels, the explain panel's dyad among them.
- ``dashboard.py``: the control column (preset, Reset/▶/Step, the controls with their values,
  save and load) and the grid of panels, with its style sheet.
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
                       AppModel, Control, changed_settings, control_text, initial_kwargs, intervention_kinds,
                       model_params, parse_seed, preset_interventions, preset_values, presets)
from .dashboard import CSS, TITLE, VIEWS, ControlPanel, Dashboard
from .figures import attachment_classes, attachment_figure, comparison_figure, live_figure, network_figure
from .server import HOST, PORT, serve, solara_command
from .views import AttachmentView, ComparisonView, ExplainView, LivePlots, NetworkView, ScenarioCard, watched_dyad

__all__ = [
    "AppModel", "AttachmentView", "CLASS_COLOURS", "CLASS_LABELS", "CONTROLS", "ComparisonView", "Control",
    "DAYS_PER_STEP", "DEFAULT_PRESET", "DIARY_DAYS", "Dashboard", "ExplainView", "HOST", "LivePlots", "NetworkView",
    "OFF", "PORT", "Page", "ControlPanel", "TITLE", "ScenarioCard", "UNCHANGED", "VIEWS", "WITHOUT_INTERVENTIONS",
    "attachment_classes", "attachment_figure", "changed_settings", "control_text", "comparison_figure",
    "initial_kwargs", "intervention_kinds",
    "live_figure", "model_params", "network_figure", "page", "parse_seed", "preset_interventions", "preset_values",
    "presets", "serve", "solara_command", "watched_dyad",
]


@solara.component
def Page():
    """The app: the dashboard of the chosen preset (a new preset builds a new dashboard: its values in
    the controls and a new model)."""
    preset = solara.use_reactive(DEFAULT_PRESET)
    loaded = solara.use_reactive(None)  # a run file just loaded, for the dashboard of its preset
    solara.Style(CSS)
    solara.Title(TITLE)
    Dashboard(preset.value, preset, loaded).key(f"dashboard-{preset.value}")


page = Page()
"""The page element (``solara run simulation.app`` serves ``Page``)."""

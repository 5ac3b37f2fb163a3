"""The dashboard: the sidebar's preset picker and Mesa's SolaraViz with the app's views laid out.

:func:`Dashboard` is Mesa's SolaraViz for one preset (its sliders from ``controls.py``, its
panels from ``views.py``), :func:`PresetPicker` the sidebar card that chooses the preset. Also
here: the page's style sheet and the sizes of the panels (Mesa gives every view the same cell;
importing this module replaces Mesa's ``make_initial_grid_layout`` with sizes for the app's six
views, its ``ShowSteps`` with :func:`ShowAge`, and gives SolaraViz a grid that cannot be dragged:
:class:`_FixedGrid`). The ``Page`` that puts picker and dashboard together is in ``__init__.py``, where
Solara looks for it.
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz
from mesa.visualization import solara_viz as _solara_viz
from mesa.visualization.utils import update_counter

from simulation.scenario import load_scenario

from .controls import AppModel, CONTROLS, DAYS_PER_STEP, initial_kwargs, model_params, preset_values, presets
from .views import AttachmentView, ComparisonView, ExplainView, LivePlots, NetworkView, ScenarioCard, _md, age_text

CSS = """
.sb-view { height: 100%; overflow-y: auto; overflow-x: hidden; padding: 4px 8px; }
.sb-view img { max-width: 100%; height: auto; }
.sb-md p, .sb-md li { font-size: 13.5px; line-height: 1.45; margin-bottom: 4px; }
.sb-md ul { margin-bottom: 6px; }
.sb-md h3 { font-size: 17px; font-weight: 500; margin: 2px 0 4px 0; }
.sb-small p, .sb-small li { font-size: 12.5px; }
.sb-muted p { color: #555; }
.sb-md strong { font-weight: 600; }
.sb-md em { font-style: italic; }
.sb-md code { font-size: 12px; }
.sb-picker .sb-md { margin-bottom: 10px; }
"""


VIEWS = [(ScenarioCard, 0), (NetworkView, 0), (LivePlots, 0), (AttachmentView, 0), (ComparisonView, 0),
         (ExplainView, 0)]

# Mesa lays every view out in a 6-wide, 10-high cell; give ours sizes that fit their content.
_LAYOUT = [
    {"i": 0, "x": 0, "y": 0, "w": 4, "h": 13, "moved": False},   # scenario
    {"i": 1, "x": 4, "y": 0, "w": 8, "h": 13, "moved": False},   # network
    {"i": 2, "x": 0, "y": 13, "w": 7, "h": 15, "moved": False},  # live plots
    {"i": 3, "x": 7, "y": 13, "w": 5, "h": 15, "moved": False},  # A/B/C/D
    {"i": 4, "x": 0, "y": 28, "w": 7, "h": 14, "moved": False},  # comparison
    {"i": 5, "x": 7, "y": 28, "w": 5, "h": 14, "moved": False},  # one dyad
]
_mesa_initial_layout = getattr(_solara_viz, "make_initial_grid_layout", None)


def _initial_layout(num_components: int) -> list[dict]:
    if num_components == len(_LAYOUT) or _mesa_initial_layout is None:
        return [dict(item) for item in _LAYOUT]
    return _mesa_initial_layout(num_components)


if _mesa_initial_layout is not None:
    _solara_viz.make_initial_grid_layout = _initial_layout


class _FixedGrid:
    """Mesa's ``solara`` as SolaraViz sees it, except that its dashboard grid is fixed: SolaraViz
    asks for a draggable, resizable grid, and a student dragging a plot rearranged the page with no
    way back but a reload (issue 17). Every other name is Solara's own."""

    def __getattr__(self, name):
        return getattr(solara, name)

    @staticmethod
    def GridDraggable(*args, **kwargs):  # noqa: N802 (Solara's name)
        return solara.GridDraggable(*args, **{**kwargs, "draggable": False, "resizable": False})


if getattr(_solara_viz, "solara", None) is solara:
    _solara_viz.solara = _FixedGrid()


@solara.component
def ShowAge(model):
    """The sidebar's 'Information': the infants' age, as the scenario card gives it. Replaces Mesa's
    ``ShowSteps``, whose 'Time: N' counts steps from the first simulated day (pregnancy included),
    so it disagreed with the card's day of age (issue 17)."""
    update_counter.get()
    return solara.Text(age_text(model) if isinstance(model, AppModel) else f"Step {model.steps}")


if hasattr(_solara_viz, "ShowSteps"):
    _solara_viz.ShowSteps = ShowAge


@solara.component
def PresetPicker(preset: solara.Reactive[str]):
    """Choose a scenario preset: its values load into the sliders (and rebuild the model)."""
    sc = load_scenario(preset.value)
    values = preset_values(preset.value)
    rows = "\n".join(f"- **{c.label}** ({values[name]:g}): {c.help}" for name, c in CONTROLS.items())
    with solara.Card("Scenario preset", margin=0, classes=["sb-picker"]) as main:
        solara.Select("Preset", values=presets(), value=preset)
        _md(f"*{sc.title}*\n\nThen move the sliders under **Model Parameters**, press **Reset** to apply them, "
            f"and **Step** ({DAYS_PER_STEP} days, the *Render Interval*) or ▶.", ["sb-small"])
        with solara.Details("What the sliders mean (preset values)"):
            _md(rows, ["sb-small"])
    return main


@solara.component
def Dashboard(preset: str):
    """Mesa's SolaraViz for one preset (rebuilt from scratch when the preset changes)."""
    params = solara.use_memo(lambda: model_params(preset), [preset])
    model = solara.use_memo(lambda: AppModel(**initial_kwargs(params)), [preset])
    return SolaraViz(model, components=list(VIEWS), model_params=params, name="SecureBase: how answers become security",
                     play_interval=150, render_interval=DAYS_PER_STEP)

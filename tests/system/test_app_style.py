"""The app's figures in the shared style (issue 13): no text under 11 pt, the classes and the
scenarios in their colours (see tests/unit/test_style.py for the style itself)."""

import matplotlib.text
import pytest
from matplotlib.colors import to_hex

from simulation import app
from simulation.report import style
from simulation.measures.strange_situation import CLASSES


def texts(fig) -> list[matplotlib.text.Text]:
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


@pytest.fixture(scope="module")
def app_model():
    model = app.AppModel("good_enough", n_dyads=20, compare_with="inconsistent")
    for _ in range(10):
        model.step()
    return model


@pytest.mark.parametrize("figure", [app.network_figure, app.live_figure, app.attachment_figure,
                                    app.comparison_figure])
def test_app_figures_text_is_at_least_12_px_on_a_projector(figure, app_model, tmp_path):
    """Issue 17: at 1280×720 the old figures' text showed at 7-8.5 px. A figure is shown at its
    panel's width (figures.PANEL_PX, measured in Chromium), so a text of s pt shows at
    s × panel width / (figure width in inches × 72) CSS px; every text must be at least 12 px, and
    the figure must have the panel's shape (no blank bands)."""
    from simulation.app import figures

    fig = figure(app_model)
    fig.savefig(tmp_path / "view.png", dpi=figures.APP_PNG_DPI)  # drawn outside the style, as the page draws it
    width_in, height_in = fig.get_size_inches()
    scale = figures.PANEL_PX[0] / (width_in * 72)
    small = [(t.get_text(), round(t.get_fontsize() * scale, 1)) for t in texts(fig) if t.get_fontsize() * scale < 12]
    assert not small
    assert width_in / height_in == pytest.approx(figures.PANEL_PX[0] / figures.PANEL_PX[1], rel=0.03)
    # and no text runs outside the image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    box = fig.bbox.padded(1)
    outside = [t.get_text() for t in texts(fig)
               if not box.contains(*t.get_window_extent(renderer).min) or not box.contains(*t.get_window_extent(renderer).max)]
    assert not outside


def test_app_draws_classes_and_scenarios_in_their_colours(app_model):
    bars = app.attachment_figure(app_model).axes[0].patches
    assert [to_hex(b.get_facecolor()[:3]) for b in bars] == [style.CLASS_COLOURS[c].lower() for c in CLASSES]
    lines = app.comparison_figure(app_model).axes[0].get_lines()
    assert [to_hex(line.get_color()) for line in lines] == [style.SCENARIO_COLOURS["good_enough"].lower(),
                                                             style.SCENARIO_COLOURS["inconsistent"].lower()]
    assert [line.get_label() for line in lines] == ["Good-enough caregiver", "Inconsistent caregiver"]

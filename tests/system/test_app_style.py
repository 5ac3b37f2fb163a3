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
def test_app_figures_have_no_text_under_11_pt(figure, app_model, tmp_path):
    fig = figure(app_model)
    fig.savefig(tmp_path / "view.png")  # drawn outside the style, as the page draws it
    assert not [(t.get_text(), t.get_fontsize()) for t in texts(fig) if t.get_fontsize() < style.MIN_FONT]


def test_app_draws_classes_and_scenarios_in_their_colours(app_model):
    bars = app.attachment_figure(app_model).axes[0].patches
    assert [to_hex(b.get_facecolor()[:3]) for b in bars] == [style.CLASS_COLOURS[c].lower() for c in CLASSES]
    lines = app.comparison_figure(app_model).axes[0].get_lines()
    assert [to_hex(line.get_color()) for line in lines] == [style.SCENARIO_COLOURS["good_enough"].lower(),
                                                             style.SCENARIO_COLOURS["inconsistent"].lower()]
    assert [line.get_label() for line in lines] == ["Good-enough caregiver", "Inconsistent caregiver"]

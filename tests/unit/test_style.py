"""Slide-ready figures from one style module (issue 13): one colour per class and per scenario
everywhere, fonts of at least 11 pt, 200 dpi, scenario titles and ages, effects that show which
side is benefit. The app's figures are checked with the app (tests/system/test_app_style.py)."""

import inspect
import itertools
import os
import subprocess
import sys

import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer
from matplotlib.colors import to_hex, to_rgb
from PIL import Image

import simulation
from helpers import SHORT
from simulation import app
from simulation.report import plots, style
from simulation.study import effects, trial
from simulation.study.power import power_curve
from simulation.measures.strange_situation import CLASSES
from simulation.scenario import available_scenarios, load_scenario

MIN_DELTA_E = 20
"""CIE76 colour difference that reads as "another colour" at a glance (2.3 is just noticeable)."""


def lab(colour) -> np.ndarray:
    """sRGB -> CIELAB (D65), to compare colours the way the eye does."""
    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    f = np.cbrt(xyz / [0.95047, 1.0, 1.08883])
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b) -> float:
    return float(np.linalg.norm(lab(a) - lab(b)))


# ---------------------------------------------------------------------------------- colours
def test_each_class_has_one_colour_shared_by_plots_and_app():
    assert set(style.CLASS_COLOURS) == set(CLASSES) == set(style.CLASS_LABELS)
    assert plots.CLASS_COLOURS is style.CLASS_COLOURS is app.CLASS_COLOURS
    assert plots.CLASS_LABELS is style.CLASS_LABELS is app.CLASS_LABELS
    for a, b in itertools.combinations(style.CLASS_COLOURS.values(), 2):
        assert delta_e(a, b) >= MIN_DELTA_E


def test_every_builtin_scenario_has_its_own_colour_unlike_the_classes():
    assert set(available_scenarios()) <= set(style.SCENARIO_COLOURS)
    colours = list(style.SCENARIO_COLOURS.values())
    for a, b in itertools.combinations(colours, 2):
        assert delta_e(a, b) >= MIN_DELTA_E, (a, b)
    for a, b in itertools.product(colours, style.CLASS_COLOURS.values()):
        assert delta_e(a, b) >= MIN_DELTA_E, (a, b)


def test_fallback_colour_is_the_same_in_every_process_and_never_shared_within_a_figure():
    names = ["my_clinic", "pilot_2026", "x"]
    code = "from simulation.report import style; print([style.scenario_colour(n) for n in %r])" % names
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert outputs == {f"{[style.scenario_colour(n) for n in names]}\n"}
    assert all(style.scenario_colour(n) in style.FALLBACK_COLOURS for n in names)
    many = [f"custom_{i}" for i in range(len(style.FALLBACK_COLOURS))]
    assert len(set(style.scenario_colours(many).values())) == len(many)
    assert style.scenario_colours(["good_enough", *many])["good_enough"] == style.SCENARIO_COLOURS["good_enough"]


def test_labels_are_titles_and_ages():
    assert style.scenario_label("good_enough") == "Good-enough caregiver"
    assert style.scenario_label(load_scenario("village")) == load_scenario("village").title
    assert style.scenario_label("my_own_scenario") == "my own scenario"
    assert (style.age_label(12), style.age_label(1), style.age_label(4.5)) == ("12 months", "1 month", "4.5 months")


def test_every_trial_outcome_has_a_direction_of_benefit():
    outcomes = [*effects.CONTINUOUS, *effects.BINARY]
    signs = {o: style.benefit_sign(o) for o in outcomes}
    assert all(signs.values()), signs
    assert signs["security"] == signs["secure"] == signs["observed_sensitivity"] == 1
    assert signs["crying_late"] == signs["disorganised"] == signs["depressed"] == signs["depression_score_6m"] == -1


# ---------------------------------------------------------------------------------- figures
@pytest.fixture(scope="module")
def inputs():
    """Small real inputs for every figure function of ``plots`` (a few seconds)."""
    both = simulation.compare(["good_enough", "inconsistent"], n_dyads=40, seed=1, overrides=SHORT)
    arms = {"control": [], "video_feedback": [{"kind": "video_feedback", "start_day": 10}]}
    result = trial.run_trial("good_enough", arms, n_dyads=60, seed=1, overrides=SHORT, reps=30)
    power = power_curve(result.potential, "video_feedback", "control", sizes=(25, 50), reps=20)
    power.attrs.update(outcome="secure", n_80=300.0)
    security = result.effects.query("outcome == 'security' and measure == 'cohens_d'")
    timing = pd.DataFrame({"start": ["at birth"], "d_security": security["estimate"].to_numpy(),
                           "ci_low": security["ci_low"].to_numpy(), "ci_high": security["ci_high"].to_numpy()})
    sens = pd.DataFrame([dict(outcome=o, method="sobol", index=i, parameter=p, parameter2=None, estimate=v, conf=0.05,
                              ci_low=v - 0.05, ci_high=v + 0.05, conf_level=0.95)
                         for o in ("share_secure", "mean_security") for i in ("S1", "ST")
                         for p, v in (("caregiver.repair", 0.3), ("caregiver.attention", 0.6))])
    grid = pd.DataFrame([[0.5, 0.7], [0.3, 0.6]], index=[0, 1], columns=[0, 2])
    speed = [{"label": "serial", "tasks": 8, "tasks_per_s": 2.0}, {"label": "pool", "tasks": 8, "tasks_per_s": 3.5}]
    return {
        "attachment_distribution": lambda p: plots.attachment_distribution(both.summary(), p, age_months=3),
        "trajectories": lambda p: plots.trajectories(both.daily, p),
        "effects_forest": lambda p: plots.effects_forest(result.effects, p, age_months=3),
        "power_curve": lambda p: plots.power_curve(power, p),
        "timing": lambda p: plots.timing(timing, p, age_months=3),
        "sensitivity_indices": lambda p: plots.sensitivity_indices(sens, p),
        "support_risk_heatmap": lambda p: plots.support_risk_heatmap(grid, "support.size", "risk.fixed_count", p,
                                                                      "Share secure"),
        "sweep_speed": lambda p: plots.sweep_speed(speed, 1.75, 2, p),
    }


@pytest.fixture
def saved(monkeypatch):
    """Every figure ``style.save`` writes, kept (after drawing) for inspection."""
    figures = []
    real = style.save

    def keep(fig, path):
        figures.append(fig)
        return real(fig, path)

    monkeypatch.setattr(style, "save", keep)
    return figures


def texts(fig) -> list[matplotlib.text.Text]:
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


def test_every_figure_function_is_covered(inputs):
    public = {name for name, fn in inspect.getmembers(plots, inspect.isfunction)
              if fn.__module__ == plots.__name__ and not name.startswith("_")}
    assert public == set(inputs)


@pytest.mark.parametrize("name", ["attachment_distribution", "trajectories", "effects_forest", "power_curve",
                                  "timing", "sensitivity_indices", "support_risk_heatmap", "sweep_speed"])
def test_figure_is_200_dpi_with_no_text_under_11_pt(name, inputs, saved, tmp_path):
    path = inputs[name](tmp_path / f"{name}.png")
    assert path.is_file()
    assert np.allclose(Image.open(path).info["dpi"], style.DPI, atol=0.01)
    (fig,) = saved
    small = [(t.get_text(), t.get_fontsize()) for t in texts(fig) if t.get_fontsize() < style.MIN_FONT]
    assert not small


def test_figures_show_titles_ages_and_the_colours_of_their_scenarios_and_classes(inputs, saved, tmp_path):
    inputs["attachment_distribution"](tmp_path / "a.png")
    inputs["trajectories"](tmp_path / "t.png")
    bars, lines = saved
    words = {t.get_text() for t in texts(bars)}
    assert "Strange Situation classification at 3 months" in words
    assert any("Good-enough" in w for w in words) and not any("good_enough" in w for w in words)
    legend = {h.get_label(): to_hex(h.patches[0].get_facecolor()) for h in bars.axes[0].containers
              if isinstance(h, BarContainer)}
    assert legend == {style.CLASS_LABELS[c]: style.CLASS_COLOURS[c].lower() for c in CLASSES}
    drawn = {line.get_label(): to_hex(line.get_color()) for line in lines.axes[0].get_lines()}
    names = ("good_enough", "inconsistent")
    assert drawn == {style.scenario_label(n): style.SCENARIO_COLOURS[n].lower() for n in names}


def test_effects_forest_puts_benefit_on_the_right(saved, tmp_path):
    effects = pd.DataFrame([dict(arm="a", outcome=o, measure="cohens_d", estimate=0.5, ci_low=0.3, ci_high=0.7)
                            for o in ("security", "crying_late")])
    plots.effects_forest(effects, tmp_path / "f.png")
    (fig,) = saved
    ax = fig.axes[0]
    points = ax.containers[0].lines[0]  # the errorbar's markers
    labels = {tick.get_position()[1]: tick.get_text().split(" (")[0] for tick in ax.get_yticklabels()}
    x = {labels[y]: x for x, y in zip(points.get_xdata(), points.get_ydata())}
    assert x["security at 12 months"] == pytest.approx(0.5)   # more security: benefit, drawn right
    assert x["crying, months 9-12"] == pytest.approx(-0.5)    # more crying: harm, drawn left
    words = " ".join(t.get_text() for t in texts(fig))
    assert "benefit →" in words and "← harm" in words and "lower is better" in words


def test_attachment_distribution_draws_the_age_the_caller_chooses(saved, tmp_path):
    row = {"scenario": "good_enough", **{c: 0.25 for c in CLASSES}, **{f"{c}_lo": 0.2 for c in CLASSES},
           **{f"{c}_hi": 0.3 for c in CLASSES}}
    summary = pd.DataFrame([{**row, "age_months": 12}, {**row, "age_months": 18}])
    plots.attachment_distribution(summary, tmp_path / "a.png", age_months=18)
    (fig,) = saved
    assert fig.axes[0].get_title() == "Strange Situation classification at 18 months"
    assert len(fig.axes[0].patches) == len(CLASSES)  # one scenario: the 18-month rows only
    with pytest.raises(simulation.UserError, match="no assessment at 6 months"):
        plots.attachment_distribution(summary, tmp_path / "b.png", age_months=6)

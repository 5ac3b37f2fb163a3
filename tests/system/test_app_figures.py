"""The app's figures say what the numbers are (issue 17): A/B/C/D is the network's main channel, the
A/B/C/D bars carry their 95% CIs, and the comparison says when a difference could be chance."""

import numpy as np
import pytest
from matplotlib.colors import to_hex
from scipy.stats import binomtest

from simulation import app
from simulation.app import figures
from simulation.measures.strange_situation import CLASSES
from simulation.report import style


@pytest.fixture(scope="module")
def stepped():
    model = app.AppModel("village", n_dyads=60, compare_with="high_risk_isolated")
    for _ in range(150):
        model.step()
    return model


def _dyad_nodes(fig, n):
    """The scatter of the caregiver-infant nodes: the collection with one point per dyad and the
    largest marker."""
    ax = fig.axes[0]
    candidates = [c for c in ax.collections if len(c.get_offsets()) == n]
    return max(candidates, key=lambda c: float(np.max(c.get_sizes())))


def test_the_network_is_coloured_by_attachment_class(stepped):
    fig = app.network_figure(stepped)
    nodes = _dyad_nodes(fig, stepped.n)
    colours = [to_hex(c) for c in nodes.get_facecolors()]
    cls, _, _ = app.attachment_classes(stepped)
    assert colours == [style.CLASS_COLOURS[c].lower() for c in cls]
    # several classes present, so the test tells them apart
    assert len(set(cls)) >= 3
    # the legend counts each class as the classes do
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    for c in CLASSES:
        assert f"{style.CLASS_LABELS[c]} ({int(np.sum(cls == c))})" in labels


def test_depressed_caregivers_are_marked_as_the_legend_draws_them(stepped):
    fig = app.network_figure(stepped)
    nodes = _dyad_nodes(fig, stepped.n)
    edges = [to_hex(c) for c in nodes.get_edgecolors()]
    depressed = np.asarray(stepped.state.depressed, dtype=bool)
    assert depressed.any()
    assert all((e == figures.DEPRESSED_RING.lower()) == d for e, d in zip(edges, depressed))
    handle = next(h for h, t in zip(fig.legends[0].legend_handles, fig.legends[0].get_texts())
                  if t.get_text().startswith("caregiver depressed"))
    assert to_hex(handle.get_markeredgecolor()) == figures.DEPRESSED_RING.lower()
    # the marks are solid rings, and so is the legend's (the old legend drew a 'dashed' ring solid)
    assert {ls[1] for ls in nodes.get_linestyles()} == {None}


def test_before_birth_the_network_has_no_classes():
    model = app.AppModel("village", n_dyads=20, compare_with=app.OFF)
    fig = app.network_figure(model)
    nodes = _dyad_nodes(fig, model.n)
    assert {to_hex(c) for c in nodes.get_facecolors()} == {figures.NOT_BORN.lower()}
    assert "Not born yet" in fig._suptitle.get_text()


def test_the_attachment_bars_carry_wilson_intervals(stepped):
    fig = app.attachment_figure(stepped)
    ax = fig.axes[0]
    cls, _, _ = app.attachment_classes(stepped)
    n = len(cls)
    bars = ax.containers[1]  # the error bars (the first container holds the bars)
    segments = bars.lines[2][0].get_segments()
    for c, segment in zip(CLASSES, segments):
        k = int(np.sum(cls == c))
        ci = binomtest(k, n).proportion_ci(method="wilson")  # scipy's own Wilson interval
        low, high = sorted(segment[:, 1])
        assert low == pytest.approx(100 * ci.low, abs=1e-6) and high == pytest.approx(100 * ci.high, abs=1e-6)
        assert low <= 100 * k / n <= high


def test_the_comparison_carries_intervals_for_both_runs(stepped):
    fig = app.comparison_figure(stepped)
    ax2 = fig.axes[1]
    assert len([c for c in ax2.containers if hasattr(c, "lines")]) == 2


def _twin_model(preset, other, n, days):
    model = app.AppModel(preset, n_dyads=n, compare_with=other)
    for _ in range(days):
        model.step()
    return model


def test_the_same_run_twice_has_no_difference():
    model = _twin_model("good_enough", app.UNCHANGED, 40, 30)
    assert "No difference" in figures.comparison_verdict(model)


def test_a_small_difference_with_few_infants_could_be_chance():
    model = _twin_model("village", "high_risk_isolated", 20, 150)
    text = figures.comparison_verdict(model)
    a, _, _ = app.attachment_classes(model)
    b, _, _ = app.attachment_classes(model.twin)
    assert np.mean(a == "B") != np.mean(b == "B")
    assert "could be chance" in text and "an arm" in text
    # the number a trial would need: two-proportion z-test at 80% power, from Cohen's h, worked out here
    from scipy.stats import norm
    p1, p0 = np.mean(a == "B"), np.mean(b == "B")
    h = abs(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p0)))
    need = 2 * ((norm.ppf(0.975) + norm.ppf(0.8)) / h) ** 2
    assert (f"about {int(np.ceil(need)):,} an arm" in text) if need <= figures.MAX_TRIAL_ARM else \
        ("more than 1,000 an arm" in text)


def test_a_large_difference_is_unlikely_to_be_chance():
    model = _twin_model("perfect", "rejecting", 100, 200)
    assert "Unlikely to be chance" in figures.comparison_verdict(model)

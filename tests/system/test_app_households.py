"""The classroom app with households (issue 18): the presets offer the two-caregiver scenarios, the
network draws each second caregiver beside the first in the colour of the infant's class *with
that caregiver*, the A/B/C/D panel shows both relationships, the one-dyad panel reads each
relationship, and a saved two-parent run replays.

Pages are rendered without a browser (``solara.render``), as in tests/system/test_app.py; nothing
waits on a timer.
"""

import re
import warnings

import ipywidgets
import matplotlib.text
import numpy as np
import pytest
from matplotlib.colors import to_hex

solara = pytest.importorskip("solara")
import ipyvuetify as v  # noqa: E402
import solara.widgets  # noqa: E402

from simulation import app  # noqa: E402
from simulation.app import controls, figures, saved  # noqa: E402
from simulation.errors import UserError  # noqa: E402
from simulation.model.components.household import second_node  # noqa: E402
from simulation.report import explain, style  # noqa: E402
from simulation.scenario import load_scenario  # noqa: E402

warnings.filterwarnings("ignore", message="Failed to validate hooks")

HOUSEHOLD_PRESETS = ("two_parents", "single_parent", "depressed_mother_sensitive_father", "both_depressed",
                     "video_feedback_fathers_trial")
N = 40
DAYS = 150
"""Days stepped from the start: 60 days after birth (the presets simulate 90 days of pregnancy)."""


def _html(rc) -> str:
    return "\n".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)


@pytest.fixture(scope="module")
def household():
    """A depressed-mother, sensitive-father run 60 days past birth, compared with both parents depressed."""
    model = app.AppModel("depressed_mother_sensitive_father", n_dyads=N, compare_with="both_depressed")
    for _ in range(DAYS):
        model.step()
    return model


# ------------------------------------------------------------------------------ presets
@pytest.mark.parametrize("preset", HOUSEHOLD_PRESETS)
def test_the_presets_offer_the_household_scenarios_with_their_notes(preset):
    assert preset in app.presets()
    model = app.AppModel(preset, n_dyads=20, compare_with=app.OFF)
    _, rc = solara.render(app.ScenarioCard(model), handle_error=False)
    text = _html(rc)
    sc = load_scenario(preset)
    assert sc.title in text and "Teaching notes" in text
    # the app notes' first words are on the card (rendered from markdown: compare without the markup)
    first_note = re.sub(r"[*`]", "", sc.app_notes.strip().splitlines()[0].lstrip("- ")).split(":")[0]
    assert first_note in re.sub(r"<[^>]+>", "", text)


def test_the_card_says_which_caregiver_a_presets_intervention_is_for():
    model = app.AppModel("video_feedback_fathers_trial", n_dyads=20, compare_with=app.OFF)
    _, rc = solara.render(app.ScenarioCard(model), handle_error=False)
    assert "video feedback from day 60 (for the second caregiver)" in _html(rc)


def test_household_presets_are_compared_with_their_pairs():
    assert controls.default_partner("two_parents") == "single_parent"
    assert controls.default_partner("single_parent") == "two_parents"
    assert controls.default_partner("depressed_mother_sensitive_father") == "both_depressed"
    assert controls.default_partner("both_depressed") == "depressed_mother_sensitive_father"
    assert controls.default_partner("video_feedback_fathers_trial") == app.WITHOUT_INTERVENTIONS


def test_switching_the_page_to_two_parents():
    """The page's Preset select switches the whole page to the two-parent households."""
    _, rc = solara.render(app.Page(), handle_error=False)
    assert "Good-enough caregiver" in _html(rc)
    rc.find(v.Select, label="Preset").widget.v_model = "two_parents"
    text = _html(rc)
    assert "Two parents (community households)" in text and "Good-enough caregiver" not in text
    assert "the infant lives with two caregivers" in text  # the one-dyad panel's headline
    assert len(rc.find(ipywidgets.Image).widgets) == 4
    # a step later the explain panel reads both relationships (before birth: no class with either)
    rc.find(v.Btn, children=["Step"]).widget.click()
    text = _html(rc)
    assert "With the first caregiver" in text and "With the second caregiver" in text
    assert "relationship-specific" in text and "not a diagnosis" in text


# ------------------------------------------------------------------------------ the network
def test_second_caregivers_are_diamonds_beside_the_first_in_their_own_class_colour(household):
    fig = app.network_figure(household)
    dyads, cls2, assessed = figures.second_attachment_classes(household)
    assert len(dyads) == household.n  # every infant has two parents in this preset
    diamonds = [c for c in fig.axes[0].collections if len(c.get_offsets()) == len(dyads)
                and hasattr(c, "get_paths") and len(c.get_paths()) == 1
                and len(c.get_paths()[0].vertices) == 5 and len(c.get_sizes())]
    assert len(diamonds) == 1, "one scatter of diamonds"
    d = diamonds[0]
    assert [to_hex(c) for c in d.get_facecolors()] == [style.CLASS_COLOURS[c].lower() for c in cls2]
    # the infant's class with the second caregiver is the same rule on the second caregivers' rows
    own, _, _ = figures.attachment_classes(household.households)
    assert (cls2 == own[dyads]).all()
    # ringed when that caregiver is depressed, as the first caregivers are
    depressed = household.households.state.depressed[dyads]
    assert [to_hex(c) == figures.DEPRESSED_RING.lower() for c in d.get_edgecolors()] == list(depressed)
    # beside its first caregiver, joined to it
    pos = household.node_positions()
    np.testing.assert_allclose(d.get_offsets(), pos[second_node(household.n, dyads)])
    np.testing.assert_allclose(pos[second_node(household.n, dyads)] - pos[dyads],
                               np.broadcast_to(figures.SECOND_OFFSET, (len(dyads), 2)))
    ties = [c for c in fig.axes[0].collections if hasattr(c, "get_segments")
            and len(c.get_segments()) == len(dyads) and to_hex(c.get_colors()[0]) == figures.SECOND_TIE.lower()]
    assert len(ties) == 1
    # the legend says which marker is the second caregiver, and the title gives both relationships
    labels = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]
    assert any(label.startswith(f"second caregiver ({len(dyads)})") for label in labels)
    handle = fig.legends[0].legend_handles[-1]
    assert handle.get_marker() == figures.SECOND_MARKER
    assert f"2nd caregiver ({figures.SECOND_GLYPH}):" in fig._suptitle.get_text()


def test_the_first_caregivers_keep_their_colours_and_rings(household):
    fig = app.network_figure(household)
    circles = [c for c in fig.axes[0].collections if len(c.get_offsets()) == household.n and len(c.get_sizes())
               and len(c.get_paths()[0].vertices) != 5]
    nodes = max(circles, key=lambda c: float(np.max(c.get_sizes())))
    cls, _, _ = figures.attachment_classes(household)
    assert [to_hex(c) for c in nodes.get_facecolors()] == [style.CLASS_COLOURS[c].lower() for c in cls]
    assert [to_hex(c) == figures.DEPRESSED_RING.lower() for c in nodes.get_edgecolors()] == list(
        household.state.depressed)


def test_before_birth_second_caregivers_are_grey():
    model = app.AppModel("two_parents", n_dyads=20, compare_with=app.OFF)
    fig = app.network_figure(model)
    colours = {to_hex(c) for coll in fig.axes[0].collections if len(coll.get_offsets()) == 20
               and hasattr(coll, "get_sizes") and len(coll.get_sizes()) for c in coll.get_facecolors()}
    assert colours == {figures.NOT_BORN.lower()}
    assert "Not born yet" in fig._suptitle.get_text()


def test_one_caregiver_scenarios_draw_no_second_caregiver():
    model = app.AppModel("single_parent", n_dyads=20, compare_with=app.OFF)
    assert figures.second_attachment_classes(model) is None
    labels = [t.get_text() for t in app.network_figure(model).legends[0].get_texts()]
    assert not any("second caregiver" in label for label in labels)


# ------------------------------------------------------------------------------ A/B/C/D
def test_the_attachment_bars_show_both_relationships_with_wilson_intervals(household):
    fig = app.attachment_figure(household)
    ax = fig.axes[0]
    bars = [c for c in ax.containers if not hasattr(c, "lines")]
    errors = [c for c in ax.containers if hasattr(c, "lines")]
    assert len(bars) == len(errors) == 2
    cls, _, _ = figures.attachment_classes(household)
    _, cls2, _ = figures.second_attachment_classes(household)
    for container, these in zip(errors, (cls, cls2)):
        ci = figures.class_cis(these)
        for c, segment in zip("ABCD", container.lines[2][0].get_segments()):
            low, high = sorted(segment[:, 1])
            assert (low, high) == pytest.approx(ci[c], abs=1e-6)
    # the class colours on both sets of bars; the second's dotted
    for container in bars:
        assert [to_hex(p.get_facecolor()[:3]) for p in container.patches] == [
            style.CLASS_COLOURS[c].lower() for c in "ABCD"]
    assert {p.get_hatch() for p in bars[1].patches} == {figures.SECOND_HATCH}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "with the first caregiver", f"with the second ({len(cls2)})"]


@pytest.fixture(scope="module")
def assessed():
    """Both parents depressed, 100 dyads, past the 12-month Strange Situations (the longest titles)."""
    model = app.AppModel("both_depressed", n_dyads=100)
    while model.running:
        model.step()
    assert model.assessments and model.households.assessments
    return model


@pytest.mark.parametrize("figure", [app.network_figure, app.attachment_figure, app.live_figure,
                                    app.comparison_figure])
@pytest.mark.parametrize("when", ["household", "assessed"])
def test_household_figures_stay_readable_on_a_projector(figure, when, request):
    """As tests/system/test_app_style.py: every text at least 12 px at the panel's width, inside the image."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figure(request.getfixturevalue(when))
    scale = figures.PANEL_PX[0] / (fig.get_size_inches()[0] * 72)
    shown = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    assert not [t.get_text() for t in shown if t.get_fontsize() * scale < 12]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    box = fig.bbox.padded(1)
    assert not [t.get_text() for t in shown if not box.contains(*t.get_window_extent(renderer).min)
                or not box.contains(*t.get_window_extent(renderer).max)]


def test_the_live_plots_show_the_infants_crying_with_both_caregivers(household):
    from simulation.model.components.household import infant_total

    df = figures.daily_frame(household)
    assert df["crying_minutes"].iloc[-1] == pytest.approx(float(infant_total(household, "cry_minutes_today").mean()))
    assert df["crying_minutes"].iloc[-1] > float(household.state.cry_minutes_today.mean())


# ------------------------------------------------------------------------------ one dyad
def test_the_explain_panel_reads_each_relationship(household):
    dyad = 3
    app.watched_dyad.set(dyad)
    _, rc = solara.render(app.ExplainView(household), handle_error=False)
    text = _html(rc)
    headers = [str(w.children[0]) for w in rc.find(v.ExpansionPanelHeader).widgets]
    assert f"Dyad {dyad}:" in text
    first = explain.reading_class(household, dyad)
    second = explain.reading_class(household, dyad, second=True)
    assert re.search(rf"Reading, with the first caregiver</strong> \(the model's\).*classified <strong>{first}</strong>",
                     text)
    assert re.search(rf"Reading, with the second caregiver</strong> \(the model's\).*classified "
                     rf"<strong>{second}</strong>", text)
    assert "relationship-specific" in text and "not a diagnosis" in text
    assert "Day by day with the first caregiver" in text
    assert "Strange Situation with the first caregiver if assessed today" in text
    # the second relationship's days and Strange Situation fold away under their own headings
    assert {"Day by day with the second caregiver", "Strange Situation with the second caregiver"} <= set(headers)
    assert "Strange Situation with the second caregiver if assessed today" in text
    # the glossary (last) explains every term shown, the new ones among them
    *shown, listed = [w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets]
    terms = explain.glossary_for(*shown)
    assert {"second caregiver", "relationship-specific"} <= set(terms)
    assert all(f"<strong>{term}</strong>:" in listed for term in terms)
    app.watched_dyad.set(0)
    rc.close()


def test_explain_gives_the_second_relationship_only_with_a_second_caregiver(household):
    info = explain.explain(household, 5)
    assert info["second"]["attachment"] == explain.reading_class(household, 5, second=True)
    assert info["attachment"] == explain.reading_class(household, 5)
    assert info["summary"][-1] == explain.MODEL_NOT_DIAGNOSIS
    assert any(line.startswith("In all, with either caregiver, the infant cried about") for line in info["summary"])
    assert info["second"]["days"] and all("signal" in d for d in info["second"]["days"])
    assert {"second caregiver", "relationship-specific"} <= set(info["glossary"])
    single = app.AppModel("single_parent", n_dyads=20, compare_with=app.OFF)
    for _ in range(95):
        single.step()
    info = explain.explain(single, 2)
    assert info["second"] is None and explain.reading_class(single, 2, second=True) is None
    assert "second caregiver" not in "\n".join(info["summary"])


def test_relationship_words_name_agreement_and_difference():
    assert "agree (secure with both)" in explain.relationship_words("B", "B")
    differ = explain.relationship_words("A", "B")
    assert "avoidant with the first caregiver, secure with the second" in differ
    assert explain.RELATIONSHIP_SPECIFIC in differ
    assert "once the infant is born" in explain.relationship_words(None, None)


# ------------------------------------------------------------------------------ saved runs
@pytest.fixture(scope="module")
def saved_two_parents():
    settings = {**app.initial_kwargs(app.model_params("two_parents")), "n_dyads": 30, "seed": "class 4",
                "sensitivity": 0.6}
    model = app.AppModel(**settings)
    for _ in range(120):
        model.step()
    name, data = saved.run_file(model, settings)
    return model, name, data


def test_a_two_parent_run_saves_and_replays(saved_two_parents):
    model, name, data = saved_two_parents
    assert name == "securebase_two_parents_day30.html"
    run = saved.read_run(data)
    _, cls2, _ = figures.second_attachment_classes(model)
    assert run.fingerprint["classes_cg2"] == "".join(cls2)
    again, problems = saved.replay(run)
    assert problems == []
    np.testing.assert_array_equal(again.households.state.availability, model.households.state.availability)
    text = data.decode()
    assert "with the second caregiver (households with two)" in text
    assert "availability_cg2" in text  # the per-dyad table has the second caregivers' columns


def test_a_changed_second_relationship_is_reported(saved_two_parents):
    model, _, data = saved_two_parents
    run = saved.read_run(data)
    fp = dict(run.fingerprint)
    flipped = "A" if fp["classes_cg2"][0] != "A" else "B"
    fp["classes_cg2"] = flipped + fp["classes_cg2"][1:]
    problems = saved.differences(fp, saved.fingerprint(model))
    assert problems == ["the replayed results differ from the saved ones in 1 dyad's class with their second "
                        "caregivers"]
    fp.pop("classes_cg2")
    assert saved.differences(fp, saved.fingerprint(model)) == [
        "the classes with the second caregivers were not saved"]
    with pytest.raises(UserError, match="classes_cg2"):
        saved._check_fingerprint({**run.fingerprint, "classes_cg2": "XYZ"})


def test_the_comparison_verdict_reads_the_second_relationship_when_both_runs_have_one(household):
    text = figures.comparison_verdict(household)  # both_depressed: households too
    first, second = text.split("\n\n")
    assert first.startswith("Secure (B): ")
    _, a, _ = figures.second_attachment_classes(household)
    _, b, _ = figures.second_attachment_classes(household.twin)
    assert second.startswith(f"Secure (B) with the second caregiver: {100 * (a == 'B').mean():.0f}% with "
                             f"*{household.label}* vs {100 * (b == 'B').mean():.0f}%")
    single = app.AppModel("two_parents", n_dyads=20)  # compared with single_parent: no second relationship there
    for _ in range(95):
        single.step()
    assert single.twin_label == "single_parent" and "second caregiver" not in figures.comparison_verdict(single)

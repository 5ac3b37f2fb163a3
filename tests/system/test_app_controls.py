"""The app's controls never end in a traceback (issue 17): the control matrix, without a browser.

Every preset x (no intervention, each kind) x (the start slider's first and last position) builds
the page's model and steps it; each must run with no refusal. Inputs the model does refuse are
shown in the page (``AppModel.error``) while the preset runs as written.
"""

import re

import pytest

from simulation import app
from simulation.app import controls
from simulation.scenario import load_scenario

MATRIX = [(preset, kind, end) for preset in app.presets()
          for kind in [None, *app.intervention_kinds()] for end in ((0,) if kind is None else (0, 1))]


@pytest.mark.parametrize("preset,kind,end", MATRIX)
def test_every_preset_intervention_and_start_runs(preset, kind, end):
    params = app.model_params(preset)
    start = params["intervention_start"]
    kwargs = app.initial_kwargs(params)
    kwargs.update(n_dyads=20, intervention=kind is not None, intervention_kind=kind or controls.DEFAULT_INTERVENTION,
                  intervention_start=(start["min"], start["max"])[end])
    model = app.AppModel(**kwargs)
    assert model.error is None, model.error
    assert not model.changes  # the slider's own positions never need moving
    for _ in range(3):
        model.step()
    assert model.day == -load_scenario(preset).simulation.prenatal_days + 3


def test_the_start_slider_follows_the_preset():
    for preset in app.presets():
        sim = load_scenario(preset).simulation
        start = app.model_params(preset)["intervention_start"]
        assert start["min"] == -sim.prenatal_days  # before birth only with a pregnancy to start in
        assert start["min"] <= start["value"] <= start["max"]
        assert (start["max"] - start["min"]) % start["step"] == 0 and (start["value"] - start["min"]) % start["step"] == 0
        assert start["max"] < round(sim.months * 30.4375)  # an independent count of the run's days
    assert app.model_params("good_enough")["intervention_start"]["min"] == 0
    assert app.model_params("first_1001_days")["intervention_start"]["min"] == -280


def test_the_crashes_a_teacher_found_now_run():
    # a prenatal start left on the slider from a preset with pregnancy, on one without: moved, and said
    model = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF, intervention=True,
                         intervention_kind="bias_training", intervention_start=-60)
    assert model.error is None and model.intervention["start_day"] == 0
    assert any("moved" in label for label, _, _ in model.changes)
    # the default kind on a trial preset that already schedules it: a second, distinct programme
    for preset in ("video_feedback_trial", "bias_training_trial"):
        kind = load_scenario(preset).interventions[0].kind
        model = app.AppModel(preset, n_dyads=20, compare_with=app.OFF, intervention=True, intervention_kind=kind)
        assert model.error is None
        assert [iv.name or iv.kind for iv in model.params.interventions] == [kind, f"yours_{kind}"]


def test_a_refused_input_is_a_message_in_the_page_not_a_traceback():
    model = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF, sensitivity=1.5)
    assert model.error and "caregiver.responsiveness" in model.error and "1.5" in model.error
    assert model.changes == [] and model.params.caregiver.responsiveness.mean == 0.85  # the preset, as written
    model.step()
    assert model.day == 1


def test_app_notes_name_only_what_the_page_shows():
    """Every control an app note names (in *italics*) is one on the page, so a student can find it."""
    params = app.model_params("good_enough")
    on_page = {p["label"].split(" (")[0] for p in params.values() if isinstance(p, dict)}
    on_page |= {"One dyad, in words", "this preset, unchanged", "Intervention on"}
    for preset in app.presets():
        named = set(re.findall(r"(?<!\*)\*([^*]+)\*(?!\*)", load_scenario(preset).app_notes))
        assert named and named <= on_page, (preset, named - on_page)


def test_supporters_time_is_one_name_end_to_end():
    model = app.AppModel("high_risk_isolated", n_dyads=20, compare_with=app.OFF, support_time=0.5)
    assert model.params.support.availability.mean == 0.5
    assert app.preset_values("village")["support_time"] == 0.5
    assert app.model_params("high_risk_isolated")["support_time"]["label"] == "Supporters' time"


def test_nothing_is_classified_before_birth():
    """An unborn infant has no attachment: the A/B/C/D view is empty and says why (it showed 100% B)."""
    model = app.AppModel("community", n_dyads=20, compare_with=app.UNCHANGED)
    assert model.day < 0
    cls, caption, assessed = app.attachment_classes(model)
    assert len(cls) == 0 and not assessed and "Not born yet" in caption
    assert all(share == 0 for share in app.figures.shares(cls).values())
    for draw in (app.attachment_figure, app.comparison_figure):
        draw(model)  # draws with nothing to classify
    while model.day < 1:
        model.step()
    cls, caption, _ = app.attachment_classes(model)
    assert len(cls) == model.n and "Preview" in caption


def test_the_page_shows_the_age_not_mesas_step_count():
    """Mesa's 'Time: N' counted steps from the first simulated day and disagreed with the card: the
    control column shows the infants' age, as the card does."""
    import ipyvuetify as v
    import solara

    model = app.AppModel("first_1001_days", n_dyads=20, compare_with=app.OFF)
    for _ in range(3):
        model.step()
    _, rc = solara.render(app.dashboard.ShowAge(model), handle_error=False)
    text = " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert "Time:" not in text and "277 days before birth" in text


def test_the_dashboard_is_a_fixed_grid():
    """SolaraViz's grid could be dragged (a moved plot had no way back): the page has no draggable grid."""
    import solara
    import solara.widgets

    _, rc = solara.render(app.Page(), handle_error=False)
    assert not rc.find(solara.widgets.GridLayout).widgets
    assert "display: grid" in app.CSS


def test_the_security_curve_says_where_it_starts():
    """The first point is the newborn's prior, read by students as a secure start that declines."""
    model = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF)
    for _ in range(14):
        model.step()
    fig = app.live_figure(model)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("no experience yet" in t for t in texts)

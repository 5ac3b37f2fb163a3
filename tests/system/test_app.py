"""The teaching app without a browser: the model behind the page, the controls, the views.

Component tests render the page's control column (``ControlPanel``: the controls with their
values, and Reset, ▶ and Step) with ``solara.render`` around the
app's model class, as the page does.
"""

import inspect
import warnings

import ipywidgets
import numpy as np
import pytest

solara = pytest.importorskip("solara")
import ipyvuetify as v  # noqa: E402
import solara.widgets  # noqa: E402
from mesa.visualization import solara_viz  # noqa: E402

from simulation import AttachmentModel, cli
from simulation.report import explain  # noqa: E402
from simulation import app  # noqa: E402
from simulation.measures.strange_situation import security_index  # noqa: E402
from simulation.scenario import available_scenarios, load_scenario  # noqa: E402

warnings.filterwarnings("ignore", message="Failed to validate hooks")

N = 40


@pytest.fixture
def controls():
    """The page's control column around an AppModel, as the dashboard wires it."""

    def make(preset="good_enough", **kwargs):
        params = app.model_params(preset)
        params["n_dyads"]["value"] = N
        values = {**app.initial_kwargs(params), **kwargs}
        model = solara.reactive(app.AppModel(**values))
        parameters = solara.reactive(values)
        choice = solara.reactive(preset)
        _, rc = solara.render(app.ControlPanel(choice, model, parameters, params), handle_error=False)
        return model, parameters, rc

    return make


def _click(rc, label):
    rc.find(v.Btn, children=[label]).widget.click()


# ---------------------------------------------------------------------------- the app's model
@pytest.mark.parametrize("preset", available_scenarios())
def test_every_control_is_a_keyword_of_the_model(preset):
    params = app.model_params(preset)
    accepted = inspect.signature(app.AppModel.__init__).parameters
    assert set(params) <= set(accepted)
    model = app.AppModel(**{**app.initial_kwargs(params), "n_dyads": 20, "compare_with": app.OFF})
    solara_viz._check_model_params(model, params)  # what SolaraViz checks on the page
    # untouched sliders reproduce the preset exactly
    assert model.params.model_dump() == load_scenario(preset, {"simulation.n_dyads": 20}).model_dump()
    assert model.changes == [] and model.label == preset
    # every slider's range holds the preset's value, on the slider's grid (the browser's
    # slider snaps a value between steps to the nearest step: the page would differ from the preset)
    for name, control in app.CONTROLS.items():
        assert control.min <= params[name]["value"] <= control.max, name
        steps = (params[name]["value"] - control.min) / control.step
        assert steps == pytest.approx(round(steps), abs=1e-6), (name, params[name]["value"], control.step)


def test_app_model_runs_like_the_plain_model():
    """Diary and comparison twin only read: the app's model gives the model's own results."""
    a = app.AppModel("inconsistent", n_dyads=N, seed="3", compare_with="good_enough")
    b = AttachmentModel("inconsistent", n_dyads=N, seed=3)
    for _ in range(40):
        a.step()
        b.step()
    np.testing.assert_array_equal(security_index(a.state), security_index(b.state))
    np.testing.assert_array_equal(a.state.stress, b.state.stress)


def test_comparison_twin_uses_the_same_random_numbers_and_age():
    same = app.AppModel("good_enough", n_dyads=N, compare_with=app.UNCHANGED)
    for _ in range(20):
        same.step()
    assert same.twin.day == same.day == 20
    np.testing.assert_array_equal(same.twin.state.availability, same.state.availability)
    # with a change, the twin keeps the preset as written: same infants, different caregiving
    changed = app.AppModel("good_enough", n_dyads=N, compare_with=app.UNCHANGED, sensitivity=0.4)
    assert changed.twin_label == "good_enough (unchanged)" and changed.label.endswith("your changes")
    np.testing.assert_array_equal(changed.twin.state.negative_emotionality, changed.state.negative_emotionality)
    # presets with a simulated pregnancy are aligned on age: the twin is at the same day
    village = app.AppModel("good_enough", n_dyads=N, compare_with="village")
    assert village.day == village.twin.day == 0
    pregnant = app.AppModel("village", n_dyads=N, compare_with="good_enough")
    assert pregnant.day == -90 and pregnant.twin.day == 0
    for _ in range(95):
        pregnant.step()
    assert pregnant.day == pregnant.twin.day == 5
    assert app.AppModel("good_enough", n_dyads=N, compare_with=app.OFF).twin is None


def test_seed_text_becomes_a_number():
    assert app.parse_seed("7") == 7 == app.parse_seed(" 7 ")
    assert app.parse_seed("class 3a") == app.parse_seed("class 3a") != app.parse_seed("class 3b")
    assert app.AppModel(n_dyads=10, seed="12", compare_with=app.OFF).seed == 12


def test_intervention_switch():
    model = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF, intervention=True,
                         intervention_kind="video_feedback", intervention_start=30)
    assert model.intervention == {"kind": "video_feedback", "start_day": 30, "name": "yours_video_feedback"}
    last = model.params.model_dump()["interventions"][-1]
    assert last["kind"] == "video_feedback" and last["start_day"] == 30
    off = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF)
    assert off.intervention is None and not off.params.interventions


def test_a_preset_with_interventions_is_compared_without_them():
    trial = next(name for name in available_scenarios() if app.preset_interventions(load_scenario(name)))
    model = app.AppModel(trial, n_dyads=N)
    assert model.compare_with == app.WITHOUT_INTERVENTIONS and model.twin_label.endswith("without interventions")
    assert model.params.interventions and not model.twin.params.interventions
    assert model.day == model.twin.day
    _, rc = solara.render(app.ScenarioCard(model), handle_error=False)
    assert "Interventions in this preset" in _html(rc)


# ---------------------------------------------------------------------------- Mesa's controls
def test_sliders_exist(controls):
    _, parameters, rc = controls()
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    assert {c.label for c in app.CONTROLS.values()} <= sliders
    assert {"Dyads", "Starts (day)"} <= sliders
    assert [w.label for w in rc.find(v.Checkbox).widgets] == ["Intervention on"]
    selects = {w.label: w for w in rc.find(v.Select).widgets}
    assert set(selects["Intervention"].items) == set(app.intervention_kinds())
    assert app.UNCHANGED in selects["Compare with (same infants, same random numbers)"].items
    assert rc.find(v.TextField, label="Random seed (same seed = same infants)").widget.v_model == "1"
    # the sliders start at the preset's values
    assert rc.find(v.Slider, label="Sensitivity").widget.v_model == pytest.approx(0.85)
    assert parameters.value["preset"] == "good_enough"


def test_reset_applies_the_sliders(controls):
    model, parameters, rc = controls("good_enough")
    before = model.value
    rc.find(v.Slider, label="Sensitivity").widget.v_model = 0.4
    rc.find(v.Slider, label="Inconsistency").widget.v_model = 2.0
    rc.find(v.Slider, label="Risk factors").widget.v_model = 3
    rc.find(v.Slider, label="Supporters").widget.v_model = 0.5
    seed = rc.find(v.TextField, label="Random seed (same seed = same infants)").widget
    seed.v_model = "5"
    seed.fire_event("keyup.enter", None)  # the text box applies on Enter or when it loses focus
    rc.find(v.Select, label="Compare with (same infants, same random numbers)").widget.v_model = app.UNCHANGED
    assert model.value is before  # sliders apply only on Reset
    _click(rc, "Reset")
    m = model.value
    assert m is not before and isinstance(m, app.AppModel)
    assert m.params.caregiver.responsiveness.mean == pytest.approx(0.4)
    assert m.params.caregiver.inconsistency.mean == pytest.approx(2.0)
    assert m.params.support.size.mean == pytest.approx(0.5)
    assert m.params.risk.fixed_count == 3 and (m.state.risk_count == 3).all()
    assert m.seed == 5 and m.compare_with == app.UNCHANGED
    assert {label for label, _, _ in m.changes} == {"sensitivity", "inconsistency", "risk factors", "supporters"}
    # ... and the model that runs is a different one: the same infants fare worse than under the preset
    for _ in range(60):
        m.step()
    assert security_index(m.state).mean() < security_index(m.twin.state).mean() - 0.02


def test_step_advances_the_model(controls):
    model, _, rc = controls("inconsistent")
    assert model.value.day == 0
    _click(rc, "Step")
    assert model.value.day == app.DAYS_PER_STEP
    assert len(model.value.datacollector.get_model_vars_dataframe()) == app.DAYS_PER_STEP
    assert len(model.value.diary) == app.DAYS_PER_STEP
    assert model.value.twin.day == app.DAYS_PER_STEP
    _click(rc, "Step")
    assert model.value.day == 2 * app.DAYS_PER_STEP
    _click(rc, "Reset")
    assert model.value.day == 0


def test_play_draws_a_frame_every_four_weeks_and_pauses(controls):
    """▶ runs PLAY_DAYS days between two drawings (issue 17: drawing is what a class's server cannot
    afford every week), and ❚❚ stops it on a frame."""
    import time

    model, _, rc = controls("good_enough")
    _click(rc, "▶")
    deadline = time.monotonic() + 60
    while model.value.day < 2 * app.dashboard.PLAY_DAYS:  # wait on the model's day, not a fixed time
        assert time.monotonic() < deadline, "▶ did not run two frames in 60 s"
        time.sleep(0.01)
    _click(rc, "❚❚")
    deadline = time.monotonic() + 30
    while rc.find(v.Btn, children=["▶"]).widgets == []:
        assert time.monotonic() < deadline, "❚❚ did not stop the run"
        time.sleep(0.01)
    day = model.value.day
    assert day % app.dashboard.PLAY_DAYS == 0 and day >= 2 * app.dashboard.PLAY_DAYS
    time.sleep(2 * app.dashboard.PLAY_PAUSE_S)
    assert model.value.day == day  # paused
    _click(rc, "Step")
    assert model.value.day == day + app.DAYS_PER_STEP


# ---------------------------------------------------------------------------- the views
@pytest.fixture(scope="module")
def stepped():
    model = app.AppModel("good_enough", n_dyads=N, compare_with="inconsistent")
    for _ in range(30):
        model.step()
    return model


@pytest.mark.parametrize("view", [app.NetworkView, app.LivePlots, app.AttachmentView, app.ComparisonView])
def test_figure_views_render_an_image(view, stepped):
    _, rc = solara.render(view(stepped), handle_error=False)
    image = rc.find(ipywidgets.Image).widget
    assert image.format == "png" and len(image.value) > 10_000


def _html(rc) -> str:
    return "\n".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)


def test_scenario_card_shows_description_notes_and_changes(stepped):
    _, rc = solara.render(app.ScenarioCard(stepped), handle_error=False)
    text = _html(rc)
    assert "Good-enough caregiver" in text and "Teaching notes" in text and "Winnicott" in text
    assert "day 30 of 365" in text
    changed = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF, sensitivity=0.5)
    _, rc = solara.render(app.ScenarioCard(changed), handle_error=False)
    assert "sensitivity: 0.85 → <strong>0.5</strong>" in _html(rc)


def test_explain_view_describes_the_watched_dyad(stepped):
    app.watched_dyad.set(3)
    _, rc = solara.render(app.ExplainView(stepped), handle_error=False)
    text = _html(rc)
    assert "Dyad 3:" in text and "signals to the caregiver" in text and "What the infant learns" in text
    assert "Strange Situation if assessed today" in text and "second reunion (caregiver)" in text
    # the reading names the noise-free class, the note says it is not a diagnosis, and the terms
    # shown (the Strange Situation's scales among them) are in the panel's glossary (issue 17)
    assert f"would be classified <strong>{explain.reading_class(stepped, 3)}</strong>" in text
    assert "not a diagnosis" in text
    *shown, listed = [w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets]  # glossary last
    terms = explain.glossary_for(*shown)
    assert terms and all(f"<strong>{term}</strong>:" in listed for term in terms)
    assert "<strong>PS, CM, RS, AV</strong>" in listed  # from the Strange Situation's words
    rc.find(v.Btn, children=["least secure"]).widget.click()
    assert app.watched_dyad.value == int(np.argmin(security_index(stepped.state)))
    app.watched_dyad.set(0)


def test_comparison_off_explains_how_to_turn_it_on():
    model = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF)
    _, rc = solara.render(app.ComparisonView(model), handle_error=False)
    assert "Compare with" in _html(rc)


def test_attachment_view_shows_the_assessment_once_done():
    model = AttachmentModel("good_enough", n_dyads=20, seed=1,
                            overrides={"simulation.months": 2, "simulation.assessment_ages": [1],
                                       "simulation.observation_age_months": 0.5})
    cls, caption, assessed = app.attachment_classes(model)
    assert not assessed and caption.startswith("Preview")
    model.run()
    cls, caption, assessed = app.attachment_classes(model)
    assert assessed and caption == "Strange Situation at 1 months"
    assert (cls == model.assessments[1].attachment).all()


def test_page_renders():
    _, rc = solara.render(app.Page(), handle_error=False)
    assert len(rc.find(ipywidgets.Image).widgets) == 4
    assert "Good-enough caregiver" in _html(rc)


def test_solara_finds_one_page_in_the_package():
    """``solara run simulation.app`` makes a route of every submodule with a Page, page or app."""
    from solara.autorouting import generate_routes
    routes = generate_routes(app)
    assert [(r.path, r.component) for r in routes] == [("/", app.Page)]


def test_dashboard_for_another_preset():
    _, rc = solara.render(app.Dashboard("village"), handle_error=False)
    text = _html(rc)
    assert "High risk, with a village" in text and "90 days before birth" in text


def test_every_view_has_its_place_in_the_grid():
    """The panels sit in a fixed CSS grid (nothing to drag): every view's class has an area in both
    the wide layout and the phone's one-column layout."""
    css = app.CSS
    wide, phone = css.split("@media")
    areas = {"wide": wide.split("grid-template-areas:")[1].split(";")[0],
             "phone": phone.split("grid-template-areas:")[1].split(";")[0]}
    model = app.AppModel("good_enough", n_dyads=20, compare_with=app.OFF)
    for view in app.VIEWS:
        _, rc = solara.render(view(model), handle_error=False)
        classes = rc.find(v.Sheet).widgets[0].class_.split()
        assert "sb-view" in classes, view
        area = next(c for c in classes if c.startswith("sb-") and c != "sb-view")
        name = wide.split(f".{area} {{ grid-area: ")[1].split(";")[0]
        assert all(f" {name} " in f" {a.replace(chr(34), ' ')} " for a in areas.values()), (view, name, areas)


def test_no_mesa_internals_on_the_page():
    """Mesa's own controls and names confused students (issue 17): none is on the page."""
    _, rc = solara.render(app.Page(), handle_error=False)
    labels = {w.label for w in rc.find(v.Slider).widgets} | {w.label for w in rc.find(v.Checkbox).widgets}
    text = _html(rc) + " ".join(str(w.children) for w in rc.find(v.Btn).widgets)
    for internal in ("Play Interval (ms)", "Render Interval (steps)", "Use Threads"):
        assert internal not in labels
    assert not rc.find(v.Tab).widgets  # no "Page 0" tab
    assert "Time: " not in text


def test_values_are_written_beside_the_sliders_and_changes_are_marked(controls):
    model, parameters, rc = controls("high_risk_isolated")
    def marked(css_class):
        return [w.children[0] for w in rc.find(v.Html).widgets if css_class in (w.class_ or "").split()]

    def shown(_=None):
        return marked("sb-value")

    texts = shown(None)
    assert "preset mix" in texts  # risk factors at the far left: the preset's own mix, not "-1"
    sens = app.CONTROLS["sensitivity"]
    assert sens.text(load_scenario("high_risk_isolated").caregiver.responsiveness.mean) in texts
    assert not marked("sb-pending")
    rc.find(v.Slider, label="Sensitivity").widget.v_model = 0.5
    rc.find(v.Slider, label="Supporters' time").widget.v_model = 0.8
    assert "0.50" in shown() and "80%" in shown(), " ".join(shown())
    pending = marked("sb-pending")
    assert len(pending) == 1 and "Sensitivity" in pending[0] and "Supporters' time" in pending[0]
    assert "Depression risk" not in pending[0]
    _click(rc, "Reset")
    assert not marked("sb-pending")
    assert model.value.params.caregiver.responsiveness.mean == pytest.approx(0.5)
    # Restore preset: the preset's values back in the controls and in a new model
    _click(rc, "Restore preset")
    assert model.value.changes == [] and model.value.settings == {**app.initial_kwargs(app.model_params(
        "high_risk_isolated")), "n_dyads": N}
    assert rc.find(v.Slider, label="Sensitivity").widget.v_model == pytest.approx(load_scenario("high_risk_isolated").caregiver.responsiveness.mean)
    preset = load_scenario("high_risk_isolated")
    assert parameters.value["support_time"] == pytest.approx(app.CONTROLS["support_time"].preset_value(preset))


# ---------------------------------------------------------------------------- explain, in words
def test_describe_day_in_words():
    day = explain.DyadDay(day=61, signals=10, met_promptly=3, mismatched=4, repaired=3, cry_minutes=42.4,
                          unsoothed_minutes=12.0, shared_smiles=2, faces_read_negative=1, stress=0.45,
                          depressed=True, relief_share=0.2, supporters_present=["partner", "family or friend"])
    text = explain.describe_day(day)
    assert "Day 61, 2.0 months old" in text
    assert "10 signals" in text and "3 met promptly" in text
    assert "4 first answers missed the need, 3 repaired and 1 left unrepaired" in text
    assert "3 not met in time" in text
    assert "Crying 42 min (12 unsoothed)" in text and "2 shared smiles" in text and "1 face read as upset" in text
    assert "stressed (stress 0.45), depressed" in text and "the partner, 1 family member or friend" in text
    before_birth = explain.describe_day(explain.DyadDay(day=-3, stress=0.1))
    assert "3 days before birth" in before_birth and "not born yet" in before_birth


def test_summary_reads_the_pattern():
    """The reading names the day's class and only what the numbers bear out (issue 17: this test used to
    ask for 'disorganisation' from frightening moments whatever the class)."""
    repaired = [explain.DyadDay(day=d, signals=10, met_promptly=3, mismatched=5, repaired=4, availability=0.5,
                                security=0.7, attachment="B") for d in range(7)]
    s = explain.summarise(repaired)
    assert s.signals == 70 and s.repaired == 28 and s.attachment == "B" and s.text[-1] == s.reading
    assert "classified **B**" in s.reading and "good-enough pattern" in s.reading
    muting = [explain.DyadDay(day=d, signals=6, met_promptly=0, mismatched=1, mute=0.9, attachment="A")
              for d in range(7)]
    assert "mute" in explain.summarise(muting).reading
    frightened = [explain.DyadDay(day=d, signals=6, met_promptly=3, frightening=1, fear=0.3, attachment="B")
                  for d in range(7)]
    text = explain.summarise(frightened).reading
    assert "7 frightening moments" in text and "disorganis" not in text
    frightened[-1].attachment = "D"
    assert "classified **D**, disorganised" in explain.summarise(frightened).reading
    assert "press Step" in explain.summarise([]).text[0]


@pytest.mark.parametrize("preset, word", [("rejecting", "mute"), ("frightening", "disorganised"),
                                          ("inconsistent", "amplify")])
def test_explanations_follow_the_profiles(preset, word):
    model = app.AppModel(preset, n_dyads=N, compare_with=app.OFF)
    for _ in range(150):
        model.step()
    readings = [explain.explain(model, i)["reading"] for i in range(model.n)]
    assert sum(word in r for r in readings) >= 0.2 * model.n


def test_diary_keeps_the_last_days_only():
    model = app.AppModel("good_enough", n_dyads=10, compare_with=app.OFF)
    for _ in range(app.DIARY_DAYS + 5):
        model.step()
    days = model.diary.dyad(2)
    assert [d.day for d in days] == list(range(5, app.DIARY_DAYS + 5))
    assert sum(d.signals for d in model.diary.dyad(2, last=1)) == days[-1].signals
    assert days[-1].security == pytest.approx(security_index(model.state)[2])


# ---------------------------------------------------------------------------- serving
def test_cli_app_command_serves_on_localhost(monkeypatch):
    calls = []
    monkeypatch.setattr(app, "serve", lambda host, port: calls.append((host, port)) or 0)
    assert cli.main(["app"]) == 0
    assert cli.main(["app", "--port", "9001"]) == 0
    assert calls == [("127.0.0.1", 8765), ("127.0.0.1", 9001)]
    command = app.solara_command()
    assert command[1:4] == ["-m", "solara", "run"] and "simulation.app" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"

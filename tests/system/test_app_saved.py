"""Save and load a run (issue 17): one HTML file a student hands in, read back and replayed.

The checks are independent of ``saved.py``'s own code paths where they can be: the replayed model
is compared with the original model itself (classes, daily table, per-dyad table), the HTML is
read with ``html.parser`` rather than with the module's reader, and the shares and Wilson
intervals shown are recomputed here from the classes.
"""

import json
import math
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from simulation import app
from simulation.app import controls, figures, saved
from simulation.errors import UserError
from simulation.report import records

PRESET = "good_enough"
N = 40
DAYS = 30
CHANGES = {"sensitivity": 0.5, "inconsistency": 1.2, "support_size": 1.0, "intervention": True,
           "intervention_kind": "video_feedback", "intervention_start": 10}


def page_settings(preset=PRESET, n=N, **changes):
    """The page's controls as it passes them to AppModel: the preset's sliders, then the changes."""
    kwargs = controls.initial_kwargs(controls.model_params(preset))
    kwargs.update(n_dyads=n, **changes)
    return kwargs


def run(settings, days):
    model = controls.AppModel(**settings)
    for _ in range(days):
        model.step()
    return model


@pytest.fixture(scope="module")
def original():
    settings = page_settings(**CHANGES, seed="class 3")
    model = run(settings, DAYS)
    name, data = saved.run_file(model, settings)
    return settings, model, name, data


class Page(HTMLParser):
    """The page as a browser reads it: its visible text, table rows, tags' attributes, scripts."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.rows, self.row, self.cell, self.tags, self.scripts = [], None, None, [], []
        self.text, self._script = [], None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "script":
            self._script = [dict(attrs), ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr":
            self.rows.append(self.row)
            self.row = None
        elif tag == "script":
            self.scripts.append(tuple(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def block_of(data: bytes) -> dict:
    scripts = [s for a, s in Page(data.decode()).scripts if a.get("id") == "securebase-run"]
    assert len(scripts) == 1
    return json.loads(scripts[0])


def with_block(data: bytes, change, block=None) -> bytes:
    """The file with its machine-readable block (``block``: as read from it) changed by ``change(dict)``."""
    text = data.decode()
    block = json.loads(json.dumps(block or block_of(data)))
    change(block)
    new = json.dumps(block).replace("<", "\\u003c")
    return re.sub(r'(<script type="application/json" id="securebase-run">).*?(</script>)',
                  lambda m: m[1] + new + m[2], text, flags=re.S).encode()


def wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def class_rows(page, cls):
    """The A/B/C/D rows the page must show for ``cls``: label, count, share, Wilson CI."""
    want = []
    for c, label in zip("ABCD", ("A avoidant", "B secure", "C resistant", "D disorganised")):
        k = int(np.sum(cls == c))
        lo, hi = wilson(k, len(cls))
        want.append([label, str(k), f"{100 * k / len(cls):.1f}%", f"{100 * lo:.1f}% to {100 * hi:.1f}%"])
    return want


# ------------------------------------------------------------------------------ round trip
def test_round_trip_replays_the_same_run(original):
    settings, model, name, data = original
    assert name == f"securebase_{PRESET}_day{DAYS}.html"
    run_ = saved.read_run(data)
    assert run_.day == model.day == DAYS
    assert run_.format_version == saved.FORMAT_VERSION
    assert {k: run_.settings[k] for k in settings} == settings
    replayed, warnings = saved.replay(run_)
    assert warnings == []
    assert replayed.day == model.day
    assert replayed.intervention == model.intervention and replayed.changes == model.changes
    np.testing.assert_array_equal(figures.attachment_classes(replayed)[0], figures.attachment_classes(model)[0])
    np.testing.assert_array_equal(figures.attachment_classes(replayed.twin)[0],
                                  figures.attachment_classes(model.twin)[0])
    pd.testing.assert_frame_equal(replayed.datacollector.get_model_vars_dataframe(),
                                  model.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(records.dyad_table(replayed), records.dyad_table(model))
    # a str is read as well as bytes (FileDrop gives bytes; a test or a script may give text)
    assert saved.read_run(data.decode()).settings == run_.settings


def test_a_different_run_is_not_the_saved_one(original):
    # the fingerprint can tell runs apart: the same file replayed with another seed warns
    _, _, _, data = original
    other = saved.read_run(with_block(data, lambda b: b["settings"].update(seed="another seed")))
    _, warnings = saved.replay(other)
    assert warnings and all(w.startswith("Saved with SecureBase") for w in warnings)
    assert any("daily means differ" in w for w in warnings)


def test_a_tampered_fingerprint_warns(original):
    _, model, _, data = original
    classes = "".join(figures.attachment_classes(model)[0])
    flipped = "A" if classes[3] != "A" else "B"

    def tamper(block):
        fp = block["fingerprint"]
        fp["classes"] = classes[:3] + flipped + classes[4:]
        fp["daily_last"]["security_index"] += 0.01

    replayed, warnings = saved.replay(saved.read_run(with_block(data, tamper)))
    assert replayed.day == DAYS
    assert len(warnings) == 2, warnings
    assert "differ from the saved ones in 1 dyad's class" in warnings[0]
    assert "security_index" in warnings[1]
    for w in warnings:
        assert re.match(r"Saved with SecureBase \S+ \(commit \w+\), this is SecureBase \S+ \(commit \w+\): ", w)


# ------------------------------------------------------------------------------ the page itself
def test_the_html_shows_settings_and_shares(original):
    settings, model, _, data = original
    page = Page(data.decode("utf-8"))
    text = " ".join(page.text)
    rows = [r for r in page.rows if r]
    # the changed sliders with the preset's values beside them, the unchanged ones without
    assert ["Sensitivity", "sensitivity", "0.5", "0.85"] in rows
    assert ["Inconsistency", "inconsistency", "1.2", "0.4"] in rows
    negative_bias = next(r for r in rows if r[1] == "negative_bias")
    assert negative_bias[3] == ""
    assert ["Random seed (same seed = same infants)", "seed", "class 3", ""] in rows
    assert ["Intervention on", "intervention", "on", ""] in rows
    assert ["Starts (day)", "intervention_start", "10", ""] in rows
    # the A/B/C/D shares with Wilson intervals, of the run and of its comparison
    for cls in (figures.attachment_classes(model)[0], figures.attachment_classes(model.twin)[0]):
        for row in class_rows(page, cls):
            assert row in rows
    assert "Preview: if assessed today" in text and "day 30, 1.0 months old" in text
    assert "SecureBase 0.1.0" in text
    # the daily means week by week (and the last day), the per-dyad table one row a dyad
    days = [r[0] for r in rows if len(r) == 14]
    assert days[1:] == ["0", "7", "14", "21", "28", "29"]
    dyad_rows = [r for r in rows if len(r) == records.dyad_table(model).shape[1] + 1]
    assert len(dyad_rows) == N + 1 and dyad_rows[0][:4] == ["scenario", "dyad", "attachment_preview", "seed"]


def test_the_file_is_self_contained(original):
    _, _, _, data = original
    page = Page(data.decode())
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed"), tag
        for key in ("src", "href", "srcset", "data", "action"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, key, value)
            if key == "src" and value:
                assert value.startswith("data:image/png;base64,")
    assert not re.search(rb"https?://", data)
    # no script to run: the one script element is the data block
    assert [a for a, _ in page.scripts] == [{"type": "application/json", "id": "securebase-run"}]
    assert sum(tag == "img" for tag, _ in page.tags) == 3  # over age, A/B/C/D, comparison


def test_text_is_escaped():
    seed = '</script><script>alert(1)</script><b onclick="x">&amp;'
    settings = page_settings(n=20, seed=seed, compare_with=controls.OFF)
    model = run(settings, 2)
    _, data = saved.run_file(model, settings, with_figures=False)
    assert b"<b onclick" not in data and b"alert(1)</script>" not in data
    page = Page(data.decode())
    assert len(page.scripts) == 1
    assert ["Random seed (same seed = same infants)", "seed", seed, ""] in page.rows
    assert saved.read_run(data).settings["seed"] == seed


def test_values_left_to_the_preset_are_shown():
    # the page always passes every slider; a caller may leave one to the preset (None) and the
    # comparison to the preset's default: the file shows the values the run used
    settings = {"preset": "village", "n_dyads": 20, "seed": "1", "sensitivity": 0.3}
    model = run(settings, 1)
    _, data = saved.run_file(model, settings, with_figures=False)
    rows = Page(data.decode()).rows
    village = controls.load_scenario("village")
    assert ["Sensitivity", "sensitivity", "0.3", f"{village.caregiver.responsiveness.mean:g}"] in rows
    support = village.support.size.mean
    assert ["Supporters", "support_size", f"{support:g} (the preset's)", ""] in rows
    assert ["Intervention on", "intervention", "off", ""] in rows
    assert ["Starts (day)", "intervention_start", "60 (not used: intervention off)", ""] in rows
    assert [r for r in rows if r and r[1] == "compare_with"][0][2] == f"{model.compare_with} (the preset's default)"
    replayed, warnings = saved.replay(saved.read_run(data))
    assert warnings == [] and replayed.compare_with == model.compare_with


def test_a_start_left_from_another_preset():
    # the start slider may hold a day before birth from a preset with pregnancy: the file keeps the
    # setting as made, says where the run moved it, and replays it
    settings = page_settings(n=20, compare_with=controls.OFF, intervention=True, intervention_start=-60)
    model = run(settings, 2)
    _, data = saved.run_file(model, settings, with_figures=False)
    assert "intervention start (moved into this preset&#x27;s days): -60 became 0" in data.decode()
    run_ = saved.read_run(data)
    assert run_.settings["intervention_start"] == -60
    assert run_.version == "0.1.0" and (run_.commit is None or re.fullmatch(r"[0-9a-f]{40}", run_.commit))
    replayed, warnings = saved.replay(run_)
    assert warnings == [] and replayed.intervention["start_day"] == 0


def test_before_birth_and_no_comparison():
    settings = page_settings("first_1001_days", n=20, compare_with=controls.OFF)
    model = run(settings, 3)
    name, data = saved.run_file(model, settings, with_figures=False)
    assert name == "securebase_first_1001_days_day-277.html"
    assert "Not born yet" in data.decode() and "Compared with" not in data.decode()
    replayed, warnings = saved.replay(saved.read_run(data))
    assert replayed.day == -277 and replayed.twin is None and warnings == []


def test_size_at_300_dyads_and_assessed_shares():
    # the largest file the page makes: 300 dyads, a year to the Strange Situation, a comparison
    settings = page_settings(n=300, seed="size")
    model = run(settings, 400)  # the run stops at its end (day 365)
    _, data = saved.run_file(model, settings)
    print(f"saved run of 300 dyads at day {model.day}: {len(data):,} bytes")
    assert len(data) < 1_000_000
    page = Page(data.decode())
    rows = [r for r in page.rows if r]
    cls = model.assessments[12].attachment
    assert len(set(cls)) > 1
    for row in class_rows(page, cls):
        assert row in rows
    assert "Strange Situation at 12 months" in " ".join(page.text)
    assert block_of(data)["fingerprint"]["assessed"] is True


# ------------------------------------------------------------------------------ refusals
def refused(data) -> str:
    with pytest.raises(UserError) as info:
        saved.read_run(data)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_garbage_and_other_files_are_refused():
    assert "not a run saved by SecureBase" in refused(bytes(range(256)) * 10)
    assert "not a run saved by SecureBase" in refused(b"")
    assert "not a run saved by SecureBase" in refused(b"PK\x03\x04 a zip file, perhaps")
    page = b"<!DOCTYPE html><html><head><title>Notes</title></head><body><p>My essay</p></body></html>"
    assert "not a run saved by SecureBase" in refused(page)
    other_json = b'<script type="application/json" id="securebase-run">{"hello": 1}</script>'
    assert "not a run saved by SecureBase" in refused(other_json)
    assert "not valid JSON" in refused(b'<script type="application/json" id="securebase-run">{"format": </script>')
    assert "not from" in refused(12345)


def test_bad_settings_are_refused_by_name(original):
    _, _, _, data = original

    def change(**kw):
        return with_block(data, lambda b: b["settings"].update(kw))

    message = refused(with_block(data, lambda b: b["settings"].update(speed=3)))
    assert "'speed'" in message and "not a control" in message and "sensitivity" in message
    message = refused(change(sensitivity=1.5))
    assert "'sensitivity'" in message and "1.5" in message and "from 0 to 1" in message
    message = refused(change(risk_factors=2.5))
    assert "'risk_factors'" in message and "2.5" in message and "whole numbers from -1 to 7" in message
    message = refused(change(n_dyads=5000))
    assert "'n_dyads'" in message and "5000" in message and "from 20 to 300" in message
    message = refused(change(preset="nope"))
    assert "'preset'" in message and "'nope'" in message and "good_enough" in message and "village" in message
    message = refused(change(intervention_kind="hugs"))
    assert "'intervention_kind'" in message and "'hugs'" in message and "video_feedback" in message
    message = refused(change(intervention="yes"))
    assert "'intervention'" in message and "'yes'" in message
    message = refused(change(sensitivity=float("nan")))  # json writes NaN, and reads it
    assert "'sensitivity'" in message and "nan" in message
    message = refused(change(compare_with="yesterday"))
    assert "'compare_with'" in message and "'yesterday'" in message
    message = refused(with_block(data, lambda b: b.update(day=9999)))
    assert "'day'" in message and "9999" in message and "from 0 to 365" in message
    message = refused(with_block(data, lambda b: b.update(format_version=2)))
    assert "format version is 2" in message and "newer SecureBase" in message
    message = refused(with_block(data, lambda b: b["fingerprint"].update(classes="BXB")))
    assert "'classes'" in message and "'BXB'" in message
    message = refused(with_block(data, lambda b: b.update(settings=[1, 2])))
    assert "[1, 2]" in message
    message = refused(with_block(data, lambda b: b["settings"].pop("preset")))
    assert "'preset' is missing" in message


def test_saving_refuses_what_loading_would(original):
    settings, model, _, _ = original
    with pytest.raises(UserError, match="'inconsistency' is 9.0"):
        saved.run_file(model, {**settings, "inconsistency": 9.0})
    with pytest.raises(ValueError):
        saved.run_file(model, {**settings, "n_dyads": 50})


WEIRD = [None, [], {}, "", "x" * 2000, -1, 10 ** 400, 1e308, True, 1.5, {"a": 1}]


def test_no_file_ends_in_anything_but_a_user_error():
    # every setting and every field of the block set to values of the wrong kind or size, then
    # bytes flipped and cut: each is read, or refused with a UserError (never another exception)
    settings = page_settings(n=20, compare_with=controls.OFF)
    _, data = saved.run_file(run(settings, 1), settings, with_figures=False)
    block = block_of(data)
    accepted = []
    for key in [*settings, "extra"]:
        for value in WEIRD:
            try:
                saved.check_settings({**settings, key: value})
                accepted.append((key, value))
            except UserError as exc:
                assert "\n" not in str(exc) and len(str(exc)) < 600
    assert ("sensitivity", None) in accepted  # None: the preset's value, as AppModel takes it
    assert ("n_dyads", 10 ** 400) not in accepted and ("seed", 10 ** 400) not in accepted
    for key in [*block, "extra"]:
        for value in WEIRD:
            def change(b, key=key, value=value):
                b[key] = value
            try:
                saved.read_run(with_block(data, change, block))
                assert key in ("extra", "saved_with"), key
            except UserError as exc:
                assert "\n" not in str(exc) and len(str(exc)) < 600
    rng = np.random.default_rng(17)
    for _ in range(60):
        d = np.frombuffer(data, dtype=np.uint8).copy()
        d[rng.integers(0, len(d), rng.integers(1, 6))] = rng.integers(0, 256, 1)
        if rng.random() < 0.3:
            d = d[:rng.integers(0, len(d))]
        try:
            saved.read_run(d.tobytes())
        except UserError:
            pass


# ---------------------------------------------------------------------------- the page's save and load
def test_the_page_saves_a_run_and_loads_it_back():
    """The control column's Save gives the run file; loading it (as the drop box does) puts its
    settings in the controls and its replayed model in the panels, and says so."""
    import ipyvuetify as v
    import solara

    from simulation.app import dashboard

    params = app.model_params("good_enough")
    values = {**app.initial_kwargs(params), "n_dyads": 30, "sensitivity": 0.55, "compare_with": app.OFF}
    model = solara.reactive(app.AppModel(**values))
    for _ in range(21):
        model.value.step()
    settings, choice, loaded = solara.reactive(dict(values)), solara.reactive("good_enough"), solara.reactive(None)
    _, rc = solara.render(app.ControlPanel(choice, model, settings, params, loaded), handle_error=False)
    data = saved.run_file(model.value, model.value.settings)[1]
    original = model.value
    # a student changes a control, then loads the file: the file's settings and run come back
    settings.set({**settings.value, "sensitivity": 0.9})
    dashboard.load_run({"name": "mine.html", "data": data}, choice, model, settings, loaded)
    assert model.value is not original and model.value.day == 21
    assert settings.value["sensitivity"] == pytest.approx(0.55)
    assert (model.value.state.availability == original.state.availability).all()
    texts = " ".join(str(w.children) for w in rc.find(v.Alert).widgets)
    assert "Loaded mine.html" in texts and "the replay gives the saved results" in texts
    # a file that is not a run: one sentence, and nothing on the page changes
    before = model.value
    dashboard.load_run({"name": "notes.txt", "data": b"my notes"}, choice, model, settings, loaded)
    assert model.value is before
    texts = " ".join(str(w.children) for w in rc.find(v.Alert).widgets)
    assert "Could not load notes.txt" in texts and "Traceback" not in texts
    rc.close()


def test_a_run_of_another_preset_opens_that_presets_page():
    import solara

    from simulation.app import dashboard

    other = app.AppModel("village", n_dyads=20, compare_with=app.OFF)
    for _ in range(3):
        other.step()
    data = saved.run_file(other, other.settings)[1]
    params = app.model_params("good_enough")
    model = solara.reactive(app.AppModel(**{**app.initial_kwargs(params), "n_dyads": 20}))
    settings, choice, loaded = solara.reactive(app.initial_kwargs(params)), solara.reactive("good_enough"), \
        solara.reactive(None)
    dashboard.load_run({"name": "village.html", "data": data}, choice, model, settings, loaded)
    assert choice.value == "village" and loaded.value["settings"]["preset"] == "village"
    # the village page starts from the loaded run, not from the preset
    import ipyvuetify as v

    _, rc = solara.render(app.Dashboard("village", choice, loaded), handle_error=False)
    ages = [str(w.children) for w in rc.find(v.Html, class_="sb-age").widgets]
    assert other.day == -87 and ages == [str([app.views.age_text(other)])]
    # once only: the village page opened again later starts from the preset
    assert "settings" not in loaded.value
    _, rc = solara.render(app.Dashboard("village", choice, loaded), handle_error=False)
    assert [str(w.children) for w in rc.find(v.Html, class_="sb-age").widgets] == [
        str(["90 days before birth (the caregiver's pregnancy); birth at day 0, end at day 365"])]

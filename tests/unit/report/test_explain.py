"""explain, the 'one dyad, in words' panel (issue 17): the reading names the class of the working
model without assessment noise, its other phrases only say what the numbers beside them bear out,
every term it shows has plain words, and every explanation says it is a model's reading.

The per-preset acceptance (the reading against the noise-free class and the assessment, every
built-in preset) is tests/population/test_explain_readings.py.
"""

import re

import numpy as np
import pytest

from simulation.measures import strange_situation as ss
from simulation.model.engine import AttachmentModel
from simulation.report import explain

from helpers import make_state, procedure_without_noise

CLASSIFIED = re.compile(r"classified \*\*([ABCD])\*\*")


def week(attachment="B", days=7, **per_day):
    """``days`` hand-made diary days of an infant whose working model's class is ``attachment``."""
    return [explain.DyadDay(day=30 + d, attachment=attachment, **per_day) for d in range(days)]


def named_classes(text):
    """The classes a text names: bold letters, or the classes' one-word names."""
    bold = set(re.findall(r"\*\*([ABCD])\*\*", text))
    words = {c for c, name in explain.CLASS_NAMES.items() if re.search(rf"\b{name}\b", text)}
    return bold | words


def model_with_diary(preset="good_enough", n=20, days=60, seed=1):
    """A model that keeps a diary as the app's model does (recorded after each day)."""
    model = AttachmentModel(preset, n_dyads=n, seed=seed)
    model.diary = explain.DyadDiary(model.state, days=7, params=model.params.assessment)
    for _ in range(days):
        model.step()
        model.diary.record(model.day - 1, model.state)
    return model


# ------------------------------------------------------------------------- the noise-free class
def test_noise_free_class_is_the_procedure_without_its_noise():
    """expected_attachment (reunions only) equals the whole procedure, every episode and interval,
    with no day's shift, behaviours at their probabilities and no coder error; on working models
    spread over all four classes."""
    rng = np.random.default_rng(7)
    n = 4000
    _, s = make_state(n=n, availability=rng.random(n), amplify=rng.random(n), mute=rng.random(n),
                      fear=rng.random(n) ** 2, negative_emotionality=rng.standard_normal(n),
                      soothability=rng.uniform(0.05, 1.0, n))
    p = ss.StrangeSituationParams()
    got = ss.expected_attachment(s, p)
    assert set(got) == set(ss.CLASSES)
    assert (got == procedure_without_noise(s, p)).all()


def test_the_class_is_the_classification_of_the_scales_a_coder_gives():
    """A muting infant is A, an amplifying one C, a frightened one D, one expecting comfort B."""
    _, s = make_state(n=4, availability=[0.8, 0.2, 0.4, 0.6], amplify=[0.0, 0.0, 1.0, 0.0],
                      mute=[0.0, 1.0, 0.0, 0.0], fear=[0.0, 0.0, 0.0, 0.9], negative_emotionality=0.0,
                      soothability=0.6)
    assert list(ss.expected_attachment(s)) == ["B", "A", "C", "D"]


# ------------------------------------------------------------------------------- the reading
@pytest.mark.parametrize("cls", ss.CLASSES)
def test_reading_names_the_class_and_no_other(cls):
    days = week(cls, signals=10, met_promptly=5, mismatched=1, repaired=1, amplify=0.3, mute=0.3, fear=0.6)
    summary = explain.summarise(days)
    assert summary.attachment == cls and summary.text[-1] == summary.reading
    assert CLASSIFIED.findall(summary.reading) == [cls]
    assert named_classes(summary.reading) == {cls}


def test_nothing_is_classified_before_birth():
    days = [explain.DyadDay(day=d, stress=0.3, attachment="") for d in range(-7, 0)]
    summary = explain.summarise(days, attachment="B")  # even if a class is offered
    assert summary.attachment is None and "not born yet" in summary.reading
    assert "no expectations" in summary.reading and not CLASSIFIED.search(summary.reading)
    model = AttachmentModel("village", n_dyads=5, seed=1)  # 90 days of pregnancy
    model.diary = explain.DyadDiary(model.state, days=7)
    for _ in range(10):
        model.step()
        model.diary.record(model.day - 1, model.state)
    info = explain.explain(model, 2)
    assert info["attachment"] is None and explain.reading_class(model, 2) is None
    assert "not born yet" in info["reading"] and not named_classes(info["reading"])
    assert model.diary.dyad(2)[-1].attachment == ""


def test_many_misses_only_at_the_threshold():
    """'Many first answers missed' needs at least MANY_MISSES_SHARE of the signals; one miss in a week
    (the issue: 93 of 100 `perfect` dyads read 'many first answers miss') is not many."""
    signals = 100
    at = int(np.ceil(explain.MANY_MISSES_SHARE * signals))

    def reading(missed):
        days = week("B", days=1, signals=signals, met_promptly=50, mismatched=missed, repaired=missed)
        return explain.summarise(days).reading

    assert "Many first answers" in reading(at) and f"{at} of {signals} signals" in reading(at)
    assert "Many first answers" not in reading(at - 1)
    one_miss = [explain.DyadDay(day=30 + d, attachment="B", signals=10, met_promptly=8, mismatched=int(d == 0),
                                repaired=int(d == 0)) for d in range(7)]
    text = explain.summarise(one_miss).reading
    assert "many" not in text.lower() and "Most bids ended with the caregiver meeting the need" in text


def test_frightening_moments_are_counted_and_D_named_only_when_D():
    """One frightening moment in a week used to read 'the road to disorganisation (D)' (issue 17)."""
    one = [explain.DyadDay(day=100 + d, attachment="B", signals=8, met_promptly=5, frightening=int(d == 3),
                           fear=0.05) for d in range(7)]
    summary = explain.summarise(one)
    assert "**1 frightening moment**" in summary.text[0]
    assert "1 frightening moment in these days" in summary.reading
    assert "disorganis" not in summary.reading and named_classes(summary.reading) == {"B"}
    one[-1].attachment = "D"
    one[-1].fear = 0.7
    assert "classified **D**, disorganised" in explain.summarise(one).reading


def test_leanings_are_mentioned_without_another_class():
    days = week("B", signals=10, met_promptly=6, amplify=0.5)
    text = explain.summarise(days).reading
    assert "louder and longer" in text and "not enough to change its class" in text
    assert named_classes(text) == {"B"}
    assert "louder" not in explain.summarise(week("B", signals=10, met_promptly=6, amplify=0.1)).reading


# ------------------------------------------------------------------- plain words and the note
def test_headline_in_plain_words():
    model = model_with_diary(days=3)
    for dyad in range(model.n):
        head = explain.explain(model, dyad)["headline"]
        z = model.state.negative_emotionality[dyad]
        assert re.search(r"gets upset more easily than about \d+ in 100 infants", head)
        assert f"{z:+.1f} SD" in head
        assert "state of mind" in head and "in 100 of the distress signals" in head


def test_glossary_explains_the_terms_shown():
    model = model_with_diary(days=60)
    jargon = {"state of mind": "state of mind", "proneness to distress": "proneness to distress", " SD": "SD",
              "working model": "working model", "security index": "security index", "repaired": "repair",
              "frightening moment": "frightening moment", "Strange Situation": "Strange Situation"}
    seen = set()
    for dyad in range(model.n):
        info = explain.explain(model, dyad)
        shown = "\n".join([info["headline"], *info["days"], *info["summary"]])
        assert info["glossary"] == explain.glossary_for(info["headline"], *info["days"], *info["summary"])
        for word, term in jargon.items():
            if word in shown:
                assert term in info["glossary"], (dyad, term)
                seen.add(term)
        history = re.search(r"an? \*(\w+) state of mind\*", shown).group(1)
        assert f"{history} state of mind" in info["glossary"]
        cls = info["attachment"]
        assert {k for k in info["glossary"] if re.fullmatch(r"[ABCD] \(\w+\)", k)} == {
            f"{cls} ({explain.CLASS_NAMES[cls]})"}
    assert seen >= {"state of mind", "proneness to distress", "SD", "working model", "security index", "repair"}
    words = explain.strange_situation_words(ss.trace_one(model, 0))
    glossed = explain.glossary_for(*words)
    assert {"Strange Situation", "PS, CM, RS, AV", "DS", "reunion", "arousal"} <= set(glossed)
    assert all(meaning and not meaning.endswith(" ") for meaning in explain.GLOSSARY.values())


def test_every_explanation_says_it_is_a_models_reading():
    model = model_with_diary(days=30)
    info = explain.explain(model, 4)
    assert info["note"] == explain.MODEL_NOT_DIAGNOSIS and info["summary"][-1] == explain.MODEL_NOT_DIAGNOSIS
    assert "not a diagnosis" in explain.MODEL_NOT_DIAGNOSIS
    empty = AttachmentModel("good_enough", n_dyads=5, seed=1)
    assert explain.explain(empty, 0)["note"] == explain.MODEL_NOT_DIAGNOSIS


def test_a_preview_that_differs_by_chance_says_so():
    model = model_with_diary("inconsistent", n=60, days=200)
    explained = 0
    for dyad in range(model.n):
        trace = ss.trace_one(model, dyad)
        expected = explain.reading_class(model, dyad)
        first = explain.strange_situation_words(trace, expected)[0]
        if trace.attrs["attachment"] != expected:
            assert f"today's working model is classified **{expected}**" in first
            explained += 1
        else:
            assert "chance" not in first
    assert explained > 0

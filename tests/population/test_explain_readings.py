"""The 'one dyad, in words' reading against the numbers, in every built-in preset (issue 17's acceptance).

A teacher found the reading contradicting the classes beside it: 'the road to disorganisation (D)'
for 44 of 100 good-enough dyads at 4 months (4% D), 'many first answers miss' for 93 of 100
`perfect` dyads, 'the road to resistance (C)' for a secure dyad all year. Here, for every preset
(100 dyads, seed 1, a diary kept as the app keeps it):

- on days 30, 120, 240 and the last (and the last day before birth, for presets with a pregnancy)
  the reading names the class of the working model without assessment noise, for every dyad
  (the issue asks for at least 95%), and nothing before birth;
- that class is the Strange Situation with its noise switched off (the whole procedure written out
  in tests/helpers.py) for every dyad at 12 months, and the modal class of many real procedures
  with the coder's error and the day's shift set to zero (only the interval draws left) for at
  least ``MODAL_AGREEMENT`` of them;
- the reading on the day of the 12-month assessment is compared with the class that assessment
  gave, noise and all: agreement and Cohen's kappa per preset are printed (``pytest -rP``);
- in the presets with two-caregiver households (issue 18), the reading of the infant's relationship
  with the second caregiver names the class of its working model of that caregiver without noise
  (``model.households.state``), on the same days, for every dyad with a second caregiver, and
  nothing before birth; dyads with one caregiver have no second reading.
"""

import re
from functools import cache
from types import SimpleNamespace

import numpy as np
import pytest

from simulation.measures import strange_situation as ss
from simulation.model import streams
from simulation.model.calendar import month_day
from simulation.model.engine import AttachmentModel
from simulation.report import explain
from simulation.scenario import available_scenarios, load_scenario
from simulation.study.analysis import kappa

from helpers import procedure_without_noise

N = 100
SEED = 1
DAYS = (30, 120, 240)
"""Days the readings are checked on, with each preset's last day (and last day before birth)."""
AGE = 12
"""The assessment the final reading is compared with (months; every preset assesses at 12)."""
READING_AGREEMENT = 0.95
"""The issue's acceptance: the reading is the noise-free class for at least 95% of dyads on each day."""
REPLICATES = 200
"""Real procedures per dyad for the modal class (enough for a stable mode away from the cut-offs)."""
MODAL_AGREEMENT = 0.95
"""The modal class of noise-free-coded real procedures equals the noise-free class for this share at least:
dyads within the interval draws' spread of a cut-off may go either way (97-100% in five presets when set)."""
CLASSIFIED = re.compile(r"classified \*\*([ABCD])\*\*")
D_WORDS = re.compile(r"disorganis|\*\*D\*\*")


@cache
def run(preset):
    """One preset run to the end with a diary, as the app's model keeps one: per checked day, each dyad's
    reading, the class it names, and the noise-free classes of the state that day (two ways)."""
    model = AttachmentModel(preset, n_dyads=N, seed=SEED)
    p = model.params.assessment
    model.diary = explain.DyadDiary(model.state, days=7, params=p)
    h = model.households
    if h is not None:  # as the app's model keeps it: a diary of the second caregivers' rows
        model.second_diary = explain.DyadDiary(h.state, days=7, params=h.params.assessment)
    checked = {*DAYS, model.end_day - 1, month_day(AGE) - 1}
    if model.day < 0:
        checked.add(-1)
    days = {}
    while model.running:
        model.step()
        day = model.day - 1
        model.diary.record(day, model.state)
        if h is not None:
            model.second_diary.record(day, h.state)
        if day in checked:
            infos = [explain.explain(model, i) for i in range(model.n)]
            days[day] = {
                "reading": [info["reading"] for info in infos],
                "named": [CLASSIFIED.findall(info["reading"]) for info in infos],
                "attachment": [info["attachment"] for info in infos],
                "expected": ss.expected_attachment(model.state, p),
                "procedure": procedure_without_noise(model.state, p),
                "second": [info["second"] for info in infos],
            }
            if h is not None:
                days[day]["expected_cg2"] = ss.expected_attachment(h.state, h.params.assessment)
                days[day]["procedure_cg2"] = procedure_without_noise(h.state, h.params.assessment)
    return model, days


@pytest.mark.parametrize("preset", available_scenarios())
def test_reading_is_the_noise_free_class(preset):
    model, days = run(preset)
    for day, d in sorted(days.items()):
        if day < 0:
            assert all(c is None for c in d["attachment"]) and all(not n for n in d["named"])
            assert all("not born yet" in r for r in d["reading"])
            continue
        named = np.array([n[0] if len(n) == 1 else "?" for n in d["named"]])
        agree = np.mean(named == d["procedure"])
        assert agree >= READING_AGREEMENT, (preset, day, agree)
        assert (named == d["expected"]).all() and (d["expected"] == d["procedure"]).all(), (preset, day)
        said_d = np.array([bool(D_WORDS.search(r)) for r in d["reading"]])
        assert (said_d == (named == "D")).all(), (preset, day)


HOUSEHOLD_PRESETS = [name for name in available_scenarios() if load_scenario(name).household.two_caregivers > 0]


def test_there_are_household_presets():
    assert {"two_parents", "depressed_mother_sensitive_father", "both_depressed"} <= set(HOUSEHOLD_PRESETS)


@pytest.mark.parametrize("preset", HOUSEHOLD_PRESETS)
def test_second_reading_is_the_noise_free_class_of_the_second_working_model(preset):
    model, days = run(preset)
    two = model.households.two
    assert two.any()
    for day, d in sorted(days.items()):
        for i, second in enumerate(d["second"]):
            assert (second is None) == (not two[i]), (preset, day, i)
        dyads = np.flatnonzero(two)
        readings = [d["second"][i]["reading"] for i in dyads]
        if day < 0:
            assert all(d["second"][i]["attachment"] is None for i in dyads)
            assert all(not CLASSIFIED.findall(r) and "not born yet" in r for r in readings)
            continue
        named = np.array([(lambda n: n[0] if len(n) == 1 else "?")(CLASSIFIED.findall(r)) for r in readings])
        assert (named == d["expected_cg2"][dyads]).all(), (preset, day)
        assert (d["expected_cg2"][dyads] == d["procedure_cg2"][dyads]).all(), (preset, day)
        assert all(d["second"][i]["attachment"] == c for i, c in zip(dyads, named))
        assert all("with the second caregiver" in r for r in readings)
        said_d = np.array([bool(D_WORDS.search(r)) for r in readings])
        assert (said_d == (named == "D")).all(), (preset, day)


@pytest.mark.parametrize("preset", available_scenarios())
def test_noise_free_class_is_the_assessment_without_its_noise(preset):
    model, _ = run(preset)
    p = model.params.assessment
    done = SimpleNamespace(**model.assessments[AGE].inputs)
    expected = ss.expected_attachment(done, p)
    assert (expected == procedure_without_noise(done, p)).all()
    quiet = p.model_copy(update={"coder_error": 0.0, "day_state_sd": 0.0})
    again = SimpleNamespace(**{k: np.repeat(v, REPLICATES) for k, v in model.assessments[AGE].inputs.items()})
    classes = ss.strange_situation(again, quiet, streams.generator(SEED, "test:replicates")).attachment
    counts = np.stack([(classes.reshape(N, REPLICATES) == c).sum(axis=1) for c in ss.CLASSES], axis=1)
    modal = np.array(ss.CLASSES)[counts.argmax(axis=1)]
    assert np.mean(modal == expected) >= MODAL_AGREEMENT, (preset, np.mean(modal == expected))


def test_final_reading_against_the_assessment():
    """Agreement and Cohen's kappa of the reading on the assessment day with the class assessed that day
    (noise and all), per preset. Printed, not bounded: the noise is the assessment's, like two coders'
    (kappa about .69) and the day's state on top."""
    rows = []
    for preset in available_scenarios():
        model, days = run(preset)
        reading = np.array(days[month_day(AGE) - 1]["attachment"])
        assessed = model.assessments[AGE].attachment
        assert (reading == days[month_day(AGE) - 1]["procedure"]).all()
        k = kappa(reading, assessed)
        rows.append((preset, np.mean(reading == assessed), k, "".join(f"{c}{np.sum(assessed == c)} " for c in "ABCD"),
                     "".join(f"{c}{np.sum(reading == c)} " for c in "ABCD")))
    print(f"\nreading on the day of the {AGE}-month assessment vs the assessed class ({N} dyads, seed {SEED})")
    print(f"{'preset':22} {'agree':>6} {'kappa':>6}  assessed            reading")
    for preset, agree, k, a, r in rows:
        print(f"{preset:22} {agree:6.2f} {k:6.2f}  {a:19} {r}")
    assert all(agree >= 0.5 for _, agree, *_ in rows)

import pytest

from fuzz import MESSAGE_CHARS
from simulation import ScenarioError, available_scenarios, load_scenario
from simulation.scenario import MAX_EXTENDS_DEPTH, SCENARIO_DIR_ENV, Dist, parse_value

PROFILES = ["perfect", "good_enough", "inconsistent", "rejecting", "frightening"]


def test_profiles_exist_and_are_documented():
    names = available_scenarios()
    for name in PROFILES:
        assert name in names
    for name in names:
        sc = load_scenario(name)
        assert sc.name == name
        assert len(sc.description.strip()) > 40, name
        assert len(sc.teaching_notes.strip()) > 40, name
        assert len(sc.app_notes.strip()) > 40, name  # the app shows these (issue 17)


def test_profiles_are_parameter_sets_not_code():
    # profiles differ only by parameter values on one schema
    a, b = load_scenario("good_enough"), load_scenario("rejecting")
    assert a.caregiver.rejection.mean < b.caregiver.rejection.mean


def test_typo_in_key_suggests_closest():
    with pytest.raises(ScenarioError) as exc:
        load_scenario("good_enough", {"caregiver.responsivness": 0.5})
    msg = str(exc.value)
    assert "caregiver.responsivness" in msg and "did you mean 'caregiver.responsiveness'" in msg


def test_typo_in_file_key_suggests_closest(tmp_path):
    f = tmp_path / "x.toml"
    f.write_text('name = "x"\n[caregiver]\nrepiar = 0.5\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(f)
    assert "caregiver.repiar" in str(exc.value) and "caregiver.repair" in str(exc.value)


def test_out_of_range_names_key_value_and_range():
    with pytest.raises(ScenarioError) as exc:
        load_scenario("good_enough", {"caregiver.repair": 1.3})
    msg = str(exc.value)
    assert "caregiver.repair.mean" in msg and "1.3" in msg and "0 <= mean <= 1" in msg


def test_plain_range_check():
    with pytest.raises(ScenarioError) as exc:
        load_scenario("good_enough", {"infant.contingency_window_s": -1})
    assert "infant.contingency_window_s" in str(exc.value) and "-1" in str(exc.value)


def test_wrong_type():
    with pytest.raises(ScenarioError) as exc:
        load_scenario("good_enough", {"simulation.n_dyads": "many"})
    assert "simulation.n_dyads" in str(exc.value) and "many" in str(exc.value)


def test_unknown_scenario_suggests():
    with pytest.raises(ScenarioError) as exc:
        load_scenario("good_enuogh")
    assert "did you mean 'good_enough'" in str(exc.value) and "available:" in str(exc.value)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(bad)


def test_override_moves_mean_keeps_spread():
    base = load_scenario("good_enough")
    sc = load_scenario("good_enough", {"caregiver.repair": 0.5})
    assert sc.caregiver.repair.mean == 0.5
    assert sc.caregiver.repair.sd == base.caregiver.repair.sd
    sc = load_scenario("good_enough", {"caregiver.repair.sd": 0.0})
    assert sc.caregiver.repair.sd == 0.0 and sc.caregiver.repair.mean == base.caregiver.repair.mean


def test_schedule_must_fit_horizon():
    with pytest.raises(ScenarioError, match="later than the simulated months"):
        load_scenario("good_enough", {"simulation.months": 6})
    sc = load_scenario("good_enough", {"simulation.months": 18, "simulation.assessment_ages": [18, 12]})
    assert sc.simulation.assessment_ages == [12, 18]


def test_override_into_a_value_is_an_error():
    with pytest.raises(ScenarioError, match="is a value"):
        load_scenario("good_enough", {"history.unresolved.mean": 0.5})


def test_extends_inherits_and_overrides(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "community"\nname = "child"\n[risk]\nprior_depression = 0.9\n')
    sc, base = load_scenario(child), load_scenario("community")
    assert sc.name == "child" and sc.description == ""  # own keys are never inherited
    assert sc.risk.prior_depression == 0.9 and sc.risk.low_ses == base.risk.low_ses
    assert sc.caregiver == base.caregiver and sc.history == base.history


def test_extends_relative_path_and_cycles(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nname = "a"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname = "b"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.toml")
    (tmp_path / "c.toml").write_text('extends = "d.toml"\nname = "c"\n[caregiver]\nrepair = 0.2\n')
    (tmp_path / "d.toml").write_text('extends = "good_enough"\nname = "d"\n[caregiver]\nrepair = 0.9\n'
                                     'accuracy = 0.4\n')
    c = load_scenario(tmp_path / "c.toml")
    assert c.caregiver.repair.mean == 0.2 and c.caregiver.accuracy.mean == 0.4
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'"):
        (tmp_path / "e.toml").write_text('extends = "nope"\nname = "e"\n')
        load_scenario(tmp_path / "e.toml")


def test_population_scenarios_differ_only_by_history_risk_support_and_interventions():
    base = load_scenario("community")
    for name in ("normative_low_risk", "perinatal_depression", "high_risk_isolated", "village",
                 "video_feedback_trial", "bias_training_trial"):
        sc = load_scenario(name)
        assert sc.caregiver == base.caregiver and sc.infant == base.infant, name
        assert sc.depression == base.depression and sc.history == base.history, name


# ---------------------------------------------------------------------------------------------
# Issue 13: strict types, finite numbers, one clean message for every bad input (the generated
# cases are in test_scenario_fuzz.py; these are the reported ones)

def _message(scenario="good_enough", overrides=None) -> str:
    with pytest.raises(ScenarioError) as exc:
        load_scenario(scenario, overrides)
    assert type(exc.value) is ScenarioError and len(str(exc.value)) <= MESSAGE_CHARS
    return str(exc.value)


@pytest.mark.parametrize("key,value,needle", [
    ("simulation.n_dyads", True, "true and false are not numbers"),
    ("simulation.months", 12.5, "should be a whole number"),
    ("caregiver.repair", "0.5", "write it without quotes"),
    ("caregiver.disruption", "0.5", "write it without quotes"),
    ("caregiver.repair", float("nan"), "finite number"),
    ("caregiver.repair.sd", float("inf"), "finite number"),
    ("interventions", [{"kind": "video_feedback", "effects": {"attention": float("nan")}}], "finite number"),
    ("interventions", [{"kind": "video_feedback", "half_life_days": float("inf")}], "finite number"),
])
def test_types_are_strict_and_numbers_finite(key, value, needle):
    msg = _message(overrides={key: value})
    assert key in msg and needle in msg, msg


def test_whole_numbers_are_fine_for_decimals_and_tables_as_dicts():
    sc = load_scenario({"name": "x", "caregiver": {"disruption": 0, "repair": {"mean": 1, "sd": 0}},
                        "simulation": {"months": 12.0, "assessment_ages": [12.0]},  # lossless: 12.0 is 12
                        "interventions": [{"kind": "video_feedback", "effects": {"attention": 1}}]})
    assert sc.caregiver.disruption == 0.0 and isinstance(sc.caregiver.disruption, float)
    assert sc.simulation.months == 12 and isinstance(sc.simulation.months, int)
    assert sc.caregiver.repair == Dist(mean=1.0, sd=0.0)
    assert load_scenario(sc) == sc


def test_trait_spread_is_at_most_the_width_of_its_range():
    msg = _message(overrides={"caregiver.repair": {"mean": 0.5, "sd": 1e9}})
    assert "caregiver.repair.sd = 1000000000.0" in msg and "sd <= 1" in msg and "width" in msg
    assert load_scenario("good_enough", {"caregiver.social_latency_s.sd": 599.9}).caregiver.social_latency_s.sd == 599.9


@pytest.mark.parametrize("key", ["caregiver..repair", ".caregiver.repair", "caregiver.repair.", "", "."])
def test_keys_with_empty_parts_are_refused(key):
    assert "empty part" in _message(overrides={key: 0.5})


@pytest.mark.parametrize("overrides,needle", [
    ({"simulation": 5}, "'simulation' is a section, not a value (got 5)"),
    ({"caregiver": 0.5, "caregiver.repair": 0.5}, "'caregiver' is a section, not a value (got 0.5)"),
    ({"caregiver.repair": 0.5, "caregiver": [0.5]}, "'caregiver' is a section, not a value (got [0.5])"),
])
def test_a_section_given_a_value_is_refused(overrides, needle):
    assert needle in _message(overrides=overrides)


def test_a_file_value_where_a_table_belongs_is_refused(tmp_path):
    (tmp_path / "x.toml").write_text('name = "x"\ncaregiver = 5\n')
    assert "'caregiver' is 5 in the scenario, not a table" in _message(tmp_path / "x.toml", {"caregiver.repair": 0.5})


def test_long_values_are_cut():
    msg = _message(overrides={"caregiver.repair": "x" * 100_000})
    assert "100,002 characters" in msg and len(msg) < 300


def test_a_long_declared_key_is_named_whole():
    """The longest declared keys (61 characters) were cut at 60 in messages (found by the fuzz test)."""
    key = "risk.effects.birth_complications.infant_negative_emotionality"
    msg = _message("community", {key: "x"})
    assert f"{key} = 'x'" in msg or f"{key} =" in msg, msg
    assert "characters)" not in msg


def test_unknown_key_in_an_intervention_lists_its_keys():
    msg = _message("community", {"interventions": [{"kind": "video_feedback", "foo": 1}]})
    assert "unknown key 'interventions.0.foo'" in msg and "allowed keys here: kind, name, start_day" in msg


def test_many_problems_make_one_short_message():
    msg = _message({"name": "x", "simulation": {"n_dyads": 0, "months": "x", "prenatal_days": -1},
                    "infant": {"a": 1, "b": 2, "c": 3}})
    assert msg.startswith("x: 6 problems:") and msg.endswith("and 1 more")
    assert msg.count("allowed keys here") == 1  # the keys of a table are listed once


@pytest.mark.parametrize("text,expected", [("0.5", 0.5), ("[12, 18]", [12, 18]), ("true", True),
                                           ("many", "many"), ("hello world", "hello world"), ('"0.5"', "0.5"),
                                           ("{mean = 0.5}", {"mean": 0.5})])
def test_parse_value_reads_toml_and_takes_bare_words_as_text(text, expected):
    assert parse_value(text) == expected


@pytest.mark.parametrize("text,reason", [("[12,", "Invalid value"), ('"abc', "Unterminated string"),
                                         ("1.2.3", "at character 4"), ("9" * 5000, "at most 4,300 digits"),
                                         ("[" * 5000, "nested too deeply"), ("1\nx = 2", "more than one value")])
def test_parse_value_reports_broken_toml(text, reason):
    with pytest.raises(ScenarioError) as exc:
        parse_value(text, key="simulation.assessment_ages")
    msg = str(exc.value)
    assert msg.startswith("simulation.assessment_ages = ") and reason in msg and len(msg) <= MESSAGE_CHARS


def test_a_byte_order_mark_is_fine(tmp_path):
    f = tmp_path / "bom.toml"
    f.write_text('name = "bom"\n[caregiver]\nrepair = 0.5\n', encoding="utf-8-sig")
    assert load_scenario(f).caregiver.repair.mean == 0.5


def test_unreadable_files_give_one_message(tmp_path, monkeypatch):
    huge = tmp_path / "huge.toml"
    huge.write_text('name = "x"\n[simulation]\nn_dyads = ' + "9" * 5000 + "\n")
    assert "at most 4,300 digits" in _message(huge)
    (tmp_path / "folder.toml").mkdir()
    assert "is a folder" in _message(tmp_path / "folder.toml")
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert "cannot be read" in _message(loop)
    (tmp_path / "latin1.toml").write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    assert "not UTF-8" in _message(tmp_path / "latin1.toml")
    assert "unknown scenario" in _message("n" * 300)
    assert "cannot be read" in _message(tmp_path / ("n" * 300 + ".toml"))
    ok = tmp_path / "ok.toml"
    ok.write_text('name = "ok"\n')

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(ok), "read_text", denied)
    assert "cannot be read: Permission denied" in _message(ok)


def test_extends_chains_are_capped(tmp_path):
    (tmp_path / "s0.toml").write_text('name = "s0"\n')
    for i in range(1, 1500):
        (tmp_path / f"s{i}.toml").write_text(f'name = "s{i}"\nextends = "s{i - 1}.toml"\n')
    assert load_scenario(tmp_path / f"s{MAX_EXTENDS_DEPTH}.toml").name == f"s{MAX_EXTENDS_DEPTH}"
    msg = _message(tmp_path / "s1499.toml")
    assert f"deeper than {MAX_EXTENDS_DEPTH} levels" in msg and "'s1499.toml'" in msg


def test_extends_cycles_through_names_and_paths(tmp_path, monkeypatch):
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(tmp_path))
    (tmp_path / "a.toml").write_text('name = "a"\nextends = "b"\n')
    (tmp_path / "b.toml").write_text(f'name = "b"\nextends = "{tmp_path / "a.toml"}"\n')
    assert "makes a cycle" in _message("a")

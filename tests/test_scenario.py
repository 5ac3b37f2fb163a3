import pytest

from simulation import ScenarioError, available_scenarios, load_scenario

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


def test_profiles_are_parameter_sets_not_code():
    # profiles differ only by parameter values on one schema
    a, b = load_scenario("good_enough"), load_scenario("rejecting")
    assert a.caregiver.rejection.mean < b.caregiver.rejection.mean
    assert type(a.caregiver) is type(b.caregiver)


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

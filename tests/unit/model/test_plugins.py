"""Adding a component, a measure and an intervention kind: one class each, one line to register.

A toy submodel, a toy measure and a toy intervention kind are registered at run time: their
parameters appear in the schema (and take ``--set``-style overrides), their columns in the dyad
table, their state in the agents, the kind in the app's choices; the day plan's schedule (and so
docs/ODD.md) lists them; and every other output stays exactly as it was, because a new
component's draws come from a stream of its own (common random numbers by construction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation import AttachmentModel
from simulation.report import records
from simulation.model.component import Analyzer, Column, Component, Draw, Var
from simulation.model.components import interventions
from simulation.model.params import Section, param
from simulation.model.plan import PLAN
from simulation.model.state import per_dyad
from simulation.scenario import ScenarioError, load_scenario, schema

from helpers import SHORT


class ToyParams(Section):
    """A toy submodel."""

    toy_rate: float = param(0.3, "chance per episode slot of a toy event", unit="1", ge=0.0, le=1.0,
                            source="assumption: a test")


class Toy(Component):
    name = "toy"
    phase = "infant"
    summary = "a toy submodel that counts random events"
    parameters = {"toy": ToyParams}
    state = (Var("toy_events", np.float64, "toy events so far", agent="infant"),)
    draws = (Draw("toy_draw"),)
    columns = (Column("toy_events", "toy events over the run"),)

    def step(self, t):
        t.s.toy_events[:] += (t.u["toy_draw"] < t.params.toy.toy_rate).sum(axis=1)

    def table(self, model):
        return {"toy_events": model.state.toy_events.copy()}


class ToyCount(Analyzer):
    name = "toy_count"
    summary = "a toy measure that counts signals until day 30"
    state = (Var("toy_signals", np.int32, "signals until day 30"),)
    columns = (Column("toy_signals", "signals until day 30"), Column("toy_seen", "the measurement ran"))

    def start(self, model):
        model.toy_seen = None

    def observe(self, t):
        if t.day < 30:
            t.s.toy_signals[:] += per_dyad(t.episodes.active)

    def schedule(self, params):
        return {29: "day 30"}

    def measure(self, model, label):
        model.toy_seen = np.full(model.n, label)

    def table(self, model):
        return {"toy_signals": model.state.toy_signals.copy(), "toy_seen": model.toy_seen}


class ToyProgramme(interventions.InterventionKind):
    """A toy programme."""

    name = "toy_programme"
    summary = "a toy programme"
    source = "assumption: a test"
    duration_days, sessions, half_life_days = 30, 3, None
    effects = {"repair": 0.05}


@pytest.fixture
def toys():
    interventions.register_kind(ToyProgramme)
    try:
        with PLAN.extended(Toy(), ToyCount()):
            yield
    finally:
        interventions.unregister_kind("toy_programme")


def small(**over):
    return {**SHORT, "simulation.n_dyads": 40, **over}


def test_toys_reach_the_schema_the_table_the_agents_and_the_app(toys):
    from simulation import app

    sc = load_scenario("good_enough", small(**{"toy.toy_rate": 0.5}))
    assert sc.toy.toy_rate == 0.5
    with pytest.raises(ScenarioError, match="toy.toy_rate"):
        load_scenario("good_enough", {"toy.toy_rate": 2.0})
    model = AttachmentModel(sc, seed=3).run()
    table = records.dyad_table(model)
    assert table.toy_events.mean() > 0 and table.toy_signals.mean() > 0 and (table.toy_seen == "day 30").all()
    assert model.infants[0].toy_events == table.toy_events[0]
    assert "toy_programme" in app.intervention_kinds()
    assert "`toy`" in PLAN.schedule_markdown() and "`toy_count`" in PLAN.schedule_markdown()
    with_programme = load_scenario("good_enough", small(interventions=[{"kind": "toy_programme"}]))
    assert records.dyad_table(AttachmentModel(with_programme, seed=3).run()).dose_toy_programme.mean() > 0


def test_adding_components_changes_no_other_number(toys):
    with_toys = records.dyad_table(AttachmentModel("community", overrides=small(), seed=5).run())
    PLAN.remove("toy")
    PLAN.remove("toy_count")
    try:
        without = records.dyad_table(AttachmentModel("community", overrides=small(), seed=5).run())
    finally:
        PLAN.add(Toy())
        PLAN.add(ToyCount())
    assert "toy_events" not in without
    pd.testing.assert_frame_equal(with_toys[without.columns], without)


def test_per_agent_path_runs_the_toys_the_same_way(toys):
    vec = records.dyad_table(AttachmentModel("good_enough", overrides=small(), seed=2).run())
    agents = records.dyad_table(AttachmentModel("good_enough", overrides=small(), seed=2, per_agent=True).run())
    pd.testing.assert_frame_equal(vec, agents)


def test_the_schema_forgets_removed_components():
    assert "toy" not in schema().model_fields
    with pytest.raises(ScenarioError, match="unknown key 'toy'"):
        load_scenario("good_enough", {"toy.toy_rate": 0.5})


def test_a_component_cannot_take_another_ones_state_or_draws():
    class Thief(Component):
        name = "thief"
        phase = "infant"
        state = (Var("stress", np.float64, "taken"),)

    with pytest.raises(ValueError, match="already owned"):
        PLAN.add(Thief())

    class DrawThief(Component):
        name = "draw_thief"
        phase = "infant"
        draws = (Draw("notice"),)

    with pytest.raises(ValueError, match="already taken"):
        PLAN.add(DrawThief())
    assert "thief" not in [c.name for c in PLAN.components]

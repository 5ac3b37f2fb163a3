"""face_tasks: the rating, recognition and reactivity tasks around the first intervention."""

import numpy as np

from simulation.measures.face_tasks import measure_tasks, task_days
from simulation.scenario import load_scenario

from helpers import make_state, uniforms


def test_tasks_read_faces_through_the_bias():
    sc, s = make_state(n=3000, negative_bias_today=0.0)
    _, biased = make_state(n=3000, negative_bias_today=0.3)
    faces = sc.assessment.task_faces
    u = uniforms((3000, 2 * faces + 1), 4)
    measure_tasks(s, sc, u, "pre")
    measure_tasks(biased, sc, u, "pre")
    # a neutral face takes all of the bias: the rating falls by about the bias (clipped scale: a little less)
    assert 0.2 < s.task_bias_pre.mean() - biased.task_bias_pre.mean() <= 0.3
    assert biased.task_happy_pre.mean() < s.task_happy_pre.mean()
    assert abs(np.mean(s.task_reactivity_pre / s.reactivity) - 1) < 0.02


def test_task_days_follow_the_first_intervention():
    sc = load_scenario("good_enough", {"interventions": [{"kind": "bias_training", "start_day": 10, "duration_days": 14}]})
    assert task_days(sc) == (9, 23)
    assert task_days(load_scenario("good_enough")) is None

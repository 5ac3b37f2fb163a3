"""Face tasks before and after the first intervention (V8: Bjertrup et al. 2023).

- rating task: mean rating of ambiguous infant faces on the -1..+1 valence scale (positive = read
  as happier);
- recognition task: share of happy infant faces recognised as happy;
- reactivity: the caregiver's reactivity to infant distress, measured with error.

The pre tasks are taken at the end of the day before the first intervention starts (or before
the first simulated day), the post tasks at the end of its last day of sessions.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from ..model import streams
from ..model.component import Analyzer, Column, Var
from ..model.components.interventions import resolved
from ..model.components.perception import perceived_valence, reads_positive
from ..model.params import Section, WholeNumber, param
from ..model.state import DyadState

TASK_COLUMNS = {"task_bias": "bias_rating", "task_happy": "happy_recognition", "task_reactivity": "reactivity"}


class FaceTaskParams(Section):
    """The face tasks (in ``[assessment]``)."""

    task_faces: WholeNumber = param(60, "faces per task (a computerised rating or recognition task of a few minutes)",
                                    unit="faces", ge=1, le=1000, source="assumption: a task of a few minutes")
    reactivity_task_noise: float = param(0.2, "relative error of the reactivity task", unit="1", ge=0.0, le=2.0,
                                         source="assumption")


def task_days(scenario) -> tuple[int, int] | None:
    """Days at whose end the pre and post tasks of the first intervention are taken."""
    ivs = resolved(scenario)
    if not ivs:
        return None
    return ivs[0].start - 1, ivs[0].end - 1


def measure_tasks(s: DyadState, scenario, u: np.ndarray, when: str) -> None:
    """Pre or post measures (``u``: uniforms (rows, 2 * task_faces + 1))."""
    faces = scenario.assessment.task_faces
    c = scenario.caregiver
    bias = s.negative_bias_today
    ambiguous = perceived_valence(np.zeros((s.n, faces)), bias, c, u[:, :faces])
    rating = np.clip(ambiguous, -1.0, 1.0).mean(axis=1)
    happy_faces = np.full((s.n, faces), scenario.infant.smile_valence)
    happy = reads_positive(perceived_valence(happy_faces, bias, c, u[:, faces:2 * faces]), c).mean(axis=1)
    reactivity = s.reactivity * (1.0 + scenario.assessment.reactivity_task_noise * ndtri(u[:, -1]))
    getattr(s, f"task_bias_{when}")[:] = rating
    getattr(s, f"task_happy_{when}")[:] = happy
    getattr(s, f"task_reactivity_{when}")[:] = reactivity


def _measure(s: DyadState, params, seed, when: str) -> None:
    faces = params.assessment.task_faces
    u = streams.uniforms_of(seed, f"tasks:{when}", (s.n, 2 * faces + 1))
    measure_tasks(s, params, u, when)


class FaceTasks(Analyzer):
    """Pre and post face tasks of the first intervention (only when a scenario has interventions)."""

    name = "face_tasks"
    summary = "face-rating, happy-face recognition and reactivity tasks before and after the first intervention"
    parameters = {"assessment": FaceTaskParams}
    state = tuple(Var(f"{field}_{when}", np.float64, f"{column.replace('_', ' ')} task, {when} the first intervention",
                      init=np.nan)
                  for field, column in TASK_COLUMNS.items() for when in ("pre", "post"))
    columns = tuple(Column(f"{column}_{when}", f"{column.replace('_', ' ')} task {when} the first intervention")
                    for column in TASK_COLUMNS.values() for when in ("pre", "post"))

    def setup(self, s: DyadState, params, seed) -> None:
        days = task_days(params)
        if days and days[0] < -params.simulation.prenatal_days:  # starts on the first simulated day
            _measure(s, params, seed, "pre")

    def schedule(self, params) -> dict[int, str]:
        days = task_days(params)
        if not days:
            return {}
        return {days[1]: "post", days[0]: "pre"}  # a one-day programme: "pre" wins, as it always has

    def measure(self, model, when: str) -> None:
        _measure(model.state, model.params, model.seed, when)

    def table(self, model) -> dict[str, np.ndarray]:
        if not task_days(model.params):
            return {}
        s = model.state
        return {f"{column}_{when}": getattr(s, f"{field}_{when}").copy()
                for field, column in TASK_COLUMNS.items() for when in ("pre", "post")}

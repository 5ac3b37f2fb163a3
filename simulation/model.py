"""AttachmentModel: the Mesa model that owns the dyad state, the calendar and the measurements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from mesa.discrete_space import Network

from . import assessment, interventions, lifecycle, population, streams, support, wellbeing
from .agents import Caregiver, Infant, Supporter
from .scenario import Scenario, load_scenario


SCREENING_MONTHS = (1, 2, 3, 4, 5, 6)


@dataclass
class DayDraws:
    """The day's random numbers: fixed shapes, one row per dyad (common random numbers)."""

    caregiver: np.ndarray
    episodes: np.ndarray | None


def _uniforms(gen: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Float32 uniforms strictly inside (0, 1), so that normal quantiles stay finite."""
    u = gen.random(shape, dtype=np.float32)
    u += np.float32(2.0 ** -25)
    return u


class AttachmentModel(mesa.Model):
    """Caregiver-infant dyads living day by day; one step is one day.

    Parameters
    ----------
    scenario:
        A scenario name (``scenarios/NAME.toml``), a path, a dict or a :class:`Scenario`.
    n_dyads, months:
        Shortcuts for ``simulation.n_dyads`` and ``simulation.months``.
    seed:
        Root seed (int or ``numpy.random.SeedSequence``). Same scenario + seed -> same results.

    The validated scenario is ``model.params`` (``model.scenario`` is Mesa's own attribute).
    overrides:
        Dotted-key overrides, e.g. ``{"caregiver.repair": 0.5}``.
    per_agent:
        Step through ``agent.step()`` on every agent instead of the vectorised engine (same
        rule code, same random numbers; for checking and benchmarking).
    """

    def __init__(self, scenario: Any = "good_enough", *, n_dyads: int | None = None, months: int | None = None,
                 seed: streams.SeedLike = 0, overrides: dict[str, Any] | None = None, per_agent: bool = False):
        merged = dict(overrides or {})
        if n_dyads is not None:
            merged["simulation.n_dyads"] = n_dyads
        if months is not None:
            merged["simulation.months"] = months
        self.params: Scenario = load_scenario(scenario, merged)
        self.seed = seed
        self.per_agent = per_agent
        super().__init__(rng=streams.generator(seed, "mesa"))
        sim = self.params.simulation
        self.n = sim.n_dyads
        self.state = population.initialise(self.params, self.n, seed)
        self.day = -sim.prenatal_days
        self.end_day = lifecycle.month_day(sim.months)
        # an assessment at age M happens at the end of the last day of month M
        self.assessment_days = {lifecycle.month_day(age) - 1: age for age in sim.assessment_ages}
        self.observation_end = lifecycle.month_day(sim.observation_age_months) + sim.observation_days
        # questionnaire screenings for depression at the end of months 1-6 (EPDS-like)
        self.screening_days = {lifecycle.month_day(m) - 1: m for m in SCREENING_MONTHS if m <= sim.months}
        self.state.epds_last[:] = np.nan
        self.state.epds_max_0_6[:] = np.nan
        self.state.epds_6m[:] = np.nan
        # pre/post tasks of the first intervention (V8)
        self.task_days = interventions.task_days(self.params)
        for field in ("task_bias_pre", "task_bias_post", "task_happy_pre", "task_happy_post",
                      "task_reactivity_pre", "task_reactivity_post"):
            getattr(self.state, field)[:] = np.nan
        if self.task_days and self.task_days[0] < self.day:  # starts on the first simulated day
            self._measure_tasks("pre")
        self.assessments: dict[int, assessment.StrangeSituation] = {}
        self.observed_sensitivity: np.ndarray | None = None
        self._draws: tuple[int, DayDraws] | None = None

        # the support network: caregivers (with their infants) and supporters as nodes
        self.network = Network(support.graph(self.state), capacity=None, random=self.random, layout=None)
        self.caregivers = [Caregiver(self, i) for i in range(self.n)]
        self.infants = [Infant(self, i) for i in range(self.n)]
        self.supporters = [Supporter(self, int(i), int(k)) for i, k in zip(*np.nonzero(self.state.sup_exists))]
        self.datacollector = mesa.DataCollector(model_reporters=self._daily_reporters())

    # ---------------------------------------------------------------- the day
    def draws_today(self) -> DayDraws:
        """The random numbers of the current day (each day has its own stream)."""
        if self._draws is None or self._draws[0] != self.day:
            sim = self.params.simulation
            caregiver = _uniforms(streams.generator(self.seed, f"caregiver-day:{self.day}"),
                                  (self.n, len(lifecycle.CAREGIVER_DRAWS)))
            episodes = None
            if self.day >= 0:
                episodes = _uniforms(streams.generator(self.seed, f"episodes-day:{self.day}"),
                                     (self.n, sim.episode_slots, len(lifecycle.EPISODE_DRAWS)))
            self._draws = (self.day, DayDraws(caregiver, episodes))
        return self._draws[1]

    def step(self) -> None:
        """One day: every caregiver's phase, then every dyad's episodes and learning.

        Vectorised over all dyads, or (``per_agent=True``) through ``agent.step()`` on every
        caregiver, then every infant: the same rule code on one row at a time.
        """
        if not self.running:
            return
        draws = self.draws_today()
        if self.per_agent:
            self.agents_by_type[Caregiver].do("step")
            self.agents_by_type[Infant].do("step")
        else:
            lifecycle.caregiver_phase(self.state, self.params, self.day, draws.caregiver)
            lifecycle.infant_phase(self.state, self.params, self.day, draws.episodes)
        self._end_of_day()

    def _measure_tasks(self, when: str) -> None:
        u = _uniforms(streams.generator(self.seed, f"tasks:{when}"), (self.n, 2 * interventions.TASK_FACES + 1))
        interventions.measure_tasks(self.state, self.params, u, when)

    def _end_of_day(self) -> None:
        if self.task_days and self.day in self.task_days:
            self._measure_tasks("pre" if self.day == self.task_days[0] else "post")
        if self.day in self.assessment_days:
            age = self.assessment_days[self.day]
            u = _uniforms(streams.generator(self.seed, f"assessment:{age}"), (self.n, len(assessment.SCALE_NAMES)))
            self.assessments[age] = assessment.strange_situation(
                self.state, self.params.assessment.situational_noise, u)
        if self.day in self.screening_days:
            month = self.screening_days[self.day]
            u = _uniforms(streams.generator(self.seed, f"questionnaire:{month}"), (self.n,))
            score = wellbeing.questionnaire(self.state, self.params.depression, u)
            self.state.epds_last[:] = score
            self.state.epds_max_0_6[:] = np.fmax(self.state.epds_max_0_6, score)
            if month == 6:
                self.state.epds_6m[:] = score
        if self.day + 1 == self.observation_end:
            u = _uniforms(streams.generator(self.seed, "observation"), (self.n,))
            self.observed_sensitivity = assessment.observed_sensitivity(
                self.state, self.params.assessment.coder_noise, u)
        if self.day >= 0:
            self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.end_day:
            self.running = False
        self._draws = None

    def run(self) -> "AttachmentModel":
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    # ---------------------------------------------------------------- reporting
    @staticmethod
    def _daily_reporters() -> dict[str, Any]:
        def mean(field: str):
            return lambda m: float(getattr(m.state, field).mean())

        return {
            "day": lambda m: m.day,
            "age_months": lambda m: m.day / lifecycle.DAYS_PER_MONTH,
            "security_index": lambda m: float(assessment.security_index(m.state).mean()),
            "crying_minutes": mean("cry_minutes_today"),
            "caregiver_stress": mean("stress"),
            "caregiver_fatigue": mean("fatigue"),
            "caregiver_depressed": mean("depressed"),
            "support_today": mean("support_today"),
            "responsiveness_today": mean("responsiveness_today"),
            "availability": mean("availability"),
            "unpredictability": mean("unpredictability"),
            "amplify": mean("amplify"),
            "mute": mean("mute"),
            "fear": mean("fear"),
        }

"""AttachmentModel: the Mesa model that owns the dyad state, the calendar and the measurements."""

from __future__ import annotations

import gc
import math
import sys
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from mesa.discrete_space import Network

from . import assessment, interventions, lifecycle, memory, population, streams, support, wellbeing
from .agents import Caregiver, Infant, Supporter
from .scenario import Scenario, load_scenario


SCREENING_MONTHS = (1, 2, 3, 4, 5, 6)


@dataclass
class DayDraws:
    """The day's random numbers: fixed shapes, one row per dyad (common random numbers).

    Valid for that day: the next day's episode draws are written into the same memory.
    """

    caregiver: np.ndarray
    episodes: np.ndarray | None


_CHUNK_DRAWS = 1 << 18
"""Draws converted at a time by ``_uniforms`` (1 MB of float32: stays in cache)."""
INFANT_BLOCK = 8192
"""Dyads per block of the engine's infant phase: its (dyads, slots) temporaries then stay in
cache and are reused from block to block, so the cost per dyad-day does not grow with the number
of dyads. Rows are independent (the per-agent path runs the same rules one row at a time), so
the results do not depend on the block size."""


def _uniforms(gen: np.random.Generator, shape: tuple[int, ...], store: np.ndarray | None = None) -> np.ndarray:
    """Float32 uniforms strictly inside (0, 1), so that normal quantiles stay finite.

    The numbers are those of ``gen.random(shape, dtype=np.float32) + 2**-25``, in that (C) order.
    With ``store`` (float32, shaped ``(shape[-1], *shape[:-1])``), they are written into it and a
    view of it in ``shape`` is returned: the last axis is outermost in memory, so that
    ``u[..., i]`` (one kind of draw for every dyad and slot) is contiguous, and a buffer reused
    from day to day costs no fresh memory. The values at each index are the same.
    """
    if store is None or sys.byteorder != "little":
        u = gen.random(shape, dtype=np.float32)
        u += np.float32(2.0 ** -25)
        if store is None:
            return u
        np.copyto(np.moveaxis(store, 0, -1), u)
        return np.moveaxis(store, 0, -1)
    # numpy draws a float32 as (next 32 bits >> 8) * 2**-24, taking the low then the high half
    # of each 64-bit output of the bit generator: do the same, transposing on the way, a few
    # hundred kilobytes at a time (an even number of 32-bit draws per chunk but the last)
    u = np.moveaxis(store, 0, -1)
    per_row = math.prod(shape[1:])
    step = max(1, _CHUNK_DRAWS // max(per_row, 1))
    step += (step * per_row) % 2
    for i in range(0, shape[0], step):
        part = u[i:i + step]
        count = part.size
        bits = gen.bit_generator.random_raw((count + 1) // 2).view(np.uint32)[:count]
        np.right_shift(bits, 8, out=bits)
        np.multiply(bits.reshape(part.shape), np.float32(2.0 ** -24), out=part, dtype=np.float32, casting="unsafe")
        np.add(store[:, i:i + step], np.float32(2.0 ** -25), out=store[:, i:i + step])
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
                 seed: streams.SeedLike = streams.DEFAULT_SEED, overrides: dict[str, Any] | None = None, per_agent: bool = False):
        merged = dict(overrides or {})
        if n_dyads is not None:
            merged["simulation.n_dyads"] = n_dyads
        if months is not None:
            merged["simulation.months"] = months
        self.params: Scenario = load_scenario(scenario, merged)
        memory.check_fits(self.params.simulation.n_dyads, self.params.simulation.episode_slots)
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
        self._episode_store: np.ndarray | None = None
        self._blocks: list[tuple[slice, Any]] | None = None

        # the support network: caregivers (with their infants) and supporters as nodes. Creating
        # this many Python objects (agents, cells, graph nodes) with the cyclic garbage collector
        # on triggers several full collections of the whole heap, which find nothing to free
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self.network = Network(support.graph(self.state), capacity=None, random=self.random, layout=None)
            self.caregivers = [Caregiver(self, i) for i in range(self.n)]
            self.infants = [Infant(self, i) for i in range(self.n)]
            dyads, slots = np.nonzero(self.state.sup_exists)
            self.supporters = [Supporter(self, i, k) for i, k in zip(dyads.tolist(), slots.tolist())]
        finally:
            if gc_was_enabled:
                gc.enable()
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
                shape = (self.n, sim.episode_slots, len(lifecycle.EPISODE_DRAWS))
                if self._episode_store is None:  # the day's episode draws, overwritten the next day
                    self._episode_store = np.empty((shape[-1], *shape[:-1]), dtype=np.float32)
                episodes = _uniforms(streams.generator(self.seed, f"episodes-day:{self.day}"), shape,
                                     self._episode_store)
            self._draws = (self.day, DayDraws(caregiver, episodes))
        return self._draws[1]

    def step(self) -> None:
        """One day: every caregiver's phase, then every dyad's episodes and learning.

        Vectorised over all dyads (the infant phase in blocks of ``INFANT_BLOCK`` dyads), or
        (``per_agent=True``) through ``agent.step()`` on every caregiver, then every infant: the
        same rule code on one row at a time.
        """
        if not self.running:
            return
        draws = self.draws_today()
        if self.per_agent:
            self.agents_by_type[Caregiver].do("step")
            self.agents_by_type[Infant].do("step")
        else:
            lifecycle.caregiver_phase(self.state, self.params, self.day, draws.caregiver)
            if draws.episodes is None:
                lifecycle.infant_phase(self.state, self.params, self.day, None)
            else:
                for rows, block in self._infant_blocks():
                    lifecycle.infant_phase(block, self.params, self.day, draws.episodes[rows])
        self._end_of_day()

    def _measure_tasks(self, when: str) -> None:
        u = _uniforms(streams.generator(self.seed, f"tasks:{when}"), (self.n, 2 * interventions.TASK_FACES + 1))
        interventions.measure_tasks(self.state, self.params, u, when)

    def _infant_blocks(self) -> list[tuple[slice, Any]]:
        """Row blocks of INFANT_BLOCK dyads and the state's views onto them (made once)."""
        if self._blocks is None:
            rows = [slice(i, min(i + INFANT_BLOCK, self.n)) for i in range(0, self.n, INFANT_BLOCK)]
            self._blocks = [(r, self.state if len(rows) == 1 else self.state.view(r)) for r in rows]
        return self._blocks

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

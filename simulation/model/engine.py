"""AttachmentModel: the Mesa model that owns the dyad state and the calendar, and runs the day plan."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import mesa
import numpy as np

from mesa.discrete_space import Network

from . import memory
from ..scenario import Scenario, load_scenario
from . import population, streams
from .agents import Caregiver, Infant, SecondCaregiver, Supporter
from .calendar import DAYS_PER_MONTH, month_day
from .component import Today
from .components import household, support
from ..measures.strange_situation import security_index
from .plan import PLAN, DayPlan
from .state import DyadState


@dataclass
class DayDraws:
    """The day's random numbers by draw name: fixed shapes, one row per dyad (common random numbers).

    ``caregiver``: arrays of shape (dyads,) or (dyads, width); ``episodes``: (dyads, slots), from
    birth on (None before). Valid for that day: the next day's episode draws are written into the
    same memory.
    """

    caregiver: dict[str, np.ndarray]
    episodes: dict[str, np.ndarray] | None
    second: "SecondDraws | None" = None


@dataclass
class SecondDraws:
    """The day's draws of the second caregivers (households), and how the day's slots are split.

    ``caregiver``: the second caregivers' own caregiver-phase draws; ``episodes``: the infant's
    episode draws of the slots that are the second caregiver's (the first ``slots``: views onto the
    same numbers the first caregiver's rows see, one infant); ``away``/``share``: for the first
    caregiver's rows, the slots that are the second's today and the share left; ``away2``/``share2``:
    the same for the second caregiver's rows.
    """

    caregiver: dict[str, np.ndarray]
    episodes: dict[str, np.ndarray] | None
    away: np.ndarray | None
    share: np.ndarray | None
    away2: np.ndarray | None
    share2: np.ndarray | None


INFANT_BLOCK = 8192
"""Dyads per block of the engine's infant phase: its (dyads, slots) temporaries then stay in
cache and are reused from block to block, so the cost per dyad-day does not grow with the number
of dyads. Rows are independent (the per-agent path runs the same rules one row at a time), so
the results do not depend on the block size."""


class SecondCaregivers:
    """The second caregivers of a model's two-caregiver households (``components.household``).

    Their state (one row per household, the same layout as the first caregivers'; rows of
    one-caregiver households are run but never reported), their scenario (the first caregiver's with
    ``household.second`` applied) and their seed (a child of the root seed). To the measures and the
    per-dyad table this object is "the model" of the second caregivers: it has the ``state``, ``n``,
    ``seed``, ``params``, ``day`` and ``plan`` they read, and keeps their results (assessments, ...).
    """

    households = None
    """The second caregivers have no second caregivers of their own."""

    def __init__(self, model: "AttachmentModel", two: np.ndarray):
        self.model = model
        self.two = two
        self.plan = model.plan
        self.n = model.n
        # model.params was loaded, so household.second was checked then (scenario.load)
        self.params = load_scenario(model.params, household.second_overrides(model.params.household))
        self.seed = streams.child_sequence(model.seed, household.SECOND_STREAM)
        self.state = household.initialise_second(model.state, self.params, self.seed, two, model.plan)
        self._blocks: list[tuple[slice, Any]] | None = None

    @property
    def day(self) -> int:
        return self.model.day

    def split(self, day: int, first: DyadState) -> tuple[int, np.ndarray]:
        """Today's slots of the second caregiver (at least one, so that its phase always has a slot to
        run on), and which households have it there today: not after a separation, not on a day lost
        to partner conflict (the couple's: the first caregiver's), and nowhere on a day whose share
        rounds to no slot at all."""
        slots = household.second_slots(day, self.params.household, self.params.simulation.episode_slots)
        u = streams.uniforms_of(self.seed, f"household-day:{day}", (self.n,))
        away_share = self.model.params.life_events.conflict_partner_away * first.in_conflict
        there = self.two & ~first.separated & (u >= away_share) & (slots > 0)
        return max(slots, 1), there

    def sync(self) -> None:
        """Evening: what each partner brings to the other's next morning (``household.evening``)."""
        household.evening(self.model.state, self.state, self.two)


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
    first_dyad:
        The place in the population of this model's first dyad: a model with ``first_dyad=k``
        and ``n_dyads=m`` is dyads ``k .. k+m-1`` of a run over the whole population, with the
        same random numbers and results (a block of a cohort run, ``simulation.study.cohort``;
        ``streams.BlockSeed``). ``model.seed`` is then the root seed with that first row.

    The day's order is the day plan's (``simulation.model.plan.PLAN``).
    """

    def __init__(self, scenario: Any = "good_enough", *, n_dyads: int | None = None, months: int | None = None,
                 seed: streams.SeedLike = streams.DEFAULT_SEED, overrides: dict[str, Any] | None = None,
                 per_agent: bool = False, first_dyad: int = 0):
        merged = dict(overrides or {})
        if n_dyads is not None:
            merged["simulation.n_dyads"] = n_dyads
        if months is not None:
            merged["simulation.months"] = months
        self.params: Scenario = load_scenario(scenario, merged)
        listed = [iv.name or iv.kind for iv in self.params.interventions if iv.dyads]
        if first_dyad and listed:
            raise ValueError(f"intervention {listed[0]!r} lists dyads by their row (interventions.dyads): "
                             f"it cannot run in a block that starts at dyad {first_dyad}")
        memory.check_fits(self.params.simulation.n_dyads, self.params.simulation.episode_slots,
                          households=self.params.household.two_caregivers > 0)
        if isinstance(first_dyad, bool) or not isinstance(first_dyad, (int, np.integer)) or first_dyad < 0:
            raise ValueError(f"first_dyad must be a whole number >= 0, got {first_dyad!r}")
        streams.root_sequence(seed)  # one message for a bad seed
        self.seed = streams.at_row(seed, int(first_dyad))
        self.per_agent = per_agent
        self.plan: DayPlan = PLAN
        super().__init__(rng=streams.generator(streams.root_of(seed), "mesa"))
        sim = self.params.simulation
        self.n = sim.n_dyads
        self.day = -sim.prenatal_days
        self.end_day = month_day(sim.months)
        self.clock: dict[str, float] | None = None
        for measure in self.plan.measures:
            measure.start(self)
        self.state = population.initialise(self.params, self.n, self.seed, self.plan)
        two = support.second_caregivers(self.params, self.n, self.seed)
        self.households: SecondCaregivers | None = None if two is None else SecondCaregivers(self, two)
        if self.households is not None:
            for measure in self.plan.measures:
                measure.start(self.households)
        # measurements at the end of their days: day -> [(measure, label)]
        self.schedule: dict[int, list] = {}
        for measure in self.plan.measures:
            for day, label in measure.schedule(self.params).items():
                self.schedule.setdefault(day, []).append((measure, label))
        self._draws: tuple[int, DayDraws] | None = None
        self._episode_store: np.ndarray | None = None
        self._blocks: list[tuple[slice, Any]] | None = None

        # the support network: caregivers (with their infants) and supporters as nodes. Creating
        # this many Python objects (agents, cells, graph nodes) with the cyclic garbage collector
        # on triggers several full collections of the whole heap, which find nothing to free
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            Caregiver.show_fields()
            Infant.show_fields()
            graph = support.graph(self.state)
            if self.households is not None:
                household.add_to_graph(graph, self.households.two)
            self.network = Network(graph, capacity=None, random=self.random, layout=None)
            self.caregivers = [Caregiver(self, i) for i in range(self.n)]
            self.second_caregivers: dict[int, SecondCaregiver] = {}
            if self.households is not None:
                SecondCaregiver.show_fields()
                self.second_caregivers = {int(i): SecondCaregiver(self, int(i))
                                          for i in np.flatnonzero(self.households.two)}
            self.infants = [Infant(self, i) for i in range(self.n)]
            dyads, slots = np.nonzero(self.state.sup_exists)
            self.supporters = [Supporter(self, i, k) for i, k in zip(dyads.tolist(), slots.tolist())]
        finally:
            if gc_was_enabled:
                gc.enable()
        self.datacollector = mesa.DataCollector(model_reporters=self._daily_reporters())

    # ---------------------------------------------------------------- the day
    def _block(self, phase: str, day: int, shape: tuple[int, ...], store: np.ndarray | None = None,
               seed: streams.SeedLike | None = None) -> dict:
        """The phase's draws of ``day`` by name: the shared block, then each own-stream component's
        (under ``seed``: the model's by default, the second caregivers' for theirs)."""
        seed = self.seed if seed is None else seed
        stream, columns = self.plan.shared_draws(phase)
        width = max((c.stop if isinstance(c, slice) else c + 1 for c in columns.values()), default=0)
        u = streams.uniforms_of(seed, f"{stream}:{day}", (*shape, width), store)
        out = {name: u[..., col] for name, col in columns.items()}
        for component in self.plan.own_draws(phase):
            k = sum(d.width for d in component.draws)
            own = streams.uniforms_of(seed, f"{stream}:{day}:{component.name}", (*shape, k))
            start = 0
            for d in component.draws:
                out[d.name] = own[..., start] if d.width == 1 else own[..., start:start + d.width]
                start += d.width
        return out

    def draws_today(self) -> DayDraws:
        """The random numbers of the current day (each day has its own streams)."""
        if self._draws is None or self._draws[0] != self.day:
            caregiver = self._block("caregiver", self.day, (self.n,))
            episodes = None
            if self.day >= 0:
                shape = (self.n, self.params.simulation.episode_slots)
                width = len(self.plan.shared_draws("infant")[1])
                if self._episode_store is None:  # the day's episode draws, overwritten the next day
                    self._episode_store = np.empty((width, *shape), dtype=np.float32)
                episodes = self._block("infant", self.day, shape, self._episode_store)
            second = None if self.households is None else self._second_draws(episodes)
            self._draws = (self.day, DayDraws(caregiver, episodes, second))
        return self._draws[1]

    def _second_draws(self, episodes: dict[str, np.ndarray] | None) -> SecondDraws:
        """The second caregivers' draws of the day and the day's split of the slots (households)."""
        h = self.households
        caregiver = self._block("caregiver", self.day, (self.n,), seed=h.seed)
        if episodes is None:
            return SecondDraws(caregiver, None, None, None, None, None)
        slots, there = h.split(self.day, self.state)
        total = self.params.simulation.episode_slots
        away = np.zeros((self.n, total), dtype=bool)
        away[:, :slots] = there[:, None]
        share = 1.0 - there * (slots / total)
        away2 = np.repeat(~there[:, None], slots, axis=1)
        share2 = there * (slots / total)
        return SecondDraws(caregiver, {name: a[:, :slots] for name, a in episodes.items()}, away, share, away2, share2)

    def today(self, s: DyadState, phase: str, rows: slice | None = None, second: bool = False) -> Today:
        """What the components of ``phase`` see today for the rows ``rows`` of the state (``s``): the
        first caregivers' rows, or (``second``) the second caregivers' (households)."""
        draws = self.draws_today()
        away = share = None
        if second:
            d = draws.second
            u = d.caregiver if phase == "caregiver" else d.episodes
            params = self.households.params
            if phase == "infant":
                away, share = d.away2, d.share2
        else:
            u = draws.caregiver if phase == "caregiver" else draws.episodes
            params = self.params
            if phase == "infant" and draws.second is not None:
                away, share = draws.second.away, draws.second.share
        if rows is not None:
            u = {name: a[rows] for name, a in u.items()}
            away = None if away is None else away[rows]
            share = None if share is None else share[rows]
        return Today(s, params, self.day, u, away, share)

    def step(self) -> None:
        """One day: every caregiver's phase, then (from birth) every dyad's episodes, learning and counts.

        Vectorised over all dyads (the infant phase in blocks of ``INFANT_BLOCK`` dyads), or
        (``per_agent=True``) through ``agent.step()`` on every caregiver, then every infant: the
        same rule code on one row at a time.
        """
        if not self.running:
            return
        if self.per_agent:
            self.agents_by_type[Caregiver].do("step")
            if self.second_caregivers:
                self.agents_by_type[SecondCaregiver].do("step")
            self.agents_by_type[Infant].do("step")
        else:
            h = self.households
            self.plan.run("caregiver", self.today(self.state, "caregiver"), self.clock)
            if h is not None:
                self.plan.run("caregiver", self.today(h.state, "caregiver", second=True), self.clock)
            if self.day >= 0:
                for rows, block in self._infant_blocks():
                    self.plan.run("infant", self.today(block, "infant", rows), self.clock)
                if h is not None:
                    for rows, block in self._infant_blocks(h):
                        self.plan.run("infant", self.today(block, "infant", rows, second=True), self.clock)
        self._end_of_day()

    def _infant_blocks(self, h: SecondCaregivers | None = None) -> list[tuple[slice, Any]]:
        """Row blocks of INFANT_BLOCK dyads and the state's views onto them (made once): the first
        caregivers' rows, or the second caregivers' (``h``)."""
        owner = self if h is None else h
        if owner._blocks is None:
            rows = [slice(i, min(i + INFANT_BLOCK, self.n)) for i in range(0, self.n, INFANT_BLOCK)]
            owner._blocks = [(r, owner.state if len(rows) == 1 else owner.state.view(r)) for r in rows]
        return owner._blocks

    def _end_of_day(self) -> None:
        if self.households is not None:
            self.households.sync()
        for measure, label in self.schedule.get(self.day, ()):
            start = perf_counter()
            measure.measure(self, label)
            if self.households is not None:
                measure.measure(self.households, label)
            if self.clock is not None:
                self.clock[measure.name] = self.clock.get(measure.name, 0.0) + perf_counter() - start
        if self.day >= 0:
            self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.end_day:
            self.running = False
        self._draws = None

    def change_caregiving(self, scenario: Any, overrides: dict[str, Any] | None = None) -> None:
        """From the next day on, every caregiver is as in ``scenario`` (a lasting change in care).

        Each caregiver's traits are redrawn from the new scenario's ``[caregiver]`` distributions
        at the same quantiles (common random numbers: the most responsive caregiver stays the most
        responsive), with the same risk factors' effects, and the new ``[caregiver]`` parameters
        apply from then on. Everything else continues: the infant's working model, the history,
        the network, interventions under way (their effects apply to the new traits). For
        questions of development such as "rejecting care for six months, then good care"
        (``simulation.study.development``). In two-caregiver households only the first caregivers
        change; the second caregivers go on as they were.
        """
        from .components.traits import CaregiverTraits, trait_fields

        new = load_scenario(scenario, {**(overrides or {}), "simulation.n_dyads": self.n})
        fresh = population.initialise(new, self.n, self.seed, self.plan)
        for section_name, name, _ in trait_fields(new):
            if section_name != "caregiver" or name not in CaregiverTraits.model_fields:
                continue
            getattr(self.state, name)[:] = getattr(fresh, name)
            if f"base_{name}" in self.state.fields:
                getattr(self.state, f"base_{name}")[:] = getattr(fresh, f"base_{name}")
        self.params = self.params.model_copy(update={"caregiver": new.caregiver})

    def run(self) -> "AttachmentModel":
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    def profile(self, days: int | None = None) -> dict[str, float]:
        """Run ``days`` more days (default: to the end) timing each component; its share of the time.

        Returns component (and measure) name -> share of the timed total, the day's random draws
        included as ``draws`` (the daily record of population means is not timed). Vectorised
        engine only.
        """
        if self.per_agent:
            raise ValueError("profile() times the vectorised engine: make the model with per_agent=False")
        self.clock = {}
        stop = self.end_day if days is None else min(self.end_day, self.day + days)
        try:
            while self.running and self.day < stop:
                start = perf_counter()
                self.draws_today()
                self.clock["draws"] = self.clock.get("draws", 0.0) + perf_counter() - start
                self.step()
        finally:
            clock, self.clock = self.clock, None
        total = sum(clock.values()) or 1.0
        return {name: seconds / total for name, seconds in sorted(clock.items(), key=lambda kv: -kv[1])}

    # ---------------------------------------------------------------- reporting
    @staticmethod
    def _daily_reporters() -> dict[str, Any]:
        def mean(field: str):
            return lambda m: float(getattr(m.state, field).mean())

        return {
            "day": lambda m: m.day,
            "age_months": lambda m: m.day / DAYS_PER_MONTH,
            "security_index": lambda m: float(security_index(m.state, m.params.assessment).mean()),
            "crying_minutes": lambda m: float(household.infant_total(m, "cry_minutes_today").mean()),
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

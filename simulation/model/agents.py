"""Mesa agents as views onto rows of the dyad state.

A :class:`Caregiver` and an :class:`Infant` per dyad live in ``model.agents``, and in a
two-caregiver household a :class:`SecondCaregiver` (``components.household``); their attributes
read the dyad's row of :class:`~simulation.model.state.DyadState` (the second caregiver's, of
``model.households.state``). ``agent.step()`` runs the same
components of the day plan as the vectorised engine, for that one row: this is the per-agent path that
``benchmarks/bench_engine.py`` compares against (and the tests check gives the same results).
"""

from __future__ import annotations

from functools import cached_property

from mesa.discrete_space import FixedAgent

from .components import support
from .plan import PLAN
from .state import DyadState


class DyadAgent(FixedAgent):
    """A Mesa agent bound to one row (``dyad``) of the model's state, placed in the network."""

    AGENT = ""
    """Which state fields the agent shows as attributes: those declared with ``agent=AGENT``."""

    def __init__(self, model, dyad: int, node: int | None = None):
        super().__init__(model)
        self.dyad = int(dyad)
        self.cell = model.network[self.dyad if node is None else node]

    @cached_property
    def _rows(self) -> slice:
        return slice(self.dyad, self.dyad + 1)

    @property
    def _source(self) -> DyadState:
        """The whole state this agent's row belongs to."""
        return self.model.state

    @cached_property
    def _state(self) -> DyadState:
        """The dyad's row of the state (numpy views: always current), made on first use."""
        return self._source.view(self._rows)

    @classmethod
    def show_fields(cls) -> None:
        """Give the class one read-only property per state field declared with ``agent=AGENT`` (the
        model calls this before creating agents, so components added at run time are shown too)."""
        if cls.__dict__.get("_shown_version") == PLAN.version:
            return
        for name in cls.__dict__.get("_shown", ()):
            delattr(cls, name)
        shown = [n for n, v in PLAN.layout().items() if v.agent == cls.AGENT]
        for name in shown:
            doc = PLAN.layout()[name].doc
            setattr(cls, name, property(lambda self, _n=name: getattr(self._source, _n)[self.dyad].item(), doc=doc))
        cls._shown = tuple(shown)
        cls._shown_version = PLAN.version

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dyad={self.dyad})"


class Caregiver(DyadAgent):
    """The caregiver of one dyad: traits, stress, fatigue, mood, today's propensities."""

    AGENT = "caregiver"

    @property
    def infant(self) -> "Infant":
        return self.model.infants[self.dyad]

    @property
    def supporters(self) -> list["Supporter"]:
        return [a for cell in self.cell.neighborhood for a in cell.agents if isinstance(a, Supporter)]

    def step(self) -> None:
        """This caregiver's phase of the day (the day plan's caregiver components) for its row."""
        model = self.model
        model.plan.run("caregiver", model.today(self._state, "caregiver", self._rows))


class SecondCaregiver(Caregiver):
    """The second caregiver of a two-caregiver household (``components.household``): a full caregiver
    with its own row of caregiver state (``model.households.state``), placed in the network beside the
    first caregiver; the same components run its day."""

    @property
    def _source(self) -> DyadState:
        return self.model.households.state

    def __init__(self, model, dyad: int):
        from .components import household
        super().__init__(model, dyad, node=household.second_node(model.n, dyad))

    @property
    def partner(self) -> Caregiver:
        return self.model.caregivers[self.dyad]

    def step(self) -> None:
        """This caregiver's phase of the day for its row of the second caregivers' state."""
        model = self.model
        model.plan.run("caregiver", model.today(self._state, "caregiver", self._rows, second=True))


class Infant(DyadAgent):
    """The infant of one dyad: temperament, working model, strategy."""

    AGENT = "infant"

    @property
    def caregiver(self) -> Caregiver:
        return self.model.caregivers[self.dyad]

    @property
    def caregivers(self) -> list[Caregiver]:
        """The infant's caregivers: the first, and the second in a two-caregiver household."""
        second = self.model.second_caregivers.get(self.dyad)
        return [self.caregiver] if second is None else [self.caregiver, second]

    @property
    def security(self) -> float:
        """Today's latent security index (no situational noise)."""
        from ..measures.strange_situation import security_index

        return float(security_index(self._state, self.model.params.assessment)[0])

    def step(self) -> None:
        """From birth on, this dyad's episodes, the infant's learning and the measures' counts (the day
        plan's infant components, then the measures' daily counts) for its row."""
        model = self.model
        if model.day >= 0:
            model.plan.run("infant", model.today(self._state, "infant", self._rows))
            if self.dyad in model.second_caregivers:  # the same episodes, in the second caregiver's slots
                second = model.second_caregivers[self.dyad]._state
                model.plan.run("infant", model.today(second, "infant", self._rows, second=True))


class Supporter(DyadAgent):
    """A member of a caregiver's support network (partner, family or friend, health visitor).

    A view onto one slot of the dyad's supporter arrays; supporters act through the caregiver's
    phase of the day (the ``support`` component), so they have no step of their own.
    """

    def __init__(self, model, dyad: int, slot: int):
        self.slot = int(slot)
        super().__init__(model, dyad, node=support.supporter_node(model.n, dyad, slot))

    def _get(self, field: str):
        return getattr(self.model.state, field)[self.dyad, self.slot].item()

    @property
    def role(self) -> str:
        return support.ROLES[self._get("sup_role")]

    @property
    def availability(self) -> float:
        return self._get("sup_availability")

    @property
    def quality(self) -> float:
        return self._get("sup_quality")

    @property
    def present_today(self) -> bool:
        return bool(self._get("sup_present"))

    @property
    def caregiver(self) -> Caregiver:
        return self.model.caregivers[self.dyad]

    def step(self) -> None:
        """Supporters act within their caregiver's phase of the day."""

    def __repr__(self) -> str:
        return f"Supporter(dyad={self.dyad}, slot={self.slot}, role={self.role!r})"

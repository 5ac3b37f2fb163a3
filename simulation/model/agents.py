"""Mesa agents as views onto rows of the dyad state.

A :class:`Caregiver` and an :class:`Infant` per dyad live in ``model.agents``; their attributes
read the dyad's row of :class:`~simulation.model.state.DyadState`. ``agent.step()`` runs the same
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

    @cached_property
    def _state(self) -> DyadState:
        """The dyad's row of the state (numpy views: always current), made on first use."""
        return self.model.state.view(self._rows)

    def __getattr__(self, name: str):
        """A state field declared for this kind of agent, read from the dyad's row (always current)."""
        var = PLAN.layout().get(name) if not name.startswith("_") else None
        if var is None or var.agent != self.AGENT:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self.model.state, name)[self.dyad].item()

    def __setattr__(self, name: str, value) -> None:
        """The state fields are read-only views: rules change the state, agents only show it."""
        var = PLAN.layout().get(name) if not name.startswith("_") else None
        if var is not None and var.agent == self.AGENT:
            raise AttributeError(f"{name!r} is a read-only view of the dyad's state")
        super().__setattr__(name, value)

    def __dir__(self):
        return [*super().__dir__(), *(n for n, v in PLAN.layout().items() if v.agent == self.AGENT)]

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


class Infant(DyadAgent):
    """The infant of one dyad: temperament, working model, strategy."""

    AGENT = "infant"

    @property
    def caregiver(self) -> Caregiver:
        return self.model.caregivers[self.dyad]

    @property
    def security(self) -> float:
        """Today's latent security index (no situational noise)."""
        from ..measures.strange_situation import security_index

        return float(security_index(self._state)[0])

    def step(self) -> None:
        """From birth on, this dyad's episodes, the infant's learning and the measures' counts (the day
        plan's infant components, then the measures' daily counts) for its row."""
        model = self.model
        if model.day >= 0:
            model.plan.run("infant", model.today(self._state, "infant", self._rows))


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

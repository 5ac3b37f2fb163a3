"""Mesa agents as views onto rows of the dyad state.

A :class:`Caregiver` and an :class:`Infant` per dyad live in ``model.agents``; their attributes
read the dyad's row of :class:`~simulation.state.DyadState`. ``agent.step()`` runs the same rule
code as the vectorised engine, for that one row: this is the per-agent path that
``benchmarks/bench_engine.py`` compares against (and the tests check gives the same results).
"""

from __future__ import annotations

from functools import cached_property

from mesa.discrete_space import FixedAgent

from . import lifecycle, support
from .state import GROUPS, DyadState


class DyadAgent(FixedAgent):
    """A Mesa agent bound to one row (``dyad``) of the model's state, placed in the network."""

    FIELD_GROUP = ""

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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, (_, doc) in GROUPS.get(cls.FIELD_GROUP, {}).items():
            setattr(cls, name, property(lambda self, _n=name: getattr(self.model.state, _n)[self.dyad].item(), doc=doc))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dyad={self.dyad})"


class Caregiver(DyadAgent):
    """The caregiver of one dyad: traits, stress, fatigue, mood, today's propensities."""

    FIELD_GROUP = "caregiver"

    @property
    def infant(self) -> "Infant":
        return self.model.infants[self.dyad]

    @property
    def supporters(self) -> list["Supporter"]:
        return [a for cell in self.cell.neighborhood for a in cell.agents if isinstance(a, Supporter)]

    def step(self) -> None:
        """This caregiver's phase of the day (``lifecycle.caregiver_phase``) for its row."""
        draws = self.model.draws_today()
        lifecycle.caregiver_phase(self._state, self.model.params, self.model.day, draws.caregiver[self._rows])


class Infant(DyadAgent):
    """The infant of one dyad: temperament, working model, strategy."""

    FIELD_GROUP = "infant"

    @property
    def caregiver(self) -> Caregiver:
        return self.model.caregivers[self.dyad]

    @property
    def security(self) -> float:
        """Today's latent security index (no situational noise)."""
        from .assessment import security_index

        return float(security_index(self._state)[0])

    def step(self) -> None:
        """This dyad's episodes and the infant's learning (``lifecycle.infant_phase``) for its row."""
        draws = self.model.draws_today()
        episodes = None if draws.episodes is None else draws.episodes[self._rows]
        lifecycle.infant_phase(self._state, self.model.params, self.model.day, episodes)


class Supporter(DyadAgent):
    """A member of a caregiver's support network (partner, family or friend, health visitor).

    A view onto one slot of the dyad's supporter arrays; supporters act through the caregiver's
    phase of the day (``support.today``), so they have no step of their own.
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

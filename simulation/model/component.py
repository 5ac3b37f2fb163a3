"""The component protocol: one class per submodel, declaring everything it brings to the model.

A component (a submodel such as ``support`` or ``learning``) declares, in its one file:

- ``parameters``: the fields it adds to scenario sections (``{"caregiver": Params}``, each
  field with default, range, unit and source: ``simulation.model.params``);
- ``state``: the per-dyad arrays it owns (:class:`Var`: name, dtype, initial value, meaning);
- ``draws``: the named uniforms it takes each day (:class:`Draw`), so that common random
  numbers hold by construction: a component's draws come from a stream named after it, whatever
  the parameters and whatever other components exist (the original submodels share the two
  historical daily blocks: ``simulation.model.plan.SHARED_BLOCKS``);
- ``step(t)``: its rule for all rows of ``t.s`` at once. The vectorised engine calls it with the
  whole population (or a block of rows), ``agent.step()`` with one row: the same code;
- ``table(model)``: the per-dyad output columns it contributes (documented in ``columns``).

A measure (Strange Situation, home observation, questionnaire, ...) is an :class:`Analyzer`:
the same kind of plug-in, which also says on which days it measures (``schedule``) and may
count something every day (``observe``).

The order in which components run each day is written once, in ``simulation.model.plan``.
This follows Starsim's modules (``ss.Module``: parameters, states, a step) and Covasim's
analyzers, with two differences: state is one array per field for all dyads (a structure of
arrays that Mesa agents view row by row), and random numbers are declared per component.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .params import Section

if TYPE_CHECKING:
    from .state import DyadState


@dataclass(frozen=True)
class Var:
    """A per-dyad state array owned by a component."""

    name: str
    dtype: Any
    doc: str
    init: float = 0.0
    width: str | None = None
    """None: one value per dyad; "supporters" or "interventions": one value per slot."""
    agent: str | None = None
    """"caregiver" or "infant": read as an attribute of that Mesa agent."""
    trait: bool = False
    """A caregiver's fixed characteristic, reported as a ``cg_<name>`` column."""


@dataclass(frozen=True)
class Draw:
    """A named uniform draw a component takes every day (``width`` columns of them)."""

    name: str
    width: int = 1


@dataclass(frozen=True)
class Column:
    """A per-dyad output column (a pattern such as ``attachment_<age>m`` for families of columns)."""

    name: str
    doc: str


class Today:
    """What a component's step sees: the rows of the state, the scenario, the day and its draws.

    Components of one phase pass the day's intermediate results on as attributes (for instance
    the signal kinds from ``signals`` to ``perception``); each is documented where it is set.
    """

    def __init__(self, s: "DyadState", params: Any, day: int, u: dict[str, np.ndarray],
                 away: np.ndarray | None = None, share: np.ndarray | None = None):
        self.s = s
        self.params = params
        self.day = day
        self.u = u
        self.away = away
        """Infant phase in two-caregiver households (``household``): the episode slots that are the other
        caregiver's today (rows, slots), where this row's caregiver sees no signal; None: none."""
        self.share = share
        """The share of the day's slots that are this row's caregiver's (per row); None: all of them."""


class Component:
    """A submodel: see the module docstring. Subclasses set the class attributes below."""

    name: ClassVar[str] = ""
    phase: ClassVar[str] = ""
    """"setup" (initialisation only), "caregiver" or "infant" (a phase of the day), "measure"."""
    parameters: ClassVar[dict[str, type[Section]]] = {}
    state: ClassVar[tuple[Var, ...]] = ()
    draws: ClassVar[tuple[Draw, ...]] = ()
    columns: ClassVar[tuple[Column, ...]] = ()
    summary: ClassVar[str] = ""
    """One line for the schedule in docs/ODD.md."""

    def setup(self, s: "DyadState", params: Any, seed: Any) -> None:
        """Initial values beyond the declared ones (drawn traits, networks, ...)."""

    def step(self, t: Today) -> None:
        """One day of the rule, for every row of ``t.s``."""

    def table(self, model: Any) -> dict[str, np.ndarray]:
        """Per-dyad output columns at the end of a run."""
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class Analyzer(Component):
    """A measure: counts every day (``observe``) and/or measures on scheduled days (``measure``)."""

    phase: ClassVar[str] = "measure"

    def start(self, model: Any) -> None:
        """Attach the measure's results to a new model (e.g. ``model.assessments``)."""

    def observe(self, t: Today) -> None:
        """Called every day from birth on, after the infant phase, with that phase's results."""

    def schedule(self, params: Any) -> dict[int, Any]:
        """Days (at their end) on which ``measure`` runs, with a label for each (an age, a month)."""
        return {}

    def measure(self, model: Any, label: Any) -> None:
        """Measure every dyad at the end of a scheduled day."""

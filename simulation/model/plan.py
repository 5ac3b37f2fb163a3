"""The day plan: which components exist, in which order they run, written once.

Everything that depends on the model's make-up is derived from this list: the state layout
(:class:`~simulation.model.state.DyadState`), the scenario schema (``simulation.scenario``), the
day's random draws, the vectorised engine and the per-agent ``agent.step()`` path
(``simulation.model.engine``), the per-dyad output table (``simulation.report.records``) and the
"Process overview and scheduling" section of ``docs/ODD.md`` (``schedule_markdown``; a test keeps
the two equal).

A day runs the caregiver phase for every dyad (from the first simulated day, which may be before
birth), then, from birth on, the infant phase and the measures' daily counts for every dyad, then
the scheduled measurements. The order of components within a phase is the order below.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from .component import Analyzer, Component, Today, Var
from .components.crying import Crying
from .components.depression import Depression
from .components.household import Household
from .components.interventions import Interventions
from .components.learning import Learning
from .components.life_events import LifeEvents
from .components.perception import Perception
from .components.response import Response
from .components.risk import Risk
from .components.sensitivity import Sensitivity
from .components.signals import Signals
from .components.support import Support
from .components.traits import Traits
from .components.wellbeing import Wellbeing
from ..measures.attachment_q_sort import AttachmentQSort
from ..measures.coordination import Coordination
from ..measures.crying_windows import CryingWindows
from ..measures.early_responsiveness import EarlyResponsiveness
from ..measures.face_tasks import FaceTasks
from ..measures.observation import HomeObservation
from ..measures.questionnaire import DepressionQuestionnaire
from ..measures.strange_situation import StrangeSituation

PHASES = ("setup", "caregiver", "infant", "measure")

SHARED_BLOCKS = {
    "caregiver": ("caregiver-day", ("mood", "depression", "supporters")),
    "infant": ("episodes-day", ("kind", "cry", "valence", "relief", "notice", "read", "answer", "rebuff", "latency",
                                "match", "repair", "repair_latency", "fright")),
}
"""The two historical daily blocks of uniforms (stream name per day, draws in column order): the
original submodels' draws, kept in this layout so that results stay identical. Any other
component's draws come from a stream of its own (``<phase>-day:<day>:<component>``)."""


class DayPlan:
    """Ordered components per phase (see the module docstring)."""

    def __init__(self, *components: Component, table_order: tuple[str, ...] = ()):
        self._parts: dict[str, list[Component]] = {phase: [] for phase in PHASES}
        self.table_order = table_order
        self.version = 0
        self._layout: tuple[int, dict[str, Var]] | None = None
        self._rule_cache: tuple[int, dict[str, tuple]] | None = None
        for component in components:
            self.add(component)

    # ------------------------------------------------------------ make-up
    def phase(self, name: str) -> list[Component]:
        return self._parts[name]

    @property
    def components(self) -> list[Component]:
        """Every component, in plan order (setup, caregiver, infant, measures)."""
        return [c for phase in PHASES for c in self._parts[phase]]

    @property
    def measures(self) -> list[Analyzer]:
        return self._parts["measure"]  # type: ignore[return-value]

    def get(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)

    def add(self, component: Component, *, after: str | None = None) -> Component:
        """Add a component to its phase (at the end, or after the named one); checks it fits."""
        if component.phase not in PHASES:
            raise ValueError(f"component {component.name!r}: phase must be one of {PHASES}, got {component.phase!r}")
        if any(c.name == component.name for c in self.components):
            raise ValueError(f"a component named {component.name!r} is already in the plan")
        taken = self.layout()
        clash = [v.name for v in component.state if v.name in taken]
        if clash:
            raise ValueError(f"component {component.name!r}: state fields {clash} are already owned by another component")
        drawn = {d.name for c in self._parts[component.phase] for d in c.draws}
        clash = [d.name for d in component.draws if d.name in drawn]
        if clash:
            raise ValueError(f"component {component.name!r}: draws {clash} are already taken in its phase")
        part = self._parts[component.phase]
        index = len(part) if after is None else [c.name for c in part].index(after) + 1
        part.insert(index, component)
        self.version += 1
        return component

    def remove(self, name: str) -> None:
        for part in self._parts.values():
            part[:] = [c for c in part if c.name != name]
        self.version += 1

    @contextmanager
    def extended(self, *components: Component) -> Iterator["DayPlan"]:
        """Temporarily add components (for tests and experiments)."""
        for c in components:
            self.add(c)
        try:
            yield self
        finally:
            for c in components:
                self.remove(c.name)

    def layout(self) -> dict[str, Var]:
        """Every state field, in plan order: name -> declaration."""
        if self._layout is None or self._layout[0] != self.version:
            self._layout = (self.version, {v.name: v for c in self.components for v in c.state})
        return self._layout[1]

    def sections(self) -> dict[str, list[type]]:
        """Scenario section -> the classes of parameters components add to it, in plan order."""
        out: dict[str, list[type]] = {}
        for c in self.components:
            for section, cls in c.parameters.items():
                if cls not in out.setdefault(section, []):
                    out[section].append(cls)
        return out

    def table_components(self) -> list[Component]:
        """Components in the order of the per-dyad table's columns."""
        ranked = {name: i for i, name in enumerate(self.table_order)}
        known = [c for c in self.components if c.name in ranked]
        known.sort(key=lambda c: ranked[c.name])
        return known + [c for c in self.components if c.name not in ranked]

    # ------------------------------------------------------------ draws
    def shared_draws(self, phase: str) -> tuple[str, dict[str, slice | int]]:
        """The phase's shared block: its stream prefix and each draw's column(s)."""
        stream, names = SHARED_BLOCKS[phase]
        widths = {d.name: d.width for c in self._parts[phase] for d in c.draws}
        columns, start = {}, 0
        for name in names:
            width = widths.get(name, 1)
            columns[name] = start if width == 1 else slice(start, start + width)
            start += width
        return stream, columns

    def own_draws(self, phase: str) -> list[Component]:
        """Components of the phase whose draws come from their own stream."""
        shared = set(SHARED_BLOCKS[phase][1])
        return [c for c in self._parts[phase] if c.draws and not {d.name for d in c.draws} <= shared]

    # ------------------------------------------------------------ running
    def run(self, phase: str, t: Today, clock: dict | None = None) -> None:
        """One phase of the day for the rows of ``t.s``; from birth on, the infant phase is followed by
        the measures' daily counts. ``clock``: if given, seconds per component are added to it."""
        if clock is None:
            for rule in self._rules(phase):
                rule(t)
            return
        from time import perf_counter
        for rule in self._rules(phase):
            start = perf_counter()
            rule(t)
            name = rule.__self__.name
            clock[name] = clock.get(name, 0.0) + perf_counter() - start

    def _rules(self, phase: str) -> tuple:
        """The bound steps of a phase (the infant phase followed by the measures' daily counts), made
        once per version of the plan: the per-agent path calls them for every agent every day."""
        if self._rule_cache is None or self._rule_cache[0] != self.version:
            rules = {p: tuple(c.step for c in self._parts[p]) for p in ("caregiver", "infant")}
            # measures that count nothing daily (their observe is the protocol's no-op) are not called
            rules["infant"] += tuple(m.observe for m in self._parts["measure"]
                                     if type(m).observe is not Analyzer.observe)
            self._rule_cache = (self.version, rules)
        return self._rule_cache[1][phase]

    # ------------------------------------------------------------ docs
    def schedule_markdown(self) -> str:
        """The day's schedule as the ODD's "Process overview and scheduling" lists it."""
        lines = ["Initialisation (once, in this order):", ""]
        lines += [f"- `{c.name}`: {c.summary}" for c in self._parts["setup"]]
        lines += ["- then each component's own initial values, in the order below", "",
                  "Each day (one Mesa step), for every dyad:", "",
                  "1. Caregiver phase (from the first simulated day, before birth too):"]
        lines += [f"   1. `{c.name}`: {c.summary}" for c in self._parts["caregiver"]]
        lines += ["2. Infant phase (from birth on):"]
        lines += [f"   1. `{c.name}`: {c.summary}" for c in self._parts["infant"]]
        lines += ["3. Measures: daily counts after the infant phase, measurements at the end of their days:"]
        lines += [f"   1. `{c.name}`: {c.summary}" for c in self._parts["measure"]]
        lines += ["4. From birth on, the day's population means are recorded (Mesa `DataCollector`)."]
        return "\n".join(lines)


def state_markdown(plan: "DayPlan") -> str:
    """The state variables, by component, as the ODD's "Entities, state variables and scales" lists them."""
    lines = ["| component | state variables (agent that shows them) |", "| --- | --- |"]
    for c in plan.components:
        if c.state:
            names = ", ".join(f"`{v.name}`" + (f" ({v.agent})" if v.agent else "")
                              + (" per supporter slot" if v.width == "supporters" else "")
                              + (" per intervention slot" if v.width == "interventions" else "") for v in c.state)
            lines.append(f"| `{c.name}` | {names} |")
    return "\n".join(lines)


def kinds_markdown() -> str:
    """The intervention kinds of the registry, with their defaults and sources."""
    from .components.interventions import KINDS
    lines = ["| kind | what | sessions over days | half-life (days) | effects at full dose | source |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, k in KINDS.items():
        effects = ", ".join(f"`{key}` {value:+g}" for key, value in k.effects.items())
        if k.feedback_shift:
            effects += (f"; `negative_bias` learned from feedback {k.feedback_shift:+.3f} from the trainee's own, "
                        f"half of it after {k.sessions_to_half:g} sessions at gain 1")
        half = "lasting" if k.half_life_days is None else f"{k.half_life_days:g}"
        lines.append(f"| `{name}` | {k.summary} | {k.sessions} over {k.duration_days} | {half} | {effects} | {k.source} |")
    return "\n".join(lines)


def default_plan() -> DayPlan:
    return DayPlan(
        Traits(), Risk(), Household(),
        Interventions(), LifeEvents(), Support(), Wellbeing(), Depression(), Sensitivity(),
        Signals(), Perception(), Response(), Crying(), Learning(),
        HomeObservation(), StrangeSituation(), AttachmentQSort(), CryingWindows(), EarlyResponsiveness(),
        Coordination(), DepressionQuestionnaire(), FaceTasks(),
        table_order=("observation", "strange_situation", "attachment_q_sort", "crying_windows", "early_responsiveness",
                     "coordination", "risk", "support", "life_events", "questionnaire", "interventions", "face_tasks",
                     "traits", "learning"),
    )


PLAN = default_plan()
"""The model's day plan. ``PLAN.add(component)`` (or ``PLAN.extended(...)``) adds a component at run time."""

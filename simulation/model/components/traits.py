"""The caregiver's and the infant's traits: per-dyad values drawn from the scenario's distributions.

Each trait is a :class:`~simulation.model.params.Dist` (mean, SD, bounds); each dyad draws
``clip(mean + sd * z, low, high)`` with ``z`` from the trait's own stream (``trait:caregiver.attention``),
so a dyad keeps its quantile of every trait whatever the scenario (common random numbers).
A trait is one declaration here: its state array, its reflective draw, its ``cg_``/``inf_``
output column and, through ``effect``, whether and how an intervention may change it all follow.
"""

from __future__ import annotations

import numpy as np

from .. import streams
from ..component import Column, Component, Var
from ..params import BY_HAND, Dist, Section, is_trait, trait, trait_bounds
from ..state import DyadState


class CaregiverTraits(Section):
    """The caregiver's traits (per dyad)."""

    attention: Dist = trait(0.85, 0.05, 0.0, 1.0, "probability of noticing a fuss or a face (a cry is louder)",
                            effect="logit", source="assumption: an attentive caregiver notices most bids; "
                                                   "lowered by risk, stress and depression")
    responsiveness: Dist = trait(0.85, 0.06, 0.0, 1.0, "probability of answering a noticed distress signal",
                                 effect="logit", source=BY_HAND)
    accuracy: Dist = trait(0.70, 0.08, 0.0, 1.0, "probability that the first answer matches the need",
                           effect="logit", source=BY_HAND)
    repair: Dist = trait(0.80, 0.08, 0.0, 1.0, "probability of repairing a mismatched answer within the episode",
                         effect="add", source=BY_HAND)
    social_latency_s: Dist = trait(1.5, 0.4, 0.1, 600.0, "median latency of an answer to a social bid (a smile, a "
                                                         "face), in seconds", unit="s", effect="relative",
                                   source="assumption: face-to-face exchange is timed in about a second (Tronick & "
                                          "Cohn 1989; Beebe et al. 2010), so a sensitive caregiver answers most "
                                          "social bids within the infant's 2-s contingency window (Millar 1972)")
    distress_latency_s: Dist = trait(20.0, 8.0, 1.0, 3600.0, "median latency of answering a cry or a fuss, in "
                                                             "seconds", unit="s", effect="relative",
                                     source="assumption: responsiveness to crying is measured in tens of seconds to "
                                            "minutes (Bell & Ainsworth 1972 counted episodes ignored and minutes of "
                                            "delay); a sensitive caregiver soothes a cry within about half a minute. "
                                            "No published distribution of naturalistic latencies to crying was found")
    rejection: Dist = trait(0.05, 0.03, 0.0, 1.0, "probability that an answer to a bid for comfort is a rebuff",
                            effect="add", source=BY_HAND)
    inconsistency: Dist = trait(0.4, 0.1, 0.0, 5.0, "day-to-day variability of attention and answering",
                                unit="logit SD", source=BY_HAND + "; most variance in responsiveness is "
                                                                  "within-person (Mills-Koonce et al. 2007)")
    negative_bias: Dist = trait(0.0, 0.1, -1.0, 1.0, "shift of face reading towards negative, on a -1..+1 valence scale",
                                unit="valence", effect="add",
                                source="no bias on average in low-risk mothers, a negative one with risk of "
                                       "depression (Pearson et al. 2010; Bjertrup et al. 2023)")
    reactivity: Dist = trait(1.0, 0.2, 0.0, 10.0, "stress raised by an hour of unsoothed or perceived distress",
                             unit="1/h", effect="relative",
                             source="assumption: the unit of the stress drive; -40% after training (Bjertrup "
                                    "et al. 2023, V8)")
    frightening: Dist = trait(0.09, 0.045, 0.0, 16.0,
                              "frightening moments a day (unresolved caregivers, no stress)", unit="1/day",
                              effect="relative", source="calibrated: V1 (share D), L1 and L3 together with "
                                                        "caregiver.disruption (docs/ODD.md section 8)")


class InfantTraits(Section):
    """The infant's temperament (per dyad)."""

    negative_emotionality: Dist = trait(0.0, 1.0, -4.0, 4.0, "temperament: proneness to distress", unit="z",
                                        source="definition: a z-score in the population (Rothbart 1981)")
    soothability: Dist = trait(0.6, 0.15, 0.05, 1.0, "temperament: how fast distress settles once soothed",
                               source="assumption: a 0-1 scale centred above its middle (Rothbart 1981)")


def _vars(section: type[Section], agent: str, reported: bool) -> tuple[Var, ...]:
    return tuple(Var(name, np.float64, f.description, agent=agent, trait=reported)
                 for name, f in section.model_fields.items() if is_trait(f))


def draw_trait(seed: streams.SeedLike, section, section_name: str, name: str, n: int) -> np.ndarray:
    """Values of one trait for ``n`` dyads: clip(mean + sd * z, low, high)."""
    dist: Dist = getattr(section, name)
    low, high = trait_bounds(section, name)
    z = streams.normals_of(seed, f"trait:{section_name}.{name}", n)
    return np.clip(dist.mean + dist.sd * z, low, high)


def trait_fields(scenario) -> list[tuple[str, str, object]]:
    """(section name, trait name, section) of every per-dyad trait of the caregiver and the infant."""
    out = []
    for section_name in ("caregiver", "infant"):
        section = getattr(scenario, section_name)
        out += [(section_name, name, section) for name, f in type(section).model_fields.items() if is_trait(f)
                and name in _NAMES[section_name]]
    return out


_NAMES = {"caregiver": tuple(CaregiverTraits.model_fields), "infant": tuple(InfantTraits.model_fields)}


def clip_traits(s: DyadState, scenario) -> None:
    """Keep every drawn trait within its declared range after the risk factors' effects.

    Effects add up (a reactive caregiver with three risk factors), and the sum must not leave the
    range a parameter is defined on: a trait beyond its bounds is an impossible caregiver.
    """
    for _, name, section in trait_fields(scenario):
        values = getattr(s, name)
        np.clip(values, *trait_bounds(section, name), out=values)


class Traits(Component):
    """Draws the per-dyad traits; reports them (before any intervention) as ``cg_`` and ``inf_`` columns."""

    name = "traits"
    phase = "setup"
    summary = "each dyad's caregiver traits and infant temperament, drawn from the scenario's distributions"
    parameters = {"caregiver": CaregiverTraits, "infant": InfantTraits}
    state = _vars(CaregiverTraits, "caregiver", True) + _vars(InfantTraits, "infant", False)
    columns = (Column("cg_<trait>", "the caregiver's traits before any intervention (hidden parameters)"),
               Column("inf_<trait>", "the infant's temperament"))

    def setup(self, s: DyadState, params, seed) -> None:
        for section_name, name, section in trait_fields(params):
            getattr(s, name)[:] = draw_trait(seed, section, section_name, name, s.n)

    def table(self, model) -> dict[str, np.ndarray]:
        s = model.state
        cols = {}
        for name, var in s.fields.items():
            if var.trait:
                source = f"base_{name}" if f"base_{name}" in s.fields else name
                cols[f"cg_{name}"] = getattr(s, source).copy()
        for name in _NAMES["infant"]:
            cols[f"inf_{name}"] = getattr(s, name).copy()
        return cols

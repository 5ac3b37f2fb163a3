"""Helpers shared by the tests."""

import numpy as np

from simulation.model import population
from simulation.scenario import load_scenario

# a short calendar for fast tests: 3 months, assessed at 3 months, observed from 1 month
SHORT = {"simulation.months": 3, "simulation.assessment_ages": [3], "simulation.observation_age_months": 1}


def make_state(n=2000, scenario="good_enough", seed=0, overrides=None, **fields):
    """A freshly initialised state with some fields set by hand (scalars broadcast)."""
    sc = load_scenario(scenario, overrides or {})
    s = population.initialise(sc, n, seed)
    for name, value in fields.items():
        getattr(s, name)[:] = value
    return sc, s


def uniforms(shape, seed=0):
    return np.random.default_rng(seed).random(shape)


# ---------------------------------------------------------------- running single components
from simulation.model.component import Today  # noqa: E402
from simulation.model.components.depression import Depression  # noqa: E402
from simulation.model.components.perception import Perception  # noqa: E402
from simulation.model.components.response import Response  # noqa: E402
from simulation.model.components.sensitivity import Sensitivity  # noqa: E402
from simulation.model.components import signals  # noqa: E402
from simulation.model.components.signals import true_valence  # noqa: E402
from simulation.model.components.wellbeing import Wellbeing  # noqa: E402
from simulation.model.plan import SHARED_BLOCKS  # noqa: E402

SLOTS = 12
EPISODE_DRAWS = SHARED_BLOCKS["infant"][1]


def today(s, sc, day=100, u=None, **results):
    """What a component's step sees, with hand-made draws and earlier components' results."""
    t = Today(s, sc, day, u or {})
    for name, value in results.items():
        setattr(t, name, value)
    return t


def start_day(s, sc, day, u):
    """The caregiver's morning (wellbeing, depression, sensitivity) with ``u`` = (mood, depression) draws."""
    t = today(s, sc, day, {"mood": u[:, 0], "depression": u[:, 1]})
    for component in (Wellbeing(), Depression(), Sensitivity()):
        component.step(t)


def episode_draws(n, seed=0, slots=SLOTS):
    u = uniforms((n, slots, len(EPISODE_DRAWS)), seed)
    return {name: u[:, :, i] for i, name in enumerate(EPISODE_DRAWS)}


def episodes_of(kind_code, s, sc, seed=0, window=2.0, day=100, comfort=None):
    """Perception and response for ``SLOTS`` signals of one kind per dyad (all from the caregiver); a
    distress signal is felt as what it is (no muting)."""
    if sc.simulation.episode_slots != SLOTS:  # these SLOTS slots are the whole day
        sc = load_scenario(sc, {"simulation.episode_slots": SLOTS})
    if window != sc.infant.contingency_window_s:
        sc = load_scenario(sc, {"infant.contingency_window_s": window})
    if comfort is not None and comfort != sc.infant.comfort_window_s:
        sc = load_scenario(sc, {"infant.comfort_window_s": comfort})
    kind = np.full((s.n, SLOTS), kind_code, dtype=np.int8)
    t = today(s, sc, day, episode_draws(s.n, seed), kind=kind, valence=true_valence(sc.infant)[kind] + 0.0,
              felt_cry=kind == signals.CRY)
    Perception().step(t)
    Response().step(t)
    return t.episodes


# ---------------------------------------------------------------- the Strange Situation without noise
def procedure_without_noise(s, p):
    """A/B/C/D from the whole Strange Situation with its noise switched off, written out step by step:
    all eight episodes from the rested level (no day's shift), every interval's behaviour at its
    probability (no draws), coded with zero error (the half points kept). The independent check of
    ``strange_situation.expected_attachment`` (which reads the reunions only)."""
    from simulation.measures import strange_situation as ss
    inp = {k: np.asarray(getattr(s, k), dtype=np.float64) for k in ss.INPUTS}
    arousal = ss.arousal_course(inp, p, 0.0)
    probability = ss.behaviour_probabilities(inp, p, arousal, np.arange(ss.INTERVALS))
    scores = ss.code(probability, p, np.zeros((len(inp["availability"]), ss.CODER_DRAWS)))
    return ss.classify(*(scores[k] for k in ss.SCALE_NAMES))[0]

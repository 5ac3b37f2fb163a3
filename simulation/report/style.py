"""The one home of figure style: colours, labels, fonts and resolution of every figure.

Why one module: the figures are shown on slides and in the teaching app side by side. When a
colour meant "avoidant" in one PNG and "good_enough" in the next, or a legend was 8 pt, the
audience read them wrongly. Every figure (``plots``, the app, the experiments) takes its
colours, labels and fonts from here, so a colour means the same thing everywhere:

* one colour per attachment class (Okabe & Ito 2008, colour-blind safe; B secure is green,
  D disorganised a dark wine, apart from the other three also by its darkness);
* one colour per built-in scenario, from colour-blind-safe palettes (Tol 2021, Okabe-Ito)
  and never one of the class colours; other scenario names get a stable colour from their name;
* fonts of at least 11 pt at 100% size, titles 13 pt and more, and 200 dpi PNGs.
"""

from __future__ import annotations

import textwrap
import zlib
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator

FIGURE_INDICES = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma")}
"""The sensitivity indices a figure or a terminal table shows, per method."""
INDEX_LABELS = {"S1": "first order S1", "ST": "total order ST", "mu_star": "mu* (mean |effect|)",
                "sigma": "sigma (interactions, non-linearity)"}

CLASS_COLOURS = {"A": "#0072B2", "B": "#009E73", "C": "#E69F00", "D": "#882255"}
"""Okabe-Ito blue, bluish green and orange; Tol's wine for D (far from the other three in
normal and colour-blind vision)."""
CLASS_LABELS = {"A": "A avoidant", "B": "B secure", "C": "C resistant", "D": "D disorganised"}

SCENARIO_COLOURS = {
    "perfect": "#332288", "good_enough": "#56B4E9", "inconsistent": "#D55E00", "rejecting": "#000000",
    "frightening": "#EE6677", "normative_low_risk": "#BBBBBB", "community": "#004488",
    "perinatal_depression": "#CC79A7", "village": "#117733", "high_risk_isolated": "#997700",
    "video_feedback_trial": "#DDCC77", "bias_training_trial": "#225555",
    "first_1001_days": "#661100",
    "two_parents": "#7A5195", "single_parent": "#EE8866", "depressed_mother_sensitive_father": "#AAAA00",
    "both_depressed": "#663333", "video_feedback_fathers_trial": "#F0E442",
}
"""One colour per built-in scenario, from colour-blind-safe palettes (Tol's muted, bright and
dark sets, Okabe-Ito's leftovers; the normative population in Tol's grey). The five caregiving
profiles, shown together most often, are the five most distinct, also in colour-blind vision;
the pairs the teaching notes compare (village and high_risk_isolated, community and
perinatal_depression) are far apart too; first_1001_days, the whole arc, in Tol's dark brown; the household scenarios (issue 18) in colours
left over from those palettes, two_parents and single_parent far apart. ``tests/unit/test_style.py`` checks they differ."""
FALLBACK_COLOURS = tuple(SCENARIO_COLOURS.values())
"""Colours for scenarios not built in: picked by a stable hash of the name (not Python's
``hash()``, which changes from process to process)."""

SERIES_COLOURS = {"security": CLASS_COLOURS["B"], "crying": "#CC3311", "depression": "#6A3D9A",
                  "stress": "#6A3D9A"}
"""Population means in the app, one panel each: security in the secure class's colour (the same
meaning), crying in Tol's red, caregiver depression and stress in one purple (solid, dashed)."""
NEUTRAL = "#333333"
"""Marks that stand for no class and no scenario (effects, power, timing, benchmark bars)."""
NEUTRAL_LIGHT = "#AAAAAA"
"""The second such series (e.g. the serial run beside the pool, S1 beside ST)."""
REFERENCE = "#777777"
"""Reference lines: zero effect, 80% power."""
BENEFIT_SHADE = "#009E73"
"""The helpful side of an effects plot: the colour of "secure", faint."""
BENEFIT_ALPHA = 0.10

DPI = 200
"""PNG resolution: sharp on a projector and when a slide is zoomed."""
APP_DPI = 90
"""The app's figures: the browser scales them to the view's width; small PNGs redraw quickly."""
MIN_FONT = 11
"""No text smaller than this (pt, at 100% size): tick labels, legends, annotations."""
LABEL_FONT = 12
TITLE_FONT = 14
SENTENCE_TITLE_FONT = 13
"""Titles that are whole sentences (the app's captions): the smallest a title may be."""
SUPTITLE_FONT = 15
WRAP = 20
"""Characters per line of a wrapped scenario title under a bar group."""

RC: dict[str, Any] = {
    "font.size": LABEL_FONT, "axes.titlesize": TITLE_FONT, "axes.labelsize": LABEL_FONT,
    "xtick.labelsize": MIN_FONT, "ytick.labelsize": MIN_FONT, "legend.fontsize": MIN_FONT,
    "legend.title_fontsize": MIN_FONT, "figure.titlesize": SUPTITLE_FONT, "figure.dpi": DPI, "savefig.dpi": DPI,
    "axes.spines.top": False, "axes.spines.right": False,
    "legend.frameon": False, "lines.linewidth": 2.0, "errorbar.capsize": 3,
}
"""matplotlib settings of every figure (applied by :func:`figure_style`)."""


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply :data:`RC` while a figure is built and saved (also usable as a decorator). matplotlib
    is imported here, not at the top, so that scripts naming scenarios stay light."""
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def save(fig, path: Path | str) -> Path:
    """Save ``fig`` at :data:`DPI` (with everything drawn inside the image) and close it."""
    import matplotlib.pyplot as plt

    path = Path(path)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return path


# ---------------------------------------------------------------------------------- scenarios
def _name(scenario: Any) -> str:
    return str(getattr(scenario, "name", scenario))


def fallback_colour(name: str) -> str:
    """The stable colour of a scenario that is not built in (same in every process)."""
    return FALLBACK_COLOURS[zlib.crc32(name.encode("utf-8")) % len(FALLBACK_COLOURS)]


def scenario_colour(scenario: Any) -> str:
    """The colour of a scenario (a Scenario or a name), the same in every figure."""
    name = _name(scenario)
    return SCENARIO_COLOURS.get(name) or fallback_colour(name)


def scenario_colours(scenarios: Iterable[Any]) -> dict[str, str]:
    """Name -> colour for the scenarios of one figure: built-in ones keep theirs; another name
    whose hashed colour is already taken in this figure gets the next free one, so two custom
    scenarios never share a colour in the same figure."""
    names = list(dict.fromkeys(_name(s) for s in scenarios))
    colours = {n: SCENARIO_COLOURS[n] for n in names if n in SCENARIO_COLOURS}
    for name in names:
        if name not in colours:
            start = FALLBACK_COLOURS.index(fallback_colour(name))
            order = FALLBACK_COLOURS[start:] + FALLBACK_COLOURS[:start]
            colours[name] = next((c for c in order if c not in colours.values()), order[0])
    return colours


@cache
def _builtin_title(name: str) -> str | None:
    from simulation.scenario import available_scenarios, load_scenario

    return load_scenario(name).title if name in available_scenarios() else None


def scenario_label(scenario: Any) -> str:
    """The human title of a scenario (a Scenario or a name): slides show titles, not file names."""
    title = None if isinstance(scenario, str) else getattr(scenario, "title", None)  # str.title is a method
    title = title or _builtin_title(_name(scenario))
    return title or _name(scenario).replace("_", " ")


def wrap(text: str, width: int = WRAP) -> str:
    """``text`` on lines of at most ``width`` characters (long titles under bars)."""
    return "\n".join(textwrap.wrap(text, width)) or text


# ---------------------------------------------------------------------------------- outcomes
def age_label(months: float) -> str:
    """'12 months', '1 month', '4.5 months'."""
    return f"{months:g} month" + ("" if months == 1 else "s")


OUTCOME_LABELS = {
    "security": "security at {age}", "secure": "secure (B) at {age}", "disorganised": "disorganised (D) at {age}",
    "observed_sensitivity": "observed sensitivity (1-9)", "coordination": "coordinated answers",
    "repair_rate": "repair rate", "responsiveness_early": "responsiveness, months 0-3",
    "crying_early": "crying, months 0-3", "crying_late": "crying, months 9-12",
    "depression_score_6m": "depression score at 6 months", "depressed": "caregiver depressed, months 0-6",
    "share_secure": "% secure (B)", "share_D": "% disorganised (D)", "mean_security": "mean security",
    "depression_prevalence": "caregivers depressed",
}
"""Human names of outcome columns; ``{age}`` is the assessment age."""

BENEFIT = {"security": 1, "secure": 1, "observed_sensitivity": 1, "coordination": 1, "repair_rate": 1,
           "responsiveness": 1, "crying": -1, "disorganised": -1, "depressed": -1, "depression": -1, "stress": -1}
"""Which way is better for an outcome (matched on the start of its name): +1 higher, -1 lower."""


def outcome_label(outcome: str, age_months: float = 12) -> str:
    return OUTCOME_LABELS.get(outcome, outcome.replace("_", " ")).format(age=age_label(age_months))


def benefit_sign(outcome: str) -> int:
    """+1 if a higher value of ``outcome`` is better, -1 if lower is better, 0 if not known."""
    return next((sign for prefix, sign in BENEFIT.items() if outcome.startswith(prefix)), 0)

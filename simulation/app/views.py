"""The page's views: the Solara components of the panels, one per panel.

The scenario card (the preset's description, teaching notes and your changes), the network, the
population over age, A/B/C/D, the comparison with a second scenario, and one dyad's last days in
words (the explain panel, reading the :class:`AppModel`'s diary through
``simulation.report.explain``). Every view takes the model, redraws when Mesa's
``update_counter`` ticks, and only reads. Kept apart from the figures (what is drawn) and from
the dashboard (how the panels are laid out).
"""

from __future__ import annotations

import markdown
import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from simulation.measures.strange_situation import security_index, trace_one
from simulation.model.calendar import DAYS_PER_MONTH
from simulation.model.engine import AttachmentModel
from simulation.report import explain as explain_mod

from .controls import AppModel
from .figures import APP_PNG_DPI, attachment_figure, comparison_figure, comparison_verdict, live_figure, network_figure


def age_text(model: AttachmentModel) -> str:
    day = model.day
    total = model.end_day
    if day < 0:
        return f"{-day} days before birth (the caregiver's pregnancy); birth at day 0, end at day {total}"
    state = "finished" if not model.running else f"day {day} of {total}"
    return f"Age {day / DAYS_PER_MONTH:.1f} months: {state}"


def _image(fig: Figure):
    return solara.FigureMatplotlib(fig, format="png", dpi=APP_PNG_DPI)


def _md(text: str, classes: list[str] | None = None):
    """Markdown rendered on the server (solara.Markdown would fetch KaTeX, which is not served offline)."""
    return solara.HTML(tag="div", unsafe_innerHTML=markdown.markdown(text), classes=["sb-md", *(classes or [])])


# ------------------------------------------------------------------------------ components
watched_dyad = solara.reactive(0)
"""The dyad the explain panel describes (and the network view outlines); one per browser session."""


CAREGIVER_TARGETS = {"second": "for the second caregiver", "both": "for both caregivers"}
"""Which caregiver of a household a preset's intervention is for, in words (the first caregiver, the
default, goes unsaid, as in one-caregiver presets)."""


def _when(start_day: int) -> str:
    return f"day {start_day}" if start_day >= 0 else f"{-start_day} days before birth"


@solara.component
def ScenarioCard(model: AppModel):
    """The preset's title, description and app notes (its teaching notes for the app), the age, and
    what the sliders changed (or why they could not be applied)."""
    update_counter.get()
    p = model.params
    lines = [f"### {p.title or p.name}", f"**{age_text(model)}** · {model.n} dyads · seed {model.seed}"]
    if model.error:
        lines.append(f"**⚠ {model.error}**")
    if model.changes or model.intervention:
        items = [f"- {label}: {before:g} → **{after:g}**" for label, before, after in model.changes]
        if model.intervention:
            items.append(f"- intervention: **{model.intervention['kind'].replace('_', ' ')}** from "
                         f"{_when(model.intervention['start_day'])}")
        lines.append("**Your changes to the preset** (applied by Reset):\n\n" + "\n".join(items))
    else:
        lines.append("*The preset as written: move a slider and press Reset to change it.*")
    scheduled = model.preset_interventions
    if scheduled:
        lines.append("**Interventions in this preset**: " + "; ".join(
            f"{iv['kind'].replace('_', ' ')} from {_when(iv['start_day'])}"
            + (f" (offered to: {iv['target'].replace('_', ' ')})" if iv.get("target", "all") != "all" else "")
            + (f" ({CAREGIVER_TARGETS[iv['target_caregiver']]})"
               if iv.get("target_caregiver", "primary") in CAREGIVER_TARGETS else "")
            for iv in scheduled))
    lines.append(" ".join(p.description.split()))
    if p.app_notes.strip():  # the notes written for the app (teaching_notes are for the command line)
        lines.append("**Teaching notes**: what to move, what to watch\n\n" + p.app_notes.strip())
    with solara.Column(classes=["sb-view", "sb-scenario"], gap="4px") as main:
        _md("\n\n".join(lines))
    return main


@solara.component
def NetworkView(model: AppModel):
    """The dyads and their supporters, coloured by infant security and caregiver stress."""
    update_counter.get()
    watched = min(watched_dyad.value, model.n - 1)
    with solara.Column(classes=["sb-view", "sb-network"], gap="0px") as main:
        _image(network_figure(model, watched))
    return main


@solara.component
def LivePlots(model: AppModel):
    """Mean security, crying minutes a day and caregiver depression over age."""
    update_counter.get()
    with solara.Column(classes=["sb-view", "sb-live-plots"], gap="0px") as main:
        _image(live_figure(model))
    return main


@solara.component
def AttachmentView(model: AppModel):
    """The A/B/C/D distribution (preview until the assessment)."""
    update_counter.get()
    with solara.Column(classes=["sb-view", "sb-attachment"], gap="0px") as main:
        _image(attachment_figure(model))
    return main


@solara.component
def ComparisonView(model: AppModel):
    """This run beside a second scenario with the same infants and the same random numbers."""
    update_counter.get()
    with solara.Column(classes=["sb-view", "sb-comparison"], gap="2px") as main:
        if model.twin is None:
            _md("### Comparison\n\nChoose a scenario under **Compare with** and press **Reset** to run the same "
                "infants, with the same random numbers, under a second scenario.")
        else:
            _image(comparison_figure(model))
            _md(comparison_verdict(model), ["sb-small"])
            _md(f"*{model.label}* vs *{model.twin_label}*: the same {model.n} infants and the same daily random "
                f"numbers (seed {model.seed}); only the caregiving differs.", ["sb-small", "sb-muted"])
    return main


@solara.component
def ExplainView(model: AppModel):
    """One dyad's last days in words: signals, answers, misses and repairs; and its Strange Situation,
    episode by episode (the assessment once done, else a preview on today's working model)."""
    update_counter.get()
    n = model.n
    dyad = min(watched_dyad.value, n - 1)

    def pick(kind: str):
        order = np.argsort(security_index(model.state), kind="stable")
        index = {"least": order[0], "median": order[len(order) // 2], "most": order[-1]}[kind]
        watched_dyad.set(int(index))

    info = explain_mod.explain(model, dyad, days=7)
    with solara.Column(classes=["sb-view", "sb-explain"], gap="2px") as main:
        _md("### One dyad, in words")
        with solara.Row(classes=["sb-control"], gap="6px", margin=0):
            solara.SliderInt("Dyad", value=dyad, min=0, max=n - 1, on_value=watched_dyad.set, thumb_label=False)
            solara.Text(f"{dyad}", classes=["sb-value"])
        with solara.Row(gap="4px"):
            solara.Text("Pick:", style={"font-size": "13px", "align-self": "center"})
            solara.Button("least secure", on_click=lambda: pick("least"), small=True, outlined=True)
            solara.Button("median", on_click=lambda: pick("median"), small=True, outlined=True)
            solara.Button("most secure", on_click=lambda: pick("most"), small=True, outlined=True)
        _md(info["headline"], ["sb-small", "sb-muted"])
        second = info["second"]
        who = explain_mod.WHO if second is not None else (None, None)
        if info["days"]:
            _md("\n\n".join(info["summary"]))
            with_whom = f" with {who[0]}" if second is not None else ""
            _md(f"**Day by day{with_whom}** (newest first):\n\n" + "\n".join(f"- {d}" for d in info["days"]),
                ["sb-small"])
            if second is not None and second["days"]:
                with solara.Details(f"Day by day with {who[1]}"):
                    _md("\n".join(f"- {d}" for d in second["days"]), ["sb-small"])
        else:
            _md("No day has run yet: press **Step**.")
        words: list[str] = []
        if model.day >= 0:
            words = explain_mod.strange_situation_words(trace_one(model, dyad), info["attachment"], who[0])
            _md(words[0] + " Episode by episode (share of its 15-s intervals):\n\n"
                + "\n".join(f"- {w}" for w in words[1:]), ["sb-small"])
            if second is not None:
                # the infant's Strange Situation with the second caregiver: that caregiver's own
                # assessment, or a preview on the infant's working model of them
                more = explain_mod.strange_situation_words(trace_one(model.households, dyad), second["attachment"],
                                                           who[1])
                with solara.Details(f"Strange Situation with {who[1]}"):
                    _md(more[0] + " Episode by episode:\n\n" + "\n".join(f"- {w}" for w in more[1:]),
                        ["sb-small"])
                words += more
        # every term shown in this panel, the Strange Situation's words included, in plain words (issue 17)
        shown_days = second["days"] if second is not None else []
        glossary = explain_mod.glossary_for(info["headline"], *info["days"], *shown_days, *info["summary"], *words)
        if glossary:
            with solara.Details("Words used here"):
                _md("\n".join(f"- **{term}**: {meaning}" for term, meaning in glossary.items()),
                    ["sb-small"])
    return main

"""Every behavioural number of the components and measures is a declared parameter.

The test reads the source of every component (``simulation/model/components``) and measure
(``simulation/measures``) and lists each numeric literal in a rule body and each module-level
numeric constant. Each must be:

- part of a parameter declaration (a field of a ``Section``, with its source), or
- on the short allow-list below (units, the calendar, the definitions of scales, numerical
  guards, array widths), each with its reason, or
- in a rule that the development and validity issues rewrite, listed in ``AWAITING_REWRITE``
  (those rules declare their constants when they are rewritten).

0, 1 and -1 are always allowed (probabilities, identities, empty counts, numpy's reshape(-1)), as
is 2 as an exponent. An intervention kind's class body is a declaration (its documented defaults
and source).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "simulation"
FILES = sorted([*ROOT.glob("model/components/*.py"), *ROOT.glob("measures/*.py")])
FILES = [f for f in FILES if f.name != "__init__.py"]

ALWAYS = {0, 1, -1}
"""Probabilities, identities, empty counts; -1: numpy's 'the rest' (reshape(-1)) and the last element."""

ALLOWED_CONSTANTS = {
    # units and the calendar
    "wellbeing.MINUTES_PER_HOUR": "unit",
    "depression.DAYS_PER_YEAR": "calendar",
    "crying.MINUTES_PER_DAY": "calendar: a day's minutes",
    # definitions of codes, scales and arrays
    "signals.NONE": "signal code", "signals.CRY": "signal code", "signals.FUSS": "signal code",
    "signals.SMILE": "signal code", "signals.AMBIGUOUS": "signal code",
    "response.INSIDE": "decision code", "response.OUTSIDE": "decision code", "response.UNDECIDED": "decision code",
    "signals.KIND_BY_DRAW": "lookup table of signal codes", "signals.CRY_ROW": "offset in that table",
    "signals.DISTRESS_VALENCE": "a cry is the end of the valence scale (definition)",
    "perception.CRY_CHANCES": "a cry is 'louder': two chances to be noticed (definition)",
    "support.MAX_SUPPORTERS": "array width", "support.HEALTH_VISITOR_SLOT": "array slot",
    "support.PARTNER": "role code", "support.FAMILY": "role code", "support.HEALTH_VISITOR": "role code",
    "interventions.MAX_INTERVENTIONS": "array width", "interventions.MAX_EFFECT": "input validation bound",
    "interventions.HALF": "a half-life halves (definition)",
    "life_events.NONE_DAY": "code of 'no such event' in the day columns (days from birth are never negative)",
    "strange_situation.D_CUTOFF": "coding system (Main & Solomon 1990)",
    "strange_situation.AV_CUTOFF": "coding system", "strange_situation.RS_CUTOFF": "coding system",
    "strange_situation.SCALE_TOP": "coding system: 1-9 disorganisation scale",
    "strange_situation.SEVEN_POINT": "coding system: 1-7 interactive scales",
    "strange_situation.HALF_POINTS": "coders score in half points",
    "strange_situation.BALANCE_RANGE": "coding system: the range of PS + CM - RS - AV on four 1-7 scales",
    "strange_situation.INTERCODER_AGREEMENT": "published target of coder_error (NICHD ECCRN 1997), read by a test",
    "strange_situation.INTERCODER_KAPPA": "published target of coder_error (NICHD ECCRN 1997), read by a test",
    "strange_situation.INTERVAL_S": "the procedure's 15-s coding interval (Ainsworth et al. 1978)",
    "strange_situation.SECONDS_PER_MINUTE": "unit",
    "attachment_q_sort.ITEMS": "instrument definition: the AQS has 90 items (Waters & Deane 1985)",
    "attachment_q_sort.PILES": "instrument definition: items are sorted into 9 piles of 10 (Waters & Deane 1985)",
    "strange_situation.EPISODES": "the procedure's eight episodes and their lengths (Ainsworth et al. 1978)",
    "strange_situation.REUNIONS": "the procedure's definition: episodes 5 and 8 are the reunions",
    "strange_situation.CODER_DRAWS": "array width", "strange_situation.ROW_DRAWS": "array width",
    "strange_situation.CHUNK_ROWS": "numerical: rows assessed at a time (memory)",
    "strange_situation.INDEX_CHUNK_ROWS": "numerical: rows of the daily security index worked out at a time",
    "observation.SCALE_LOW": "Ainsworth's 1-9 scale", "observation.SCALE_HIGH": "Ainsworth's 1-9 scale",
    "observation.HALF_POINTS": "coders score in half points",
    "questionnaire.SCREENING_MONTHS": "calendar: the screenings of the postnatal months 1-6",
    "questionnaire.SCORE_RANGE": "the EPDS's range (definition)",
    "crying_windows.WINDOWS": "calendar: the cited studies' windows",
    "early_responsiveness.MONTHS": "calendar: the study's first quarter",
    # numerical guards
    "signals.SLOT_FILL": "numerical: slot capacity", "signals.RATE_FLOOR": "numerical guard",
    "depression.HAZARD_FLOOR": "numerical guard",
    "response.QUANTILE_GUARD": "numerical: draws this near a latency's window quantile are decided by the exact formula",
}
"""Module-level constants that are not behavioural numbers, with the reason."""

ALLOWED_IN_FUNCTION = {
    ("interventions", "setup", 2): "a lognormal gain with mean 1: exp(sd z - sd^2 / 2)",
    ("face_tasks", "measure_tasks", 2): "two tasks' blocks of draws",
    ("face_tasks", "_measure", 2): "two tasks' blocks of draws",
    ("face_tasks", "measure_tasks", -1): "the valence scale's end and the last draw",
    ("risk", "assign_factors", 2): "two history draws (state of mind, unresolved)",
    ("risk", "assign_factors", 3): "three history subtypes",
}

AWAITING_REWRITE: dict[str, str] = {}
"""Rules the development and validity issues rewrite: they keep their constants until then."""
AWAITING_CONSTANTS: set[str] = set()


def _is_declaration(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
        "param", "trait", "Field", "Var", "Draw", "Column", "_effect"}


class Finder(ast.NodeVisitor):
    def __init__(self, module: str):
        self.module = module
        self.stack: list[str] = []
        self.found: list[tuple[str, object, int]] = []
        self.constants: list[str] = []

    def visit_ClassDef(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_FunctionDef(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_Assign(self, node):
        if not self.stack:  # module level
            numbers = [n for n in ast.walk(node.value) if isinstance(n, ast.Constant) and _numeric(n.value)]
            if numbers:
                for target in node.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            self.constants.append(name.id)
            return
        self.generic_visit(node)

    def visit_Call(self, node):
        if _is_declaration(node):
            return
        self.generic_visit(node)

    def visit_BinOp(self, node):
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) and node.right.value == 2:
            self.visit(node.left)
            return
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) and _numeric(node.operand.value):
            self._record(-node.operand.value, node.lineno)
            return
        self.generic_visit(node)

    def visit_Constant(self, node):
        if _numeric(node.value):
            self._record(node.value, node.lineno)

    def _record(self, value, line):
        if value in ALWAYS:
            return
        function = next((s for s in reversed(self.stack) if not s[0].isupper()), "")
        self.found.append((function, value, line))


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def scan(path: Path):
    finder = Finder(path.stem)
    tree = ast.parse(path.read_text())
    # docstrings and parameter classes (Section subclasses) are declarations
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") in {"Section", "Strict", "InterventionKind"}
                                                  for b in node.bases):
            continue
        finder.visit(node)
    return finder


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_bare_behavioural_numbers(path):
    finder = scan(path)
    module = path.stem
    bad = [(f, v, line) for f, v, line in finder.found
           if (module, f, v) not in ALLOWED_IN_FUNCTION and f"{module}.{f}" not in AWAITING_REWRITE]
    assert not bad, (f"{path.name}: bare numbers in rule bodies (declare a parameter with its source, or list "
                     f"them with a reason): {bad}")
    constants = [c for c in finder.constants
                 if f"{module}.{c}" not in ALLOWED_CONSTANTS and f"{module}.{c}" not in AWAITING_CONSTANTS]
    assert not constants, f"{path.name}: module-level numeric constants not on the allow-list: {constants}"


def test_the_scan_finds_a_bare_number():
    """The test can fail: a coefficient written into a rule is caught."""
    source = "def rule(s):\n    return 0.37 * s.stress\n"
    finder = Finder("toy")
    finder.visit(ast.parse(source))
    assert finder.found == [("rule", 0.37, 2)]


def test_every_declared_parameter_has_a_unit_and_a_source():
    from simulation.scenario import schema

    def fields(model, prefix):
        for name, f in model.model_fields.items():
            annotation = f.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields") and name != "simulation" \
                    and annotation.__name__ != "Dist":
                yield from fields(annotation, f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}", f

    missing = []
    for section in ("caregiver", "infant", "support", "depression", "history", "risk", "assessment", "life_events"):
        cls = schema().model_fields[section].annotation
        for key, f in fields(cls, f"{section}."):
            extra = f.json_schema_extra or {}
            if not extra.get("source") or not extra.get("unit"):
                missing.append(key)
    assert not missing, f"parameters without a unit or a source: {missing}"

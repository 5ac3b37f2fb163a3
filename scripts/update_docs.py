"""Rewrite the generated blocks of docs/ODD.md from the day plan (a test checks they are current).

    .venv/bin/python scripts/update_docs.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulation.model.plan import PLAN, kinds_markdown, state_markdown  # noqa: E402
from simulation.scenario.schema import calibrated_markdown  # noqa: E402

ODD = ROOT / "docs" / "ODD.md"


def blocks() -> dict[str, str]:
    """Generated text of each block, by name."""
    return {"schedule": PLAN.schedule_markdown(), "state": state_markdown(PLAN), "intervention-kinds": kinds_markdown(),
            "calibrated": calibrated_markdown()}


def pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- generated: {name} .*?-->\n)(.*?)(<!-- end: {name} -->)", re.S)


def current(text: str, name: str) -> str | None:
    match = pattern(name).search(text)
    return None if match is None else match.group(2).strip()


def update(text: str) -> str:
    for name, body in blocks().items():
        text, count = pattern(name).subn(lambda m: m.group(1) + body + "\n" + m.group(3), text)
        if count != 1:
            raise SystemExit(f"docs/ODD.md has {count} '{name}' blocks; expected one")
    return text


if __name__ == "__main__":
    ODD.write_text(update(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {ODD.relative_to(ROOT)}")

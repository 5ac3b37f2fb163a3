"""The classroom worksheet (docs/worksheet.ipynb) runs from top to bottom without errors."""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

WORKSHEET = Path(__file__).resolve().parents[2] / "docs" / "worksheet.ipynb"


def _outputs(nb) -> str:
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text.append(out.get("text", ""))
            text.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(text)


@pytest.mark.timeout(180)
def test_worksheet_runs(tmp_path, monkeypatch):
    nb = nbformat.read(WORKSHEET, as_version=4)
    nbformat.validate(nb)
    # stored without outputs: students run it themselves
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("Experiment 1", "Experiment 2", "Experiment 3", "Experiment 4", "Experiment 5"):
        assert heading in markdown
    assert markdown.count("### Questions") == 5

    monkeypatch.setenv("WORKSHEET_DYADS", "60")  # small populations: the kernel inherits the environment
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = nbclient.NotebookClient(nb, timeout=150, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    out = _outputs(nb)
    assert "60 dyads per scenario" in out
    for name in ("perfect", "good_enough", "inconsistent", "high_risk_isolated", "village", "rejecting all along",
                 "two_parents", "single_parent", "same class with both parents", "depressed_mother_sensitive_father",
                 "both_depressed"):
        assert name in out
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert images >= 3
    assert os.listdir(tmp_path) == []  # the worksheet writes no files

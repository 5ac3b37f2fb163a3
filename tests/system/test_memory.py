"""The memory estimate made before a run: an upper bound of what a run really uses, and a clear
refusal when a run would not fit."""

import subprocess
import sys
from pathlib import Path

import pytest

import simulation
from simulation.model import memory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.serial  # alone, after the parallel part of `make test` (see the Makefile)


@pytest.mark.parametrize("scenario,households", [("good_enough", False), ("two_parents", True)])
def test_the_estimate_bounds_a_measured_run_from_above_but_not_wildly(scenario, households):
    """Peak resident memory of a real run (a child process, 50,000 dyads, two months), one caregiver per
    infant and two."""
    code = (f"import resource, simulation; simulation.run({scenario!r}, n_dyads=50000, months=2, overrides="
            "{'simulation.assessment_ages': [2], 'simulation.observation_age_months': 1}); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    peak = int(out.split()[-1]) * 1024  # kB on Linux
    estimate = memory.estimate_peak_bytes(50000, households=households)
    assert peak <= estimate <= 2.0 * peak, (peak, estimate)


def test_a_run_that_would_not_fit_is_refused_before_allocating(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 2e9)
    with pytest.raises(simulation.UserError, match=r"simulation.n_dyads = 1,000,000 needs about .* GB.*at most about.*--cohort"):
        simulation.AttachmentModel("good_enough", n_dyads=1_000_000)
    simulation.AttachmentModel("good_enough", n_dyads=100)  # small runs are not affected


def test_more_episode_slots_need_more_memory():
    assert memory.estimate_peak_bytes(10_000, 64) > memory.estimate_peak_bytes(10_000, 16)

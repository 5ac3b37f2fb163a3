"""SecureBase: an agent-based simulation of how day-to-day caregiving shapes infant attachment.

Quick start::

    import simulation
    result = simulation.run("good_enough", n_dyads=1000, seed=1)
    result.dyads.attachment.value_counts(normalize=True)
    simulation.compare(["good_enough", "inconsistent"], n_dyads=1000, seed=1).summary()
    # care that changes: rejecting for six months, then good enough
    simulation.changed_care("rejecting", "good_enough", 6, n_dyads=1000, seed=1)
    # a whole birth cohort in blocks, on all cores (or a Dask cluster): docs/cohorts.md
    simulation.run_cohort("first_1001_days", n_dyads=1_000_000, seed=1, out="results/cohort").summary()
"""

from .errors import ScenarioError, UserError
from .model.agents import Caregiver, Infant, Supporter
from .model.engine import AttachmentModel
from .study.cohort import CohortResult, run_cohort
from .study.development import changed_care, compare_histories
from .study.runner import RunResult, compare, run
from .scenario import Scenario, available_scenarios, load_scenario

__version__ = "0.1.0"

__all__ = ["AttachmentModel", "Caregiver", "CohortResult", "Infant", "RunResult", "Scenario", "ScenarioError", "Supporter", "UserError",
           "available_scenarios", "changed_care", "compare", "compare_histories", "load_scenario", "run", "run_cohort",
           "__version__"]

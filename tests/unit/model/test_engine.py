"""The engine: profile() and the day plan's phases."""

import pytest

from simulation import AttachmentModel
from simulation.model.plan import PLAN

from helpers import SHORT


def test_profile_gives_every_components_share_of_the_time():
    model = AttachmentModel("community", n_dyads=50, seed=1, overrides=SHORT)
    shares = model.profile(days=120)
    running = {c.name for c in PLAN.components if c.phase in ("caregiver", "infant")} | {"draws"}
    assert running <= set(shares)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert all(v >= 0 for v in shares.values())
    assert model.day == 120 - model.params.simulation.prenatal_days
    model.run()  # the rest of the run is unaffected
    assert not model.running


def test_profile_refuses_the_per_agent_path():
    with pytest.raises(ValueError, match="per_agent"):
        AttachmentModel("good_enough", n_dyads=5, seed=1, overrides=SHORT, per_agent=True).profile(days=1)


def test_slot_widths_agree_with_the_components():
    from simulation.model.components.interventions import MAX_INTERVENTIONS
    from simulation.model.components.support import MAX_SUPPORTERS
    from simulation.model.state import WIDTHS

    assert WIDTHS == {"supporters": MAX_SUPPORTERS, "interventions": MAX_INTERVENTIONS}

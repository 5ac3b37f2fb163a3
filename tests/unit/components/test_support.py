"""support: who is there today, relief caregiving."""

import numpy as np

from simulation.model.components.support import MAX_SUPPORTERS, Support

from helpers import make_state, today, uniforms


def test_supporters_are_there_with_their_availability_and_relief_is_capped():
    sc, s = make_state(n=4000, scenario="village")
    t = today(s, sc, 10, {"supporters": uniforms((s.n, MAX_SUPPORTERS), 2)})
    Support().step(t)
    there = s.sup_present[s.sup_exists].mean()
    assert abs(there - s.sup_availability[s.sup_exists].mean()) < 0.01
    assert not (s.sup_present & ~s.sup_exists).any()
    assert s.relief_today.max() <= sc.support.max_relief
    assert np.allclose(s.support_today, (s.sup_present * s.sup_quality).sum(axis=1))


def test_no_network_no_relief():
    sc, s = make_state(n=200, overrides={"support.size": {"mean": 0.0, "sd": 0.0}, "support.health_visitor": 0.0})
    Support().step(today(s, sc, 10, {"supporters": uniforms((s.n, MAX_SUPPORTERS), 2)}))
    assert s.support_today.sum() == 0 and s.relief_today.sum() == 0 and s.relief_quality.sum() == 0

"""signals: how many bids a day, of which kind."""

import numpy as np

from simulation.model.components import signals

from helpers import episodes_of, make_state, today, uniforms


def test_strategies_shape_signals_but_muting_hides_the_bid_not_the_distress():
    # amplifying: more distress signals (Cassidy & Berlin 1994); muting: as much distress (Ainsworth et al. 1978)
    sc, s = make_state()
    base = signals.signal_rates(s, 120, sc.infant)[0].mean()
    s.amplify[:] = 1.0
    louder = signals.signal_rates(s, 120, sc.infant)[0].mean()
    s.amplify[:] = 0.0
    s.mute[:] = 1.0
    muted = signals.signal_rates(s, 120, sc.infant)[0].mean()
    assert louder > base == muted


def test_a_muting_infant_hides_a_share_of_its_distress_from_the_caregiver():
    from simulation.model.components.perception import notice_probabilities
    sc, s = make_state(attention_today=0.7, mute=1.0, relief_today=0.0)
    ep = episodes_of(signals.FUSS, s, sc)
    would = notice_probabilities(s.attention_today)[0].mean()
    shown = 1.0 - sc.infant.mute_signals
    # independent calculation: noticed = would-notice x shown; hidden = would-notice x (1 - shown)
    assert abs(ep.noticed.mean() - would * shown) < 0.01
    assert abs(ep.hidden.mean() - would * (1 - shown)) < 0.01
    assert not (ep.hidden & ep.noticed).any()


def test_crying_is_on_a_plateau_for_six_weeks_then_drops():
    # Wolke, Bilgin & Samara 2017: stable for the first 6 weeks, down by about half at 10-12 weeks
    infant = make_state(n=1)[0].infant
    first = [signals.crying_curve(day, infant) for day in range(0, 43)]
    assert min(first) > 0.8 * max(first)
    assert signals.crying_curve(77, infant) < 0.7 * signals.crying_curve(35, infant)
    assert signals.crying_curve(365, infant) < signals.crying_curve(120, infant)


def test_signal_counts_follow_the_rates():
    # binomial slots: the mean count of each kind is its expected rate (well below capacity)
    sc, s = make_state(n=4000)
    u = uniforms((s.n, 16, 3), 5)
    t = today(s, sc, 150, {"kind": u[:, :, 0], "cry": u[:, :, 1], "valence": u[:, :, 2]})
    signals.Signals().step(t)
    distress, smiles, faces = signals.signal_rates(s, 150, sc.infant)
    counts = {k: (t.kind == k).sum(axis=1).mean() for k in (signals.CRY, signals.FUSS, signals.SMILE, signals.AMBIGUOUS)}
    assert abs(counts[signals.CRY] + counts[signals.FUSS] - distress.mean()) < 0.1
    assert abs(counts[signals.SMILE] - smiles.mean()) < 0.1 and abs(counts[signals.AMBIGUOUS] - faces.mean()) < 0.1
    assert (t.valence[t.kind == signals.CRY] == -1.0).all()
    assert abs(t.valence[t.kind == signals.AMBIGUOUS].std() - sc.infant.ambiguous_spread) < 0.01


def test_no_smiles_before_six_weeks():
    sc, s = make_state(n=10)
    assert signals.signal_rates(s, 30, sc.infant)[1].max() == 0.0
    assert np.all(signals.signal_rates(s, 200, sc.infant)[1] > 0)

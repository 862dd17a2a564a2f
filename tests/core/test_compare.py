"""Pre/post comparison: spike detector, metrics, matching, change with intervals, rankings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.core.compare import (
    CompareError,
    Comparison,
    array_source,
    compare,
    compute_metrics,
    detect_spikes,
    epoch_features,
    match_channels,
    parse_treated,
    seizure_epochs,
)
from app.core.compare.bootstrap import interval, replicate_means
from app.core.compare.export import comparison_dict
from app.core.compare.features import available_bands
from app.core.compare.seeg import group_by_shaft, shaft_of
from app.core.compare.topomap import electrode_xy, interpolate_disc, scalp_layout
from app.core.simulate import SimulationSpec, generate, truth_annotations
from tests.core.compare_helpers import TREATED, metrics_of, scalp_pair, seeg_pair


@pytest.fixture(scope="module")
def seeg() -> Comparison:
    pre, post = seeg_pair()
    return compare(
        metrics_of(pre, label="pre.edf", seed=1, with_truth=True),
        metrics_of(post, label="post.edf", seed=2, with_truth=True),
        TREATED,
    )


@pytest.fixture(scope="module")
def scalp() -> Comparison:
    pre, post = scalp_pair()
    return compare(metrics_of(pre, label="a", seed=1), metrics_of(post, label="b", seed=2))


# --- the simulated SEEG pair ----------------------------------------------------------------
def test_seeg_treated_contacts_rank_first_with_decreases_excluding_zero(seeg: Comparison) -> None:
    top = seeg.ranking[:3]
    assert {e.name for e in top} == set(TREATED)
    for entry in top:
        assert entry.treated
        assert entry.decrease.value > 0.4  # discharges per minute
        assert entry.decrease.low > 0  # the 95 % interval excludes zero
    assert set(seeg.combined_ranking[:3]) == set(TREATED)
    assert not any(e.treated for e in seeg.ranking[3:])


def test_seeg_untreated_spike_foci_keep_discharging(seeg: Comparison) -> None:
    spike = seeg.metric_index("spike_rate")
    for name in ("A'1", "A'2"):
        change = seeg.channel(name).changes[spike]
        assert change.pre.value > 0.4 and change.post.value > 0.4
        assert change.diff.low < 0 < change.diff.high  # no significant change


def test_seeg_seizure_burden_disappears_on_treated_contacts(seeg: Comparison) -> None:
    burden = seeg.metric_index("seizure_burden")
    change = seeg.channel("B'2").changes[burden]
    assert change.pre.value > 5.0  # % of the 10 minutes (one 60-s seizure)
    assert change.post.value == 0.0
    assert change.diff.high < 0
    assert seeg.model == "truth"


def test_seeg_shaft_changes_and_treated_flags(seeg: Comparison) -> None:
    assert [s.shaft for s in seeg.shafts] == ["A'", "B'", "TP'"]
    b = next(s for s in seeg.shafts if s.shaft == "B'")
    assert b.treated == TREATED and len(b.contacts) == 12
    spike = seeg.metric_index("spike_rate")
    assert b.changes[spike].diff.high < 0
    tp = next(s for s in seeg.shafts if s.shaft == "TP'")
    assert tp.changes[spike].pre.value < 0.05  # (almost) no discharges there before or after
    assert tp.changes[spike].diff.low <= 0 <= tp.changes[spike].diff.high
    assert [ch.name for ch in seeg.channels if ch.treated] == list(TREATED)
    assert seeg.channel("B'1").shaft == "B'"


def test_seeg_background_power_falls_on_coagulated_contacts(seeg: Comparison) -> None:
    for key in ("power_delta", "power_gamma", "line_length"):
        change = seeg.channel("B'2").changes[seeg.metric_index(key)]
        assert change.diff.high < 0
    assert seeg.channel("B'2").changes[seeg.metric_index("power_delta")].diff.value < -3.0  # dB


def test_json_export_has_the_documented_keys(seeg: Comparison) -> None:
    data = comparison_dict(seeg, replicates=1000)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["kind"] == "seeg"
    channel = data["channels"][0]
    assert {"name", "pre", "post", "change"} <= channel.keys()
    assert {"value", "low", "high"} <= channel["change"]["spike_rate"].keys()
    assert data["ranking"][0]["name"] in TREATED and data["ranking"][0]["rank"] == 1
    assert data["shafts"][1]["treated"] == list(TREATED)
    assert data["unmatched"] == {"pre_only": [], "post_only": []}


# --- scalp --------------------------------------------------------------------------------
def test_scalp_pair_ranks_the_spike_focus_first(scalp: Comparison) -> None:
    assert {e.name for e in scalp.ranking[:2]} == {"F7", "T7"}
    assert all(e.decrease.low > 0 for e in scalp.ranking[:2])
    spike = scalp.metric_index("spike_rate")
    significant = [ch.name for ch in scalp.channels if ch.changes[spike].significant]
    assert set(significant) <= {"F7", "T7", "P7", "F3"}
    assert scalp.shafts == () and scalp.kind == "scalp"
    assert not scalp.has_metric("seizure_burden")  # the model did not run


# --- mismatched channel sets ----------------------------------------------------------------
def test_mismatched_channels_are_listed_both_ways() -> None:
    pre_spec, post_spec = scalp_pair(120.0)
    pre = metrics_of(pre_spec, label="pre", seed=1, names=("Fp1", "F7", "T7", "O1", "Cz"))
    post = metrics_of(post_spec, label="post", seed=2, names=("F7", "T7", "O1", "O2", "Pz"))
    comp = compare(pre, post, treated=("T7", "X9"))
    assert [ch.name for ch in comp.channels] == ["F7", "T7", "O1"]
    assert comp.only_pre == ("Fp1", "Cz") and comp.only_post == ("O2", "Pz")
    assert [e.name for e in comp.ranking if e.treated] == ["T7"]
    assert comp.treated_missing == ("X9",)
    data = comparison_dict(comp)
    assert data["unmatched"] == {"pre_only": ["Fp1", "Cz"], "post_only": ["O2", "Pz"]}


def test_no_common_channel_is_a_clear_error() -> None:
    spec, _ = scalp_pair(120.0)
    a = metrics_of(spec, label="a", seed=1, names=("Fp1", "F7"))
    b = metrics_of(spec, label="b", seed=2, names=("O1", "O2"))
    with pytest.raises(CompareError, match="no channel name is common"):
        compare(a, b)


def test_matching_uses_aliases_and_never_positions() -> None:
    m = match_channels(["EEG T3-REF", "Fp1", "A'01", "B1"], ["t7", "A’1", "FP1", "B2"])
    assert [(p.name, p.post_name) for p in m.pairs] == [
        ("EEG T3-REF", "t7"),
        ("Fp1", "FP1"),
        ("A'01", "A’1"),
    ]
    assert m.only_pre == ("B1",) and m.only_post == ("B2",)
    bipolar = match_channels(["T3-T5", "Fp1-F7"], ["T7-P7", "Fp2-F8"])
    assert [p.name for p in bipolar.pairs] == ["T3-T5"]


def test_too_short_recording_is_rejected() -> None:
    source = array_source(np.zeros((2, 256 * 30)), ("Fp1", "Fp2"), 256.0, label="short.edf")
    with pytest.raises(CompareError, match="too short"):
        epoch_features(source)


# --- treated contacts and shafts ---------------------------------------------------------------
def test_parse_treated_accepts_what_surgeons_type() -> None:
    assert parse_treated("B'1-3, A’2;TP1") == ("B'1", "B'2", "B'3", "A'2", "TP1")
    assert parse_treated("B'1-B'2 B'2") == ("B'1", "B'2")
    assert parse_treated(["Fp1-F7", "T3"]) == ("Fp1-F7", "T3")
    with pytest.raises(CompareError, match="low to high"):
        parse_treated("A3-1")


def test_shaft_grouping_orders_contacts_by_number() -> None:
    groups = group_by_shaft(["B'10", "A1", "B'2", "B'1-B'2", "ECG", "A3"])
    assert groups == {"B'": ("B'1-B'2", "B'2", "B'10"), "A": ("A1", "A3")}
    assert shaft_of("TP'3") == "TP'" and shaft_of("ECG") is None


# --- the spike detector -----------------------------------------------------------------------
def test_spike_detector_finds_simulated_discharges_and_not_background() -> None:
    spec = SimulationSpec(
        duration_s=120.0, kind="seeg", channels=("A1", "A2", "A3", "B1", "B2", "B3"),
        spikes_per_hour=1800.0, spike_channels=("A1",), seed=3,
    )  # fmt: skip
    data = generate(spec, 0.0, spec.duration_s)
    found = detect_spikes(data, spec.sfreq)
    truth = [a.onset for a in truth_annotations(spec) if a.description == "Spike"]
    assert len(truth) >= 30
    hits = sum(np.any(np.abs(found[0] - t - 0.02) < 0.1) for t in truth if 1 < t < 119)
    assert hits >= 0.8 * sum(1 < t < 119 for t in truth)
    assert len(found[0]) <= len(truth) + 2
    assert all(len(f) == 0 for f in found[3:])  # far shaft: background only


def test_spike_detector_ignores_a_pure_sine_and_short_input() -> None:
    fs = 256.0
    t = np.arange(int(60 * fs)) / fs
    sine = 50.0 * np.sin(2 * np.pi * 20.0 * t)[None, :]
    assert len(detect_spikes(sine, fs)[0]) <= 1
    assert len(detect_spikes(np.zeros((1, 100)), fs)[0]) == 0


# --- features and bootstrap ---------------------------------------------------------------------
def test_band_power_and_line_length_of_a_known_sine() -> None:
    fs, amp, f0 = 256.0, 40.0, 10.0
    t = np.arange(int(120 * fs)) / fs
    x = np.stack([amp * np.sin(2 * np.pi * f0 * t), np.zeros_like(t)])
    feats = epoch_features(array_source(x, ("Cz", "Pz"), fs))
    names = [b.name for b in feats.bands]
    alpha = feats.band_power[names.index("alpha"), 0]
    assert np.allclose(alpha, amp**2 / 2, rtol=0.05)  # µV²
    assert feats.band_power[names.index("delta"), 0].max() < 0.01 * amp**2
    assert np.allclose(feats.line_length[0], 4 * amp * f0, rtol=0.03)  # µV/s
    assert feats.n_epochs == 12 and feats.spikes.sum() == 0
    metrics = compute_metrics(feats, replicates=200)
    alpha_db = metrics.estimate("power_alpha", 0)
    assert alpha_db.value == pytest.approx(10 * np.log10(amp**2 / 2), abs=0.3)
    assert alpha_db.low <= alpha_db.value <= alpha_db.high


def test_bands_follow_the_sampling_rate() -> None:
    assert [b.label for b in available_bands(256.0)][-1] == "gamma 30-80 Hz"
    assert [b.label for b in available_bands(100.0)][-1] == "gamma 30-45 Hz"
    assert [b.name for b in available_bands(20.0)] == ["delta", "theta"]
    # Two recordings at different rates share the slower one's bands.
    source = array_source(np.zeros((1, 256 * 60)), ("Cz",), 256.0)
    feats = epoch_features(source, band_rate=100.0)
    assert feats.bands[-1].label == "gamma 30-45 Hz" and feats.band_power.shape == (5, 1, 6)


def test_bootstrap_is_deterministic_and_centred() -> None:
    rng = np.random.default_rng(0)
    values = rng.poisson(3.0, size=(2, 400)).astype(float)
    values[1] = 5.0
    a = replicate_means(values, 500, seed=7)
    assert np.array_equal(a, replicate_means(values, 500, seed=7))
    low, high = interval(a)
    assert low[0] < values[0].mean() < high[0]
    assert high[0] - low[0] == pytest.approx(2 * 1.96 * np.sqrt(3.0 / 400), rel=0.25)
    assert low[1] == high[1] == 5.0


def test_seizure_epochs_from_channel_probability() -> None:
    prob = np.zeros((2, 120), dtype=np.float32)
    prob[0, 25:55] = 0.9  # one 30-s seizure from 25 s
    prob[1, :] = np.nan  # not computed
    burden, onsets = seizure_epochs(prob, ("A1", "A2"), ("A2", "A1", "ZZ"), n_epochs=12, epoch_s=10)
    assert np.allclose(burden[1, :6], [0, 0, 0.5, 1, 1, 0.5])
    assert onsets[1].tolist() == [0, 0, 1] + [0] * 9
    assert np.isnan(burden[0]).all() and np.isnan(burden[2]).all()


# --- scalp map ---------------------------------------------------------------------------------
def test_scalp_positions_and_map() -> None:
    cz, fpz, t7 = electrode_xy("Cz"), electrode_xy("Fpz"), electrode_xy("T3")
    assert cz is not None and fpz is not None and t7 is not None
    assert np.hypot(*cz) < 0.1 and fpz[1] > 0.9 and t7[0] < -0.9
    assert electrode_xy("ECG") is None and electrode_xy("A'1") is None
    layout = scalp_layout(["Fp1", "Fp2", "O1", "O2", "Cz", "ECG"])
    assert list(layout) == ["Fp1", "Fp2", "O1", "O2", "Cz"]
    xy = np.array(list(layout.values()))
    disc = interpolate_disc(xy, np.array([1.0, 1.0, -1.0, -1.0, 0.0]), size=32)
    assert np.nanmax(disc) <= 1.0 and np.nanmin(disc) >= -1.0
    assert disc[2, 16] > 0.5 and disc[29, 16] < -0.5  # front positive, back negative
    assert np.isnan(disc[0, 0])


def test_many_channels_split_into_rows_on_one_scale(seeg: Comparison) -> None:
    from app.core.compare.figures import bars_span, change_bars, split_bars

    bars = change_bars(seeg, "spike_rate")
    assert split_bars(bars) == (bars,)  # 30 channels fit one row
    rows = split_bars(bars, most=12)
    assert rows[0].names == bars.names[:10]  # whole shafts where they fit
    assert sum(len(r.names) for r in rows) == len(bars.names)
    assert all(len(r.names) <= 12 for r in rows)
    assert {r.span for r in rows} == {bars_span(bars)} and len({r.limit for r in rows}) == 1
    assert next(r.treated for r in rows if any(r.treated))[:3] == (True, True, True)
    assert rows[1].title.endswith("(continued)")

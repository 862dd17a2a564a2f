"""Whole-night trends: hemisphere plans, CDSA spectra, aEEG calibration, chunking, cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core import aeeg
from app.core.recording import open_recording
from app.core.session import Session
from app.core.simulate import generate
from app.core.trend_plan import plan_trends
from app.core.trend_result import (
    GROUP,
    Trends,
    compute_trends,
    load_cached,
    save_cached,
    trends_from_group,
    trends_to_group,
)
from app.core.trends import TrendSettings
from tests.core.trend_helpers import (
    LEFT,
    RIGHT,
    SCALP_23,
    SFREQ,
    absence_spec,
    array_reader,
    channels,
    left_alpha_recording,
    sine,
    write_night,
)

CHB_MIT = [
    "FP1-F7",
    "F7-T7",
    "T7-P7",
    "P7-O1",
    "FP1-F3",
    "F3-C3",
    "C3-P3",
    "P3-O1",
    "FP2-F4",
    "F4-C4",
    "C4-P4",
    "P4-O2",
    "FP2-F8",
    "F8-T8",
    "T8-P8",
    "P8-O2",
    "FZ-CZ",
    "CZ-PZ",
]


def _trends(data: np.ndarray, names=SCALP_23, settings: TrendSettings | None = None) -> Trends:
    plan = plan_trends(channels(names))
    empty = Trends.empty(plan, settings or TrendSettings(), SFREQ, data.shape[1])
    return compute_trends(array_reader(data), empty)


# --- which channels -------------------------------------------------------------------------
def test_scalp_hemispheres_are_odd_and_even_without_midline_ears_or_ecg() -> None:
    plan = plan_trends(channels(SCALP_23))
    left, right = plan.groups
    assert (left.key, right.key) == ("left", "right")
    assert set(left.names) == set(LEFT) and set(right.names) == set(RIGHT)
    assert [(d.key, d.label) for d in plan.derivations] == [("left", "C3-P3"), ("right", "C4-P4")]


def test_bipolar_recording_uses_the_left_and_right_chains() -> None:
    plan = plan_trends(channels(CHB_MIT))
    left, right = plan.groups
    assert left.names == ("Fp1-F7", "F7-T7", "T7-P7", "P7-O1", "Fp1-F3", "F3-C3", "C3-P3", "P3-O1")
    assert "Fz-Cz" not in left.names + right.names and len(right.names) == 8
    assert [(d.label, d.minus) for d in plan.derivations] == [("C3-P3", None), ("C4-P4", None)]


def test_seeg_primed_shafts_are_left_and_unprimed_right() -> None:
    names = [f"{shaft}{i}" for shaft in ("A'", "B'", "A", "TP") for i in range(1, 6)]
    plan = plan_trends(channels(names))
    left, right = plan.groups
    assert left.names[0] == "A'1" and len(left.names) == 10 and right.names[-1] == "TP5"
    assert [d.label for d in plan.derivations] == ["A'1-A'2", "A1-A2"]
    one_side = plan_trends(channels([f"B{i}" for i in range(1, 9)]))
    assert [g.key for g in one_side.groups] == ["all"] and len(one_side.groups[0].channels) == 8


def test_aeeg_falls_back_to_the_next_standard_pair() -> None:
    names = [n for n in SCALP_23 if n not in ("P3", "P4")]
    assert [d.label for d in plan_trends(channels(names)).derivations] == ["Fp1-C3", "Fp2-C4"]


# --- CDSA -----------------------------------------------------------------------------------
def test_a_left_10_hz_rhythm_peaks_on_the_left_map_only() -> None:
    trends = _trends(left_alpha_recording())
    f = trends.freqs
    i10 = int(np.argmin(np.abs(f - 10.0)))
    left, right = trends.cdsa["left"], trends.cdsa["right"]
    assert left.shape == (12, 40) and f[0] == 0.5 and f[-1] == 20.0
    assert set(f[np.argmax(left, axis=1)]) == {10.0}
    # 40 µV p-p sine over 2 µV white noise: ~+29 dB at 10 Hz on the left, none on the right.
    assert np.all(left[:, i10] - right[:, i10] > 20.0)
    assert np.all(np.abs(right[:, i10] - np.median(right)) < 3.0)
    assert np.all(np.abs(left[:, i10 + 4] - right[:, i10 + 4]) < 3.0)  # 12 Hz: same noise


def test_an_absence_shows_as_3_hz_power_at_its_time() -> None:
    spec = absence_spec(duration_s=600.0, onset_s=300.0)
    data = generate(spec, 0.0, spec.duration_s)
    trends = _trends(data)
    f = trends.freqs
    i3 = int(np.argmin(np.abs(f - 3.0)))
    for key in ("left", "right"):
        m = trends.cdsa[key]
        baseline = np.median(m[:, i3])
        during = m[30, i3]  # bin 300-310 s
        assert during - baseline > 10.0
        assert abs(f[np.argmax(m[30])] - 3.0) <= 0.5
        quiet = np.r_[0:28, 33:60]
        assert np.all(m[quiet, i3] - baseline < 6.0)


def test_flat_channels_are_left_out_of_the_hemisphere_average() -> None:
    data = left_alpha_recording(60.0)
    with_flat = data.copy()
    with_flat[SCALP_23.index("O1")] = 0.0
    assert np.all(np.isfinite(_trends(with_flat).cdsa["left"]))
    names = tuple(n if n != "O1" else "X1" for n in SCALP_23)  # O1 not part of the plan
    np.testing.assert_allclose(_trends(with_flat).cdsa["left"], _trends(data, names).cdsa["left"])


# --- aEEG -----------------------------------------------------------------------------------
def test_aeeg_of_a_50_uv_sine_reads_50_uv() -> None:
    data = np.zeros((len(SCALP_23), round(120 * SFREQ)), np.float32)
    data[SCALP_23.index("C3")] = sine(10.0, 50.0, 120.0)
    data[SCALP_23.index("C4")] = sine(10.0, 8.0, 120.0)
    trends = _trends(data)
    left, right = trends.aeeg["left"], trends.aeeg["right"]
    assert left.shape == (8, 2)
    np.testing.assert_allclose(left[1:-1], 50.0, rtol=0.02)  # edges see the recording ends
    np.testing.assert_allclose(right[1:-1], 8.0, rtol=0.02)


def test_aeeg_filter_emphasises_higher_frequencies_within_2_to_15_hz() -> None:
    gains = {f: aeeg.filter_gain(SFREQ, f) for f in (0.5, 1.0, 3.0, 5.0, 10.0, 15.0, 25.0)}
    assert gains[10.0] == pytest.approx(1.0, abs=1e-9)
    assert gains[5.0] == pytest.approx(0.5**0.6, rel=0.03)  # +12 dB/decade
    assert gains[3.0] < gains[5.0] < gains[10.0] < gains[15.0]
    assert max(gains[0.5], gains[25.0]) < 0.01 and gains[1.0] < 0.1


def test_semilog_maps_10_uv_to_the_breakpoint() -> None:
    np.testing.assert_allclose(
        aeeg.semilog([0.0, 5.0, 10.0, 50.0, 100.0]), [0, 0.5, 1, 1.699, 2], atol=1e-3
    )
    values = np.array([0.0, 3.0, 10.0, 42.0, 100.0, 180.0])
    np.testing.assert_allclose(aeeg.semilog_inverse(aeeg.semilog(values)), values)


def test_aeeg_margins_follow_bursts_and_suppression() -> None:
    duration = 60.0
    burst = sine(10.0, 100.0, duration)
    t = np.arange(len(burst)) / SFREQ
    burst[(t % 6.0) >= 1.0] *= 0.03  # 1-s bursts of 100 µV every 6 s over 3 µV
    values = aeeg.envelope(np.r_[np.zeros(512), burst, np.zeros(512)], SFREQ, 512)
    margins = aeeg.margins(values, 30, len(values))
    assert np.all(margins[:, 0] < 4.0) and np.all(margins[:, 1] > 90.0)


# --- streaming ------------------------------------------------------------------------------
def test_chunked_computation_equals_the_whole_recording_at_once() -> None:
    data = generate(absence_spec(duration_s=605.0), 0.0, 605.0)
    small = _trends(data, settings=TrendSettings(chunk_s=30.0))
    whole = _trends(data, settings=TrendSettings(chunk_s=900.0))
    assert small.geometry.n_chunks == 21 and whole.geometry.n_chunks == 1
    for key in ("left", "right"):
        np.testing.assert_allclose(small.cdsa[key], whole.cdsa[key], rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(small.aeeg[key], whole.aeeg[key], rtol=1e-5)
    assert small.cdsa["left"].shape == (61, 40)  # 600-605 s: a last partial bin
    assert np.all(np.isfinite(small.cdsa["left"])) and np.all(np.isfinite(small.aeeg["left"]))


def test_a_stopped_computation_resumes_to_the_same_result() -> None:
    data = left_alpha_recording(300.0)
    settings = TrendSettings(chunk_s=60.0)
    plan = plan_trends(channels(SCALP_23))
    partial = Trends.empty(plan, settings, SFREQ, data.shape[1])
    seen: list[int] = []
    compute_trends(
        array_reader(data), partial, lambda c: seen.append(c.index), lambda: len(seen) == 2
    )
    assert (partial.chunks_done, partial.complete, partial.computed_s) == (2, False, 120.0)
    assert (
        np.isnan(partial.cdsa["left"][12:]).all() and np.isfinite(partial.cdsa["left"][:12]).all()
    )
    compute_trends(array_reader(data), partial)
    np.testing.assert_array_equal(
        partial.cdsa["left"], _trends(data, settings=settings).cdsa["left"]
    )


# --- cache ----------------------------------------------------------------------------------
def test_cache_round_trip_checks_parameters_and_fingerprint() -> None:
    trends = _trends(left_alpha_recording(60.0))
    arrays, attrs = trends_to_group(trends, "abc")
    assert set(arrays) == {"freqs", "cdsa_left", "cdsa_right", "aeeg_left", "aeeg_right"}
    empty = Trends.empty(trends.plan, trends.settings, SFREQ, trends.geometry.n_samples)
    back = trends_from_group(arrays, attrs, empty, "abc")
    assert back is not None and back.complete
    np.testing.assert_array_equal(back.cdsa["right"], trends.cdsa["right"])
    other = Trends.empty(trends.plan, TrendSettings(fmax_hz=25.0), SFREQ, trends.geometry.n_samples)
    assert trends_from_group(arrays, attrs, other, "abc") is None
    assert trends_from_group(arrays, attrs, empty, "another recording") is None


def test_trends_are_cached_in_the_session_file(tmp_path: Path) -> None:
    path = write_night(tmp_path / "night.edf", duration_s=60.0)
    with open_recording(path) as recording:
        plan = plan_trends(recording.channels)
        info = recording.info
        trends = compute_trends(
            recording.read_page, Trends.empty(plan, TrendSettings(), info.sfreq, info.n_samples)
        )
    session = Session.open(path, data_dir=tmp_path / "data")
    assert save_cached(session, trends, "fp")
    stored = Session.open(path, data_dir=tmp_path / "data").read_group(GROUP)
    assert stored is not None and stored.attrs["fingerprint"] == "fp"
    empty = Trends.empty(plan, TrendSettings(), info.sfreq, info.n_samples)
    cached = load_cached(session, empty, "fp")
    assert cached is not None and cached.complete
    np.testing.assert_array_equal(cached.aeeg["left"], trends.aeeg["left"])


def test_no_aeeg_below_40_hz_and_big_montages_get_shorter_chunks() -> None:
    assert plan_trends(channels(SCALP_23), sfreq=32.0).derivations == ()
    seeg = channels([f"{s}{i}" for s in ("A'", "B'", "C", "D") for i in range(1, 51)], 2048.0)
    plan = plan_trends(seeg, sfreq=2048.0)
    trends = Trends.empty(plan, TrendSettings(), 2048.0, round(3600 * 2048.0))
    assert trends.geometry.bins_per_chunk == 3 and trends.geometry.segments_per_chunk == 2  # 30 s

"""Display filters: pass-band kept, drift and mains removed, pages join without transients."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from app.core.errors import FilterError, IctalError
from app.core.filters import (
    FilterSettings,
    design_sos,
    effective_settings,
    filter_array,
    pad_seconds,
    read_filtered,
)

SFREQ = 256.0
Array = npt.NDArray[np.float64]


def _time(seconds: float, sfreq: float = SFREQ) -> Array:
    return np.arange(round(seconds * sfreq)) / sfreq


def _reader(data: Array, sfreq: float = SFREQ) -> Callable[[float, float], Array]:
    """A page reader over an in-memory (channels, samples) array, clipped like a recording."""

    def read(start_s: float, duration_s: float) -> Array:
        first = max(0, round(start_s * sfreq))
        last = min(data.shape[-1], round((start_s + duration_s) * sfreq))
        return data[..., first:last]

    return read


def _eeg_like(seconds: float, seed: int = 0) -> Array:
    """Two channels: slow drift + alpha + spiky noise, in µV."""
    t = _time(seconds)
    rng = np.random.default_rng(seed)
    drift = 80 * np.sin(2 * np.pi * 0.13 * t + 0.4) + 0.5 * np.cumsum(rng.normal(0, 1, t.size))
    alpha = 30 * np.sin(2 * np.pi * 10 * t)
    noise = rng.normal(0, 10, (2, t.size))
    return np.vstack([drift + alpha, -drift + 0.5 * alpha]) + noise


def test_defaults_are_the_clinical_ones() -> None:
    settings = FilterSettings()
    assert (settings.highpass, settings.lowpass, settings.notch) == (1.0, 70.0, None)
    assert design_sos(settings, SFREQ).shape == (4, 6)  # 2 sections per order-4 band
    assert design_sos(FilterSettings(notch=50.0), SFREQ).shape == (5, 6)
    assert design_sos(settings, SFREQ) is design_sos(FilterSettings(), SFREQ)  # cached


def test_ten_hz_passes_within_two_percent() -> None:
    t = _time(20)
    x = np.sin(2 * np.pi * 10 * t)
    for settings in (FilterSettings(), FilterSettings(notch=50.0), FilterSettings(notch=60.0)):
        y = filter_array(x, SFREQ, settings)
        assert y.dtype == np.float32
        middle = y[5 * 256 : 15 * 256]
        assert np.max(np.abs(middle)) == pytest.approx(1.0, abs=0.02)
        assert np.sqrt(np.mean(middle**2)) == pytest.approx(np.sqrt(0.5), rel=0.02)


def test_slow_drift_is_removed_by_the_high_pass() -> None:
    t = _time(60)
    drift = 100 * np.sin(2 * np.pi * 0.3 * t)
    page = read_filtered(_reader(drift[None]), 20, 20, SFREQ, FilterSettings(), total_s=60)
    residual = np.sqrt(np.mean(page**2)) / np.sqrt(np.mean(drift**2))
    assert residual < 0.05
    unfiltered = read_filtered(_reader(drift[None]), 20, 20, SFREQ, FilterSettings(None, 70.0))
    assert np.sqrt(np.mean(unfiltered**2)) / np.sqrt(np.mean(drift**2)) > 0.9


def test_notch_attenuates_mains_by_more_than_20_db() -> None:
    for mains in (50.0, 60.0):
        x = np.sin(2 * np.pi * mains * _time(20))
        y = filter_array(x, SFREQ, FilterSettings(highpass=None, lowpass=None, notch=mains))
        gain = np.sqrt(np.mean(y[5 * 256 : 15 * 256] ** 2)) / np.sqrt(0.5)
        assert 20 * np.log10(gain) < -20
        # A 70 Hz low-pass alone would let mains through almost untouched.
        plain = filter_array(x, SFREQ, FilterSettings())
        assert np.sqrt(np.mean(plain[5 * 256 : 15 * 256] ** 2)) > 0.6


def test_adjacent_pages_join_without_edge_transients() -> None:
    data = _eeg_like(60)
    settings = FilterSettings()
    whole = filter_array(data, SFREQ, settings)
    read = _reader(data)
    first = read_filtered(read, 20, 10, SFREQ, settings, total_s=60)
    second = read_filtered(read, 30, 10, SFREQ, settings, total_s=60)
    assert first.shape == second.shape == (2, 2560)
    joined = np.concatenate([first, second], axis=-1)
    scale = np.std(whole)
    border = slice(2560 - 64, 2560 + 64)  # a quarter second either side of the page border
    assert np.max(np.abs(joined - whole[:, 20 * 256 : 40 * 256])) < 1e-3 * scale
    # Without neighbouring data the same pages show a transient at the border.
    alone = np.concatenate(
        [filter_array(read(20, 10), SFREQ, settings), filter_array(read(30, 10), SFREQ, settings)],
        axis=-1,
    )
    assert np.max(np.abs(alone[:, border] - whole[:, 20 * 256 : 40 * 256][:, border])) > (
        0.05 * scale
    )


def test_recording_edges_are_clipped_not_zero_padded() -> None:
    data = _eeg_like(30, seed=1)
    settings = FilterSettings(highpass=0.5, lowpass=35.0, notch=50.0)
    whole = filter_array(data, SFREQ, settings)
    read = _reader(data)
    start = read_filtered(read, 0, 10, SFREQ, settings, total_s=30)
    end = read_filtered(read, 20, 10, SFREQ, settings, total_s=30)
    scale = np.std(whole)
    assert np.max(np.abs(start - whole[:, :2560])) < 1e-3 * scale
    assert np.max(np.abs(end - whole[:, -2560:])) < 1e-3 * scale


def test_montage_then_filter_is_the_same_as_filter_then_montage() -> None:
    data = _eeg_like(40, seed=2)
    bipolar = np.array([[1.0, -1.0]])

    def read_bipolar(start_s: float, duration_s: float) -> Array:
        page: Array = bipolar @ _reader(data)(start_s, duration_s)
        return page

    settings = FilterSettings()
    after = read_filtered(read_bipolar, 15, 10, SFREQ, settings, total_s=40)
    before = bipolar @ read_filtered(_reader(data), 15, 10, SFREQ, settings, total_s=40)
    np.testing.assert_allclose(after, before, atol=1e-3)


def test_no_filter_reads_the_page_as_is() -> None:
    data = _eeg_like(10, seed=3)
    off = FilterSettings(highpass=None, lowpass=None, notch=None)
    assert not off.active
    assert pad_seconds(off) == 0.0
    page = read_filtered(_reader(data), 2, 3, SFREQ, off)
    np.testing.assert_array_equal(page, data[:, 512:1280].astype(np.float32))


def test_padding_follows_the_slowest_filter() -> None:
    assert pad_seconds(FilterSettings()) == pytest.approx(3.83, abs=0.01)
    assert pad_seconds(FilterSettings(highpass=0.5)) == pytest.approx(7.66, abs=0.02)
    assert pad_seconds(FilterSettings(highpass=0.05)) == 10.0  # capped
    assert pad_seconds(FilterSettings(highpass=None)) == 1.0  # low-pass alone: the minimum
    assert 1.0 < pad_seconds(FilterSettings(highpass=None, lowpass=None, notch=50.0)) < 2.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"highpass": 40.0, "lowpass": 30.0}, "must be below the low-pass"),
        ({"highpass": 5.0, "lowpass": 5.0}, "must be below the low-pass"),
        ({"highpass": -1.0}, "positive"),
        ({"lowpass": 0.0}, "positive"),
        ({"notch": float("nan")}, "positive"),
    ],
)
def test_impossible_settings_are_rejected(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(FilterError, match=message) as info:
        FilterSettings(**kwargs)
    assert isinstance(info.value, IctalError)
    assert "\n" not in str(info.value)


def test_cutoffs_above_nyquist_are_switched_off_with_a_reason() -> None:
    settings, why = effective_settings(FilterSettings(lowpass=70.0, notch=60.0), 100.0)
    assert (settings.highpass, settings.lowpass, settings.notch) == (1.0, None, None)
    assert "low-pass 70 Hz off" in why
    assert "notch 60 Hz off" in why
    assert effective_settings(FilterSettings(), 256.0) == (FilterSettings(), "")
    assert design_sos(FilterSettings(lowpass=70.0), 100.0).shape == (2, 6)
    with pytest.raises(FilterError, match="Nyquist"):
        effective_settings(FilterSettings(highpass=60.0, lowpass=None), 100.0)

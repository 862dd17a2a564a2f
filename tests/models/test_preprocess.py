"""Preprocessing: any rate to 128 Hz, robust normalisation, window planning."""

from __future__ import annotations

import numpy as np
import pytest

from models.preprocess import (
    normalise,
    prepare,
    rate_ratio,
    resample,
    window_starts,
    window_weights,
)


@pytest.mark.parametrize("sfreq", [64.0, 173.61, 200.0, 250.0, 256.0, 500.0, 512.0, 1000.0])
def test_rate_ratio_is_accurate(sfreq: float) -> None:
    up, down = rate_ratio(sfreq)
    assert abs(sfreq * up / down - 128) / 128 < 5e-4


def test_resample_keeps_a_10_hz_rhythm() -> None:
    t = np.arange(0, 10, 1 / 256)
    x = np.sin(2 * np.pi * 10 * t)[None].astype(np.float32)
    y = resample(x, 256.0)
    assert y.shape == (1, 1280)
    spectrum = np.abs(np.fft.rfft(y[0]))
    assert np.argmax(spectrum) == 100  # 10 Hz at 0.1 Hz resolution


def test_normalisation_is_robust_to_a_short_burst() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 128 * 60)).astype(np.float32) * 20
    x[0, 128 * 10 : 128 * 20] *= 10  # a 10-s high-amplitude seizure
    z = normalise(x)
    background = z[0, 128 * 30 :]
    assert 0.8 < background.std() < 1.2
    assert z[0, 128 * 10 : 128 * 20].std() > 5


def test_prepare_pads_to_whole_seconds_and_is_finite() -> None:
    x = np.full((2, 300), np.nan, dtype=np.float32)
    out = prepare(x, 200.0)
    assert out.shape == (2, 256) and np.isfinite(out).all()


def test_window_plan_covers_every_second() -> None:
    for n in (1, 29, 30, 31, 95, 1000):
        starts = window_starts(n, 30, 20)
        covered = np.zeros(n, bool)
        for s in starts:
            covered[s : s + min(30, n)] = True
        assert covered.all() and starts[-1] + min(30, n) == n
    w = window_weights(30)
    assert w.min() > 0 and w.max() == 1.0

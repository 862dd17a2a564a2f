"""The display filters run in the frequency domain: the same zero-phase filter as sosfiltfilt.

``filter_array`` multiplies the spectrum by ``|H(f)|²`` of the designed Butterworth and
notch filters; away from the ends of its input that is exactly what ``sosfiltfilt``
applies, so the page a reviewer sees is the textbook zero-phase filtered signal.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from app.core.filters import (
    FilterSettings,
    design_sos,
    fast_length,
    filter_array,
    pad_seconds,
    zero_phase_gain,
)
from tests.core.test_filters import SFREQ, _eeg_like


@pytest.mark.parametrize(
    "settings",
    [
        FilterSettings(),
        FilterSettings(notch=50.0),
        FilterSettings(highpass=0.5, lowpass=35.0, notch=60.0),
        FilterSettings(highpass=None, lowpass=None, notch=50.0),
        FilterSettings(highpass=None, lowpass=30.0),
    ],
)
def test_gain_is_the_squared_response_of_the_designed_filters(settings: FilterSettings) -> None:
    freqs = np.linspace(0.01, SFREQ / 2 - 0.01, 700)
    _, response = signal.sosfreqz(design_sos(settings, SFREQ), worN=freqs, fs=SFREQ)
    gain = zero_phase_gain(settings, SFREQ, freqs)
    np.testing.assert_allclose(gain, np.abs(response) ** 2, atol=1e-10)


@pytest.mark.parametrize(
    "settings",
    [FilterSettings(notch=50.0), FilterSettings(highpass=None, lowpass=None, notch=60.0)],
)
def test_filtering_matches_sosfiltfilt_away_from_the_ends(settings: FilterSettings) -> None:
    data = _eeg_like(60, seed=4) + 2500.0  # a large DC offset, as raw EEG has
    ours = filter_array(data, SFREQ, settings)
    padlen = int(pad_seconds(settings) * SFREQ)
    reference = signal.sosfiltfilt(design_sos(settings, SFREQ), data, padlen=padlen)
    middle = slice(2 * padlen, -2 * padlen)
    assert np.max(np.abs(ours[:, middle] - reference[:, middle])) < 1e-5 * np.max(np.abs(data))
    # At the ends both extend the data by odd reflection; they differ only slightly there.
    assert np.max(np.abs(ours - reference)) < 1e-3 * np.std(reference)


def test_fast_lengths_have_only_small_prime_factors() -> None:
    for n in (1, 2, 7, 97, 5120, 7081, 9041):
        length = fast_length(n)
        assert n <= length < 1.25 * n + 2
        rest = length
        for p in (2, 3, 5):
            while rest % p == 0:
                rest //= p
        assert rest == 1

"""Amplitude-integrated EEG (aEEG): the cerebral function monitor trace of a whole night.

Method, after Maynard, Prior & Scott (1969, the cerebral function monitor) as described
step by step for digital EEG by Zhang & Ding (2013, "Calculation of compact
amplitude-integrated EEG tracing and upper and lower margins using raw EEG data",
Health 5:885-891), and as displayed by Natus/Nicolet (Olympic Brainz) monitors:

1. One bipolar derivation per hemisphere (C3-P3 / C4-P4 by preference, see
   :mod:`app.core.trend_plan`).
2. Asymmetric band-pass 2-15 Hz whose gain rises 12 dB per decade (gain ∝ f^0.6)
   from 2 to 15 Hz, compensating the 1/f fall of EEG amplitude; activity below 2 Hz
   (sweat, movement) and above 15 Hz (muscle, mains) is strongly attenuated. A
   linear-phase FIR (about 2 s long) applied centred, so the trace has no delay.
   The gain is exactly 1 at :data:`CALIBRATION_HZ`.
3. Rectification and smoothing: mean of |x| over 0.5-s windows, times π, so the value
   reads **peak-to-peak amplitude** (the EEG convention): a 10 Hz sine of 50 µV
   peak-to-peak reads 50 µV.
4. Margins: in each 15-s segment, the lower margin is the minimum and the upper margin
   the maximum of the 0.5-s values - the band a CFM pen sweeps on paper at 6 cm/h.
5. Display on a semi-logarithmic axis: linear 0-10 µV in the lower half, logarithmic
   10-100 µV in the upper half (:func:`semilog`).

Reading (Hellström-Westas et al. 2006): continuous normal voltage has a lower margin
above 5 µV and an upper margin above 10 µV; discontinuous, a lower margin below 5 µV;
low voltage, an upper margin below 10 µV; a seizure is an abrupt rise of the lower
margin (an "arch"), often with a narrowing of the band.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt
import scipy  # submodules load on first use: scipy.signal costs ~0.6 s at start-up

#: Frequency (Hz) at which the aEEG filter has unit gain (the calibration point).
CALIBRATION_HZ = 10.0
#: Length of the FIR shaping filter and of the data read on each side of a chunk.
FIR_S = 2.0
PAD_S = 2.0
#: Envelope (smoothing) window and the default margin segment.
ENVELOPE_S = 0.5
#: Slope of the shaping filter between 2 and 15 Hz, in dB per decade.
SLOPE_DB_PER_DECADE = 12.0
#: The breakpoint of the semi-logarithmic display (µV) and its top (µV).
SEMILOG_BREAK_UV = 10.0
SEMILOG_TOP_UV = 100.0
#: Below this rate the 2-15 Hz band cannot be formed.
MIN_SFREQ = 40.0

FloatArray = npt.NDArray[np.float64]


def _shape(freqs: FloatArray) -> FloatArray:
    """The target gain: 0 below 1 Hz, rising 12 dB/decade from 2 to 15 Hz, 0 above 18 Hz."""
    exponent = SLOPE_DB_PER_DECADE / 20.0
    rise = (np.clip(freqs, 2.0, 15.0) / CALIBRATION_HZ) ** exponent
    low = np.clip(freqs - 1.0, 0.0, 1.0)  # ramp 1 -> 2 Hz
    high = np.clip((18.0 - freqs) / 3.0, 0.0, 1.0)  # ramp 15 -> 18 Hz
    gain: FloatArray = rise * low * high
    return gain


@functools.lru_cache(maxsize=8)
def aeeg_filter(sfreq: float) -> FloatArray:
    """The linear-phase FIR taps of the aEEG shaping filter at ``sfreq`` (unit gain at 10 Hz)."""
    if sfreq < MIN_SFREQ:
        raise ValueError(f"aEEG needs at least {MIN_SFREQ:g} Hz, got {sfreq:g} Hz")
    nyquist = sfreq / 2.0
    numtaps = 2 * round(FIR_S * sfreq / 2.0) + 1  # odd: type I, symmetric, centred
    freqs = np.linspace(0.0, nyquist, 1025)
    taps = np.asarray(
        scipy.signal.firwin2(numtaps, freqs, _shape(freqs), fs=sfreq), dtype=np.float64
    )
    _, response = scipy.signal.freqz(taps, worN=[CALIBRATION_HZ], fs=sfreq)
    taps /= abs(complex(response[0]))
    taps.setflags(write=False)
    return taps


def filter_gain(sfreq: float, freq_hz: float) -> float:
    """The aEEG filter's amplitude gain at ``freq_hz`` (1.0 at the calibration frequency)."""
    _, response = scipy.signal.freqz(aeeg_filter(sfreq), worN=[freq_hz], fs=sfreq)
    return abs(complex(response[0]))


def envelope(x: npt.NDArray[np.floating], sfreq: float, pad: int) -> FloatArray:
    """Peak-to-peak amplitude (µV) per 0.5-s window of ``x[pad:len(x) - pad]``.

    ``x`` carries ``pad`` samples of real neighbouring data on each side so that the
    filter has no edge transient inside the span; the span's length is a whole
    number of windows.
    """
    taps = aeeg_filter(sfreq)
    filtered = scipy.signal.oaconvolve(np.asarray(x, dtype=np.float64), taps, mode="same")
    core = np.abs(filtered[pad : len(filtered) - pad])
    step = round(ENVELOPE_S * sfreq)
    n = len(core) // step
    windows = core[: n * step].reshape(n, step)
    values: FloatArray = windows.mean(axis=1) * math.pi
    return values


def margins(values: FloatArray, per_segment: int, n_valid: int) -> FloatArray:
    """Lower and upper margin per segment of ``per_segment`` envelope values.

    Only the first ``n_valid`` values are real data (the rest lie past the end of
    the recording); a segment without any is NaN. Returns shape (n_segments, 2).
    """
    n_segments = len(values) // per_segment
    grid = values[: n_segments * per_segment].reshape(n_segments, per_segment)
    valid = (np.arange(n_segments * per_segment) < n_valid).reshape(n_segments, per_segment)
    lower = np.where(valid, grid, np.inf).min(axis=1)
    upper = np.where(valid, grid, -np.inf).max(axis=1)
    out = np.stack([lower, upper], axis=1)
    out[~valid.any(axis=1)] = np.nan
    return out


def semilog(uv: npt.ArrayLike) -> FloatArray:
    """Display position of amplitudes: linear 0-10 µV -> 0-1, log 10-100 µV -> 1-2."""
    v = np.maximum(np.asarray(uv, dtype=np.float64), 0.0)
    linear = v / SEMILOG_BREAK_UV
    logarithmic = 1.0 + np.log10(np.maximum(v, SEMILOG_BREAK_UV) / SEMILOG_BREAK_UV)
    out: FloatArray = np.where(v <= SEMILOG_BREAK_UV, linear, logarithmic)
    return out


def semilog_inverse(y: npt.ArrayLike) -> FloatArray:
    """The amplitude (µV) at display position ``y`` (inverse of :func:`semilog`)."""
    pos = np.maximum(np.asarray(y, dtype=np.float64), 0.0)
    out: FloatArray = np.where(
        pos <= 1.0, pos * SEMILOG_BREAK_UV, SEMILOG_BREAK_UV * 10.0 ** (pos - 1.0)
    )
    return out

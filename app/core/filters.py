"""Display filters: high-pass, low-pass and mains notch, zero-phase.

Clinical review runs with a 1 Hz high-pass (drops electrode drift and sweat),
a 70 Hz low-pass (muscle) and the notch off unless the mains hum is visible.
The filters are Butterworth, order 4 per band, zero-phase (the response of
``sosfiltfilt``: forwards and backwards), so a spike keeps its timing and shape
relative to the other channels; the notch is a Q = 30 IIR notch (about 1.7 Hz
wide at 50 Hz).

They are applied in the frequency domain: the page's spectrum is multiplied by
``|H(f)|²`` of the digital filters (:func:`zero_phase_gain`), which is exactly
what ``sosfiltfilt`` applies away from the ends of its input. It needs only
numpy's FFT, so the viewer's first page does not wait for scipy.signal to
import (~0.6 s), and costs ~2 ms for a 20-s page of 23 channels.

A page is filtered together with data read from its neighbours
(:func:`pad_seconds` on each side) and trimmed back, so the page edges show no
filter transients and adjacent pages join without a step. Filtering is linear,
so it may run before or after a montage.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from app.core.errors import FilterError

#: Filter orders and the notch quality factor.
BUTTER_ORDER = 4
NOTCH_Q = 30.0
#: Cutoffs must stay below this fraction of the Nyquist frequency to be applied.
MAX_NYQUIST_FRACTION = 0.95
#: Padding: long enough for the slowest filter's impulse response to decay to this.
_SETTLE = 1e-4
MIN_PAD_S = 1.0
MAX_PAD_S = 10.0

Reader = Callable[[float, float], npt.NDArray[np.floating]]


@dataclass(frozen=True, slots=True)
class FilterSettings:
    """Display filter cutoffs in Hz; None switches a filter off."""

    highpass: float | None = 1.0
    lowpass: float | None = 70.0
    notch: float | None = None

    def __post_init__(self) -> None:
        cutoffs = {"high-pass": self.highpass, "low-pass": self.lowpass, "notch": self.notch}
        for label, value in cutoffs.items():
            if value is not None and not (math.isfinite(value) and value > 0):
                raise FilterError(f"{label} {value} Hz", "a cutoff must be a positive frequency")
        hp, lp = self.highpass, self.lowpass
        if hp is not None and lp is not None and hp >= lp:
            raise FilterError(
                f"high-pass {hp} Hz, low-pass {lp} Hz",
                "the high-pass cutoff must be below the low-pass cutoff",
            )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.highpass, self.lowpass, self.notch))


def effective_settings(settings: FilterSettings, sfreq: float) -> tuple[FilterSettings, str]:
    """The settings that can actually run at ``sfreq``, and why any were switched off.

    A low-pass or notch at or above the Nyquist frequency does nothing useful and
    is switched off with a reason; a high-pass there would remove everything and
    is an error.
    """
    if not sfreq > 0:
        raise FilterError(f"sampling rate {sfreq} Hz", "must be positive")
    limit = MAX_NYQUIST_FRACTION * sfreq / 2.0
    reasons: list[str] = []
    if settings.highpass is not None and settings.highpass >= limit:
        raise FilterError(
            f"high-pass {settings.highpass} Hz",
            f"at or above the Nyquist frequency ({sfreq / 2:g} Hz) of {sfreq:g} Hz data",
        )
    if settings.lowpass is not None and settings.lowpass >= limit:
        nyquist = f"the Nyquist frequency ({sfreq / 2:g} Hz) of {sfreq:g} Hz data"
        reasons.append(f"low-pass {settings.lowpass:g} Hz off: at or above {nyquist}")
        settings = replace(settings, lowpass=None)
    if settings.notch is not None and settings.notch >= limit:
        nyquist = f"the Nyquist frequency ({sfreq / 2:g} Hz) of {sfreq:g} Hz data"
        reasons.append(f"notch {settings.notch:g} Hz off: at or above {nyquist}")
        settings = replace(settings, notch=None)
    return settings, "; ".join(reasons)


@functools.lru_cache(maxsize=64)
def design_sos(settings: FilterSettings, sfreq: float) -> npt.NDArray[np.float64]:
    """Second-order sections for ``settings`` at ``sfreq`` (cached; shape (n, 6)).

    The same filters as :func:`zero_phase_gain`, for time-domain use (``sosfiltfilt``,
    exports). An empty (0, 6) array means no filtering. The array is shared: do not
    modify it (scipy's ``sosfilt`` needs it writable, so it is not frozen).
    """
    from scipy import signal  # noqa: PLC0415 - ~0.6 s: kept off the viewer's start-up

    settings, _ = effective_settings(settings, sfreq)
    sections: list[npt.NDArray[np.float64]] = []
    for cutoff, btype in ((settings.highpass, "highpass"), (settings.lowpass, "lowpass")):
        if cutoff is not None:
            sections.append(signal.butter(BUTTER_ORDER, cutoff, btype, fs=sfreq, output="sos"))
    if settings.notch is not None:
        b, a = signal.iirnotch(settings.notch, NOTCH_Q, fs=sfreq)
        sections.append(signal.tf2sos(b, a))
    if not sections:
        return np.zeros((0, 6))
    return np.ascontiguousarray(np.concatenate(sections), dtype=np.float64)


def pad_seconds(settings: FilterSettings) -> float:
    """Neighbouring data to read on each side of a page, in seconds.

    Long enough for the slowest filter's impulse response to decay to 1e-4 of
    its start: about 3.8 periods of the high-pass cutoff (3.8 s at 1 Hz) and
    ~1.8 s for a 50 Hz notch; at least 1 s, at most 10 s (below ~0.4 Hz the
    last few seconds of a recording's edges are slightly affected).
    """
    if not settings.active:
        return 0.0
    # Decay rates (1/s) of the slowest pole of each analogue prototype.
    butter = 2 * math.pi * math.sin(math.pi / (2 * BUTTER_ORDER))
    decay_rates = [butter * f for f in (settings.highpass, settings.lowpass) if f is not None]
    if settings.notch is not None:
        decay_rates.append(math.pi * settings.notch / NOTCH_Q)
    needed = math.log(1 / _SETTLE) / min(decay_rates)
    return float(min(MAX_PAD_S, max(MIN_PAD_S, needed)))


def notch_coefficients(notch: float, sfreq: float) -> tuple[list[float], list[float]]:
    """``(b, a)`` of the Q = 30 IIR notch at ``notch`` Hz (``scipy.signal.iirnotch``'s)."""
    w0 = 2.0 * math.pi * notch / sfreq
    gain = 1.0 / (1.0 + math.tan(w0 / NOTCH_Q / 2.0))
    b = [gain, -2.0 * gain * math.cos(w0), gain]
    a = [1.0, -2.0 * gain * math.cos(w0), 2.0 * gain - 1.0]
    return b, a


def zero_phase_gain(
    settings: FilterSettings, sfreq: float, freqs: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """``|H(f)|²`` of the digital filters of ``settings`` at ``freqs`` (Hz).

    Butterworth filters designed by the bilinear transform with pre-warping (as
    ``scipy.signal.butter`` does) have ``|H|² = 1 / (1 + (tan(πf/fs) / tan(πfc/fs))^±2N)``;
    the notch's response is evaluated from its coefficients.
    """
    settings, _ = effective_settings(settings, sfreq)
    gain = np.ones_like(freqs, dtype=np.float64)
    with np.errstate(divide="ignore"):
        warped = np.tan(np.pi * np.minimum(freqs, sfreq / 2.0) / sfreq)
        order = 2 * BUTTER_ORDER
        if settings.highpass is not None:
            ratio = math.tan(math.pi * settings.highpass / sfreq) / warped
            gain /= 1.0 + ratio**order
        if settings.lowpass is not None:
            gain /= 1.0 + (warped / math.tan(math.pi * settings.lowpass / sfreq)) ** order
    if settings.notch is not None:
        b, a = notch_coefficients(settings.notch, sfreq)
        z = np.exp(-2j * np.pi * freqs / sfreq)
        response = np.polyval(b[::-1], z) / np.polyval(a[::-1], z)
        gain *= np.abs(response) ** 2
    return gain


@functools.lru_cache(maxsize=32)
def _gain(settings: FilterSettings, sfreq: float, length: int) -> npt.NDArray[np.float64]:
    """:func:`zero_phase_gain` on the bins of a ``length``-point real FFT (cached, read-only)."""
    freqs: npt.NDArray[np.float64] = np.fft.rfftfreq(length, 1.0 / sfreq).astype(np.float64)
    gain = zero_phase_gain(settings, sfreq, freqs)
    gain.setflags(write=False)
    return gain


def fast_length(n: int) -> int:
    """The smallest length >= ``n`` made of factors 2, 3 and 5 (quick FFTs)."""
    best = 1 << max(0, (n - 1).bit_length())
    power5 = 1
    while power5 < best:
        power35 = power5
        while power35 < best:
            length = power35
            while length < n:
                length *= 2
            best = min(best, length)
            power35 *= 3
        power5 *= 5
    return best


def filter_array(
    data: npt.NDArray[np.floating], sfreq: float, settings: FilterSettings
) -> npt.NDArray[np.float32]:
    """Zero-phase filter along the last axis; float32 out (computed in float64).

    The outer ends are extended by odd reflection (as ``sosfiltfilt`` does), which is
    all that is known there; pass data with :func:`pad_seconds` of real neighbours to
    avoid that. The extended block's end-to-end line is taken out before the FFT
    (a line passes a zero-phase low-pass or notch unchanged and a high-pass removes
    it), so the FFT's wrap-around joins two zeros instead of making a step.
    """
    settings, _ = effective_settings(settings, float(sfreq))
    x = np.asarray(data)
    if not settings.active or x.shape[-1] < 2:
        return np.array(x, dtype=np.float32)
    n = x.shape[-1]
    padlen = min(n - 1, max(27, int(pad_seconds(settings) * sfreq)))
    x = x.astype(np.float64, copy=False)
    first, last = x[..., :1], x[..., -1:]
    extended = np.concatenate(
        [2 * first - x[..., padlen:0:-1], x, 2 * last - x[..., -2 : -padlen - 2 : -1]], axis=-1
    )
    total = extended.shape[-1]
    line = np.linspace(0.0, 1.0, total)
    start, end = extended[..., :1].copy(), extended[..., -1:].copy()
    extended -= start + (end - start) * line
    length = fast_length(total)
    spectrum = np.fft.rfft(extended, length, axis=-1)
    spectrum *= _gain(settings, float(sfreq), length)
    y = np.fft.irfft(spectrum, length, axis=-1)[..., padlen : padlen + n]
    if settings.highpass is None:  # the line passes
        y += start + (end - start) * line[padlen : padlen + n]
    return np.asarray(y, dtype=np.float32)


def read_filtered(
    read: Reader,
    start_s: float,
    duration_s: float,
    sfreq: float,
    settings: FilterSettings,
    *,
    total_s: float | None = None,
) -> npt.NDArray[np.float32]:
    """Read ``[start_s, start_s + duration_s)`` through ``read`` and filter it, edges clean.

    ``read(start_s, duration_s) -> (n_channels, n_samples)`` is any page reader:
    ``lambda s, d: recording.read_page(s, d, channels)``, or one that applies a
    montage after reading (filtering is linear, so montage-then-filter is fine).
    The read is widened by :func:`pad_seconds` on both sides, clipped to the
    recording (``[0, total_s]``; pass ``total_s`` so no zero padding past the end
    is filtered), filtered, and trimmed back to the samples the page asked for.
    """
    if not settings.active:
        return np.asarray(read(start_s, duration_s), dtype=np.float32)
    pad = pad_seconds(settings)
    first = round(start_s * sfreq)
    before = min(round(pad * sfreq), max(first, 0))
    after = round(pad * sfreq)
    if total_s is not None:
        end = round((start_s + duration_s) * sfreq)
        after = max(0, min(after, round(total_s * sfreq) - end))
    n = round(duration_s * sfreq)
    wide = read((first - before) / sfreq, (before + n + after) / sfreq)
    filtered = filter_array(wide, sfreq, settings)
    return np.ascontiguousarray(filtered[..., before : before + n])

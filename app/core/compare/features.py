"""Per-epoch features of one recording: discharges, band power, line length, seizure time.

The recording is cut into consecutive epochs (10 s by default; a trailing partial epoch
is left out) and streamed in chunks with 10 s of neighbouring signal on each side, so a
whole night never sits in memory and chunk edges have no filter transients. Per channel
and epoch:

- **discharges**: count of interictal discharges found by the Janca et al. (2015)
  detector (:mod:`app.core.compare.spikes`);
- **band power** (µV²): Welch spectrum (2-s Hann segments) summed over delta 1-4,
  theta 4-8, alpha 8-13, beta 13-30 and gamma 30-80 Hz; a band's top is clipped at
  0.45 x the sampling rate and a band that does not fit is left out; ±2 Hz around the
  mains frequency and its harmonics are excluded;
- **line length** (µV/s): the summed absolute sample-to-sample difference per second
  (Esteller R, Echauz J, Tcheng T, Litt B, Pless B. "Line length: an efficient feature
  for seizure onset detection." Proc IEEE EMBS 2001;2:1707-1710) of the signal
  band-limited to 0.5-70 Hz with the mains notched: it grows with amplitude and with
  fast, sharp activity;
- **seizure time and onsets** from the model's per-channel, per-second probability
  (the ECAM): the fraction of the epoch's seconds at or above the threshold, and the
  number of per-channel seizure events (the project's event rule,
  :func:`app.core.events.seizure_intervals`) starting in the epoch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy  # submodules load on first use: scipy.signal costs ~0.6 s at start-up

from app.core.compare.source import CompareCancelled, CompareError, SignalSource
from app.core.compare.spikes import detect_spikes
from app.core.events import EventParams, seizure_intervals
from app.core.filters import FilterSettings, filter_array

F64 = npt.NDArray[np.float64]

DEFAULT_EPOCH_S = 10
MIN_EPOCHS = 6
PAD_S = 10.0
CHUNK_EPOCHS = 30
LINE_LENGTH_BAND_HZ = (0.5, 70.0)
MAINS_EXCLUSION_HZ = 2.0


@dataclass(frozen=True, slots=True)
class Band:
    """A frequency band in Hz (``high`` already clipped to what the rate allows)."""

    name: str
    low: float
    high: float

    @property
    def label(self) -> str:
        return f"{self.name} {self.low:g}-{self.high:g} Hz"


STANDARD_BANDS = (
    Band("delta", 1.0, 4.0),
    Band("theta", 4.0, 8.0),
    Band("alpha", 8.0, 13.0),
    Band("beta", 13.0, 30.0),
    Band("gamma", 30.0, 80.0),
)


def available_bands(sfreq: float) -> tuple[Band, ...]:
    """The standard bands that fit below 0.45 x ``sfreq`` (the top one clipped)."""
    top = 0.45 * sfreq
    return tuple(
        Band(b.name, b.low, min(b.high, math.floor(top)))
        for b in STANDARD_BANDS
        if b.low + 2.0 <= top
    )


@dataclass(frozen=True, slots=True, eq=False)
class EpochFeatures:
    """Features per channel and epoch of one recording (arrays are channels x epochs)."""

    names: tuple[str, ...]
    sfreq: float
    epoch_s: int
    bands: tuple[Band, ...]
    spikes: F64
    spike_times: tuple[F64, ...]  # per channel, seconds from the first sample
    band_power: F64  # (n_bands, n_channels, n_epochs), µV²
    line_length: F64  # µV/s

    @property
    def n_epochs(self) -> int:
        return int(self.spikes.shape[1])


def _band_power(x: F64, sfreq: float, bands: tuple[Band, ...], mains: float | None) -> F64:
    """(n_bands, n_ch, n_ep) from epochs ``x`` (n_ch, n_ep, n_samples)."""
    nperseg = min(x.shape[-1], round(2 * sfreq))
    f, p = scipy.signal.welch(x, fs=sfreq, nperseg=nperseg, detrend="constant", axis=-1)
    df = float(f[1] - f[0])
    keep = np.ones(len(f), dtype=bool)
    if mains:
        harmonics = np.arange(mains, sfreq / 2 + mains, mains)
        keep &= np.min(np.abs(f[:, None] - harmonics[None, :]), axis=1) > MAINS_EXCLUSION_HZ
    out = np.empty((len(bands), x.shape[0], x.shape[1]))
    for i, band in enumerate(bands):
        sel = keep & (f >= band.low) & (f < band.high)
        out[i] = p[..., sel].sum(axis=-1) * df
    return out


def _line_length_settings(sfreq: float, mains: float | None) -> FilterSettings:
    limit = 0.95 * sfreq / 2
    low, high = LINE_LENGTH_BAND_HZ
    notch = mains if mains and mains < limit else None
    return FilterSettings(low, high if high < limit else None, notch)


@dataclass(slots=True)
class _Accumulator:
    spikes: F64
    power: F64
    line_length: F64
    times: list[list[F64]]


def _process_chunk(
    source: SignalSource,
    acc: _Accumulator,
    epochs: range,
    *,
    epoch_s: int,
    bands: tuple[Band, ...],
    mains: float | None,
) -> None:
    fs = source.sfreq
    t0, t1 = epochs.start * epoch_s, epochs.stop * epoch_s
    r0, r1 = max(0.0, t0 - PAD_S), min(source.duration_s, t1 + PAD_S)
    data = np.asarray(source.read(r0, r1 - r0), dtype=np.float64)
    for row, times in enumerate(detect_spikes(data, fs, mains_hz=mains)):
        t = times + r0
        t = t[(t >= t0) & (t < t1)]
        acc.times[row].append(t)
        counts = np.bincount((t // epoch_s).astype(np.intp) - epochs.start, minlength=len(epochs))
        acc.spikes[row, epochs.start : epochs.stop] = counts[: len(epochs)]
    off, n_ep, per = round((t0 - r0) * fs), len(epochs), round(epoch_s * fs)
    own = data[:, off : off + n_ep * per].reshape(data.shape[0], n_ep, per)
    acc.power[:, :, epochs.start : epochs.stop] = _band_power(own, fs, bands, mains)
    filtered = filter_array(data, fs, _line_length_settings(fs, mains)).astype(np.float64)
    own_f = filtered[:, off : off + n_ep * per].reshape(data.shape[0], n_ep, per)
    ll = np.abs(np.diff(own_f, axis=-1)).sum(axis=-1) / epoch_s
    acc.line_length[:, epochs.start : epochs.stop] = ll


def epoch_features(
    source: SignalSource,
    *,
    epoch_s: int = DEFAULT_EPOCH_S,
    mains_hz: float | None = 50.0,
    band_rate: float | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EpochFeatures:
    """Stream ``source`` and compute its per-epoch features (see the module doc).

    ``band_rate``: the bands are the ones that fit this sampling rate (default the
    source's); two recordings compared at different rates use the slower one's bands,
    so "gamma" means the same frequencies in both.
    """
    n_ep = int(source.duration_s // epoch_s)
    if n_ep < MIN_EPOCHS:
        raise CompareError(
            source.label or "recording",
            f"{source.duration_s:g} s is too short: at least {MIN_EPOCHS * epoch_s} s "
            f"({MIN_EPOCHS} epochs of {epoch_s} s) are needed",
        )
    n_ch = len(source.names)
    bands = available_bands(min(source.sfreq, band_rate or source.sfreq))
    acc = _Accumulator(
        np.zeros((n_ch, n_ep)),
        np.zeros((len(bands), n_ch, n_ep)),
        np.zeros((n_ch, n_ep)),
        [[] for _ in range(n_ch)],
    )
    for first in range(0, n_ep, CHUNK_EPOCHS):
        if should_stop is not None and should_stop():
            raise CompareCancelled
        epochs = range(first, min(first + CHUNK_EPOCHS, n_ep))
        _process_chunk(source, acc, epochs, epoch_s=epoch_s, bands=bands, mains=mains_hz)
        if progress is not None:
            progress(epochs.stop / n_ep)
    return EpochFeatures(
        names=source.names,
        sfreq=source.sfreq,
        epoch_s=epoch_s,
        bands=bands,
        spikes=acc.spikes,
        spike_times=tuple(np.concatenate(t) if t else np.zeros(0) for t in acc.times),
        band_power=acc.power,
        line_length=acc.line_length,
    )


def seizure_epochs(
    channel_prob: npt.NDArray[np.floating],
    prob_names: Sequence[str],
    names: Sequence[str],
    *,
    n_epochs: int,
    epoch_s: int,
    params: EventParams | None = None,
) -> tuple[F64, F64]:
    """Per channel and epoch: fraction of seconds with probability >= threshold, onsets.

    Rows of ``names`` absent from ``prob_names`` (or epochs not computed) are NaN.
    """
    params = params or EventParams()
    index = {name: i for i, name in enumerate(prob_names)}
    burden = np.full((len(names), n_epochs), np.nan)
    onsets = np.full((len(names), n_epochs), np.nan)
    n_sec = n_epochs * epoch_s
    for row, name in enumerate(names):
        i = index.get(name)
        if i is None:
            continue
        p = np.full(n_sec, np.nan)
        take = min(n_sec, channel_prob.shape[1])
        p[:take] = channel_prob[i, :take]
        valid = np.isfinite(p).reshape(n_epochs, epoch_s)
        above = (np.nan_to_num(p, nan=-1.0) >= params.threshold).reshape(n_epochs, epoch_s)
        with np.errstate(invalid="ignore", divide="ignore"):
            burden[row] = np.where(valid.any(axis=1), above.sum(1) / valid.sum(1), np.nan)
        starts = [a for a, _ in seizure_intervals(p, params)]
        counts = np.bincount(np.asarray(starts, dtype=np.intp) // epoch_s, minlength=n_epochs)
        onsets[row] = np.where(valid.any(axis=1), counts[:n_epochs], np.nan)
    return burden, onsets

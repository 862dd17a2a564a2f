"""Whole-night trends: compressed density spectral array (CDSA) and aEEG, chunk by chunk.

The CDSA shows, for each 10-s bin of the night, the log power spectrum (0.5-20 Hz, dB
re 1 µV²/Hz) averaged over the channels of each hemisphere (mean of the channels' dB
values, so one loud channel does not dominate). Each bin's spectrum is a Welch estimate
over 2-s Hann windows overlapping by half: 0.5 Hz resolution, 9 windows per bin. A
seizure shows as a bright band that rises and evolves in frequency (an absence as a
3 Hz line lasting seconds), sleep as slow-wave power rising, spindles at 12-14 Hz; a
one-sided change between the left and right maps points to a lateralised process.

The recording is streamed in chunks (5 min by default, a whole number of bins and aEEG
segments) so memory stays flat whatever the length, and every chunk is computed the
same way whether the night is processed at once or in pieces (the aEEG filter reads
padding from the neighbouring data). Channels that are flat in a bin (disconnected,
zero-filled) are left out of that bin's average.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import scipy  # submodules load on first use: scipy.signal costs ~0.6 s at start-up

from app.core import aeeg
from app.core.trend_plan import TrendPlan

Reader = Callable[[float, float, Sequence[int]], npt.NDArray[np.float32]]
Float32Array = npt.NDArray[np.float32]
#: Bins whose power over the band is below this (µV²/Hz summed) are "flat": no data.
FLAT_POWER = 1e-10
#: Most samples (channels × time) read per chunk: about 32 MB of float32, whatever the
#: channel count and rate (a 200-contact SEEG at 2 kHz gets 30-s chunks).
MAX_CHUNK_SAMPLES = 8_000_000
#: Power floor before taking the log (dB re 1 µV²/Hz): -60 dB.
POWER_FLOOR = 1e-6


@dataclass(frozen=True, slots=True)
class TrendSettings:
    """How the trends are computed; everything but ``chunk_s`` is part of the cache key."""

    bin_s: float = 10.0
    welch_s: float = 2.0
    fmin_hz: float = 0.5
    fmax_hz: float = 20.0
    segment_s: float = 15.0
    chunk_s: float = 300.0

    def __post_init__(self) -> None:
        def whole(a: float, b: float) -> bool:
            return a >= b > 0 and abs(a / b - round(a / b)) < 1e-9

        if not (whole(self.bin_s, self.welch_s) and whole(self.segment_s, aeeg.ENVELOPE_S)):
            raise ValueError("a bin must hold whole Welch windows, a segment whole 0.5-s windows")
        if not (whole(self.chunk_s, self.bin_s) and whole(self.chunk_s, self.segment_s)):
            raise ValueError("a chunk must hold whole CDSA bins and aEEG segments")
        if not 0 <= self.fmin_hz < self.fmax_hz:
            raise ValueError(f"bad CDSA band {self.fmin_hz}-{self.fmax_hz} Hz")

    def key(self) -> dict[str, float]:
        """The parameters the results depend on (for the cache)."""
        values = asdict(self)
        values.pop("chunk_s")
        return values


@dataclass(frozen=True, slots=True)
class TrendGeometry:
    """Sample layout of the trends of one recording: bins, segments and chunks."""

    sfreq: float
    n_samples: int
    bin_n: int
    welch_n: int
    envelope_n: int
    per_segment: int
    bins_per_chunk: int
    segments_per_chunk: int

    @classmethod
    def of(
        cls, settings: TrendSettings, sfreq: float, n_samples: int, n_channels: int = 1
    ) -> TrendGeometry:
        """The layout at ``sfreq``; chunks shrink (to whole bins and segments) so that a
        chunk of ``n_channels`` holds at most :data:`MAX_CHUNK_SAMPLES` samples."""
        unit = math.lcm(round(settings.bin_s * 1000), round(settings.segment_s * 1000)) / 1000
        units = max(
            1,
            min(
                round(settings.chunk_s / unit),
                int(MAX_CHUNK_SAMPLES / (max(n_channels, 1) * sfreq * unit)),
            ),
        )
        chunk_s = units * unit
        return cls(
            sfreq,
            n_samples,
            round(settings.bin_s * sfreq),
            round(settings.welch_s * sfreq),
            round(aeeg.ENVELOPE_S * sfreq),
            round(settings.segment_s / aeeg.ENVELOPE_S),
            round(chunk_s / settings.bin_s),
            round(chunk_s / settings.segment_s),
        )

    @property
    def segment_n(self) -> int:
        return self.envelope_n * self.per_segment

    @property
    def n_bins(self) -> int:
        return -(-self.n_samples // self.bin_n)

    @property
    def n_segments(self) -> int:
        return -(-self.n_samples // self.segment_n)

    @property
    def n_chunks(self) -> int:
        return max(
            -(-self.n_bins // self.bins_per_chunk), -(-self.n_segments // self.segments_per_chunk)
        )

    def band(self, settings: TrendSettings) -> npt.NDArray[np.bool_]:
        """Which Welch frequencies fall in the CDSA band."""
        all_freqs = np.fft.rfftfreq(self.welch_n, 1.0 / self.sfreq)
        lo, hi = settings.fmin_hz - 1e-9, settings.fmax_hz + 1e-9
        band: npt.NDArray[np.bool_] = (all_freqs >= lo) & (all_freqs <= hi)
        return band

    def freqs(self, settings: TrendSettings) -> Float32Array:
        """The CDSA frequencies (Hz), 0.5 Hz apart with 2-s Welch windows."""
        all_freqs = np.fft.rfftfreq(self.welch_n, 1.0 / self.sfreq)
        out: Float32Array = all_freqs[self.band(settings)].astype(np.float32)
        return out


@dataclass(frozen=True, slots=True, eq=False)
class TrendChunk:
    """The trends of one chunk: CDSA bins from ``first_bin``, aEEG margins from ``first_segment``.

    ``cdsa[key]`` is (bins, freqs) in dB; ``aeeg[key]`` is (segments, 2) lower/upper µV.
    """

    index: int
    end_s: float
    first_bin: int
    cdsa: dict[str, Float32Array]
    first_segment: int
    aeeg: dict[str, Float32Array]


def _welch_db(
    data: Float32Array, geometry: TrendGeometry, band: npt.NDArray[np.bool_]
) -> Float32Array:
    """Log power (dB) of ``data`` (..., samples) over the band, NaN where the data are flat."""
    n = geometry.welch_n
    _, power = scipy.signal.welch(data, geometry.sfreq, window="hann", nperseg=n, noverlap=n // 2)
    power = power[..., band]
    db = 10.0 * np.log10(np.maximum(power, POWER_FLOOR))
    flat = power.sum(axis=-1) < FLAT_POWER
    db[flat] = np.nan
    out: Float32Array = db.astype(np.float32)
    return out


def channel_spectra(
    data: Float32Array, n_valid: int, geometry: TrendGeometry, band: npt.NDArray[np.bool_]
) -> Float32Array:
    """Per channel and bin log spectra (channels, bins, freqs) of whole-bin ``data``.

    Only the first ``n_valid`` samples are data; a last partial bin is estimated from
    its valid part (NaN when shorter than one Welch window).
    """
    n_ch, n = data.shape
    n_bins = n // geometry.bin_n
    out = np.full((n_ch, n_bins, int(band.sum())), np.nan, dtype=np.float32)
    full = min(n_bins, n_valid // geometry.bin_n)
    if full:
        shaped = data[:, : full * geometry.bin_n].reshape(n_ch, full, geometry.bin_n)
        out[:, :full] = _welch_db(shaped, geometry, band)
    rest = n_valid - full * geometry.bin_n
    if full < n_bins and rest >= geometry.welch_n:
        start = full * geometry.bin_n
        out[:, full] = _welch_db(data[:, start : start + rest], geometry, band)
    return out


def group_mean(spectra: Float32Array) -> Float32Array:
    """Mean over channels (axis 0) ignoring NaN (flat channels); NaN where none has data."""
    finite = np.isfinite(spectra)
    count = finite.sum(axis=0)
    total = np.where(finite, spectra, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    out: Float32Array = np.where(count > 0, mean, np.nan).astype(np.float32)
    return out


def compute_chunk(
    read: Reader, plan: TrendPlan, settings: TrendSettings, geometry: TrendGeometry, index: int
) -> TrendChunk:
    """Read and compute chunk ``index`` of the night (CDSA bins and aEEG segments)."""
    g = geometry
    b0 = min(index * g.bins_per_chunk, g.n_bins)
    b1 = min(b0 + g.bins_per_chunk, g.n_bins)
    s0 = min(index * g.segments_per_chunk, g.n_segments)
    s1 = min(s0 + g.segments_per_chunk, g.n_segments)
    pad = round(aeeg.PAD_S * g.sfreq)
    lo = min(b0 * g.bin_n, s0 * g.segment_n - pad)
    hi = max(b1 * g.bin_n, s1 * g.segment_n + pad)
    channels = plan.channels
    data = read(lo / g.sfreq, (hi - lo) / g.sfreq, channels)
    row = {ch: i for i, ch in enumerate(channels)}
    cdsa: dict[str, Float32Array] = {}
    if b1 > b0 and plan.groups:
        band = g.band(settings)
        a = b0 * g.bin_n - lo
        valid = max(0, min(g.n_samples - b0 * g.bin_n, (b1 - b0) * g.bin_n))
        spectra = channel_spectra(data[:, a : a + (b1 - b0) * g.bin_n], valid, g, band)
        for group in plan.groups:
            cdsa[group.key] = group_mean(spectra[[row[c] for c in group.channels]])
    margins: dict[str, Float32Array] = {}
    if s1 > s0 and g.sfreq >= aeeg.MIN_SFREQ:
        a = s0 * g.segment_n - lo - pad
        span = data[:, a : a + (s1 - s0) * g.segment_n + 2 * pad]
        n_valid = max(0, (g.n_samples - s0 * g.segment_n) // g.envelope_n)
        for d in plan.derivations:
            x = span[row[d.plus]] if d.minus is None else span[row[d.plus]] - span[row[d.minus]]
            values = aeeg.envelope(x, g.sfreq, pad)
            margins[d.key] = aeeg.margins(values, g.per_segment, n_valid).astype(np.float32)
    end_s = min(max(b1 * g.bin_n, s1 * g.segment_n), g.n_samples) / g.sfreq
    return TrendChunk(index, end_s, b0, cdsa, s0, margins)


def iter_chunks(
    read: Reader, plan: TrendPlan, settings: TrendSettings, geometry: TrendGeometry, first: int = 0
) -> Iterator[TrendChunk]:
    """The night's chunks in time order, from chunk ``first`` on."""
    for index in range(first, geometry.n_chunks):
        yield compute_chunk(read, plan, settings, geometry, index)

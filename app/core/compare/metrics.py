"""Per-channel metrics of one recording, each with a bootstrap 95 % interval.

=====================  ======  ===========================================================
metric                 unit    what it says clinically
=====================  ======  ===========================================================
``spike_rate``         /min    interictal discharges (Janca et al. 2015 detector)
``seizure_burden``     %       time the model's channel probability is >= threshold
``seizure_rate``       /h      model seizure events on the channel per hour
``line_length``        µV/s    amplitude x sharpness of the activity (Esteller 2001)
``power_<band>``       dB      band power, 10·log10(µV²), delta ... gamma
=====================  ======  ===========================================================

A metric is the mean over the recording's epochs of its per-epoch value (band power is
averaged in µV² and then expressed in dB); the interval is the bootstrap percentile
interval over epochs (:mod:`app.core.compare.bootstrap`). The seizure metrics need the
model's per-channel probability; without it they are absent (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.core.compare.bootstrap import DEFAULT_REPLICATES, interval, replicate_means
from app.core.compare.features import EpochFeatures
from app.core.compare.source import SourceKind

F64 = npt.NDArray[np.float64]
Scale = Literal["linear", "db"]


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """How a metric is named, shown and summarised."""

    key: str
    label: str
    unit: str
    scale: Scale = "linear"
    decimals: int = 1


SPIKE_RATE = MetricInfo("spike_rate", "Discharge rate", "/min", decimals=2)
SEIZURE_BURDEN = MetricInfo("seizure_burden", "Seizure burden (model)", "%")
SEIZURE_RATE = MetricInfo("seizure_rate", "Seizures (model)", "/h", decimals=2)
LINE_LENGTH = MetricInfo("line_length", "Line length", "µV/s", decimals=0)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A value and its 95 % interval (NaN when not available)."""

    value: float
    low: float
    high: float

    @property
    def available(self) -> bool:
        return bool(np.isfinite(self.value))


@dataclass(frozen=True, slots=True, eq=False)
class RecordingMetrics:
    """Every metric for every channel of one recording, with bootstrap replicates.

    ``values`` is (n_metrics, n_channels); ``replicates`` (n_metrics, n_channels, B) in
    the metric's own scale (dB for band power), so shaft averages and differences can be
    bootstrapped too.
    """

    label: str
    kind: SourceKind
    names: tuple[str, ...]
    duration_s: float
    epoch_s: int
    n_epochs: int
    metrics: tuple[MetricInfo, ...]
    values: F64
    replicates: F64
    model: str | None = None
    spike_times: tuple[F64, ...] = ()

    def index(self, key: str) -> int:
        for i, info in enumerate(self.metrics):
            if info.key == key:
                return i
        raise KeyError(f"no metric {key!r}")

    def estimate(self, key: str, channel: int) -> Estimate:
        m = self.index(key)
        low, high = interval(self.replicates[m, channel])
        return Estimate(float(self.values[m, channel]), float(low), float(high))


def _to_scale(x: F64, scale: Scale) -> F64:
    if scale == "db":
        with np.errstate(divide="ignore"):
            out: F64 = 10.0 * np.log10(np.maximum(x, 1e-12))
        return out
    return x


def compute_metrics(
    features: EpochFeatures,
    *,
    kind: SourceKind = "scalp",
    label: str = "",
    duration_s: float | None = None,
    seizure: tuple[F64, F64] | None = None,
    model: str | None = None,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
) -> RecordingMetrics:
    """Metrics with bootstrap replicates from per-epoch ``features``.

    ``seizure``: (burden fraction, onset counts) per channel and epoch from
    :func:`~app.core.compare.features.seizure_epochs`; None leaves the seizure metrics NaN.
    """
    n_ch, n_ep = features.spikes.shape
    per_hour = 3600.0 / features.epoch_s
    missing = np.full((n_ch, n_ep), np.nan)
    burden, onsets = seizure if seizure is not None else (missing, missing)
    rows: list[tuple[MetricInfo, F64]] = [
        (SPIKE_RATE, features.spikes * (60.0 / features.epoch_s)),
        (SEIZURE_BURDEN, burden * 100.0),
        (SEIZURE_RATE, onsets * per_hour),
        (LINE_LENGTH, features.line_length),
    ]
    for b, band in enumerate(features.bands):
        info = MetricInfo(f"power_{band.name}", f"{band.label} power", "dB", "db", 1)
        rows.append((info, features.band_power[b]))
    stacked = np.stack([values for _, values in rows])
    boot = replicate_means(stacked, replicates, seed)
    scales = [info.scale for info, _ in rows]
    means = stacked.mean(axis=-1)
    for m, scale in enumerate(scales):
        means[m] = _to_scale(means[m], scale)
        boot[m] = _to_scale(boot[m], scale)
    return RecordingMetrics(
        label=label,
        kind=kind,
        names=features.names,
        duration_s=float(duration_s if duration_s is not None else n_ep * features.epoch_s),
        epoch_s=features.epoch_s,
        n_epochs=n_ep,
        metrics=tuple(info for info, _ in rows),
        values=means,
        replicates=boot,
        model=model,
        spike_times=features.spike_times,
    )

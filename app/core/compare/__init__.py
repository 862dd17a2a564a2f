"""Pre/post comparison: per-channel metrics of two recordings and their change.

Surgeons compare SEEG before and after radio-frequency thermocoagulation (and
neurologists scalp EEG before and after a medication change) to see which contacts
stopped discharging. :func:`compare_files` computes, for every channel of both
recordings, the interictal discharge rate (Janca et al. 2015 detector), the model's
seizure burden and seizure rate, band power (delta ... gamma) and line length, each
with a bootstrap interval over epochs; then matches channels by name and reports the
post − pre change per channel and per SEEG shaft, with rankings and treated contacts.
"""

from __future__ import annotations

from app.core.compare.change import ChannelChange, Comparison, RankEntry, ShaftChange, compare
from app.core.compare.features import EpochFeatures, epoch_features, seizure_epochs
from app.core.compare.matching import Matching, match_channels, match_key
from app.core.compare.metrics import Estimate, MetricInfo, RecordingMetrics, compute_metrics
from app.core.compare.run import (
    CompareOptions,
    compare_files,
    compare_metrics,
    recording_metrics,
)
from app.core.compare.seeg import group_by_shaft, parse_treated, shaft_of
from app.core.compare.source import (
    CompareCancelled,
    CompareError,
    SignalSource,
    array_source,
    recording_source,
)
from app.core.compare.spikes import detect_spikes

__all__ = [
    "ChannelChange",
    "CompareCancelled",
    "CompareError",
    "CompareOptions",
    "Comparison",
    "EpochFeatures",
    "Estimate",
    "Matching",
    "MetricInfo",
    "RankEntry",
    "RecordingMetrics",
    "ShaftChange",
    "SignalSource",
    "array_source",
    "compare",
    "compare_files",
    "compare_metrics",
    "compute_metrics",
    "detect_spikes",
    "epoch_features",
    "group_by_shaft",
    "match_channels",
    "match_key",
    "parse_treated",
    "recording_metrics",
    "recording_source",
    "seizure_epochs",
    "shaft_of",
]

"""The figures of a report as data: trends, seizures per hour, EEG snapshots, ECAM maps.

Arrays live in ``eq=False`` dataclasses: they are values, compared by identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from app.core.filters import FilterSettings

F32 = npt.NDArray[np.float32]
ReviewState = Literal["unreviewed", "accepted", "rejected", "reviewer"]


@dataclass(frozen=True, slots=True)
class HourlyChart:
    """Events per clock hour: all detections and, within them, the confirmed ones."""

    title: str
    labels: tuple[str, ...]
    detected: tuple[int, ...]
    confirmed: tuple[int, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class EventMark:
    """An event drawn on the trend figure (seconds from the first sample)."""

    number: int
    onset_s: float
    duration_s: float
    review: ReviewState


@dataclass(frozen=True, slots=True, eq=False)
class CdsaMap:
    """One hemisphere's CDSA: ``db`` is (columns × freqs), columns evenly over the night."""

    label: str
    db: F32


@dataclass(frozen=True, slots=True, eq=False)
class TrendFigure:
    """Whole-night seizure probability (max per column) and CDSA, events marked.

    ``prob`` spans ``[0, duration_s)`` evenly; NaN where not computed. ``ticks`` are
    (seconds, label) pairs for the time axis (clock hours, or elapsed time).
    """

    title: str
    duration_s: float
    prob: F32
    threshold: float
    cdsa: tuple[CdsaMap, ...]
    freqs: F32
    levels_db: tuple[float, float]
    events: tuple[EventMark, ...]
    ticks: tuple[tuple[float, str], ...]
    note: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class SnapshotTraces:
    """The EEG of a snapshot, in the report montage, filtered, ready to draw.

    ``data`` is (traces × samples) µV from ``start_s``; ``highlight`` the trace labels
    that involve the event's leading channels.
    """

    labels: tuple[str, ...]
    groups: tuple[int, ...]
    data: F32
    sfreq: float
    start_s: float
    sensitivity_uv_mm: float
    spacing_mm: float
    highlight: tuple[str, ...]
    montage_name: str = ""
    filters_text: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class SnapshotRequest:
    """Which EEG an event page shows and at what scale (mm on paper)."""

    start_s: float
    duration_s: float
    onset_s: float
    end_s: float
    montage: str
    filters: FilterSettings
    timebase_mm_s: float
    height_mm: float
    sensitivity_uv_mm: float | None
    onset_label: str


@dataclass(frozen=True, slots=True)
class Electrode:
    """An electrode on the 2-D head (unit circle = head outline) and its ECAM value."""

    name: str
    x: float
    y: float
    value: float


@dataclass(frozen=True, slots=True)
class ShaftStrip:
    """One SEEG shaft: its contacts in order with their ECAM values."""

    shaft: str
    contacts: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True, eq=False)
class TopoMap:
    """ECAM at one moment: a scalp map (``image`` n×n over [-1, 1]², NaN off the head)
    or SEEG shaft strips; ``kind`` "none" when no channel has a known position."""

    title: str
    kind: Literal["scalp", "seeg", "none"]
    image: F32 | None = None
    electrodes: tuple[Electrode, ...] = ()
    strips: tuple[ShaftStrip, ...] = ()


@dataclass(frozen=True, slots=True)
class ChannelBars:
    """Per-channel ECAM (seizure probability) at onset, highest first."""

    title: str
    names: tuple[str, ...]
    values: tuple[float, ...]

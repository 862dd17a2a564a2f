"""A labelled window of EEG, the unit every data source yields and training consumes.

Labels are per second: 1 seizure, 0 no seizure, -1 unknown (not labelled). Channel labels
(per channel per second) exist only where the truth is known channel by channel (the
simulator); real corpora usually label the whole recording, and then only the pooled
recording-level output is supervised directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
Int8Array = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True, eq=False)
class Window:
    """One stretch of multichannel EEG in µV at ``sfreq`` with per-second labels."""

    x: FloatArray  # (n_ch, n_times), µV
    sfreq: float
    channel_names: tuple[str, ...]
    labels: Int8Array  # (n_seconds,) 1 / 0 / -1
    channel_labels: Int8Array | None = None  # (n_ch, n_seconds) 1 / 0 / -1
    pattern: FloatArray | None = None  # (n_seconds, 6) soft targets; all-zero row = unknown
    seizure_type: Int8Array | None = None  # (n_seconds,) index into TYPE_CLASSES, -1 unknown
    dataset: str = ""
    subject: str = ""
    synthetic: bool = False

    def __post_init__(self) -> None:
        if self.x.ndim != 2 or self.x.shape[0] != len(self.channel_names):
            raise ValueError(f"x {self.x.shape} does not match {len(self.channel_names)} names")
        if self.labels.shape != (self.n_seconds,):
            raise ValueError(f"labels {self.labels.shape} != ({self.n_seconds},) seconds")
        if self.channel_labels is not None and self.channel_labels.shape != (
            len(self.channel_names),
            self.n_seconds,
        ):
            raise ValueError(f"channel_labels shape {self.channel_labels.shape} is wrong")

    @property
    def n_seconds(self) -> int:
        """Whole seconds covered (a partial trailing second is dropped)."""
        return int(self.x.shape[1] / self.sfreq + 1e-6)

    @property
    def hours(self) -> float:
        return float(self.x.shape[1] / self.sfreq / 3600.0)


@runtime_checkable
class WindowSource(Protocol):
    """Anything that yields windows (a simulator, a corpus split, a list)."""

    @property
    def name(self) -> str: ...

    def windows(self) -> Iterable[Window]: ...


@dataclass(frozen=True, slots=True)
class ListSource:
    """A fixed list of windows as a source."""

    name: str
    items: tuple[Window, ...]

    def windows(self) -> Iterator[Window]:
        return iter(self.items)


def seconds_labels(
    n_seconds: int, intervals: Iterable[tuple[float, float]], overlap: float = 0.5
) -> Int8Array:
    """Per-second 0/1 labels: a second is 1 when at least ``overlap`` of it lies in an interval."""
    labels = np.zeros(n_seconds, dtype=np.int8)
    for start, end in intervals:
        for sec in range(max(0, int(np.floor(start))), min(n_seconds, int(np.ceil(end)))):
            covered = min(end, sec + 1) - max(start, sec)
            if covered >= overlap:
                labels[sec] = 1
    return labels

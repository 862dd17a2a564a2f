"""What the comparison reads from a recording: its brain channels, as the model reads them.

The metrics are computed on the channels the seizure model analyses
(:func:`app.core.analysis_input.choose_input`): the SEEG contacts of a depth recording,
otherwise the scalp EEG channels as recorded (referential or bipolar), never ECG/EOG/EMG.
Using the same channels lets the model's per-channel seizure probability sit beside the
discharge rate, band power and line length of the same channel.

A :class:`SignalSource` is a plain reader (``read(start_s, duration_s)``), so the metrics
can run on a file, on a simulator or on an array in a test alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from app.core.errors import IctalError

if TYPE_CHECKING:
    from app.core.recording import Recording

F32 = npt.NDArray[np.float32]
Reader = Callable[[float, float], F32]
SourceKind = Literal["seeg", "scalp"]


class CompareError(IctalError):
    """A comparison that cannot be made (recording too short, no common channels ...)."""


class CompareCancelled(Exception):
    """Raised between chunks when the caller asked the comparison to stop."""


@dataclass(frozen=True, slots=True)
class SignalSource:
    """Channels (names in display form), rate, length and a page reader giving µV."""

    names: tuple[str, ...]
    sfreq: float
    duration_s: float
    read: Reader
    kind: SourceKind = "scalp"
    label: str = ""
    start: datetime | None = None


def recording_source(recording: Recording) -> SignalSource:
    """The model's input channels of ``recording`` (AnalysisError when it has none)."""
    from app.core.analysis_input import choose_input  # noqa: PLC0415 - keeps imports light

    spec = choose_input(recording)
    indices = list(spec.indices)

    def read(start_s: float, duration_s: float) -> F32:
        return recording.read_page(start_s, duration_s, indices)

    return SignalSource(
        names=spec.names,
        sfreq=spec.sfreq,
        duration_s=spec.duration_s,
        read=read,
        kind="seeg" if spec.montage == "seeg" else "scalp",
        label=recording.info.path.name,
        start=recording.info.start,
    )


def array_source(
    data: npt.NDArray[np.floating],
    names: Sequence[str],
    sfreq: float,
    *,
    kind: SourceKind = "scalp",
    label: str = "",
) -> SignalSource:
    """A source over an in-memory (n_channels, n_samples) array (zeros outside it)."""
    x = np.asarray(data, dtype=np.float32)
    if x.ndim != 2 or x.shape[0] != len(names):
        raise ValueError(f"data must be ({len(names)}, n_samples), got {x.shape}")
    n = x.shape[1]

    def read(start_s: float, duration_s: float) -> F32:
        first = round(start_s * sfreq)
        count = round(duration_s * sfreq)
        out = np.zeros((x.shape[0], count), dtype=np.float32)
        lo, hi = max(first, 0), min(first + count, n)
        if hi > lo:
            out[:, lo - first : hi - first] = x[:, lo:hi]
        return out

    return SignalSource(tuple(names), float(sfreq), n / sfreq, read, kind, label)

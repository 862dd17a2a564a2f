"""What the seizure model reads from a recording, and in which pieces.

The model is channel-agnostic, so it reads the recording *as recorded*: the referential
scalp channels (A1/A2 included: they are EEG electrodes), a bipolar montage when that is
how the file was recorded, or the SEEG contacts of a depth recording. ECG, EOG, EMG,
respiration and other non-EEG channels are never given to it. A recording that mixes a
few scalp channels into a depth recording is read through its SEEG contacts only.

A whole night is streamed in *chunks* of ``ANALYSIS_PAGE_S`` seconds (the page length the
model normalises over, as in training). Each chunk is read with ``overlap_s`` of signal on
either side so that no second of the result sits at a page edge, where the model has
context on one side only; only the chunk's own seconds are kept. A short last chunk is
read with earlier signal in front so that it, too, is normalised over a full page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.core.channels import ChannelType, bipolar_pair
from app.core.errors import AnalysisError

if TYPE_CHECKING:
    from app.core.recording import Recording

#: Shortest recording worth analysing: the model's context windows are 30 s, and below
#: ~10 s there is no background for its per-page normalisation.
MIN_DURATION_S = 10.0
#: Seconds read on each side of a chunk (one third of a 30-s model context window).
OVERLAP_S = 10

InputMontage = Literal["referential", "bipolar", "seeg"]


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    """The channels the model reads (indices into the recording, display names)."""

    indices: tuple[int, ...]
    names: tuple[str, ...]
    montage: InputMontage
    sfreq: float
    duration_s: float

    @property
    def n_seconds(self) -> int:
        """Seconds of results: a trailing partial second counts as a second."""
        return max(1, math.ceil(self.duration_s - 1e-9))


@dataclass(frozen=True, slots=True)
class Chunk:
    """One piece of the stream: keep seconds ``[start_s, stop_s)`` of a read of
    ``[read_start_s, read_stop_s)`` (read_stop may be fractional at the recording's end)."""

    start_s: int
    stop_s: int
    read_start_s: float
    read_stop_s: float


def choose_input(recording: Recording) -> AnalysisInput:
    """The model input of ``recording``; raises :class:`AnalysisError` when it has none."""
    info = recording.info
    what = f"analysis of {info.path.name}"
    seeg = [ch for ch in recording.channels if ch.type is ChannelType.SEEG and ch.is_voltage]
    eeg = [ch for ch in recording.channels if ch.type is ChannelType.EEG and ch.is_voltage]
    picked = seeg or eeg
    if not picked:
        kinds = sorted({str(ch.type) for ch in recording.channels}) or ["none"]
        raise AnalysisError(
            what, f"no usable EEG or SEEG channels (channel types: {', '.join(kinds)})"
        )
    if info.duration_s < MIN_DURATION_S:
        raise AnalysisError(
            what,
            f"the recording is {info.duration_s:g} s long; at least {MIN_DURATION_S:g} s is needed",
        )
    montage: InputMontage = "referential"
    if seeg:
        montage = "seeg"
    elif all(bipolar_pair(ch.name) is not None for ch in eeg):
        montage = "bipolar"
    return AnalysisInput(
        indices=tuple(ch.index for ch in picked),
        names=tuple(ch.name for ch in picked),
        montage=montage,
        sfreq=float(info.sfreq),
        duration_s=float(info.duration_s),
    )


def plan_chunks(
    duration_s: float, page_s: int, overlap_s: int = OVERLAP_S, start_s: int = 0
) -> tuple[Chunk, ...]:
    """The chunks covering ``[start_s, ceil(duration_s))`` in order (resuming at start_s)."""
    if page_s <= 0 or overlap_s < 0:
        raise ValueError(f"bad chunking: page {page_s} s, overlap {overlap_s} s")
    n_seconds = max(1, math.ceil(duration_s - 1e-9))
    chunks = []
    for first in range(0, n_seconds, page_s):
        stop = min(first + page_s, n_seconds)
        if stop <= start_s:
            continue
        read_start = max(0.0, float(first - overlap_s))
        read_stop = min(duration_s, float(stop + overlap_s))
        # A short last chunk borrows earlier signal: it is normalised over a full page too.
        read_start = float(max(0, math.floor(min(read_start, read_stop - page_s - overlap_s))))
        chunks.append(Chunk(first, stop, read_start, read_stop))
    return tuple(chunks)

"""Export a recording, with its annotations, to a new EDF+ file.

The source recording is never modified: the export is a new file, written through the
streaming EDF+ writer (a 24-h night never sits in memory). Every channel is written at
the recording's common read rate (``info.sfreq``) in µV. The patient identification is
anonymous (``X X X X``) unless a patient is given: an exported file often leaves the
hospital. By default each channel's physical range comes from a first pass over the data
(so nothing clips); pass ``physical_range`` to skip that pass.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from app.core.annotation import Annotation
from app.core.channels import ChannelType, infer_type
from app.core.edf_writer import (
    ANONYMOUS,
    EdfChannel,
    EdfPatient,
    EdfRecordingInfo,
    EdfWriteResult,
    WriteCancelled,
    write_edf_plus,
)

log = logging.getLogger(__name__)
_SCAN_CHUNK_S = 300.0


class _Info(Protocol):
    @property
    def duration_s(self) -> float: ...
    @property
    def sfreq(self) -> float: ...


class _Channel(Protocol):
    @property
    def name(self) -> str: ...


class ExportableRecording(Protocol):
    """What the export needs from a recording (``app.core.recording.Recording`` fits)."""

    @property
    def info(self) -> _Info: ...
    @property
    def channels(self) -> Sequence[_Channel]: ...
    def read_page(self, start_s: float, duration_s: float) -> NDArray[np.float32]: ...


def _labels(recording: ExportableRecording) -> list[str]:
    """Unique EDF labels of at most 16 characters from the channel names."""
    labels: list[str] = []
    for channel in recording.channels:
        base = "".join(c if 32 <= ord(c) < 127 else "_" for c in channel.name)[:16] or "X"
        label, k = base, 1
        while label in labels:
            suffix = f"-{k}"
            label, k = base[: 16 - len(suffix)] + suffix, k + 1
        labels.append(label)
    return labels


def _dimension(channel: _Channel) -> str:
    unit = str(getattr(channel, "unit", "uV") or "uV")
    return unit.replace("µ", "u").replace("μ", "u")


def _transducer(channel: _Channel) -> str:
    kind = getattr(channel, "type", None)
    kind = kind if isinstance(kind, ChannelType) else infer_type(channel.name)
    return {ChannelType.EEG: "AgAgCl electrode", ChannelType.SEEG: "depth electrode"}.get(kind, "")


def scan_ranges(
    recording: ExportableRecording, should_stop: Callable[[], bool] | None = None
) -> NDArray[np.float64]:
    """Largest absolute value of each channel over the whole recording (one streamed pass)."""
    peak = np.zeros(len(recording.channels))
    duration = float(recording.info.duration_s)
    start = 0.0
    while start < duration:
        if should_stop is not None and should_stop():
            raise WriteCancelled("EDF+ export cancelled")
        span = min(_SCAN_CHUNK_S, duration - start)
        page = np.nan_to_num(np.asarray(recording.read_page(start, span), dtype=np.float64))
        if page.size:
            peak = np.maximum(peak, np.max(np.abs(page), axis=1))
        start += span
    return peak


def _nice_ceiling(value: float) -> float:
    """A round number at least ``value`` (2 significant digits), at least 1."""
    value = max(float(value), 1.0)
    step = 10.0 ** (np.floor(np.log10(value)) - 1)
    return float(np.ceil(value / step) * step)


def export_edf(
    recording: ExportableRecording,
    path: str | os.PathLike[str],
    annotations: Sequence[Annotation] = (),
    *,
    overwrite: bool = False,
    physical_range: tuple[float, float] | None = None,
    patient: EdfPatient = ANONYMOUS,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EdfWriteResult:
    """Write ``recording`` and ``annotations`` to the new EDF+ file ``path``.

    Refuses to overwrite an existing file unless ``overwrite``, and always refuses the
    recording's own file. ``progress`` receives 0..1 (the range scan is the first 10 %).
    """
    info = recording.info
    source = getattr(info, "path", None)
    source_path = Path(source) if isinstance(source, str | os.PathLike) else None
    if physical_range is None:
        peak = scan_ranges(recording, should_stop)
        ranges = [(-_nice_ceiling(p), _nice_ceiling(p)) for p in peak]
        if progress is not None:
            progress(0.1)
    else:
        ranges = [physical_range] * len(recording.channels)
    channels = [
        EdfChannel(label, low, high, _dimension(ch), _transducer(ch))
        for label, ch, (low, high) in zip(
            _labels(recording), recording.channels, ranges, strict=True
        )
    ]
    start = getattr(info, "start", None)
    equipment = str(getattr(info, "format", "") or "X")

    def report(fraction: float) -> None:
        if progress is not None:
            progress(fraction if physical_range is not None else 0.1 + 0.9 * fraction)

    result = write_edf_plus(
        path,
        channels=channels,
        sfreq=float(info.sfreq),
        duration_s=float(info.duration_s),
        chunk=recording.read_page,
        start=start if isinstance(start, datetime) else None,
        annotations=_map_channels(annotations, recording, channels),
        patient=patient,
        recording=EdfRecordingInfo(equipment=f"Ictal_export_{equipment}"),
        overwrite=overwrite,
        source=source_path,
        progress=report,
        should_stop=should_stop,
    )
    log.info("exported %s to %s (%d records)", source_path, result.path, result.layout.n_records)
    return result


def _map_channels(
    annotations: Sequence[Annotation],
    recording: ExportableRecording,
    channels: Sequence[EdfChannel],
) -> list[Annotation]:
    """Annotations with channel names replaced by the labels they were written under.

    Gap markers (source ``"gap"``) are left out: they describe the source file's layout.
    """
    label_of = {ch.name: out.label for ch, out in zip(recording.channels, channels, strict=True)}
    return [
        Annotation(
            a.onset,
            a.duration,
            a.description,
            tuple(label_of.get(c, c) for c in a.channels),
            a.source,
        )
        for a in annotations
        if a.source != "gap"
    ]

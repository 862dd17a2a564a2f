"""EDF, EDF+ (C and D), BDF and BDF+ recordings, read lazily.

The header is validated first (:mod:`app.core.recording_header`). A file whose
signals share one rate (nearly every clinical EDF) is read by Ictal's own block
reader (:mod:`app.core.recording_edf_reader`: mne's values without mne's import
time); a mixed-rate file by mne (:mod:`app.core.recording_edf_mne`). Two mne 1.13
behaviours are worked around here:

- mne scans every data record for the annotation signal when it opens an
  EDF+ file (seconds for a 24-hour file); Ictal skips that scan and reads the
  annotation bytes itself (:mod:`app.core.recording_tal`), which also gives the
  per-record clock times needed for EDF+D gaps. An EDF+C file opens on its
  first record alone: its annotations are scanned on first use of
  ``Recording.annotations`` (the viewer does that in the background, after the
  first page), so opening a night costs milliseconds;
- mne upsamples slower channels of a mixed-rate file to the highest rate, and
  only does so correctly on spans of whole data records; ``OpenedRaw.record_samples``
  lets ``Recording.read_page`` align such reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from app.core.annotation import Annotation
from app.core.channels import ChannelType
from app.core.errors import RecordingError
from app.core.recording_edf_reader import EdfBlockReader, is_uniform
from app.core.recording_header import (
    EdfHeader,
    SignalHeader,
    parse_patient,
    parse_recording,
    read_edf_header,
)
from app.core.recording_info import MICROVOLT, Gap, RecordingInfo
from app.core.recording_mne import OpenedRaw, build_channels, describe
from app.core.recording_tal import (
    TalContent,
    annotations_from,
    first_record_onset,
    gap_annotations,
    gaps,
    read_tals,
)

_MICRO = ("\u03bcV", "\u00b5V", "\x83\xcaV", "uV")  # what mne 1.13 reads as µV
_MICRO_OTHER = ("\u00c2\u00b5V", "UV", "µv")  # UTF-8 "µV" read as latin-1, odd casing
_TO_MICROVOLT = {"mV": 1e3, "V": 1e6, "nV": 1e-3}
_BIOSIGNALS = (ChannelType.EEG, ChannelType.SEEG, ChannelType.EOG, ChannelType.ECG, ChannelType.EMG)


def _mne_gain(unit: str) -> float:
    """The factor mne 1.13 applied to this header unit's physical values."""
    if unit in _MICRO:
        return 1e-6
    return 1e-3 if unit == "mV" else 1.0


def unit_and_scale(unit: str, ctype: ChannelType) -> tuple[str, float]:
    """The unit Ictal reports for a header unit, and the factor from mne's values.

    Voltages come out in µV whatever the header says (µV, uV, mV, V, nV). An
    empty unit on a biosignal channel is taken as µV (values as stored); any
    other unit (``%``, ``bpm``) is kept with the values as stored.
    """
    if unit in _MICRO or unit in _MICRO_OTHER:
        return MICROVOLT, 1.0 / _mne_gain(unit)
    if unit in _TO_MICROVOLT:
        return MICROVOLT, _TO_MICROVOLT[unit] / _mne_gain(unit)
    if not unit and ctype in _BIOSIGNALS:
        return MICROVOLT, 1.0
    return unit, 1.0


def _reader(path: Path, header: EdfHeader, signals: list[SignalHeader]) -> Any:
    """Ictal's own reader for a single-rate file, else mne's (which resamples)."""
    if is_uniform(header):
        try:
            return EdfBlockReader(path, header, [_mne_gain(s.unit) for s in signals])
        except OSError as exc:
            raise RecordingError(str(path), exc.strerror or str(exc)) from exc
    from app.core.recording_edf_mne import mne_raw  # noqa: PLC0415 - mne: ~0.3 s

    return mne_raw(path, header)


def _reading_annotations(path: Path, exc: Exception) -> RecordingError:
    return RecordingError(str(path), f"cannot read annotations: {describe(exc)}")


def _tal(path: Path, header: EdfHeader) -> TalContent:
    """The whole annotation signal, with per-record onsets (EDF+D: gaps need them)."""
    try:
        return read_tals(path, header, record_onsets=True)
    except (OSError, ValueError) as exc:
        raise _reading_annotations(path, exc) from exc


def _first_onset(path: Path, header: EdfHeader) -> float:
    try:
        return first_record_onset(path, header)
    except (OSError, ValueError) as exc:
        raise _reading_annotations(path, exc) from exc


def _onset(annotation: Annotation) -> float:
    return annotation.onset


def _continuous_annotations(
    path: Path, header: EdfHeader, display: Mapping[str, str]
) -> Callable[[], tuple[Annotation, ...]]:
    """Reads an EDF+C file's annotations when first asked for (see ``Recording.annotations``)."""

    def read() -> tuple[Annotation, ...]:
        try:
            content = read_tals(path, header, record_onsets=False)
        except (OSError, ValueError) as exc:
            raise _reading_annotations(path, exc) from exc
        found = annotations_from(content, header.record_duration_s, display, discontinuous=False)
        return tuple(sorted(found, key=_onset))

    return read


def open_edf(path: Path) -> OpenedRaw:
    """Open an EDF/EDF+/BDF/BDF+ file: header checked, signals left on disk."""
    header = read_edf_header(path)
    signals: list[SignalHeader] = [s for s in header.signals if not s.is_annotation]
    raw = _reader(path, header, signals)
    if len(signals) != len(raw.ch_names):
        raise RecordingError(str(path), "mne and the header disagree on the signals")
    record_s = header.record_duration_s
    channels = build_channels(
        [s.label for s in signals],
        raw.ch_names,
        [s.n_samples / record_s for s in signals],
        [s.unit for s in signals],
    )
    units = [unit_and_scale(s.unit, c.type) for s, c in zip(signals, channels, strict=True)]
    channels = tuple(replace(c, unit=u) for c, (u, _) in zip(channels, units, strict=True))
    display = {s.label: c.name for s, c in zip(signals, channels, strict=True)}
    display.update({m: c.name for m, c in zip(raw.ch_names, channels, strict=True)})
    annotations: tuple[Annotation, ...] = ()
    later: Callable[[], tuple[Annotation, ...]] | None = None
    found: tuple[Gap, ...] = ()
    if header.format.endswith("+D"):
        tal = _tal(path, header)
        first_onset = tal.first_onset
        found = gaps(tal.record_onsets, record_s)
        annotations = annotations_from(tal, record_s, display, discontinuous=bool(found))
        annotations = tuple(sorted(annotations + gap_annotations(found), key=_onset))
    elif any(s.is_annotation for s in header.signals):
        first_onset = _first_onset(path, header)
        later = _continuous_annotations(path, header, display)
    else:  # plain EDF/BDF: no annotation signal
        first_onset = 0.0
    sfreq = float(raw.sfreq) if isinstance(raw, EdfBlockReader) else float(raw.info["sfreq"])
    recording_id, technician, equipment = parse_recording(header.recording, header.is_plus)
    start = header.start + timedelta(seconds=first_onset) if header.start else None
    info = RecordingInfo(
        path=path,
        format=header.format,
        patient=parse_patient(header.patient, header.is_plus),
        start=start,
        duration_s=float(raw.n_times / sfreq),
        sfreq=sfreq,
        n_samples=int(raw.n_times),
        file_size=header.file_size,
        n_records=header.n_records,
        record_duration_s=record_s,
        recording_id=recording_id,
        technician=technician,
        equipment=equipment,
        gaps=found,
    )
    return OpenedRaw(
        raw=raw,
        info=info,
        channels=channels,
        annotations=annotations,
        read_annotations=later,
        scales=np.array([scale for _, scale in units]),
        record_samples=round(sfreq * record_s),
    )

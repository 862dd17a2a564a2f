"""EDF, EDF+ (C and D), BDF and BDF+ recordings, read lazily with mne.

The header is validated first (:mod:`app.core.recording_header`), then mne
reads the signals. Two mne 1.13 behaviours are worked around here:

- mne scans every data record for the annotation signal when it opens an
  EDF+ file (seconds for a 24-hour file); Ictal skips that scan and reads the
  annotation bytes itself (:mod:`app.core.recording_tal`), which also gives the
  per-record clock times needed for EDF+D gaps;
- mne upsamples slower channels of a mixed-rate file to the highest rate, and
  only does so correctly on spans of whole data records; ``OpenedRaw.record_samples``
  lets ``Recording.read_page`` align such reads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from mne.io.edf.edf import RawBDF, RawEDF

from app.core.annotation import Annotation
from app.core.channels import ChannelType
from app.core.errors import RecordingError
from app.core.recording_header import (
    EdfHeader,
    SignalHeader,
    parse_patient,
    parse_recording,
    read_edf_header,
)
from app.core.recording_info import MICROVOLT, RecordingInfo
from app.core.recording_mne import OpenedRaw, build_channels, describe
from app.core.recording_tal import (
    TalContent,
    annotations_from,
    gap_annotations,
    gaps,
    parse_tals,
    read_tal_bytes,
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


_READY = "ictal_ready"  # set in raw_extras once mne's constructor has returned


class _HeaderOnlyRawEDF(RawEDF):  # type: ignore[misc]
    """mne's RawEDF without the whole-file annotation scan at construction.

    mne calls ``_read_segment_file`` through a proxy that only carries
    ``_raw_extras`` and ``filenames``, so the flag lives in ``_raw_extras``.
    """

    def _read_segment_file(self, *args: Any) -> Any:
        if not self._raw_extras[args[2]].get(_READY):  # the constructor's TAL scan
            return [np.zeros(0, dtype=np.int16)]
        return RawEDF._read_segment_file(self, *args)


class _HeaderOnlyRawBDF(RawBDF):  # type: ignore[misc]
    """mne's RawBDF without the whole-file annotation scan at construction."""

    def _read_segment_file(self, *args: Any) -> Any:
        if not self._raw_extras[args[2]].get(_READY):
            return [np.zeros(0, dtype=np.int32)]
        return RawBDF._read_segment_file(self, *args)


def _mne_raw(path: Path, header: EdfHeader) -> Any:
    cls = _HeaderOnlyRawBDF if header.kind == "BDF" else _HeaderOnlyRawEDF
    try:
        raw = cls(path, preload=False, stim_channel=None, verbose="error")
    except Exception as exc:  # mne raises many exception types for odd headers
        raise RecordingError(str(path), f"mne cannot read it: {describe(exc)}") from exc
    for extras in raw._raw_extras:
        extras[_READY] = True
    return raw


def _tal(path: Path, header: EdfHeader) -> TalContent:
    try:
        records = read_tal_bytes(path, header)
    except (OSError, ValueError) as exc:
        raise RecordingError(str(path), f"cannot read annotations: {describe(exc)}") from exc
    return parse_tals(records, header.record_duration_s)


def _onset(annotation: Annotation) -> float:
    return annotation.onset


def open_edf(path: Path) -> OpenedRaw:
    """Open an EDF/EDF+/BDF/BDF+ file: header checked, signals left on disk."""
    header = read_edf_header(path)
    raw = _mne_raw(path, header)
    signals: list[SignalHeader] = [s for s in header.signals if not s.is_annotation]
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
    tal = _tal(path, header)
    found = gaps(tal.record_onsets, record_s) if header.format.endswith("+D") else ()
    display = {s.label: c.name for s, c in zip(signals, channels, strict=True)}
    display.update({m: c.name for m, c in zip(raw.ch_names, channels, strict=True)})
    annotations = annotations_from(tal, record_s, display, discontinuous=bool(found))
    sfreq = float(raw.info["sfreq"])
    recording_id, technician, equipment = parse_recording(header.recording, header.is_plus)
    start = header.start + timedelta(seconds=tal.first_onset) if header.start else None
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
        annotations=tuple(sorted(annotations + gap_annotations(found), key=_onset)),
        scales=np.array([scale for _, scale in units]),
        record_samples=round(sfreq * record_s),
    )

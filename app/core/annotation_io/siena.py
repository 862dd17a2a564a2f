"""Siena Scalp EEG ``Seizures-list-PNxx.txt``: seizures as wall-clock times.

Each seizure block names the EDF file, the registration (recording) start and end
times and the seizure's start and end times, all as clock times (``19.39.33``, some
with ':'), and recordings run past midnight. Times are converted to seconds from the
registration start. Only recordings with seizures are listed.

The original lists contain typing errors. In PN00, seizure 3 ends at "19.29.29" in a
recording that ends at 18.57.13: an hour slip for 18.29.29. A seizure end after the
recording's end that becomes plausible one hour earlier is read that way; otherwise it
is clipped to the recording's end. Both are logged as warnings, never silently changed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.core.annotation import Annotation
from app.core.annotation_io._common import (
    clock_difference,
    make_annotation,
    parse_clock,
    read_text,
)
from app.core.annotation_io.listing import ListedRecording, SeizureListing, seconds_to_time
from app.core.errors import AnnotationFileError

log = logging.getLogger(__name__)

SOURCE = "siena"
SEIZURE = "Seizure"
_TOLERANCE_S = 1.0
_HOUR = 3600.0

_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 ]*?)\s*:\s*(.*?)\s*$")
_RATE = re.compile(r"([\d.]+)\s*Hz", re.IGNORECASE)
_CHANNEL = re.compile(r"^channel\s+\d+$")
_BLOCK = re.compile(r"^seizure\s+n", re.IGNORECASE)
_FILE_KEYS = {"file name", "filename"}
_START_KEYS = {"seizure start time", "start time"}
_END_KEYS = {"seizure end time", "end time"}


@dataclass(slots=True)
class _Recording:
    file_name: str
    start: float | None = None
    end: float | None = None
    seizures: list[Annotation] = field(default_factory=list)


@dataclass(slots=True)
class _State:
    path: Path
    subject: str = ""
    sfreq: float | None = None
    channels: list[str] = field(default_factory=list)
    recordings: dict[str, _Recording] = field(default_factory=dict)
    current: _Recording | None = None
    pending: float | None = None  # seizure start, clock seconds

    def recording(self, where: str) -> _Recording:
        if self.current is None:
            raise AnnotationFileError(str(self.path), f"{where}: time given before a file name")
        return self.current


def _clock(state: _State, value: str, where: str) -> float:
    clock = parse_clock(value)
    if clock is None:
        raise AnnotationFileError(str(state.path), f"{where}: {value!r} is not a clock time")
    return clock


def _fix_end(state: _State, rec: _Recording, onset: float, end: float, where: str) -> float:
    """The seizure end (s from registration start), repaired if it lies past the recording."""
    if rec.end is None or rec.start is None:
        return end
    length = clock_difference(rec.start, rec.end)
    if end <= length + _TOLERANCE_S:
        return end
    if onset <= end - _HOUR <= length + _TOLERANCE_S:
        log.warning(
            "%s %s: %s seizure end is %.0f s after the recording ends; read as an hour typo "
            "(end %.0f s -> %.0f s from the start)",
            state.path, where, rec.file_name, end - length, end, end - _HOUR,
        )  # fmt: skip
        return end - _HOUR
    if onset < length:
        log.warning(
            "%s %s: %s seizure end is past the recording's end; clipped to %.0f s",
            state.path, where, rec.file_name, length,
        )  # fmt: skip
        return length
    log.warning("%s %s: %s seizure lies past the recording's end", state.path, where, rec.file_name)
    return end


def _end_of_seizure(state: _State, clock: float, where: str) -> None:
    rec = state.recording(where)
    if state.pending is None:
        raise AnnotationFileError(str(state.path), f"{where}: seizure end without a start")
    if rec.start is None:
        raise AnnotationFileError(str(state.path), f"{where}: no registration start time")
    length = clock_difference(state.pending, clock)
    if length > 12 * _HOUR:
        raise AnnotationFileError(str(state.path), f"{where}: seizure ends before it starts")
    onset = clock_difference(rec.start, state.pending)
    end = _fix_end(state, rec, onset, onset + length, where)
    state.pending = None
    rec.seizures.append(
        make_annotation(onset, end - onset, SEIZURE, path=state.path, where=where, source=SOURCE)
    )


def _field(state: _State, key: str, value: str, where: str) -> None:
    if key in _FILE_KEYS:
        if state.pending is not None:
            raise AnnotationFileError(str(state.path), f"{where}: previous seizure has no end")
        state.current = state.recordings.setdefault(value, _Recording(value))
    elif key == "registration start time":
        state.recording(where).start = _clock(state, value, where)
    elif key == "registration end time":
        state.recording(where).end = _clock(state, value, where)
    elif key in _START_KEYS:
        state.recording(where)
        if state.pending is not None:
            raise AnnotationFileError(str(state.path), f"{where}: seizure start without an end")
        state.pending = _clock(state, value, where)
    elif key in _END_KEYS:
        _end_of_seizure(state, _clock(state, value, where), where)
    elif key == "data sampling rate" and (rate := _RATE.search(value)):
        state.sfreq = float(rate.group(1))
    elif _CHANNEL.match(key):
        state.channels.append(value)


def read_siena_list(path: Path | str) -> SeizureListing:
    """Parse a Siena seizure list into seizures per recording file (seconds from its start)."""
    path = Path(path)
    state = _State(path)
    for lineno, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.strip()
        match = _FIELD.match(line)
        if match is not None:
            key = " ".join(match.group(1).lower().split())
            _field(state, key, match.group(2), f"line {lineno}")
        elif line and not state.subject and not state.recordings and not _BLOCK.match(line):
            state.subject = line
    if state.pending is not None:
        raise AnnotationFileError(str(path), "the last seizure has no end time")
    if not state.recordings:
        raise AnnotationFileError(str(path), "no 'File name:' entries: not a Siena seizure list")
    return SeizureListing(
        path=path,
        source=SOURCE,
        subject=state.subject or path.stem.removeprefix("Seizures-list-"),
        sfreq=state.sfreq,
        recordings=tuple(_freeze(rec, tuple(state.channels)) for rec in state.recordings.values()),
        complete=False,
    )


def _freeze(rec: _Recording, channels: tuple[str, ...]) -> ListedRecording:
    duration = None
    if rec.start is not None and rec.end is not None:
        duration = clock_difference(rec.start, rec.end)
    return ListedRecording(
        file_name=rec.file_name,
        seizures=tuple(sorted(rec.seizures, key=lambda a: a.onset)),
        start=None if rec.start is None else seconds_to_time(rec.start),
        duration_s=duration,
        channels=channels,
        declared_seizures=None,
    )

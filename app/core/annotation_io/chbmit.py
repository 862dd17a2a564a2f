"""CHB-MIT ``chbNN-summary.txt``: seizure times per recording of one subject.

The summary lists the sampling rate and channel montage, then for each EDF file its
name, clock start/end times, the number of seizures and each seizure's start and end in
seconds from the file's start (``Seizure Start Time: 417 seconds`` or, when there are
several, ``Seizure 1 Start Time: ...``). ``Channels changed:`` blocks give a new montage
for the files that follow. Seizure times are taken as written: they are what the
clinicians marked, relative to the start of that file.
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

SOURCE = "chbmit"
SEIZURE = "Seizure"

_RATE = re.compile(r"^Data Sampling Rate:\s*([\d.]+)\s*Hz", re.IGNORECASE)
_CHANNELS_HEAD = re.compile(r"^Channels (in EDF Files|changed)\s*:", re.IGNORECASE)
_CHANNEL = re.compile(r"^Channel\s+(\d+)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_FILE = re.compile(r"^File Name:\s*(\S+)", re.IGNORECASE)
_FILE_TIME = re.compile(r"^File (Start|End) Time:\s*(.+?)\s*$", re.IGNORECASE)
_COUNT = re.compile(r"^Number of Seizures in File:\s*(\d+)", re.IGNORECASE)
_SEIZURE = re.compile(
    r"^Seizure(?:\s+(\d+))?\s+(Start|End)\s+Time\s*:\s*(\d+(?:\.\d+)?)\s*(?:seconds|secs?|s)?\s*$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Entry:
    """A recording being parsed (mutable; frozen into a ListedRecording at the end)."""

    file_name: str
    channels: tuple[str, ...]
    start: float | None = None
    end: float | None = None
    declared: int | None = None
    seizures: list[Annotation] = field(default_factory=list)
    pending: tuple[float, int] | None = None  # seizure start (s) and its line number

    def freeze(self) -> ListedRecording:
        duration = None
        if self.start is not None and self.end is not None:
            duration = clock_difference(self.start, self.end)
        return ListedRecording(
            file_name=self.file_name,
            seizures=tuple(self.seizures),
            start=None if self.start is None else seconds_to_time(self.start),
            duration_s=duration,
            channels=self.channels,
            declared_seizures=self.declared,
        )


@dataclass(slots=True)
class _State:
    path: Path
    sfreq: float | None = None
    channels: list[str] = field(default_factory=list)
    in_channel_block: bool = False
    entries: list[_Entry] = field(default_factory=list)

    def current(self, where: str) -> _Entry:
        if not self.entries:
            raise AnnotationFileError(str(self.path), f"{where}: seizure time before any file")
        return self.entries[-1]


def _seizure_line(state: _State, match: re.Match[str], lineno: int) -> None:
    where = f"line {lineno}"
    entry = state.current(where)
    seconds = float(match.group(3))
    if match.group(2).lower() == "start":
        if entry.pending is not None:
            raise AnnotationFileError(str(state.path), f"{where}: seizure start without an end")
        entry.pending = (seconds, lineno)
        return
    if entry.pending is None:
        raise AnnotationFileError(str(state.path), f"{where}: seizure end without a start")
    onset, _ = entry.pending
    entry.pending = None
    entry.seizures.append(
        make_annotation(
            onset, seconds - onset, SEIZURE, path=state.path, where=where, source=SOURCE
        )
    )


def _file_time(state: _State, match: re.Match[str], lineno: int) -> None:
    entry = state.current(f"line {lineno}")
    clock = parse_clock(match.group(2))
    if clock is None:
        log.warning("%s line %d: unreadable time %r ignored", state.path, lineno, match.group(2))
    elif match.group(1).lower() == "start":
        entry.start = clock
    else:
        entry.end = clock


def _parse_line(state: _State, line: str, lineno: int) -> None:
    if match := _CHANNEL.match(line):
        if not state.in_channel_block:
            state.in_channel_block, state.channels = True, []
        state.channels.append(match.group(2))
        return
    state.in_channel_block = False
    if _CHANNELS_HEAD.match(line):
        state.channels, state.in_channel_block = [], True
    elif match := _RATE.match(line):
        state.sfreq = float(match.group(1))
    elif match := _FILE.match(line):
        state.entries.append(_Entry(match.group(1), tuple(state.channels)))
    elif match := _FILE_TIME.match(line):
        _file_time(state, match, lineno)
    elif match := _COUNT.match(line):
        state.current(f"line {lineno}").declared = int(match.group(1))
    elif match := _SEIZURE.match(line):
        _seizure_line(state, match, lineno)
    elif line.strip("* \t"):
        log.debug("%s line %d: not understood: %r", state.path, lineno, line)


def read_chbmit_summary(path: Path | str) -> SeizureListing:
    """Parse a CHB-MIT summary into seizure annotations per recording file.

    Raises :class:`AnnotationFileError` when the file is not a summary or a seizure has
    no end; a stated seizure count that disagrees with the listed seizures is logged.
    """
    path = Path(path)
    state = _State(path)
    for lineno, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.strip()
        if line.startswith("*") and state.in_channel_block and not state.channels:
            continue  # the underline below a "Channels ..." heading
        _parse_line(state, line, lineno)
    if not state.entries:
        raise AnnotationFileError(str(path), "no 'File Name:' entries: not a CHB-MIT summary")
    for entry in state.entries:
        if entry.pending is not None:
            raise AnnotationFileError(
                str(path), f"line {entry.pending[1]}: seizure start without an end"
            )
        if entry.declared is not None and entry.declared != len(entry.seizures):
            log.warning(
                "%s: %s declares %d seizures but lists %d",
                path, entry.file_name, entry.declared, len(entry.seizures),
            )  # fmt: skip
    subject = path.name.split("-summary")[0] if "-summary" in path.name else path.stem
    return SeizureListing(
        path=path,
        source=SOURCE,
        subject=subject,
        sfreq=state.sfreq,
        recordings=tuple(entry.freeze() for entry in state.entries),
        complete=True,
    )

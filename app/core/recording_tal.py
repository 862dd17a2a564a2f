"""EDF+/BDF+ annotations and record timing, read from the annotation signal.

Every EDF+ data record starts with a time-keeping TAL (``+onset\\x14\\x14``)
giving the clock time of the record; other TALs carry annotations. mne 1.13
reads them by loading *every* data record when the file is opened (slow for a
24-hour recording) and ignores the time-keeping TALs, so an EDF+D file with
gaps gets its data records glued together while its annotations keep their
clock-time onsets and drift off their events. Here only the annotation
signal's bytes of each record are read, and both are fixed:

- ``record_onsets`` (clock seconds after the first record) come back with the
  annotations of an EDF+D file, and :func:`gaps` turns them into :class:`Gap`
  values;
- :func:`to_data_time` maps a clock offset onto the glued data timeline that
  ``read_page`` uses (a time inside a gap maps to the start of the next
  record), so annotations land on the samples they describe.

The scan maps a few MB of the file at a time and copies out only the
annotation bytes, so a 1-GB night never sits in the process's memory, and
each window's bytes are searched with one regular expression (no Python loop
over the 86,400 records of a 24-h file). A continuous (EDF+C) file needs only
its first record to be opened; its annotations can be scanned later.
"""

from __future__ import annotations

import logging
import mmap
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.core.annotation import Annotation
from app.core.recording_header import EdfHeader
from app.core.recording_info import Gap

log = logging.getLogger(__name__)

_ONSET = rb"([+-]\d+(?:\.\d*)?)(?:\x15(\d+(?:\.\d*)?))?\x14"
#: Any TAL: onset, optional duration, then the texts up to the closing NUL.
_TAL = re.compile(_ONSET + rb"(.*?)\x00", re.DOTALL)
#: A TAL with at least one non-empty text (time-keeping TALs ``+t\x14\x14\x00`` are skipped).
_TEXT_TAL = re.compile(_ONSET + rb"(\x14*[^\x14\x00].*?)\x00", re.DOTALL)
#: Gaps shorter than this are rounding in the TAL onsets, not missing data.
_GAP_TOLERANCE_S = 1e-3
#: File bytes mapped at a time while scanning (only the annotation pages are touched).
_WINDOW_BYTES = 8 * 2**20


@dataclass(frozen=True, slots=True)
class TalContent:
    """What the annotation signal of an EDF+ file says.

    ``record_onsets`` has one clock offset per data record (seconds after the
    first record) when they were read (EDF+D), else it is empty: the records of
    a continuous file follow on by definition. ``first_onset`` is the first
    record's offset from the header start time (EDF+ allows a fraction of a second).
    """

    annotations: tuple[tuple[float, float, str], ...]  # (clock onset, duration, text)
    record_onsets: tuple[float, ...]
    first_onset: float


def _regions(header: EdfHeader) -> list[tuple[int, int]]:
    """(offset, length) in a data record of each annotation signal's bytes."""
    return [
        (header.signal_offset(i), s.n_samples * header.bytes_per_sample)
        for i, s in enumerate(header.signals)
        if s.is_annotation
    ]


def tal_rows(
    path: Path, header: EdfHeader, first: int = 0, count: int | None = None
) -> Iterator[tuple[int, npt.NDArray[np.uint8]]]:
    """The annotation bytes of records ``first..first+count``, a window at a time.

    Yields ``(record, rows)``: ``rows[k]`` holds record ``record + k``'s annotation
    bytes followed by one NUL, so no TAL can run on into the next record. Raises
    ``OSError``/``ValueError`` when the file cannot be read as the header says.
    """
    regions = _regions(header)
    end = header.n_records if count is None else min(header.n_records, first + count)
    if not regions or end <= first:
        return
    size = header.record_bytes
    width = sum(length for _, length in regions)
    per_window = max(1, _WINDOW_BYTES // size)
    granularity = mmap.ALLOCATIONGRANULARITY
    with open(path, "rb") as fid:
        for record in range(first, end, per_window):
            n = min(per_window, end - record)
            begin = header.header_bytes + record * size
            base = begin - begin % granularity
            rows = np.zeros((n, width + 1), dtype=np.uint8)
            with mmap.mmap(
                fid.fileno(), begin - base + n * size, offset=base, access=mmap.ACCESS_READ
            ) as mapped:
                data = np.frombuffer(mapped, np.uint8, n * size, begin - base).reshape(n, size)
                try:
                    column = 0
                    for offset, length in regions:
                        rows[:, column : column + length] = data[:, offset : offset + length]
                        column += length
                finally:
                    del data  # the map cannot close while a view of it exists
            yield record, rows


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _texts(body: bytes) -> list[str]:
    return [_decode(t) for t in body.split(b"\x14") if t]


def _record_onsets(block: bytes, width: int, onsets: list[float | None]) -> None:
    """Append each record's time-keeping onset (None where it has none) to ``onsets``."""
    start = len(onsets)
    onsets.extend([None] * (len(block) // width))
    last = -1
    for match in _TAL.finditer(block):
        record = match.start() // width
        if record != last and not match.group(3).split(b"\x14", 1)[0]:
            onsets[start + record] = float(match.group(1))
        last = record


def read_tals(path: Path, header: EdfHeader, *, record_onsets: bool) -> TalContent:
    """Scan the whole annotation signal: annotations (and each record's onset if asked)."""
    annotations: list[tuple[float, float, str]] = []
    stamps: list[float | None] = []
    for _, rows in tal_rows(path, header):
        block = rows.tobytes()
        for match in _TEXT_TAL.finditer(block):
            onset, duration = float(match.group(1)), float(match.group(2) or 0.0)
            annotations.extend((onset, duration, t) for t in _texts(match.group(3)))
        if record_onsets:
            _record_onsets(block, rows.shape[1], stamps)
    first = first_record_onset(path, header)
    filled: list[float] = []
    for stamp in stamps:
        if stamp is None:  # no time-keeping TAL: assume the record follows on
            filled.append(filled[-1] + header.record_duration_s if filled else 0.0)
        else:
            filled.append(stamp - first)
    shifted = tuple((on - first, dur, text) for on, dur, text in annotations)
    return TalContent(annotations=shifted, record_onsets=tuple(filled), first_onset=first)


def first_record_onset(path: Path, header: EdfHeader) -> float:
    """The first record's time-keeping onset (0 when it has none)."""
    for _, rows in tal_rows(path, header, 0, 1):
        match = _TAL.search(rows.tobytes())
        if match is not None and not match.group(3).split(b"\x14", 1)[0]:
            return float(match.group(1))
    return 0.0


def gaps(record_onsets: Sequence[float], record_duration: float) -> tuple[Gap, ...]:
    """Where clock time is missing between consecutive data records."""
    found = []
    for k in range(1, len(record_onsets)):
        expected = record_onsets[k - 1] + record_duration
        missing = record_onsets[k] - expected
        if missing > _GAP_TOLERANCE_S:
            found.append(Gap(onset=k * record_duration, duration=missing, clock_onset=expected))
        elif missing < -_GAP_TOLERANCE_S:
            log.warning("EDF+D record %d starts %.3f s before the previous one ends", k, -missing)
    return tuple(found)


def to_data_time(clock: float, record_onsets: Sequence[float], record_duration: float) -> float:
    """Map a clock offset (s after the first record) onto the glued data timeline."""
    if not record_onsets:
        return clock
    k = int(np.searchsorted(np.asarray(record_onsets), clock, side="right")) - 1
    if k < 0:
        return 0.0
    within = clock - record_onsets[k]
    return k * record_duration + min(within, record_duration)


def annotations_from(
    content: TalContent,
    record_duration: float,
    channel_names: Mapping[str, str],
    discontinuous: bool,
) -> tuple[Annotation, ...]:
    """:class:`Annotation` values on the data timeline (source ``"edf"``).

    A description ``text@@label`` (mne's convention) becomes a
    channel-specific annotation when ``label`` is a signal of the file;
    ``channel_names`` maps file labels to display names. The copies of one annotation
    that such a file holds per channel (same onset, duration and text) come back as one
    annotation on all of those channels.
    """
    out: list[Annotation] = []
    merged: dict[tuple[float, float, str], int] = {}  # channel-specific: key -> index in out
    onsets = content.record_onsets
    for clock, duration, text in content.annotations:
        channels: tuple[str, ...] = ()
        description = text
        if "@@" in text and text.rsplit("@@", 1)[1] in channel_names:
            description, label = text.rsplit("@@", 1)
            channels = (channel_names[label],)
        if discontinuous:
            onset = to_data_time(clock, onsets, record_duration)
            length = to_data_time(clock + duration, onsets, record_duration) - onset
        else:
            onset, length = clock, duration
        key = (onset, length, description)
        if channels and key in merged:
            first = out[merged[key]]
            if channels[0] not in first.channels:
                out[merged[key]] = replace(first, channels=(*first.channels, *channels))
            continue
        if channels:
            merged[key] = len(out)
        out.append(Annotation(onset, length, description, channels, source="edf"))
    return tuple(out)


def gap_annotations(found: Sequence[Gap]) -> tuple[Annotation, ...]:
    """One zero-length marker per gap (source ``"gap"``) so reviewers see the jump."""
    return tuple(
        Annotation(g.onset, 0.0, f"Recording gap: {g.duration:g} s not recorded", source="gap")
        for g in found
    )

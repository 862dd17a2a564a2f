"""EDF+/BDF+ annotations and record timing, read from the annotation signal.

Every EDF+ data record starts with a time-keeping TAL (``+onset\\x14\\x14``)
giving the clock time of the record; other TALs carry annotations. mne 1.13
reads them by loading *every* data record when the file is opened (slow for a
24-hour recording) and ignores the time-keeping TALs, so an EDF+D file with
gaps gets its data records glued together while its annotations keep their
clock-time onsets and drift off their events. Here only the annotation
signal's bytes of each record are read, and both are fixed:

- ``record_onsets`` (clock seconds after the first record) come back with the
  annotations, and :func:`gaps` turns them into :class:`Gap` values;
- :func:`to_data_time` maps a clock offset onto the glued data timeline that
  ``read_page`` uses (a time inside a gap maps to the start of the next
  record), so annotations land on the samples they describe.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.core.annotation import Annotation
from app.core.recording_header import EdfHeader
from app.core.recording_info import Gap

log = logging.getLogger(__name__)

_TAL = re.compile(rb"([+-]\d+(?:\.\d*)?)(?:\x15(\d+(?:\.\d*)?))?\x14(.*?)\x00", re.DOTALL)
#: Gaps shorter than this are rounding in the TAL onsets, not missing data.
_GAP_TOLERANCE_S = 1e-3


@dataclass(frozen=True, slots=True)
class TalContent:
    """What the annotation signal of an EDF+ file says.

    ``record_onsets`` has one clock offset per data record (seconds after the
    first record); ``first_onset`` is the first record's offset from the
    header start time (EDF+ allows a fraction of a second).
    """

    annotations: tuple[tuple[float, float, str], ...]  # (clock onset, duration, text)
    record_onsets: tuple[float, ...]
    first_onset: float


def read_tal_bytes(path: Path, header: EdfHeader) -> list[bytes]:
    """The annotation-signal bytes of each data record (only those bytes are read)."""
    indices = [i for i, s in enumerate(header.signals) if s.is_annotation]
    if not indices:
        return []
    data = np.memmap(
        path,
        dtype=np.uint8,
        mode="r",
        offset=header.header_bytes,
        shape=(header.n_records, header.record_bytes),
    )
    try:
        pieces = [
            np.array(
                data[
                    :,
                    header.signal_offset(i) : header.signal_offset(i)
                    + header.signals[i].n_samples * header.bytes_per_sample,
                ]
            )
            for i in indices
        ]
    finally:
        del data
    joined = np.concatenate(pieces, axis=1) if len(pieces) > 1 else pieces[0]
    return [row.tobytes() for row in joined]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_tals(records: Sequence[bytes], record_duration: float) -> TalContent:
    """Annotations and per-record clock onsets from the TAL bytes of each record."""
    annotations: list[tuple[float, float, str]] = []
    onsets: list[float | None] = []
    for raw in records:
        record_onset: float | None = None
        for k, match in enumerate(_TAL.finditer(raw)):
            onset = float(match.group(1))
            duration = float(match.group(2)) if match.group(2) else 0.0
            texts = [_decode(t) for t in match.group(3).split(b"\x14")]
            if k == 0 and not texts[0]:
                record_onset = onset
            annotations.extend((onset, duration, t) for t in texts if t)
        onsets.append(record_onset)
    first = 0.0
    if onsets and onsets[0] is not None:
        first = onsets[0]
    filled: list[float] = []
    for stamp in onsets:
        if stamp is None:  # no time-keeping TAL: assume the record follows on
            filled.append(filled[-1] + record_duration if filled else 0.0)
        else:
            filled.append(stamp - first)
    shifted = tuple((on - first, dur, text) for on, dur, text in annotations)
    return TalContent(annotations=shifted, record_onsets=tuple(filled), first_onset=first)


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
    ``channel_names`` maps file labels to display names.
    """
    out = []
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
        out.append(Annotation(onset, length, description, channels, source="edf"))
    return tuple(out)


def gap_annotations(found: Sequence[Gap]) -> tuple[Annotation, ...]:
    """One zero-length marker per gap (source ``"gap"``) so reviewers see the jump."""
    return tuple(
        Annotation(g.onset, 0.0, f"Recording gap: {g.duration:g} s not recorded", source="gap")
        for g in found
    )

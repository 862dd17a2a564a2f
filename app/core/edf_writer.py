"""Streaming EDF+ (EDF+C) writer: a whole night written chunk by chunk, never held in memory.

Why not ``edfio`` or ``mne.export``: both build the complete signal in memory before
writing (``edfio.EdfSignal`` takes the full array; ``mne.export.export_raw`` needs the
data loaded). A 24-h, 23-channel, 256-Hz night is 509 M samples: 2 GB as float32 and
4 GB as the float64 they use, plus copies. This writer asks a callable for one chunk at
a time (a minute by default), so memory stays at a few MB whatever the length.

What it writes (EDF+ specification, Kemp & Olivan 2003):

- header fields: patient ``code sex birthdate name`` (``X`` when unknown), recording
  ``Startdate dd-MMM-yyyy admin technician equipment``, ``EDF+C`` in the reserved field;
- per signal a physical and a digital range (int16, -32768..32767); values beyond the
  physical range are clipped, counted and logged;
- data records of 1 s, or another duration when the rate needs it or a 1-s record
  would exceed 61440 bytes; the last record is zero-padded;
- an ``EDF Annotations`` signal: each record starts with its time-keeping TAL, and the
  annotations follow in the record of their onset or, when it is full, the next ones.
  Channel-specific annotations are written once per channel as ``text@@label`` (the
  convention of MNE-Python, which reads them back as channel-specific annotations).

The file is written to a temporary name in the target folder and renamed into place, so
a crash or a cancel never leaves a half-written file under the final name. It refuses to
replace an existing file unless asked, and never replaces the recording being exported.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from app.core.annotation import Annotation
from app.core.errors import IctalError

log = logging.getLogger(__name__)

ChunkSource = Callable[[float, float], NDArray[np.floating]]
DIGITAL_MIN, DIGITAL_MAX = -32768, 32767
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


class ExportError(IctalError):
    """A file cannot be written where or how the user asked."""


class WriteCancelled(Exception):
    """The write was cancelled between chunks; nothing was left at the target path."""


@dataclass(frozen=True, slots=True)
class EdfChannel:
    """One signal: its label (≤ 16 ASCII characters) and physical range in ``dimension``."""

    label: str
    physical_min: float
    physical_max: float
    dimension: str = "uV"
    transducer: str = ""
    prefilter: str = ""


@dataclass(frozen=True, slots=True)
class EdfPatient:
    """EDF+ patient identification; ``X`` for unknown (the default is anonymous)."""

    code: str = "X"
    sex: str = "X"  # "F", "M" or "X"
    birthdate: date | None = None
    name: str = "X"


@dataclass(frozen=True, slots=True)
class EdfRecordingInfo:
    """EDF+ recording identification after the start date."""

    admin_code: str = "X"
    technician: str = "X"
    equipment: str = "X"


ANONYMOUS = EdfPatient()
NO_RECORDING_INFO = EdfRecordingInfo()


@dataclass(frozen=True, slots=True)
class EdfWriteResult:
    path: Path
    layout: RecordLayout
    clipped_samples: int


def header_number(value: float) -> str:
    """``value`` as a plain decimal of at most 8 characters (EDF header numbers)."""
    for decimals in range(7, -1, -1):
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        text = "0" if text == "-0" else text
        if len(text) <= 8:
            return text
    raise ValueError(f"{value} does not fit an 8-character EDF header field")


def _tal_number(value: float) -> str:
    text = f"{abs(value):.9f}".rstrip("0").rstrip(".")
    return text or "0"


def _tal_text(text: str) -> str:
    return "".join(" " if c in "\x00\x14\x15" else c for c in text)


def _timekeeping(onset: float) -> bytes:
    return f"+{_tal_number(onset)}\x14\x14\x00".encode()


@dataclass(frozen=True, slots=True)
class RecordLayout:
    """Data-record structure: duration, samples per signal, count, TAL bytes per record."""

    record_s: float
    samples_per_record: int
    n_records: int
    n_channels: int
    annotation_bytes: int
    duration_s: float

    @property
    def signal_bytes(self) -> int:
        return 2 * self.n_channels * self.samples_per_record

    @property
    def record_bytes(self) -> int:
        return self.signal_bytes + self.annotation_bytes


class _TalPacker:
    """Places annotation TALs into data records after each record's time-keeping TAL."""

    def __init__(self, annotations: Sequence[Annotation], labels: Sequence[str]) -> None:
        known = set(labels)
        tals: list[tuple[float, bytes]] = []
        for ann in sorted(annotations, key=lambda a: a.onset):
            sign = "+" if ann.onset >= 0 else "-"
            head = sign + _tal_number(ann.onset)
            if ann.duration > 0:
                head += "\x15" + _tal_number(ann.duration)
            texts = [f"{ann.description}@@{ch}" for ch in ann.channels if ch in known]
            for text in texts or [ann.description]:
                tals.append((ann.onset, f"{head}\x14{_tal_text(text)}\x14\x00".encode()))
        self.tals = tals
        self.placed: dict[int, list[bytes]] = {}

    def capacity(self, n_records: int, record_s: float) -> int:
        """Bytes per record needed to hold every TAL; sets the placement."""
        longest = max((len(t) for _, t in self.tals), default=0)
        keeping = len(_timekeeping((n_records - 1) * record_s))
        total = sum(len(t) for _, t in self.tals)
        cap = keeping + max(longest, -(-total // max(n_records, 1)), 16)
        while not self._place(n_records, record_s, cap):
            cap *= 2
        return cap + cap % 2

    def _place(self, n_records: int, record_s: float, cap: int) -> bool:
        placed: dict[int, list[bytes]] = {}
        used: dict[int, int] = {}
        current = 0
        for onset, tal in self.tals:
            record = max(current, min(max(int(onset // record_s), 0), n_records - 1))
            while record < n_records:
                size = used.get(record, len(_timekeeping(record * record_s)))
                if size + len(tal) <= cap:
                    break
                record += 1
            if record == n_records:
                return False
            used[record] = used.get(record, len(_timekeeping(record * record_s))) + len(tal)
            placed.setdefault(record, []).append(tal)
            current = record
        self.placed = placed
        return True

    def records(self, first: int, count: int, layout: RecordLayout) -> NDArray[np.uint8]:
        """(count, annotation_bytes) of the annotation signal of records [first, first+count)."""
        out = np.zeros((count, layout.annotation_bytes), dtype=np.uint8)
        for i in range(count):
            r = first + i
            data = _timekeeping(r * layout.record_s) + b"".join(self.placed.get(r, ()))
            out[i, : len(data)] = np.frombuffer(data, dtype=np.uint8)
        return out


_PREFERRED_S = (1.0, 0.5, 0.25, 0.2, 0.1, 0.05, 0.04, 0.025, 0.02, 0.01)
_LONGER_S = (2.0, 4.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0)
MAX_RECORD_BYTES = 61440


def _choose_layout(
    sfreq: float, n_channels: int, duration_s: float, packer: _TalPacker
) -> RecordLayout:
    """1-s records when possible; else the first duration holding whole samples and
    keeping a record within 61440 bytes; else the smallest that holds whole samples."""
    fallback: RecordLayout | None = None
    for record_s in (*_PREFERRED_S, *_LONGER_S):
        spr = round(sfreq * record_s)
        if spr < 1 or abs(sfreq * record_s - spr) > 1e-6 * max(spr, 1):
            continue
        n_records = max(1, int(np.ceil(duration_s / record_s - 1e-9)))
        cap = packer.capacity(n_records, record_s)
        layout = RecordLayout(record_s, spr, n_records, n_channels, cap, duration_s)
        if layout.record_bytes <= MAX_RECORD_BYTES:
            return layout
        if fallback is None or layout.record_bytes < fallback.record_bytes:
            fallback = layout
    if fallback is None:
        raise ExportError(
            "EDF+ export", f"the sampling rate {sfreq} Hz fits no EDF record duration"
        )
    packer.capacity(fallback.n_records, fallback.record_s)
    return fallback


def _ascii(text: str, width: int | None = None, field: bool = False) -> str:
    clean = "".join(c if 32 <= ord(c) < 127 else "_" for c in text)
    if field:  # EDF+ subfields: no spaces inside, X when empty
        clean = clean.strip().replace(" ", "_") or "X"
    return clean if width is None else clean[:width].ljust(width)


def _edf_date(day: date | None) -> str:
    if day is None:
        return "X"
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year:04d}"


def _header(
    channels: Sequence[EdfChannel],
    layout: RecordLayout,
    start: datetime | None,
    patient: EdfPatient,
    recording: EdfRecordingInfo,
) -> bytes:
    """The 256 × (signals + 1) header bytes (unknown start: 01.01.85, ``Startdate X``)."""
    stamp = start or datetime(1985, 1, 1)
    who = (patient.code, patient.sex, _edf_date(patient.birthdate), patient.name)
    rec = (recording.admin_code, recording.technician, recording.equipment)
    started = f"Startdate {_edf_date(start.date() if start else None)}"
    ns = len(channels) + 1
    fixed = [
        ("0", 8),
        (" ".join(_ascii(v, field=True) for v in who), 80),
        (" ".join([started, *(_ascii(v, field=True) for v in rec)]), 80),
        (stamp.strftime("%d.%m.%y%H.%M.%S"), 16),
        (256 * (ns + 1), 8),
        ("EDF+C", 44),
        (layout.n_records, 8),
        (header_number(layout.record_s), 8),
        (ns, 4),
    ]
    signals: list[tuple[list[object], int]] = [
        ([*(c.label for c in channels), "EDF Annotations"], 16),
        ([*(c.transducer for c in channels), ""], 80),
        ([*(c.dimension for c in channels), ""], 8),
        ([*(header_number(c.physical_min) for c in channels), "-1"], 8),
        ([*(header_number(c.physical_max) for c in channels), "1"], 8),
        ([DIGITAL_MIN] * ns, 8),
        ([DIGITAL_MAX] * ns, 8),
        ([*(c.prefilter for c in channels), ""], 80),
        ([*[layout.samples_per_record] * len(channels), layout.annotation_bytes // 2], 8),
        ([""] * ns, 32),
    ]
    text = "".join(_ascii(str(v), w) for v, w in fixed)
    text += "".join(_ascii(str(v), w) for values, w in signals for v in values)
    return text.encode("ascii")


def _check_target(path: Path, overwrite: bool, source: Path | None) -> None:
    same = source is not None and (
        path.resolve() == source.resolve()
        or (path.exists() and source.exists() and os.path.samefile(path, source))
    )
    if same:
        why = "that is the recording being exported; choose a new file"
        raise ExportError(f"Export to {path}", why)
    if path.exists() and not overwrite:
        raise ExportError(f"Export to {path}", "the file already exists; choose another name")
    if not path.parent.is_dir():
        raise ExportError(f"Export to {path}", f"the folder {path.parent} does not exist")


def _ranges(path: Path, channels: Sequence[EdfChannel]) -> tuple[NDArray[np.float64], ...]:
    """Physical (low, high) per channel as the header stores them; labels checked."""
    labels = [c.label for c in channels]
    if len(set(labels)) != len(labels) or any(not 0 < len(x) <= 16 for x in labels):
        raise ExportError(f"Export to {path}", "channel labels must be unique, 1-16 characters")
    low = np.array([float(header_number(c.physical_min)) for c in channels])
    high = np.array([float(header_number(c.physical_max)) for c in channels])
    if np.any(high <= low):
        why = "a channel's physical maximum is not above its minimum"
        raise ExportError(f"Export to {path}", why)
    return low, high


def _digital(
    data: NDArray[np.float32], low: NDArray[np.float64], high: NDArray[np.float64]
) -> tuple[NDArray[np.int16], int]:
    """int16 samples of µV ``data`` (n_channels, n; overwritten) and the clipped count."""
    scale = (DIGITAL_MAX - DIGITAL_MIN) / (high - low)
    offset = DIGITAL_MIN - low * scale
    digital = data  # scaled in place
    np.nan_to_num(digital, copy=False)
    digital *= scale.astype(np.float32)[:, None]
    digital += offset.astype(np.float32)[:, None]
    np.rint(digital, out=digital)
    clipped = int(np.count_nonzero(digital < DIGITAL_MIN) + np.count_nonzero(digital > DIGITAL_MAX))
    np.clip(digital, DIGITAL_MIN, DIGITAL_MAX, out=digital)
    return digital.astype("<i2"), clipped


def write_edf_plus(
    path: str | os.PathLike[str],
    *,
    channels: Sequence[EdfChannel],
    sfreq: float,
    duration_s: float,
    chunk: ChunkSource,
    start: datetime | None = None,
    annotations: Sequence[Annotation] = (),
    patient: EdfPatient = ANONYMOUS,
    recording: EdfRecordingInfo = NO_RECORDING_INFO,
    overwrite: bool = False,
    source: str | os.PathLike[str] | None = None,
    chunk_s: float = 60.0,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EdfWriteResult:
    """Write an EDF+C file from ``chunk(start_s, duration_s) -> µV (n_channels, n)``.

    ``chunk`` is asked for consecutive spans inside [0, duration_s); a shorter answer is
    zero-padded. ``start`` is stored to the second. ``progress(fraction)`` is called after
    each chunk; ``should_stop()`` returning True cancels (raises :class:`WriteCancelled`;
    nothing is left behind).
    """
    target = Path(path)
    _check_target(target, overwrite, Path(source) if source is not None else None)
    low, high = _ranges(target, channels)
    packer = _TalPacker(annotations, [c.label for c in channels])
    layout = _choose_layout(sfreq, len(channels), duration_s, packer)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    encoder = _Encoder(layout, packer, chunk, low, high)
    clipped = 0
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_header(channels, layout, start, patient, recording))
            for first, count in _chunks(layout, chunk_s):
                if should_stop is not None and should_stop():
                    raise WriteCancelled("EDF+ write cancelled")
                data, n_clip = encoder.encode(first, count)
                out.write(data)
                clipped += n_clip
                if progress is not None:
                    progress((first + count) / layout.n_records)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if clipped:
        log.warning("%s: %d samples beyond the physical range were clipped", target, clipped)
    return EdfWriteResult(target, layout, clipped)


def _chunks(layout: RecordLayout, chunk_s: float) -> list[tuple[int, int]]:
    """(first record, record count) of each chunk."""
    per = max(1, int(chunk_s / layout.record_s))
    return [(f, min(per, layout.n_records - f)) for f in range(0, layout.n_records, per)]


@dataclass(frozen=True, slots=True)
class _Encoder:
    """Turns chunks of µV into data records (int16 signals + the annotation signal)."""

    layout: RecordLayout
    packer: _TalPacker
    chunk: ChunkSource
    low: NDArray[np.float64]
    high: NDArray[np.float64]

    def encode(self, first: int, count: int) -> tuple[bytes, int]:
        """The bytes of ``count`` records from record ``first``, and the clipped count."""
        layout = self.layout
        n_ch, spr = len(self.low), layout.samples_per_record
        t0 = first * layout.record_s
        span = min(count * layout.record_s, layout.duration_s - t0)
        data = np.asarray(self.chunk(t0, span))
        if data.ndim != 2 or data.shape[0] != n_ch:
            raise ValueError(f"chunk returned shape {data.shape}, expected ({n_ch}, n)")
        block = np.zeros((n_ch, count * spr), dtype=np.float32)
        m = min(data.shape[1], count * spr, round(span * spr / layout.record_s))
        block[:, :m] = data[:, :m]
        digital, clipped = _digital(block, self.low, self.high)
        records = np.empty((count, layout.record_bytes), dtype=np.uint8)
        signal = np.ascontiguousarray(digital.reshape(n_ch, count, spr).transpose(1, 0, 2))
        records[:, : layout.signal_bytes] = signal.view(np.uint8).reshape(count, -1)
        records[:, layout.signal_bytes :] = self.packer.records(first, count, layout)
        return records.tobytes(), clipped

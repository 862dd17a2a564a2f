"""EDF/EDF+/BDF header validation, done before a file is handed to mne.

mne trusts the header: a wrong record count or a truncated file is "fixed" by
guessing from the file size, and a non-EDF file fails with whatever exception
the parser hits first. Clinically a recording whose size does not match its
header may be missing its end (or worse, be misaligned), so Ictal checks the
layout itself and refuses such files with a one-line :class:`RecordingError`:

- the header must be ``256 * (ns + 1)`` bytes and every numeric field a number;
- the data must be exactly ``n_records`` whole records. A record count of
  ``-1`` (a recorder that never finalised the header) is accepted: the count is
  computed from the file size and an incomplete last record is ignored.

Only the header is read here; signal data is always read by mne.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from app.core.errors import RecordingError
from app.core.recording_info import PatientInfo

log = logging.getLogger(__name__)

ANNOTATION_LABELS = ("EDF Annotations", "BDF Annotations")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True, slots=True)
class SignalHeader:
    """One signal's header fields (``n_samples`` is per data record)."""

    label: str
    transducer: str
    unit: str
    physical_min: float
    physical_max: float
    digital_min: float
    digital_max: float
    prefilter: str
    n_samples: int

    @property
    def is_annotation(self) -> bool:
        return self.label in ANNOTATION_LABELS


@dataclass(frozen=True, slots=True)
class EdfHeader:
    """The validated layout of an EDF or BDF file."""

    kind: str  # "EDF" or "BDF"
    reserved: str
    patient: str
    recording: str
    start: datetime | None
    header_bytes: int
    n_records: int
    record_duration_s: float
    signals: tuple[SignalHeader, ...]
    file_size: int

    @property
    def bytes_per_sample(self) -> int:
        return 3 if self.kind == "BDF" else 2

    @property
    def record_bytes(self) -> int:
        return sum(s.n_samples for s in self.signals) * self.bytes_per_sample

    @property
    def is_plus(self) -> bool:
        return self.reserved.startswith(("EDF+", "BDF+"))

    @property
    def format(self) -> str:
        """``EDF``, ``EDF+C``, ``EDF+D``, ``BDF``, ``BDF+C`` or ``BDF+D``."""
        if self.is_plus:
            variant = self.reserved[4:5] if self.reserved[4:5] in ("C", "D") else "C"
            return f"{self.kind}+{variant}"
        return self.kind

    def signal_offset(self, index: int) -> int:
        """Byte offset of signal ``index`` inside one data record."""
        return sum(s.n_samples for s in self.signals[:index]) * self.bytes_per_sample


def _text(raw: bytes) -> str:
    return raw.decode("latin-1").strip()


def _number(raw: bytes, field: str, cast: type[int] | type[float]) -> float:
    text = _text(raw)
    try:
        return cast(text)
    except ValueError:
        raise ValueError(f"header field '{field}' is not a number: {text!r}") from None


def _kind(first8: bytes) -> str:
    if first8 == b"\xffBIOSEMI":
        return "BDF"
    if _text(first8) == "0":
        return "EDF"
    raise ValueError(f"not an EDF or BDF file (version field {first8[:8]!r})")


def _parse_start(date_text: str, time_text: str, recording: str) -> datetime | None:
    """Clock time of the first record; the EDF+ 4-digit year wins over ``yy``."""
    try:
        day, month, yy = (int(x) for x in date_text.split("."))
        hour, minute, second = (int(x) for x in time_text.split("."))
        year = 1900 + yy if yy >= 85 else 2000 + yy
        parts = recording.split()
        if len(parts) >= 2 and parts[0] == "Startdate":
            full = parse_edf_date(parts[1])
            if full is not None:
                year = full.year
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        log.warning("invalid start date/time in header: %r %r", date_text, time_text)
        return None


def parse_edf_date(text: str) -> date | None:
    """``02-AUG-1951`` -> date (locale-independent); ``X`` or junk -> None."""
    parts = text.split("-")
    if len(parts) != 3 or parts[1].upper() not in _MONTHS:
        return None
    try:
        return date(int(parts[2]), _MONTHS.index(parts[1].upper()) + 1, int(parts[0]))
    except ValueError:
        return None


def _unknown(value: str) -> str:
    return "" if value == "X" else value.replace("_", " ")


def parse_patient(field: str, plus: bool) -> PatientInfo:
    """EDF+ patient subfields: ``code sex birthdate name [more]`` (``X`` = unknown)."""
    parts = field.split()
    if not plus or len(parts) < 4:
        return PatientInfo(raw=field)
    sex = parts[1].upper() if parts[1].upper() in ("M", "F") else ""
    return PatientInfo(
        code=_unknown(parts[0]),
        name=_unknown(parts[3]),
        sex=sex,
        birthdate=parse_edf_date(parts[2]),
        raw=field,
    )


def parse_recording(field: str, plus: bool) -> tuple[str, str, str]:
    """(recording id, technician, equipment) from the recording field.

    EDF+: ``Startdate dd-MMM-yyyy admincode technician equipment [more]``; plain
    EDF: the whole field is the recording id.
    """
    parts = field.split()
    if not plus or len(parts) < 5 or parts[0] != "Startdate":
        return field, "", ""
    return _unknown(parts[2]), _unknown(parts[3]), _unknown(parts[4])


def _signals(block: bytes, ns: int) -> tuple[SignalHeader, ...]:
    widths = (16, 80, 8, 8, 8, 8, 8, 80, 8, 32)
    columns: list[list[bytes]] = []
    pos = 0
    for width in widths:
        columns.append([block[pos + i * width : pos + (i + 1) * width] for i in range(ns)])
        pos += width * ns
    signals = []
    for i in range(ns):
        n_samples = int(_number(columns[8][i], f"samples per record of signal {i + 1}", int))
        if n_samples < 1:
            raise ValueError(f"signal {i + 1} has {n_samples} samples per record")
        signals.append(
            SignalHeader(
                label=_text(columns[0][i]),
                transducer=_text(columns[1][i]),
                unit=_text(columns[2][i]),
                physical_min=_number(columns[3][i], f"physical minimum of signal {i + 1}", float),
                physical_max=_number(columns[4][i], f"physical maximum of signal {i + 1}", float),
                digital_min=_number(columns[5][i], f"digital minimum of signal {i + 1}", float),
                digital_max=_number(columns[6][i], f"digital maximum of signal {i + 1}", float),
                prefilter=_text(columns[7][i]),
                n_samples=n_samples,
            )
        )
    return tuple(signals)


def _parse(head: bytes, read_rest: int, rest: bytes, file_size: int) -> EdfHeader:
    kind = _kind(head[:8])
    header_bytes = int(_number(head[184:192], "header bytes", int))
    n_records = int(_number(head[236:244], "number of data records", int))
    record_duration = float(_number(head[244:252], "duration of a data record", float))
    ns = int(_number(head[252:256], "number of signals", int))
    if ns < 1:
        raise ValueError(f"the header declares {ns} signals")
    if header_bytes != 256 * (ns + 1):
        raise ValueError(
            f"header size field says {header_bytes} bytes but {ns} signals need {256 * (ns + 1)}"
        )
    if len(rest) < read_rest:
        raise ValueError(f"file truncated inside the header ({file_size} of {header_bytes} bytes)")
    signals = _signals(rest, ns)
    if all(s.is_annotation for s in signals):
        raise ValueError("the file holds only annotations, no signals")
    if record_duration <= 0:
        raise ValueError(f"data record duration is {record_duration} s")
    recording = _text(head[88:168])
    header = EdfHeader(
        kind=kind,
        reserved=_text(head[192:236]),
        patient=_text(head[8:88]),
        recording=recording,
        start=_parse_start(_text(head[168:176]), _text(head[176:184]), recording),
        header_bytes=header_bytes,
        n_records=n_records,
        record_duration_s=record_duration,
        signals=signals,
        file_size=file_size,
    )
    return _check_size(header)


def _check_size(header: EdfHeader) -> EdfHeader:
    data_bytes = header.file_size - header.header_bytes
    complete, partial = divmod(data_bytes, header.record_bytes)
    if header.n_records == -1:
        if partial:
            log.warning("ignoring an incomplete last record (%d bytes)", partial)
        if complete == 0:
            raise ValueError("no complete data record in the file")
        return replace(header, n_records=complete)
    if header.n_records < 1:
        raise ValueError(f"the header declares {header.n_records} data records")
    expected = header.n_records * header.record_bytes
    if data_bytes < expected:
        raise ValueError(
            f"file truncated: the header declares {header.n_records} records of "
            f"{header.record_bytes} bytes but only {complete} complete records are present"
        )
    if data_bytes > expected:
        raise ValueError(
            f"file size does not match the header: {data_bytes - expected} bytes after the "
            f"last of {header.n_records} declared records"
        )
    return header


def read_edf_header(path: Path) -> EdfHeader:
    """Read and validate the header of an EDF/BDF file (read-only).

    Raises :class:`RecordingError` with a one-line reason for anything that is
    not a well-formed EDF/BDF file.
    """
    try:
        with open(path, "rb") as fid:
            file_size = os.fstat(fid.fileno()).st_size
            if file_size == 0:
                raise RecordingError(str(path), "the file is empty")
            head = fid.read(256)
            if len(head) < 256:
                raise RecordingError(
                    str(path), f"not an EDF file: only {len(head)} bytes, shorter than a header"
                )
            ns_text = _text(head[252:256])
            read_rest = 256 * int(ns_text) if ns_text.isdigit() else 0
            rest = fid.read(read_rest) if read_rest else b""
    except OSError as exc:
        raise RecordingError(str(path), exc.strerror or str(exc)) from exc
    try:
        return _parse(head, read_rest, rest, file_size)
    except ValueError as exc:
        raise RecordingError(str(path), str(exc)) from exc

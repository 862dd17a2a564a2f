"""A cheap identity for a recording file, so a session is never applied to the wrong night.

A session file (annotations, analysis results) belongs to one recording. Its file name
alone is not proof: files get renamed, re-exported, or a different night is copied over
with the same name. The fingerprint is the file size, the SHA-256 of the header bytes and
the SHA-256 of the first and last data records. For EDF/BDF the header and record layout
come from the header itself; for other formats the first and last 64 KiB stand in for
them. Reading costs a few kilobytes whatever the recording's length: no full read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from app.core.errors import RecordingError
from app.core.recording_header import read_edf_header

#: Bytes hashed at each end of a file whose record layout Ictal does not know.
BLOCK_BYTES = 64 * 1024
_EDF_SUFFIXES = (".edf", ".bdf")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Size, header hash and first/last-record hash of a recording file."""

    size: int
    header_sha256: str
    records_sha256: str

    @property
    def key(self) -> str:
        """A short stable text naming this recording (used for private session files)."""
        text = f"{self.size}:{self.header_sha256}:{self.records_sha256}"
        return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]

    def as_attrs(self) -> dict[str, str | int]:
        """The fingerprint as HDF5 attributes (``fingerprint_*``)."""
        return {
            "fingerprint_size": self.size,
            "fingerprint_header_sha256": self.header_sha256,
            "fingerprint_records_sha256": self.records_sha256,
        }

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, object]) -> Fingerprint | None:
        """The fingerprint stored by :meth:`as_attrs`; None when absent or damaged."""
        size = attrs.get("fingerprint_size")
        header = attrs.get("fingerprint_header_sha256")
        records = attrs.get("fingerprint_records_sha256")
        if not isinstance(size, int | np.integer) or header is None or records is None:
            return None
        return cls(int(size), _text(header), _text(records))


def _text(value: object) -> str:
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)


def _read(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def _edf_spans(path: Path, size: int) -> tuple[tuple[int, int], ...] | None:
    """(header, first record, last record) byte spans of an EDF/BDF; None if not one."""
    if not path.name.lower().endswith(_EDF_SUFFIXES):
        return None
    try:
        header = read_edf_header(path)
    except RecordingError:
        return None
    record = header.record_bytes
    complete = (size - header.header_bytes) // record if record > 0 else 0
    if complete < 1:
        return None
    last = header.header_bytes + (complete - 1) * record
    return ((0, header.header_bytes), (header.header_bytes, record), (last, record))


def fingerprint(path: str | os.PathLike[str]) -> Fingerprint:
    """The fingerprint of the recording at ``path`` (reads a few KiB, read-only).

    Raises :class:`RecordingError` when the file cannot be read.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            spans = _edf_spans(path, size) or (
                (0, min(size, BLOCK_BYTES)),
                (0, 0),
                (max(0, size - BLOCK_BYTES), min(size, BLOCK_BYTES)),
            )
            (h_off, h_len), first, last = spans
            header = hashlib.sha256(_read(handle, h_off, h_len)).hexdigest()
            records = hashlib.sha256()
            for offset, length in (first, last):
                records.update(_read(handle, offset, length))
    except OSError as exc:
        raise RecordingError(str(path), exc.strerror or str(exc)) from exc
    return Fingerprint(size, header, records.hexdigest())

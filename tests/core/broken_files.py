"""Broken recordings for error-path tests, built in a temporary folder at test time.

Every case starts from a small valid EDF+ file (4 EEG + 1 ECG channel, 256 Hz, ten 1-s
records, one annotation) written with edfio, then breaks it the way files break in
clinics: a copy that stopped mid-transfer, a header edited by a buggy exporter, a file
renamed to ``.edf`` that is not EEG, an empty file, a path that cannot be read.
Nothing binary is committed; call :func:`make_broken_files` with ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SFREQ = 256
N_RECORDS = 10
LABELS = ("EEG Fp1-REF", "EEG F3-REF", "EEG C3-REF", "EEG P3-REF", "ECG")

# Byte offsets of the fixed part of an EDF header (EDF spec, section 2.1).
_HEADER_BYTES = slice(184, 192)
_N_RECORDS = slice(236, 244)
_N_SIGNALS = slice(252, 256)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class BrokenFile:
    """One broken input: a name for test ids, the path, and what is wrong with it."""

    name: str
    path: Path
    defect: str


def write_valid_edf(path: Path, seconds: int = N_RECORDS) -> Path:
    """A small valid EDF+ file: 4 EEG channels and an ECG at 256 Hz, 1-s records."""
    from edfio import Edf, EdfAnnotation, EdfSignal, Patient

    rng = np.random.default_rng(7)
    t = np.arange(seconds * SFREQ) / SFREQ
    signals = [
        EdfSignal(
            50.0 * np.sin(2 * np.pi * (5 + i) * t) + 5.0 * rng.standard_normal(t.size),
            SFREQ,
            label=label,
            physical_dimension="uV",
            physical_range=(-500.0, 500.0),
        )
        for i, label in enumerate(LABELS)
    ]
    edf = Edf(
        signals,
        patient=Patient(code="P001", sex="F", birthdate=dt.date(1990, 5, 17), name="Test"),
        starttime=dt.time(22, 30, 0),
        data_record_duration=1.0,
        annotations=[EdfAnnotation(3.0, 2.0, "seizure onset")],
    )
    edf.write(path)
    return path


def header_size(data: bytes) -> int:
    """The header length an EDF file's own signal count implies: 256 * (signals + 1)."""
    return 256 * (int(data[_N_SIGNALS].decode("ascii")) + 1)


def record_size(data: bytes) -> int:
    """Bytes per data record: 2 bytes per sample of every signal (incl. annotations)."""
    n_signals = int(data[_N_SIGNALS].decode("ascii"))
    offset = 256 + 216 * n_signals  # samples-per-record fields follow 216 bytes per signal
    counts = [
        int(data[offset + 8 * i : offset + 8 * (i + 1)].decode("ascii")) for i in range(n_signals)
    ]
    return 2 * sum(counts)


def _with_field(data: bytes, field: slice, value: str) -> bytes:
    width = field.stop - field.start
    return data[: field.start] + value.ljust(width)[:width].encode("ascii") + data[field.stop :]


def make_broken_files(folder: Path) -> list[BrokenFile]:
    """Write every broken case into ``folder``; the valid source is ``folder/valid.edf``."""
    folder.mkdir(parents=True, exist_ok=True)
    valid = write_valid_edf(folder / "valid.edf").read_bytes()
    header, record = header_size(valid), record_size(valid)
    cases: list[BrokenFile] = []

    def add(name: str, content: bytes, defect: str) -> None:
        path = folder / f"{name}.edf"
        path.write_bytes(content)
        cases.append(BrokenFile(name, path, defect))

    add(
        "truncated",
        valid[: header + 2 * record + record // 2],
        "file ends in the middle of record 3 of 10 (interrupted copy)",
    )
    add(
        "header_only",
        valid[:header],
        "header intact but no data records at all",
    )
    add(
        "bad_header_bytes",
        _with_field(valid, _HEADER_BYTES, str(header + 256)),
        "header byte-count field disagrees with the number of signals",
    )
    add(
        "garbled_header_bytes",
        _with_field(valid, _HEADER_BYTES, "abc"),
        "header byte-count field is not a number",
    )
    add(
        "too_many_records",
        _with_field(valid, _N_RECORDS, str(N_RECORDS * 10)),
        "header claims 100 data records, the file holds 10",
    )
    add("text", b"This is a clinical note, not an EEG.\n" * 40, "plain text named .edf")
    add("png", PNG_SIGNATURE + bytes(range(256)) * 4, "PNG image named .edf")
    add("empty", b"", "empty file")
    cases.append(_unreadable(folder))
    folder_edf = folder / "folder.edf"
    folder_edf.mkdir()
    cases.append(BrokenFile("folder", folder_edf, "a folder named .edf"))
    cases.append(BrokenFile("missing", folder / "missing.edf", "no such file"))
    return cases


def _unreadable(folder: Path) -> BrokenFile:
    """A file without read permission; as root (where chmod does not stop reads) a folder."""
    path = folder / "unreadable.edf"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.write_bytes(b"0" * 512)
        path.chmod(0)
        return BrokenFile("unreadable", path, "no read permission")
    path.mkdir()
    return BrokenFile("unreadable", path, "a folder (running as root: chmod cannot stop reads)")


BROKEN_NAMES = (
    "truncated",
    "header_only",
    "bad_header_bytes",
    "garbled_header_bytes",
    "too_many_records",
    "text",
    "png",
    "empty",
    "unreadable",
    "folder",
    "missing",
)

"""The recording layer refuses broken files with one clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.errors import RecordingError
from app.core.recording import (
    SUPPORTED_SUFFIXES,
    open_recording,
)
from tests.core.edf_builders import Layout, Sig, ramp, write_edf

# -- the error contract ------------------------------------------------------------------


def _good_bytes(tmp_path: Path) -> bytes:
    return write_edf(
        tmp_path / "good.edf", [Sig("EEG Cz", 100, ramp(300))], Layout(plus=None)
    ).read_bytes()


def _broken(tmp_path: Path, kind: str) -> Path:
    good = _good_bytes(tmp_path)
    path = tmp_path / "broken.edf"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "short header":
        path.write_bytes(good[:100])
    elif kind == "cut in header":
        path.write_bytes(good[:300])
    elif kind == "truncated data":
        path.write_bytes(good[:-150])
    elif kind == "trailing bytes":
        path.write_bytes(good + b"\x00" * 400)
    elif kind == "too many records":
        path.write_bytes(good[:236] + b"5       " + good[244:])
    elif kind == "header bytes":
        path.write_bytes(good[:184] + b"999     " + good[192:])
    elif kind == "nonnumeric":
        path.write_bytes(good[:252] + b"ab  " + good[256:])
    elif kind == "zero records":
        path.write_bytes(good[:236] + b"0       " + good[244:])
    elif kind == "text":
        path.write_text("this is not an EEG recording\n" * 40)
    elif kind == "zero duration":
        path.write_bytes(good[:244] + b"0       " + good[252:])
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("empty", "empty"),
        ("short header", "shorter than a header"),
        ("cut in header", "truncated inside the header"),
        ("truncated data", "truncated"),
        ("trailing bytes", "does not match the header"),
        ("too many records", "truncated"),
        ("header bytes", "header size"),
        ("nonnumeric", "not a number"),
        ("zero records", "0 data records"),
        ("text", "not an EDF"),
        ("zero duration", "duration"),
    ],
)
def test_broken_edf_files_raise_recording_error(tmp_path: Path, kind: str, reason: str) -> None:
    path = _broken(tmp_path, kind)
    with pytest.raises(RecordingError) as err:
        open_recording(path)
    assert err.value.what == str(path)
    assert reason in err.value.why and "\n" not in err.value.why


def test_unreadable_paths_raise_recording_error(tmp_path: Path, simple: Path) -> None:
    cases = [tmp_path / "missing.edf", tmp_path / "folder.edf", tmp_path / "notes.txt"]
    cases[1].mkdir()
    cases[2].write_text("hello")
    for path in cases:
        with pytest.raises(RecordingError) as err:
            open_recording(path)
        assert err.value.what == str(path) and err.value.why
    if os.name == "posix" and os.geteuid() != 0:
        os.chmod(simple, 0)
        with pytest.raises(RecordingError, match="ermission"):
            open_recording(simple)


@pytest.mark.parametrize("name", ["x.vhdr", "x.set", "x.fif", "x.mat", "x.bdf"])
def test_garbage_in_every_format_raises_recording_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x01\x02garbage" * 100)
    with pytest.raises(RecordingError) as err:
        open_recording(path)
    assert err.value.what == str(path) and "\n" not in err.value.why


def test_a_file_cut_after_opening_raises_recording_error_on_read(
    tmp_path: Path, simple: Path
) -> None:
    copy = tmp_path / "copy.edf"
    copy.write_bytes(simple.read_bytes())
    rec = open_recording(copy)
    with open(copy, "r+b") as fid:
        fid.truncate(1000)
    with pytest.raises(RecordingError):
        rec.read_page(5, 5)


def test_supported_suffixes_are_lower_case() -> None:
    assert all(s == s.lower() and s.startswith(".") for s in SUPPORTED_SUFFIXES)
    assert {".edf", ".bdf", ".vhdr", ".set", ".fif", ".mat"} <= set(SUPPORTED_SUFFIXES)

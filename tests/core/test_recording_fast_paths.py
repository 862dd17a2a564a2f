"""The fast ways in: Ictal's own EDF/BDF block reader and the deferred annotation scan.

The block reader must give mne's values to the last bit (and mne's channel names); the
annotation scan, done window by window, must find what a record-by-record parse finds,
on EDF+C (deferred until first use) and EDF+D (read at open: gaps need it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core import recording_tal
from app.core.recording import open_recording
from app.core.recording_edf import _mne_gain
from app.core.recording_edf_mne import mne_raw
from app.core.recording_edf_reader import EdfBlockReader, is_uniform, mne_channel_names
from app.core.recording_header import read_edf_header
from tests.core.edf_builders import Layout, Sig, ramp, tal, write_edf


def _signals(n: int) -> list[Sig]:
    rng = np.random.default_rng(7)
    return [
        Sig("EEG Fp1", 50, rng.normal(0, 80, n), "uV"),
        Sig("EEG Fp1", 50, ramp(n), "uV"),  # a duplicate label: mne renames both
        Sig("EEG Cz", 50, rng.normal(0, 0.05, n), "mV", (-3.2768, 3.2767)),
        Sig("ECG", 50, rng.normal(0, 5e-4, n), "V", (-0.004, 0.004)),
        Sig("SpO2", 50, np.full(n, 97.0), "%", (0, 100)),
    ]


@pytest.mark.parametrize("bdf", [False, True])
def test_block_reader_gives_mnes_values_and_names(tmp_path: Path, bdf: bool) -> None:
    path = write_edf(tmp_path / ("rec.bdf" if bdf else "rec.edf"), _signals(600), Layout(bdf=bdf))
    header = read_edf_header(path)
    assert is_uniform(header)
    signals = [s for s in header.signals if not s.is_annotation]
    ours = EdfBlockReader(path, header, [_mne_gain(s.unit) for s in signals])
    theirs = mne_raw(path, header)
    try:
        assert ours.ch_names == theirs.ch_names
        assert (ours.n_times, ours.sfreq) == (theirs.n_times, theirs.info["sfreq"])
        for picks, start, stop in [([0, 1, 2, 3, 4], 0, 600), ([3, 0], 37, 411), ([2], 599, 600)]:
            np.testing.assert_array_equal(
                ours.get_data(picks, start, stop),
                theirs.get_data(picks=picks, start=start, stop=stop),
            )
    finally:
        ours.close()
        theirs.close()


@pytest.mark.filterwarnings("ignore:Channel names are not unique")
def test_mne_channel_names_number_duplicates_as_mne_does() -> None:
    from mne._fiff.meas_info import _unique_channel_names

    for labels in (["Fp1", "Cz", "Fp1", "Fp1-0"], ["A", "B"], ["X", "X", "X", "Y", "Y"]):
        assert mne_channel_names(labels) == _unique_channel_names(list(labels))
    assert mne_channel_names(["Fp1", "Cz", "Fp1", "Fp1-0"]) == ["Fp1-a", "Cz", "Fp1-1", "Fp1-0"]


def test_mixed_rates_are_not_for_the_block_reader(tmp_path: Path) -> None:
    sigs = [Sig("EEG Cz", 100, ramp(500)), Sig("EEG Pz", 50, ramp(250))]
    assert not is_uniform(read_edf_header(write_edf(tmp_path / "mixed.edf", sigs)))


def _night(tmp_path: Path, plus: str = "C") -> Path:
    """90 one-second records; annotations here and there, one in a time-keeping TAL."""
    tals = {k: [tal(k + 0.5, f"event {k}")] for k in (0, 7, 8, 41, 89)}
    tals[50] = [tal(50.25, "two\x14texts", 2.0)]
    onsets = [k + (10.0 if plus == "D" and k >= 60 else 0.0) for k in range(90)]
    lay = Layout(plus=plus, tals=tals, record_onsets=onsets)
    path = write_edf(tmp_path / f"night_{plus}.edf", [Sig("EEG Cz", 10, ramp(900))], lay)
    raw = bytearray(path.read_bytes())
    # Record 20's time-keeping TAL carries a text too: "+20\x14\x14Lights off\x14\x00".
    header = read_edf_header(path)
    at = header.header_bytes + 20 * header.record_bytes + header.signal_offset(1)
    keeping = b"+20\x14\x14Lights off\x14\x00"
    raw[at : at + len(keeping)] = keeping
    path.write_bytes(bytes(raw))
    return path


EXPECTED = [
    (0.5, "event 0"),
    (7.5, "event 7"),
    (8.5, "event 8"),
    (20.0, "Lights off"),
    (41.5, "event 41"),
    (50.25, "two"),
    (50.25, "texts"),
    (89.5, "event 89"),
]


@pytest.mark.parametrize("window_bytes", [64, 1000, 8 * 2**20])
def test_annotations_are_read_on_first_use_whatever_the_scan_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window_bytes: int
) -> None:
    monkeypatch.setattr(recording_tal, "_WINDOW_BYTES", window_bytes)
    with open_recording(_night(tmp_path)) as rec:
        assert not rec.annotations_loaded  # opening did not scan the night
        found = [(a.onset, a.description) for a in rec.annotations]
        assert rec.annotations_loaded and rec.annotation_error is None
        assert found == EXPECTED
        assert rec.annotations is rec.annotations  # read once


def test_edf_plus_d_scan_finds_the_gap_across_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording_tal, "_WINDOW_BYTES", 300)
    with open_recording(_night(tmp_path, "D")) as rec:
        assert rec.annotations_loaded
        assert [(g.onset, g.duration) for g in rec.info.gaps] == [(60.0, 10.0)]
        marks = {a.description: a.onset for a in rec.annotations}
        assert marks["event 89"] == pytest.approx(79.5)  # clock 89.5 s: after the 10-s gap
        assert marks["event 41"] == pytest.approx(41.5)


def test_a_night_truncated_after_opening_has_no_annotations_and_says_why(
    tmp_path: Path,
) -> None:
    path = _night(tmp_path)
    with open_recording(path) as rec:
        path.write_bytes(path.read_bytes()[:4000])
        assert rec.annotations == ()
        assert rec.annotation_error is not None
        assert "cannot read annotations" in rec.annotation_error.why

"""The recording layer: opening files, reading pages, and refusing broken files."""

from __future__ import annotations

import os
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from app.core.channels import ChannelType
from app.core.recording import (
    open_recording,
)
from tests.core.edf_builders import Layout, Sig, digital, ramp, sha256, tal, write_edf


def test_edfio_file_header_patient_and_annotations(tmp_path: Path) -> None:
    edfio = pytest.importorskip("edfio")
    t = np.arange(2560) / 256
    signals = [
        edfio.EdfSignal(
            100 * np.sin(2 * np.pi * 5 * t), 256, label="EEG Fp1", physical_dimension="uV"
        ),
        edfio.EdfSignal(
            50 * np.cos(2 * np.pi * 1 * t), 256, label="EOG LOC", physical_dimension="uV"
        ),
    ]
    edf = edfio.Edf(
        signals,
        patient=edfio.Patient(
            code="MCH-0234567", sex="F", birthdate=date(1951, 8, 2), name="Haagse_Harry"
        ),
        recording=edfio.Recording(
            startdate=date(2002, 3, 2),
            hospital_administration_code="EMR99",
            investigator_technician_code="TK",
            equipment_code="NK1200",
        ),
        annotations=[
            edfio.EdfAnnotation(2.5, 3.0, "Seizure onset"),
            edfio.EdfAnnotation(7, None, "Eyes closed"),
        ],
    )
    path = tmp_path / "edfio.edf"
    edf.write(path)
    with open_recording(path) as rec:
        info = rec.info
        assert info.format == "EDF+C"
        assert info.patient.code == "MCH-0234567"
        assert info.patient.sex == "F"
        assert info.patient.birthdate == date(1951, 8, 2)
        assert info.patient.name == "Haagse Harry"
        assert (info.recording_id, info.technician, info.equipment) == ("EMR99", "TK", "NK1200")
        assert info.start is not None and info.start.date() == date(2002, 3, 2)
        assert info.sfreq == 256 and info.n_samples == 2560 and info.duration_s == 10.0
        assert info.n_records is not None and info.record_duration_s is not None
        assert info.n_records * info.record_duration_s == 10.0
        assert info.file_size == path.stat().st_size
        assert [c.name for c in rec.channels] == ["Fp1", "LOC"]
        assert [c.type for c in rec.channels] == [ChannelType.EEG, ChannelType.EOG]
        assert [(a.onset, a.duration, a.description, a.source) for a in rec.annotations] == [
            (2.5, 3.0, "Seizure onset", "edf"),
            (7.0, 0.0, "Eyes closed", "edf"),
        ]
        page = rec.read_page(1.0, 2.0)
        assert page.shape == (2, 512) and page.dtype == np.float32
        np.testing.assert_allclose(page[0], 100 * np.sin(2 * np.pi * 5 * t[256:768]), atol=0.01)


def test_read_page_returns_exact_microvolts_for_the_span(simple: Path) -> None:
    with open_recording(simple) as rec:
        assert [c.name for c in rec.channels] == ["Fp1", "T7", "EKG"]
        assert [c.raw_name for c in rec.channels] == ["EEG FP1-REF", "EEG T7-REF", "ECG EKG"]
        assert [c.type for c in rec.channels] == [ChannelType.EEG, ChannelType.EEG, ChannelType.ECG]
        assert all(c.unit == "µV" and c.sfreq == 100 for c in rec.channels)
        page = rec.read_page(2.5, 1.0)
        np.testing.assert_allclose(page[0], ramp(1000)[250:350], atol=1e-3)
        np.testing.assert_allclose(page[2], ramp(1000, -1000.0)[250:350], atol=1e-3)
        by_name = rec.read_page(2.5, 1.0, ["T3", "Fp1", 0])  # alias, name, index
        np.testing.assert_array_equal(by_name, page[[1, 0, 0]])


def test_page_edges_are_zero_padded_to_the_requested_length(simple: Path) -> None:
    with open_recording(simple) as rec:
        whole = rec.read_page(0, 10)
        before = rec.read_page(-0.5, 1.0)
        assert before.shape == (3, 100)
        assert not before[:, :50].any()
        np.testing.assert_array_equal(before[:, 50:], whole[:, :50])
        after = rec.read_page(9.5, 2.0)
        assert after.shape == (3, 200)
        np.testing.assert_array_equal(after[:, :50], whole[:, 950:])
        assert not after[:, 50:].any()
        assert not rec.read_page(20, 1).any() and rec.read_page(20, 1).shape == (3, 100)
        assert rec.read_page(1, 0).shape == (3, 0)
        assert rec.read_page(0, 0.333).shape == (3, 33)  # round(duration * sfreq)
        with pytest.raises(ValueError, match="bad page"):
            rec.read_page(0, -1)
        with pytest.raises(IndexError):
            rec.read_page(0, 1, [3])


def test_channel_lookup_is_alias_aware(simple: Path) -> None:
    with open_recording(simple) as rec:
        assert rec.channel_index("T7") == 1
        assert rec.channel_index("T3") == 1
        assert rec.channel_index("EEG T7-REF") == 1
        assert rec.channel_index("fp1") == 0
        assert rec.find_channel("O2") is None
        with pytest.raises(KeyError):
            rec.channel_index("O2")
        assert [c.name for c in rec.eeg_channels()] == ["Fp1", "T7"]


def test_units_become_microvolts_and_other_units_stay(tmp_path: Path) -> None:
    n = 200
    volts = np.linspace(-0.001, 0.001, n)
    sigs = [
        Sig("EEG Cz", 100, volts * 1e6, "uV"),
        Sig("EEG Pz", 100, volts * 1e3, "mV", (-3.2768, 3.2767)),
        Sig("EEG Oz", 100, volts, "V", (-0.004, 0.004)),
        Sig("SpO2", 100, np.full(n, 97.0), "%", (0, 100)),
    ]
    with open_recording(write_edf(tmp_path / "units.edf", sigs)) as rec:
        assert [c.unit for c in rec.channels] == ["µV", "µV", "µV", "%"]
        page = rec.read_page(0, 2)
        for row in page[:3]:
            np.testing.assert_allclose(row, volts * 1e6, atol=0.2)
        np.testing.assert_allclose(page[3], 97.0, atol=0.01)


def test_mixed_sampling_rates_keep_each_channel_rate(tmp_path: Path) -> None:
    n_s = 30
    t_fast, t_slow = np.arange(n_s * 256) / 256, np.arange(n_s * 64) / 64
    sigs = [
        Sig("EEG C3", 256, 200 * np.sin(2 * np.pi * 7 * t_fast)),
        Sig("Resp", 64, 500 * np.sin(2 * np.pi * 0.3 * t_slow), "uV"),
        Sig("EEG C4", 256, 100 * np.cos(2 * np.pi * 3 * t_fast)),
    ]
    with open_recording(write_edf(tmp_path / "mixed.edf", sigs)) as rec:
        assert [c.sfreq for c in rec.channels] == [256.0, 64.0, 256.0]
        assert rec.info.sfreq == 256.0 and rec.info.n_samples == n_s * 256
        assert rec.channels[1].type is ChannelType.RESP
        page = rec.read_page(10.3, 4.45)  # deliberately not on record boundaries
        first = round(10.3 * 256)
        truth_slow = 500 * np.sin(2 * np.pi * 0.3 * t_fast[first : first + page.shape[1]])
        np.testing.assert_allclose(page[1], truth_slow, atol=0.5)  # plain mne: ~650 µV off
        np.testing.assert_allclose(
            page[0], 200 * np.sin(2 * np.pi * 7 * t_fast[first:][: page.shape[1]]), atol=0.06
        )
        only_fast = rec.read_page(10.3, 4.45, ["C4"])
        np.testing.assert_array_equal(only_fast[0], page[2])


def test_bdf_plus_is_read_with_24_bit_samples(tmp_path: Path) -> None:
    n = 512
    data = np.sin(np.arange(n) / 10) * 300000.0  # beyond the 16-bit EDF range at 0.1 µV
    sigs = [Sig("EEG Cz", 256, data, "uV", (-838860, 838860))]
    lay = Layout(bdf=True, tals={1: [tal(0.25, "spike")]})
    path = write_edf(tmp_path / "rec.bdf", sigs, lay)
    with open_recording(path) as rec:
        assert rec.info.format == "BDF+C"
        np.testing.assert_allclose(rec.read_page(0, 2)[0], data, atol=0.1)  # float32 at 3e5
        assert [(a.onset, a.description) for a in rec.annotations] == [(0.25, "spike")]


def test_edf_plus_d_gaps_are_exposed_and_annotations_land_on_their_samples(
    tmp_path: Path,
) -> None:
    """Records at clock 0, 1, 5, 6, 10 s: gaps of 3 s after records 1 and 3.

    mne 1.13 glues the records together and leaves annotation onsets in clock
    time (so "late" at clock 7.5 s would fall past the 5-s data); Ictal maps
    them onto the glued timeline.
    """
    data = ramp(500)
    lay = Layout(
        plus="D",
        record_onsets=[0, 1, 5, 6, 10],
        tals={2: [tal(5.25, "spike")], 3: [tal(6.5, "late", 1.0)], 4: [tal(0.5, "early")]},
    )
    path = write_edf(tmp_path / "d.edf", [Sig("EEG Cz", 100, data)], lay)
    with open_recording(path) as rec:
        info = rec.info
        assert info.format == "EDF+D" and info.discontinuous
        assert info.duration_s == 5.0  # data time: the records end to end
        assert [(g.onset, g.duration, g.clock_onset) for g in info.gaps] == [
            (2.0, 3.0, 2.0),
            (4.0, 3.0, 7.0),
        ]
        events = {
            a.description: (a.onset, a.duration) for a in rec.annotations if a.source == "edf"
        }
        assert events["spike"] == (2.25, 0.0)  # clock 5.25 = record 2 + 0.25 s
        assert events["late"] == (3.5, 0.5)  # clock 6.5..7.5 ends inside the gap
        assert events["early"] == (0.5, 0.0)
        gap_marks = [(a.onset, a.description) for a in rec.annotations if a.source == "gap"]
        assert gap_marks == [
            (2.0, "Recording gap: 3 s not recorded"),
            (4.0, "Recording gap: 3 s not recorded"),
        ]
        np.testing.assert_allclose(rec.read_page(1.5, 1.0)[0], data[150:250], atol=1e-3)


def test_edf_plus_c_first_record_fraction_shifts_start_not_annotations(tmp_path: Path) -> None:
    lay = Layout(
        record_onsets=[0.5, 1.5, 2.5],
        tals={1: [tal(1.75, "x")], 2: [tal(2.5, "artefact@@EEG Cz", 0.5)]},
    )
    path = write_edf(tmp_path / "c.edf", [Sig("EEG Cz", 10, ramp(30))], lay)
    with open_recording(path) as rec:
        assert rec.info.start == datetime(2003, 2, 1, 4, 5, 6, 500000)
        assert [(a.onset, a.description, a.channels) for a in rec.annotations] == [
            (1.25, "x", ()),
            (2.0, "artefact", ("Cz",)),  # mne's per-channel convention, display name
        ]
        assert rec.info.gaps == ()


def test_plain_edf_header_fields(tmp_path: Path) -> None:
    lay = Layout(plus=None, patient="Jane Doe 1234")
    path = write_edf(tmp_path / "plain.edf", [Sig("Fp1", 10, ramp(20))], lay)
    with open_recording(path) as rec:
        assert rec.info.format == "EDF"
        assert rec.info.patient.raw == "Jane Doe 1234" and rec.info.patient.code == ""
        assert rec.info.recording_id == "local rec"
        assert rec.info.start == datetime(2003, 2, 1, 4, 5, 6)
        assert rec.annotations == ()


def _rchar() -> int:
    with open("/proc/self/io") as fid:
        return int(next(line for line in fid if line.startswith("rchar")).split()[1])


def test_24_hour_file_opens_from_the_header_and_reads_only_the_page(tmp_path: Path) -> None:
    """A sparse 24-h EDF+ (~95 MB): open and a 20-s page touch well under 1 MB."""
    spr, n_records, ns = 256, 86400, 2
    page_records = range(50000, 50020)
    lay = Layout(n_records_field=n_records, ann_bytes=60)
    path = write_edf(
        tmp_path / "day.edf",
        [Sig("EEG C3", spr, np.zeros(spr)), Sig("EEG C4", spr, np.zeros(spr))],
        lay,
    )
    record_bytes = ns * spr * 2 + 60
    header_bytes = 256 * (ns + 2)
    with open(path, "r+b") as fid:
        fid.truncate(header_bytes + n_records * record_bytes)
        for k in page_records:  # real samples (and a TAL) only where the page is
            values = ramp(2 * spr, offset=k % 100).astype(np.float64)
            fid.seek(header_bytes + k * record_bytes)
            fid.write(digital(Sig("", spr, None), values, bdf=False))
            fid.write(f"+{k}\x14\x14\x00".encode().ljust(60, b"\x00"))
    measure = sys.platform.startswith("linux") and Path("/proc/self/io").exists()
    before = _rchar() if measure else 0
    rec = open_recording(path)
    opened = _rchar() if measure else 0
    page = rec.read_page(50000, 20)
    read = _rchar() if measure else 0
    assert rec.info.duration_s == 86400.0 and rec.info.n_records == n_records
    assert page.shape == (2, 20 * spr)
    for i, k in enumerate(page_records):
        expected = ramp(2 * spr, offset=k % 100)
        np.testing.assert_allclose(page[0, i * spr : (i + 1) * spr], expected[:spr], atol=1e-3)
        np.testing.assert_allclose(page[1, i * spr : (i + 1) * spr], expected[spr:], atol=1e-3)
    if measure:
        assert opened - before < 1_000_000  # mne's own EDF+ open would read ~95 MB
        assert read - opened < 1_000_000  # the page itself is 20 kB
    rec.close()


def test_count_minus_one_is_computed_and_a_partial_last_record_ignored(tmp_path: Path) -> None:
    path = write_edf(
        tmp_path / "live.edf",
        [Sig("EEG Cz", 100, ramp(300))],
        Layout(plus=None, n_records_field=-1),
    )
    with open(path, "ab") as fid:
        fid.write(b"\x00" * 50)  # a recorder still writing its 4th record
    with open_recording(path) as rec:
        assert rec.info.n_records == 3 and rec.info.duration_s == 3.0
        np.testing.assert_allclose(rec.read_page(0, 3)[0], ramp(300), atol=1e-3)


def test_the_source_file_is_never_modified(simple: Path) -> None:
    digest, mtime = sha256(simple), simple.stat().st_mtime_ns
    os.chmod(simple, 0o444)
    with open_recording(simple) as rec:
        rec.read_page(0, 10)
    assert sha256(simple) == digest and simple.stat().st_mtime_ns == mtime


def test_close_and_context_manager(simple: Path) -> None:
    rec = open_recording(simple)
    with rec as same:
        assert same is rec
    with pytest.raises(ValueError, match="closed"):
        rec.read_page(0, 1)
    rec.close()  # closing twice is harmless


def test_reads_from_several_threads_agree(simple: Path) -> None:
    with open_recording(simple) as rec:
        expected = rec.read_page(0, 10)
        results: list[np.ndarray] = []

        def work() -> None:
            for _ in range(5):
                results.append(rec.read_page(0, 10))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert len(results) == 20
        assert all(np.array_equal(r, expected) for r in results)


def test_per_channel_copies_of_one_annotation_come_back_as_one(tmp_path: Path) -> None:
    """EDF+ stores a channel-specific annotation once per channel (``text@@label``)."""
    lay = Layout(
        tals={
            1: [tal(1.0, "spike@@EEG Cz", 0.2), tal(1.0, "spike@@EEG Pz", 0.2)],
            2: [tal(2.0, "spike@@EEG Cz", 0.2), tal(2.0, "spike", 0.2)],
        },
    )
    signals = [Sig("EEG Cz", 10, ramp(30)), Sig("EEG Pz", 10, ramp(30))]
    path = write_edf(tmp_path / "m.edf", signals, lay)
    with open_recording(path) as rec:
        assert [(a.onset, a.description, a.channels) for a in rec.annotations] == [
            (1.0, "spike", ("Cz", "Pz")),
            (2.0, "spike", ("Cz",)),  # another time: its own annotation
            (2.0, "spike", ()),  # the whole recording: never merged into a channel's
        ]

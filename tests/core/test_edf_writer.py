"""The streaming EDF+ writer and the EDF+ export, checked by reading back with mne and edfio."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import edfio
import mne
import numpy as np
import pytest
from numpy.typing import NDArray

from app.core.annotation import Annotation
from app.core.channels import ChannelType
from app.core.edf_writer import (
    EdfChannel,
    EdfPatient,
    ExportError,
    WriteCancelled,
    header_number,
    write_edf_plus,
)
from app.core.export import export_edf
from app.core.simulate import (
    ArtefactRates,
    SeizureSpec,
    SimulationSpec,
    generate,
    scalp_channels,
    seeg_channels,
    truth_annotations,
    write_edf,
)

STEP_UV = 0.1  # digital resolution of the simulator's scalp channels


def ten_minutes() -> SimulationSpec:
    return SimulationSpec(
        duration_s=600.0,
        channels=scalp_channels(23),
        seed=21,
        seizures=(
            SeizureSpec(100.0, 60.0, "focal", "left_temporal"),
            SeizureSpec(400.0, 8.5, "absence"),
        ),
        spikes_per_hour=120.0,
        artefacts=ArtefactRates(blinks_per_min=6, muscle_per_hour=30, pops_per_hour=20),
    )


def read_mne(path: Path) -> mne.io.BaseRaw:
    return mne.io.read_raw_edf(path, preload=True, verbose="error")


def test_ten_minutes_round_trip_through_mne(tmp_path: Path) -> None:
    spec = ten_minutes()
    path = tmp_path / "sim.edf"
    result = write_edf(spec, path, artefacts=True)
    assert result.layout.record_s == 1.0 and result.layout.n_records == 600
    assert result.clipped_samples == 0
    raw = read_mne(path)
    assert raw.ch_names == list(spec.channels)
    assert raw.info["sfreq"] == 256.0 and raw.n_times == 600 * 256
    assert raw.info["meas_date"].replace(tzinfo=None) == spec.start
    error = np.abs(raw.get_data() * 1e6 - generate(spec, 0.0, 600.0))
    assert error.max() <= STEP_UV / 2 + 1e-3
    truth = truth_annotations(spec, artefacts=True)
    got = raw.annotations
    assert len(got) == len(truth)
    for a, onset, duration, text, channels in zip(
        truth, got.onset, got.duration, got.description, got.ch_names, strict=True
    ):
        assert onset == pytest.approx(a.onset, abs=1e-6)
        assert duration == pytest.approx(a.duration, abs=1e-6)
        assert text == a.description
        assert set(channels) == set(a.channels)


def test_ten_minutes_round_trip_through_edfio(tmp_path: Path) -> None:
    spec = ten_minutes()
    path = tmp_path / "sim.edf"
    write_edf(spec, path)
    edf = edfio.read_edf(path)
    assert [s.label for s in edf.signals] == list(spec.channels)
    x = generate(spec, 0.0, 600.0)
    for i, signal in enumerate(edf.signals):
        assert signal.sampling_frequency == 256.0
        assert np.abs(signal.data - x[i]).max() <= STEP_UV / 2 + 1e-3
    assert edf.patient.code == "SIM-21" and edf.patient.name == "Synthetic"
    assert edf.recording.startdate == spec.start.date()
    assert edf.recording.equipment_code == "Ictal_simulator"
    seizures = [a for a in edf.annotations if a.text.startswith("Seizure")]
    texts = {a.text.split("@@")[0] for a in seizures}
    assert texts == {"Seizure: focal left_temporal", "Seizure: absence"}
    focal = [a for a in seizures if "focal" in a.text]
    assert {(a.onset, a.duration) for a in focal} == {(100.0, 60.0)}
    assert {"F7", "T7", "P7"} <= {a.text.split("@@")[1] for a in focal}


def test_header_follows_edf_plus(tmp_path: Path) -> None:
    path = tmp_path / "sim.edf"
    write_edf(SimulationSpec(duration_s=10.0, seed=3), path)
    header = path.read_bytes()[:256]
    assert header[:8] == b"0       "
    assert header[8:88].decode().rstrip() == "SIM-3 X X Synthetic"
    assert header[88:168].decode().startswith("Startdate 01-JAN-2024 seed-3 X Ictal_simulator")
    assert header[168:184] == b"01.01.2422.00.00"
    assert header[192:236].decode().rstrip() == "EDF+C"
    assert int(header[236:244]) == 10 and header[244:252].decode().strip() == "1"
    assert int(header[252:256]) == 20  # 19 EEG + the annotation signal
    assert (header_number(-3276.8), header_number(0.25), header_number(1e7 / 3)) == (
        "-3276.8",
        "0.25",
        "3333333",
    )


def test_refuses_to_overwrite_and_never_touches_the_source(tmp_path: Path) -> None:
    spec = SimulationSpec(duration_s=5.0)
    path = tmp_path / "sim.edf"
    write_edf(spec, path)
    before = path.read_bytes()
    with pytest.raises(ExportError, match="already exists"):
        write_edf(spec, path)
    assert path.read_bytes() == before
    write_edf(SimulationSpec(duration_s=6.0), path, overwrite=True)
    assert path.read_bytes() != before
    with pytest.raises(ExportError, match="being exported"):
        write_edf_plus(
            path,
            channels=[EdfChannel("Fp1", -100, 100)],
            sfreq=256,
            duration_s=1,
            chunk=lambda s, d: np.zeros((1, round(d * 256))),
            overwrite=True,
            source=tmp_path / "." / "sim.edf",
        )
    with pytest.raises(ExportError, match="does not exist"):
        write_edf(spec, tmp_path / "missing" / "sim.edf")


def test_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(WriteCancelled):
        write_edf(SimulationSpec(duration_s=300.0), tmp_path / "x.edf", should_stop=stop)
    assert list(tmp_path.iterdir()) == []


def test_many_annotations_in_one_second_spill_over_records(tmp_path: Path) -> None:
    notes = [Annotation(0.5, 0.0, f"marker {i}") for i in range(300)]
    notes += [Annotation(9.25, 0.75, "last", ("Ch2",)), Annotation(-0.5, 0.0, "before start")]
    path = tmp_path / "dense.edf"
    write_edf_plus(
        path,
        channels=[EdfChannel("Ch1", -500, 500), EdfChannel("Ch2", -500, 500)],
        sfreq=100.0,
        duration_s=9.5,  # not a whole number of records: the last one is padded
        chunk=lambda s, d: np.ones((2, round(d * 100))) * 10.0,
        annotations=notes,
        start=datetime(2020, 5, 17, 3, 4, 5),
    )
    texts = sorted(a.text for a in edfio.read_edf(path).annotations)
    assert texts == sorted([f"marker {i}" for i in range(300)] + ["last@@Ch2", "before start"])
    raw = mne.io.read_raw_edf(path, preload=True, verbose="error")  # drops the one before 0
    assert len(raw.annotations) == 301
    last = raw.annotations[list(raw.annotations.description).index("last")]
    assert last["onset"] == pytest.approx(9.25) and last["ch_names"] == ("Ch2",)
    assert raw.n_times == 1000 and np.allclose(raw.get_data()[:, :950] * 1e6, 10.0, atol=0.02)
    assert raw.info["meas_date"].replace(tzinfo=None) == datetime(2020, 5, 17, 3, 4, 5)


def test_record_duration_adapts_to_rate_and_channel_count(tmp_path: Path) -> None:
    names = seeg_channels()[:60]
    spec = SimulationSpec(duration_s=4.0, sfreq=1024.0, channels=names, kind="seeg")
    path = tmp_path / "seeg.edf"
    result = write_edf(spec, path)
    assert result.layout.record_s < 1.0 and result.layout.record_bytes <= 61440
    raw = read_mne(path)
    assert raw.ch_names == list(names) and raw.info["sfreq"] == 1024.0
    assert np.abs(raw.get_data() * 1e6 - generate(spec, 0.0, 4.0)).max() <= 0.25 / 2 + 1e-3
    odd = tmp_path / "odd.edf"
    rate = 173.61  # Bonn data set: no whole number of samples in 1 s
    layout = write_edf_plus(
        odd,
        channels=[EdfChannel("X1", -1000, 1000)],
        sfreq=rate,
        duration_s=23.6,
        chunk=lambda s, d: np.zeros((1, round(d * rate))),
    ).layout
    assert layout.samples_per_record == round(rate * layout.record_s)
    assert read_mne(odd).info["sfreq"] == pytest.approx(rate)


def test_clipping_is_counted_not_silent(tmp_path: Path) -> None:
    result = write_edf_plus(
        tmp_path / "clip.edf",
        channels=[EdfChannel("Fp1", -100, 100)],
        sfreq=10,
        duration_s=2,
        chunk=lambda s, d: np.full((1, round(d * 10)), 150.0),
    )
    assert result.clipped_samples == 20


def test_writing_an_hour_keeps_memory_small(tmp_path: Path) -> None:
    spec = SimulationSpec(duration_s=3600.0, channels=scalp_channels(23), sleep=True, seed=8)
    tracemalloc.start()
    try:
        write_edf(spec, tmp_path / "hour.edf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100e6  # the hour itself would be 85 MB as float32
    assert os.path.getsize(tmp_path / "hour.edf") > 3600 * 23 * 256 * 2


@pytest.mark.slow
def test_a_full_24h_night_streams_to_disk(tmp_path: Path) -> None:
    spec = SimulationSpec.night(24.0, 6, seed=3)
    path = tmp_path / "night.edf"
    result = write_edf(spec, path)
    assert result.layout.n_records == 86400 and result.clipped_samples == 0
    raw = mne.io.read_raw_edf(path, verbose="error")
    assert raw.n_times == 86400 * 256
    span = raw.get_data(start=50000 * 256, stop=50020 * 256) * 1e6
    assert np.abs(span - generate(spec, 50000.0, 20.0)).max() <= STEP_UV / 2 + 1e-3


# --- export of a recording ---------------------------------------------------------------


@dataclass(frozen=True)
class FakeInfo:
    path: Path
    duration_s: float
    sfreq: float
    start: datetime | None


@dataclass(frozen=True)
class FakeChannel:
    name: str
    type: ChannelType
    unit: str = "µV"


class FakeRecording:
    """A recording as app.core.recording exposes one, backed by the simulator."""

    def __init__(self, spec: SimulationSpec, path: Path) -> None:
        self.spec = spec
        self.info = FakeInfo(path, spec.duration_s, spec.sfreq, spec.start)
        kinds = {"ECG": ChannelType.ECG, "EOG": ChannelType.EOG}
        self.channels: Sequence[FakeChannel] = tuple(
            FakeChannel(n, kinds.get(n, ChannelType.EEG)) for n in spec.channels
        )

    def read_page(self, start_s: float, duration_s: float) -> NDArray[np.float32]:
        return generate(self.spec, start_s, duration_s)


def test_export_recording_with_annotations(tmp_path: Path) -> None:
    spec = SimulationSpec(duration_s=120.0, channels=scalp_channels(23), seed=4)
    source = tmp_path / "source.edf"
    source.write_bytes(b"original")
    recording = FakeRecording(spec, source)
    notes = [
        Annotation(10.0, 5.0, "Seizure", ("T7", "F7"), "user"),
        Annotation(60.0, 0.0, "Eyes closed"),
    ]
    progress: list[float] = []
    result = export_edf(recording, tmp_path / "export.edf", notes, progress=progress.append)
    assert source.read_bytes() == b"original"
    assert progress[-1] == pytest.approx(1.0) and progress == sorted(progress)
    raw = read_mne(result.path)
    x = generate(spec, 0.0, 120.0)
    edf = edfio.read_edf(result.path)
    for i, signal in enumerate(edf.signals):
        step = (signal.physical_max - signal.physical_min) / 65535
        assert np.abs(signal.data - x[i]).max() <= step / 2 + 1e-3
        assert signal.physical_max >= np.abs(x[i]).max()
    assert edf.patient.code == "X" and edf.patient.name == "X"  # anonymous by default
    got = {(a["onset"], a["duration"], a["description"], a["ch_names"]) for a in raw.annotations}
    assert got == {(10.0, 5.0, "Seizure", ("T7", "F7")), (60.0, 0.0, "Eyes closed", ())}
    with pytest.raises(ExportError, match="being exported"):
        export_edf(recording, source, notes, overwrite=True, physical_range=(-3000, 3000))
    assert source.read_bytes() == b"original"


def test_export_with_fixed_range_and_patient(tmp_path: Path) -> None:
    spec = SimulationSpec(duration_s=30.0)
    recording = FakeRecording(spec, tmp_path / "source.edf")
    patient = EdfPatient(code="MCH-0071", sex="F", name="Anna Smith")
    out = tmp_path / "fixed.edf"
    export_edf(recording, out, physical_range=(-3276.8, 3276.7), patient=patient)
    edf = edfio.read_edf(out)
    assert edf.patient.code == "MCH-0071" and edf.patient.name == "Anna_Smith"
    assert edf.signals[0].physical_min == -3276.8
    x = generate(spec, 0.0, 30.0)
    assert np.abs(edf.signals[3].data - x[3]).max() <= STEP_UV / 2 + 1e-3


def test_export_of_a_real_recording_round_trips(tmp_path: Path) -> None:
    from app.core.recording import open_recording

    spec = SimulationSpec(
        duration_s=90.0,
        channels=scalp_channels(23),
        seizures=(SeizureSpec(20.0, 30.0, "focal", "right_temporal", spread=False),),
        seed=6,
    )
    first = tmp_path / "first.edf"
    write_edf(spec, first)
    with open_recording(first) as recording:
        extra = Annotation(70.0, 2.0, "Reviewer: artefact", (), "user")
        export_edf(recording, tmp_path / "second.edf", (*recording.annotations, extra))
        original = recording.read_page(0.0, 90.0)
        notes = recording.annotations
        with pytest.raises(ExportError):
            export_edf(recording, first, overwrite=True)
    with open_recording(tmp_path / "second.edf") as copy:
        assert [c.name for c in copy.channels] == list(spec.channels)
        assert np.abs(copy.read_page(0.0, 90.0) - original).max() < 0.1
        assert {(a.onset, a.description, a.channels) for a in notes} <= {
            (a.onset, a.description, a.channels) for a in copy.annotations
        }
        assert any(a.description == "Reviewer: artefact" for a in copy.annotations)

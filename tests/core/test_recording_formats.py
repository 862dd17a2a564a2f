"""The recording layer opens BrainVision, FIF, EEGLAB, SPaRCNet and the real fixtures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from app.core.channels import ChannelType
from app.core.errors import RecordingError
from app.core.recording import (
    Channel,
    Recording,
    RecordingInfo,
    open_recording,
)
from tests.core.edf_builders import ramp

# -- other formats through mne -------------------------------------------------------------


def write_brainvision(
    folder: Path, data_uv: npt.NDArray[np.float64], labels: list[str], sfreq: float
) -> Path:
    """A BrainVision triplet (float32, multiplexed) with a comment marker at 1.5 s."""
    vhdr, vmrk, eeg = folder / "bv.vhdr", folder / "bv.vmrk", folder / "bv.eeg"
    chans = "\n".join(f"Ch{i + 1}={label},,1,µV" for i, label in enumerate(labels))
    vhdr.write_text(
        "Brain Vision Data Exchange Header File Version 1.0\n\n[Common Infos]\nCodepage=UTF-8\n"
        f"DataFile={eeg.name}\nMarkerFile={vmrk.name}\nDataFormat=BINARY\n"
        f"DataOrientation=MULTIPLEXED\nNumberOfChannels={len(labels)}\n"
        f"SamplingInterval={1e6 / sfreq:g}\n\n[Binary Infos]\nBinaryFormat=IEEE_FLOAT_32\n\n"
        f"[Channel Infos]\n{chans}\n",
        encoding="utf-8",
    )
    vmrk.write_text(
        "Brain Vision Data Exchange Marker File Version 1.0\n\n[Common Infos]\nCodepage=UTF-8\n"
        f"DataFile={eeg.name}\n\n[Marker Infos]\n"
        "Mk1=New Segment,,1,1,0,20200102030405000000\n"
        f"Mk2=Comment,seizure onset,{int(1.5 * sfreq) + 1},{int(sfreq / 5)},0\n",
        encoding="utf-8",
    )
    data_uv.T.astype("<f4").tofile(eeg)
    return vhdr


def test_brainvision_recording(tmp_path: Path) -> None:
    data = np.vstack([ramp(500), ramp(500, 50.0), ramp(500, -50.0)])
    path = write_brainvision(tmp_path, data, ["Fp1", "T4", "ECG"], 250.0)
    with open_recording(path) as rec:
        assert rec.info.format == "BrainVision" and rec.info.sfreq == 250.0
        assert rec.info.start == datetime(2020, 1, 2, 3, 4, 5)
        assert [c.type for c in rec.channels] == [ChannelType.EEG, ChannelType.EEG, ChannelType.ECG]
        assert rec.channel_index("T8") == 1
        np.testing.assert_allclose(rec.read_page(0.4, 1.0), data[:, 100:350], atol=1e-3)
        marks = {a.description: (a.onset, a.duration) for a in rec.annotations}
        assert marks["Comment/seizure onset"] == (1.5, 0.2)
        assert all(a.source == "brainvision" for a in rec.annotations)


def test_fif_recording_with_types_annotations_and_first_sample(tmp_path: Path) -> None:
    mne = pytest.importorskip("mne")
    sfreq = 200.0
    data_v = np.vstack([ramp(1000), ramp(1000, 10.0), np.zeros(1000)]) * 1e-6
    info = mne.create_info(["Fp1", "EOG left", "STI 014"], sfreq, ["eeg", "eog", "stim"])
    raw = mne.io.RawArray(data_v, info, first_samp=400, verbose="error")
    raw.set_meas_date(datetime(2021, 5, 6, 7, 8, 9, tzinfo=UTC))
    raw.set_annotations(mne.Annotations([3.0], [0.5], ["spike"], orig_time=raw.info["meas_date"]))
    path = tmp_path / "rec_raw.fif"
    raw.save(path, verbose="error")
    with open_recording(path) as rec:
        assert rec.info.format == "FIF" and rec.info.n_samples == 1000
        assert [c.type for c in rec.channels] == [
            ChannelType.EEG,
            ChannelType.EOG,
            ChannelType.ANNOTATION,
        ]
        assert [c.unit for c in rec.channels] == ["µV", "µV", ""]
        np.testing.assert_allclose(
            rec.read_page(1.0, 1.0)[:2], data_v[:2, 200:400] * 1e6, atol=1e-3
        )
        # mne keeps onsets from the measurement start (2 s before this file's first sample)
        assert [(a.onset, a.duration, a.description) for a in rec.annotations] == [
            (1.0, 0.5, "spike")
        ]


def test_eeglab_recording(tmp_path: Path) -> None:
    scipy_io = pytest.importorskip("scipy.io")
    n, labels = 300, ["Fp1", "Cz", "EKG"]
    data = np.vstack([ramp(n), ramp(n, 5.0), ramp(n, -5.0)]).astype(np.float32)
    data.T.tofile(tmp_path / "x.fdt")
    chanlocs = np.zeros((1, 3), dtype=[("labels", "O"), ("type", "O")])
    for i, label in enumerate(labels):
        chanlocs[0, i] = (label, "")
    events = np.zeros((1, 1), dtype=[("type", "O"), ("latency", "O"), ("duration", "O")])
    events[0, 0] = ("spike", 101.0, 0.0)
    eeg = {
        "setname": "x", "filename": "x.set", "filepath": "", "nbchan": 3.0, "trials": 1.0,
        "pnts": float(n), "srate": 100.0, "xmin": 0.0, "xmax": (n - 1) / 100, "data": "x.fdt",
        "chanlocs": chanlocs, "event": events, "icawinv": np.array([]),
        "icasphere": np.array([]), "icaweights": np.array([]), "ref": "common",
    }  # fmt: skip
    path = tmp_path / "x.set"
    scipy_io.savemat(path, {"EEG": eeg}, appendmat=False)
    with open_recording(path) as rec:
        assert rec.info.format == "EEGLAB"
        assert [c.type for c in rec.channels] == [ChannelType.EEG, ChannelType.EEG, ChannelType.ECG]
        np.testing.assert_allclose(rec.read_page(1, 1), data[:, 100:200], atol=1e-3)
        assert [(a.onset, a.description) for a in rec.annotations] == [(1.0, "spike")]


def test_sparcnet_mat_without_labels_uses_the_published_order(tmp_path: Path) -> None:
    scipy_io = pytest.importorskip("scipy.io")
    seg = np.random.default_rng(0).normal(0, 50, (20, 2000))
    scipy_io.savemat(tmp_path / "seg.mat", {"seg": seg})
    scipy_io.savemat(tmp_path / "volts.mat", {"seg": seg * 1e-6})
    for name in ("seg.mat", "volts.mat"):
        with open_recording(tmp_path / name) as rec:
            assert rec.info.format == "SPaRCNet MAT" and rec.info.duration_s == 10.0
            assert rec.channels[5].name == "T3" and rec.channels[19].type is ChannelType.ECG
            np.testing.assert_allclose(rec.read_page(0, 10), seg, rtol=1e-5, atol=1e-3)
    scipy_io.savemat(tmp_path / "other.mat", {"x": seg})
    with pytest.raises(RecordingError, match="seg"):
        open_recording(tmp_path / "other.mat")


# -- real data (skipped when ../shared/data is absent) ---------------------------------------


@pytest.mark.realdata
def test_chbmit_bipolar_channels_with_duplicate(shared_data: Path) -> None:
    path = shared_data / "formats" / "chbmit" / "chb05" / "chb05_01.edf"
    with open_recording(path) as rec:
        assert len(rec.channels) == 23 and rec.info.sfreq == 256
        assert all(c.sfreq == 256 and c.type is ChannelType.EEG for c in rec.channels)
        names = [c.name for c in rec.channels]
        assert names[:4] == ["Fp1-F7", "F7-T7", "T7-P7", "P7-O1"]
        assert names[14] == "T8-P8-0" and names[22] == "T8-P8-1"
        assert [c.raw_name for c in rec.channels].count("T8-P8") == 2
        assert rec.channel_index("T4-T6") == 14  # old names find the first duplicate
        assert rec.info.format == "EDF+C" and rec.info.duration_s == 2.0
        page = rec.read_page(0, 2)
        assert page.shape == (23, 512) and np.isfinite(page).all() and page.std() > 1


@pytest.mark.realdata
def test_siena_channels_and_types(shared_data: Path) -> None:
    path = shared_data / "formats" / "siena" / "PN00" / "PN00-1.edf"
    with open_recording(path) as rec:
        assert len(rec.channels) == 35 and rec.info.sfreq == 512
        assert len(rec.eeg_channels()) == 29
        by_name = {c.name: c for c in rec.channels}
        assert by_name["FC1"].raw_name == "EEG Fc1"
        assert by_name["EKG"].type is ChannelType.ECG
        assert by_name["SPO2"].type is ChannelType.RESP
        assert by_name["HR"].type is ChannelType.MISC
        assert rec.channel_index("T7") == rec.channel_index("T3")
        assert rec.info.start == datetime(2016, 1, 1, 19, 39, 33)


@pytest.mark.realdata
def test_sparcnet_segments(shared_data: Path) -> None:
    samples = sorted((shared_data / "sparcnet_iiic" / "samples").glob("*.mat"))
    assert samples
    with open_recording(samples[0]) as rec:
        assert rec.info.sfreq == 200 and rec.info.duration_s == 50.0
        assert len(rec.eeg_channels()) == 19
        assert rec.channels[-1].name == "EKG" and rec.channels[-1].type is ChannelType.ECG
        page = rec.read_page(20, 10)
        assert page.shape == (20, 2000)
        assert 1 < float(np.median(np.abs(page[:19]))) < 1000  # µV, not volts


def test_public_types_are_frozen(simple: Path) -> None:
    with open_recording(simple) as rec:
        assert isinstance(rec, Recording) and isinstance(rec.info, RecordingInfo)
        assert isinstance(rec.channels[0], Channel)
        with pytest.raises(AttributeError):
            rec.info.sfreq = 1.0  # type: ignore[misc]

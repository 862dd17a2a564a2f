"""Data adapters: real corpora (skipped without ../shared/data) and corpus formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from edfio import Edf, EdfAnnotation, EdfSignal

from models.data.bonn import bonn_windows
from models.data.chbmit import chbmit_windows, parse_summary
from models.data.edf import edf_windows
from models.data.helsinki import helsinki_windows
from models.data.siena import parse_seizure_list, siena_windows
from models.data.sparcnet import sparcnet_windows
from models.data.tusz import read_events, tusz_windows
from models.data.window import seconds_labels


@pytest.mark.realdata
def test_bonn_splits(shared_data: Path) -> None:
    splits = {s: bonn_windows(shared_data / "bonn", s) for s in ("train", "val", "test")}
    assert [len(splits[s]) for s in ("train", "val", "test")] == [300, 75, 125]
    w = splits["test"][0]
    assert w.x.shape == (1, 4097) and w.sfreq == pytest.approx(173.61) and w.n_seconds == 23
    ictal = [w for w in splits["test"] if w.subject == "setE"]
    assert len(ictal) == 25 and all((w.labels == 1).all() for w in ictal)
    assert all((w.labels == 0).all() for w in splits["test"] if w.subject != "setE")


@pytest.mark.realdata
def test_helsinki_windows(shared_data: Path) -> None:
    train = helsinki_windows(shared_data / "helsinki", "train")
    test = helsinki_windows(shared_data / "helsinki", "test")
    assert len(train) > 500 and 100 < len(test) < 140
    w = test[0]
    assert w.x.shape == (18, 64) and w.sfreq == 64.0 and w.labels.shape == (1,)
    assert 0.5 < float(np.median([x.x.std() for x in test])) < 500  # µV, not volts
    assert {int(x.labels[0]) for x in test} == {0, 1}
    train_ids = {x.x.tobytes() for x in train}
    assert not any(x.x.tobytes() in train_ids for x in test)


@pytest.mark.realdata
def test_sparcnet_segments(shared_data: Path) -> None:
    train = sparcnet_windows(shared_data / "sparcnet_iiic", "train")
    test = sparcnet_windows(shared_data / "sparcnet_iiic", "test")
    assert len(train) == len(test) == 12
    by_name = {w.subject: w for w in train + test}
    w = by_name["SZ_sample1"]
    assert w.x.shape == (19, 10000) and "EKG" not in w.channel_names
    assert (w.labels[:20] == -1).all() and (w.labels[20:30] == 1).all()
    assert (by_name["SZ_sample4"].labels[20:30] == 0).all()  # GPD holds the majority
    assert (by_name["Other_sample2"].labels[20:30] == 1).all()  # 3 SZ votes, none other
    assert w.pattern is not None and w.pattern[25].sum() == pytest.approx(1.0)


def test_chbmit_summary_and_windows(shared_data: Path) -> None:
    folder = shared_data / "formats" / "chbmit" / "chb05"
    seizures = parse_summary((folder / "chb05-summary.txt").read_text())
    assert seizures["chb05_06.edf"] == [(417.0, 532.0)]
    assert seizures["chb05_01.edf"] == []
    windows = chbmit_windows(folder)
    assert len(windows) == 2 and windows[0].x.shape[0] == 23 and windows[0].sfreq == 256.0


def test_siena_list_with_the_known_typo(shared_data: Path) -> None:
    folder = shared_data / "formats" / "siena" / "PN00"
    seizures = parse_seizure_list((folder / "Seizures-list-PN00.txt").read_text())
    assert len(seizures) == 5
    assert (seizures[0].file, seizures[0].start_s, seizures[0].end_s) == ("PN00-1.edf", 1143, 1213)
    assert seizures[2].end_s - seizures[2].start_s == 60  # 19.29.29 read as 18.29.29
    windows = siena_windows(folder)
    assert windows and all(not any(n.strip().isdigit() for n in w.channel_names) for w in windows)


def _write_edf(
    path: Path, labels: list[str], seconds: int, annotations: list[EdfAnnotation]
) -> None:
    rng = np.random.default_rng(0)
    signals = [
        EdfSignal(
            rng.standard_normal(256 * seconds) * 20, 256, label=label, physical_range=(-500, 500)
        )
        for label in labels
    ]
    Edf(signals, annotations=annotations).write(path)


def test_generic_edf_with_seizure_annotations(tmp_path: Path) -> None:
    path = tmp_path / "rec.edf"
    notes = [EdfAnnotation(10.0, 20.0, "Seizure onset left"), EdfAnnotation(50.0, 1.0, "eyes open")]
    _write_edf(path, ["EEG Fp1", "EEG F3", "ECG"], 90, notes)
    windows = edf_windows(path, window_s=60)
    assert [w.n_seconds for w in windows] == [60, 30]
    assert windows[0].channel_names == ("EEG Fp1", "EEG F3")
    assert windows[0].labels[10:30].all() and windows[0].labels.sum() == 20


def test_tusz_per_channel_labels_and_types(tmp_path: Path) -> None:
    edf = tmp_path / "aaaaaaac_s001_t000.edf"
    _write_edf(edf, ["EEG FP1-REF", "EEG F7-REF", "EEG T3-REF", "EEG C3-REF"], 60, [])
    header = "# version = csv_v1.0.0\n# bname = aaaaaaac_s001_t000\n#\n"
    columns = "channel,start_time,stop_time,label,confidence\n"
    (edf.with_suffix(".csv")).write_text(
        header + columns + "FP1-F7,0.0,20.0,bckg,1.0\nFP1-F7,20.0,40.0,fnsz,1.0\n"
        "FP1-F7,40.0,60.0,bckg,1.0\nF7-T3,0.0,60.0,bckg,1.0\n"
    )
    (edf.with_suffix(".csv_bi")).write_text(header + columns + "TERM,20.0,40.0,seiz,1.0\n")
    assert read_events(edf.with_suffix(".csv_bi"))[0].is_seizure
    windows = tusz_windows(edf)
    w = windows[0]
    assert w.channel_names == ("FP1-F7", "F7-T3")
    assert w.channel_labels is not None
    assert w.channel_labels[0, 20:40].all() and not w.channel_labels[1].any()
    assert w.labels[20:40].all() and w.labels.sum() == 20
    assert w.seizure_type is not None and set(w.seizure_type[20:40]) == {0}  # focal


def test_seconds_labels_need_half_a_second() -> None:
    labels = seconds_labels(5, [(1.4, 3.2)])
    assert labels.tolist() == [0, 1, 1, 0, 0]


def test_subject_splits_are_patient_wise_and_stable() -> None:
    from models.data.splits import split_of

    subjects = [f"chb{i:02d}" for i in range(1, 200)]
    splits = [split_of(s) for s in subjects]
    assert splits == [split_of(s) for s in subjects]
    share = splits.count("test") / len(splits)
    assert 0.05 < share < 0.3 and "val" in splits and "train" in splits

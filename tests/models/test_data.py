"""Data adapters: real corpora (skipped without ../shared/data) and corpus formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from edfio import Edf, EdfAnnotation, EdfSignal

from models.data.bonn import bonn_windows
from models.data.chbmit import chbmit_windows, parse_summary
from models.data.edf import edf_windows
from models.data.folds import N_FOLDS, SHIPPED_FOLD
from models.data.helsinki import helsinki_windows
from models.data.siena import parse_seizure_list, siena_windows
from models.data.sparcnet import sparcnet_windows
from models.data.tusz import read_events, tusz_windows
from models.data.window import Window, seconds_labels


@pytest.mark.realdata
def test_bonn_splits(shared_data: Path) -> None:
    splits = {s: bonn_windows(shared_data / "bonn", s) for s in ("train", "val", "test")}
    assert [len(splits[s]) for s in ("train", "val", "test")] == [300, 75, 125]
    w = splits["test"][0]
    assert w.x.shape == (1, 4097) and w.sfreq == pytest.approx(173.61) and w.n_seconds == 23
    ictal = [w for w in splits["test"] if w.subject == "setE"]
    assert len(ictal) == 25 and all((w.labels == 1).all() for w in ictal)
    assert all((w.labels == 0).all() for w in splits["test"] if w.subject != "setE")


def test_bonn_folds_test_every_segment_once_and_keep_the_historical_split() -> None:
    from models.data.bonn import segment_split

    tested = [[f for f in range(N_FOLDS) if segment_split(i, f) == "test"] for i in range(1, 101)]
    assert all(len(t) == 1 for t in tested)
    fold3 = [segment_split(i, 3) for i in range(1, 101)]
    assert fold3 == ["train"] * 60 + ["val"] * 15 + ["test"] * 25


def _helsinki_split(root: Path, fold: int) -> dict[str, list[Window]]:
    return {s: helsinki_windows(root, s, fold) for s in ("train", "val", "test")}


@pytest.mark.realdata
def test_helsinki_windows_are_split_by_baby(shared_data: Path) -> None:
    root = shared_data / "helsinki"
    splits = _helsinki_split(root, SHIPPED_FOLD)
    w = splits["test"][0]
    assert w.x.shape == (18, 64) and w.sfreq == 64.0 and w.labels.shape == (1,)
    assert w.channel_names[0] == "Fp2-F4" and w.channel_names[-1] == "Cz-Pz"
    assert 0.5 < float(np.median([x.x.std() for x in splits["test"]])) < 500  # µV, not volts
    babies = {s: {x.subject for x in splits[s]} for s in splits}
    assert not babies["train"] & babies["test"] and not babies["val"] & babies["test"]
    assert not babies["train"] & babies["val"]
    for part in splits.values():
        assert {int(x.labels[0]) for x in part} == {0, 1}
    everything = [x for part in splits.values() for x in part]
    assert len(everything) == 385 + 394 - 47 + 2 * 396  # experts A + B, shared windows once
    assert len({x.x.tobytes() for x in everything}) == len(everything)


@pytest.mark.realdata
def test_helsinki_babies_match_the_annotations(shared_data: Path) -> None:
    """Expert A marked 25 seizures in baby 1 (the generator's own example) and none in 3."""
    windows = [
        w for f in range(N_FOLDS) for w in helsinki_windows(shared_data / "helsinki", "test", f)
    ]
    by_baby: dict[str, list[int]] = {}
    for w in windows:
        by_baby.setdefault(w.subject, []).append(int(w.labels[0]))
    assert len(by_baby) == 62
    assert sum(by_baby["baby1"]) >= 25 and set(by_baby["baby3"]) == {0}
    assert all(len(v) == 36 for b, v in by_baby.items() if set(v) == {0})  # 18 per expert


@pytest.mark.realdata
def test_sparcnet_segments(shared_data: Path) -> None:
    root = shared_data / "sparcnet_iiic"
    by_fold = [sparcnet_windows(root, "test", f) for f in range(N_FOLDS)]
    assert [len(t) for t in by_fold] == [6, 6, 6, 6]
    assert len(sparcnet_windows(root, "train", SHIPPED_FOLD)) == 18
    assert not sparcnet_windows(root, "val", SHIPPED_FOLD)
    by_name = {w.subject: w for t in by_fold for w in t}
    assert len(by_name) == 24
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

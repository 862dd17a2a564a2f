"""Channel labels -> display names and types, as a reviewer expects them."""

from __future__ import annotations

import pytest

from app.core.channels import (
    ChannelType,
    bipolar_pair,
    canonical_electrode,
    dedupe,
    electrodes_of,
    infer_type,
    infer_types,
    is_ten_ten,
    normalize_name,
    same_electrode,
    seeg_contact,
)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("EEG FP1-REF", "Fp1"),
        ("EEG Fp1-Ref", "Fp1"),
        ("EEG FP1-AVG", "Fp1"),
        ("Fp1-A1", "Fp1"),
        ("C3-M2", "C3"),
        ("A1-A2", "A1-A2"),  # both ears: a real derivation, not a reference
        ("EEG T3-LE", "T3"),  # old names are shown as written
        ("EEG Fc1", "FC1"),  # Siena
        ("FP1-F7", "Fp1-F7"),  # CHB-MIT bipolar
        ("FZ-CZ", "Fz-Cz"),
        ("FP2 - F8", "Fp2-F8"),
        ("T8-P8-0", "T8-P8-0"),  # mne's duplicate suffix keeps channels distinct
        ("A'01", "A'1"),
        ("SEEG A'1", "A'1"),
        ("B' 3", "B'3"),
        ("EKG 1", "EKG 1"),
        ("EEG 1", "EEG 1"),
        ("-", "-"),
        ("TP2", "TP2"),
        ("EKG EKG", "EKG"),
        ("  Cz  ", "Cz"),
    ],
)
def test_normalize_name(raw: str, name: str) -> None:
    assert normalize_name(raw) == name


@pytest.mark.parametrize(
    ("raw", "ctype"),
    [
        ("EEG FP1-REF", ChannelType.EEG),
        ("T8-P8-1", ChannelType.EEG),
        ("EKG EKG", ChannelType.ECG),
        ("ECG1", ChannelType.ECG),
        ("EEG LOC-A2", ChannelType.EOG),
        ("EMG chin", ChannelType.EMG),
        ("SPO2", ChannelType.RESP),
        ("HR", ChannelType.MISC),
        ("Photic", ChannelType.MISC),
        ("POL DC01", ChannelType.MISC),  # amplifier DC input, not a shaft contact
        ("Status", ChannelType.ANNOTATION),
        ("EDF Annotations", ChannelType.ANNOTATION),
        ("EKG 1", ChannelType.ECG),
        ("EEG 1", ChannelType.EEG),
        ("A'1", ChannelType.SEEG),
        ("SEEG TP9", ChannelType.SEEG),
        ("TP2", ChannelType.SEEG),  # no scalp electrode is called TP2
        ("TP9", ChannelType.EEG),  # a scalp 10-10 electrode on its own
        ("1", ChannelType.MISC),
    ],
)
def test_infer_type(raw: str, ctype: ChannelType) -> None:
    assert infer_type(raw) is ctype


def _types(raws: list[str]) -> dict[str, ChannelType]:
    names = [normalize_name(r) for r in raws]
    return dict(zip(names, infer_types(raws, names), strict=True))


def test_tp_contacts_are_seeg_in_a_depth_recording_but_tp9_is_scalp_eeg() -> None:
    depth = _types([f"TP{i}" for i in range(1, 11)] + ["A1", "A2", "A3", "Fz", "ECG"])
    assert depth["TP2"] is ChannelType.SEEG
    assert depth["TP9"] is ChannelType.SEEG  # a contact of shaft TP, not the mastoid site
    assert depth["A1"] is ChannelType.SEEG
    assert depth["Fz"] is ChannelType.EEG  # scalp reference electrodes stay EEG
    assert depth["ECG"] is ChannelType.ECG
    scalp = _types(["Fp1", "F3", "C3", "P3", "O1", "TP9", "TP10", "Cz"])
    assert set(scalp.values()) == {ChannelType.EEG}


def test_shaft_siblings_make_eeg_labelled_contacts_seeg() -> None:
    """Some systems export every channel as ``EEG x-REF``; A1 beside A2..A8 is a contact."""
    raws = [f"EEG A{i}-REF" for i in range(1, 9)] + [f"EEG B{i}-REF" for i in range(1, 9)]
    raws += ["EEG Fp1-REF", "EEG C3-REF"]
    types = _types(raws)
    assert types["A1"] is ChannelType.SEEG
    assert types["A2"] is ChannelType.SEEG
    assert types["B5"] is ChannelType.SEEG
    assert types["Fp1"] is ChannelType.EEG
    assert types["C3"] is ChannelType.EEG


def test_scalp_recording_keeps_eeg_types_for_ear_electrodes() -> None:
    types = _types(["EEG Fp1-REF", "EEG A1-REF", "EEG A2-REF", "EEG T3-REF", "EEG O2-REF"])
    assert set(types.values()) == {ChannelType.EEG}


def test_old_and_new_ten_twenty_names_are_the_same_electrode_both_ways() -> None:
    pairs = [("T3", "T7"), ("T4", "T8"), ("T5", "P7"), ("T6", "P8")]
    for old, new in pairs:
        assert same_electrode(old, new)
        assert same_electrode(new, old)
        assert canonical_electrode(old) == new
        assert canonical_electrode(new) == new
    assert not same_electrode("T3", "T8")
    assert is_ten_ten("T3") and is_ten_ten("T7") and not is_ten_ten("TP2")


def test_electrodes_and_bipolar_pairs() -> None:
    assert electrodes_of("Fp1-F7") == ("Fp1", "F7")
    assert electrodes_of("T8-P8-1") == ("T8", "P8")
    assert electrodes_of("Fp1-0") == ("Fp1",)  # duplicate of a referential channel
    assert bipolar_pair("Fp1-F7") == ("Fp1", "F7")
    assert bipolar_pair("Fp1") is None
    assert bipolar_pair("Fp1-0") is None
    assert seeg_contact("A'1") == ("A'", 1)
    assert seeg_contact("TP2") == ("TP", 2)
    assert seeg_contact("Cz") is None


def test_dedupe_never_creates_a_name_that_already_exists() -> None:
    assert dedupe(["T8-P8", "Fz", "T8-P8"]) == ["T8-P8", "Fz", "T8-P8-1"]
    out = dedupe(["a", "a", "a-1"])
    assert len(set(out)) == 3
    assert out[0] == "a" and out[2] == "a-1"

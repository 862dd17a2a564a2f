"""Electrode geometry: positions match mne, aliases, bipolar midpoints, SEEG unknown."""

from __future__ import annotations

import numpy as np
import pytest

from models.electrode_positions import STANDARD_1020
from models.electrodes import channel_geometry, geometry_arrays, region_name


def test_position_table_matches_mne() -> None:
    import mne

    montage = mne.channels.make_standard_montage("colin27_1020")  # formerly standard_1020
    positions = montage.get_positions()["ch_pos"]
    assert set(positions) == set(STANDARD_1020)
    for name, xyz in positions.items():
        np.testing.assert_allclose(STANDARD_1020[name], xyz, atol=1e-6)


@pytest.mark.parametrize(
    ("raw", "lobe", "side"),
    [
        ("Fp1", "frontal", "left"),
        ("EEG FP1-REF", "frontal", "left"),
        ("T3", "temporal", "left"),
        ("T6", "temporal", "right"),
        ("C4-A1", "central", "right"),
        ("O1", "occipital", "left"),
        ("Pz", "parietal", "midline"),
        ("F8-T8", "temporal", "right"),
        ("FZ-CZ", "frontal", "midline"),
    ],
)
def test_lobe_and_side(raw: str, lobe: str, side: str) -> None:
    geom = channel_geometry(raw)
    assert (geom.lobe, geom.side) == (lobe, side)
    assert region_name(geom.region) == f"{side} {lobe}"


def test_old_and_new_names_are_the_same_place() -> None:
    assert channel_geometry("T3").position == channel_geometry("T7").position
    assert channel_geometry("T5").position == channel_geometry("P7").position


def test_bipolar_channel_sits_at_the_midpoint() -> None:
    a = np.array(channel_geometry("Fp1").position)
    b = np.array(channel_geometry("F7").position)
    np.testing.assert_allclose(np.array(channel_geometry("Fp1-F7").position), (a + b) / 2)
    assert channel_geometry("T8-P8-0").electrodes == ("T8", "P8")


@pytest.mark.parametrize("raw", ["A'1", "B'12", "EKG", "Bonn", "H3", "x"])
def test_non_scalp_names_are_unknown(raw: str) -> None:
    geom = channel_geometry(raw)
    assert not geom.known and geom.region == 0


def test_depth_recording_context_makes_scalp_like_contacts_unknown() -> None:
    names = [f"TP{i}" for i in range(1, 9)] + ["A'1", "A'2", "ECG"]
    _, region, known = geometry_arrays(names)
    assert not known.any() and (region == 0).all()
    _, _, scalp_known = geometry_arrays(["TP7", "TP8", "Cz", "C3", "C4"])
    assert scalp_known.all()

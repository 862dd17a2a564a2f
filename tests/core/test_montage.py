"""Montages: derivations are exact linear combinations; missing pieces are reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from app.core.channels import ChannelType, dedupe, normalize_name
from app.core.errors import MontageError
from app.core.montage import (
    Montage,
    available_montages,
    build_montage,
    default_montage_key,
    get_montage,
    load_montages,
    seeg_shaft_bipolar,
)

# fmt: off
TEN_TWENTY = ["Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4", "T8", "P7",
              "P3", "Pz", "P4", "P8", "O1", "O2"]
OLD_NAMES = {"T7": "T3", "T8": "T4", "P7": "T5", "P8": "T6"}
CHBMIT_RAW = ["FP1-F7", "F7-T7", "T7-P7", "P7-O1", "FP1-F3", "F3-C3", "C3-P3", "P3-O1", "FP2-F4",
              "F4-C4", "C4-P4", "P4-O2", "FP2-F8", "F8-T8", "T8-P8-0", "P8-O2", "FZ-CZ", "CZ-PZ",
              "P7-T7", "T7-FT9", "FT9-FT10", "FT10-T8", "T8-P8-1"]
# fmt: on
CHBMIT = [normalize_name(n) for n in CHBMIT_RAW]
BANANA = [
    *("Fp1-F7", "F7-T7", "T7-P7", "P7-O1", "Fp2-F8", "F8-T8", "T8-P8", "P8-O2"),
    *("Fp1-F3", "F3-C3", "C3-P3", "P3-O1", "Fp2-F4", "F4-C4", "C4-P4", "P4-O2"),
    *("Fz-Cz", "Cz-Pz"),
]


@dataclass(frozen=True, slots=True)
class FakeChannel:
    name: str
    type: ChannelType


def _page(n_channels: int, n_samples: int = 512, seed: int = 0) -> npt.NDArray[np.float32]:
    return np.random.default_rng(seed).normal(0, 50, (n_channels, n_samples)).astype(np.float32)


def _derived(
    key: str, names: list[str], page: npt.NDArray[np.float32]
) -> dict[str, npt.NDArray[np.float32]]:
    montage = build_montage(key, names)
    out = montage.apply(page[list(montage.input_indices)])
    return dict(zip(montage.labels, out, strict=True))


def test_shipped_montages_have_the_clinical_layouts() -> None:
    keys = [m.key for m in load_montages()]
    assert keys[:3] == ["as_recorded", "double_banana", "transverse"]
    expected = {"average", "laplacian", "tcp", "chbmit_18", "seeg_bipolar", "referential"}
    assert expected <= set(keys)
    counts = {m.key: sum(len(g.derivations) for g in m.groups) for m in load_montages()}
    assert counts["double_banana"] == 18
    assert counts["transverse"] == 18
    assert counts["tcp"] == 22
    assert counts["chbmit_18"] == 18
    banana = get_montage("double_banana")
    assert [g.name for g in banana.groups] == [
        "Left temporal", "Right temporal", "Left parasagittal", "Right parasagittal", "Central",
    ]  # fmt: skip
    assert ["-".join(d) for g in banana.groups for d in g.derivations] == BANANA
    chb = get_montage("chbmit_18")
    assert ["-".join(d) for g in chb.groups for d in g.derivations] == [
        n.removesuffix("-0") for n in CHBMIT[:18]
    ]


def test_double_banana_on_referential_page_is_sample_exact() -> None:
    names = [*TEN_TWENTY, "ECG"]
    page = _page(len(names))
    montage = build_montage("double_banana", names)
    assert montage.labels == tuple(BANANA)
    assert montage.groups == (0,) * 4 + (1,) * 4 + (2,) * 4 + (3,) * 4 + (4,) * 2
    assert montage.dropped == ()
    assert names.index("ECG") not in montage.input_indices
    assert montage.matrix.shape == (18, 19)
    derived = montage.apply(page[list(montage.input_indices)])
    assert derived.dtype == np.float32
    assert derived.shape == (18, 512)
    for label, row in zip(montage.labels, derived, strict=True):
        a, b = label.split("-")
        np.testing.assert_array_equal(row, page[names.index(a)] - page[names.index(b)])
    np.testing.assert_array_equal(montage.apply_full(page), derived)


def test_old_temporal_names_work_and_keep_their_spelling() -> None:
    names = [OLD_NAMES.get(n, n) for n in TEN_TWENTY]
    page = _page(len(names), seed=1)
    derived = _derived("double_banana", names, page)
    assert len(derived) == 18
    assert list(derived)[:4] == ["Fp1-F7", "F7-T3", "T3-T5", "T5-O1"]
    np.testing.assert_allclose(
        derived["T3-T5"], page[names.index("T3")] - page[names.index("T5")], atol=1e-4
    )


def test_missing_electrode_drops_exactly_its_derivations() -> None:
    names = [n for n in TEN_TWENTY if n != "F7"]
    montage = build_montage("double_banana", names)
    assert montage.dropped == (("Fp1-F7", ("F7",)), ("F7-T7", ("F7",)))
    assert montage.n_out == 16
    assert "Fp1-F7" not in montage.labels
    transverse = build_montage("transverse", names)
    assert [label for label, _ in transverse.dropped] == ["F7-Fp1", "F7-F3"]
    options = {o.key: o for o in available_montages(names)}
    assert (options["double_banana"].n_derivable, options["double_banana"].n_dropped) == (16, 2)
    # TCP needs the ear electrodes: without them its two ear derivations are reported.
    tcp = build_montage("tcp", TEN_TWENTY)
    assert tcp.n_out == 20
    assert tcp.dropped == (("A1-T7", ("A1",)), ("T8-A2", ("A2",)))
    assert build_montage("tcp", [*TEN_TWENTY, "A1", "A2"]).n_out == 22


def test_common_average_over_eeg_only() -> None:
    names = [*TEN_TWENTY, "FC1", "ECG", "EOG"]
    page = _page(len(names), seed=2)
    page[names.index("ECG")] += 1000.0  # a huge ECG must not leak into the average
    montage = build_montage("average", names)
    assert montage.reference == "common average of 20 EEG channels"
    assert montage.n_out == 20
    assert montage.labels[-1] == "FC1-AVG"
    assert montage.group_names == ("Left", "Midline", "Right", "Other")
    derived = montage.apply(page[list(montage.input_indices)])
    np.testing.assert_allclose(derived.sum(axis=0), 0.0, atol=1e-3)
    eeg = page[:20]
    expected_cz = eeg[TEN_TWENTY.index("Cz")] - eeg.mean(axis=0)
    np.testing.assert_allclose(derived[montage.labels.index("Cz-AVG")], expected_cz, atol=1e-3)


def test_bad_channel_is_left_out_of_the_average_but_keeps_its_row() -> None:
    names = list(TEN_TWENTY)
    page = _page(len(names), seed=3)
    montage = build_montage("average", names, bad=["O2"])
    assert montage.reference == "common average of 18 EEG channels"
    derived = dict(zip(montage.labels, montage.apply(page), strict=True))
    good = np.delete(page, names.index("O2"), axis=0)
    np.testing.assert_allclose(
        derived["O2-AVG"], page[names.index("O2")] - good.mean(axis=0), atol=1e-3
    )
    o2_column = montage.matrix[:, montage.input_indices.index(names.index("O2"))].toarray()
    assert np.count_nonzero(o2_column) == 1


def test_laplacian_of_a_constant_field_is_zero() -> None:
    names = list(TEN_TWENTY)
    montage = build_montage("laplacian", names)
    assert montage.n_out == 19
    assert montage.dropped == ()
    constant = np.full((len(names), 100), 37.5, dtype=np.float32)
    np.testing.assert_allclose(montage.apply(constant), 0.0, atol=1e-4)
    page = _page(len(names), seed=4)
    derived = dict(zip(montage.labels, montage.apply(page), strict=True))
    neighbours = page[[names.index(n) for n in ("Pz", "C3", "Fz", "C4")]].mean(axis=0)
    np.testing.assert_allclose(derived["Cz-LAP"], page[names.index("Cz")] - neighbours, atol=1e-3)
    # Each row is centre minus a mean: its weights sum to zero.
    np.testing.assert_allclose(np.asarray(montage.matrix.sum(axis=1)).ravel(), 0.0, atol=1e-6)


def test_laplacian_uses_the_neighbours_it_has() -> None:
    names = [n for n in TEN_TWENTY if n != "Pz"]
    montage = build_montage("laplacian", names)
    assert ("Pz-LAP", ("Pz",)) in montage.dropped
    assert "Cz-LAP: mean of 3 of 4 neighbours" in montage.notes
    constant = np.ones((len(names), 10), dtype=np.float32)
    np.testing.assert_allclose(montage.apply(constant), 0.0, atol=1e-5)


def test_chbmit_bipolar_recording_opens_as_recorded_and_derives_the_banana() -> None:
    assert default_montage_key(CHBMIT) == "as_recorded"
    assert default_montage_key(TEN_TWENTY) == "double_banana"
    as_recorded = build_montage("as_recorded", CHBMIT)
    assert as_recorded.labels == tuple(CHBMIT)
    np.testing.assert_array_equal(as_recorded.matrix.toarray(), np.eye(23, dtype=np.float32))
    options = {o.key: o for o in available_montages(CHBMIT)}
    assert {"average", "laplacian", "referential", "seeg_bipolar"}.isdisjoint(options)
    assert options["double_banana"][2:] == (18, 0)
    assert options["chbmit_18"][2:] == (18, 0)
    banana = build_montage("double_banana", CHBMIT)
    for label, row in zip(banana.labels, banana.matrix.toarray(), strict=True):
        (column,) = np.flatnonzero(row)
        assert row[column] == 1.0
        assert CHBMIT[banana.input_indices[column]].removesuffix("-0") == label


def test_bipolar_chains_are_summed_exactly() -> None:
    """Transverse from CHB-MIT pairs: each derivation equals the true potential difference."""
    rng = np.random.default_rng(5)
    electrodes = {e for name in CHBMIT for e in name.split("-")[:2]}
    potential = {e: rng.normal(0, 40, 256) for e in electrodes}
    page = np.array([potential[n.split("-")[0]] - potential[n.split("-")[1]] for n in CHBMIT])
    montage = build_montage("transverse", CHBMIT)
    derived = montage.apply_full(page.astype(np.float32))
    for label, row in zip(montage.labels, derived, strict=True):
        a, b = label.split("-")
        np.testing.assert_allclose(row, potential[a] - potential[b], atol=1e-3)
    # The midline chain (Fz-Cz-Pz) is not joined to the rest: reported, not zero-filled.
    assert [label for label, _ in montage.dropped] == [
        "F3-Fz", "Fz-F4", "C3-Cz", "Cz-C4", "P3-Pz", "Pz-P4",
    ]  # fmt: skip
    assert all(missing == () for _, missing in montage.dropped)
    assert "F3-Fz: no chain of recorded channels joins F3 and Fz" in montage.notes
    assert montage.n_out == 12


def test_chains_avoid_bad_channels_when_they_can() -> None:
    bad = CHBMIT.index("T7-P7")
    montage = build_montage("double_banana", CHBMIT, bad=[bad])
    row = montage.matrix.toarray()[montage.labels.index("T7-P7")]
    used = {montage.input_indices[c]: row[c] for c in np.flatnonzero(row)}
    assert used == {CHBMIT.index("P7-T7"): -1.0}


def test_seeg_shaft_bipolar_pairs_neighbouring_contacts() -> None:
    names = ["A'1", "A'2", "A'3", "A'4", "A'5", "B1", "B2", "B3", "TP1", "TP2", "ECG"]
    montage = seeg_shaft_bipolar(names)
    assert montage.labels == (
        "A'1-A'2", "A'2-A'3", "A'3-A'4", "A'4-A'5", "B1-B2", "B2-B3", "TP1-TP2",
    )  # fmt: skip
    assert montage.groups == (0, 0, 0, 0, 1, 1, 2)
    assert montage.group_names == ("A'", "B", "TP")
    page = _page(len(names), seed=6)
    derived = montage.apply_full(page)
    np.testing.assert_allclose(derived[0], page[0] - page[1], atol=1e-4)
    np.testing.assert_allclose(derived[-1], page[8] - page[9], atol=1e-4)
    options = [o.key for o in available_montages(names)]
    assert options == ["as_recorded", "seeg_bipolar"]
    assert build_montage("as_recorded", names).group_names == ("A'", "B", "TP", "ECG")


def test_seeg_numbering_gap_is_reported_not_bridged() -> None:
    montage = seeg_shaft_bipolar(["H1", "H2", "H4", "H5", "B1"])
    assert montage.labels == ("H1-H2", "H4-H5")
    assert montage.dropped == (("H2-H3", ("H3",)), ("H3-H4", ("H3",)))
    assert "shaft B has a single contact; no bipolar pair" in montage.notes
    with pytest.raises(MontageError):
        seeg_shaft_bipolar(["A1", "B1", "ECG"])


def test_channel_objects_and_annotation_channels() -> None:
    channels = [FakeChannel(n, ChannelType.EEG) for n in TEN_TWENTY]
    channels.append(FakeChannel("EDF Annotations", ChannelType.ANNOTATION))
    as_recorded = build_montage("as_recorded", channels)
    assert as_recorded.input_indices == tuple(range(19))
    assert build_montage("double_banana", channels).n_out == 18
    with pytest.raises(ValueError, match="needs a page of 19 rows"):
        as_recorded.apply(np.zeros((20, 4), dtype=np.float32))


def test_referential_kinds_refused_for_bipolar_recordings() -> None:
    with pytest.raises(MontageError, match="bipolar"):
        build_montage("average", CHBMIT)
    with pytest.raises(MontageError, match="no such montage"):
        build_montage("nonsense", CHBMIT)
    with pytest.raises(MontageError, match="missing"):
        build_montage("double_banana", ["A'1", "A'2"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "x", "name": "x", "description": "", "kind": "sideways", "groups": []}, "kind"),
        (
            {"key": "x", "name": "x", "description": "", "kind": "bipolar",
             "groups": [{"name": "g", "derivations": [["Fp1", "F7", "T7"]]}]},
            "3 electrodes",
        ),
        ({"key": "x", "kind": "bipolar", "groups": []}, "missing"),
    ],
)  # fmt: skip
def test_malformed_definitions_are_rejected(data: dict[str, object], message: str) -> None:
    with pytest.raises(MontageError, match=message):
        Montage.from_dict(data, "test.json")


def _edf_labels(path: Path) -> list[str]:
    header = path.read_bytes()[: 256 + 16 * 512]
    count = int(header[252:256])
    raw = header[256 : 256 + 16 * count].decode("latin-1")
    return [raw[i : i + 16].strip() for i in range(0, 16 * count, 16)]


@pytest.mark.realdata
def test_real_headers(shared_data: Path) -> None:
    raw = _edf_labels(shared_data / "formats/chbmit/chb05/chb05_01.edf")
    assert raw[-1] == "EDF Annotations"  # not a signal: the reader does not list it
    chb = dedupe([normalize_name(n) for n in raw[:-1]])
    assert chb[:14] == CHBMIT[:14]
    assert default_montage_key(chb) == "as_recorded"
    assert build_montage("as_recorded", chb).n_out == 23
    assert build_montage("double_banana", chb).n_out == 18
    tcp = build_montage("tcp", chb)
    assert [label for label, _ in tcp.dropped] == ["A1-T7", "C3-Cz", "Cz-C4", "T8-A2"]
    siena = [normalize_name(n) for n in _edf_labels(shared_data / "formats/siena/PN00/PN00-1.edf")]
    assert default_montage_key(siena) == "double_banana"
    banana = build_montage("double_banana", siena)
    assert banana.labels[1:3] == ("F7-T3", "T3-T5")
    average = build_montage("average", siena)
    assert average.reference == "common average of 29 EEG channels"


def test_a_depth_recording_opens_in_its_shaft_bipolar_montage() -> None:
    names = ["A'1", "A'2", "A'3", "B1", "B2", "TP1", "TP2", "ECG"]
    assert default_montage_key(names) == "seeg_bipolar"
    assert build_montage("seeg_bipolar", names).group_names == ("A'", "B", "TP")

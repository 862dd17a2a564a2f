"""Onset type from the ECAM: focal/generalised, side, lobe, and which source spoke."""

from __future__ import annotations

import numpy as np

from models.onset import onset_type
from tests.models.toy_eeg import SCALP_19


def _ecam(active: tuple[str, ...], level: float = 0.9) -> np.ndarray:
    prob = np.full((len(SCALP_19), 20), 0.05)
    for i, name in enumerate(SCALP_19):
        if name in active:
            prob[i, 10:] = level
    return prob


def test_left_temporal_focal_onset() -> None:
    result = onset_type(_ecam(("F7", "T7", "P7")), SCALP_19, 10)
    assert result.kind == "focal"
    assert result.lateralisation == "left"
    assert result.region == "left temporal" and result.lobe == "temporal"
    assert result.source == "ECAM onset"
    assert set(result.channels) == {"F7", "T7", "P7"}
    assert result.confidence > 0.5


def test_generalised_onset() -> None:
    result = onset_type(_ecam(SCALP_19), SCALP_19, 10)
    assert result.kind == "generalised" and result.lateralisation == "bilateral"


def test_no_evidence_is_unknown() -> None:
    result = onset_type(_ecam(()), SCALP_19, 10)
    assert result.kind == "unknown" and result.confidence == 0.0


def test_trained_type_head_takes_precedence_when_confident() -> None:
    scores = np.tile([0.05, 0.05, 0.85, 0.05], (20, 1))
    result = onset_type(
        _ecam(("F7", "T7", "P7")), SCALP_19, 10, type_scores=scores, type_head_trained=True
    )
    assert result.source == "type head" and result.type_label == "absence"
    assert result.kind == "generalised" and result.lateralisation == "left"
    untrained = onset_type(_ecam(("F7", "T7", "P7")), SCALP_19, 10, type_scores=scores)
    assert untrained.source == "ECAM onset"

"""Evaluation metrics and the classic baseline."""

from __future__ import annotations

import numpy as np
import pytest

from models.evaluation.baseline import fit_baseline
from models.evaluation.metrics import auroc, event_score
from models.preprocess import prepare
from tests.models.toy_eeg import toy_recording


def test_auroc_known_values() -> None:
    assert auroc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert auroc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert auroc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert np.isnan(auroc([1, 1], [0.2, 0.3]))


def test_event_score_follows_szcore_tolerances() -> None:
    truth = np.zeros(3600, bool)
    truth[100:160] = True
    truth[2000:2100] = True
    hyp = np.zeros(3600, bool)
    hyp[110:150] = True  # overlaps seizure 1
    hyp[3000:3010] = True  # a false alarm
    score = event_score([truth], [hyp])
    assert score.sensitivity == pytest.approx(0.5)
    assert score.precision == pytest.approx(0.5)
    assert score.fp_per_24h == pytest.approx(24.0)
    assert score.true_events == 2 and score.hours == pytest.approx(1.0)


def test_line_length_baseline_separates_toy_seizures() -> None:
    train = [toy_recording(s, seconds=90) for s in range(3)]
    test = toy_recording(99, seconds=90)
    base = fit_baseline([prepare(w.x, w.sfreq) for w in train], [w.labels for w in train])
    prob = base.predict(prepare(test.x, test.sfreq))[: test.n_seconds]
    assert auroc(test.labels, prob) > 0.9

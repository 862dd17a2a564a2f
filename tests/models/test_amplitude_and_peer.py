"""Amplitude awareness (model input, baseline), segment scoring, and the optional peer model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from models.data.window import Window
from models.evaluation.baseline import fit_baseline, second_features
from models.evaluation.metrics import auroc
from models.evaluation.peer import available, peer_rate
from models.evaluation.real import Scores, segment_score
from models.evaluation.timing import timing_recording
from models.preprocess import LOG_SCALE_RANGE, log_amplitude, prepare, prepare_scaled
from models.training.batching import balanced_weights, collate
from models.training.examples import window_examples
from tests.models.helpers import TINY, geometry_batch, tiny_model
from tests.models.toy_eeg import SCALP_19, toy_recording

AMP = replace(TINY, amplitude_embedding=True)


def test_amplitude_feature_is_the_log_scale_the_page_was_divided_by() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 256 * 20)).astype(np.float32)
    x[1] *= 100.0  # 100 µV vs 1 µV
    z, amp = prepare_scaled(x, 256.0)
    assert np.allclose(z, prepare(x, 256.0))
    assert amp[1] - amp[0] == pytest.approx(np.log(100.0), abs=0.05)
    assert log_amplitude(np.array([0.0, 1e9], np.float32)).tolist() == pytest.approx(
        list(LOG_SCALE_RANGE)
    )


def test_amplitude_embedding_sees_gain_and_old_configs_ignore_it() -> None:
    x = torch.randn(1, 19, 5 * 128)
    geo = geometry_batch(SCALP_19)
    low, high = torch.full((1, 19, 5), -1.0), torch.full((1, 19, 5), 2.0)
    aware = tiny_model(config=AMP)
    assert not torch.allclose(
        aware(x, *geo, log_scale=low).global_logits, aware(x, *geo, log_scale=high).global_logits
    )
    blind = tiny_model()
    assert torch.equal(
        blind(x, *geo, log_scale=low).global_logits, blind(x, *geo, log_scale=high).global_logits
    )
    assert aware(x, *geo).global_logits.shape == (1, 5)  # no feature given: 20 µV assumed


def test_training_crops_carry_the_amplitude_and_gain_augmentation_moves_it() -> None:
    w = toy_recording(0, seconds=60)
    loud = Window(w.x * 10, w.sfreq, w.channel_names, w.labels, w.channel_labels)
    quiet_ex = window_examples(w, 20, 60)[0]
    loud_ex = window_examples(loud, 20, 60)[0]
    assert quiet_ex.log_scale is not None and loud_ex.log_scale is not None
    assert np.allclose(loud_ex.log_scale - quiet_ex.log_scale, np.log(10.0), atol=1e-3)
    assert np.allclose(loud_ex.x, quiet_ex.x, atol=1e-4)  # the signal itself is gain-free
    rng = np.random.default_rng(0)
    plain = collate([quiet_ex], rng, augment=False).log_scale
    assert torch.allclose(plain[0], torch.from_numpy(quiet_ex.log_scale))
    shifted = collate([quiet_ex], rng, augment=True).log_scale
    assert float((shifted - plain).abs().max()) < np.log(1.5) + 0.6


def test_sampler_balances_seizure_and_background_crops() -> None:
    crops = window_examples(toy_recording(1, seconds=120), 20, 120)
    weights = balanced_weights(crops)
    seizure = np.array([c.seizure for c in crops])
    assert 0 < seizure.sum() < len(crops)
    assert weights[seizure].sum() == pytest.approx(weights[~seizure].sum())


def test_baseline_uses_absolute_amplitude_when_given() -> None:
    rng = np.random.default_rng(1)
    signals = [rng.standard_normal((2, 128 * 4)).astype(np.float32) for _ in range(40)]
    labels = [np.full(4, i % 2, np.int8) for i in range(40)]
    scales = [np.full(2, 1.5 if i % 2 else -0.5, np.float32) for i in range(40)]
    assert second_features(signals[0], scales[0]).shape == (4, 18)
    base = fit_baseline(signals, labels, scales)
    probs = [base.predict(x, a).mean() for x, a in zip(signals, scales, strict=True)]
    assert auroc([int(lab[0]) for lab in labels], probs) == 1.0  # same waveforms, gain differs


def test_segment_scores_skip_unlabelled_and_unevaluated_seconds() -> None:
    labels = np.array([-1, 1, 1, -1], np.int8)
    pair = segment_score(np.array([0.9, 0.2, np.nan, 0.9]), labels)
    assert pair is not None and pair[0] == 1 and pair[1] == pytest.approx(0.2)
    assert segment_score(np.array([0.5, 0.5]), np.array([-1, -1], np.int8)) is None
    scores = Scores()
    for pair in [(0, 0.1), (1, 0.8), None, (0, 0.3), (1, 0.2)]:
        scores.add(pair)
    assert scores.y == [0, 1, 0, 1] and scores.auroc() == pytest.approx(0.75)


def test_peer_gets_an_even_rate_of_at_least_200_hz() -> None:
    assert [peer_rate(f) for f in (200.0, 256.0, 512.0)] == [200, 256, 512]
    assert [peer_rate(f) for f in (64.0, 173.61, 199.0, 250.5, 201.0)] == [256] * 5


def test_timing_recording_has_the_requested_size() -> None:
    windows = [
        toy_recording(0, seconds=40, n_seizures=0),
        toy_recording(1, seconds=40, n_seizures=0, channels=SCALP_19[:8]),
    ]
    x, names, sfreq = timing_recording(windows, channels=23, hours=0.01)
    assert x.shape == (23, round(36 * sfreq)) and len(names) == 23 and names[19] == names[0]


@pytest.mark.skipif(available() is not None, reason=str(available()))
def test_peer_scores_a_short_window_padded_to_its_300_s_context() -> None:
    from models.evaluation.peer import PeerScorer

    w = toy_recording(3, seconds=12, n_seizures=0, channels=SCALP_19[:2])
    probs = PeerScorer(None, threads=1).seconds(w)
    assert probs.shape == (12,) and np.isfinite(probs).all()
    assert ((probs >= 0) & (probs <= 1)).all()

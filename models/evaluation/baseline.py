"""Classic baseline: line length and band powers per second, logistic regression.

Features per channel-second of the prepared (128 Hz, normalised) signal: line length, signal
variance and log power in delta (1-4 Hz), theta (4-8), alpha (8-13), beta (13-30) and gamma
(30-60); per second we take their mean and their maximum over channels. A logistic regression
is fitted on the same training examples the network saw, in the same evaluation run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch

from models.config import MODEL_SFREQ

F64 = npt.NDArray[np.float64]
BANDS: tuple[tuple[float, float], ...] = ((1, 4), (4, 8), (8, 13), (13, 30), (30, 60))


def second_features(x: npt.NDArray[np.float32]) -> F64:
    """(C, S * 128) prepared signal -> (S, 14) features (mean and max over channels)."""
    c, t = x.shape
    s = t // MODEL_SFREQ
    patches = x[:, : s * MODEL_SFREQ].reshape(c, s, MODEL_SFREQ).astype(np.float64)
    line_length = np.abs(np.diff(patches, axis=-1)).mean(axis=-1)
    variance = np.log(patches.var(axis=-1) + 1e-6)
    power = np.abs(np.fft.rfft(patches, axis=-1)) ** 2
    freqs = np.fft.rfftfreq(MODEL_SFREQ, 1.0 / MODEL_SFREQ)
    bands = [
        np.log(power[..., (freqs >= lo) & (freqs < hi)].mean(axis=-1) + 1e-6) for lo, hi in BANDS
    ]
    feats = np.stack([line_length, variance, *bands], axis=-1)  # (C, S, 7)
    return np.concatenate([feats.mean(axis=0), feats.max(axis=0)], axis=-1)


@dataclass(frozen=True, slots=True)
class LineLengthBaseline:
    mean: F64
    std: F64
    weights: F64
    bias: float

    def predict(self, x: npt.NDArray[np.float32]) -> F64:
        """Per-second seizure probability for a prepared signal (C, S * 128)."""
        z = (second_features(x) - self.mean) / self.std
        return np.asarray(1.0 / (1.0 + np.exp(-(z @ self.weights + self.bias))), dtype=np.float64)


def fit_baseline(
    signals: Sequence[npt.NDArray[np.float32]], labels: Sequence[npt.NDArray[np.int8]]
) -> LineLengthBaseline:
    """Fit on prepared signals with per-second labels (-1 seconds ignored), class-balanced."""
    feats = np.concatenate([second_features(x) for x in signals])
    y = np.concatenate([np.asarray(lab, dtype=np.float64) for lab in labels])
    keep = y >= 0
    feats, y = feats[keep], y[keep]
    mean, std = feats.mean(axis=0), feats.std(axis=0) + 1e-6
    z = torch.from_numpy((feats - mean) / std)
    target = torch.from_numpy(y)
    pos = max(float(y.mean()), 1e-3)
    sample_w = torch.where(target > 0, 0.5 / pos, 0.5 / max(1 - pos, 1e-3))
    w = torch.zeros(z.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optim = torch.optim.LBFGS([w, b], max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optim.zero_grad()
        logits = z @ w + b
        loss = (
            torch.nn.functional.binary_cross_entropy_with_logits(logits, target, weight=sample_w)
            + 1e-3 * (w**2).sum()
        )
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    optim.step(closure)  # type: ignore[no-untyped-call]
    return LineLengthBaseline(mean, std, w.detach().numpy().copy(), float(b.detach()[0]))

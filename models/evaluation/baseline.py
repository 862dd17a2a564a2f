"""Classic baseline: line length and band powers per second, logistic regression.

Features per channel-second of the prepared (128 Hz, normalised) signal: line length, signal
variance and log power in delta (1-4 Hz), theta (4-8), alpha (8-13), beta (13-30) and gamma
(30-60), plus the two absolute-amplitude features the network also gets (log of the robust
scale the channel was normalised by, and log absolute line length in µV per sample); per
second we take their mean and their maximum over channels. A logistic regression is fitted on
the same training examples the network saw, in the same evaluation run.
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


def second_features(
    x: npt.NDArray[np.float32], log_scale: npt.NDArray[np.float32] | None = None
) -> F64:
    """(C, S * 128) prepared signal (+ amplitude feature (C,) or (C, S)) -> (S, 18) features."""
    c, t = x.shape
    s = t // MODEL_SFREQ
    amp = (
        np.zeros((c, s))
        if log_scale is None
        else np.broadcast_to(np.asarray(log_scale, dtype=np.float64).reshape(c, -1)[:, :s], (c, s))
    )
    patches = x[:, : s * MODEL_SFREQ].reshape(c, s, MODEL_SFREQ).astype(np.float64)
    line_length = np.abs(np.diff(patches, axis=-1)).mean(axis=-1)
    variance = np.log(patches.var(axis=-1) + 1e-6)
    power = np.abs(np.fft.rfft(patches, axis=-1)) ** 2
    freqs = np.fft.rfftfreq(MODEL_SFREQ, 1.0 / MODEL_SFREQ)
    bands = [
        np.log(power[..., (freqs >= lo) & (freqs < hi)].mean(axis=-1) + 1e-6) for lo, hi in BANDS
    ]
    absolute_ll = np.log(line_length + 1e-6) + amp
    feats = np.stack([line_length, variance, *bands, amp, absolute_ll], axis=-1)  # (C, S, 9)
    return np.concatenate([feats.mean(axis=0), feats.max(axis=0)], axis=-1)


@dataclass(frozen=True, slots=True)
class LineLengthBaseline:
    mean: F64
    std: F64
    weights: F64
    bias: float

    def predict(
        self, x: npt.NDArray[np.float32], log_scale: npt.NDArray[np.float32] | None = None
    ) -> F64:
        """Per-second seizure probability for a prepared signal (C, S * 128)."""
        z = (second_features(x, log_scale) - self.mean) / self.std
        return np.asarray(1.0 / (1.0 + np.exp(-(z @ self.weights + self.bias))), dtype=np.float64)


def fit_baseline(
    signals: Sequence[npt.NDArray[np.float32]],
    labels: Sequence[npt.NDArray[np.int8]],
    log_scales: Sequence[npt.NDArray[np.float32] | None] | None = None,
) -> LineLengthBaseline:
    """Fit on prepared signals with per-second labels (-1 seconds ignored), class-balanced."""
    scales = list(log_scales) if log_scales is not None else [None] * len(signals)
    feats = np.concatenate([second_features(x, a) for x, a in zip(signals, scales, strict=True)])
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

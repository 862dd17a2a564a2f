"""Ongoing background EEG: 1/f activity, posterior alpha, theta and delta by sleep stage, ECG.

The background is synthesised in 10-s blocks, each from its own seeded random spectrum
(so any block can be made without the ones before it), and neighbouring blocks are
cross-faded over 1 s with sin/cos weights, which keeps the variance constant and leaves
no seam. Within a block, channels are mixed by electrode distance (neighbours strongly
correlated, as on the scalp); alpha is posterior and only awake; delta grows frontally in N3.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import scipy.fft
from numpy.typing import NDArray

from app.core.channels import ChannelType
from app.core.simulate.context import context
from app.core.simulate.sleep import EFFECTS, stage_at

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

BLOCK_S = 10.0
OVERLAP_S = 1.0
_STREAM = 7101
Float32 = NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class _Bank:
    """Per-recording synthesis constants: filters per stage and the mixing weights."""

    block_n: int
    overlap_n: int
    filters: tuple[Float32, ...]  # per stage: (n_sources, n_freqs) amplitude filters
    weights: Float32  # (n_channels, n_sources): mixing incl. per-channel scale
    window: Float32  # (block_n + overlap_n,) cross-fade weights


def _unit(power: NDArray[np.float64], length: int) -> NDArray[np.float64]:
    """Amplitude filter for a power shape: irfft(filter × N(0,1) spectrum) has unit variance."""
    amp = np.sqrt(power)
    amp[0] = 0.0
    weight = np.full(amp.shape, 4.0)
    if length % 2 == 0:
        weight[-1] = 1.0
    norm = np.sqrt(np.sum(weight * amp**2)) / length
    return amp / norm if norm > 0 else amp


@lru_cache(maxsize=4)
def _bank(spec: SimulationSpec) -> _Bank:
    ctx = context(spec)
    fs = spec.sfreq
    block_n, overlap_n = round(BLOCK_S * fs), round(OVERLAP_S * fs)
    length = block_n + overlap_n
    f = scipy.fft.rfftfreq(length, 1.0 / fs)
    highpass = (f / 0.4) ** 2 / (1 + (f / 0.4) ** 2)
    pink = _unit(highpass / (f + 1.0) / (1 + (f / 20.0) ** 2) / (1 + (f / 60.0) ** 4), length)
    theta = _unit(np.exp(-0.5 * ((f - 6.0) / 1.5) ** 2), length)
    delta = _unit(highpass / (f + 0.3) / (1 + (f / 2.5) ** 6), length)
    alpha_hz = 9.0 + 2.0 * np.random.default_rng([spec.seed, 7003]).random()
    alpha = _unit(np.exp(-0.5 * ((f - alpha_hz) / 0.5) ** 2), length)
    n = len(ctx.names)
    bg = ctx.scales.background_uv
    filters = []
    for effect in EFFECTS:
        broadband = np.sqrt((effect.broadband * pink) ** 2 + (0.6 * effect.theta * theta) ** 2)
        rows = [np.broadcast_to(broadband, (n, len(f)))]
        rows += [np.broadcast_to(1.2 * effect.alpha * alpha, (2, len(f)))]
        rows += [np.broadcast_to(0.8 * effect.delta * delta, (2, len(f)))]
        filters.append(np.concatenate(rows).astype(np.float32) * np.float32(bg))
    scale = np.array([_channel_scale(t) for t in ctx.types]) * np.where(ctx.silenced, 0.5, 1.0)
    weights = np.concatenate([ctx.mixing, ctx.alpha_w, ctx.delta_w], axis=1) * scale[:, None]
    ramp = np.sin(0.5 * np.pi * (np.arange(overlap_n) + 0.5) / overlap_n)
    window = np.concatenate([ramp, np.ones(block_n - overlap_n), ramp[::-1]])
    return _Bank(
        block_n, overlap_n, tuple(filters), weights.astype(np.float32), window.astype(np.float32)
    )


def _channel_scale(kind: ChannelType) -> float:
    return {ChannelType.EEG: 1.0, ChannelType.SEEG: 1.0, ChannelType.EOG: 0.8}.get(kind, 0.1)


@lru_cache(maxsize=4)
def _segment(spec: SimulationSpec, block: int) -> Float32:
    """Windowed background of block ``block``: samples [block·B - overlap, (block+1)·B)."""
    bank = _bank(spec)
    length = bank.block_n + bank.overlap_n
    n_freq = length // 2 + 1
    n_src = bank.weights.shape[1]
    stage = int(stage_at(spec, np.array([(block + 0.5) * BLOCK_S]))[0])
    rng = np.random.default_rng([spec.seed, _STREAM, block])
    white = rng.standard_normal((n_src, n_freq, 2), dtype=np.float32)
    white *= bank.filters[stage][:, :, None]
    # einsum, not BLAS: the same few flops, no thread pool (OpenBLAS threads on a busy
    # machine made this product 500x slower), and identical results on every machine.
    mixed = np.einsum("cs,sf->cf", bank.weights, white.reshape(n_src, 2 * n_freq))
    mixed = mixed.reshape(-1, n_freq, 2)
    spectrum = mixed.view(np.complex64)[..., 0]
    segment = np.asarray(scipy.fft.irfft(spectrum, n=length, axis=1), dtype=np.float32)
    segment *= bank.window
    segment.flags.writeable = False
    return segment


def background(spec: SimulationSpec, first: int, n: int) -> Float32:
    """Background µV of samples [first, first + n), shape (n_channels, n)."""
    bank = _bank(spec)
    block_n, overlap_n = bank.block_n, bank.overlap_n
    out = np.zeros((len(spec.channels), n), dtype=np.float32)
    k_first = max(first // block_n, 0)
    k_last = (first + n + overlap_n - 1) // block_n
    for k in range(k_first, k_last + 1):
        seg_start = k * block_n - overlap_n
        a, b = max(first, seg_start), min(first + n, (k + 1) * block_n)
        if a < b:
            out[:, a - first : b - first] += _segment(spec, k)[:, a - seg_start : b - seg_start]
    return out


def ecg(spec: SimulationSpec, first: int, n: int) -> NDArray[np.float64]:
    """ECG in µV (R wave ~900 µV), heart rate ~62 bpm with respiratory and slow variability.

    The cardiac phase is a closed-form integral of the heart rate, so any span is exact.
    """
    t = (first + np.arange(n)) / spec.sfreq
    rng = np.random.default_rng([spec.seed, 7004])
    hr0, ph1, ph2 = 58.0 + 8.0 * rng.random(), 6.28 * rng.random(), 6.28 * rng.random()
    resp, slow = 2 * np.pi / 4.0, 2 * np.pi / 90.0  # rad/s of the two modulations
    beats = (hr0 * t + 3.0 / resp * (np.cos(ph1) - np.cos(resp * t + ph1))) / 60.0
    beats += 4.0 / slow * (np.cos(ph2) - np.cos(slow * t + ph2)) / 60.0
    out: NDArray[np.float64] = np.interp(beats % 1.0, _ECG_PHASE, _ECG_TEMPLATE)
    return out


def _ecg_template(n: int = 2001) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One P-QRS-T cycle (R ~900 µV) sampled on [0, 1]."""
    phase = np.linspace(0.0, 1.0, n)
    wave = np.zeros(n)
    for centre, width, height in (
        (0.15, 0.025, 0.12), (0.29, 0.008, -0.1), (0.31, 0.009, 1.0),
        (0.33, 0.01, -0.25), (0.6, 0.05, 0.3),
    ):  # fmt: skip
        d = (phase - centre + 0.5) % 1.0 - 0.5
        wave += height * np.exp(-0.5 * (d / width) ** 2)
    return phase, 900.0 * wave


_ECG_PHASE, _ECG_TEMPLATE = _ecg_template()

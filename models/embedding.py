"""Token embeddings: what one channel-second looks like, and where the channel sits.

Each channel is read as a sequence of 1-s patches. A patch becomes a token by summing a
*temporal* embedding (a strided convolution over the raw signal: spikes, sharp waves,
rhythmic morphology) and a *spectral* embedding (log magnitude of the patch's FFT: the
frequency evolution that defines a seizure). The channel's position embedding (electrode
coordinates or a learned "unknown" vector, plus its brain region), optionally its absolute
amplitude (the scale the normalisation divided out), and a sinusoidal time embedding are added
before the transformer.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from models.config import ModelConfig

_CONV_STRIDE = 16  # two stride-4 convolutions: 128 samples -> 8 frames per second


def patch_log_spectrum(patches: Tensor) -> Tensor:
    """Log magnitude spectrum of 1-s patches: (..., P) -> (..., P // 2 + 1), Hann-windowed."""
    window = torch.hann_window(patches.shape[-1], periodic=True, device=patches.device)
    spec = torch.fft.rfft(patches.float() * window, dim=-1).abs()
    return torch.log1p(spec)


class PatchEmbedding(nn.Module):
    """Per-channel signals (N, S * P) -> tokens (N, S, d): temporal conv + spectral embedding."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        c = cfg.conv_channels
        self.patch = cfg.patch_samples
        self.frames = cfg.patch_samples // _CONV_STRIDE
        self.conv = nn.Sequential(
            nn.Conv1d(1, c, kernel_size=15, stride=4, padding=7),
            nn.GELU(),
            nn.Conv1d(c, c, kernel_size=9, stride=4, padding=4),
            nn.GELU(),
        )
        self.temporal = nn.Linear(c * self.frames, cfg.d_model)
        self.spectral = nn.Linear(cfg.patch_samples // 2 + 1, cfg.d_model)
        self.norm = nn.LayerNorm(cfg.d_model)

    def forward(self, x: Tensor) -> Tensor:
        n, t = x.shape
        s = t // self.patch
        conv = self.conv(x[:, None, : s * self.patch])  # (N, c, S * frames)
        conv = conv.reshape(n, -1, s, self.frames).permute(0, 2, 3, 1).reshape(n, s, -1)
        spec = patch_log_spectrum(x[:, : s * self.patch].reshape(n, s, self.patch))
        tokens: Tensor = self.norm(self.temporal(conv) + self.spectral(spec))
        return tokens


class AmplitudeEmbedding(nn.Module):
    """Absolute amplitude of a channel-second (log robust scale, (B, C, S)) -> (B, C, S, d)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.mlp = nn.Sequential(nn.Linear(1, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, log_scale: Tensor) -> Tensor:
        out: Tensor = self.mlp(log_scale[..., None])
        return out


class ChannelEmbedding(nn.Module):
    """Position (B, C, 3), region (B, C), known (B, C) -> channel embedding (B, C, d)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.position = nn.Sequential(nn.Linear(3, d), nn.GELU(), nn.Linear(d, d))
        self.unknown = nn.Parameter(torch.zeros(d))
        self.region = nn.Embedding(cfg.n_regions, d)
        nn.init.normal_(self.unknown, std=0.02)
        nn.init.normal_(self.region.weight, std=0.02)

    def forward(self, pos: Tensor, region: Tensor, known: Tensor) -> Tensor:
        coords = self.position(pos)
        located = torch.where(known[..., None], coords, self.unknown.to(coords.dtype))
        out: Tensor = located + self.region(region)
        return out


def time_embedding(n_seconds: int, d: int, device: torch.device) -> Tensor:
    """Sinusoidal embedding of the second index within a window: (S, d)."""
    position = torch.arange(n_seconds, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(
        torch.arange(0, d, 2, device=device, dtype=torch.float32) * (-math.log(1000.0) / d)
    )
    emb = torch.zeros(n_seconds, d, device=device)
    emb[:, 0::2] = torch.sin(position * freq)
    emb[:, 1::2] = torch.cos(position * freq[: d // 2])
    return emb

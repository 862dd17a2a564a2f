"""IctalNet: the channel-agnostic seizure encoder with its heads.

Input ``x`` is (batch, n_chans, n_times) at 128 Hz, robustly normalised per channel
(:mod:`models.preprocess`), with ``n_times`` a whole number of seconds; ``chan_mask`` marks
real (not padded) channels; ``log_scale`` (batch, n_chans, n_seconds) is the amplitude
feature of :func:`models.preprocess.log_amplitude` (used when the config asks for it, ignored
otherwise; zero = 20 µV when a caller has none). Works for any channel count and any names.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn

from models.blocks import AxialLayer
from models.config import ModelConfig
from models.embedding import (
    AmplitudeEmbedding,
    ChannelEmbedding,
    PatchEmbedding,
    time_embedding,
)
from models.heads import SeizureHeads


class ModelOutput(NamedTuple):
    channel_logits: Tensor  # (B, C, S): the ECAM before the sigmoid
    global_logits: Tensor  # (B, S)
    pattern_logits: Tensor  # (B, S, n_patterns)
    type_logits: Tensor  # (B, S, n_types)
    features: Tensor  # (B, C, S, d): last layer, for distillation and pretraining


class IctalNet(nn.Module):
    """Temporal+spectral patch embedding -> axial transformer -> ECAM / global / pattern / type."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.patch = PatchEmbedding(cfg)
        self.channel = ChannelEmbedding(cfg)
        self.amplitude = AmplitudeEmbedding(cfg) if cfg.amplitude_embedding else None
        self.mask_token = nn.Parameter(torch.zeros(cfg.d_model))
        self.layers = nn.ModuleList(AxialLayer(cfg) for _ in range(cfg.n_layers))
        self.heads = SeizureHeads(cfg)

    def tokens(
        self,
        x: Tensor,
        pos: Tensor,
        region: Tensor,
        known: Tensor,
        token_mask: Tensor | None,
        *,
        log_scale: Tensor | None = None,
    ) -> Tensor:
        """Input tokens (B, C, S, d); ``token_mask`` (B, C, S) replaces patches by a mask token."""
        b, c, t = x.shape
        s = t // self.cfg.patch_samples
        tok: Tensor = self.patch(x.reshape(b * c, t)).reshape(b, c, s, -1)
        if token_mask is not None:
            tok = torch.where(token_mask[..., None], self.mask_token.to(tok.dtype), tok)
        tok = tok + self.channel(pos, region, known)[:, :, None, :]
        if self.amplitude is not None:
            if log_scale is None:
                log_scale = torch.zeros(b, c, s, device=x.device)
            tok = tok + self.amplitude(log_scale.to(tok.dtype)[:, :, :s])
        return tok + time_embedding(s, self.cfg.d_model, x.device).to(tok.dtype)

    def forward(
        self,
        x: Tensor,
        pos: Tensor,
        region: Tensor,
        known: Tensor,
        chan_mask: Tensor,
        *,
        log_scale: Tensor | None = None,
        token_mask: Tensor | None = None,
    ) -> ModelOutput:
        h = self.tokens(x, pos, region, known, token_mask, log_scale=log_scale)
        for layer in self.layers:
            h = layer(h, chan_mask)
        out = self.heads(h, chan_mask)
        return ModelOutput(
            out.channel_logits, out.global_logits, out.pattern_logits, out.type_logits, h
        )


def count_parameters(model: nn.Module) -> int:
    """Number of parameters (trainable or frozen)."""
    return sum(p.numel() for p in model.parameters())

"""Output heads: the ECAM (per-channel seizure logits), the pooled probability, patterns, types.

The recording-level seizure logit per second is a soft maximum (log-mean-exp) of the channel
logits, so it is high when *some* channels seize and the channel map is the evidence for it.
When training data has only recording-level labels, the channel logits are still shaped
through this pooling (multiple-instance learning). Pattern (ICU classes) and seizure-type
scores come from attention-pooled channel features.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor, nn

from models.config import ModelConfig


class HeadOutput(NamedTuple):
    channel_logits: Tensor  # (B, C, S)
    global_logits: Tensor  # (B, S)
    pattern_logits: Tensor  # (B, S, n_patterns)
    type_logits: Tensor  # (B, S, n_types)
    pooled: Tensor  # (B, S, d)


def pool_channel_logits(logits: Tensor, chan_mask: Tensor, temperature: float) -> Tensor:
    """Log-mean-exp over valid channels: (B, C, S) -> (B, S)."""
    mask = chan_mask[:, :, None]
    scaled = torch.where(mask, logits / temperature, torch.full_like(logits, -math.inf))
    count = chan_mask.sum(dim=1).clamp(min=1).to(logits.dtype)[:, None]
    return temperature * (torch.logsumexp(scaled, dim=1) - torch.log(count))


class SeizureHeads(nn.Module):
    """All heads over the encoder's features (B, C, S, d)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.temperature = cfg.pool_temperature
        self.norm = nn.LayerNorm(d)
        self.channel = nn.Linear(d, 1)
        self.attend = nn.Linear(d, 1)
        self.pattern = nn.Linear(d, len(cfg.pattern_classes))
        self.seizure_type = nn.Linear(d, len(cfg.type_classes))

    def forward(self, h: Tensor, chan_mask: Tensor) -> HeadOutput:
        h = self.norm(h)
        channel = self.channel(h).squeeze(-1)
        channel = torch.where(chan_mask[:, :, None], channel, torch.zeros_like(channel))
        glob = pool_channel_logits(channel, chan_mask, self.temperature)
        score = self.attend(h).squeeze(-1)
        score = torch.where(chan_mask[:, :, None], score, torch.full_like(score, -math.inf))
        weight = torch.softmax(score, dim=1)
        pooled = (weight[..., None] * h).sum(dim=1)
        return HeadOutput(channel, glob, self.pattern(pooled), self.seizure_type(pooled), pooled)

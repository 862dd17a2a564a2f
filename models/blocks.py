"""Transformer blocks that attend across channels (within a second) and across time.

An axial layer first lets every channel look at the other channels in the same second (the
spatial module: is this rhythm local or everywhere?) and then lets every second look at the
rest of the window in the same channel (evolution in time). Padded channels are masked as
keys, so a batch may mix recordings with different channel counts.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from models.config import ModelConfig


class AttentionBlock(nn.Module):
    """Pre-norm multi-head self-attention + feed-forward over (N, L, d)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.heads = cfg.n_heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(
            nn.Linear(d, cfg.ff_mult * d), nn.GELU(), nn.Linear(cfg.ff_mult * d, d)
        )
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor, keep: Tensor | None = None) -> Tensor:
        """``keep`` (N, L) bool marks valid keys; None means all are valid."""
        n, length, d = x.shape
        qkv = self.qkv(self.norm1(x)).reshape(n, length, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        mask = None if keep is None else keep[:, None, None, :]
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.dropout(self.out(att.transpose(1, 2).reshape(n, length, d)))
        out: Tensor = x + self.dropout(self.ff(self.norm2(x)))
        return out


class AxialLayer(nn.Module):
    """Attention across channels within each second, then across seconds within each channel."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.channels = AttentionBlock(cfg)
        self.time = AttentionBlock(cfg)

    def forward(self, h: Tensor, chan_mask: Tensor) -> Tensor:
        """h (B, C, S, d); chan_mask (B, C) bool, True for real channels."""
        b, c, s, d = h.shape
        across = h.permute(0, 2, 1, 3).reshape(b * s, c, d)
        keep = chan_mask.repeat_interleave(s, dim=0)
        across = self.channels(across, keep)
        h = across.reshape(b, s, c, d).permute(0, 2, 1, 3)
        along: Tensor = self.time(h.reshape(b * c, s, d))
        return along.reshape(b, c, s, d)

"""VQ neural tokenizer: each 1-s channel patch becomes one of K codes (EpilepsyFM / LaBraM).

An MLP encodes a patch (raw samples + log spectrum) to a unit-norm vector, which snaps to the
nearest codebook entry (cosine); a decoder reconstructs the patch's standardised log
spectrum from the code. The codebook is learned by exponential moving averages (no gradient),
with dead codes restarted from the batch. The codes are the targets of masked-token
pretraining: the encoder learns to predict the spectral "word" of hidden patches.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models.embedding import patch_log_spectrum


class TokenizerOutput(NamedTuple):
    recon: Tensor  # (N, F) predicted standardised log spectrum
    target: Tensor  # (N, F)
    codes: Tensor  # (N,) long
    commitment: Tensor  # scalar


def spectrum_target(patches: Tensor) -> Tensor:
    """Per-patch standardised log spectrum (shape, not level): (N, P) -> (N, P // 2 + 1)."""
    spec = patch_log_spectrum(patches)
    return (spec - spec.mean(dim=-1, keepdim=True)) / (spec.std(dim=-1, keepdim=True) + 1e-5)


class VQTokenizer(nn.Module):
    """Patch (N, P) -> code index (N,), trained by spectrum reconstruction."""

    codebook: Tensor
    cluster_size: Tensor
    embed_sum: Tensor

    def __init__(
        self,
        patch_samples: int = 128,
        codebook_size: int = 256,
        code_dim: int = 32,
        hidden: int = 128,
        ema_decay: float = 0.95,
    ) -> None:
        super().__init__()
        n_freq = patch_samples // 2 + 1
        self.decay = ema_decay
        self.encoder = nn.Sequential(
            nn.Linear(patch_samples + n_freq, hidden), nn.GELU(), nn.Linear(hidden, code_dim)
        )
        self.decoder = nn.Sequential(
            nn.Linear(code_dim, hidden), nn.GELU(), nn.Linear(hidden, n_freq)
        )
        self.register_buffer("codebook", F.normalize(torch.randn(codebook_size, code_dim), dim=-1))
        self.register_buffer("cluster_size", torch.ones(codebook_size))
        self.register_buffer("embed_sum", self.codebook.clone())

    def encode(self, patches: Tensor) -> Tensor:
        feats = torch.cat([patches.float(), patch_log_spectrum(patches)], dim=-1)
        return F.normalize(self.encoder(feats), dim=-1)

    def codes(self, patches: Tensor) -> Tensor:
        """Nearest code of each patch (N,)."""
        return (self.encode(patches) @ self.codebook.T).argmax(dim=-1)

    def forward(self, patches: Tensor) -> TokenizerOutput:
        z = self.encode(patches)
        idx = (z @ self.codebook.T).argmax(dim=-1)
        quantised = self.codebook[idx]
        if self.training:
            self._ema_update(z.detach(), idx)
        commitment = F.mse_loss(z, quantised.detach())
        straight = z + (quantised - z).detach()  # straight-through estimator
        return TokenizerOutput(self.decoder(straight), spectrum_target(patches), idx, commitment)

    @torch.no_grad()
    def _ema_update(self, z: Tensor, idx: Tensor) -> None:
        onehot = F.one_hot(idx, self.codebook.shape[0]).type(z.dtype)
        self.cluster_size.mul_(self.decay).add_(onehot.sum(0), alpha=1 - self.decay)
        self.embed_sum.mul_(self.decay).add_(onehot.T @ z, alpha=1 - self.decay)
        self.codebook.copy_(F.normalize(self.embed_sum, dim=-1))
        dead = self.cluster_size < 1e-2
        if bool(dead.any()):
            picks = torch.randint(0, z.shape[0], (int(dead.sum()),), device=z.device)
            self.codebook[dead] = z[picks]
            self.embed_sum[dead] = z[picks]
            self.cluster_size[dead] = 1.0

    def usage(self, patches: Tensor) -> float:
        """Fraction of codes used on these patches (codebook health)."""
        return float(torch.unique(self.codes(patches)).numel() / self.codebook.shape[0])

"""Masks for masked-token pretraining: whole brain regions over a time span + random patches.

Hiding every channel of a lobe (e.g. all left temporal electrodes) for several seconds forces
the encoder to infer that region's activity from the rest of the head and from time, which
is what recognising a spreading seizure needs; random patch masks teach local context.
Channels without a known region (SEEG, unlabelled) get random masks only.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor


def token_mask(
    region: Tensor,
    chan_mask: Tensor,
    n_seconds: int,
    rng: np.random.Generator,
    *,
    region_prob: float,
    patch_ratio: float,
) -> Tensor:
    """Bool mask (B, C, S) of tokens to hide; padded channels are never masked."""
    b, c = region.shape
    regions = region.cpu().numpy()
    valid = chan_mask.cpu().numpy()
    mask = rng.random((b, c, n_seconds)) < patch_ratio
    for i in range(b):
        present = np.unique(regions[i][valid[i] & (regions[i] > 0)])
        if present.size and rng.random() < region_prob:
            chosen = rng.choice(present)
            span = int(rng.integers(max(1, n_seconds // 2), n_seconds + 1))
            start = int(rng.integers(0, n_seconds - span + 1))
            mask[i, regions[i] == chosen, start : start + span] = True
        mask[i, ~valid[i]] = False
        if not mask[i].any():
            ch = int(rng.choice(np.flatnonzero(valid[i])))
            mask[i, ch, int(rng.integers(0, n_seconds))] = True
    return torch.from_numpy(mask).to(region.device)

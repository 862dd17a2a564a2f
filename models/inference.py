"""Sliding-window inference: long pages are cut into overlapping context windows.

Each window (``context_s`` seconds, every ``hop_s``) is run through the network in batches;
per-second outputs are averaged across windows with weights that favour a second seen with
context on both sides. Probabilities (not logits) are averaged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from models.config import ModelConfig
from models.electrodes import geometry_arrays
from models.preprocess import prepare_scaled, window_starts, window_weights

F32 = npt.NDArray[np.float32]
_TOKENS_PER_BATCH = 24_000


@dataclass(frozen=True, slots=True, eq=False)
class WindowOutputs:
    channel_prob: F32
    prob: F32
    pattern_scores: F32
    type_scores: F32


def _geometry(names: list[str], batch: int, device: torch.device) -> tuple[torch.Tensor, ...]:
    pos, region, known = geometry_arrays(names)
    tensors = (torch.from_numpy(pos), torch.from_numpy(region), torch.from_numpy(known))
    return tuple(t.to(device)[None].expand(batch, *t.shape) for t in tensors)


@torch.inference_mode()
def run_windows(
    model: nn.Module,
    cfg: ModelConfig,
    x: npt.NDArray[np.floating],
    names: list[str],
    sfreq: float,
    *,
    progress: Callable[[float], None] | None = None,
) -> WindowOutputs:
    """Run ``model`` over a whole page; returns per-second probabilities and scores."""
    device = next(model.parameters()).device
    data, log_scale = prepare_scaled(x, sfreq)
    n_ch = data.shape[0]
    n_sec = data.shape[1] // cfg.sfreq
    length = min(cfg.context_s, n_sec)
    starts = window_starts(n_sec, cfg.context_s, cfg.hop_s)
    weights = window_weights(length)
    acc_ch = np.zeros((n_ch, n_sec), np.float32)
    acc = np.zeros(n_sec, np.float32)
    acc_pat = np.zeros((n_sec, len(cfg.pattern_classes)), np.float32)
    acc_typ = np.zeros((n_sec, len(cfg.type_classes)), np.float32)
    total_w = np.zeros(n_sec, np.float32)
    per_batch = max(1, _TOKENS_PER_BATCH // (n_ch * length))
    tensor = torch.from_numpy(data)
    for first in range(0, len(starts), per_batch):
        chunk = starts[first : first + per_batch]
        xb = torch.stack([tensor[:, s * cfg.sfreq : (s + length) * cfg.sfreq] for s in chunk]).to(
            device
        )
        pos, region, known = _geometry(names, len(chunk), device)
        mask = torch.ones(len(chunk), n_ch, dtype=torch.bool, device=device)
        amp = torch.from_numpy(log_scale).to(device)[None, :, None].expand(len(chunk), n_ch, length)
        out = model(xb, pos, region, known, mask, log_scale=amp)
        ch = torch.sigmoid(out.channel_logits).float().cpu().numpy()
        gl = torch.sigmoid(out.global_logits).float().cpu().numpy()
        pat = torch.softmax(out.pattern_logits.float(), dim=-1).cpu().numpy()
        typ = torch.softmax(out.type_logits.float(), dim=-1).cpu().numpy()
        for i, s in enumerate(chunk):
            sl = slice(s, s + length)
            acc_ch[:, sl] += ch[i] * weights
            acc[sl] += gl[i] * weights
            acc_pat[sl] += pat[i] * weights[:, None]
            acc_typ[sl] += typ[i] * weights[:, None]
            total_w[sl] += weights
        if progress is not None:
            progress(min(1.0, (first + len(chunk)) / len(starts)))
    total_w = np.maximum(total_w, 1e-6)
    return WindowOutputs(
        (acc_ch / total_w).astype(np.float32),
        (acc / total_w).astype(np.float32),
        (acc_pat / total_w[:, None]).astype(np.float32),
        (acc_typ / total_w[:, None]).astype(np.float32),
    )

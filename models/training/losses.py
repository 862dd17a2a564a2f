"""Losses: supervised detection (masked where labels are unknown) and distillation."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from models.network import ModelOutput
from models.training.batching import Batch
from models.training.config import LossWeights


def _masked_bce(logits: Tensor, target: Tensor, valid: Tensor) -> Tensor:
    if not bool(valid.any()):
        return logits.sum() * 0.0
    return F.binary_cross_entropy_with_logits(logits[valid].float(), target[valid].float())


def supervised_loss(
    out: ModelOutput, batch: Batch, weights: LossWeights
) -> tuple[Tensor, dict[str, float]]:
    """Channel (ECAM) + global BCE, soft-target pattern CE, seizure-type CE."""
    chan_valid = (batch.channel_labels >= 0) & batch.chan_mask[:, :, None]
    channel = _masked_bce(out.channel_logits, batch.channel_labels, chan_valid)
    glob = _masked_bce(out.global_logits, batch.labels, batch.labels >= 0)
    has_pattern = batch.pattern.sum(dim=-1) > 0
    if bool(has_pattern.any()):
        logp = F.log_softmax(out.pattern_logits[has_pattern].float(), dim=-1)
        pattern = -(batch.pattern[has_pattern] * logp).sum(dim=-1).mean()
    else:
        pattern = out.pattern_logits.sum() * 0.0
    has_type = batch.types >= 0
    if bool(has_type.any()):
        typ = F.cross_entropy(out.type_logits[has_type].float(), batch.types[has_type])
    else:
        typ = out.type_logits.sum() * 0.0
    total = (
        weights.channel * channel
        + weights.global_ * glob
        + weights.pattern * pattern
        + weights.type * typ
    )
    parts = {
        "channel": float(channel.detach()),
        "global": float(glob.detach()),
        "pattern": float(pattern.detach()),
        "type": float(typ.detach()),
    }
    return total, parts


def distillation_loss(
    student: ModelOutput,
    teacher: ModelOutput,
    projected: Tensor,
    chan_mask: Tensor,
    temperature: float,
) -> tuple[Tensor, Tensor]:
    """(logit loss, feature loss): soft BCE/KL on every head + MSE on last-layer features."""
    t = temperature
    mask = chan_mask[:, :, None]
    soft_ch = torch.sigmoid(teacher.channel_logits / t)
    ch = F.binary_cross_entropy_with_logits(
        (student.channel_logits / t)[mask.expand_as(soft_ch)],
        soft_ch[mask.expand_as(soft_ch)],
    )
    gl = F.binary_cross_entropy_with_logits(
        student.global_logits / t, torch.sigmoid(teacher.global_logits / t)
    )
    kl = 0.0 * gl
    for s_log, t_log in (
        (student.pattern_logits, teacher.pattern_logits),
        (student.type_logits, teacher.type_logits),
    ):
        kl = kl + F.kl_div(
            F.log_softmax(s_log / t, dim=-1),
            F.log_softmax(t_log / t, dim=-1),
            log_target=True,
            reduction="batchmean",
        )
    logit = (ch + gl) * t * t + 0.5 * kl * t * t
    feat_mask = chan_mask[:, :, None, None].float()
    diff = (projected - teacher.features) ** 2 * feat_mask
    denom = feat_mask.sum() * projected.shape[2] * projected.shape[3]
    return logit, diff.sum() / denom.clamp(min=1.0)

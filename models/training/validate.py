"""Validation during training: second-level AUROC of the pooled output, per dataset group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from models.evaluation.metrics import auroc
from models.training.batching import collate
from models.training.examples import Example


@torch.inference_mode()
def validation_auroc(
    model: nn.Module, examples: Sequence[Example], device: torch.device, batch_size: int = 16
) -> dict[str, float]:
    """``{group: AUROC}`` over labelled seconds of held-out examples (and channel AUROC)."""
    was_training = model.training
    model.eval()
    rng = np.random.default_rng(0)
    scores: dict[str, list[float]] = defaultdict(list)
    truth: dict[str, list[float]] = defaultdict(list)
    by_key: dict[tuple[str, int, int], list[Example]] = defaultdict(list)
    for ex in examples:
        by_key[(ex.group, ex.n_seconds, ex.n_channels)].append(ex)
    for (group, _, _), items in by_key.items():
        for i in range(0, len(items), batch_size):
            batch = collate(items[i : i + batch_size], rng, augment=False).to(device)
            out = model(*batch.inputs(), log_scale=batch.log_scale)
            prob = torch.sigmoid(out.global_logits.float())
            valid = batch.labels >= 0
            scores[group] += prob[valid].cpu().tolist()
            truth[group] += batch.labels[valid].cpu().tolist()
            chan_valid = (batch.channel_labels >= 0) & batch.chan_mask[:, :, None]
            if bool(chan_valid.any()):
                ch = torch.sigmoid(out.channel_logits.float())
                scores[f"{group}/channel"] += ch[chan_valid].cpu().tolist()
                truth[f"{group}/channel"] += batch.channel_labels[chan_valid].cpu().tolist()
    model.train(was_training)
    return {g: auroc(truth[g], scores[g]) for g in sorted(scores)}

"""Sampling batches of examples: mixed by dataset, bucketed by length, padded by channel.

Each batch comes from one dataset group (chosen by the configured mix) and one length, so it
stacks without time padding; channel counts are padded and masked. Within a group, crops with
and without a seizure are drawn equally often (class balance). Augmentations keep the model
channel-agnostic and gain-robust: random channel subsets (channel dropout), random polarity,
and a random overall gain (x0.67-1.5, plus a little per channel) applied to the amplitude
feature (the normalised signal itself does not change with gain).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor

from models.config import PATTERN_CLASSES
from models.training.examples import Example

SUBSET_PROB = 0.3
FLIP_PROB = 0.5
GAIN_LOG_RANGE = float(np.log(1.5))
CHANNEL_GAIN_SD = 0.1


@dataclass(frozen=True, slots=True)
class Batch:
    x: Tensor  # (B, C, T)
    pos: Tensor  # (B, C, 3)
    region: Tensor  # (B, C)
    known: Tensor  # (B, C)
    chan_mask: Tensor  # (B, C)
    labels: Tensor  # (B, S) float, -1 unknown
    channel_labels: Tensor  # (B, C, S) float, -1 unknown / padded
    pattern: Tensor  # (B, S, P) soft targets, zero rows unknown
    types: Tensor  # (B, S) long, -1 unknown
    log_scale: Tensor  # (B, C, S) amplitude feature, 0 where padded
    group: str

    def to(self, device: torch.device) -> Batch:
        moved: dict[str, Any] = {
            name: getattr(self, name).to(device, non_blocking=True)
            for name in (
                [
                    "x",
                    "pos",
                    "region",
                    "known",
                    "chan_mask",
                    "labels",
                    "channel_labels",
                    "pattern",
                    "types",
                    "log_scale",
                ]
            )
        }
        return Batch(**moved, group=self.group)

    def inputs(self) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
        return self.x, self.pos, self.region, self.known, self.chan_mask


def _augment(ex: Example, rng: np.random.Generator, augment: bool) -> tuple[np.ndarray, ...]:
    idx = np.arange(ex.n_channels)
    if augment and ex.n_channels > 2 and rng.random() < SUBSET_PROB:
        keep = int(rng.integers(1, ex.n_channels + 1))
        idx = np.sort(rng.choice(ex.n_channels, size=keep, replace=False))
    x = ex.x[idx]
    if augment and rng.random() < FLIP_PROB:
        x = -x
    chan = (
        np.full((len(idx), ex.n_seconds), -1, np.int8)
        if ex.channel_labels is None
        else ex.channel_labels[idx]
    )
    amp = (
        np.zeros((len(idx), ex.n_seconds), np.float32)
        if ex.log_scale is None
        else ex.log_scale[idx].copy()
    )
    if augment:
        amp += rng.uniform(-GAIN_LOG_RANGE, GAIN_LOG_RANGE)
        amp += rng.normal(0.0, CHANNEL_GAIN_SD, size=(len(idx), 1)).astype(np.float32)
    return x, ex.pos[idx], ex.region[idx], ex.known[idx], chan, amp


def collate(examples: Sequence[Example], rng: np.random.Generator, augment: bool) -> Batch:
    """Stack same-length examples, padding channels (masked)."""
    parts = [_augment(ex, rng, augment) for ex in examples]
    b, s = len(examples), examples[0].n_seconds
    c = max(p[0].shape[0] for p in parts)
    t = examples[0].x.shape[1]
    x = np.zeros((b, c, t), np.float32)
    pos = np.zeros((b, c, 3), np.float32)
    region = np.zeros((b, c), np.int64)
    known = np.zeros((b, c), np.bool_)
    mask = np.zeros((b, c), np.bool_)
    chan = np.full((b, c, s), -1.0, np.float32)
    labels = np.stack([ex.labels for ex in examples]).astype(np.float32)
    pattern = np.zeros((b, s, len(PATTERN_CLASSES)), np.float32)
    types = np.full((b, s), -1, np.int64)
    amp = np.zeros((b, c, s), np.float32)
    for i, (ex, (xi, pi, ri, ki, ci, ai)) in enumerate(zip(examples, parts, strict=True)):
        n = xi.shape[0]
        x[i, :n], pos[i, :n], region[i, :n], known[i, :n], mask[i, :n] = xi, pi, ri, ki, True
        chan[i, :n] = ci
        amp[i, :n] = ai
        if ex.pattern is not None:
            pattern[i] = ex.pattern
        if ex.types is not None:
            types[i] = ex.types
    return Batch(
        x=torch.from_numpy(x),
        pos=torch.from_numpy(pos),
        region=torch.from_numpy(region),
        known=torch.from_numpy(known),
        chan_mask=torch.from_numpy(mask),
        labels=torch.from_numpy(labels),
        channel_labels=torch.from_numpy(chan),
        pattern=torch.from_numpy(pattern),
        types=torch.from_numpy(types),
        log_scale=torch.from_numpy(amp),
        group=examples[0].group,
    )


def balanced_weights(examples: Sequence[Example]) -> np.ndarray:
    """Sampling weights giving crops with and without a seizure equal total weight."""
    seizure = np.array([ex.seizure for ex in examples], dtype=bool)
    n_pos = int(seizure.sum())
    if n_pos in (0, len(examples)):
        return np.ones(len(examples), dtype=np.float64)
    return np.where(seizure, 0.5 / n_pos, 0.5 / (len(examples) - n_pos))


class MixedSampler:
    """Draws batches: group by the mix weights, then a length bucket, then weighted examples."""

    def __init__(
        self,
        examples: Sequence[Example],
        mix: Mapping[str, float],
        batch_size: int,
        rng: np.random.Generator,
        augment: bool = True,
    ) -> None:
        buckets: dict[str, dict[int, list[Example]]] = defaultdict(lambda: defaultdict(list))
        for ex in examples:
            buckets[ex.group][ex.n_seconds].append(ex)
        self.buckets = buckets
        groups = [g for g in buckets if mix.get(g, 0.0) > 0] or list(buckets)
        weights = np.array([mix.get(g, 1.0) for g in groups], dtype=np.float64)
        self.groups = groups
        self.group_p = weights / weights.sum()
        self.batch_size = batch_size
        self.rng = rng
        self.augment = augment

    def __len__(self) -> int:
        return sum(len(v) for b in self.buckets.values() for v in b.values())

    def sample(self) -> Batch:
        group = self.groups[int(self.rng.choice(len(self.groups), p=self.group_p))]
        lengths = list(self.buckets[group])
        sizes = np.array([len(self.buckets[group][n]) for n in lengths], dtype=np.float64)
        bucket = self.buckets[group][
            lengths[int(self.rng.choice(len(lengths), p=sizes / sizes.sum()))]
        ]
        w = balanced_weights(bucket)
        idx = self.rng.choice(len(bucket), size=self.batch_size, replace=True, p=w / w.sum())
        return collate([bucket[i] for i in idx], self.rng, self.augment)

"""Shared stage plumbing: data -> examples, manifests, checkpoint export."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from torch import nn

from models.checkpoint import Manifest, read_checkpoint, save_checkpoint
from models.config import ModelConfig
from models.data.window import WindowSource
from models.network import count_parameters
from models.training.card import render_card
from models.training.config import DataConfig
from models.training.examples import Example, build_examples
from models.training.sources import stage_windows

log = logging.getLogger(__name__)

SPLIT_NOTES: dict[str, str] = {
    "bonn": "4 folds by segment number; fold f tests segments 25f+1..25f+25 of every set, "
    "validates on the 15 before them, trains on the other 60 (fold 3: 1-60 / 61-75 / 76-100); "
    "not subject-wise: the segment-to-subject mapping is unpublished",
    "helsinki": "experts A and B (47 shared windows deduplicated); patient-wise: the 62 babies, "
    "recovered from the annotation files, dealt into 4 folds; fold f tests its babies, "
    "validates on every third baby of fold f-1, trains on the rest",
    "sparcnet": "4 folds by sample number (fold f tests sample (2,3,4,1)[f] of every class, "
    "trains on the other three); no validation split",
    "synthetic": "simulator recordings; disjoint seeds for train / val / test",
}


@dataclass(frozen=True, slots=True)
class StageData:
    train: list[Example]
    val: list[Example]
    hours: dict[str, float]


@dataclass(frozen=True, slots=True)
class StageResult:
    checkpoint: Path
    manifest: Manifest
    n_params: int
    seconds: float
    history: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        last = self.history[-1] if self.history else {}
        return {
            "checkpoint": str(self.checkpoint),
            "parameters": self.n_params,
            "seconds": round(self.seconds, 1),
            "real_hours": round(self.manifest.real_hours, 3),
            "synthetic_hours": round(self.manifest.synthetic_hours, 3),
            "datasets": list(self.manifest.datasets),
            "final": {k: v for k, v in last.items() if isinstance(v, int | float)},
        }


def load_stage_data(
    data: DataConfig, synthetic: Mapping[str, WindowSource], keep_unlabelled: bool = False
) -> StageData:
    """Train and validation examples (validation never includes test splits)."""
    train, hours = build_examples(
        stage_windows(data, "train", synthetic), data.window_s, data.norm_context_s, keep_unlabelled
    )
    val, _ = build_examples(
        stage_windows(data, "val", synthetic), data.window_s, data.norm_context_s
    )
    log.info("examples: %d train, %d val; hours %s", len(train), len(val), hours)
    return StageData(train, val, hours)


def heads_trained(examples: Sequence[Example]) -> tuple[str, ...]:
    heads = ["global"]
    if any(ex.channel_labels is not None for ex in examples):
        heads.insert(0, "channel")
    if any(ex.pattern is not None for ex in examples):
        heads.append("pattern")
    if any(ex.types is not None and (ex.types >= 0).any() for ex in examples):
        heads.append("type")
    return tuple(heads)


def make_manifest(
    hours: Mapping[str, float],
    examples: Sequence[Example],
    stages: Sequence[str],
    notes: str = "",
    heads: tuple[str, ...] | None = None,
) -> Manifest:
    real = {k: v for k, v in hours.items() if k != "synthetic"}
    datasets = tuple(sorted(hours))
    return Manifest(
        real_hours=float(sum(real.values())),
        synthetic_hours=float(hours.get("synthetic", 0.0)),
        datasets=datasets,
        splits={k: SPLIT_NOTES.get(k, "") for k in datasets},
        heads_trained=heads_trained(examples) if heads is None else heads,
        stages=tuple(stages),
        notes=notes,
    )


def load_init(model: nn.Module, folder: str) -> int:
    """Copy every tensor of a checkpoint whose name and shape match; returns how many."""
    state = read_checkpoint(folder).state
    own = model.state_dict()
    matched = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
    model.load_state_dict(matched, strict=False)
    log.info("initialised %d/%d tensors from %s", len(matched), len(own), folder)
    return len(matched)


def export(
    model: nn.Module,
    config: ModelConfig,
    manifest: Manifest,
    folders: Sequence[Path],
    metrics: Mapping[str, Any] | None = None,
) -> None:
    """Write the checkpoint (weights + config + manifest + card) into each folder."""
    card = render_card(config, manifest, count_parameters(model), metrics)
    for folder in folders:
        save_checkpoint(folder, model, config, manifest, card)
        log.info("checkpoint written to %s", folder)

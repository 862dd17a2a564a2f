"""Small shared helpers for the model tests (tiny configs, random checkpoints)."""

from __future__ import annotations

from pathlib import Path

import torch

from models.checkpoint import Manifest, save_checkpoint
from models.config import ModelConfig
from models.network import IctalNet

TINY = ModelConfig(name="tiny", d_model=16, n_heads=2, n_layers=1, conv_channels=4, dropout=0.0)
SEEG_NAMES = tuple(f"{shaft}{i}" for shaft in ("A'", "B'", "TP") for i in range(1, 9))


def tiny_model(seed: int = 0, config: ModelConfig = TINY) -> IctalNet:
    torch.manual_seed(seed)
    return IctalNet(config).eval()


def tiny_checkpoint(folder: Path, seed: int = 0, config: ModelConfig = TINY) -> Path:
    """An untrained checkpoint folder (weights random but fixed by ``seed``)."""
    save_checkpoint(folder, tiny_model(seed, config), config, Manifest(heads_trained=("global",)))
    return folder


def geometry_batch(names: tuple[str, ...], batch: int = 1) -> tuple[torch.Tensor, ...]:
    from models.electrodes import geometry_arrays

    pos, region, known = geometry_arrays(names)
    return (
        torch.from_numpy(pos)[None].expand(batch, -1, -1),
        torch.from_numpy(region)[None].expand(batch, -1),
        torch.from_numpy(known)[None].expand(batch, -1),
        torch.ones(batch, len(names), dtype=torch.bool),
    )

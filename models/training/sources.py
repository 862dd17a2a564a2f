"""Gather a stage's windows: real corpus splits from disk + synthetic sources from the caller."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from models.data.registry import real_windows
from models.data.window import Window, WindowSource
from models.training.config import DataConfig, resolve

log = logging.getLogger(__name__)


def stage_windows(
    data: DataConfig, split: str, synthetic: Mapping[str, WindowSource]
) -> list[Window]:
    """Real windows of ``split`` for every configured corpus + the synthetic source of ``split``."""
    root = resolve(data.data_root)
    windows: list[Window] = []
    for name in data.real:
        found = real_windows(name, root, split, data.fold)
        log.info("%s/%s (fold %d): %d windows", name, split, data.fold, len(found))
        windows += found
    source = synthetic.get(split)
    if source is not None:
        synth = list(source.windows())
        log.info("synthetic/%s: %d recordings", split, len(synth))
        windows += synth
    return windows

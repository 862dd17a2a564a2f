"""Supervised fine-tuning of the detector on labelled windows (real + synthetic).

Synthetic recordings carry per-channel truth and train the ECAM directly; real corpora carry
recording-level labels and train the pooled output, which shapes the channel logits through
the log-mean-exp pooling. Patterns (SPaRCNet votes) and seizure types (simulator) train their
heads where present.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import numpy as np
from torch import Tensor

from models.data.window import WindowSource
from models.network import IctalNet, count_parameters
from models.training.batching import Batch, MixedSampler
from models.training.common import StageResult, export, load_init, load_stage_data, make_manifest
from models.training.config import FinetuneConfig, resolve
from models.training.loop import LoopSpec, run_loop
from models.training.losses import supervised_loss
from models.training.runtime import setup, wrap_ddp
from models.training.validate import validation_auroc

log = logging.getLogger(__name__)


def run_finetune(cfg: FinetuneConfig, synthetic: Mapping[str, WindowSource]) -> StageResult:
    """Train, validate, and export ``<out_dir>/checkpoint`` (and ``export_to`` when set)."""
    began = time.monotonic()
    rt = setup(cfg.seed, cfg.threads, cfg.amp)
    data = load_stage_data(cfg.data, synthetic)
    model = IctalNet(cfg.model).to(rt.device)
    stages = ["finetune"]
    if cfg.init_from:
        load_init(model, str(resolve(cfg.init_from)))
        stages.insert(0, "pretrain")
    net = wrap_ddp(model, rt)

    def loss_fn(batch: Batch) -> tuple[Tensor, dict[str, float]]:
        return supervised_loss(net(*batch.inputs(), log_scale=batch.log_scale), batch, cfg.loss)

    rng = np.random.default_rng(cfg.seed + rt.rank)
    out_dir = resolve(cfg.out_dir)
    spec = LoopSpec(
        name=f"finetune {cfg.model.name}",
        modules={"model": model},
        params=list(model.parameters()),
        loss_fn=loss_fn,
        sampler=MixedSampler(data.train, cfg.data.mix, cfg.optim.batch_size, rng),
        optim=cfg.optim,
        out_dir=out_dir,
        rt=rt,
        evaluate=lambda: {
            f"val/{k}": v for k, v in validation_auroc(model, data.val, rt.device).items()
        },
    )
    history = run_loop(spec)
    manifest = make_manifest(data.hours, data.train, stages)
    folders = [out_dir / "checkpoint"]
    if cfg.export_to:
        folders.append(resolve(cfg.export_to))
    if rt.main:
        export(model.cpu(), cfg.model, manifest, folders)
    return StageResult(
        folders[0], manifest, count_parameters(model), time.monotonic() - began, history
    )

"""Distillation (DistilCLIP-EEG style): a large teacher teaches a small CPU student.

The student (at most a third of the teacher's parameters) learns from three signals at once:
the labels where they exist, the teacher's softened outputs on every head (logit
distillation, also on unlabelled seconds), and the teacher's last-layer features through a
learned projection (feature distillation; the projection is discarded after training).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import numpy as np
import torch
from torch import Tensor, nn

from models.checkpoint import build_model, read_checkpoint
from models.data.window import WindowSource
from models.network import IctalNet, count_parameters
from models.training.batching import Batch, MixedSampler
from models.training.common import StageResult, export, load_stage_data, make_manifest
from models.training.config import DistillConfig, resolve
from models.training.loop import LoopSpec, run_loop
from models.training.losses import distillation_loss, supervised_loss
from models.training.runtime import setup, wrap_ddp
from models.training.validate import validation_auroc

log = logging.getLogger(__name__)


def run_distill(cfg: DistillConfig, synthetic: Mapping[str, WindowSource]) -> StageResult:
    """Train the student against the teacher checkpoint; exports like fine-tuning."""
    began = time.monotonic()
    rt = setup(cfg.seed, cfg.threads, cfg.amp)
    loaded = read_checkpoint(resolve(cfg.teacher))
    teacher = build_model(loaded).to(rt.device).eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    data = load_stage_data(cfg.data, synthetic, keep_unlabelled=True)
    student = IctalNet(cfg.student).to(rt.device)
    ratio = count_parameters(student) / count_parameters(teacher)
    log.info("student/teacher parameters: %.3f", ratio)
    proj = nn.Linear(cfg.student.d_model, loaded.config.d_model).to(rt.device)
    net = wrap_ddp(student, rt)

    def loss_fn(batch: Batch) -> tuple[Tensor, dict[str, float]]:
        out = net(*batch.inputs(), log_scale=batch.log_scale)
        with torch.no_grad():
            target = teacher(*batch.inputs(), log_scale=batch.log_scale)
        sup, parts = supervised_loss(out, batch, cfg.loss)
        logit, feat = distillation_loss(
            out, target, proj(out.features), batch.chan_mask, cfg.temperature
        )
        parts.update(distill_logit=float(logit.detach()), distill_feature=float(feat.detach()))
        return sup + cfg.logit_weight * logit + cfg.feature_weight * feat, parts

    rng = np.random.default_rng(cfg.seed + rt.rank)
    out_dir = resolve(cfg.out_dir)
    spec = LoopSpec(
        name=f"distill {cfg.student.name}",
        modules={"model": student, "proj": proj},
        params=[*student.parameters(), *proj.parameters()],
        loss_fn=loss_fn,
        sampler=MixedSampler(data.train, cfg.data.mix, cfg.optim.batch_size, rng),
        optim=cfg.optim,
        out_dir=out_dir,
        rt=rt,
        evaluate=lambda: {
            f"val/{k}": v for k, v in validation_auroc(student, data.val, rt.device).items()
        },
    )
    history = run_loop(spec)
    heads = tuple(h for h in loaded.manifest.heads_trained)
    stages = [*loaded.manifest.stages, "distill"]
    manifest = make_manifest(
        data.hours,
        data.train,
        stages,
        notes=f"Distilled from {loaded.config.name} (SHA-256 {loaded.sha256[:12]}…); "
        f"student/teacher parameter ratio {ratio:.2f}.",
        heads=heads or None,
    )
    folders = [out_dir / "checkpoint"]
    if cfg.export_to:
        folders.append(resolve(cfg.export_to))
    if rt.main:
        export(student.cpu(), cfg.student, manifest, folders)
    return StageResult(
        folders[0], manifest, count_parameters(student), time.monotonic() - began, history
    )

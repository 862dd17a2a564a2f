"""The one training loop every stage uses: AdamW, warm-up + cosine, AMP, resume, progress."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn
from tqdm import tqdm

from models.training.batching import Batch, MixedSampler
from models.training.config import OptimConfig
from models.training.runtime import Runtime, load_state, lr_at, save_state

log = logging.getLogger(__name__)

LossFn = Callable[[Batch], tuple[Tensor, dict[str, float]]]


@dataclass
class LoopSpec:
    name: str
    modules: dict[str, nn.Module]
    params: Sequence[nn.Parameter]
    loss_fn: LossFn
    sampler: MixedSampler
    optim: OptimConfig
    out_dir: Path
    rt: Runtime
    evaluate: Callable[[], dict[str, float]] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)


def run_loop(spec: LoopSpec) -> list[dict[str, Any]]:
    """Train for ``optim.steps`` steps (resuming from ``out_dir/state`` if present)."""
    cfg = spec.optim
    optim = torch.optim.AdamW(spec.params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    state_dir = spec.out_dir / "state"
    start = load_state(state_dir, spec.modules, optim, spec.sampler.rng)
    for module in spec.modules.values():
        module.train()
    running: dict[str, float] = {}
    began = time.monotonic()
    bar = tqdm(
        range(start, cfg.steps), desc=spec.name, disable=None if spec.rt.main else True, leave=False
    )
    for step in bar:
        for group in optim.param_groups:
            group["lr"] = lr_at(step, cfg.lr, cfg.warmup_steps, cfg.steps)
        batch = spec.sampler.sample().to(spec.rt.device)
        with spec.rt.autocast():
            loss, parts = spec.loss_fn(batch)
        optim.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(spec.params, cfg.grad_clip)
        optim.step()
        parts["loss"] = float(loss.detach())
        for key, value in parts.items():
            running[key] = 0.95 * running.get(key, value) + 0.05 * value
        bar.set_postfix(loss=f"{running['loss']:.3f}")
        done = step + 1
        if spec.rt.main and (done % cfg.save_every == 0 or done == cfg.steps):
            save_state(state_dir, spec.modules, optim, done, spec.sampler.rng)
        if spec.evaluate is not None and (done % cfg.eval_every == 0 or done == cfg.steps):
            metrics = spec.evaluate()
            record = {"step": done, "seconds": time.monotonic() - began, **running, **metrics}
            spec.history.append(record)
            log.info("%s step %d: %s", spec.name, done, _fmt(record))
    bar.close()
    return spec.history


def _fmt(record: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in record.items()
    )

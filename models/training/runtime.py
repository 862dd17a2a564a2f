"""Training runtime: seeds, threads, device, AMP, DDP, LR schedule, resumable state.

Resumable state lives in ``<out_dir>/state/``: ``model.safetensors`` (all trained modules),
``optimizer.safetensors`` (AdamW moments, flattened) and ``state.json`` (step, param groups,
the sampler's RNG state). Nothing is pickled. Under ``torchrun`` (WORLD_SIZE > 1) the process
group is initialised and rank 0 alone writes files.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Runtime:
    device: torch.device
    rank: int
    world: int
    amp: bool

    @property
    def main(self) -> bool:
        return self.rank == 0

    def autocast(self) -> AbstractContextManager[Any]:
        if self.amp and self.device.type == "cuda":
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return nullcontext()


def setup(seed: int, threads: int, amp: bool) -> Runtime:
    """Seed everything, set CPU threads, pick the device, join the DDP group when launched."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1 and not torch.distributed.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        torch.distributed.init_process_group(backend)
    if torch.cuda.is_available():
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    else:
        device = torch.device("cpu")
        torch.set_num_threads(max(1, threads))
    random.seed(seed + rank)
    np.random.seed((seed + rank) % 2**32)
    torch.manual_seed(seed + rank)
    return Runtime(device, rank, world, amp)


def wrap_ddp(model: nn.Module, rt: Runtime) -> nn.Module:
    if rt.world <= 1:
        return model
    ids = [rt.device.index] if rt.device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(model, device_ids=ids, find_unused_parameters=True)


def lr_at(step: int, base: float, warmup: int, total: int) -> float:
    """Linear warm-up then cosine decay to 5 % of the base rate."""
    if step < warmup:
        return base * (step + 1) / max(warmup, 1)
    progress = (step - warmup) / max(total - warmup, 1)
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


def save_state(
    folder: Path,
    modules: dict[str, nn.Module],
    optim: torch.optim.Optimizer,
    step: int,
    rng: np.random.Generator,
) -> None:
    """Write resumable training state (safetensors + JSON)."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = {
        f"{name}.{k}": v.detach().cpu().contiguous()
        for name, module in modules.items()
        for k, v in module.state_dict().items()
    }
    save_file(weights, str(folder / "model.safetensors"))
    opt = optim.state_dict()
    tensors: dict[str, torch.Tensor] = {}
    for pid, entries in opt["state"].items():
        for key, value in entries.items():
            tensors[f"{pid}.{key}"] = torch.as_tensor(value).detach().cpu().contiguous()
    save_file(tensors, str(folder / "optimizer.safetensors"))
    meta = {"step": step, "param_groups": opt["param_groups"], "rng": rng.bit_generator.state}
    tmp = folder / "state.json.tmp"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, folder / "state.json")


def load_state(
    folder: Path,
    modules: dict[str, nn.Module],
    optim: torch.optim.Optimizer,
    rng: np.random.Generator,
) -> int:
    """Restore state written by :func:`save_state`; returns the step to continue from (0: none)."""
    meta_path = folder / "state.json"
    if not meta_path.is_file():
        return 0
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    weights = load_file(str(folder / "model.safetensors"))
    for name, module in modules.items():
        prefix = f"{name}."
        module.load_state_dict(
            {k[len(prefix) :]: v for k, v in weights.items() if k.startswith(prefix)}
        )
    tensors = load_file(str(folder / "optimizer.safetensors"))
    state: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in tensors.items():
        pid, name = key.split(".", 1)
        state.setdefault(int(pid), {})[name] = value
    optim.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    rng.bit_generator.state = meta["rng"]
    log.info("resumed from %s at step %d", folder, meta["step"])
    return int(meta["step"])

"""Self-supervised pretraining (EpilepsyFM): VQ tokenizer, then masked token prediction.

Stage 1 learns a codebook of 1-s patch "words" by reconstructing patch log spectra. Stage 2
trains the encoder (the detector's backbone) to predict the codes of masked patches, with
brain-region masks and random patch masks, on all training EEG, labelled or not (real corpora'
training splits + simulator output). The result initialises fine-tuning (``init_from``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import Tensor, nn
from tqdm import tqdm

from models.config import MODEL_SFREQ
from models.data.window import WindowSource
from models.network import IctalNet, count_parameters
from models.tokenizer import VQTokenizer
from models.training.batching import Batch, MixedSampler
from models.training.common import StageResult, export, load_stage_data, make_manifest
from models.training.config import PretrainConfig, TokenizerConfig, resolve
from models.training.examples import Example
from models.training.loop import LoopSpec, run_loop
from models.training.masking import token_mask
from models.training.runtime import Runtime, setup, wrap_ddp

log = logging.getLogger(__name__)


def _patch_pool(examples: Sequence[Example]) -> Tensor:
    patches = [
        ex.x.reshape(ex.n_channels, ex.n_seconds, MODEL_SFREQ).reshape(-1, MODEL_SFREQ)
        for ex in examples
    ]
    return torch.from_numpy(np.concatenate(patches))


def train_tokenizer(
    cfg: TokenizerConfig, pool: Tensor, rt: Runtime, rng: np.random.Generator
) -> tuple[VQTokenizer, dict[str, float]]:
    """Fit the VQ tokenizer on random patches; returns it (eval mode) and its final metrics."""
    tok = VQTokenizer(MODEL_SFREQ, cfg.codebook_size, cfg.code_dim, cfg.hidden, cfg.ema_decay)
    tok.to(rt.device).train()
    optim = torch.optim.AdamW(tok.parameters(), lr=cfg.lr)
    recon = 0.0
    for _ in tqdm(
        range(cfg.steps), desc="tokenizer", disable=None if rt.main else True, leave=False
    ):
        idx = torch.from_numpy(rng.integers(0, pool.shape[0], cfg.batch_patches))
        out = tok(pool[idx].to(rt.device))
        loss = F.mse_loss(out.recon, out.target) + cfg.commitment * out.commitment
        optim.zero_grad(set_to_none=True)
        loss.backward()
        optim.step()
        recon = 0.9 * recon + 0.1 * float(loss.detach()) if recon else float(loss.detach())
    tok.eval()
    with torch.no_grad():
        sample = pool[torch.from_numpy(rng.integers(0, pool.shape[0], 8192))].to(rt.device)
        usage = tok.usage(sample)
    log.info("tokenizer: loss %.3f, codebook usage %.2f", recon, usage)
    return tok, {"tokenizer_loss": recon, "codebook_usage": usage}


def run_pretrain(cfg: PretrainConfig, synthetic: Mapping[str, WindowSource]) -> StageResult:
    """Tokenizer + masked token prediction; exports ``<out_dir>/checkpoint`` (backbone)."""
    began = time.monotonic()
    rt = setup(cfg.seed, cfg.threads, cfg.amp)
    data = load_stage_data(cfg.data, synthetic, keep_unlabelled=True)
    rng = np.random.default_rng(cfg.seed + rt.rank)
    tok, tok_metrics = train_tokenizer(cfg.tokenizer, _patch_pool(data.train), rt, rng)
    model = IctalNet(cfg.model).to(rt.device)
    head = nn.Linear(cfg.model.d_model, cfg.tokenizer.codebook_size).to(rt.device)
    net = wrap_ddp(model, rt)
    accuracy: list[float] = []

    def loss_fn(batch: Batch) -> tuple[Tensor, dict[str, float]]:
        b, c, t = batch.x.shape
        s = t // MODEL_SFREQ
        with torch.no_grad():
            codes = tok.codes(batch.x.reshape(-1, MODEL_SFREQ)).reshape(b, c, s)
        mask = token_mask(
            batch.region,
            batch.chan_mask,
            s,
            rng,
            region_prob=cfg.region_mask_prob,
            patch_ratio=cfg.patch_mask_ratio,
        )
        out = net(*batch.inputs(), log_scale=batch.log_scale, token_mask=mask)
        logits = head(out.features[mask])
        loss = F.cross_entropy(logits.float(), codes[mask])
        acc = float((logits.argmax(-1) == codes[mask]).float().mean())
        accuracy.append(acc)
        return loss, {"masked_acc": acc}

    out_dir = resolve(cfg.out_dir)
    spec = LoopSpec(
        name="pretrain",
        modules={"model": model, "head": head},
        params=[*model.parameters(), *head.parameters()],
        loss_fn=loss_fn,
        sampler=MixedSampler(data.train, cfg.data.mix, cfg.optim.batch_size, rng),
        optim=cfg.optim,
        out_dir=out_dir,
        rt=rt,
        evaluate=lambda: {**tok_metrics, "masked_acc_recent": float(np.mean(accuracy[-20:]))},
    )
    history = run_loop(spec)
    manifest = make_manifest(
        data.hours, [], ["pretrain"], notes="Backbone only: heads untrained.", heads=()
    )
    folder = out_dir / "checkpoint"
    if rt.main:
        export(model.cpu(), cfg.model, manifest, [folder])
        save_file(
            {k: v.contiguous() for k, v in tok.state_dict().items()},
            str(out_dir / "tokenizer.safetensors"),
        )
    return StageResult(folder, manifest, count_parameters(model), time.monotonic() - began, history)

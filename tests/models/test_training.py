"""Training stages on tiny synthetic data: learning, resuming, pretraining, distillation."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.api import load_detector
from models.checkpoint import read_checkpoint
from models.config import ModelConfig
from models.data.window import ListSource
from models.evaluation.metrics import auroc
from models.training.config import (
    DataConfig,
    DistillConfig,
    FinetuneConfig,
    OptimConfig,
    PretrainConfig,
    TokenizerConfig,
)
from models.training.distill import run_distill
from models.training.finetune import run_finetune
from models.training.pretrain import run_pretrain
from tests.models.helpers import TINY
from tests.models.toy_eeg import LEFT_TEMPORAL, RIGHT_FRONTAL, toy_recording

SMALL = ModelConfig(name="small", d_model=32, n_heads=2, n_layers=2, conv_channels=8, dropout=0.0)
DATA = DataConfig(real=(), window_s=20, norm_context_s=120, mix={"synthetic": 1.0})


def _zone(seed: int) -> tuple[str, ...]:
    return LEFT_TEMPORAL if seed % 2 else RIGHT_FRONTAL


def _sources(n_train: int = 4, n_val: int = 1) -> dict[str, ListSource]:
    train = tuple(toy_recording(s, seconds=90, onset_channels=_zone(s)) for s in range(n_train))
    val = tuple(toy_recording(100 + s, seconds=90, onset_channels=_zone(s)) for s in range(n_val))
    return {"train": ListSource("toy/train", train), "val": ListSource("toy/val", val)}


def test_tiny_training_run_learns(tmp_path: Path) -> None:
    cfg = FinetuneConfig(
        model=SMALL,
        data=DATA,
        optim=OptimConfig(steps=40, batch_size=6, lr=3e-3, eval_every=40, save_every=40),
        out_dir=str(tmp_path / "run"),
    )
    result = run_finetune(cfg, _sources())
    detector = load_detector(result.checkpoint, "cpu")
    held_out = [toy_recording(500 + s, seconds=90, onset_channels=_zone(s)) for s in range(2)]
    probs, truth, chan_probs, chan_truth = [], [], [], []
    for w in held_out:
        pred = detector.predict(w.x, w.channel_names, w.sfreq)
        probs.append(pred.prob)
        truth.append(w.labels)
        chan_probs.append(pred.channel_prob.ravel())
        assert w.channel_labels is not None
        chan_truth.append(w.channel_labels.ravel())
    assert auroc(np.concatenate(truth), np.concatenate(probs)) > 0.9
    assert auroc(np.concatenate(chan_truth), np.concatenate(chan_probs)) > 0.9
    assert result.manifest.synthetic_hours == pytest.approx(4 * 90 / 3600)
    assert "channel" in result.manifest.heads_trained


def test_training_resumes_from_saved_state(tmp_path: Path) -> None:
    cfg = FinetuneConfig(
        model=TINY,
        data=DATA,
        optim=OptimConfig(steps=6, batch_size=4, eval_every=3, save_every=3),
        out_dir=str(tmp_path / "run"),
    )
    sources = _sources(2)
    run_finetune(cfg, sources)
    state = tmp_path / "run" / "state" / "state.json"
    assert json.loads(state.read_text())["step"] == 6
    longer = replace(cfg, optim=replace(cfg.optim, steps=9))
    history = run_finetune(longer, sources).history
    assert [h["step"] for h in history] == [9]
    assert json.loads(state.read_text())["step"] == 9


def test_pretrain_then_distill(tmp_path: Path) -> None:
    sources = _sources(2)
    pre = run_pretrain(
        PretrainConfig(
            model=TINY,
            data=DATA,
            tokenizer=TokenizerConfig(codebook_size=32, steps=10, batch_patches=128),
            optim=OptimConfig(steps=4, batch_size=4, eval_every=4, save_every=4),
            out_dir=str(tmp_path / "pre"),
        ),
        sources,
    )
    assert (tmp_path / "pre" / "tokenizer.safetensors").is_file()
    assert read_checkpoint(pre.checkpoint).manifest.stages == ("pretrain",)
    teacher = run_finetune(
        FinetuneConfig(
            model=SMALL,
            data=DATA,
            optim=OptimConfig(steps=4, batch_size=4, eval_every=4, save_every=4),
            init_from=str(pre.checkpoint),
            out_dir=str(tmp_path / "teacher"),
        ),
        sources,
    )
    assert read_checkpoint(teacher.checkpoint).manifest.stages == ("pretrain", "finetune")
    student = run_distill(
        DistillConfig(
            teacher=str(teacher.checkpoint),
            student=TINY,
            data=DATA,
            optim=OptimConfig(steps=4, batch_size=4, eval_every=4, save_every=4),
            out_dir=str(tmp_path / "student"),
            export_to=str(tmp_path / "exported"),
        ),
        sources,
    )
    loaded = read_checkpoint(tmp_path / "exported")
    assert loaded.manifest.stages[-1] == "distill"
    assert student.n_params <= teacher.n_params / 3
    assert "distillation from the teacher" in (tmp_path / "exported" / "MODEL_CARD.md").read_text()

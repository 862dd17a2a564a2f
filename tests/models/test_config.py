"""Configs round-trip through JSON exactly; unknown keys are refused; shipped configs load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import jsonconfig
from models.config import ModelConfig
from models.training.config import (
    DistillConfig,
    EvaluateConfig,
    FinetuneConfig,
    PretrainConfig,
)

CONFIGS = Path(__file__).resolve().parents[2] / "models" / "configs"
STAGE_OF = {
    "pretrain": PretrainConfig,
    "finetune": FinetuneConfig,
    "distill": DistillConfig,
    "evaluate": EvaluateConfig,
}


def test_model_config_round_trips_through_json() -> None:
    cfg = ModelConfig(name="x", d_model=48, n_heads=4, n_layers=3, pool_temperature=0.5)
    text = json.dumps(cfg.to_dict())
    back = ModelConfig.from_dict(json.loads(text))
    assert back == cfg
    assert isinstance(back.pattern_classes, tuple)


@pytest.mark.parametrize("cls", [PretrainConfig, FinetuneConfig, DistillConfig, EvaluateConfig])
def test_stage_configs_round_trip(cls: type) -> None:
    cfg = cls()
    assert jsonconfig.from_dict(cls, json.loads(jsonconfig.dumps(cfg))) == cfg


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        ModelConfig.from_dict({"d_model": 32, "d_modle": 64})


def test_invalid_architecture_is_refused() -> None:
    with pytest.raises(ValueError):
        ModelConfig(d_model=30, n_heads=4)
    with pytest.raises(ValueError):
        ModelConfig(sfreq=256)


def test_every_shipped_config_loads_with_its_stage() -> None:
    files = sorted(CONFIGS.rglob("*.json"))
    assert len(files) >= 8
    for path in files:
        stage = path.stem.split("_")[0]
        cfg: object = jsonconfig.load(STAGE_OF[stage], path)
        assert jsonconfig.dumps(cfg) == path.read_text(encoding="utf-8")


def test_cross_validation_configs_differ_from_the_shipped_student_only_in_fold() -> None:
    shipped = jsonconfig.load(FinetuneConfig, CONFIGS / "finetune_student.json")
    evaluate = jsonconfig.load(EvaluateConfig, CONFIGS / "evaluate.json")
    assert evaluate.data.fold == shipped.data.fold
    assert evaluate.cv_checkpoints[shipped.data.fold] == f"{shipped.out_dir}/checkpoint"
    for fold, checkpoint in enumerate(evaluate.cv_checkpoints):
        if fold == shipped.data.fold:
            continue
        cfg = jsonconfig.load(FinetuneConfig, CONFIGS / "cv" / f"finetune_student_fold{fold}.json")
        assert cfg.data.fold == fold and checkpoint == f"{cfg.out_dir}/checkpoint"
        assert cfg.model == shipped.model and cfg.optim == shipped.optim
        assert cfg.data.mix == shipped.data.mix and not cfg.export_to

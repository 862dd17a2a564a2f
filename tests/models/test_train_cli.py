"""``ictal train``: argument parsing, config errors, simulator-backed sources."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.cli import train
from models.training.config import SyntheticConfig


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ictal")
    train.add_parser(parser.add_subparsers())
    return parser


def test_parser_accepts_every_stage() -> None:
    for stage in ("pretrain", "finetune", "distill", "evaluate"):
        args = _parser().parse_args(["train", stage, "--config", "x.json", "--steps", "3"])
        assert args.stage == stage and args.steps == 3 and args.run is train.run


def test_bad_config_is_a_one_line_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"seed": 1, "sede": 2}')
    args = _parser().parse_args(["train", "finetune", "--config", str(bad)])
    with pytest.raises(train.TrainConfigError, match="unknown keys"):
        train.run(args)
    args = _parser().parse_args(["train", "finetune", "--config", str(tmp_path / "none.json")])
    with pytest.raises(train.TrainConfigError, match="not found"):
        train.run(args)


def test_synthetic_splits_use_disjoint_seeds() -> None:
    cfg = SyntheticConfig(train_recordings=3, val_recordings=2, test_recordings=2)
    seeds = {
        s: {spec.seed for spec in train.synthetic_specs(cfg, s)} for s in ("train", "val", "test")
    }
    assert not (seeds["train"] & seeds["val"]) and not (seeds["train"] & seeds["test"])
    assert train.synthetic_specs(cfg, "train") == train.synthetic_specs(cfg, "train")


def test_simulator_source_gives_channel_truth() -> None:
    cfg = replace(SyntheticConfig(), train_recordings=1, minutes=2.0, seizures_per_recording=1)
    source = train.simulator_sources(cfg)["train"]
    (window,) = list(source.windows())
    assert window.synthetic and window.n_seconds == 120
    assert window.channel_labels is not None
    assert window.channel_labels.shape == (len(window.channel_names), 120)
    seizure = window.labels == 1
    assert seizure.any() and window.channel_labels[:, seizure].any()
    assert not window.channel_labels[:, ~seizure].any()
    assert window.seizure_type is not None and (window.seizure_type[seizure] >= 0).all()
    assert np.isfinite(window.x).all()

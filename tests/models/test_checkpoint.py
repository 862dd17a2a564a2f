"""Checkpoints: safetensors + SHA-256; anything broken raises WeightsError, nothing is pickled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from models.api import WeightsError, load_detector
from models.checkpoint import CONFIG_FILE, WEIGHTS_FILE, read_checkpoint, sha256_of
from models.config import ModelConfig
from tests.models.helpers import TINY, tiny_checkpoint

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_round_trip_gives_identical_predictions(tmp_path: Path) -> None:
    folder = tiny_checkpoint(tmp_path / "ck", seed=1)
    x = np.random.default_rng(0).standard_normal((4, 256 * 12)).astype(np.float32) * 30
    names = ["Fp1", "F3", "C3", "P3"]
    a = load_detector(folder, "cpu").predict(x, names, 256.0)
    b = load_detector(folder, "cpu").predict(x, names, 256.0)
    np.testing.assert_array_equal(a.channel_prob, b.channel_prob)
    assert a.checkpoint_sha256 == sha256_of(folder / WEIGHTS_FILE)
    meta = json.loads((folder / CONFIG_FILE).read_text())
    assert meta["weights"]["sha256"] == a.checkpoint_sha256


def test_flipped_bytes_are_refused(tmp_path: Path) -> None:
    folder = tiny_checkpoint(tmp_path / "ck")
    blob = bytearray((folder / WEIGHTS_FILE).read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (folder / WEIGHTS_FILE).write_bytes(bytes(blob))
    with pytest.raises(WeightsError, match="corrupted"):
        load_detector(folder, "cpu")


def test_missing_and_truncated_files_are_refused(tmp_path: Path) -> None:
    folder = tiny_checkpoint(tmp_path / "ck")
    weights = folder / WEIGHTS_FILE
    data = weights.read_bytes()
    weights.write_bytes(data[:100])
    with pytest.raises(WeightsError):
        read_checkpoint(folder)
    weights.unlink()
    with pytest.raises(WeightsError, match="missing"):
        read_checkpoint(folder)
    (folder / CONFIG_FILE).write_text("{not json")
    with pytest.raises(WeightsError, match="JSON"):
        read_checkpoint(folder)
    with pytest.raises(WeightsError, match="does not exist"):
        read_checkpoint(tmp_path / "nowhere")
    with pytest.raises(WeightsError, match="no such model"):
        load_detector("no-such-model", "cpu")


def test_weights_that_do_not_fit_the_config_are_refused(tmp_path: Path) -> None:
    folder = tiny_checkpoint(tmp_path / "ck")
    meta = json.loads((folder / CONFIG_FILE).read_text())
    meta["model"] = ModelConfig(d_model=24, n_heads=2).to_dict()
    (folder / CONFIG_FILE).write_text(json.dumps(meta))
    with pytest.raises(WeightsError, match="do not fit"):
        load_detector(folder, "cpu")


def test_error_is_one_line_with_what_and_why(tmp_path: Path) -> None:
    with pytest.raises(WeightsError) as info:
        read_checkpoint(tmp_path / "x")
    assert info.value.what.startswith("model checkpoint") and "\n" not in str(info.value)


def test_models_never_pickle() -> None:
    pattern = re.compile(r"torch\.save\(|torch\.load\(|import pickle|pickle\.load")
    offenders = [p for p in MODELS.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_tiny_config_is_what_the_helper_saves(tmp_path: Path) -> None:
    assert read_checkpoint(tiny_checkpoint(tmp_path / "ck")).config == TINY


def test_same_weights_give_the_same_sha(tmp_path: Path) -> None:
    a = read_checkpoint(tiny_checkpoint(tmp_path / "a", seed=4)).sha256
    b = read_checkpoint(tiny_checkpoint(tmp_path / "b", seed=4)).sha256
    assert a == b

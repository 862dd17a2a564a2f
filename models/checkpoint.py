"""Checkpoint folders: ``config.json`` + ``model.safetensors`` + ``manifest.json`` + card.

Weights are stored with safetensors (never pickled); ``config.json`` records the SHA-256 of
``model.safetensors`` and loading refuses a file whose hash differs, so a truncated download
or a flipped byte can never silently change what the detector says. ``manifest.json`` records
what the weights were trained on (real and synthetic hours, datasets, splits, heads trained).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models import jsonconfig
from models.config import ModelConfig
from models.errors import WeightsError

if TYPE_CHECKING:
    from torch import Tensor, nn

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
MANIFEST_FILE = "manifest.json"
CARD_FILE = "MODEL_CARD.md"
FORMAT = "ictal-checkpoint"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a checkpoint was trained on; hours are what the model saw, split by origin."""

    real_hours: float = 0.0
    synthetic_hours: float = 0.0
    datasets: tuple[str, ...] = ()
    splits: dict[str, str] = field(default_factory=dict)
    heads_trained: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict)
    notes: str = ""


@dataclass(frozen=True, slots=True)
class LoadedCheckpoint:
    config: ModelConfig
    state: dict[str, Tensor]
    sha256: str
    manifest: Manifest
    folder: Path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save_checkpoint(
    folder: str | Path,
    model: nn.Module,
    config: ModelConfig,
    manifest: Manifest,
    card: str | None = None,
) -> str:
    """Write a checkpoint folder; returns the SHA-256 of ``model.safetensors``."""
    from safetensors.torch import save  # noqa: PLC0415 (torch stays lazy)

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().float().cpu().contiguous() for k, v in model.state_dict().items()}
    # One metadata key only: safetensors writes metadata in hash-map order, and a fixed
    # header keeps the SHA-256 a pure function of the weights.
    blob = save(state, metadata={"format": FORMAT})
    _write_atomic(out / WEIGHTS_FILE, blob)
    sha = hashlib.sha256(blob).hexdigest()
    meta: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": config.to_dict(),
        "weights": {"file": WEIGHTS_FILE, "sha256": sha, "bytes": len(blob)},
    }
    _write_atomic(out / CONFIG_FILE, (json.dumps(meta, indent=2) + "\n").encode())
    _write_atomic(out / MANIFEST_FILE, jsonconfig.dumps(manifest).encode())
    if card is not None:
        _write_atomic(out / CARD_FILE, card.encode())
    return sha


def _read_json(path: Path, what: str) -> dict[str, Any]:
    if not path.is_file():
        raise WeightsError(what, f"{path.name} is missing in {path.parent}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WeightsError(what, f"{path.name} is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise WeightsError(what, f"{path.name} is not a JSON object")
    return data


def _config_of(meta: dict[str, Any], what: str) -> tuple[ModelConfig, str]:
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise WeightsError(what, f"{CONFIG_FILE} is not an {FORMAT} v{FORMAT_VERSION} file")
    try:
        config = ModelConfig.from_dict(meta["model"])
        sha = str(meta["weights"]["sha256"])
    except (KeyError, TypeError, ValueError) as exc:
        raise WeightsError(what, f"{CONFIG_FILE} is incomplete or invalid ({exc})") from exc
    return config, sha


def read_checkpoint(folder: str | Path) -> LoadedCheckpoint:
    """Read and verify a checkpoint folder; any problem raises :class:`WeightsError`."""
    from safetensors.torch import load  # noqa: PLC0415 (torch stays lazy)

    path = Path(folder)
    what = f"model checkpoint {path}"
    if not path.is_dir():
        raise WeightsError(what, "the folder does not exist")
    config, expected = _config_of(_read_json(path / CONFIG_FILE, what), what)
    weights = path / WEIGHTS_FILE
    if not weights.is_file():
        raise WeightsError(what, f"{WEIGHTS_FILE} is missing")
    blob = weights.read_bytes()
    actual = hashlib.sha256(blob).hexdigest()
    if actual != expected:
        raise WeightsError(
            what, f"{WEIGHTS_FILE} is corrupted: SHA-256 {actual[:12]}… != {expected[:12]}…"
        )
    try:
        state = load(blob)
    except Exception as exc:  # safetensors raises its own error types
        raise WeightsError(what, f"{WEIGHTS_FILE} cannot be parsed ({exc})") from exc
    manifest_path = path / MANIFEST_FILE
    manifest = Manifest()
    if manifest_path.is_file():
        try:
            manifest = jsonconfig.from_dict(Manifest, _read_json(manifest_path, what))
        except ValueError as exc:
            raise WeightsError(what, f"{MANIFEST_FILE} is invalid ({exc})") from exc
    return LoadedCheckpoint(config, state, actual, manifest, path)


def build_model(checkpoint: LoadedCheckpoint) -> nn.Module:
    """An IctalNet with the checkpoint's weights (strict: every tensor must match)."""
    from models.network import IctalNet  # noqa: PLC0415 (torch stays lazy)

    model = IctalNet(checkpoint.config)
    try:
        model.load_state_dict(checkpoint.state, strict=True)
    except RuntimeError as exc:
        first = str(exc).splitlines()[0]
        raise WeightsError(
            f"model checkpoint {checkpoint.folder}", f"weights do not fit the config ({first})"
        ) from exc
    return model

"""The one door from the app into the models: load a detector, predict, classify onsets.

``load_detector()`` returns the default CPU student; ``Detector.predict`` takes a page of EEG
as recorded (µV, any rate, any channel names: scalp referential, bipolar or SEEG) and returns
per-channel and recording-level seizure probabilities for every second, plus ICU pattern and
seizure-type scores. Importing this module is cheap: torch is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from models.checkpoint import Manifest
from models.config import ANALYSIS_PAGE_S, ModelConfig
from models.errors import WeightsError
from models.onset import OnsetType, onset_type

if TYPE_CHECKING:
    from torch import nn

__all__ = [
    "ANALYSIS_PAGE_S",
    "DEFAULT_MODEL",
    "WEIGHTS_DIR",
    "Detector",
    "OnsetType",
    "Prediction",
    "WeightsError",
    "available_models",
    "load_detector",
    "onset_type",
]

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
DEFAULT_MODEL = "student"

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class Prediction:
    """Per-second outputs for one page; seconds are whole (a trailing partial second counts)."""

    channel_prob: F32  # (n_ch, n_seconds): the ECAM
    prob: F32  # (n_seconds,): probability that a seizure is present anywhere
    pattern_scores: F32  # (n_seconds, 6) softmax over pattern_classes
    type_scores: F32  # (n_seconds, 4) softmax over type_classes
    channel_names: tuple[str, ...]
    pattern_classes: tuple[str, ...]
    type_classes: tuple[str, ...]
    model_name: str
    model_version: str
    checkpoint_sha256: str
    model_sfreq: int
    heads_trained: tuple[str, ...]

    @property
    def n_seconds(self) -> int:
        return int(self.prob.shape[0])


def available_models() -> list[str]:
    """Names of the shipped checkpoints (folders under ``models/weights``)."""
    if not WEIGHTS_DIR.is_dir():
        return []
    return sorted(p.name for p in WEIGHTS_DIR.iterdir() if (p / "config.json").is_file())


def _resolve(name: str | Path | None) -> Path:
    if name is None:
        name = DEFAULT_MODEL
    path = Path(name)
    if path.is_dir():
        return path
    folder = WEIGHTS_DIR / str(name)
    if not folder.is_dir():
        known = ", ".join(available_models()) or "none installed"
        raise WeightsError(f"model '{name}'", f"no such model (available: {known})")
    return folder


def _device(device: str) -> str:
    import torch  # noqa: PLC0415 (torch stays lazy)

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise WeightsError(f"device '{device}'", "CUDA is not available on this machine")
    return device


def load_detector(name: str | Path | None = None, device: str = "auto") -> Detector:
    """Load a shipped model by name (default: the CPU student) or a checkpoint folder."""
    from models.checkpoint import build_model, read_checkpoint  # noqa: PLC0415 (torch stays lazy)

    checkpoint = read_checkpoint(_resolve(name))
    model = build_model(checkpoint)
    dev = _device(device)
    model.to(dev).eval()
    return Detector(model, checkpoint.config, checkpoint.manifest, checkpoint.sha256, dev)


class Detector:
    """A loaded model. ``predict`` is deterministic and thread-compatible (no state kept)."""

    def __init__(
        self, model: nn.Module, config: ModelConfig, manifest: Manifest, sha256: str, device: str
    ) -> None:
        self.model = model
        self.config = config
        self.manifest = manifest
        self.sha256 = sha256
        self.device = device

    @property
    def name(self) -> str:
        return self.config.name

    def predict(
        self,
        x: npt.NDArray[np.floating],
        channel_names: Sequence[str],
        sfreq: float,
        *,
        progress: Callable[[float], None] | None = None,
    ) -> Prediction:
        """Seizure probabilities for a page ``x`` (n_ch, n_times) in µV sampled at ``sfreq``."""
        from models.inference import run_windows  # noqa: PLC0415 (torch stays lazy)

        data = np.asarray(x)
        if data.ndim != 2 or data.shape[0] != len(channel_names) or data.shape[0] == 0:
            raise ValueError(
                f"x must be (n_channels, n_times) with {len(channel_names)} channels, "
                f"got shape {data.shape}"
            )
        if not sfreq > 0 or data.shape[1] < sfreq / 4:
            raise ValueError(f"need at least 0.25 s of signal at a positive rate (sfreq={sfreq})")
        out = run_windows(
            self.model, self.config, data, list(channel_names), sfreq, progress=progress
        )
        return Prediction(
            channel_prob=out.channel_prob,
            prob=out.prob,
            pattern_scores=out.pattern_scores,
            type_scores=out.type_scores,
            channel_names=tuple(channel_names),
            pattern_classes=self.config.pattern_classes,
            type_classes=self.config.type_classes,
            model_name=self.config.name,
            model_version=self.config.version,
            checkpoint_sha256=self.sha256,
            model_sfreq=self.config.sfreq,
            heads_trained=self.manifest.heads_trained,
        )

    def onset_type(self, prediction: Prediction, onset_second: int) -> OnsetType:
        """Onset type of a seizure starting at ``onset_second`` of ``prediction``."""
        return onset_type(
            prediction.channel_prob,
            prediction.channel_names,
            onset_second,
            type_scores=prediction.type_scores,
            type_head_trained="type" in prediction.heads_trained,
        )

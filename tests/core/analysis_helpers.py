"""Recordings with known seizures, and a fake detector, for the analysis tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.core.analysis import Analysis, ModelInfo
from app.core.simulate import SeizureSpec, SimulationSpec, write_edf
from models.api import Prediction

#: A right temporal seizure that stays focal, then a left temporal one (20-min recording).
TWO_SEIZURES = (
    SeizureSpec(400.0, 60.0, "focal", "right_temporal", spread=False),
    SeizureSpec(900.0, 70.0, "focal", "left_temporal", spread=False),
)
PATTERNS = ("other", "seizure", "LPD", "GPD", "LRDA", "GRDA")
TYPES = ("focal", "generalised", "absence", "tonic-clonic")


def simulated(
    path: Path,
    *,
    duration_s: float = 1200.0,
    seizures: Sequence[SeizureSpec] = TWO_SEIZURES,
    channels: tuple[str, ...] | None = None,
    seed: int = 3,
) -> tuple[Path, SimulationSpec]:
    """Write a scalp recording (19 channels + ECG unless ``channels``) to ``path``."""
    from app.core.simulate import SCALP_19

    spec = SimulationSpec(
        duration_s=duration_s,
        sfreq=256.0,
        channels=channels or (*SCALP_19, "ECG"),
        seed=seed,
        seizures=tuple(seizures),
    )
    write_edf(spec, path, overwrite=True)
    return path, spec


def model_info(heads: tuple[str, ...] = ("seizure", "channel")) -> ModelInfo:
    return ModelInfo("fake", "ictal-fake", "0.0", "f" * 64, heads, PATTERNS, TYPES)


def analysis_of(
    prob: Sequence[float] | np.ndarray,
    channel_prob: np.ndarray | None = None,
    names: Sequence[str] = ("T7", "T8"),
    heads: tuple[str, ...] = ("seizure", "channel"),
    type_scores: np.ndarray | None = None,
) -> Analysis:
    """A complete Analysis holding the given arrays."""
    p = np.asarray(prob, dtype=np.float32)
    a = Analysis(model_info(heads), tuple(names), len(p))
    a.prob[:] = p
    a.channel_prob[:] = np.tile(p, (len(names), 1)) if channel_prob is None else channel_prob
    a.pattern_scores[:] = 1.0 / len(PATTERNS)
    a.type_scores[:] = 1.0 / len(TYPES) if type_scores is None else type_scores
    a.done_s = len(p)
    return a


@dataclass
class FakeDetector:
    """Stands in for ``models.api.Detector``: the probability of a second is the mean of
    the first channel over that second divided by ``scale`` (see :func:`staircase_edf`)."""

    scale: float = 10_000.0
    fail_with: BaseException | None = None
    device: str = "cpu"
    sha256: str = "f" * 64
    calls: list[int] = field(default_factory=list)  # seconds per call
    config: Any = None
    manifest: Any = None

    def __post_init__(self) -> None:
        from models.checkpoint import Manifest
        from models.config import ModelConfig

        self.config = ModelConfig(name="ictal-fake")
        self.manifest = Manifest(heads_trained=("seizure", "channel"))

    def predict(self, x: np.ndarray, names: Sequence[str], sfreq: float) -> Prediction:
        if self.fail_with is not None:
            raise self.fail_with
        per = round(sfreq)
        n = int(np.ceil(x.shape[1] / per))
        padded = np.pad(x[0], (0, n * per - x.shape[1]), mode="edge")
        p = (padded.reshape(n, per).mean(axis=1) / self.scale).astype(np.float32)
        self.calls.append(n)
        return Prediction(
            channel_prob=np.tile(p, (len(names), 1)),
            prob=p,
            pattern_scores=np.full((n, 6), 1 / 6, np.float32),
            type_scores=np.full((n, 4), 1 / 4, np.float32),
            channel_names=tuple(names),
            pattern_classes=PATTERNS,
            type_classes=TYPES,
            model_name="ictal-fake",
            model_version="0.0",
            checkpoint_sha256=self.sha256,
            model_sfreq=128,
            heads_trained=("seizure", "channel"),
        )


def staircase_edf(path: Path, seconds: int, sfreq: int = 64) -> Path:
    """EEG T7 and T8 whose value during second ``s`` is ``s`` µV (0.1-µV steps), + ECG."""
    from tests.core.edf_builders import Sig, write_edf

    stairs = np.repeat(np.arange(seconds, dtype=np.float64), sfreq)
    sigs = [
        Sig("EEG T7-REF", sfreq, stairs),
        Sig("EEG T8-REF", sfreq, stairs),
        Sig("ECG EKG", sfreq, np.zeros_like(stairs)),
    ]
    return write_edf(path, sigs)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


@pytest.fixture(scope="module")
def torch_threads_restored() -> Iterator[None]:
    """``load_model(threads=1)`` (and ``ictal analyze``) limit torch's threads of the calling
    thread; give the test process its setting back so later tests run as they would alone."""
    import torch

    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)

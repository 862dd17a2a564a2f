"""The architecture of an Ictal detector, as one frozen dataclass (round-trips through JSON).

The model reads every channel at one rate (:data:`MODEL_SFREQ`, 128 Hz: EEG seizure rhythms
live below 40 Hz and the fast activity that matters at onset below 64 Hz) in 1-s patches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models import jsonconfig
from models.electrodes import N_REGIONS

MODEL_SFREQ = 128
PATTERN_CLASSES: tuple[str, ...] = ("other", "seizure", "LPD", "GPD", "LRDA", "GRDA")
TYPE_CLASSES: tuple[str, ...] = ("focal", "generalised", "absence", "tonic-clonic")
#: Recommended page length for ``Detector.predict`` when analysing a long recording: the
#: robust normalisation needs enough background around a seizure (training used the same).
ANALYSIS_PAGE_S = 300


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """Hyper-parameters of the channel-agnostic encoder and its heads.

    ``context_s`` / ``hop_s`` set how long inputs are cut into overlapping windows at inference.
    ``pool_temperature`` sets how max-like the pooling of channel logits into the recording-level
    logit is (small = max over channels, large = mean).
    ``amplitude_embedding`` adds the channel's absolute amplitude (log of the robust scale its
    page was normalised by, in µV) to every token: normalisation alone hides whether a channel
    is suppressed, ordinary or very large, which a reader of the EEG always sees.
    """

    name: str = "ictal-student"
    version: str = "0.1.0"
    sfreq: int = MODEL_SFREQ
    d_model: int = 32
    n_heads: int = 2
    n_layers: int = 2
    ff_mult: int = 2
    conv_channels: int = 8
    dropout: float = 0.1
    pool_temperature: float = 1.0
    n_regions: int = N_REGIONS
    context_s: int = 30
    hop_s: int = 20
    pattern_classes: tuple[str, ...] = PATTERN_CLASSES
    type_classes: tuple[str, ...] = TYPE_CLASSES
    amplitude_embedding: bool = False

    def __post_init__(self) -> None:
        if self.sfreq != MODEL_SFREQ:
            raise ValueError(f"model rate must be {MODEL_SFREQ} Hz, got {self.sfreq}")
        if self.d_model % self.n_heads:
            raise ValueError("d_model must be divisible by n_heads")
        if not 0 < self.hop_s <= self.context_s:
            raise ValueError("need 0 < hop_s <= context_s")

    @property
    def patch_samples(self) -> int:
        """Samples per 1-s patch."""
        return self.sfreq

    def to_dict(self) -> dict[str, Any]:
        return jsonconfig.to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        return jsonconfig.from_dict(cls, data)

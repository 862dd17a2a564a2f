"""Windows -> fixed-length training examples at the model rate, prepared like inference.

Every window is resampled to 128 Hz, high-passed and normalised in contexts of
``norm_context_s`` seconds (the way the detector normalises a page; the scale each context
was divided by is kept as the amplitude feature), then cut into ``window_s``-second crops
with half overlap. Crops with a seizure second are marked so the sampler can balance classes;
crops with no label at all are dropped (they teach nothing supervised).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.config import MODEL_SFREQ
from models.data.window import Window
from models.electrodes import geometry_arrays
from models.preprocess import highpass, normalise_scaled, resample, window_starts

F32 = npt.NDArray[np.float32]
I8 = npt.NDArray[np.int8]
SEIZURE_CROP_WEIGHT = 3.0


@dataclass(frozen=True, slots=True, eq=False)
class Example:
    """One training crop: normalised signal, geometry and all available labels."""

    x: F32  # (C, S * 128), normalised
    pos: F32  # (C, 3)
    region: npt.NDArray[np.int64]  # (C,)
    known: npt.NDArray[np.bool_]  # (C,)
    labels: I8  # (S,)
    channel_labels: I8 | None  # (C, S)
    pattern: F32 | None  # (S, n_patterns)
    types: I8 | None  # (S,)
    group: str
    weight: float
    log_scale: F32 | None = None  # (C, S) amplitude feature of each channel-second
    seizure: bool = False

    @property
    def n_seconds(self) -> int:
        return int(self.labels.shape[0])

    @property
    def n_channels(self) -> int:
        return int(self.x.shape[0])


def prepare_signal(window: Window, norm_context_s: int) -> tuple[F32, F32]:
    """(signal, amplitude): resampled, high-passed, context-normalised signal of exactly
    ``n_seconds`` seconds, and the amplitude feature of every channel-second (C, S)."""
    n_sec = window.n_seconds
    x = highpass(resample(window.x, window.sfreq))
    need = n_sec * MODEL_SFREQ
    if x.shape[1] < need:
        x = np.pad(x, ((0, 0), (0, need - x.shape[1])), mode="edge")
    x = x[:, :need]
    out = np.empty_like(x)
    amplitude = np.zeros((x.shape[0], n_sec), np.float32)
    step = max(norm_context_s, 1) * MODEL_SFREQ
    for start in range(0, need, step):
        stop = start + step if need - (start + step) >= step // 2 else need
        out[:, start:stop], amp = normalise_scaled(x[:, start:stop])
        amplitude[:, start // MODEL_SFREQ : stop // MODEL_SFREQ] = amp[:, None]
        if stop == need:
            break
    return out, amplitude


def _has_label(
    labels: I8, channel_labels: I8 | None, pattern: F32 | None, types: I8 | None
) -> bool:
    return bool(
        (labels >= 0).any()
        or (channel_labels is not None and (channel_labels >= 0).any())
        or (pattern is not None and (pattern.sum(axis=-1) > 0).any())
        or (types is not None and (types >= 0).any())
    )


def window_examples(
    window: Window, window_s: int, norm_context_s: int, keep_unlabelled: bool = False
) -> list[Example]:
    """Crops of one window (group = dataset name, or "synthetic")."""
    x, amplitude = prepare_signal(window, norm_context_s)
    pos, region, known = geometry_arrays(window.channel_names)
    n_sec = window.n_seconds
    length = min(window_s, n_sec)
    group = "synthetic" if window.synthetic else window.dataset
    out: list[Example] = []
    for s in window_starts(n_sec, length, max(1, length // 2)):
        sl = slice(s, s + length)
        labels = window.labels[sl]
        chan = None if window.channel_labels is None else window.channel_labels[:, sl]
        pattern = None if window.pattern is None else window.pattern[sl]
        types = None if window.seizure_type is None else window.seizure_type[sl]
        if not keep_unlabelled and not _has_label(labels, chan, pattern, types):
            continue
        seizure = bool((labels == 1).any()) or (chan is not None and bool((chan == 1).any()))
        out.append(
            Example(
                x=np.ascontiguousarray(x[:, s * MODEL_SFREQ : (s + length) * MODEL_SFREQ]),
                pos=pos,
                region=region,
                known=known,
                labels=labels.copy(),
                channel_labels=None if chan is None else chan.copy(),
                pattern=None if pattern is None else pattern.copy(),
                types=None if types is None else types.copy(),
                group=group,
                weight=SEIZURE_CROP_WEIGHT if seizure else 1.0,
                log_scale=np.ascontiguousarray(amplitude[:, sl]),
                seizure=seizure,
            )
        )
    return out


def build_examples(
    windows: Iterable[Window], window_s: int, norm_context_s: int, keep_unlabelled: bool = False
) -> tuple[list[Example], dict[str, float]]:
    """All crops of all windows, and the hours of signal read per group."""
    examples: list[Example] = []
    hours: dict[str, float] = {}
    for window in windows:
        group = "synthetic" if window.synthetic else window.dataset
        hours[group] = hours.get(group, 0.0) + window.hours
        examples += window_examples(window, window_s, norm_context_s, keep_unlabelled)
    return examples, hours

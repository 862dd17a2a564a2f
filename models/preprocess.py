"""Bring any EEG page to the model's input: 128 Hz, drift removed, robustly normalised.

The same functions run at training and at inference, so the model never sees data prepared
differently from what it was trained on. Normalisation is per channel and robust: the scale
is the median over seconds of each second's standard deviation, so a seizure or an artefact
occupying less than half of the input does not shrink the rest; values are then clipped.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt
from scipy import signal

from models.config import MODEL_SFREQ

FloatArray = npt.NDArray[np.float32]

HIGHPASS_HZ = 0.5
CLIP = 20.0
_MIN_SCALE = 1e-3  # µV: flatter channels are treated as flat (all zeros after normalising)
#: Absolute amplitude seen by the model: log(scale / 20 µV), clipped to 0.1 µV .. 5 mV.
LOG_SCALE_REF_UV = 20.0
LOG_SCALE_RANGE = (float(np.log(0.1 / LOG_SCALE_REF_UV)), float(np.log(5000.0 / LOG_SCALE_REF_UV)))


def rate_ratio(sfreq: float, target: int = MODEL_SFREQ) -> tuple[int, int]:
    """(up, down) for resample_poly with a rate error below 0.05 %."""
    for limit in (64, 256, 1024, 100_000):
        frac = Fraction(target / sfreq).limit_denominator(limit)
        if abs(float(frac) * sfreq - target) / target < 5e-4:
            return frac.numerator, frac.denominator
    frac = Fraction(target / sfreq).limit_denominator(100_000)
    return frac.numerator, frac.denominator


def resample(x: npt.NDArray[np.floating], sfreq: float, target: int = MODEL_SFREQ) -> FloatArray:
    """Resample (n_ch, n_times) from ``sfreq`` to ``target`` Hz (polyphase, anti-aliased)."""
    data = np.asarray(x, dtype=np.float32)
    if abs(sfreq - target) < 1e-9:
        return data.copy()
    up, down = rate_ratio(sfreq, target)
    return np.asarray(signal.resample_poly(data, up, down, axis=-1), dtype=np.float32)


def highpass(x: FloatArray, sfreq: float = MODEL_SFREQ) -> FloatArray:
    """Zero-phase 0.5 Hz high-pass (removes DC and slow drift) for inputs of at least 2 s."""
    if x.shape[-1] < 2 * sfreq:
        return np.asarray(x - np.median(x, axis=-1, keepdims=True), dtype=np.float32)
    sos = signal.butter(2, HIGHPASS_HZ, btype="highpass", fs=sfreq, output="sos")
    return np.asarray(signal.sosfiltfilt(sos, x, axis=-1), dtype=np.float32)


def robust_scale(x: FloatArray, sfreq: int = MODEL_SFREQ) -> FloatArray:
    """Per-channel scale: median over whole seconds of the per-second standard deviation."""
    n_ch, n_times = x.shape
    n_sec = n_times // sfreq
    if n_sec == 0:
        std = x.std(axis=-1)
    else:
        seconds = x[:, : n_sec * sfreq].reshape(n_ch, n_sec, sfreq)
        std = np.median(seconds.std(axis=-1), axis=-1)
    return np.asarray(np.maximum(std, _MIN_SCALE), dtype=np.float32)


def normalise(x: FloatArray, sfreq: int = MODEL_SFREQ) -> FloatArray:
    """Divide each channel by its robust scale and clip to ±20 (artefact guard)."""
    return normalise_scaled(x, sfreq)[0]


def log_amplitude(scale: FloatArray) -> FloatArray:
    """The amplitude feature of a robust scale in µV: log(scale / 20 µV), clipped."""
    value = np.log(np.maximum(scale, _MIN_SCALE) / LOG_SCALE_REF_UV)
    return np.asarray(np.clip(value, *LOG_SCALE_RANGE), dtype=np.float32)


def normalise_scaled(x: FloatArray, sfreq: int = MODEL_SFREQ) -> tuple[FloatArray, FloatArray]:
    """(normalised signal, per-channel amplitude feature :func:`log_amplitude`)."""
    scale = robust_scale(x, sfreq)
    out = np.asarray(np.clip(x / scale[:, None], -CLIP, CLIP), dtype=np.float32)
    return out, log_amplitude(scale)


def pad_to_seconds(x: FloatArray, sfreq: int = MODEL_SFREQ) -> FloatArray:
    """Pad a trailing partial second by edge reflection so the length is whole seconds."""
    rest = x.shape[-1] % sfreq
    if rest == 0:
        return x
    pad = sfreq - rest
    if x.shape[-1] > pad:
        return np.asarray(np.pad(x, ((0, 0), (0, pad)), mode="reflect"), dtype=np.float32)
    return np.asarray(np.pad(x, ((0, 0), (0, pad)), mode="edge"), dtype=np.float32)


def prepare(x: npt.NDArray[np.floating], sfreq: float) -> FloatArray:
    """µV page at ``sfreq`` -> model input at 128 Hz, whole seconds (ceil), normalised."""
    return prepare_scaled(x, sfreq)[0]


def prepare_scaled(x: npt.NDArray[np.floating], sfreq: float) -> tuple[FloatArray, FloatArray]:
    """Like :func:`prepare`, also returning each channel's amplitude feature (n_ch,)."""
    data = np.nan_to_num(np.asarray(x, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    data = resample(data, sfreq)
    data = pad_to_seconds(highpass(data))
    return normalise_scaled(data)


def window_starts(n_seconds: int, context_s: int, hop_s: int) -> list[int]:
    """Start seconds of overlapping context windows covering ``n_seconds`` (last one flush)."""
    if n_seconds <= context_s:
        return [0]
    starts = list(range(0, n_seconds - context_s + 1, hop_s))
    if starts[-1] != n_seconds - context_s:
        starts.append(n_seconds - context_s)
    return starts


def window_weights(length: int, ramp: int = 5) -> FloatArray:
    """Weights of each second inside a window: lower at the edges (less context there)."""
    idx = np.arange(length)
    w = np.minimum(np.minimum(idx + 1, length - idx), ramp) / ramp
    return np.asarray(w, dtype=np.float32)

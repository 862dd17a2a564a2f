"""A minimal stand-in for the simulator, so model tests need nothing from the app.

Background: 1/f-like noise per channel (~20 µV) with a posterior alpha rhythm. A seizure:
on its onset channels, a rhythmic discharge (sharp 3-7 Hz waves, slowing and growing over
time) several times the background. Truth is per channel and per second.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from models.data.window import Window

SCALP_19 = tuple(
    [
        "Fp1",
        "Fp2",
        "F7",
        "F3",
        "Fz",
        "F4",
        "F8",
        "T7",
        "C3",
        "Cz",
        "C4",
        "T8",
        "P7",
        "P3",
        "Pz",
        "P4",
        "P8",
        "O1",
        "O2",
    ]
)
LEFT_TEMPORAL = ("F7", "T7", "P7")
RIGHT_FRONTAL = ("Fp2", "F4", "F8")


def _background(rng: np.random.Generator, n_ch: int, n: int, sfreq: float) -> np.ndarray:
    white = rng.standard_normal((n_ch, n))
    b, a = signal.butter(1, 2.0, fs=sfreq)
    pink = signal.lfilter(b, a, white, axis=-1) * 4.0 + white * 0.5
    t = np.arange(n) / sfreq
    alpha = 6.0 * np.sin(2 * np.pi * 10.0 * t + rng.uniform(0, 6.28))
    out: np.ndarray = (pink * 5.0 + alpha * rng.uniform(0.2, 1.0, (n_ch, 1))).astype(np.float32)
    return out


def _discharge(rng: np.random.Generator, n: int, sfreq: float) -> np.ndarray:
    t = np.arange(n) / sfreq
    f0 = rng.uniform(5.0, 7.0)
    freq = f0 - (f0 - 3.0) * t / max(t[-1], 1.0)
    phase = 2 * np.pi * np.cumsum(freq) / sfreq
    wave = np.sign(np.sin(phase)) * np.abs(np.sin(phase)) ** 0.3
    ramp = np.minimum(1.0, t / 3.0)
    return (wave * ramp * rng.uniform(60.0, 100.0)).astype(np.float32)


def toy_recording(
    seed: int,
    *,
    seconds: int = 120,
    sfreq: float = 128.0,
    channels: tuple[str, ...] = SCALP_19,
    onset_channels: tuple[str, ...] = LEFT_TEMPORAL,
    n_seizures: int = 1,
    seizure_s: int = 30,
) -> Window:
    """One labelled synthetic recording (a Window marked synthetic)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sfreq)
    x = _background(rng, len(channels), n, sfreq)
    labels = np.zeros(seconds, np.int8)
    chan = np.zeros((len(channels), seconds), np.int8)
    involved = [i for i, c in enumerate(channels) if c in onset_channels]
    slot = seconds // max(n_seizures, 1)
    for k in range(n_seizures):
        onset = k * slot + int(rng.integers(5, max(6, slot - seizure_s - 5)))
        a, b = int(onset * sfreq), int((onset + seizure_s) * sfreq)
        wave = _discharge(rng, b - a, sfreq)
        for i in involved:
            x[i, a:b] += wave * rng.uniform(0.8, 1.2)
        labels[onset : onset + seizure_s] = 1
        chan[involved, onset : onset + seizure_s] = 1
    return Window(
        x=x,
        sfreq=sfreq,
        channel_names=channels,
        labels=labels,
        channel_labels=chan,
        dataset="toy",
        subject=f"toy{seed}",
        synthetic=True,
    )

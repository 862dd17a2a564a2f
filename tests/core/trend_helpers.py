"""Signals and recordings with known spectra for the trend tests (CDSA, aEEG)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.core.channels import infer_types, normalize_name
from app.core.recording_info import Channel
from app.core.simulate import SeizureSpec, SimulationSpec, scalp_channels, write_edf
from app.core.trends import Reader

SFREQ = 256.0
#: The 10-20 channels plus ears, ECG and EOG (the benchmark layout).
SCALP_23 = scalp_channels(23)
LEFT = ("Fp1", "F7", "F3", "T7", "C3", "P7", "P3", "O1")
RIGHT = ("Fp2", "F4", "F8", "C4", "T8", "P4", "P8", "O2")


def channels(names: Sequence[str], sfreq: float = SFREQ) -> tuple[Channel, ...]:
    """Channel records as a recording would give them (names normalised, types inferred)."""
    normal = [normalize_name(n) for n in names]
    types = infer_types(list(names), normal)
    return tuple(
        Channel(i, n, raw, t, sfreq)
        for i, (raw, n, t) in enumerate(zip(names, normal, types, strict=True))
    )


def array_reader(data: npt.NDArray[np.float32], sfreq: float = SFREQ) -> Reader:
    """A ``read_page`` over an in-memory array: zeros outside it, like a recording."""

    def read(start_s: float, duration_s: float, picks: Sequence[int]) -> npt.NDArray[np.float32]:
        first, n = round(start_s * sfreq), round(duration_s * sfreq)
        out = np.zeros((len(picks), n), dtype=np.float32)
        lo, hi = max(first, 0), min(first + n, data.shape[1])
        if hi > lo:
            out[:, lo - first : hi - first] = data[list(picks), lo:hi]
        return out

    return read


def sine(freq_hz: float, peak_to_peak_uv: float, duration_s: float, sfreq: float = SFREQ):
    t = np.arange(round(duration_s * sfreq)) / sfreq
    return (peak_to_peak_uv / 2.0 * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)


def left_alpha_recording(duration_s: float = 120.0, seed: int = 0) -> npt.NDArray[np.float32]:
    """23 channels of 2 µV white noise, with a 40 µV p-p 10 Hz rhythm on the left ones only."""
    rng = np.random.default_rng(seed)
    n = round(duration_s * SFREQ)
    data = rng.normal(0.0, 2.0, (len(SCALP_23), n)).astype(np.float32)
    alpha = sine(10.0, 40.0, duration_s)
    for name in LEFT:
        data[SCALP_23.index(name)] += alpha
    return data


def absence_spec(duration_s: float = 600.0, onset_s: float = 300.0) -> SimulationSpec:
    """A scalp recording with one 12-s absence (3 Hz spike-and-wave) at ``onset_s``."""
    return SimulationSpec(
        duration_s=duration_s,
        channels=SCALP_23,
        seed=5,
        seizures=(SeizureSpec(onset_s, 12.0, "absence"),),
        spikes_per_hour=0.0,
    )


def write_night(path: Path, duration_s: float = 180.0, seed: int = 1) -> Path:
    """A short generated scalp EDF+ (23 channels, 256 Hz) with one absence seizure."""
    spec = SimulationSpec(
        duration_s=duration_s,
        channels=SCALP_23,
        seed=seed,
        seizures=(SeizureSpec(duration_s / 2, 10.0, "absence"),),
    )
    write_edf(spec, path, spikes=False)
    return path

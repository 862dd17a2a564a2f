"""Helsinki neonatal EEG (Stevenson et al. 2019) as 1-s multichannel windows.

``windows_64hz/expert_<X>_1sec_1chunk_64Hz.hdf5`` holds dataset ``FINAL_mtx`` (samples, 19):
blocks of 64 rows are one 1-s window; columns 0-17 are an 18-channel bipolar montage in volts
(the channel order is not documented, so the channels are named ``H1..H18`` and get the
model's "unknown" position embedding); column 18 is the expert's label (1 seizure).

Caveats, stated wherever results on it are reported: the windows were **decimated from 256 to
64 Hz without an anti-alias filter**, so frequencies above 32 Hz are folded in; non-seizure
windows come from babies without seizures; the baby a window comes from is not stored, so
splits cannot be patient-wise. Windows are consecutive per class (seizure block first), and we
split each class by position: first 70 % train, next 15 % validation, last 15 % test, which
keeps neighbouring windows together but may still share babies between splits. Only expert A
is used (expert B's file shares 47 windows with A).
"""

from __future__ import annotations

import logging
from pathlib import Path

import h5py
import numpy as np

from models.data.window import Window

log = logging.getLogger(__name__)

SFREQ = 64.0
N_CHANNELS = 18
CHANNELS: tuple[str, ...] = tuple(f"H{i + 1}" for i in range(N_CHANNELS))
SPLITS: dict[str, tuple[float, float]] = {
    "train": (0.0, 0.70),
    "val": (0.70, 0.85),
    "test": (0.85, 1.0),
}


def _file(root: Path, expert: str) -> Path:
    return root / "windows_64hz" / f"expert_{expert}_1sec_1chunk_64Hz.hdf5"


def helsinki_windows(root: Path, split: str, expert: str = "A") -> list[Window]:
    """1-s windows of one split; ``root`` is the ``helsinki`` folder. Empty when absent."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {sorted(SPLITS)}")
    path = _file(root, expert)
    if not path.is_file():
        log.warning("Helsinki windows not found at %s; skipping", path)
        return []
    with h5py.File(path, "r") as handle:
        matrix = np.asarray(handle["FINAL_mtx"][:], dtype=np.float64)
    n_win = matrix.shape[0] // 64
    blocks = matrix[: n_win * 64].reshape(n_win, 64, N_CHANNELS + 1)
    labels = blocks[:, 0, N_CHANNELS].astype(np.int8)
    lo, hi = SPLITS[split]
    out: list[Window] = []
    for value in (1, 0):
        idx = np.flatnonzero(labels == value)
        chosen = idx[int(lo * len(idx)) : int(hi * len(idx))]
        for i in chosen:
            x = (blocks[i, :, :N_CHANNELS].T * 1e6).astype(np.float32)  # volts -> µV
            out.append(
                Window(
                    x=x,
                    sfreq=SFREQ,
                    channel_names=CHANNELS,
                    labels=np.array([value], dtype=np.int8),
                    dataset="helsinki",
                    subject=f"expert{expert}-{'sz' if value else 'bg'}",
                )
            )
    return out

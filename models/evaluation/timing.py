"""Speed of a detector and of the peer on the same synthetic recording, in s per channel-hour.

The recording is assembled from the held-out simulator recordings (their channels cycled to
``channels`` rows and their time tiled to ``hours``), so both models read identical samples.
Our detector runs through ``Detector.predict`` on ``ANALYSIS_PAGE_S`` pages, as the app does
(resampling, filtering, normalisation and inference; file reading and event extraction are
not included); the peer runs its own long-recording path one channel at a time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from models.api import Detector
from models.config import ANALYSIS_PAGE_S
from models.data.window import Window
from models.evaluation.peer import CONTEXT_S, PeerUnavailable, available, time_per_channel_hour

F32 = npt.NDArray[np.float32]


def timing_recording(
    windows: Sequence[Window], channels: int, hours: float
) -> tuple[F32, tuple[str, ...], float]:
    """(x (channels, n), names, sfreq) from the first scalp-like simulator recording."""
    source = max(windows, key=lambda w: (w.x.shape[0] <= channels, w.x.shape[0]))
    n = round(hours * 3600 * source.sfreq)
    rows = [source.x[i % source.x.shape[0]] for i in range(channels)]
    x = np.stack([np.resize(r, n) for r in rows]).astype(np.float32)
    names = tuple(source.channel_names[i % len(source.channel_names)] for i in range(channels))
    return x, names, source.sfreq


def time_detector(detector: Detector, x: F32, names: Sequence[str], sfreq: float) -> float:
    """Wall-clock seconds to predict the whole of ``x`` page by page."""
    page = int(ANALYSIS_PAGE_S * sfreq)
    began = time.perf_counter()
    for start in range(0, x.shape[1], page):
        detector.predict(x[:, start : start + page], names, sfreq)
    return time.perf_counter() - began


def run_timing(
    detector: Detector, windows: Sequence[Window], channels: int, hours: float
) -> dict[str, Any]:
    """Seconds per channel-hour for ``detector`` and the peer (or why the peer did not run)."""
    x, names, sfreq = timing_recording(windows, channels, max(hours, CONTEXT_S / 3600.0))
    channel_hours = x.shape[0] * x.shape[1] / sfreq / 3600.0
    elapsed = time_detector(detector, x, names, sfreq)
    out: dict[str, Any] = {
        "recording": f"{x.shape[0]} channels x {x.shape[1] / sfreq / 3600:.2f} h at {sfreq:g} Hz "
        "(simulator)",
        "threads": torch.get_num_threads(),
        "load_average_1min": os.getloadavg()[0],  # other jobs on the machine slow both
        "model": detector.name,
        "model_seconds": elapsed,
        "model_s_per_channel_hour": elapsed / channel_hours,
    }
    reason = available()
    if reason is None:
        try:
            per = time_per_channel_hour(list(x), sfreq)
            out["peer_s_per_channel_hour"] = per
            out["peer_seconds"] = per * channel_hours
        except (PeerUnavailable, ValueError, RuntimeError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
    if reason is not None:
        out["peer"] = f"not run: {reason}"
    return out

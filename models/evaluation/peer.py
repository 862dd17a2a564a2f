"""The peer detector ``brainmaze-eeg-models`` (Sladky et al. 2022), run on our held-out windows.

It is a per-channel iEEG model (spectrogram CNN + BiLSTM, ONNX Runtime) that needs a whole,
even rate of at least 200 Hz and was designed for 300-s inputs. It is an evaluation-only
dependency (``pip install .[eval]``); without it the evaluation says so and goes on.

What we do to our data, exactly (outside the model's design wherever a window is short):

- rate: kept when it is already an even integer >= 200 Hz (SPaRCNet, 200 Hz); otherwise
  resampled to 256 Hz with ``scipy.signal.resample_poly`` (anti-aliased): Bonn 173.61 -> 256,
  Helsinki 64 -> 256 (the 64-Hz windows hold nothing above 32 Hz, and what is there is aliased);
- length: a window shorter than 300 s is centred in 300 s of NaN, the package's own way of
  saying "missing": NaN samples are left out of its z-scoring, zero-filled for the network, and
  their spectrogram columns are left out of its per-frequency normalisation. So a 23.6-s Bonn
  segment or a 1-s Helsinki window is judged against no background at all, which is not what
  the model was built for (it looks for change against a 300-s context);
- output: the model's probability for the 1-s segment ``[s, s + 1)`` of every whole second
  ``s`` (its own 0.5-s grid), and across channels the maximum (``np.nanmax``), as the
  package recommends for combining channels; model ``modelA`` (the published one), CPU.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.data.window import Window
from models.preprocess import resample

log = logging.getLogger(__name__)

F64 = npt.NDArray[np.float64]
PACKAGE = "brainmaze_eeg_models"
MODEL = "modelA"
CONTEXT_S = 300
FALLBACK_FS = 256
BATCH = 64
SAVE_EVERY = 100  # windows scored between cache writes (a crash loses little)


class PeerUnavailable(RuntimeError):
    """The peer package is not installed or cannot run here (the message says why)."""


def available() -> str | None:
    """None when the peer can run, else the reason it cannot."""
    if importlib.util.find_spec(PACKAGE) is None:
        return f"{PACKAGE} is not installed (pip install '.[eval]')"
    return None


def peer_rate(sfreq: float) -> int:
    """The rate the peer gets: the native one when it is an even integer >= 200 Hz."""
    if float(sfreq).is_integer() and sfreq >= 200 and int(sfreq) % 2 == 0:
        return int(sfreq)
    return FALLBACK_FS


def _model(threads: int) -> Any:
    try:
        from brainmaze_eeg_models.seizure import load_trained_model  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PeerUnavailable(f"{PACKAGE} cannot be imported: {exc}") from exc
    return load_trained_model(MODEL, device="cpu", threads=threads)


def _padded(window: Window) -> tuple[F64, int, int]:
    """(rows at the peer rate padded with NaN to 300 s, rate, first whole second of data)."""
    fs = peer_rate(window.sfreq)
    n_sec = window.n_seconds
    data = resample(window.x, window.sfreq, fs)[:, : n_sec * fs].astype(np.float64)
    if n_sec >= CONTEXT_S:
        return data, fs, 0
    before = (CONTEXT_S - n_sec) // 2
    rows = np.full((data.shape[0], CONTEXT_S * fs), np.nan)
    rows[:, before * fs : before * fs + data.shape[1]] = data
    return rows, fs, before


def _short_window_probs(rows: F64, fs: int, first: int, n_sec: int, model: Any) -> F64:
    from brainmaze_eeg_models.seizure import (  # noqa: PLC0415
        infer_seizure_probability,
        preprocess_input,
    )

    out = np.full((rows.shape[0], n_sec), np.nan)
    columns = 2 * (first + np.arange(n_sec))  # column j covers [j / 2, j / 2 + 1) s
    for start in range(0, rows.shape[0], BATCH):
        chunk = rows[start : start + BATCH]
        prob = infer_seizure_probability(preprocess_input(chunk, fs), model)
        seconds = chunk[:, first * fs : (first + n_sec) * fs].reshape(len(chunk), n_sec, fs)
        valid = np.ptp(seconds, axis=-1) > 0  # a flat second is "not evaluated"
        out[start : start + len(chunk)] = np.where(valid, prob[:, columns], np.nan)
    return out


def _long_window_probs(rows: F64, fs: int, n_sec: int, model: Any) -> F64:
    from brainmaze_eeg_models.seizure import predict_channel_seizure_probability  # noqa: PLC0415

    out = np.full((rows.shape[0], n_sec), np.nan)
    for c, row in enumerate(rows):
        _, prob = predict_channel_seizure_probability(row, fs, model=model)
        grid = prob[1 : 2 * n_sec : 2]  # t = s + 0.5: the segment [s, s + 1)
        out[c, : len(grid)] = grid
    return out


def peer_seconds(window: Window, model: Any) -> F64:
    """Per-second peer probability of a window (max over channels; NaN = not evaluated)."""
    rows, fs, first = _padded(window)
    n_sec = window.n_seconds
    if first or rows.shape[1] == CONTEXT_S * fs:
        channel = _short_window_probs(rows, fs, first, n_sec, model)
    else:
        channel = _long_window_probs(rows, fs, n_sec, model)
    with np.errstate(all="ignore"):
        valid = np.isfinite(channel).any(axis=0)
        out = np.full(n_sec, np.nan)
        out[valid] = np.nanmax(channel[:, valid], axis=0)
    return out


def _key(window: Window) -> str:
    digest = hashlib.sha1(window.x.tobytes(), usedforsecurity=False)
    digest.update(f"{window.sfreq}|{window.x.shape}|{MODEL}|{CONTEXT_S}".encode())
    return digest.hexdigest()


class PeerScorer:
    """Scores windows with the peer, caching per-second results in a JSON file (keyed by data)."""

    def __init__(self, cache: Path | None, threads: int = 2) -> None:
        reason = available()
        if reason is not None:
            raise PeerUnavailable(reason)
        self.model = _model(threads)
        self.cache_path = cache
        self.cache: dict[str, list[float | None]] = {}
        if cache is not None and cache.is_file():
            self.cache = json.loads(cache.read_text(encoding="utf-8"))
        self.computed = 0

    def seconds(self, window: Window) -> F64:
        key = _key(window)
        if key not in self.cache:
            probs = peer_seconds(window, self.model)
            self.cache[key] = [None if not np.isfinite(p) else float(p) for p in probs]
            self.computed += 1
            if self.computed % SAVE_EVERY == 0:
                self.save()
        return np.array([np.nan if p is None else p for p in self.cache[key]], dtype=np.float64)

    def save(self) -> None:
        if self.cache_path is not None and self.computed:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.cache_path.write_text(json.dumps(self.cache), encoding="utf-8")
            log.info("peer cache: %d new windows -> %s", self.computed, self.cache_path)


def time_per_channel_hour(rows: Sequence[npt.NDArray[np.floating]], sfreq: float) -> float:
    """Seconds the peer takes per channel-hour on these rows (its own long-recording path)."""
    model = _model(threads=2)
    from brainmaze_eeg_models.seizure import predict_channel_seizure_probability  # noqa: PLC0415

    fs = peer_rate(sfreq)
    began = time.perf_counter()
    hours = 0.0
    for row in rows:
        data = resample(np.asarray(row)[None, :], sfreq, fs)[0].astype(np.float64)
        predict_channel_seizure_probability(data, fs, model=model)
        hours += len(data) / fs / 3600.0
    return (time.perf_counter() - began) / max(hours, 1e-9)

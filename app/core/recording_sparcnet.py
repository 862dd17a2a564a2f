"""SPaRCNet (IIIC) ``.mat`` segments: 19 referential scalp channels + EKG.

Each file holds ``seg`` (20 x n samples, 200 Hz, 50 s in the published set).
The channel order comes from ``labels.json`` beside the file or one folder up
(``channel_order``, ``fs``), else the published order. The values are µV;
a segment whose amplitudes look like volts is converted (logged), so pages
always come out in µV like every other format.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import mne
import numpy as np
import numpy.typing as npt
import scipy.io

from app.core.errors import RecordingError
from app.core.recording_info import MICROVOLT, PatientInfo, RecordingInfo
from app.core.recording_mne import OpenedRaw, build_channels, describe

log = logging.getLogger(__name__)

DEFAULT_ORDER = (
    *("Fp1", "F3", "C3", "P3", "F7", "T3", "T5", "O1", "Fz", "Cz", "Pz"),
    *("Fp2", "F4", "C4", "P4", "F8", "T4", "T6", "O2", "EKG"),
)
DEFAULT_SFREQ = 200.0
#: A 99th-percentile |amplitude| below this is volts, not µV (EEG is tens of µV).
_VOLT_LIMIT = 0.05


def _layout(path: Path) -> tuple[tuple[str, ...], float]:
    for folder in (path.parent, path.parent.parent):
        labels = folder / "labels.json"
        if not labels.is_file():
            continue
        try:
            meta = json.loads(labels.read_text(encoding="utf-8"))
            order = tuple(str(c) for c in meta["channel_order"])
            return order, float(meta.get("fs", DEFAULT_SFREQ))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring %s: %s", labels, describe(exc))
    return DEFAULT_ORDER, DEFAULT_SFREQ


def _segment(path: Path, n_channels: int) -> npt.NDArray[np.float64]:
    try:
        content: dict[str, Any] = scipy.io.loadmat(path, variable_names=["seg"])
    except Exception as exc:  # scipy raises several types for non-MAT input
        raise RecordingError(str(path), f"not a readable MATLAB file: {describe(exc)}") from exc
    seg = content.get("seg")
    if not isinstance(seg, np.ndarray) or seg.ndim != 2 or not np.issubdtype(seg.dtype, np.number):
        raise RecordingError(str(path), "no 2-D numeric 'seg' variable (SPaRCNet layout)")
    if seg.shape[0] != n_channels and seg.shape[1] == n_channels:
        seg = seg.T
    if seg.shape[0] != n_channels:
        raise RecordingError(
            str(path), f"'seg' has {seg.shape[0]} rows but {n_channels} channels are expected"
        )
    if seg.shape[1] == 0:
        raise RecordingError(str(path), "'seg' holds no samples")
    data = np.asarray(seg, dtype=np.float64)
    if not np.isfinite(data).all():
        data = np.nan_to_num(data)
        log.warning("%s: non-finite samples set to 0", path)
    return data


def open_sparcnet(path: Path) -> OpenedRaw:
    """Open a SPaRCNet ``.mat`` segment as an in-memory mne RawArray."""
    order, sfreq = _layout(path)
    data_uv = _segment(path, len(order))
    if float(np.percentile(np.abs(data_uv), 99)) < _VOLT_LIMIT:
        log.info("%s: amplitudes look like volts; converting to µV", path)
        data_uv = data_uv * 1e6
    channels = build_channels(order, order, [sfreq] * len(order), [MICROVOLT] * len(order))
    mne_types = ["ecg" if c.type.value == "ECG" else "eeg" for c in channels]
    mne_info = mne.create_info([c.name for c in channels], sfreq, mne_types, verbose="error")
    raw = mne.io.RawArray(data_uv * 1e-6, mne_info, verbose="error")
    n_samples = data_uv.shape[1]
    info = RecordingInfo(
        path=path,
        format="SPaRCNet MAT",
        patient=PatientInfo(),
        start=None,
        duration_s=n_samples / sfreq,
        sfreq=sfreq,
        n_samples=n_samples,
        file_size=path.stat().st_size,
        recording_id=path.stem,
    )
    return OpenedRaw(
        raw=raw,
        info=info,
        channels=channels,
        annotations=(),
        scales=np.full(len(channels), 1e6),
    )

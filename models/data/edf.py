"""Generic EDF/EDF+/BDF recordings with seizure annotations -> labelled windows.

Seizure intervals come either from the caller (a corpus's own list: CHB-MIT summary, Siena
list, TUSZ csv) or from the file's own annotations whose text matches ``SEIZURE_PATTERN``.
Non-EEG channels (ECG, EOG, EMG, respiration, markers, empty ``-`` channels) are dropped.
Read with mne directly (the models package does not depend on the app's reader).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import mne
import numpy as np

from models.data.window import Window, seconds_labels

log = logging.getLogger(__name__)

SEIZURE_PATTERN = re.compile(r"seiz|\bsz\b|ictal|crise|anfall|\bcrisis", re.IGNORECASE)
_NON_EEG = re.compile(
    r"ECG|EKG|EOG|EMG|RESP|SPO2|SAO2|PLETH|PULSE|PHOTIC|MARK|EVENT|STATUS|TRIG|\bHR\b|"
    r"IBI|BURSTS|SUPPR|VNS|CHIN|LEG|LOC|ROC|^\s*MK\s*$|^\s*\d+\s*$",
    re.IGNORECASE,
)


def is_eeg_name(name: str) -> bool:
    """False for channels that are clearly not EEG/SEEG (ECG, EOG, ..., empty names)."""
    stripped = name.strip().strip("-").strip()
    return bool(stripped) and _NON_EEG.search(name) is None


def read_edf(
    path: Path,
) -> tuple[np.ndarray, float, tuple[str, ...], list[tuple[float, float, str]]]:
    """(data µV (n_ch, n), sfreq, channel names, annotations (onset, duration, text))."""
    raw = mne.io.read_raw(path, preload=False, verbose="error")
    picks = [i for i, n in enumerate(raw.ch_names) if is_eeg_name(n)]
    if not picks:
        raise ValueError(f"{path}: no EEG channels")
    data = raw.get_data(picks=picks, units="uV").astype(np.float32)
    names = tuple(raw.ch_names[i] for i in picks)
    annotations = [
        (float(a["onset"]), float(a["duration"]), str(a["description"])) for a in raw.annotations
    ]
    return data, float(raw.info["sfreq"]), names, annotations


def annotated_seizures(
    annotations: Sequence[tuple[float, float, str]],
) -> list[tuple[float, float]]:
    """Seizure intervals among EDF+ annotations (text matches ``SEIZURE_PATTERN``)."""
    return [
        (on, on + max(dur, 1.0)) for on, dur, text in annotations if SEIZURE_PATTERN.search(text)
    ]


def cut_windows(
    data: np.ndarray,
    sfreq: float,
    names: tuple[str, ...],
    seizures: Sequence[tuple[float, float]],
    *,
    window_s: int = 60,
    dataset: str = "edf",
    subject: str = "",
    seizure_type: int = -1,
    types: np.ndarray | None = None,
    channel_labels: np.ndarray | None = None,
) -> list[Window]:
    """Cut a whole recording into consecutive windows with per-second labels.

    The seizure type of every labelled second is ``seizure_type`` (-1: unknown), or
    per second from ``types`` (n_seconds,); ``channel_labels`` (n_channels, n_seconds)
    are per-channel labels where the corpus has them.
    """
    n_sec = int(data.shape[1] / sfreq + 1e-6)
    labels = seconds_labels(n_sec, seizures)
    out: list[Window] = []
    for start in range(0, n_sec, window_s):
        stop = min(start + window_s, n_sec)
        if stop - start < 1:
            break
        lab = labels[start:stop]
        typ = None
        if types is not None:
            typ = types[start:stop].copy()
        elif seizure_type >= 0:
            typ = np.where(lab == 1, seizure_type, -1).astype(np.int8)
        x = data[:, round(start * sfreq) : round(stop * sfreq)]
        out.append(
            Window(
                x=np.ascontiguousarray(x),
                sfreq=sfreq,
                channel_names=names,
                labels=lab.copy(),
                channel_labels=None
                if channel_labels is None
                else channel_labels[:, start:stop].copy(),
                seizure_type=typ,
                dataset=dataset,
                subject=subject,
            )
        )
    return out


def edf_windows(
    path: Path,
    seizures: Sequence[tuple[float, float]] | None = None,
    *,
    window_s: int = 60,
    dataset: str = "edf",
    subject: str = "",
) -> list[Window]:
    """Windows of one recording; seizures default to the file's own seizure annotations."""
    data, sfreq, names, annotations = read_edf(path)
    if seizures is None:
        seizures = annotated_seizures(annotations)
    log.info("%s: %d seizure interval(s)", path.name, len(seizures))
    return cut_windows(
        data, sfreq, names, seizures, window_s=window_s, dataset=dataset, subject=subject
    )

"""TUH Seizure Corpus (TUSZ v2): ``.csv`` (per channel, with types) and ``.csv_bi`` annotations.

Both are comma-separated with ``#`` header lines and the columns
``channel,start_time,stop_time,label,confidence``. ``.csv_bi`` has one ``TERM`` row per
interval labelled ``seiz``/``bckg``; ``.csv`` labels each channel of the TCP bipolar montage
(``FP1-F7`` ...) with the seizure type (``fnsz``, ``gnsz``, ``absz``, ``tcsz`` ...). The
recording is referential (``EEG FP1-REF`` or ``-LE``); the bipolar channels named in ``.csv``
are derived by subtraction, giving per-channel labels. Types are grouped into the model's four
classes (focal / generalised / absence / tonic-clonic). TUSZ itself may not be redistributed;
a user who has it trains on it with ``ictal train``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.config import TYPE_CLASSES
from models.data.edf import cut_windows, read_edf
from models.data.window import Window, seconds_labels

log = logging.getLogger(__name__)

TYPE_GROUPS: dict[str, str] = {
    "fnsz": "focal",
    "cpsz": "focal",
    "spsz": "focal",
    "gnsz": "generalised",
    "tnsz": "generalised",
    "mysz": "generalised",
    "atsz": "generalised",
    "clsz": "generalised",
    "absz": "absence",
    "tcsz": "tonic-clonic",
}
BACKGROUND = "bckg"
_REF = re.compile(r"^(?:EEG\s+)?(.+?)-(?:REF|LE)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TuszEvent:
    channel: str
    start: float
    stop: float
    label: str

    @property
    def is_seizure(self) -> bool:
        if self.label == BACKGROUND:
            return False
        return self.label == "seiz" or self.label in TYPE_GROUPS or self.label.endswith("sz")


def read_events(path: Path) -> list[TuszEvent]:
    """Rows of a TUSZ ``.csv``/``.csv_bi`` file (comments and header skipped)."""
    events: list[TuszEvent] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or line.lower().startswith("channel,"):
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 4:
            raise ValueError(f"{path.name}: malformed row {line!r}")
        events.append(TuszEvent(parts[0], float(parts[1]), float(parts[2]), parts[3].lower()))
    return events


def type_index(label: str) -> int:
    """Index in TYPE_CLASSES of a TUSZ label's group; -1 for unknown (``seiz``) or background."""
    group = TYPE_GROUPS.get(label)
    return TYPE_CLASSES.index(group) if group else -1


def _referential(names: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        match = _REF.match(name.strip())
        out[(match.group(1) if match else name).upper()] = i
    return out


def _bipolar(
    data: np.ndarray, names: tuple[str, ...], channels: list[str]
) -> tuple[np.ndarray, list[str]]:
    index = _referential(names)
    rows, kept = [], []
    for channel in channels:
        a, _, b = channel.upper().partition("-")
        if a in index and b in index:
            rows.append(data[index[a]] - data[index[b]])
            kept.append(channel)
        else:
            log.warning("TUSZ channel %s cannot be derived from this recording", channel)
    return np.asarray(rows, dtype=np.float32), kept


def tusz_windows(edf_path: Path, *, window_s: int = 60) -> list[Window]:
    """Windows of one TUSZ recording with per-channel labels (``.csv``) or global (``.csv_bi``)."""
    data, sfreq, names, _ = read_edf(edf_path)
    n_sec = int(data.shape[1] / sfreq + 1e-6)
    per_channel = edf_path.with_suffix(".csv")
    if per_channel.is_file():
        events = [e for e in read_events(per_channel) if e.channel != "TERM"]
        channels = list(dict.fromkeys(e.channel for e in events))
        data, channels = _bipolar(data, names, channels)
        names = tuple(channels)
        chan_lab = (
            np.stack(
                [
                    seconds_labels(
                        n_sec,
                        [(e.start, e.stop) for e in events if e.channel == c and e.is_seizure],
                    )
                    for c in channels
                ]
            )
            if channels
            else None
        )
    else:
        events = read_events(edf_path.with_suffix(".csv_bi"))
        chan_lab = None
    seizures = [e for e in events if e.is_seizure]
    types = np.full(n_sec, -1, dtype=np.int8)
    for e in seizures:
        types[max(0, int(e.start)) : min(n_sec, int(np.ceil(e.stop)))] = type_index(e.label)
    return cut_windows(
        data,
        sfreq,
        names,
        [(e.start, e.stop) for e in seizures],
        window_s=window_s,
        dataset="tusz",
        subject=edf_path.name.split("_")[0],
        types=types,
        channel_labels=chan_lab,
    )

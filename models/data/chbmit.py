"""CHB-MIT (Shoeb 2009, PhysioNet): seizure times from a subject's ``chbNN-summary.txt``.

The summary lists, per EDF file, ``Seizure [n ]Start Time: <s> seconds`` / ``End Time``.
Times are relative to the start of that file. Subject = folder (``chb05``), so splits by
folder are patient-wise (except chb01/chb21, the same girl recorded twice).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from models.data.edf import cut_windows, read_edf
from models.data.window import Window

log = logging.getLogger(__name__)

_FILE = re.compile(r"^File Name:\s*(\S+)", re.IGNORECASE)
_START = re.compile(r"^Seizure(?:\s+\d+)?\s+Start Time:\s*([\d.]+)", re.IGNORECASE)
_END = re.compile(r"^Seizure(?:\s+\d+)?\s+End Time:\s*([\d.]+)", re.IGNORECASE)


def parse_summary(text: str) -> dict[str, list[tuple[float, float]]]:
    """``{file name: [(start_s, end_s), ...]}`` for every file listed (empty list: none)."""
    out: dict[str, list[tuple[float, float]]] = {}
    current: str | None = None
    start: float | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if match := _FILE.match(line):
            current = match.group(1)
            out[current] = []
        elif (match := _START.match(line)) and current is not None:
            start = float(match.group(1))
        elif (match := _END.match(line)) and current is not None and start is not None:
            out[current].append((start, float(match.group(1))))
            start = None
    return out


def chbmit_windows(folder: Path, *, window_s: int = 60) -> list[Window]:
    """Windows of every EDF in a subject folder that the summary lists."""
    summaries = sorted(folder.glob("*-summary.txt"))
    if not summaries:
        log.warning("no CHB-MIT summary in %s; skipping", folder)
        return []
    seizures = parse_summary(summaries[0].read_text(encoding="utf-8", errors="replace"))
    out: list[Window] = []
    for name, intervals in sorted(seizures.items()):
        path = folder / name
        if not path.is_file():
            continue
        data, sfreq, names, _ = read_edf(path)
        duration = data.shape[1] / sfreq
        clipped = [(s, min(e, duration)) for s, e in intervals if s < duration]
        out += cut_windows(
            data, sfreq, names, clipped, window_s=window_s, dataset="chbmit", subject=folder.name
        )
    return out

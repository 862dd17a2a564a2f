"""Siena Scalp EEG (Detti 2020, PhysioNet): seizure times from ``Seizures-list-PNxx.txt``.

The list gives clock times (``hh.mm.ss``) for the registration start/end and each seizure's
start/end; onsets relative to the file are clock differences (wrapping past midnight). The
original lists contain typos: PN00's seizure 3 ends at 19.29.29 while its registration ends
at 18.57.13. A seizure end after the registration end is repaired by removing whole hours
while it stays after the seizure start (an hour-digit typo: 19.29.29 -> 18.29.29), else it is
clipped to the registration end; either repair is logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from models.data.edf import cut_windows, read_edf
from models.data.window import Window

log = logging.getLogger(__name__)

_DAY = 24 * 3600
_CLOCK = r"(\d{1,2})[.:](\d{2})[.:](\d{2})"
_FILE = re.compile(r"File name:\s*(\S+)", re.IGNORECASE)
_REG_START = re.compile(r"Registration start time:\s*" + _CLOCK, re.IGNORECASE)
_REG_END = re.compile(r"Registration end time:\s*" + _CLOCK, re.IGNORECASE)
_SZ_START = re.compile(r"(?<!Registration )\b(?:Seizure )?start time:\s*" + _CLOCK, re.IGNORECASE)
_SZ_END = re.compile(r"(?<!Registration )\b(?:Seizure )?end time:\s*" + _CLOCK, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SienaSeizure:
    file: str
    start_s: float  # seconds from the start of the file
    end_s: float


def _clock(match: re.Match[str]) -> int:
    h, m, s = (int(g) for g in match.groups())
    return h * 3600 + m * 60 + s


def _block_seizure(block: str) -> SienaSeizure | None:
    name = _FILE.search(block)
    reg_start = _REG_START.search(block)
    starts = [m for m in _SZ_START.finditer(block) if "registration" not in _before(block, m)]
    ends = [m for m in _SZ_END.finditer(block) if "registration" not in _before(block, m)]
    if not (name and reg_start and starts and ends):
        return None
    origin = _clock(reg_start)
    start = (_clock(starts[0]) - origin) % _DAY
    end = (_clock(ends[0]) - origin) % _DAY
    reg_end = _REG_END.search(block)
    length = (_clock(reg_end) - origin) % _DAY if reg_end else None
    if length is not None and end > length:
        fixed = end
        while fixed - 3600 > start:
            fixed -= 3600
            if fixed <= length:
                break
        end = fixed if fixed <= length else length
        log.warning("%s: seizure end after registration end; repaired to %ds", name.group(1), end)
    return SienaSeizure(name.group(1), float(start), float(end))


def _before(text: str, match: re.Match[str]) -> str:
    line_start = text.rfind("\n", 0, match.start()) + 1
    return text[line_start : match.start()].lower()


def parse_seizure_list(text: str) -> list[SienaSeizure]:
    """All seizures of a ``Seizures-list-*.txt`` (blocks start at ``Seizure n``)."""
    blocks = re.split(r"\n\s*Seizure n\s*\d+", "\n" + text, flags=re.IGNORECASE)[1:]
    return [s for s in (_block_seizure(b) for b in blocks) if s is not None]


def siena_windows(folder: Path, *, window_s: int = 60) -> list[Window]:
    """Windows of every EDF in a subject folder (``PN00``) with its seizures labelled."""
    lists = sorted(folder.glob("Seizures-list-*.txt"))
    if not lists:
        log.warning("no Siena seizure list in %s; skipping", folder)
        return []
    seizures = parse_seizure_list(lists[0].read_text(encoding="utf-8", errors="replace"))
    out: list[Window] = []
    for path in sorted(folder.glob("*.edf")):
        data, sfreq, names, _ = read_edf(path)
        duration = data.shape[1] / sfreq
        intervals = [
            (s.start_s, min(s.end_s, duration))
            for s in seizures
            if s.file == path.name and s.start_s < duration
        ]
        out += cut_windows(
            data, sfreq, names, intervals, window_s=window_s, dataset="siena", subject=folder.name
        )
    return out

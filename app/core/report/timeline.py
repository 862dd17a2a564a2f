"""Times as a report prints them: clock time of a point of the recording, durations, ticks.

A point of the recording is given in seconds of data from the first sample. Its clock
time is the recording start plus that, plus the clock time missing in every gap of an
EDF+D file before it. A recording without a start time (SPaRCNet segments) prints
elapsed time (``+0:17:35``) instead.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol


class GapLike(Protocol):
    @property
    def onset(self) -> float: ...
    @property
    def duration(self) -> float: ...


def clock_at(start: datetime | None, t_s: float, gaps: Sequence[GapLike] = ()) -> datetime | None:
    """Wall-clock time of data time ``t_s`` (None when the recording has no start)."""
    if start is None:
        return None
    missing = sum(g.duration for g in gaps if g.onset <= t_s)
    return start + timedelta(seconds=t_s + missing)


def hms(seconds: float) -> str:
    """Elapsed time ``H:MM:SS``."""
    if not math.isfinite(seconds):
        return "?"
    whole = round(abs(seconds))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{'-' if seconds < 0 else ''}{h}:{m:02d}:{s:02d}"


def clock_text(start: datetime | None, t_s: float, gaps: Sequence[GapLike] = ()) -> str:
    """``22:17:35`` (``06:08:52 (day 2)`` past midnight), or ``+0:17:35`` without a start."""
    when = clock_at(start, t_s, gaps)
    if when is None or start is None:
        return f"+{hms(t_s)}"
    days = (when.date() - start.date()).days
    return when.strftime("%H:%M:%S") + (f" (day {days + 1})" if days else "")


def duration_text(seconds: float) -> str:
    """``45 s``, ``1 min 37 s``, ``2 h 05 min``: how long, as a clinician says it."""
    if not math.isfinite(seconds):
        return "?"
    whole = round(seconds)
    if whole < 60:
        return f"{seconds:.0f} s"
    if whole < 3600:
        m, s = divmod(whole, 60)
        return f"{m} min {s:02d} s"
    h, rest = divmod(whole, 3600)
    return f"{h} h {rest // 60:02d} min"


#: Candidate spacings of time-axis ticks, seconds.
_STEPS = (1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600)


def time_ticks(
    start: datetime | None, duration_s: float, max_ticks: int = 12
) -> tuple[tuple[float, str], ...]:
    """Ticks (data seconds, label) at round clock times (or round elapsed times)."""
    if duration_s <= 0:
        return ()
    step = next((s for s in _STEPS if duration_s / s <= max_ticks), _STEPS[-1])
    offset = 0.0
    if start is not None:
        of_day = start.hour * 3600 + start.minute * 60 + start.second + start.microsecond / 1e6
        offset = (-of_day) % step
    ticks = []
    t = offset
    while t <= duration_s + 1e-9:
        if start is not None:
            when = start + timedelta(seconds=t)
            label = when.strftime("%H:%M" if step >= 60 else "%H:%M:%S")
        else:
            label = hms(t) if step < 60 else hms(t)[:-3]
        ticks.append((t, label))
        t += step
    return tuple(ticks)


def hour_bins(start: datetime | None, duration_s: float) -> tuple[tuple[float, float, str], ...]:
    """Clock hours covering the recording: (from_s, to_s, label), clipped to the recording."""
    offset = 0.0
    if start is not None:
        of_hour = start.minute * 60 + start.second + start.microsecond / 1e6
        offset = (3600.0 - of_hour) % 3600.0
    edges = [0.0]
    t = offset if offset > 0 else 3600.0
    while t < duration_s - 1e-9:
        edges.append(t)
        t += 3600.0
    edges.append(duration_s)
    bins = []
    for lo, hi in itertools.pairwise(edges):
        if start is not None:
            label = (start + timedelta(seconds=lo)).strftime("%H:00")
        else:
            label = f"{int(lo // 3600)} h"
        bins.append((lo, hi, label))
    return tuple(bins)

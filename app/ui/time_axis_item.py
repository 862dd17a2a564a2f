"""The time axis under the traces: clock time over elapsed time, one label per step.

The view's x coordinate is seconds from the first sample. Reviewers talk in clock time
("the event at 03:12:40") and in elapsed time ("2 h 41 min into the recording"), so each
label shows both; with no start time in the file only elapsed time is shown.
"""

from __future__ import annotations

import datetime as dt
import math

import pyqtgraph as pg

#: Label steps (seconds) the axis may use; the smallest that leaves room for the text.
LABEL_STEPS_S = (1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
MIN_LABEL_SPACING_PX = 84.0


def format_elapsed(seconds: float) -> str:
    """``h:mm:ss`` from the recording start (fractions shown only when not whole)."""
    sign = "-" if seconds < 0 else ""
    whole = math.floor(abs(seconds) + 1e-6)
    frac = abs(seconds) - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return text + f"{frac:.1f}"[1:] if frac > 0.05 else text


def format_clock(start: dt.datetime | None, seconds: float) -> str:
    if start is None:
        return ""
    return (start + dt.timedelta(seconds=seconds)).strftime("%H:%M:%S")


def label_step(span_s: float, width_px: float) -> float:
    """The label spacing for a page of ``span_s`` seconds drawn ``width_px`` wide."""
    if span_s <= 0 or width_px <= 0:
        return LABEL_STEPS_S[0]
    px_per_s = width_px / span_s
    for step in LABEL_STEPS_S:
        if step * px_per_s >= MIN_LABEL_SPACING_PX:
            return step
    return LABEL_STEPS_S[-1]


class TimeAxisItem(pg.AxisItem):  # type: ignore[misc]
    """Bottom axis: ``HH:MM:SS`` clock time above ``h:mm:ss`` elapsed time."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom")
        self._start: dt.datetime | None = None
        self.setPen(pg.mkPen("k"))
        self.setTextPen(pg.mkPen("k"))
        self.setStyle(tickLength=-6, tickTextOffset=3, autoExpandTextSpace=False)
        self.setHeight(36)

    def set_start_time(self, start: dt.datetime | None) -> None:
        """The clock time of x = 0 (None when the file does not say)."""
        self._start = start
        self.setHeight(36 if start is not None else 22)
        self.picture = None
        self.update()

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        step = label_step(maxVal - minVal, size)
        first = math.ceil(minVal / step - 1e-9) * step
        ticks = [first + i * step for i in range(int((maxVal - first) / step + 1e-9) + 1)]
        return [(step, ticks)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            clock = format_clock(self._start, v)
            out.append(f"{clock}\n{format_elapsed(v)}" if clock else format_elapsed(v))
        return out

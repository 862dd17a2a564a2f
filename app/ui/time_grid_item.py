"""Vertical time grid behind the traces: a line every second, fainter lines every 0.2 s.

Like EEG paper: reviewers count frequencies by the 1-s lines. The 0.2-s lines appear
only when they are at least 8 pixels apart. Two curve items drawn as line segment pairs,
updated once per page.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

SECOND_PEN = (185, 185, 185)
FIFTH_PEN = (228, 228, 228)
MIN_FIFTH_SPACING_PX = 8.0


def grid_times(start_s: float, end_s: float, step_s: float) -> np.ndarray:
    """Multiples of ``step_s`` in [start_s, end_s]."""
    first = math.ceil(start_s / step_s - 1e-9)
    last = math.floor(end_s / step_s + 1e-9)
    return np.arange(first, last + 1, dtype=np.float64) * step_s


def _segments(times: np.ndarray, top: float, bottom: float) -> tuple[np.ndarray, np.ndarray]:
    x = np.repeat(times, 2)
    y = np.tile(np.array([top, bottom], dtype=np.float64), len(times))
    return x, y


class TimeGridItem:
    """Owns the two grid curves; add :attr:`items` to the view box once."""

    def __init__(self) -> None:
        self.seconds = pg.PlotCurveItem(pen=pg.mkPen(SECOND_PEN, width=1), antialias=False)
        self.fifths = pg.PlotCurveItem(pen=pg.mkPen(FIFTH_PEN, width=1), antialias=False)
        for item in self.items:
            item.setZValue(-10)

    @property
    def items(self) -> tuple[pg.PlotCurveItem, pg.PlotCurveItem]:
        return (self.fifths, self.seconds)

    def update(self, start_s: float, end_s: float, height: float, width_px: float) -> None:
        """Redraw for the page [start_s, end_s] over a view ``height`` tall."""
        x, y = _segments(grid_times(start_s, end_s, 1.0), 0.0, height)
        self.seconds.setData(x, y, connect="pairs", skipFiniteCheck=True)
        span = max(end_s - start_s, 1e-9)
        if width_px * 0.2 / span >= MIN_FIFTH_SPACING_PX:
            fifths = grid_times(start_s, end_s, 0.2)
            fifths = fifths[np.abs(fifths - np.round(fifths)) > 1e-6]
            x, y = _segments(fifths, 0.0, height)
            self.fifths.setData(x, y, connect="pairs", skipFiniteCheck=True)
        else:
            self.fifths.setData([], [])

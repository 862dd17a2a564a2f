"""The seizure probability of the page, in a strip under the traces.

Same time axis as the traces (its left edge lines up with theirs): the model's
probability of each second as a filled step curve, the event threshold as a dashed
line, the detected events shaded in their review colour, and seconds the analysis has
not reached yet greyed with "analysing…". It draws the arrays it is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from app.ui.overview_bar import EVENT_COLOURS

HEIGHT_PX = 64
CURVE = QColor(120, 0, 20)
FILL = QColor(230, 60, 30, 90)
THRESHOLD = pg.mkPen(QColor(200, 0, 0), width=1, style=Qt.PenStyle.DashLine)
PENDING = QColor(200, 200, 200, 110)


class ProbabilityStrip(pg.PlotWidget):  # type: ignore[misc]
    """Seizure probability 0-1 of the seconds on the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setObjectName("probabilityStrip")
        self.setFixedHeight(HEIGHT_PX)
        item = self.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.layout.setContentsMargins(0, 2, 8, 2)
        item.hideAxis("bottom")
        axis = item.getAxis("left")
        axis.setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")], []])
        axis.setLabel(self.tr("Seizure p"), **{"font-size": "8pt"})
        self.view_box = item.getViewBox()
        self.view_box.setMouseEnabled(x=False, y=False)
        self.view_box.disableAutoRange()
        self.view_box.setYRange(0.0, 1.05, padding=0.0)
        self.curve = pg.PlotDataItem(
            pen=pg.mkPen(CURVE, width=1), fillLevel=0.0, fillBrush=FILL, stepMode="center"
        )
        self.events = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=None, brushes=[])
        self.pending = pg.LinearRegionItem(movable=False, brush=PENDING, pen=pg.mkPen(None))
        self.pending_text = pg.TextItem(self.tr("analysing…"), color=(90, 90, 90), anchor=(0, 0))
        self.threshold = pg.InfiniteLine(pos=0.5, angle=0, movable=False, pen=THRESHOLD)
        for graphic in (self.events, self.pending, self.curve, self.threshold, self.pending_text):
            item.addItem(graphic, ignoreBounds=True)
        self.events.setZValue(-10)
        self.pending.setVisible(False)
        self.pending_text.setVisible(False)
        self._span = (0.0, 1.0)

    # --- drawing ------------------------------------------------------------------------
    def set_span(self, start_s: float, duration_s: float, axis_width: float) -> None:
        """Show ``[start_s, start_s + duration_s)`` with the traces' label column width."""
        self._span = (start_s, start_s + duration_s)
        self.getPlotItem().getAxis("left").setWidth(int(axis_width))
        self.view_box.setXRange(start_s, start_s + duration_s, padding=0.0)

    def show_probability(
        self,
        prob: npt.NDArray[np.float32] | None,
        done_s: int,
        threshold: float,
        events: Sequence[tuple[float, float, str]] = (),
    ) -> None:
        """The seconds of ``prob`` on the page (None: no analysis), threshold and events."""
        start, end = self._span
        self.threshold.setValue(threshold)
        self.threshold.setVisible(prob is not None)
        if prob is None:
            self.curve.setData([], [])
            self.pending.setVisible(False)
            self.pending_text.setVisible(False)
            self._set_events(())
            return
        lo = max(0, math.floor(start) - 1)
        hi = min(len(prob), math.ceil(end) + 1, max(done_s, 0))
        if hi > lo:
            values = np.nan_to_num(prob[lo:hi].astype(np.float64), nan=0.0)
            self.curve.setData(np.arange(lo, hi + 1, dtype=np.float64), values)
        else:
            self.curve.setData([], [])
        waiting = done_s < len(prob) and done_s < end
        self.pending.setVisible(waiting)
        self.pending_text.setVisible(waiting)
        if waiting:
            first = max(float(done_s), start)
            self.pending.setRegion((first, max(end, first)))
            self.pending_text.setPos(first, 1.05)
        self._set_events(events)

    def _set_events(self, events: Sequence[tuple[float, float, str]]) -> None:
        start, end = self._span
        shown = [e for e in events if e[0] < end and e[0] + e[1] > start]
        self.events.setOpts(
            x0=[e[0] for e in shown],
            x1=[e[0] + e[1] for e in shown],
            y0=[0.0] * len(shown),
            y1=[1.05] * len(shown),
            brushes=[_translucent(EVENT_COLOURS.get(e[2], QColor(0, 0, 0))) for e in shown],
        )

    def curve_values(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """What the curve shows: second edges and probabilities (tests)."""
        x, y = self.curve.getData()
        if x is None or y is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _translucent(colour: QColor) -> QColor:
    shade = QColor(colour)
    shade.setAlpha(45)
    return shade

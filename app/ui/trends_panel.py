"""A vertical stack of time-aligned rows over the whole recording (trends, events, analysis).

Every row is a pyqtgraph ``PlotItem`` whose x axis is seconds from the first sample,
linked to the others, so zooming (mouse wheel) or panning one row moves them all; a
double click shows the whole recording again. Each row carries the current-page cursor;
the top row shows the annotations (seizures as red bars, other events as ticks); the
bottom row carries the clock/elapsed time axis. A click emits ``jump_requested(seconds)``
and hovering shows the clock time and the value under the mouse.

Adding a row (e.g. the seizure probability strip of the analysis) is one call::

    plot = panel.add_row("seizure_prob", "Seizure\\nprob.", order=5, y_range=(0, 1))
    plot.addItem(pg.PlotDataItem(seconds, probability))
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor
from PySide6.QtWidgets import QToolTip, QWidget

from app.core.annotation import Annotation
from app.ui.overview_bar import is_seizure
from app.ui.time_axis_item import TimeAxisItem, format_clock, format_elapsed

#: Label steps of the whole-night axis (up to 6 h for a multi-day recording).
STEPS_S = (60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0)
MIN_SPACING_PX = 90.0
TITLE_WIDTH = 70
AXIS_WIDTH = 30
CURSOR = pg.mkPen(QColor(236, 0, 140), width=2)
SEIZURE = QColor(210, 20, 20, 200)
EVENT = QColor(70, 70, 70)
Describe = Callable[[float, float], str]


class TrendTimeAxis(TimeAxisItem):
    """The clock/elapsed axis with steps that suit hours rather than seconds."""

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        span = max(maxVal - minVal, 1e-9)
        step = next((s for s in STEPS_S if s * size / span >= MIN_SPACING_PX), STEPS_S[-1])
        first = math.ceil(minVal / step - 1e-9) * step
        return [(step, [first + i * step for i in range(int((maxVal - first) / step) + 1)])]


@dataclass(eq=False)
class _Row:
    key: str
    order: int
    title: pg.LabelItem
    plot: pg.PlotItem
    cursor: pg.InfiniteLine
    describe: Describe | None = None


class TrendsPanel(pg.GraphicsLayoutWidget):  # type: ignore[misc]
    """Time-aligned rows over the whole recording; click to jump."""

    jump_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setContentsMargins(2, 2, 6, 0)
        self.ci.setSpacing(1)
        self._rows: list[_Row] = []
        self._duration = 0.0
        self._start: dt.datetime | None = None
        self._page = (0.0, 0.0)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.scene().sigMouseMoved.connect(self._on_move)
        self._events = self.add_row("events", "", order=0, height=14, y_range=(0.0, 1.0))
        self._events.getAxis("left").setTicks([[], []])  # kept for the alignment of rows
        self._events.setMaximumHeight(16)
        self._ticks = pg.PlotDataItem(pen=pg.mkPen(EVENT, width=1), connect="pairs")
        self._seizures = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=None, brush=SEIZURE)
        self._events.addItem(self._ticks)
        self._events.addItem(self._seizures)

    # --- rows ---------------------------------------------------------------------------
    def add_row(
        self,
        key: str,
        title: str,
        *,
        order: int = 30,
        height: int = 34,
        y_range: tuple[float, float] = (0.0, 1.0),
        describe: Describe | None = None,
    ) -> pg.PlotItem:
        """Add (or replace) row ``key``; rows are stacked by ``order`` then by arrival."""
        self.remove_row(key)
        plot = pg.PlotItem(axisItems={"bottom": TrendTimeAxis()})
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMinimumHeight(height)
        plot.getAxis("left").setWidth(AXIS_WIDTH)
        vb = plot.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        vb.setYRange(*y_range, padding=0.0)
        vb.setLimits(yMin=y_range[0], yMax=y_range[1])
        cursor = pg.InfiniteLine(angle=90, movable=False, pen=CURSOR)
        cursor.setZValue(50)
        cursor.setValue(self._page[0] + self._page[1] / 2)
        plot.addItem(cursor, ignoreBounds=True)
        label = pg.LabelItem(title, size="8pt", justify="right")
        label.setMinimumWidth(TITLE_WIDTH)  # (a fixed width shrinks the whole layout)
        self._rows.append(_Row(key, order, label, plot, cursor, describe))
        self._rows.sort(key=lambda r: r.order)
        self._relayout()
        self._apply_time(plot)
        return plot

    def remove_row(self, key: str) -> None:
        row = self.row(key)
        if row is not None:
            self._rows.remove(row)
            self._relayout()

    def row(self, key: str) -> _Row | None:
        return next((r for r in self._rows if r.key == key), None)

    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self._rows)

    def plot(self, key: str) -> pg.PlotItem | None:
        row = self.row(key)
        return row.plot if row is not None else None

    def _relayout(self) -> None:
        self.ci.clear()
        first = self._rows[0].plot.getViewBox() if self._rows else None
        for i, row in enumerate(self._rows):
            self.ci.addItem(row.title, row=i, col=0)
            self.ci.addItem(row.plot, row=i, col=1)
            row.plot.showAxis("bottom", show=i == len(self._rows) - 1)
            vb = row.plot.getViewBox()
            vb.setXLink(None if vb is first else first)
            stretch = 0 if row.key == "events" else max(1, row.plot.minimumHeight() // 20)
            self.ci.layout.setRowStretchFactor(i, stretch)
        # Qt shrinks a top-level layout item to its maximum size while it holds only
        # fixed rows, and never grows it back: give it the view's area again.
        self.ci.setGeometry(self.range)

    # --- time ---------------------------------------------------------------------------
    def set_time(self, duration_s: float, start: dt.datetime | None) -> None:
        """The recording's length and clock start: every row shows 0..duration."""
        self._duration, self._start = max(0.0, duration_s), start
        for row in self._rows:
            self._apply_time(row.plot)
        self.show_all()

    def _apply_time(self, plot: pg.PlotItem) -> None:
        axis = plot.getAxis("bottom")
        if isinstance(axis, TrendTimeAxis):
            axis.set_start_time(self._start)
        limit = max(self._duration, 1.0)
        plot.getViewBox().setLimits(xMin=0.0, xMax=limit, minXRange=min(60.0, limit))
        plot.getViewBox().setXRange(0.0, limit, padding=0.0)

    def show_all(self) -> None:
        if self._rows:
            self._rows[0].plot.getViewBox().setXRange(0.0, max(self._duration, 1.0), padding=0.0)

    def set_page(self, start_s: float, page_s: float) -> None:
        """Move the cursor of every row to the page on screen."""
        self._page = (start_s, page_s)
        for row in self._rows:
            row.cursor.setValue(start_s + page_s / 2)

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Seizures as red bars, other annotations as ticks, in the events row."""
        seizures = [a for a in annotations if is_seizure(a.description)]
        others = np.array([a.onset for a in annotations if not is_seizure(a.description)])
        self._ticks.setData(np.repeat(others, 2), np.tile([0.15, 0.85], len(others)))
        minimum = self._duration / 2000.0  # a short seizure stays visible over a night
        x0 = np.array([a.onset for a in seizures])
        x1 = np.array([a.onset + max(a.duration, minimum) for a in seizures])
        self._seizures.setOpts(x0=x0, x1=x1, y0=np.zeros(len(x0)), y1=np.ones(len(x0)))

    # --- mouse --------------------------------------------------------------------------
    def _row_at(self, scene_pos: QPointF) -> tuple[_Row, float, float] | None:
        for row in self._rows:
            vb = row.plot.getViewBox()
            if vb.sceneBoundingRect().contains(scene_pos):
                point = vb.mapSceneToView(scene_pos)
                return row, float(point.x()), float(point.y())
        return None

    def _on_click(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        if event.double():  # type: ignore[attr-defined]
            self.show_all()
            return
        found = self._row_at(event.scenePos())  # type: ignore[attr-defined]
        if found is not None and self._duration > 0:
            self.jump_requested.emit(min(max(found[1], 0.0), self._duration))

    def hover_text(self, key: str, t_s: float, y: float) -> str:
        """The tooltip for time ``t_s`` and height ``y`` in row ``key``."""
        clock = format_clock(self._start, t_s)
        text = f"{clock}  ({format_elapsed(round(t_s))})" if clock else format_elapsed(round(t_s))
        row = self.row(key)
        detail = row.describe(t_s, y) if row is not None and row.describe is not None else ""
        return f"{text}\n{detail}" if detail else text

    def _on_move(self, scene_pos: QPointF) -> None:
        found = self._row_at(scene_pos)
        if found is None or not 0 <= found[1] <= self._duration:
            QToolTip.hideText()
            return
        row, t_s, y = found
        QToolTip.showText(QCursor.pos(), self.hover_text(row.key, t_s, y), self)

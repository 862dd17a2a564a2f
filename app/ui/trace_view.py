"""The traces: one reused curve per channel on white paper, calibrated in mm.

The view's x axis is seconds from the first sample (annotation overlays use the same
coordinates); its y axis is millimetres of screen from the top, so a trace at
sensitivity S µV/mm is its µV values scaled by 1/S around its baseline. Changing the
sensitivity changes only the curves' transforms; a new page only their data. Negative
is drawn upwards (the clinical EEG convention). The widget draws what it is given:
pages arrive decimated from the page worker.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QPaintEvent, QTransform
from PySide6.QtWidgets import QWidget

from app.core.calibration import Calibration
from app.core.viewport import Viewport
from app.ui.channel_label_item import ChannelLabelItem
from app.ui.time_axis_item import TimeAxisItem
from app.ui.time_grid_item import TimeGridItem
from app.ui.trace_layout import TraceLayout, layout_traces

if TYPE_CHECKING:
    from app.workers.page_job import Page

TRACE_PEN = pg.mkPen((0, 0, 0), width=1)
BAD_PEN = pg.mkPen((160, 160, 160), width=1)


class TraceView(pg.PlotWidget):  # type: ignore[misc]
    """Draws :class:`~app.workers.page_job.Page` objects for a :class:`Viewport`."""

    page_drawn = Signal(object)  # Page
    columns_changed = Signal(int)  # the trace area's new width in pixels
    cursor_moved = Signal(float, str, float, str)  # time s, label, value (nan: none), unit
    context_requested = Signal(str, QPointF)  # trace label, global position

    def __init__(self, viewport: Viewport, parent: QWidget | None = None) -> None:
        self.time_axis = TimeAxisItem()
        self.label_axis = ChannelLabelItem()
        super().__init__(
            parent, background="w", axisItems={"bottom": self.time_axis, "left": self.label_axis}
        )
        self.viewport_model = viewport
        self.calibration = Calibration()
        self.page: Page | None = None
        self.layout_mm = TraceLayout((), 0.0, 0.0)
        self._curves: list[pg.PlotCurveItem] = []
        self._shown: list[int] = []  # page trace index of each used curve
        self._columns = 0
        self._layout_done: tuple[object, ...] = ()
        self.paint_count = 0
        self._build_plot()

    def _build_plot(self) -> None:
        self.setObjectName("traceView")
        item = self.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.layout.setContentsMargins(0, 4, 8, 0)
        vb = self.view_box
        vb.invertY(True)
        vb.disableAutoRange()
        vb.setDefaultPadding(0.0)
        vb.setMouseEnabled(x=False, y=False)
        self.grid = TimeGridItem()
        for grid_item in self.grid.items:
            vb.addItem(grid_item, ignoreBounds=True)
        vb.sigResized.connect(self._on_resized)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    @property
    def view_box(self) -> pg.ViewBox:
        """The box annotation and trend overlays add their items to (x: s, y: mm)."""
        return self.getPlotItem().getViewBox()

    @property
    def columns(self) -> int:
        """Pixel columns of the trace area: the decimation target."""
        return max(64, int(self.view_box.width()))

    # --- drawing ------------------------------------------------------------------------
    def show_page(self, page: Page) -> None:
        """Draw a freshly loaded page (reusing the curve items)."""
        self.page = page
        self._update_layout()
        env = page.envelope
        for curve, trace in zip(self._curves, self._shown, strict=False):
            curve.setData(env.x, env.y[trace], skipFiniteCheck=True)
        self._update_x_range()
        self.page_drawn.emit(page)

    def refresh(self) -> None:
        """Re-lay out and re-scale after hiding traces, marking bad or a new sensitivity."""
        if self.page is not None:
            self.show_page(self.page)

    def _layout_key(self) -> tuple[object, ...]:
        """Everything the trace positions, scales and pens depend on (not the data)."""
        vm, page = self.viewport_model, self.page
        info = page.traces if page is not None else None
        return (
            info,
            vm.hidden,
            vm.bad,
            vm.sensitivity_uv_mm,
            vm.type_scale,
            self.view_box.height(),
            self.calibration,
        )

    def _update_layout(self) -> None:
        page, vm = self.page, self.viewport_model
        if page is None:
            return
        key = self._layout_key()
        if key == self._layout_done:
            return  # the usual page flip: same traces, same scales
        self._layout_done = key
        info = page.traces
        self._shown = [i for i, label in enumerate(info.labels) if label not in vm.hidden]
        while len(self._curves) < len(self._shown):
            curve = pg.PlotCurveItem(pen=TRACE_PEN, antialias=False, skipFiniteCheck=True)
            self.view_box.addItem(curve, ignoreBounds=True)
            self._curves.append(curve)
        height_mm = self.calibration.height_mm(max(1.0, self.view_box.height()))
        self.layout_mm = layout_traces([info.groups[i] for i in self._shown], height_mm)
        bad_labels = set()
        for k, curve in enumerate(self._curves):
            if k >= len(self._shown):
                curve.setVisible(False)
                continue
            trace = self._shown[k]
            is_bad = any(name in vm.bad for name in info.sources[trace])
            if is_bad:
                bad_labels.add(info.labels[trace])
            sensitivity = vm.sensitivity_for(info.types[trace])
            curve.setPen(BAD_PEN if is_bad else TRACE_PEN)
            curve.setTransform(QTransform.fromScale(1.0, 1.0 / sensitivity))
            curve.setPos(0.0, self.layout_mm.baselines[k])
            curve.setVisible(True)
        self.label_axis.set_channels(
            self.layout_mm.baselines,
            [info.labels[i] for i in self._shown],
            frozenset(bad_labels),
        )
        self.view_box.setYRange(0.0, height_mm, padding=0.0)

    def _update_x_range(self) -> None:
        if self.page is None:
            return
        start = self.page.request.start_s
        end = start + self.page.request.duration_s
        self.view_box.setXRange(start, end, padding=0.0)
        # Apply the new range now: pyqtgraph would do it while painting and then paint
        # the traces a second time.
        self.view_box.updateMatrix()
        self.grid.update(start, end, self.layout_mm.height_mm, self.view_box.width())

    def _on_resized(self) -> None:
        self._update_layout()
        self._update_x_range()
        columns = self.columns
        if columns != self._columns:
            self._columns = columns
            self.columns_changed.emit(columns)

    # --- reading back -------------------------------------------------------------------
    def shown_labels(self) -> tuple[str, ...]:
        if self.page is None:
            return ()
        return tuple(self.page.traces.labels[i] for i in self._shown)

    def curve_for(self, label: str) -> pg.PlotCurveItem | None:
        """The curve drawing trace ``label`` (tests and overlays)."""
        for curve, trace in zip(self._curves, self._shown, strict=False):
            if self.page is not None and self.page.traces.labels[trace] == label:
                return curve
        return None

    def trace_at(self, y_mm: float) -> int | None:
        """The page trace index whose baseline is nearest to ``y_mm``."""
        baselines = self.layout_mm.baselines
        if not baselines:
            return None
        k = min(range(len(baselines)), key=lambda j: abs(baselines[j] - y_mm))
        return self._shown[k]

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if self.page is None or not self.view_box.sceneBoundingRect().contains(scene_pos):
            return
        point = self.view_box.mapSceneToView(scene_pos)
        trace = self.trace_at(point.y())
        if trace is None:
            return
        value = self.page.value_at(trace, point.x())
        label, unit = self.page.traces.labels[trace], self.page.traces.units[trace]
        self.cursor_moved.emit(point.x(), label, math.nan if value is None else value, unit)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.paint_count += 1  # lets the benchmark wait for the pixels, not just the data

    def contextMenuEvent(self, event: object) -> None:
        pos = event.pos()  # type: ignore[attr-defined]
        scene_pos = self.mapToScene(pos)
        trace = self.trace_at(self.view_box.mapSceneToView(scene_pos).y())
        if self.page is not None and trace is not None:
            global_pos = QPointF(event.globalPos())  # type: ignore[attr-defined]
            self.context_requested.emit(self.page.traces.labels[trace], global_pos)

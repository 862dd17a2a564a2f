"""The traces: one reused curve per channel on white paper, calibrated in mm.

The view's x axis is seconds from the first sample (annotation overlays use the same
coordinates); its y axis is millimetres of screen from the top, so a trace at
sensitivity S µV/mm is its µV values scaled by 1/S around its baseline. Changing the
sensitivity changes only the curves' transforms; a new page only their data. Negative
is drawn upwards (the clinical EEG convention). The widget draws what it is given:
pages arrive decimated from the page worker.

Every channel label stays readable: traces never sit closer than a label's height. When
more traces are shown than fit (an SEEG implantation of 80-odd contacts), the view shows
a window of them and scrolls through the channels (scroll bar at the right, mouse
wheel) while paging in time stays where it is; ``channels_scrolled`` lets a second view
(the compare window's other pane) follow.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPaintEvent, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QScrollBar, QWidget

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
#: Pixels between two traces beyond the label's text height (labels never touch).
ROW_PAD_PX = 3.0
#: Traces one wheel notch scrolls.
WHEEL_ROWS = 3
#: Right margin of the plot without and with the channel scroll bar.
RIGHT_MARGIN_PX = 8


class TraceView(pg.PlotWidget):  # type: ignore[misc]
    """Draws :class:`~app.workers.page_job.Page` objects for a :class:`Viewport`."""

    page_drawn = Signal(object)  # Page
    columns_changed = Signal(int)  # the trace area's new width in pixels
    cursor_moved = Signal(float, str, float, str)  # time s, label, value (nan: none), unit
    channels_scrolled = Signal(float)  # the top of the shown window of traces, in mm
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
        self._top_mm = 0.0  # the top of the shown window of traces (scrolling channels)
        self._emitted_top = 0.0
        self.paint_count = 0
        self._build_plot()
        self._build_channel_bar()

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

    def _build_channel_bar(self) -> None:
        self.channel_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.channel_bar.setObjectName("channelScrollBar")
        self.channel_bar.setToolTip(self.tr("More channels: scroll (or use the mouse wheel)"))
        self.channel_bar.hide()
        self.channel_bar.valueChanged.connect(lambda v: self.set_channel_top(v / 10.0))

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
        height_mm = self._visible_mm()
        row_mm = self.calibration.height_mm(self.min_row_px)
        groups = [info.groups[i] for i in self._shown]
        self.layout_mm = layout_traces(groups, height_mm, min_spacing_mm=row_mm)
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
        self._show_window(height_mm)

    # --- scrolling through channels -----------------------------------------------------
    @property
    def min_row_px(self) -> float:
        """The closest two traces may sit: a channel label's height and a little air."""
        return QFontMetricsF(self.label_axis.font()).height() + ROW_PAD_PX

    @property
    def channel_top_mm(self) -> float:
        return self._top_mm

    @property
    def scrolls_channels(self) -> bool:
        """True when not every shown trace fits in the view (the scroll bar is shown)."""
        return self.layout_mm.height_mm > self._visible_mm() + 1e-6

    def _visible_mm(self) -> float:
        return self.calibration.height_mm(max(1.0, self.view_box.height()))

    def set_channel_top(self, top_mm: float) -> None:
        """Show the traces from ``top_mm`` down (clamped to the layout)."""
        self._top_mm = top_mm
        self._show_window(self._visible_mm())

    def scroll_channels(self, rows: float) -> None:
        """Move the window of traces by ``rows`` trace spacings (negative: up)."""
        self.set_channel_top(self._top_mm + rows * self.layout_mm.spacing_mm)

    def visible_labels(self) -> tuple[str, ...]:
        """Labels of the shown traces whose baseline is inside the view."""
        top, bottom = self._top_mm, self._top_mm + self._visible_mm()
        return tuple(
            label
            for label, y in zip(self.shown_labels(), self.layout_mm.baselines, strict=False)
            if top <= y <= bottom
        )

    def _show_window(self, visible_mm: float) -> None:
        """Show ``visible_mm`` of the layout from the (clamped) top; the bar follows."""
        overflow = max(0.0, self.layout_mm.height_mm - visible_mm)
        self._top_mm = min(max(0.0, self._top_mm), overflow)
        self.view_box.setYRange(self._top_mm, self._top_mm + visible_mm, padding=0.0)
        bar = self.channel_bar
        bar.blockSignals(True)
        bar.setRange(0, round(overflow * 10))  # tenths of a mm
        bar.setPageStep(max(1, round(visible_mm * 10)))
        bar.setSingleStep(max(1, round(self.layout_mm.spacing_mm * 10)))
        bar.setValue(round(self._top_mm * 10))
        bar.blockSignals(False)
        wanted = overflow > 0
        if bar.isHidden() == wanted:
            bar.setVisible(wanted)
            margin = RIGHT_MARGIN_PX + (bar.sizeHint().width() if wanted else 0)
            self.getPlotItem().layout.setContentsMargins(0, 4, margin, 0)
        self._place_channel_bar()
        if self._top_mm != self._emitted_top:
            self._emitted_top = self._top_mm
            self.channels_scrolled.emit(self._top_mm)

    def _place_channel_bar(self) -> None:
        rect = self.mapFromScene(self.view_box.sceneBoundingRect()).boundingRect()
        width = self.channel_bar.sizeHint().width()
        self.channel_bar.setGeometry(self.width() - width - 1, rect.top(), width, rect.height())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self.scrolls_channels:
            super().wheelEvent(event)
            return
        notches = event.angleDelta().y() / 120.0
        self.scroll_channels(-notches * WHEEL_ROWS)
        event.accept()

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        # pyqtgraph resizes while the view is being built and after it was closed
        if "channel_bar" in self.__dict__ and getattr(self, "plotItem", None) is not None:
            self._place_channel_bar()

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

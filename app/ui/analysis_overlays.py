"""The analysis drawn everywhere the reviewer looks, from one set of results.

One object keeps the views in step with the analysis controller's state (the results,
their events, the thresholds, the selected event): the probability strip under the
traces, the shaded events with their labels on the traces, the ECAM tint behind the
traces (toggle), the detections along the overview bar, and a whole-night seizure
probability row in the trends panel. Page overlays are redrawn on every drawn page;
the whole-night views when the results or events change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QBoxLayout

from app.ui.ecam_tint_item import EcamTintItem
from app.ui.event_region_item import EventRegionItem
from app.ui.events_table_model import Span, span_of
from app.ui.overview_bar import EVENT_COLOURS
from app.ui.probability_strip import ProbabilityStrip

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.core.events import Event, EventParams
    from app.ui.main_window import MainWindow

TREND_ROW = "seizure_prob"
TREND_PEN = pg.mkPen(QColor(150, 0, 20), width=1)
TREND_THRESHOLD = pg.mkPen(QColor(200, 0, 0), width=1, style=Qt.PenStyle.DashLine)


class AnalysisOverlays(QObject):
    """Draws one analysis state on the window's traces, strip, overview and trends."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.strip = ProbabilityStrip()
        body = window.centralWidget()
        column = body.layout() if body is not None else None
        assert isinstance(column, QBoxLayout)
        column.insertWidget(1, self.strip)  # under the traces, above the overview bar
        self.tint = EcamTintItem()
        window.trace_view.view_box.addItem(self.tint, ignoreBounds=True)
        self.items: list[EventRegionItem] = []
        self.tint_enabled = True
        self._analysis: Analysis | None = None
        self._events: tuple[Event, ...] = ()
        self._spans: dict[Span, Span] = {}
        self._threshold = 0.5
        self._selected: Span | None = None
        self._trend: tuple[pg.PlotDataItem, pg.InfiniteLine, pg.BarGraphItem] | None = None

    # --- state --------------------------------------------------------------------------
    def show(
        self,
        analysis: Analysis | None,
        events: Sequence[Event],
        params: EventParams,
        spans: Mapping[Span, Span],
        selected: Event | None,
    ) -> None:
        """New results or events: redraw everything."""
        self._analysis, self._events = analysis, tuple(events)
        self._spans, self._threshold = dict(spans), params.threshold
        self._selected = span_of(selected) if selected is not None else None
        self.window.overview.set_events(
            [(on, end - on, e.review) for e, (on, end) in self._spans_of(self._events)]
        )
        self._show_trend()
        self.redraw_page()

    def select(self, event: Event | None) -> None:
        """Highlight ``event`` on the traces (None: none)."""
        self._selected = span_of(event) if event is not None else None
        self.redraw_page()

    def set_tint_enabled(self, enabled: bool) -> None:
        self.tint_enabled = enabled
        self.tint.setVisible(enabled)
        self.redraw_page()

    def _span(self, event: Event) -> Span:
        return self._spans.get(span_of(event), span_of(event))

    def _spans_of(self, events: Sequence[Event]) -> list[tuple[Event, Span]]:
        return [(e, self._span(e)) for e in events]

    # --- the page -----------------------------------------------------------------------
    def redraw_page(self, *_: object) -> None:
        """Strip, events and tint of the page on screen."""
        view = self.window.trace_view
        page = view.page
        if page is None:
            return
        start, duration = page.request.start_s, page.request.duration_s
        width = view.getPlotItem().getAxis("left").width()
        self.strip.set_span(start, duration, width)
        a = self._analysis
        shown = [(on, end - on, e.review) for e, (on, end) in self._spans_of(self._events)]
        self.strip.show_probability(
            a.prob if a is not None else None, a.done_s if a is not None else 0, self._threshold,
            shown,
        )  # fmt: skip
        self._draw_events(start, start + duration)
        self._draw_tint(start, start + duration)

    def _draw_events(self, start: float, end: float) -> None:
        view = self.window.trace_view
        on_page = [(e, s) for e, s in self._spans_of(self._events) if s[0] < end and s[1] > start]
        while len(self.items) < len(on_page):
            item = EventRegionItem()
            item.add_to(view.view_box)
            self.items.append(item)
        height = view.layout_mm.height_mm
        for k, item in enumerate(self.items):
            visible = k < len(on_page)
            item.setVisible(visible)
            item.label.setVisible(visible)
            if visible:
                event, span = on_page[k]
                item.set_event(event, span, height, start)
                item.set_selected(span_of(event) == self._selected)

    def _draw_tint(self, start: float, end: float) -> None:
        from app.core.analysis import channel_view  # noqa: PLC0415 - numpy only

        view, a = self.window.trace_view, self._analysis
        if a is None or not self.tint_enabled:
            self.tint.clear()
            return
        labels = view.shown_labels()
        first, last = math.floor(start), math.ceil(end)
        values = channel_view(a, labels, first, last)
        layout = view.layout_mm
        half = layout.spacing_mm / 2.0
        tops = [b - half for b in layout.baselines]
        self.tint.set_rows(float(first), values, tops, [layout.spacing_mm] * len(tops))

    # --- the whole night ----------------------------------------------------------------
    def _show_trend(self) -> None:
        panel = self.window.trends_dock.panel
        a = self._analysis
        if a is None:
            if self._trend is not None:
                panel.remove_row(TREND_ROW)
                self._trend = None
            return
        if self._trend is None or panel.plot(TREND_ROW) is None:
            self._trend = self._add_trend_row()
        curve, threshold, bars = self._trend
        x = np.arange(a.n_seconds, dtype=np.float64) + 0.5
        curve.setData(x, a.prob.astype(np.float64), connect="finite")
        threshold.setValue(self._threshold)
        spans = [(s, e.review) for e, s in self._spans_of(self._events)]
        bars.setOpts(
            x0=[s[0] for s, _ in spans],
            x1=[s[1] for s, _ in spans],
            y0=[0.0] * len(spans),
            y1=[1.0] * len(spans),
            brushes=[_shade(EVENT_COLOURS.get(state, QColor(0, 0, 0))) for _, state in spans],
        )

    def _add_trend_row(self) -> tuple[pg.PlotDataItem, pg.InfiniteLine, pg.BarGraphItem]:
        curve = pg.PlotDataItem(pen=TREND_PEN)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        threshold = pg.InfiniteLine(pos=0.5, angle=0, movable=False, pen=TREND_THRESHOLD)
        bars = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=None, brushes=[])

        def describe(t_s: float, _y: float) -> str:
            a = self._analysis
            i = int(t_s)
            if a is None or not 0 <= i < a.n_seconds or not np.isfinite(a.prob[i]):
                return ""
            return self.tr("Seizure probability %1").replace("%1", f"{float(a.prob[i]):.2f}")

        panel = self.window.trends_dock.panel
        title = self.tr("Seizure<br>prob.")
        plot = panel.add_row(TREND_ROW, title, order=15, height=26, describe=describe)
        plot.getAxis("left").setTicks([[(0.0, "0"), (1.0, "1")], []])
        for graphic in (bars, curve, threshold):
            plot.addItem(graphic)
        return curve, threshold, bars


def _shade(colour: QColor) -> QColor:
    shade = QColor(colour)
    shade.setAlpha(70)
    return shade

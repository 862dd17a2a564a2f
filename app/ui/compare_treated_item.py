"""Treated (coagulated) contacts on the traces: a light orange band behind their traces.

A trace is marked when any channel it is derived from is treated (``B'2`` itself, and
``B'1-B'2``/``B'2-B'3`` in the shaft-bipolar montage); its label turns bold orange. The
item lives in a trace view's view box (x: seconds, y: mm) below the curves and follows
each drawn page, so the main window can use it too:
``TreatedBandsItem.attach(window.trace_view)`` and ``set_treated``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from app.core.compare.matching import match_key

if TYPE_CHECKING:
    from app.ui.trace_view import TraceView

BAND = QColor(255, 190, 110, 90)


class TreatedBandsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Bands (view coordinates) behind the traces of treated contacts."""

    def __init__(self, view: TraceView) -> None:
        super().__init__()
        self._view = view
        self._treated: frozenset[str] = frozenset()
        self._rects: list[QRectF] = []
        self.setZValue(-20)
        view.view_box.addItem(self, ignoreBounds=True)
        view.page_drawn.connect(lambda _page: self.update_bands())

    @classmethod
    def attach(cls, view: TraceView) -> TreatedBandsItem:
        return cls(view)

    @property
    def marked_labels(self) -> tuple[str, ...]:
        """Trace labels currently marked (tests, status)."""
        return tuple(self._labels())

    def set_treated(self, names: Iterable[str]) -> None:
        self._treated = frozenset(match_key(n) for n in names)
        self.update_bands()

    def _labels(self) -> list[str]:
        page = self._view.page
        if page is None or not self._treated:
            return []
        info = page.traces
        shown = set(self._view.shown_labels())
        return [
            label
            for label, sources in zip(info.labels, info.sources, strict=True)
            if label in shown and any(match_key(s) in self._treated for s in (label, *sources))
        ]

    def update_bands(self) -> None:
        self.prepareGeometryChange()
        self._rects = []
        page = self._view.page
        if page is not None:
            layout = self._view.layout_mm
            shown = self._view.shown_labels()
            x0, width = page.request.start_s, page.request.duration_s
            for label in self._labels():
                y = layout.baselines[shown.index(label)]
                half = 0.5 * layout.spacing_mm
                self._rects.append(QRectF(x0, y - half, width, 2 * half))
        self._view.label_axis.set_highlighted(frozenset(self._labels()))
        self.update()

    def boundingRect(self) -> QRectF:
        rect = QRectF()
        for r in self._rects:
            rect = rect.united(r)
        return rect

    def paint(self, painter: QPainter, *_: object) -> None:
        for r in self._rects:
            painter.fillRect(r, BAND)

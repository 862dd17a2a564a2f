"""A widget that draws one comparison figure with the report's drawing code.

The figure is painted through a :class:`~app.ui.report.canvas.Canvas` on the widget, the
same code that draws it in the PDF, so the window and the PDF always agree.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.report.canvas import GREY, Canvas

Drawer = Callable[[Canvas, QRectF], None]


class FigureWidget(QWidget):
    """Paints ``drawer(canvas, rect)``; shows ``placeholder`` while there is none."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drawer: Drawer | None = None
        self.placeholder = placeholder
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(160)
        self.setAutoFillBackground(True)
        self.setStyleSheet("background: white;")

    @property
    def has_figure(self) -> bool:
        return self._drawer is not None

    def set_drawer(self, drawer: Drawer | None, placeholder: str | None = None) -> None:
        self._drawer = drawer
        if placeholder is not None:
            self.placeholder = placeholder
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        canvas = Canvas(self)
        try:
            canvas.begin(painter)
            margin = canvas.mm(3)
            rect = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
            if self._drawer is None:
                canvas.text(rect, self.placeholder, "body", colour=GREY)
            else:
                self._drawer(canvas, rect)
        finally:
            canvas.end()
            painter.end()

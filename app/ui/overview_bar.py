"""The whole recording as one bar: where the page is, where the annotations are.

A night is 24 h; a page is 10 s. The bar under the traces shows the shown page as a
dark window, every annotation as a tick (seizures in red), the analysis' detected
seizures as a strip along the bottom edge (coloured by review state), and a click
anywhere centres the page on that moment. Painted directly (no plotting library needed
for a bar).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.core.annotation import Annotation

SEIZURE_WORDS = ("seiz", "sz", "ictal", "crise", "anfall")
_BACKGROUND = QColor(238, 238, 238)
_PAGE = QColor(60, 90, 160, 150)
_MARK = QColor(40, 110, 40)
_SEIZURE = QColor(200, 20, 20)
#: Detected seizures by review state (the report's colours: unreviewed orange...).
EVENT_COLOURS = {
    "unreviewed": QColor(230, 130, 0),
    "accepted": QColor(200, 30, 30),
    "rejected": QColor(150, 150, 150),
}


def is_seizure(description: str) -> bool:
    text = description.lower()
    return any(word in text for word in SEIZURE_WORDS)


class OverviewBar(QWidget):
    """Click-to-jump bar over the whole recording; emits the clicked time in seconds."""

    jump_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._duration = 0.0
        self._start = 0.0
        self._page = 0.0
        self._marks: tuple[tuple[float, float, bool], ...] = ()
        self._events: tuple[tuple[float, float, str], ...] = ()
        self._marks_pixmap: QPixmap | None = None
        self.setObjectName("overviewBar")
        self.setMinimumHeight(22)
        self.setMaximumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Whole recording: click to jump"))

    def set_recording(self, duration_s: float, annotations: Sequence[Annotation]) -> None:
        self._duration = max(0.0, duration_s)
        self._marks = tuple((a.onset, a.duration, is_seizure(a.description)) for a in annotations)
        self._marks_pixmap = None
        self.update()

    def set_page(self, start_s: float, page_s: float) -> None:
        self._start, self._page = start_s, page_s
        self.update()

    def set_events(self, events: Sequence[tuple[float, float, str]]) -> None:
        """Detected seizures as ``(onset_s, duration_s, review_state)``."""
        events = tuple(events)
        if events != self._events:
            self._events = events
            self._marks_pixmap = None
            self.update()

    def time_at(self, x: float) -> float:
        """The recording time under horizontal widget position ``x``."""
        width = max(1, self.width())
        return min(self._duration, max(0.0, x / width * self._duration))

    def _x(self, t: float) -> float:
        return 0.0 if self._duration <= 0 else t / self._duration * self.width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._marks_pixmap is None or self._marks_pixmap.size() != self.size():
            self._marks_pixmap = self._render_marks()
        painter.drawPixmap(0, 0, self._marks_pixmap)
        h = float(self.height())
        x0 = self._x(self._start)
        width = max(3.0, self._x(self._start + self._page) - x0)
        painter.fillRect(QRectF(x0, 0, width, h), _PAGE)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._marks_pixmap = None
        super().resizeEvent(event)

    def _render_marks(self) -> QPixmap:
        """Background and annotation marks, drawn once per recording and size.

        A night can hold thousands of annotations; marks falling on the same pixel column
        are drawn once (seizures over other marks).
        """
        pixmap = QPixmap(self.size())
        pixmap.fill(_BACKGROUND)
        painter = QPainter(pixmap)
        h = float(self.height())
        for seizure in (False, True):
            colour = _SEIZURE if seizure else _MARK
            painter.setPen(QPen(colour, 1))
            columns: set[int] = set()
            for onset, duration, is_sz in self._marks:
                if is_sz != seizure:
                    continue
                x0, x1 = self._x(onset), self._x(onset + duration)
                if x1 - x0 >= 2:
                    painter.fillRect(QRectF(x0, h * 0.25, x1 - x0, h * 0.5), colour)
                elif int(x0) not in columns:
                    columns.add(int(x0))
                    painter.drawLine(QPointF(x0, h * 0.2), QPointF(x0, h * 0.8))
        for onset, duration, state in self._events:
            x0 = self._x(onset)
            width = max(2.0, self._x(onset + duration) - x0)
            painter.fillRect(QRectF(x0, h * 0.8, width, h * 0.2), EVENT_COLOURS.get(state, _MARK))
        painter.setPen(QPen(QColor(150, 150, 150), 1))
        painter.drawRect(QRectF(0, 0, self.width() - 1, h - 1))
        painter.end()
        return pixmap

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._duration > 0:
            self.jump_requested.emit(self.time_at(event.position().x()))
            event.accept()
        else:
            super().mousePressEvent(event)

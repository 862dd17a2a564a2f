"""One detected seizure on the traces: a shaded span, an onset marker and its label.

The span covers the whole trace area (x: seconds, y: mm, as the trace view's box),
shaded in the colour of its review state (unreviewed orange, rejected grey) behind the
curves; an accepted one is not shaded again (its "Seizure (confirmed)" annotation band
is). The onset is a solid line, the end a dashed one. The label,
``Seizure 0.93 · focal, left temporal (ECAM onset)``, is a separate item above the
curves at the bottom of the trace area, next to the probability strip (at the page's
left edge when the seizure began before it; annotation labels keep the top).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from app.core.events import Event
from app.ui.overview_bar import EVENT_COLOURS

#: Shading by review state (accepted: the confirmation annotation shades it already).
FILL_ALPHA = {"unreviewed": 28, "rejected": 18, "accepted": 0}
SELECTED_EXTRA_ALPHA = 17
LABEL_FILL = (255, 255, 255, 215)
Z_SPAN = -10
Z_LABEL = 30


def event_text(event: Event) -> str:
    """``Seizure 0.93 · focal, left temporal (ECAM onset)``, and the review if there is one."""
    text = f"{event.label} ({event.type_source})"
    if event.review != "unreviewed":
        text += f" — {event.review}"
    return text


class EventRegionItem(pg.GraphicsObject):  # type: ignore[misc]
    """A detected seizure spanning ``[onset, end)`` over ``[0, height_mm]``."""

    def __init__(self) -> None:
        super().__init__()
        self.onset = 0.0
        self.end = 0.0
        self.height_mm = 1.0
        self.selected = False
        self.text = ""
        self._colour = QColor(EVENT_COLOURS["unreviewed"])
        self.state = "unreviewed"
        self.label = pg.TextItem("", anchor=(0, 1), fill=LABEL_FILL)
        self.label.setZValue(Z_LABEL)
        self.setZValue(Z_SPAN)

    def add_to(self, view_box: pg.ViewBox) -> None:
        view_box.addItem(self, ignoreBounds=True)
        view_box.addItem(self.label, ignoreBounds=True)

    def remove_from(self, view_box: pg.ViewBox) -> None:
        view_box.removeItem(self.label)
        view_box.removeItem(self)

    def set_event(
        self, event: Event, span: tuple[float, float], height_mm: float, page_start_s: float
    ) -> None:
        """Draw ``event`` over ``span`` (the reviewer's correction, else the detection)."""
        self.prepareGeometryChange()
        self.onset, self.end = span
        self.height_mm = max(height_mm, 1.0)
        self.state = event.review
        self._colour = QColor(EVENT_COLOURS.get(event.review, EVENT_COLOURS["unreviewed"]))
        text = event_text(event)
        if text != self.text:
            self.text = text
            self.label.setText(text, color=self._colour.darker(160))
        self.label.setPos(QPointF(max(self.onset, page_start_s), self.height_mm))
        self.update()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def boundingRect(self) -> QRectF:
        pad = 0.02 * max(self.end - self.onset, 1.0)
        return QRectF(self.onset - pad, 0.0, self.end - self.onset + 2 * pad, self.height_mm)

    def paint(self, painter: QPainter, *_: object) -> None:
        alpha = FILL_ALPHA.get(self.state, FILL_ALPHA["unreviewed"])
        if alpha:
            fill = QColor(self._colour)
            fill.setAlpha(alpha + (SELECTED_EXTRA_ALPHA if self.selected else 0))
            painter.fillRect(QRectF(self.onset, 0.0, self.end - self.onset, self.height_mm), fill)
        onset_pen = QPen(self._colour.darker(120), 3 if self.selected else 2)
        onset_pen.setCosmetic(True)
        painter.setPen(onset_pen)
        painter.drawLine(QPointF(self.onset, 0.0), QPointF(self.onset, self.height_mm))
        end_pen = QPen(self._colour, 1, Qt.PenStyle.DashLine)
        end_pen.setCosmetic(True)
        painter.setPen(end_pen)
        painter.drawLine(QPointF(self.end, 0.0), QPointF(self.end, self.height_mm))

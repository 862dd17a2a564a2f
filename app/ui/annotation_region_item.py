"""One annotation on the traces: a translucent band with its label, edges to drag.

The band spans the annotation's time (x, seconds) and either the whole trace area or
only the rows of its channels (y, mm). An instant marker (duration 0) is a line a few
pixels wide. Dragging an edge resizes, dragging the body moves; while dragging only
this item changes, and ``edit_finished`` reports the result once, on release, so one
drag is one undoable edit and one save.
"""

from __future__ import annotations

from enum import Enum

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

#: How close (pixels) to an edge the mouse must be to resize rather than move.
EDGE_PX = 5.0
SELECTION_COLOUR = QColor(70, 130, 220)
LABEL_FILL = (255, 255, 255, 190)
_KIND_COLOURS = (
    (("seiz", "sz", "ictal", "crise", "anfall"), QColor(220, 40, 40)),
    (("spike", "sharp", "pointe"), QColor(240, 140, 0)),
    (("artef", "artif", "movement", "electrode"), QColor(120, 120, 120)),
    (("sleep", "stage", "n1", "n2", "n3", "rem", "wake"), QColor(60, 90, 200)),
)
_OTHER = QColor(30, 150, 70)


def colour_for(label: str) -> QColor:
    """The colour of an annotation from its label (seizures red, spikes orange...)."""
    text = label.lower()
    for words, colour in _KIND_COLOURS:
        if any(word in text for word in words):
            return QColor(colour)
    return QColor(_OTHER)


class DragMode(Enum):
    MOVE = "move"
    LEFT = "left"
    RIGHT = "right"


class AnnotationRegionItem(pg.GraphicsObject):  # type: ignore[misc]
    """A drawn annotation (or, with ``annotation_id`` '', the pending drag selection)."""

    edit_finished = Signal(str, float, float)  # id, new onset s, new duration s
    clicked = Signal(str)
    double_clicked = Signal(str)

    def __init__(self, annotation_id: str = "") -> None:
        super().__init__()
        self.annotation_id = annotation_id
        self.onset = 0.0
        self.end = 0.0
        self.spans: list[tuple[float, float]] = [(0.0, 1.0)]  # y bands (mm), top to bottom
        self.selected = False
        self.editable = bool(annotation_id)
        self._colour = QColor(SELECTION_COLOUR)
        self._drag: tuple[DragMode, float, float, float] | None = None  # mode, x0, onset, end
        self._text = ""
        self._label = pg.TextItem("", anchor=(0, 0), fill=LABEL_FILL)
        self._label.setParentItem(self)
        self.setZValue(5)
        self.setAcceptHoverEvents(True)

    # --- state --------------------------------------------------------------------------
    def set_annotation(self, onset: float, duration: float, label: str) -> None:
        if self._drag is not None:
            return  # the reviewer is dragging this one; the model catches up on release
        self.prepareGeometryChange()
        self.onset, self.end = onset, onset + max(0.0, duration)
        self._colour = colour_for(label) if self.annotation_id else QColor(SELECTION_COLOUR)
        if label != self._text or self._label.color != self._colour.darker(170):
            self._text = label
            self._label.setText(label, color=self._colour.darker(170))
        self._place_label()
        self.update()

    def set_spans(self, spans: list[tuple[float, float]]) -> None:
        """The y bands (mm) to cover: the whole height, or the rows of its channels."""
        spans = spans or [(0.0, 1.0)]
        if spans != self.spans:
            self.prepareGeometryChange()
            self.spans = list(spans)
            self._place_label()
            self.update()

    @property
    def top(self) -> float:
        return self.spans[0][0]

    @property
    def bottom(self) -> float:
        return self.spans[-1][1]

    def hits(self, point: QPointF) -> bool:
        """True when ``point`` (view coordinates) is on this band or its edge margin."""
        margin = EDGE_PX * self._pixel()
        if not self.onset - margin <= point.x() <= self.end + margin:
            return False
        return any(top <= point.y() <= bottom for top, bottom in self.spans)

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def _place_label(self) -> None:
        self._label.setPos(QPointF(self.onset, self.top))

    @property
    def label(self) -> str:
        return self._text

    def set_label_visible(self, visible: bool) -> None:
        """Hide the text when another band already shows the same label at the same time."""
        self._label.setVisible(visible)

    # --- geometry and painting ----------------------------------------------------------
    def _pixel(self) -> float:
        length = self.pixelLength(pg.Point(1, 0))
        return float(length) if length else 0.0

    def boundingRect(self) -> QRectF:
        margin = EDGE_PX * self._pixel()
        return QRectF(
            self.onset - margin,
            self.top,
            self.end - self.onset + 2 * margin,
            self.bottom - self.top,
        )

    def shape(self) -> QPainterPath:
        margin = EDGE_PX * self._pixel()
        path = QPainterPath()
        for top, bottom in self.spans:
            path.addRect(
                QRectF(self.onset - margin, top, self.end - self.onset + 2 * margin, bottom - top)
            )
        return path

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *_: object) -> None:
        fill = QColor(self._colour)
        fill.setAlpha(70 if self.selected else 45)
        edge = QColor(self._colour)
        edge.setAlpha(230 if self.selected else 160)
        width = self.end - self.onset
        pen = QPen(edge, 3 if self.selected else (2 if width <= 0 else 1))
        pen.setCosmetic(True)
        if not self.annotation_id:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for top, bottom in self.spans:
            if width > 0:
                painter.fillRect(QRectF(self.onset, top, width, bottom - top), fill)
            for x in {self.onset, self.end}:
                painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    # --- mouse --------------------------------------------------------------------------
    def zone_at(self, x: float) -> DragMode:
        """Which part of the band is under ``x`` (s): an edge (resize) or the body (move)."""
        margin = EDGE_PX * self._pixel()
        if self.end - self.onset <= 2 * margin:  # narrow or an instant: right of it stretches
            return DragMode.RIGHT if x > self.end else DragMode.MOVE
        if abs(x - self.onset) <= margin:
            return DragMode.LEFT
        if abs(x - self.end) <= margin:
            return DragMode.RIGHT
        return DragMode.MOVE

    def hoverEvent(self, ev: object) -> None:
        if not self.editable or ev.isExit():  # type: ignore[attr-defined]
            self.unsetCursor()
            return
        ev.acceptDrags(Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        ev.acceptClicks(Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        zone = self.zone_at(ev.pos().x())  # type: ignore[attr-defined]
        shape = (
            Qt.CursorShape.OpenHandCursor if zone is DragMode.MOVE else Qt.CursorShape.SizeHorCursor
        )
        self.setCursor(shape)

    def mouseClickEvent(self, ev: object) -> None:
        if self.editable and ev.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.accept()  # type: ignore[attr-defined]
            self.clicked.emit(self.annotation_id)
            if ev.double():  # type: ignore[attr-defined]
                self.double_clicked.emit(self.annotation_id)

    def mouseDragEvent(self, ev: object) -> None:
        if not self.editable or ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.ignore()  # type: ignore[attr-defined]
            return
        ev.accept()  # type: ignore[attr-defined]
        x = ev.pos().x()  # type: ignore[attr-defined]
        if ev.isStart():  # type: ignore[attr-defined]
            x0 = ev.buttonDownPos().x()  # type: ignore[attr-defined]
            self._drag = (self.zone_at(x0), x0, self.onset, self.end)
        if self._drag is None:
            return
        self.drag_to(x)
        if ev.isFinish():  # type: ignore[attr-defined]
            self.finish_drag()

    def drag_to(self, x: float) -> None:
        """Preview the drag at ``x`` (s) without touching the model."""
        if self._drag is None:
            return
        mode, x0, onset, end = self._drag
        shift = x - x0
        self.prepareGeometryChange()
        if mode is DragMode.MOVE:
            self.onset, self.end = onset + shift, end + shift
        elif mode is DragMode.LEFT:
            self.onset = min(onset + shift, end)
        else:
            self.end = max(end + shift, onset)
        self._place_label()
        self.update()

    def start_drag(self, x: float) -> None:
        """Begin a drag grabbed at ``x`` (s) — what a mouse press does; for keyboard/tests."""
        self._drag = (self.zone_at(x), x, self.onset, self.end)

    def finish_drag(self) -> None:
        self._drag = None
        self.edit_finished.emit(self.annotation_id, self.onset, self.end - self.onset)

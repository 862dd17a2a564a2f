"""Making and changing annotations on the traces with the mouse and the keyboard.

The editor draws the annotations of the visible span as :class:`AnnotationRegionItem`
bands (reusing items as pages flip), turns a left-drag on the traces into a pending
selection (Shift+drag: only the rows dragged over, a channel-specific selection), and
turns preset keys, drags of edges and bodies and menu choices into undoable commands
on the :class:`~app.core.annotation_model.AnnotationModel`. It never saves: the
autosave follows the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QUndoStack

from app.core.annotation import Annotation
from app.core.annotation_model import REVIEWER_SOURCE, AnnotationModel
from app.ui.annotation_commands import (
    AddAnnotationCommand,
    EditAnnotationCommand,
    RemoveAnnotationCommand,
)
from app.ui.annotation_region_item import AnnotationRegionItem


@dataclass(frozen=True, slots=True)
class TraceRow:
    """One drawn trace: its label, the recording channels it is made of, its band (mm)."""

    label: str
    sources: tuple[str, ...]
    top: float
    bottom: float


def row_spans(channels: Sequence[str], rows: Sequence[TraceRow]) -> list[tuple[float, float]]:
    """The y bands (mm) of the rows showing ``channels``, neighbours merged.

    A row shows a channel when its label is that channel or the channel feeds it (``F7``
    lies on ``Fp1-F7`` and ``F7-T7`` in a bipolar montage). Case is ignored.
    """
    wanted = {c.casefold() for c in channels}
    spans: list[tuple[float, float]] = []
    for row in rows:
        names = {row.label.casefold(), *(s.casefold() for s in row.sources)}
        if not wanted & names:
            continue
        if spans and math.isclose(spans[-1][1], row.top, abs_tol=1e-6):
            spans[-1] = (spans[-1][0], row.bottom)
        else:
            spans.append((row.top, row.bottom))
    return spans


class _DragSurface(pg.GraphicsObject):  # type: ignore[misc]
    """Invisible item over the trace area that turns left-drags into a time selection."""

    def __init__(self, editor: AnnotationEditor) -> None:
        super().__init__()
        self._editor = editor
        self.setZValue(1)  # above the view box (which would take the drag), below bands

    def boundingRect(self) -> QRectF:
        box = self.getViewBox()
        return QRectF(box.viewRect()) if box is not None else QRectF()

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *_: object) -> None:
        return

    def mouseDragEvent(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.ignore()  # type: ignore[attr-defined]
            return
        ev.accept()  # type: ignore[attr-defined]
        down, here = ev.buttonDownPos(), ev.pos()  # type: ignore[attr-defined]
        by_rows = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
        self._editor.select_span(down.x(), here.x(), (down.y(), here.y()) if by_rows else None)

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            self._editor.clear_selection()
            self._editor.select(None)


class AnnotationEditor(QObject):
    """Draws and edits the annotations in ``view_box`` (x: s, y: mm from the top)."""

    selection_changed = Signal()
    relabel_requested = Signal(str)  # a band was double-clicked

    def __init__(
        self, view_box: pg.ViewBox, undo_stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.view_box = view_box
        self.undo_stack = undo_stack
        self.model: AnnotationModel | None = None
        self.rows: tuple[TraceRow, ...] = ()
        self.height_mm = 0.0
        self.duration_s = math.inf
        self.span = (0.0, 0.0)
        self.cursor_s: float | None = None
        self.selected_id: str | None = None
        self.pending: tuple[float, float, tuple[str, ...]] | None = None
        self.read_only = False  # until the session is loaded: shown, not editable
        self._items: dict[str, AnnotationRegionItem] = {}
        self._spare: list[AnnotationRegionItem] = []
        self._surface = _DragSurface(self)
        view_box.addItem(self._surface, ignoreBounds=True)
        self.selection_item = AnnotationRegionItem("")
        self.selection_item.setVisible(False)
        view_box.addItem(self.selection_item, ignoreBounds=True)

    # --- what is shown ------------------------------------------------------------------
    def set_model(self, model: AnnotationModel | None) -> None:
        if self.model is not None:
            self.model.changed.disconnect(self._on_changed)
        self.model = model
        self.selected_id, self.pending = None, None
        if model is not None:
            model.changed.connect(self._on_changed)
        self.selection_item.setVisible(False)
        self.refresh()

    def set_rows(self, rows: Sequence[TraceRow], height_mm: float) -> None:
        self.rows, self.height_mm = tuple(rows), height_mm
        self.refresh()

    def set_span(self, start_s: float, end_s: float) -> None:
        self.span = (start_s, end_s)
        self.refresh()

    def item(self, annotation_id: str) -> AnnotationRegionItem | None:
        """The band drawing ``annotation_id`` (None when off the page)."""
        return self._items.get(annotation_id)

    def items(self) -> dict[str, AnnotationRegionItem]:
        return dict(self._items)

    def refresh(self) -> None:
        """Bring the bands in line with the model, the page and the rows."""
        visible = self.model.in_span(*self.span) if self.model is not None else ()
        keep = {entry.id for entry in visible}
        for key in [k for k in self._items if k not in keep]:
            item = self._items.pop(key)
            item.setVisible(False)
            self._spare.append(item)
        labelled: set[tuple[float, str]] = set()
        for entry in visible:
            item = self._items.get(entry.id) or self._new_item(entry.id)
            item.set_annotation(entry.onset, entry.duration, entry.description)
            self._place(item, entry.channels)
            item.set_selected(entry.id == self.selected_id)
            item.editable = not self.read_only
            text = (entry.onset, entry.description)  # e.g. one seizure marked per channel
            item.set_label_visible(text not in labelled)
            labelled.add(text)
        self._show_pending()

    def _new_item(self, annotation_id: str) -> AnnotationRegionItem:
        if self._spare:
            item = self._spare.pop()
            item.annotation_id = annotation_id
        else:
            item = AnnotationRegionItem(annotation_id)
            item.edit_finished.connect(self._on_drag_finished)
            item.clicked.connect(self.select)
            item.double_clicked.connect(self.relabel_requested)
            self.view_box.addItem(item, ignoreBounds=True)
        item.setVisible(True)
        self._items[annotation_id] = item
        return item

    def _place(self, item: AnnotationRegionItem, channels: Sequence[str]) -> None:
        spans = row_spans(channels, self.rows) if channels else []
        item.set_spans(spans or [(0.0, self.height_mm)])

    def _show_pending(self) -> None:
        if self.pending is None:
            self.selection_item.setVisible(False)
            return
        start, end, channels = self.pending
        self.selection_item.set_annotation(start, end - start, ", ".join(channels))
        self._place(self.selection_item, channels)
        self.selection_item.setVisible(True)

    def _on_changed(self, _change: object) -> None:
        self.refresh()

    # --- selection ----------------------------------------------------------------------
    def select(self, annotation_id: str | None) -> None:
        """Highlight one annotation (the target of Delete and of the menu)."""
        self.selected_id = annotation_id
        for key, item in self._items.items():
            item.set_selected(key == annotation_id)
        self.selection_changed.emit()

    def select_span(self, t0: float, t1: float, y_range: tuple[float, float] | None = None) -> None:
        """A pending selection from ``t0`` to ``t1`` s (rows between ``y_range`` mm only)."""
        start, end = self._clamp(min(t0, t1)), self._clamp(max(t0, t1))
        channels: tuple[str, ...] = ()
        if y_range is not None:
            low, high = min(y_range), max(y_range)
            channels = tuple(r.label for r in self.rows if r.bottom >= low and r.top <= high)
        self.pending = (start, end, channels)
        self._show_pending()
        self.selection_changed.emit()

    def clear_selection(self) -> None:
        if self.pending is not None:
            self.pending = None
            self._show_pending()
            self.selection_changed.emit()

    def row_at(self, y_mm: float) -> TraceRow | None:
        return next((r for r in self.rows if r.top <= y_mm <= r.bottom), None)

    def item_at(self, point: QPointF) -> AnnotationRegionItem | None:
        """The topmost band under ``point`` (view coordinates), if any."""
        hits = [item for item in self._items.values() if item.isVisible() and item.hits(point)]
        return max(hits, key=lambda item: item.onset) if hits else None

    # --- edits (each one undoable) ------------------------------------------------------
    def create(self, label: str, duration_s: float = 0.0) -> str | None:
        """An annotation over the pending selection, or at the cursor lasting ``duration_s``."""
        if self.model is None or self.read_only or not label:
            return None
        if self.pending is not None:
            onset, end, channels = self.pending
        else:
            onset = self._clamp(self._cursor_time())
            end, channels = self._clamp(onset + duration_s), ()
        annotation = Annotation(onset, end - onset, label, channels, REVIEWER_SOURCE)
        command = AddAnnotationCommand(
            self.model, annotation, self.tr("Add “%1”").replace("%1", label)
        )
        self.undo_stack.push(command)
        self.clear_selection()
        self.select(command.annotation_id)
        return command.annotation_id

    def change(self, annotation_id: str, annotation: Annotation, text: str) -> None:
        if self.model is None or self.read_only:
            return
        if self.model.get(annotation_id).annotation == annotation:
            return
        self.undo_stack.push(EditAnnotationCommand(self.model, annotation_id, annotation, text))

    def relabel(self, annotation_id: str, label: str) -> None:
        if self.model is not None and label:
            old = self.model.get(annotation_id).annotation
            new = Annotation(old.onset, old.duration, label, old.channels, old.source)
            self.change(annotation_id, new, self.tr("Relabel “%1”").replace("%1", label))

    def set_channels(self, annotation_id: str, channels: Sequence[str]) -> None:
        if self.model is not None:
            old = self.model.get(annotation_id).annotation
            new = Annotation(old.onset, old.duration, old.description, tuple(channels), old.source)
            self.change(
                annotation_id,
                new,
                self.tr("Change channels of “%1”").replace("%1", old.description),
            )

    def move(self, annotation_id: str, onset: float, duration: float) -> None:
        """Move or resize (kept inside the recording: a move keeps the length)."""
        if self.model is None:
            return
        old = self.model.get(annotation_id).annotation
        duration = max(0.0, duration)
        if math.isclose(duration, old.duration, abs_tol=1e-9):
            start = min(max(0.0, onset), max(0.0, self.duration_s - duration))
            end = start + duration
        else:
            start, end = self._clamp(onset), self._clamp(onset + duration)
        new = Annotation(start, end - start, old.description, old.channels, old.source)
        self.change(annotation_id, new, self.tr("Move “%1”").replace("%1", old.description))
        self.refresh()  # a drag that changed nothing (or was clamped) snaps back

    def delete(self, annotation_id: str | None = None) -> None:
        key = annotation_id or self.selected_id
        if self.model is None or self.read_only or key is None or key not in self.model:
            return
        text = self.tr("Delete “%1”").replace("%1", self.model.get(key).description)
        self.undo_stack.push(RemoveAnnotationCommand(self.model, key, text))
        if key == self.selected_id:
            self.select(None)

    def _on_drag_finished(self, annotation_id: str, onset: float, duration: float) -> None:
        self.select(annotation_id)
        self.move(annotation_id, onset, duration)

    # --- helpers ------------------------------------------------------------------------
    def track_cursor(self, t_s: float | None) -> None:
        """Where the mouse is on the time axis (None: not over the traces)."""
        self.cursor_s = t_s

    def _cursor_time(self) -> float:
        if self.cursor_s is not None:
            return self.cursor_s
        return (self.span[0] + self.span[1]) / 2.0

    def _clamp(self, t_s: float) -> float:
        return min(max(0.0, t_s), self.duration_s)

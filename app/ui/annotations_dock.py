"""The annotation list: filter box, origin choice and a table; double-click jumps.

Shows what :class:`~app.ui.annotation_table_model.AnnotationTableModel` gives; emits
``jump_requested(onset_s, id)`` on double-click or Enter, ``annotation_selected(id)``
when a row is chosen and ``delete_requested(id)`` on Delete; the review wires those to
the viewport, the editor's selection and the undo stack.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.annotation_model import AnnotationModel
from app.core.session_schema import Origin
from app.ui.annotation_table_model import AnnotationTableModel
from app.ui.review_table import fit_columns_to_contents

_ORIGINS: tuple[Origin | None, ...] = (None, "reviewer", "file")


class AnnotationsDock(QDockWidget):
    """Dockable list of the recording's annotations."""

    jump_requested = Signal(float, str)  # onset s, annotation id
    delete_requested = Signal(str)
    annotation_selected = Signal(str)  # the row the reviewer selected in the table

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Annotations"), parent)
        self.setObjectName("annotationsDock")
        self.table_model = AnnotationTableModel()
        self._build()
        self._connect()

    def _build(self) -> None:
        body = QWidget(self)
        self.filter_box = QLineEdit(body)
        self.filter_box.setObjectName("annotationFilter")
        self.filter_box.setPlaceholderText(self.tr("Filter (label, channel, source)…"))
        self.filter_box.setClearButtonEnabled(True)
        self.origin_box = QComboBox(body)
        self.origin_box.addItems([self.tr("All"), self.tr("Reviewer"), self.tr("Recording")])
        self.table = QTableView(body)
        self.table.setObjectName("annotationTable")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        fit_columns_to_contents(self.table)
        self.table.installEventFilter(self)
        self.status = QLabel(body)
        self.status.setObjectName("annotationSaveStatus")
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.origin_box)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.status)
        self.setWidget(body)

    def _connect(self) -> None:
        self.filter_box.textChanged.connect(self._apply_filter)
        self.origin_box.currentIndexChanged.connect(self._apply_filter)
        self.table.doubleClicked.connect(self._jump_to)
        self.table.activated.connect(self._jump_to)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

    def set_model(self, model: AnnotationModel | None, start: dt.datetime | None) -> None:
        self.table_model.set_model(model, start)

    def show_saved(self, text: str) -> None:
        self.status.setText(text)

    def select_annotation(self, annotation_id: str | None) -> None:
        row = self.table_model.row_of(annotation_id) if annotation_id else None
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)

    def _apply_filter(self, *_: object) -> None:
        origin = _ORIGINS[max(0, self.origin_box.currentIndex())]
        self.table_model.set_filter(self.filter_box.text(), origin)

    def _jump_to(self, index: QModelIndex) -> None:
        if index.isValid():
            entry = self.table_model.entry(index.row())
            self.jump_requested.emit(entry.onset, entry.id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.annotation_selected.emit(self.table_model.entry(current.row()).id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            index = self.table.currentIndex()
            if index.isValid():
                self.delete_requested.emit(self.table_model.entry(index.row()).id)
                return True
        return super().eventFilter(watched, event)

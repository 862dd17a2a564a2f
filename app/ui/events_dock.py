"""The detections dock: the analysis' seizures, reviewed one by one.

Top: the thresholds (:class:`ThresholdsPanel`) and a one-line count. Middle: the events
table (onset clock time, onset, duration, confidence, type with its source, leading
channels, review state); a click selects and jumps, onset and duration can be corrected
in place. Bottom: previous/next, Accept (the event becomes the annotation "Seizure
(confirmed)" over its corrected span), Reject, and Leave (back to unreviewed). The dock
draws what it is given and reports what the reviewer asked; the analysis controller
decides what happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.events import Event, EventParams, ReviewState
from app.ui.events_table_model import EventsTableModel, Span, span_of
from app.ui.review_table import fit_columns_to_contents
from app.ui.thresholds_panel import ThresholdsPanel


class EventsDock(QDockWidget):
    """Detected seizures with their review; signals what the reviewer asks for."""

    event_selected = Signal(object)  # Event | None
    jump_requested = Signal(float)  # seconds: where the event starts
    review_requested = Signal(object, str)  # Event, ReviewState
    step_requested = Signal(int)  # +1 next event, -1 previous
    params_changed = Signal(object)  # EventParams

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Detections"))
        self.setObjectName("eventsDock")
        self.model = EventsTableModel()
        self._selected: Span | None = None
        self._build()
        self._connect()

    def _build(self) -> None:
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 2, 4, 2)
        self.thresholds = ThresholdsPanel(body)
        self.summary = QLabel(self.tr("No analysis"))
        self.summary.setWordWrap(True)
        self.table = QTableView(body)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        fit_columns_to_contents(self.table)
        buttons = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("◀"))
        self.next_button = QPushButton(self.tr("▶"))
        self.accept_button = QPushButton(self.tr("&Accept"))
        self.reject_button = QPushButton(self.tr("&Reject"))
        self.leave_button = QPushButton(self.tr("&Leave"))
        self.previous_button.setToolTip(self.tr("Previous detection ( [ )"))
        self.next_button.setToolTip(self.tr("Next detection ( ] )"))
        self.accept_button.setToolTip(self.tr("Confirm: annotate as “Seizure (confirmed)”"))
        self.reject_button.setToolTip(self.tr("Not a seizure"))
        self.leave_button.setToolTip(self.tr("Back to unreviewed"))
        for button in (
            self.previous_button,
            self.next_button,
            self.accept_button,
            self.reject_button,
            self.leave_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.previous_button, self.next_button):
            button.setMaximumWidth(36)
        self.table.setMinimumWidth(120)
        column.addWidget(self.thresholds)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self.setWidget(body)
        self._enable()

    def _connect(self) -> None:
        self.thresholds.params_changed.connect(self.params_changed)
        self.table.clicked.connect(self._on_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.previous_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.accept_button.clicked.connect(lambda: self._review("accepted"))
        self.reject_button.clicked.connect(lambda: self._review("rejected"))
        self.leave_button.clicked.connect(lambda: self._review("unreviewed"))

    # --- public -------------------------------------------------------------------------
    def set_events(
        self,
        events: Sequence[Event],
        start: dt.datetime | None,
        summary: str,
        edits: Mapping[Span, Span] | None = None,
    ) -> None:
        """Show ``events``; the selection stays on the same event when it is still there."""
        self.model.set_events(events, start, edits)
        self.table.setColumnHidden(EventsTableModel.CLOCK, start is None)  # no clock: elapsed
        self.summary.setText(summary)
        row = self.model.row_of(self._selected)
        if row is None:
            self._selected = None
        self._select_row(row)
        self._enable()

    def set_params(self, params: EventParams) -> None:
        self.thresholds.set_params(params)

    @property
    def selected(self) -> Event | None:
        row = self.model.row_of(self._selected)
        return self.model.event_at(row) if row is not None else None

    def select(self, event: Event | None) -> None:
        """Select ``event`` (None: nothing); emits ``event_selected`` when it changes."""
        key = span_of(event) if event is not None else None
        if key == self._selected:
            return
        self._selected = key
        self._select_row(self.model.row_of(key))
        self._enable()
        self.event_selected.emit(self.selected)

    def span(self, event: Event) -> Span:
        return self.model.span_for(event)

    # --- internals ----------------------------------------------------------------------
    def _select_row(self, row: int | None) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            else:
                index = self.model.index(row, 0)
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows
                )
                selection.setCurrentIndex(index, flags)
                self.table.scrollTo(index)
        finally:
            selection.blockSignals(False)
        self.table.viewport().update()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.select(self.model.event_at(current.row()))

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            event = self.model.event_at(index.row())
            self.select(event)
            self.jump_requested.emit(self.model.span_for(event)[0])

    def _review(self, state: ReviewState) -> None:
        event = self.selected
        if event is not None:
            self.review_requested.emit(event, state)

    def _enable(self) -> None:
        has_event = self.selected is not None
        for button in (self.accept_button, self.reject_button, self.leave_button):
            button.setEnabled(has_event)
        several = self.model.rowCount() > 0
        self.previous_button.setEnabled(several)
        self.next_button.setEnabled(several)

    def keyPressEvent(self, event: object) -> None:
        """Enter in the table jumps to the selected event."""
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.jump_requested.emit(self.model.span_for(self.selected)[0])
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

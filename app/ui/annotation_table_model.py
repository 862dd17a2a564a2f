"""The annotation list as a Qt table: clock time, elapsed time, duration, label, channels.

A thin adapter over :class:`~app.core.annotation_model.AnnotationModel`: it keeps the
filtered entries and rebuilds them when the model changes. Times follow the clinical
habit: clock time of day (from the recording's start) and elapsed time since the start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from app.core.annotation_model import AnnotationModel
from app.core.session_schema import AnnotationEntry, Origin
from app.ui.review_table import Index, ReviewTableModel


def elapsed_text(t_s: float) -> str:
    """Seconds from the start as ``H:MM:SS.s``."""
    tenths = round(max(0.0, t_s) * 10)
    seconds, tenth = divmod(tenths, 10)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}.{tenth}"


def clock_text(start: dt.datetime | None, t_s: float) -> str:
    """The time of day ``t_s`` after ``start`` (``HH:MM:SS``; '' without a start time)."""
    if start is None:
        return ""
    return (start + dt.timedelta(seconds=t_s)).strftime("%H:%M:%S")


class AnnotationTableModel(ReviewTableModel):
    """Rows: the model's visible annotations passing the filter, by onset."""

    CLOCK, ELAPSED, DURATION, LABEL, CHANNELS, SOURCE = range(6)

    def __init__(self) -> None:
        super().__init__()
        self._model: AnnotationModel | None = None
        self._rows: tuple[AnnotationEntry, ...] = ()
        self._start: dt.datetime | None = None
        self._text = ""
        self._origin: Origin | None = None
        self._headers = (
            self.tr("Clock time"),
            self.tr("Elapsed"),
            self.tr("Duration"),
            self.tr("Label"),
            self.tr("Channels"),
            self.tr("Source"),
        )

    def set_model(self, model: AnnotationModel | None, start: dt.datetime | None) -> None:
        if self._model is not None:
            self._model.changed.disconnect(self._on_changed)
        self._model, self._start = model, start
        if model is not None:
            model.changed.connect(self._on_changed)
        self._reload()

    def set_filter(self, text: str, origin: Origin | None) -> None:
        self._text, self._origin = text, origin
        self._reload()

    def entry(self, row: int) -> AnnotationEntry:
        return self._rows[row]

    def row_of(self, annotation_id: str) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.id == annotation_id), None)

    def _on_changed(self, _change: object) -> None:
        self._reload()

    def _reload(self) -> None:
        self.beginResetModel()
        model = self._model
        self._rows = model.filter(self._text, origin=self._origin) if model is not None else ()
        self.endResetModel()

    # --- QAbstractTableModel ------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text_of(entry, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() <= self.DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None

    def _text_of(self, entry: AnnotationEntry, column: int) -> str:
        if column == self.CLOCK:
            return clock_text(self._start, entry.onset)
        if column == self.ELAPSED:
            return elapsed_text(entry.onset)
        if column == self.DURATION:
            return f"{entry.duration:.1f} s"
        if column == self.LABEL:
            return entry.description
        if column == self.CHANNELS:
            return ", ".join(entry.channels) or self.tr("all")
        return self._source_text(entry)

    def _source_text(self, entry: AnnotationEntry) -> str:
        if entry.origin == "reviewer":
            return self.tr("reviewer")
        edited = self._model is not None and self._model.is_edited(entry.id)
        source = entry.annotation.source
        return self.tr("%1, edited").replace("%1", source) if edited else source

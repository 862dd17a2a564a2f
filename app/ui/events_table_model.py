"""The detected seizures as a Qt table: when, how long, how sure, what kind, where, decided.

A thin adapter over a tuple of :class:`~app.core.events.Event`. The onset (elapsed time)
and the duration are editable: a reviewer who sees that the model started the seizure
a few seconds late corrects it here, and accepting the event then annotates the
corrected span. Corrections are kept by the event's detected span, so they survive a
redraw while the analysis fills in.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont

from app.core.events import Event
from app.ui.annotation_table_model import clock_text, elapsed_text
from app.ui.review_table import Index, ReviewTableModel

Span = tuple[float, float]
STATE_COLOURS = {
    "accepted": QColor(200, 30, 30),
    "unreviewed": QColor(200, 110, 0),
    "rejected": QColor(130, 130, 130),
}


def span_of(event: Event) -> Span:
    """The key an event is known by: its detected ``(onset, end)`` in seconds."""
    return (event.onset_s, event.end_s)


def parse_seconds(text: str) -> float | None:
    """``"400"``, ``"6:40"``, ``"0:06:40.5"`` -> seconds; None when it is not a time."""
    parts = text.strip().replace(",", ".").split(":")
    if not 1 <= len(parts) <= 3:
        return None
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    seconds = 0.0
    for value in values:
        seconds = seconds * 60.0 + value
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


class EventsTableModel(ReviewTableModel):
    """Rows: the events by onset; ``span_edited(key, onset_s, end_s)`` after an edit."""

    span_edited = Signal(object, float, float)
    CLOCK, ONSET, DURATION, CONFIDENCE, TYPE, CHANNELS, REVIEW = range(7)

    def __init__(self) -> None:
        super().__init__()
        self._rows: tuple[Event, ...] = ()
        self._edits: dict[Span, Span] = {}
        self._start: dt.datetime | None = None
        self._headers = (
            self.tr("Clock time"),
            self.tr("Onset"),
            self.tr("Duration"),
            self.tr("Confidence"),
            self.tr("Type (source)"),
            self.tr("Leading channels"),
            self.tr("Review"),
        )
        self._states = {
            "unreviewed": self.tr("unreviewed"),
            "accepted": self.tr("accepted"),
            "rejected": self.tr("rejected"),
        }

    # --- content ------------------------------------------------------------------------
    def set_events(
        self,
        events: Sequence[Event],
        start: dt.datetime | None,
        edits: Mapping[Span, Span] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows, self._start = tuple(events), start
        if edits is not None:
            self._edits = dict(edits)
        self.endResetModel()

    @property
    def events(self) -> tuple[Event, ...]:
        return self._rows

    @property
    def edits(self) -> dict[Span, Span]:
        return dict(self._edits)

    def event_at(self, row: int) -> Event:
        return self._rows[row]

    def row_of(self, key: Span | None) -> int | None:
        return next((i for i, e in enumerate(self._rows) if span_of(e) == key), None)

    def span_for(self, event: Event) -> Span:
        """The span to annotate: the reviewer's correction, else the detected one."""
        return self._edits.get(span_of(event), span_of(event))

    # --- QAbstractTableModel ------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in (self.ONSET, self.DURATION):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text_of(event, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.REVIEW:
            return STATE_COLOURS.get(event.review)
        if role == Qt.ItemDataRole.FontRole and self._edited(event, column):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and self._edited(event, column):
            return (
                self.tr("Corrected by the reviewer (detected: %1, %2 s)")
                .replace("%1", elapsed_text(event.onset_s))
                .replace("%2", f"{event.duration_s:.0f}")
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column <= self.CONFIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _edited(self, event: Event, column: int) -> bool:
        return column in (self.CLOCK, self.ONSET, self.DURATION) and span_of(event) in self._edits

    def _text_of(self, event: Event, column: int) -> str:
        onset, end = self.span_for(event)
        if column == self.CLOCK:
            return clock_text(self._start, onset)
        if column == self.ONSET:
            return elapsed_text(onset)
        if column == self.DURATION:
            return f"{end - onset:.0f} s"
        if column == self.CONFIDENCE:
            return f"{event.peak_prob:.2f}"
        if column == self.TYPE:
            return f"{event.type_label} ({event.type_source})"
        if column == self.CHANNELS:
            return ", ".join(event.channels)
        return self._states.get(event.review, event.review)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        seconds = parse_seconds(str(value).removesuffix("s").strip())
        if seconds is None:
            return False
        event = self._rows[index.row()]
        onset, end = self.span_for(event)
        if index.column() == self.ONSET:
            onset, end = seconds, max(seconds + 1.0, end)
        elif index.column() == self.DURATION and seconds > 0:
            end = onset + seconds
        else:
            return False
        self.set_span(span_of(event), onset, end)
        return True

    def set_span(self, key: Span, onset_s: float, end_s: float) -> None:
        """Correct the boundaries of the event detected at ``key``."""
        if (onset_s, end_s) == key:
            self._edits.pop(key, None)
        else:
            self._edits[key] = (onset_s, end_s)
        row = self.row_of(key)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.span_edited.emit(key, onset_s, end_s)

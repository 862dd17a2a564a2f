"""Go to a moment of the recording (Ctrl+G), by clock time or by elapsed time.

Clock times refer to the recording's start date; a clock time earlier in the day than
the start means the next day (overnight recordings): 03:10:00 in a recording started at
22:00 is 5 h 10 min in.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

_HMS = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$")
CLOCK, ELAPSED = 0, 1


def parse_hms(text: str) -> float:
    """``h:mm:ss``, ``mm:ss`` or plain seconds -> seconds; ValueError otherwise."""
    match = _HMS.match(text)
    if match is None:
        return float(text.strip())
    hours, minutes, seconds = match.groups()
    if int(minutes) >= 60 or float(seconds) >= 60:
        raise ValueError(text)
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def goto_seconds(text: str, mode: int, start: dt.datetime | None, duration_s: float) -> float:
    """The elapsed seconds meant by ``text`` in ``mode``; ValueError if outside the recording."""
    value = parse_hms(text)
    if mode == CLOCK:
        if start is None:
            raise ValueError("no clock time in this recording")
        midnight = dt.datetime.combine(start.date(), dt.time())
        value = value - (start - midnight).total_seconds()
        while value < 0:
            value += 86400.0
    if not 0.0 <= value <= duration_s:
        raise ValueError(text)
    return value


class GotoDialog(QDialog):
    """Asks for a time; :meth:`seconds` is the answer in elapsed seconds."""

    def __init__(
        self,
        start: dt.datetime | None,
        duration_s: float,
        current_s: float,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._start, self._duration = start, duration_s
        self._value = current_s
        self.setWindowTitle(self.tr("Go to time"))
        self.mode = QComboBox()
        self.mode.addItems([self.tr("Clock time"), self.tr("Elapsed time")])
        self.mode.setCurrentIndex(CLOCK if start is not None else ELAPSED)
        self.mode.model().item(CLOCK).setEnabled(start is not None)  # type: ignore[attr-defined]
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("hh:mm:ss")
        self.message = QLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Time"), self.edit)
        form.addRow(self.tr("As"), self.mode)
        form.addRow(self.message)
        form.addRow(buttons)

    def seconds(self) -> float:
        return self._value

    def accept(self) -> None:
        try:
            self._value = goto_seconds(
                self.edit.text(), self.mode.currentIndex(), self._start, self._duration
            )
        except ValueError:
            self.message.setText(self.tr("Not a time within the recording"))
            return
        super().accept()

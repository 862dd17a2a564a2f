"""The analysis' progress in the status bar: a bar with the time left, and Cancel."""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QToolButton, QWidget


def eta_text(eta_s: float) -> str:
    """``1:05:09`` / ``4:09`` left; '' while unknown."""
    if not math.isfinite(eta_s):
        return ""
    seconds = round(max(0.0, eta_s))
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


class AnalysisStatus(QWidget):
    """``Seizure analysis 45 % · 1:20 left [Cancel]``; hidden while nothing runs."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisStatus")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setMinimumWidth(260)
        self.bar.setMaximumHeight(16)
        self.button = QToolButton(self)
        self.button.setText(self.tr("Cancel"))
        self.button.setToolTip(self.tr("Stop the analysis (it resumes where it stopped)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar)
        row.addWidget(self.button)
        self.button.clicked.connect(self.cancel_requested)
        self.show_progress(0.0, math.nan)
        self.setVisible(False)

    def show_progress(self, fraction: float, eta_s: float) -> None:
        self.bar.setValue(round(1000 * min(1.0, max(0.0, fraction))))
        left = eta_text(eta_s)
        text = self.tr("Seizure analysis %p%")
        if left:
            text += " · " + self.tr("%1 left").replace("%1", left)
        self.bar.setFormat(text)

    @property
    def text(self) -> str:
        return self.bar.text()

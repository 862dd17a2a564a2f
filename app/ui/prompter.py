"""Every question or message the viewer puts to the user goes through a prompter.

The window is given a :class:`Prompter`; the real one opens dialogs, tests inject one
that records messages and answers from a script. No ``if testing`` in product code.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.ui.annotation_label_dialog import AnnotationPrompter, DialogAnnotationPrompter
from app.ui.calibration_dialog import CalibrationDialog
from app.ui.goto_dialog import GotoDialog

RECORDING_FILTER = "EEG recordings (*.edf *.bdf *.vhdr *.set *.fif *.fif.gz *.mat);;All files (*)"


class Prompter(AnnotationPrompter, Protocol):
    """What the window may ask or tell (the annotation tools' questions among them)."""

    def error(self, parent: QWidget, title: str, message: str) -> None: ...

    def open_path(self, parent: QWidget, folder: str) -> str | None: ...

    def ask_time(
        self, parent: QWidget, start: dt.datetime | None, duration_s: float, current_s: float
    ) -> float | None: ...

    def ask_calibration(self, parent: QWidget, px_per_mm: float, factor: float) -> float | None: ...


class DialogPrompter(DialogAnnotationPrompter):
    """The prompter of the real application: modal dialogs."""

    def error(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.warning(parent, title, message)

    def open_path(self, parent: QWidget, folder: str) -> str | None:
        title = parent.tr("Open recording")
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, RECORDING_FILTER)
        return path or None

    def ask_time(
        self, parent: QWidget, start: dt.datetime | None, duration_s: float, current_s: float
    ) -> float | None:
        dialog = GotoDialog(start, duration_s, current_s, parent)
        try:
            return dialog.seconds() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def ask_calibration(self, parent: QWidget, px_per_mm: float, factor: float) -> float | None:
        dialog = CalibrationDialog(px_per_mm, factor, parent)
        try:
            return dialog.factor() if dialog.exec() else None
        finally:
            dialog.deleteLater()

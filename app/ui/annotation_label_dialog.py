"""Asking the reviewer for an annotation's text, and where to export annotations.

The annotation tools ask through an :class:`AnnotationPrompter`; the real one opens
dialogs, tests inject one that answers from a script (no ``if testing`` in the product).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class AnnotationPrompter(Protocol):
    """The questions the annotation tools may ask."""

    def ask_label(
        self, parent: QWidget, title: str, current: str, choices: Sequence[str]
    ) -> str | None: ...

    def ask_save_path(
        self, parent: QWidget, title: str, suggested: str, file_filter: str
    ) -> str | None: ...


class AnnotationLabelDialog(QDialog):
    """An editable list of labels: pick a preset or a recent label, or type one."""

    def __init__(
        self, title: str, current: str, choices: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotationLabelDialog")
        self.setWindowTitle(title)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(list(dict.fromkeys(choices)))
        self.combo.setEditText(current)
        line = self.combo.lineEdit()
        if line is not None:
            line.selectAll()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Annotation text:"), self))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)
        self.combo.setFocus()

    def text(self) -> str:
        """The label as typed, without surrounding blanks or line breaks."""
        return " ".join(self.combo.currentText().split())


class DialogAnnotationPrompter:
    """The prompter of the real application: a modal label dialog and a save dialog."""

    def ask_label(
        self, parent: QWidget, title: str, current: str, choices: Sequence[str]
    ) -> str | None:
        dialog = AnnotationLabelDialog(title, current, choices, parent)
        try:
            return (dialog.text() or None) if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def ask_save_path(
        self, parent: QWidget, title: str, suggested: str, file_filter: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return path or None

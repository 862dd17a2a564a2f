"""Correct the screen's millimetres: measure the 100-mm line with a ruler, type its length.

Screens (and remote desktops, projectors) often report a wrong physical size; µV/mm and
mm/s are then wrong by the same factor. The dialog draws a line that should be 100 mm
long; the reviewer enters its measured length and the correction factor is remembered.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QWidget,
)

RULER_MM = 100.0


def corrected_factor(factor: float, measured_mm: float) -> float:
    """The new factor when the 100-mm line drawn with ``factor`` measures ``measured_mm``."""
    return factor * RULER_MM / measured_mm


class _Ruler(QWidget):
    def __init__(self, px_per_mm: float) -> None:
        super().__init__()
        self._px = px_per_mm * RULER_MM
        self.setMinimumSize(QSize(int(self._px) + 20, 40))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().windowText().color(), 2))
        y = self.height() / 2
        painter.drawLine(QPointF(10, y), QPointF(10 + self._px, y))
        for x in (10, 10 + self._px):
            painter.drawLine(QPointF(x, y - 10), QPointF(x, y + 10))
        painter.end()


class CalibrationDialog(QDialog):
    """Shows a 100-mm line at the current calibration and asks for its true length."""

    def __init__(self, px_per_mm: float, factor: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factor = factor
        self.setWindowTitle(self.tr("Calibrate screen"))
        self.length = QDoubleSpinBox()
        self.length.setRange(20.0, 500.0)
        self.length.setDecimals(1)
        self.length.setSuffix(" mm")
        self.length.setValue(RULER_MM)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Measure this line with a ruler:")))
        form.addRow(_Ruler(px_per_mm))
        form.addRow(self.tr("Measured length"), self.length)
        form.addRow(buttons)

    def factor(self) -> float:
        return corrected_factor(self._factor, self.length.value())

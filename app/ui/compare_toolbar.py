"""The compare window's toolbar: montage, sensitivity, paging, offset, treated contacts.

Clinical units (µV/mm, s) are never translated. The offset is the time of the post
recording shown beside time zero of the pre recording (post − pre, seconds): with the
panes time-locked, paging moves both and keeps that offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QToolBar,
    QWidget,
)

if TYPE_CHECKING:
    from app.core.montage import MontageOption


class CompareToolBar(QToolBar):
    montage_chosen = Signal(str)
    sensitivity_step = Signal(int)  # -1: more sensitive, +1: less
    page_step = Signal(float)  # pages, e.g. -1, +1
    offset_changed = Signal(float)  # s
    treated_entered = Signal(str)  # the typed text
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareToolBar")
        self.setWindowTitle(self.tr("Compare"))
        self._build_view_controls()
        self._build_compare_controls()
        self._connect()

    def _build_view_controls(self) -> None:
        self.montage = QComboBox()
        self.montage.setToolTip(self.tr("Montage of both panes"))
        self.montage.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addWidget(self.montage)
        self.addSeparator()
        self.addAction("−", lambda: self.sensitivity_step.emit(1)).setToolTip(
            self.tr("Smaller traces (more µV/mm)")
        )
        self.sensitivity = QLabel()
        self.addWidget(self.sensitivity)
        self.addAction("+", lambda: self.sensitivity_step.emit(-1)).setToolTip(
            self.tr("Bigger traces (fewer µV/mm)")
        )
        self.addSeparator()
        self.addAction("◀", lambda: self.page_step.emit(-1.0)).setToolTip(self.tr("Previous page"))
        self.addAction("▶", lambda: self.page_step.emit(1.0)).setToolTip(self.tr("Next page"))
        self.addWidget(QLabel(self.tr(" Offset post − pre ")))
        self.offset = QDoubleSpinBox()
        self.offset.setRange(-86400.0, 86400.0)
        self.offset.setDecimals(1)
        self.offset.setSuffix(" s")
        self.offset.setToolTip(self.tr("Post time shown beside pre time 0 (panes time-locked)"))
        self.addWidget(self.offset)

    def _build_compare_controls(self) -> None:
        self.addSeparator()
        self.addWidget(QLabel(self.tr(" Treated ")))
        self.treated = QLineEdit()
        self.treated.setPlaceholderText("B'1-3, A'2")
        self.treated.setToolTip(self.tr("Treated (coagulated) contacts: highlighted everywhere"))
        self.treated.setMinimumWidth(160)
        self.addWidget(self.treated)
        self.run_model = QCheckBox(self.tr("Run model"))
        self.run_model.setToolTip(
            self.tr("Seizure burden: run the model where no stored analysis exists (slower)")
        )
        self.addWidget(self.run_model)
        self.compare = self.addAction(self.tr("Compare"), self.compare_requested.emit)
        self.compare.setObjectName("compareAction")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(140)
        # A toolbar widget is shown and hidden through its action.
        self._progress_action = self.addWidget(self.progress)
        self._progress_action.setVisible(False)

    def _connect(self) -> None:
        self.montage.activated.connect(
            lambda i: self.montage_chosen.emit(str(self.montage.itemData(i)))
        )
        self.offset.editingFinished.connect(lambda: self.offset_changed.emit(self.offset.value()))
        self.treated.editingFinished.connect(lambda: self.treated_entered.emit(self.treated.text()))

    def set_montages(self, options: Sequence[MontageOption], current: str) -> None:
        self.montage.clear()
        for option in options:
            self.montage.addItem(option.name, option.key)
        self.montage.setCurrentIndex(max(0, self.montage.findData(current)))

    def show_sensitivity(self, uv_mm: float) -> None:
        self.sensitivity.setText(f" {uv_mm:g} µV/mm ")

    @property
    def busy(self) -> bool:
        """True while the progress bar is shown (a comparison is being computed)."""
        return self._progress_action.isVisible()

    def show_progress(self, fraction: float | None) -> None:
        """A fraction in [0, 1] while computing; None when idle."""
        self._progress_action.setVisible(fraction is not None)
        self.compare.setEnabled(fraction is None)
        if fraction is not None:
            self.progress.setValue(round(100 * fraction))

"""The review toolbar: montage, sensitivity, page length/timebase, filters, type scales.

Clinical units throughout (µV/mm, s, mm/s, Hz), never translated. The toolbar edits the
:class:`~app.core.viewport.Viewport` and follows its events, so keys, menus and combos
always agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QToolButton, QWidget

from app.core.errors import IctalError
from app.core.viewport import (
    PAGE_CHOICES_S,
    SENSITIVITY_STEPS_UV_MM,
    TIMEBASE_CHOICES_MM_S,
    Viewport,
)
from app.ui.type_scale_menu import TypeScaleMenu

if TYPE_CHECKING:
    from app.core.montage import MontageOption

#: Filter choices in Hz; 0 stands for "off" in the combos (None in FilterSettings).
HIGHPASS_HZ = (0.0, 0.1, 0.3, 0.5, 1.0, 1.6, 5.0)
LOWPASS_HZ = (0.0, 15.0, 30.0, 35.0, 40.0, 70.0, 100.0)
NOTCH_HZ = (0.0, 50.0, 60.0)


def _num(value: float) -> str:
    return f"{value:g}"


def _off(value: float | None) -> float:
    return 0.0 if value is None else float(value)


def _on(value: float) -> float | None:
    return None if not value else float(value)


def _combo(items: Sequence[tuple[str, object]], tip: str, unit: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setProperty("unit", unit)
    for text, data in items:
        combo.addItem(text, data)
    combo.setToolTip(tip)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    combo.blockSignals(True)
    try:
        index = combo.findData(data)
        combo.setCurrentIndex(index)
        if index < 0 and isinstance(data, float):
            combo.setPlaceholderText(_num(round(data, 1)) + str(combo.property("unit")))
    finally:
        combo.blockSignals(False)


class ViewerToolBar(QToolBar):
    """Controls bound to one viewport; reports filter errors and timebase choices."""

    timebase_chosen = Signal(float)  # mm/s
    message = Signal(str)

    def __init__(self, viewport: Viewport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewToolBar")
        self.setWindowTitle(self.tr("Review"))
        self._viewport = viewport
        off = self.tr("Off")
        self.montage = _combo((), self.tr("Montage (F1–F12)"))
        self.montage.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.montage.setMinimumContentsLength(24)
        self.sensitivity = _combo(
            [(f"{_num(v)} µV/mm", v) for v in SENSITIVITY_STEPS_UV_MM],
            self.tr("Sensitivity (+/−)"),
            " µV/mm",
        )
        self.page = _combo(
            [(f"{_num(v)} s", v) for v in PAGE_CHOICES_S], self.tr("Page length"), " s"
        )
        self.timebase = _combo(
            [(f"{_num(v)} mm/s", v) for v in TIMEBASE_CHOICES_MM_S], self.tr("Timebase"), " mm/s"
        )
        self.highpass = _combo(
            [(f"{_num(v)} Hz" if v else off, v) for v in HIGHPASS_HZ], self.tr("High-pass filter")
        )
        self.lowpass = _combo(
            [(f"{_num(v)} Hz" if v else off, v) for v in LOWPASS_HZ], self.tr("Low-pass filter")
        )
        self.notch = _combo(
            [(f"{_num(v)} Hz" if v else off, v) for v in NOTCH_HZ], self.tr("Notch filter")
        )
        self.scales = TypeScaleMenu(viewport, self)
        scales_button = QToolButton()
        scales_button.setText(self.tr("Scales"))
        scales_button.setToolTip(self.tr("Sensitivity per channel type"))
        scales_button.setMenu(self.scales)
        scales_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        for title, widget in (
            (self.tr("Montage"), self.montage),
            (self.tr("Sensitivity"), self.sensitivity),
            (self.tr("Page"), self.page),
            (self.tr("Timebase"), self.timebase),
            (self.tr("HP"), self.highpass),
            (self.tr("LP"), self.lowpass),
            (self.tr("Notch"), self.notch),
        ):
            self.addWidget(QLabel(f" {title} "))
            self.addWidget(widget)
        self.addSeparator()
        self.addWidget(scales_button)
        self._connect()
        self.sync()

    def _connect(self) -> None:
        vm = self._viewport
        self.montage.activated.connect(lambda i: vm.set_montage(self.montage.itemData(i)))
        self.sensitivity.activated.connect(
            lambda i: vm.set_sensitivity(self.sensitivity.itemData(i))
        )
        self.page.activated.connect(lambda i: vm.set_page_s(self.page.itemData(i)))
        self.timebase.activated.connect(
            lambda i: self.timebase_chosen.emit(self.timebase.itemData(i))
        )
        for combo in (self.highpass, self.lowpass, self.notch):
            combo.activated.connect(self._on_filter_chosen)
        vm.sensitivity_changed.connect(self.sync)
        vm.span_changed.connect(self.sync)
        vm.montage_changed.connect(self.sync)
        vm.filters_changed.connect(self.sync)

    def set_montages(self, options: Sequence[MontageOption]) -> None:
        """The montages the open recording can show, F1 first."""
        self.montage.clear()
        for i, option in enumerate(options):
            key = f"F{i + 1}: " if i < 12 else ""
            self.montage.addItem(f"{key}{option.name}", option.key)
        self.sync()

    def show_timebase(self, mm_s: float) -> None:
        """Display the effective timebase of the current page and trace width."""
        if math.isfinite(mm_s):
            choice = next((v for v in TIMEBASE_CHOICES_MM_S if abs(v - mm_s) < 0.05), mm_s)
            _select(self.timebase, choice)

    def sync(self, *_: object) -> None:
        vm = self._viewport
        _select(self.montage, vm.montage)
        _select(self.sensitivity, vm.sensitivity_uv_mm)
        _select(self.page, vm.page_s)
        _select(self.highpass, _off(vm.filters.highpass))
        _select(self.lowpass, _off(vm.filters.lowpass))
        _select(self.notch, _off(vm.filters.notch))

    def _on_filter_chosen(self, _index: int) -> None:
        from app.core.filters import FilterSettings  # noqa: PLC0415 - lazy: start-up time

        try:
            settings = FilterSettings(
                highpass=_on(self.highpass.currentData()),
                lowpass=_on(self.lowpass.currentData()),
                notch=_on(self.notch.currentData()),
            )
        except IctalError as exc:
            self.message.emit(f"{exc.what} : {exc.why}")
            self.sync()
            return
        self._viewport.set_filters(settings)

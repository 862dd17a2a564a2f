"""How probabilities become events: threshold, minimum duration, merge gap.

Three spin boxes over :class:`~app.core.events.EventParams`. Every change emits
``params_changed`` at once (the events are recomputed from the stored probabilities in
milliseconds, so the reviewer sees the effect while turning the knob); the smoothing
window is not offered here and is kept as it was.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QLabel, QWidget

from app.core.events import EventParams

#: Spin box ranges: (minimum, maximum, step, decimals).
THRESHOLD_RANGE = (0.05, 1.0, 0.05, 2)
DURATION_RANGE_S = (0.0, 600.0, 1.0, 0)
GAP_RANGE_S = (0.0, 600.0, 1.0, 0)


def _spin(limits: tuple[float, float, float, int], suffix: str = "") -> QDoubleSpinBox:
    low, high, step, decimals = limits
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)  # typing "0.7" is one change, not "0." then "0.7"
    return box


class ThresholdsPanel(QWidget):
    """Probability threshold, minimum duration and merge gap; emits the new parameters."""

    params_changed = Signal(object)  # EventParams

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._params = EventParams()
        self.threshold = _spin(THRESHOLD_RANGE)
        self.min_duration = _spin(DURATION_RANGE_S, " s")
        self.merge_gap = _spin(GAP_RANGE_S, " s")
        self.threshold.setToolTip(self.tr("Seizure probability an event must reach"))
        self.min_duration.setToolTip(self.tr("Shorter detections are dropped"))
        self.merge_gap.setToolTip(self.tr("Detections closer than this are one seizure"))
        grid = QGridLayout(self)  # two rows: the dock stays narrow
        grid.setContentsMargins(0, 0, 0, 0)
        for k, (text, box) in enumerate(
            (
                (self.tr("Threshold"), self.threshold),
                (self.tr("Min. duration"), self.min_duration),
                (self.tr("Merge gap"), self.merge_gap),
            )
        ):
            grid.addWidget(QLabel(text), k // 2, 2 * (k % 2))
            grid.addWidget(box, k // 2, 2 * (k % 2) + 1)
        grid.setColumnStretch(4, 1)
        self.set_params(self._params)
        for box in (self.threshold, self.min_duration, self.merge_gap):
            box.valueChanged.connect(self._on_changed)

    @property
    def params(self) -> EventParams:
        return self._params

    def set_params(self, params: EventParams) -> None:
        """Show ``params`` (no signal: they come from the session, not the reviewer)."""
        self._params = params
        for box, value in (
            (self.threshold, params.threshold),
            (self.min_duration, params.min_duration_s),
            (self.merge_gap, params.merge_gap_s),
        ):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)

    def _on_changed(self, _value: float) -> None:
        params = replace(
            self._params,
            threshold=float(self.threshold.value()),
            min_duration_s=float(self.min_duration.value()),
            merge_gap_s=float(self.merge_gap.value()),
        )
        if params != self._params:
            self._params = params
            self.params_changed.emit(params)

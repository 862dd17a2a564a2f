"""Status bar readout under the mouse: clock and elapsed time, trace, value in µV."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtWidgets import QLabel, QStatusBar

from app.ui.time_axis_item import format_elapsed


class CursorStatus:
    """A permanent label in the status bar that follows the mouse over the traces."""

    def __init__(self, status_bar: QStatusBar) -> None:
        self.label = QLabel()
        self.label.setObjectName("cursorStatus")
        self.label.setMinimumWidth(360)
        status_bar.addPermanentWidget(self.label)
        self._start: dt.datetime | None = None

    def set_start_time(self, start: dt.datetime | None) -> None:
        self._start = start

    def show_cursor(self, t_s: float, label: str, value: float, unit: str = "µV") -> None:
        clock = ""
        if self._start is not None:
            moment = self._start + dt.timedelta(seconds=t_s)
            clock = moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}  "
        amplitude = "" if math.isnan(value) else f"  {value:.1f} {unit}"
        self.label.setText(f"{clock}(+{format_elapsed(round(t_s, 1))})  {label}{amplitude}")

    def text(self) -> str:
        return self.label.text()

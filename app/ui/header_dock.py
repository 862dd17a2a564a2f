"""Patient and recording panel: who, when, how long, how it was recorded.

What a reviewer checks before reading the first page: that this is the right patient
and night, and what the channels and sampling rate are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFormLayout, QLabel, QWidget

from app.core.recording_info import Channel, RecordingInfo
from app.ui.time_axis_item import format_elapsed


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


class HeaderDock(QDockWidget):
    """Read-only header fields of the open recording."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerDock")
        self.setWindowTitle(self.tr("Recording"))
        self.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        body = QWidget(self)
        self._form = QFormLayout(body)
        self._fields: dict[str, QLabel] = {}
        rows = (
            ("patient", self.tr("Patient")),
            ("code", self.tr("Patient code")),
            ("sex", self.tr("Sex")),
            ("birthdate", self.tr("Birth date")),
            ("start", self.tr("Start")),
            ("duration", self.tr("Duration")),
            ("format", self.tr("Format")),
            ("sfreq", self.tr("Sampling rate")),
            ("channels", self.tr("Channels")),
            ("file", self.tr("File")),
        )
        for key, title in rows:
            label = QLabel("–")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self._fields[key] = label
            self._form.addRow(title, label)
        self.setWidget(body)

    def field(self, key: str) -> str:
        return self._fields[key].text()

    def set_recording(self, info: RecordingInfo, channels: Sequence[Channel]) -> None:
        patient = info.patient
        counts = Counter(str(ch.type) for ch in channels)
        values = {
            "patient": patient.name or "–",
            "code": patient.code or "–",
            "sex": patient.sex or "–",
            "birthdate": patient.birthdate.isoformat() if patient.birthdate else "–",
            "start": info.start.strftime("%Y-%m-%d %H:%M:%S") if info.start else "–",
            "duration": format_elapsed(info.duration_s),
            "format": info.format,
            "sfreq": f"{_number(info.sfreq)} Hz",
            "channels": ", ".join(f"{n} {t}" for t, n in counts.items()),
            "file": info.path.name,
        }
        for key, text in values.items():
            self._fields[key].setText(text)
        self._fields["file"].setToolTip(str(info.path))

    def clear(self) -> None:
        for label in self._fields.values():
            label.setText("–")

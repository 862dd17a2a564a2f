"""Helpers for the annotation UI tests: a trace view with a page, mouse drags, a prompter."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.calibration import Calibration
from app.core.viewport import Viewport
from app.ui.trace_view import TraceView
from tests.ui.fakes import make_page

LABELS = ("Fp1-F7", "F7-T7", "T7-P7", "Fp2-F8")
MOVE_INTERVAL_MS = 15
SOURCES = (("Fp1", "F7"), ("F7", "T7"), ("T7", "P7"), ("Fp2", "F8"))


def trace_view(qtbot, duration_s: float = 60.0) -> TraceView:
    view = TraceView(Viewport(duration_s, sensitivity_uv_mm=10.0))
    view.calibration = Calibration(100.0, 100.0)
    view.resize(1000, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def page(start_s: float = 0.0, duration_s: float = 10.0):
    sfreq = 100.0
    data = np.zeros((len(LABELS), int(duration_s * sfreq)))
    built = make_page(data, LABELS, start_s=start_s, sfreq=sfreq)
    return replace(built, traces=replace(built.traces, sources=SOURCES))


def mouse(view: TraceView, kind, t_s: float, y_mm: float, *, button, buttons, mods=None) -> None:
    """Send one mouse event to the trace area at (t_s, y_mm) in view coordinates."""
    scene = view.view_box.mapViewToScene(QPointF(t_s, y_mm))
    local = QPointF(view.mapFromScene(scene))
    screen = QPointF(view.viewport().mapToGlobal(local.toPoint()))
    event = QMouseEvent(
        kind, local, screen, button, buttons, mods or Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view.viewport(), event)


def drag(view: TraceView, t0: float, t1: float, y0: float, y1: float | None = None, *, mods=None):
    """A left-button drag from (t0, y0) to (t1, y1) with a few moves in between."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    y1 = y0 if y1 is None else y1
    t = QMouseEvent.Type
    # hover first, as a real mouse does
    mouse(view, t.MouseMove, t0, y0, button=none, buttons=none, mods=mods)
    QTest.qWait(MOVE_INTERVAL_MS)
    mouse(view, t.MouseButtonPress, t0, y0, button=left, buttons=left, mods=mods)
    for k in range(1, 6):
        QTest.qWait(MOVE_INTERVAL_MS)  # pyqtgraph drops moves closer than its rate limit
        f = k / 5
        x, y = t0 + f * (t1 - t0), y0 + f * (y1 - y0)
        mouse(view, t.MouseMove, x, y, button=none, buttons=left, mods=mods)
    mouse(view, t.MouseButtonRelease, t1, y1, button=left, buttons=none, mods=mods)


@dataclass
class ScriptedAnnotationPrompter:
    """Answers label and save-path questions from its fields; records what was asked."""

    label: str | None = None
    path: str | None = None
    asked: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def ask_label(self, parent, title, current, choices):
        self.asked.append(("label", current))
        return self.label

    def ask_save_path(self, parent, title, suggested, file_filter):
        self.asked.append(("path", suggested))
        return self.path

    def error(self, parent, title, message):
        self.errors.append(message)

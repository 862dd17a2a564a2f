"""The whole-night trends dock above the traces: CDSA and aEEG per hemisphere.

Rows, top to bottom: the annotations (seizures in red), the compressed density
spectral array of the left and the right hemisphere (0.5-20 Hz, colour = dB, one shared
scale), the aEEG of the left and the right hemisphere (semi-log 0-10-100 µV), then any
row another part of Ictal adds (:meth:`TrendsPanel.add_row`). The cursor marks the page
on screen; a click jumps there. The header says what is shown, and while the trends are
computed shows a progress bar and a Cancel button (Compute resumes).

The dock draws what :class:`~app.workers.trend_job.TrendJob` hands it; it never reads
the recording itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QLinearGradient, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.aeeg_item import AeegItem, amplitude_ticks, y_range
from app.ui.cdsa_item import COLORMAP, CdsaItem
from app.ui.trends_panel import TrendsPanel
from app.workers.trend_job import TrendJob

if TYPE_CHECKING:
    from app.core.annotation import Annotation
    from app.core.recording import Recording
    from app.core.trend_result import GroupStore, Trends

REDRAW_MS = 150
CDSA_TICKS_HZ = (5, 10, 15, 20)


class TrendsDock(QDockWidget):
    """CDSA and aEEG of the whole recording; emits ``jump_requested(seconds)`` on a click."""

    jump_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None, job: TrendJob | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Trends"))
        self.setObjectName("trendsDock")
        self.job = job if job is not None else TrendJob(self)
        self._cdsa: dict[str, CdsaItem] = {}
        self._aeeg: dict[str, AeegItem] = {}
        self._sides = {"left": self.tr("Left"), "right": self.tr("Right"), "all": self.tr("All")}
        self._build()
        self._connect()

    # --- building -----------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(2, 0, 2, 0)
        column.setSpacing(0)
        header = QHBoxLayout()
        self.summary = QLabel(self.tr("No recording"))
        self.scale_low, self.scale, self.scale_high = QLabel(), QLabel(), QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(180)
        self.progress.setMaximumHeight(14)
        self.progress.setFormat(self.tr("Computing trends… %p%"))
        self.button = QToolButton()
        self.button.setText(self.tr("Cancel"))
        header.addWidget(self.summary, 1)
        for label in (self.scale_low, self.scale, self.scale_high):
            header.addWidget(label)
        header.addWidget(self.progress)
        header.addWidget(self.button)
        column.addLayout(header)
        self.panel = TrendsPanel(body)
        self.panel.setMinimumHeight(150)
        column.addWidget(self.panel, 1)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._set_running(False)

    def _connect(self) -> None:
        self.panel.jump_requested.connect(self.jump_requested)
        self.job.reset.connect(self._on_reset)
        self.job.updated.connect(lambda _t: self._timer.isActive() or self._timer.start())
        self.job.progress.connect(lambda f: self.progress.setValue(round(f * 1000)))
        self.job.running_changed.connect(self._set_running)
        self.job.failed.connect(self._on_failed)
        self.button.clicked.connect(self._on_button)
        self._timer.timeout.connect(self._draw)

    # --- public -------------------------------------------------------------------------
    def set_recording(self, recording: Recording, store: GroupStore | None = None) -> None:
        """Show the trends of ``recording`` (cached in ``store`` when it has them)."""
        info = recording.info
        self.panel.set_time(info.duration_s, info.start)
        self.panel.set_annotations(recording.annotations)
        self.job.open(recording, store)

    def set_page(self, start_s: float, page_s: float) -> None:
        self.panel.set_page(start_s, page_s)

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        self.panel.set_annotations(annotations)

    def is_busy(self) -> bool:
        """True while trends are being computed."""
        return self.job.is_running()

    def shutdown(self) -> None:
        """Stop computing (what is done is cached) and end the worker thread."""
        self._timer.stop()
        self.job.shutdown()

    # --- drawing ------------------------------------------------------------------------
    def _on_reset(self, trends: Trends) -> None:
        for key in self.panel.row_keys():
            if key.startswith(("cdsa_", "aeeg_")):
                self.panel.remove_row(key)
        self._cdsa.clear()
        self._aeeg.clear()
        for group in trends.plan.groups:
            self._add_cdsa_row(group.key, trends)
        for derivation in trends.plan.derivations:
            self._add_aeeg_row(derivation.key, derivation.label)
        self._set_running(self.job.is_running())

    def _add_cdsa_row(self, key: str, trends: Trends) -> None:
        side = self._sides.get(key, key)
        freqs = trends.freqs
        step = float(freqs[1] - freqs[0]) if len(freqs) > 1 else 1.0
        span = (float(freqs[0]) - step / 2, float(freqs[-1]) + step / 2)
        item = CdsaItem()

        def describe(t_s: float, y: float) -> str:
            value = item.value_at(t_s, y)
            return "" if value is None else f"CDSA {side}: {value[0]:.1f} Hz, {value[1]:.0f} dB"

        plot = self.panel.add_row(
            f"cdsa_{key}",
            self.tr("CDSA<br>%1").replace("%1", side),
            order=10,
            height=40,
            y_range=span,
            describe=describe,
        )
        plot.addItem(item)
        plot.getAxis("left").setTicks([[(f, f"{f}") for f in CDSA_TICKS_HZ], []])
        self._cdsa[key] = item

    def _add_aeeg_row(self, key: str, label: str) -> None:
        side = self._sides.get(key, key)
        item = AeegItem()

        def describe(t_s: float, _y: float) -> str:
            value = item.margins_at(t_s)
            if value is None:
                return ""
            return f"aEEG {side} ({label}): {value[0]:.0f}–{value[1]:.0f} µV"

        title = self.tr("aEEG %1<br>%2").replace("%1", side).replace("%2", label)
        plot = self.panel.add_row(
            f"aeeg_{key}", title, order=20, height=30, y_range=y_range(), describe=describe
        )
        plot.addItem(item)
        plot.getAxis("left").setTicks(amplitude_ticks())
        plot.showGrid(y=True, alpha=0.25)
        self._aeeg[key] = item

    def _draw(self) -> None:
        trends = self.job.trends
        if trends is None:
            return
        levels = trends.cdsa_levels()
        for key, item in self._cdsa.items():
            item.set_map(trends.cdsa[key], trends.bin_s, trends.freqs, levels)
        for key, aeeg_item in self._aeeg.items():
            aeeg_item.set_margins(trends.aeeg[key], trends.segment_s)
        self._show_summary(trends, levels)

    def _show_summary(self, trends: Trends, levels: tuple[float, float]) -> None:
        if trends.plan.empty:
            self.summary.setText(self.tr("No EEG channels to compute trends from"))
            for label in (self.scale_low, self.scale, self.scale_high):
                label.clear()
            return
        s = trends.settings
        text = (
            self.tr("CDSA %1–%2 Hz").replace("%1", f"{s.fmin_hz:g}").replace("%2", f"{s.fmax_hz:g}")
        )
        labels = " / ".join(d.label for d in trends.plan.derivations)
        if labels:
            text += "   ·   " + self.tr("aEEG %1 (µV peak-to-peak)").replace("%1", labels)
        self.summary.setText(text)
        self.scale_low.setText(f"{levels[0]:.0f} dB")
        self.scale.setPixmap(_colour_bar(100, 10))
        self.scale_high.setText(f"{levels[1]:.0f} dB")

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        trends = self.job.trends
        can_resume = trends is not None and not trends.complete and not trends.plan.empty
        self.button.setVisible(running or can_resume)
        self.button.setText(self.tr("Cancel") if running else self.tr("Compute"))
        if not running:
            self._timer.stop()
            self._draw()

    def _on_button(self) -> None:
        if self.job.is_running():
            self.job.cancel()
        else:
            self.job.start()

    def _on_failed(self, text: str) -> None:
        self.summary.setText(self.tr("Trends stopped: %1").replace("%1", text))


def _colour_bar(width: int, height: int) -> QPixmap:
    """The CDSA colour scale, low dB on the left, high on the right."""
    colours = pg.colormap.get(COLORMAP).getColors()
    gradient = QLinearGradient(0, 0, width, 0)
    for i, rgba in enumerate(colours):
        gradient.setColorAt(i / max(1, len(colours) - 1), pg.mkColor(tuple(int(c) for c in rgba)))
    pixmap = QPixmap(width, height)
    painter = QPainter(pixmap)
    painter.fillRect(pixmap.rect(), gradient)
    painter.setPen(Qt.GlobalColor.darkGray)
    painter.drawRect(0, 0, width - 1, height - 1)
    painter.end()
    return pixmap

"""Where the selected seizure is: the ECAM as a scalp map (or SEEG shaft strips).

Two maps of the selected event, as on its report page: averaged over the first seconds
after onset (where it starts: what lateralises it) and around its peak (how far it
spread), on the report's probability scale, with the channels of highest probability
at onset as bars underneath. The maps are computed by the report's code
(:mod:`app.core.report.topomap`: mne electrode positions, thin-plate-spline
interpolation) on a worker thread and painted by the report's painter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QDockWidget, QWidget

from app.core.events import ONSET_WINDOW_S, Event
from app.core.report.figures import ChannelBars, TopoMap
from app.ui.report.canvas import GREY, Canvas
from app.ui.report.topomap_painter import draw_bars, draw_map, draw_scale
from app.workers.job import JobRunner, TaskState

if TYPE_CHECKING:
    from app.core.analysis import Analysis

#: Seconds around the peak averaged for the second map.
PEAK_WINDOW_S = 3


@dataclass(frozen=True, slots=True, eq=False)
class EcamMaps:
    """The pictures of one event: at onset, at peak, and the per-channel bars."""

    title: str
    onset: TopoMap
    peak: TopoMap
    bars: ChannelBars


@dataclass(frozen=True, slots=True, eq=False)
class MapRequest:
    """What the maps of one event are computed from (copies: safe to hand to a worker)."""

    title: str
    names: tuple[str, ...]
    at_onset: npt.NDArray[np.float32]
    at_peak: npt.NDArray[np.float32]
    seeg: bool
    captions: tuple[str, str, str] = ("At onset", "At peak", "Channels at onset")


def event_maps_job(state: TaskState, request: MapRequest) -> EcamMaps:
    """Job: both maps and the bars (imports mne the first time a scalp map is drawn)."""
    from app.core.report.topomap import channel_bars, ecam_map  # noqa: PLC0415 - mne, scipy

    names, seeg, (onset, peak, bars) = request.names, request.seeg, request.captions
    return EcamMaps(
        request.title,
        ecam_map(onset, names, request.at_onset, seeg=seeg),
        ecam_map(peak, names, request.at_peak, seeg=seeg),
        channel_bars(bars, names, request.at_onset),
    )


def event_inputs(
    analysis: Analysis, event: Event
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Per-channel ECAM over the onset window and around the peak (copies: safe to hand over)."""
    from app.core.report.topomap import window_mean  # noqa: PLC0415 - numpy only

    cp = analysis.channel_prob
    onset = window_mean(cp, int(event.onset_s), ONSET_WINDOW_S)
    peak = window_mean(cp, max(0, int(event.peak_s) - PEAK_WINDOW_S // 2), PEAK_WINDOW_S)
    return onset.copy(), peak.copy()


class TopomapWidget(QWidget):
    """Paints :class:`EcamMaps` (or a hint when there is nothing to show)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.maps: EcamMaps | None = None
        self.hint = self.tr("Select a detection to see where it starts.")
        self.setMinimumSize(120, 40)

    def show_maps(self, maps: EcamMaps | None, hint: str = "") -> None:
        self.maps = maps
        if hint:
            self.hint = hint
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        canvas = Canvas(self)
        canvas.begin(painter)
        try:
            painter.fillRect(self.rect(), self.palette().base())
            margin = canvas.mm(1.5)
            area = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
            if self.maps is None:
                canvas.text(area, self.hint, "small", colour=GREY)
                return
            self._draw(canvas, area, self.maps)
        finally:
            canvas.end()
            painter.end()

    @staticmethod
    def _draw(canvas: Canvas, area: QRectF, maps: EcamMaps) -> None:
        title_h = canvas.mm(4.5)
        canvas.text(QRectF(area.left(), area.top(), area.width(), title_h), maps.title, "smallbold")
        top = area.top() + title_h
        scale_w = canvas.mm(9)
        maps_h = min(area.height() * 0.62, (area.width() - scale_w) / 2 * 1.15)
        map_w = (area.width() - scale_w) / 2
        for k, topo in enumerate((maps.onset, maps.peak)):
            draw_map(canvas, QRectF(area.left() + k * map_w, top, map_w, maps_h), topo)
        scale = QRectF(area.right() - scale_w + canvas.mm(1), top + canvas.mm(6), canvas.mm(2.5),
                       maps_h - canvas.mm(10))  # fmt: skip
        draw_scale(canvas, scale)
        bars_top = top + maps_h + canvas.mm(1)
        if area.bottom() - bars_top > canvas.mm(10):
            draw_bars(canvas, QRectF(area.left(), bars_top, area.width(), area.bottom() - bars_top),
                      maps.bars)  # fmt: skip


class TopomapDock(QDockWidget):
    """The ECAM maps of the selected event, computed in the background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("ECAM map"))
        self.setObjectName("topomapDock")
        self.view = TopomapWidget(self)
        self.setWidget(self.view)
        self._runner = JobRunner(parent=self)
        self._runner.finished.connect(lambda _id, maps: self.view.show_maps(maps))
        self._runner.failed.connect(self._on_failed)
        self._shown: tuple[object, ...] = ()

    def show_event(self, analysis: Analysis | None, event: Event | None, title: str = "") -> None:
        """Compute and show the maps of ``event`` (None: clear)."""
        if analysis is None or event is None:
            self._shown = ()
            self._runner.cancel()
            self.view.show_maps(None)
            return
        key = (id(analysis), event.onset_s, event.end_s, analysis.done_s, title)
        if key == self._shown:
            return
        self._shown = key
        at_onset, at_peak = event_inputs(analysis, event)
        captions = (
            self.tr("At onset (first %1 s)").replace("%1", str(ONSET_WINDOW_S)),
            self.tr("At peak"),
            self.tr("Channels at onset"),
        )
        request = MapRequest(
            title, analysis.channel_names, at_onset, at_peak, analysis.montage == "seeg", captions
        )
        self._runner.start(event_maps_job, request)

    def is_busy(self) -> bool:
        return self._runner.is_running()

    def shutdown(self) -> None:
        self._runner.shutdown()

    def _on_failed(self, _request_id: int, error: BaseException) -> None:
        self.view.show_maps(None, self.tr("No map: %1").replace("%1", str(error)))

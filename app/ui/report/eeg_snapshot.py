"""An EEG snapshot on paper: vector traces at a stated sensitivity and timebase.

Traces are ``QPainterPath`` lines (vector in the PDF), reduced to a min/max envelope
at 0.2 mm so a spike keeps its full height. The onset is a red line with its clock
time; the seconds of the event are tinted. Scale bars (µV and 1 s) sit under the trace
labels; the time axis counts seconds from the onset. A trace may reach 1.5 spacings
from its baseline, then it is clipped.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath

from app.core.decimate import minmax_decimate
from app.core.report.model import SnapshotRequest, SnapshotTraces
from app.core.report.snapshot import LABEL_MM
from app.ui.report.canvas import GREY, INK, Canvas

#: Height under the traces for the time axis, scale bars and the scale line (mm).
UNDER_MM = 12.0
COLUMN_MM = 0.2
CLIP_SPACINGS = 1.5
ONSET = QColor(200, 30, 30)
EVENT_TINT = QColor(255, 236, 236)
GRID = QColor(225, 225, 225)
GRID_STRONG = QColor(190, 190, 190)
LEAD = QColor(150, 20, 20)
RIGHT_MID = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
_BARS_UV = (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)


def polyline(xs: np.ndarray, ys: np.ndarray) -> QPainterPath:
    """A path through the points (built from the arrays in one call: fast for long traces)."""
    path: QPainterPath = pg.arrayToQPath(
        np.asarray(xs, np.float64), np.asarray(ys, np.float64), connect="all"
    )
    return path


def bar_microvolts(sensitivity: float, max_mm: float) -> int:
    """The largest round µV value whose bar is at most ``max_mm`` tall."""
    fitting = [v for v in _BARS_UV if v / sensitivity <= max_mm]
    return fitting[-1] if fitting else _BARS_UV[0]


def snapshot_height_mm(request: SnapshotRequest) -> float:
    return request.height_mm + UNDER_MM


def draw_snapshot(
    canvas: Canvas, x: float, y: float, request: SnapshotRequest, traces: SnapshotTraces
) -> None:
    """Draw the snapshot with its top-left corner at (x, y) pixels."""
    spacing = traces.spacing_mm
    left = x + canvas.mm(LABEL_MM)
    width = canvas.mm(request.timebase_mm_s * request.duration_s)
    height = canvas.mm(spacing * len(traces.labels))
    area = QRectF(left, y, width, height)
    _draw_background(canvas, area, request)
    _draw_traces(canvas, area, request, traces)
    _draw_labels(canvas, x, area, traces)
    _draw_onset(canvas, area, request)
    _draw_axis(canvas, area, request)
    _draw_scale(canvas, x, area, request, traces)


def _t_to_x(area: QRectF, request: SnapshotRequest, t: float) -> float:
    return area.left() + area.width() * (t - request.start_s) / max(request.duration_s, 1e-9)


def _draw_background(canvas: Canvas, area: QRectF, request: SnapshotRequest) -> None:
    p = canvas.painter
    x0 = max(area.left(), _t_to_x(area, request, request.onset_s))
    x1 = min(area.right(), _t_to_x(area, request, request.end_s))
    if x1 > x0:
        p.fillRect(QRectF(x0, area.top(), x1 - x0, area.height()), EVENT_TINT)
    first = int(np.ceil(request.start_s))
    for second in range(first, int(request.start_s + request.duration_s) + 1):
        strong = round(second - request.onset_s) % 5 == 0
        p.setPen(canvas.pen(GRID_STRONG if strong else GRID, 0.12))
        xs = _t_to_x(area, request, second)
        p.drawLine(QPointF(xs, area.top()), QPointF(xs, area.bottom()))


def _draw_traces(
    canvas: Canvas, area: QRectF, request: SnapshotRequest, traces: SnapshotTraces
) -> None:
    p = canvas.painter
    p.save()
    p.setClipRect(area.adjusted(0, -canvas.mm(traces.spacing_mm * 0.5), 0, 0))
    columns = max(1, int(request.timebase_mm_s * request.duration_s / COLUMN_MM))
    env = minmax_decimate(traces.data, columns, traces.start_s, traces.sfreq)
    xs = area.left() + area.width() * (env.x - request.start_s) / request.duration_s
    limit = CLIP_SPACINGS * traces.spacing_mm
    highlight = set(traces.highlight)
    for i, label in enumerate(traces.labels):
        centre = area.top() + canvas.mm(traces.spacing_mm * (i + 0.5))
        offset_mm = np.clip(-env.y[i] / traces.sensitivity_uv_mm, -limit, limit)
        ys = centre + canvas.mm(1.0) * np.nan_to_num(offset_mm)
        p.setPen(canvas.pen(LEAD if label in highlight else INK, 0.12))
        p.drawPath(polyline(xs, ys))
    p.restore()


def _draw_labels(canvas: Canvas, x: float, area: QRectF, traces: SnapshotTraces) -> None:
    highlight = set(traces.highlight)
    for i, label in enumerate(traces.labels):
        centre = area.top() + canvas.mm(traces.spacing_mm * (i + 0.5))
        box = QRectF(x, centre - canvas.mm(2), area.left() - x - canvas.mm(1.5), canvas.mm(4))
        lead = label in highlight
        role, colour = ("smallbold", LEAD) if lead else ("small", INK)
        canvas.text(box, label, role, align=RIGHT_MID, colour=colour, wrap=False)


def _draw_onset(canvas: Canvas, area: QRectF, request: SnapshotRequest) -> None:
    p = canvas.painter
    xo = _t_to_x(area, request, request.onset_s)
    if area.left() <= xo <= area.right():
        p.setPen(canvas.pen(ONSET, 0.35))
        p.drawLine(QPointF(xo, area.top() - canvas.mm(1)), QPointF(xo, area.bottom()))
        box = QRectF(
            xo + canvas.mm(0.8), area.top() - canvas.mm(4.2), canvas.mm(45), canvas.mm(3.5)
        )
        canvas.text(box, request.onset_label, "smallbold", colour=ONSET, wrap=False)
    xe = _t_to_x(area, request, request.end_s)
    if area.left() < xe <= area.right():
        p.setPen(canvas.pen(ONSET, 0.25, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(xe, area.top()), QPointF(xe, area.bottom()))
        box = QRectF(
            xe + canvas.mm(0.8), area.top() - canvas.mm(4.2), canvas.mm(20), canvas.mm(3.5)
        )
        canvas.text(box, "end", "small", colour=ONSET, wrap=False)


def _draw_axis(canvas: Canvas, area: QRectF, request: SnapshotRequest) -> None:
    p = canvas.painter
    p.setPen(canvas.pen(INK, 0.2))
    p.drawLine(area.bottomLeft(), area.bottomRight())
    first = int(np.ceil(request.start_s))
    for second in range(first, int(request.start_s + request.duration_s) + 1):
        xs = _t_to_x(area, request, second)
        rel = round(second - request.onset_s)
        tall = rel % 5 == 0
        p.drawLine(
            QPointF(xs, area.bottom()), QPointF(xs, area.bottom() + canvas.mm(1.2 if tall else 0.6))
        )
        if tall:
            label = "onset" if rel == 0 else f"{rel:+d} s"
            box = QRectF(
                xs - canvas.mm(6), area.bottom() + canvas.mm(1.3), canvas.mm(12), canvas.mm(3)
            )
            canvas.text(box, label, "tiny", align=CENTRE, wrap=False)


def _draw_scale(
    canvas: Canvas, x: float, area: QRectF, request: SnapshotRequest, traces: SnapshotTraces
) -> None:
    p = canvas.painter
    sens = traces.sensitivity_uv_mm
    uv = bar_microvolts(sens, 7.0)
    bar_h = canvas.mm(uv / sens)
    one_s = canvas.mm(request.timebase_mm_s)
    corner = QPointF(x + canvas.mm(2), area.bottom() + canvas.mm(1.5) + bar_h)
    p.setPen(canvas.pen(INK, 0.35))
    p.drawLine(corner, QPointF(corner.x(), corner.y() - bar_h))
    p.drawLine(corner, QPointF(corner.x() + one_s, corner.y()))
    canvas.text_at(
        QPointF(corner.x() + canvas.mm(0.8), corner.y() - bar_h + canvas.mm(2.2)),
        f"{uv} µV",
        "tiny",
    )
    canvas.text_at(QPointF(corner.x(), corner.y() + canvas.mm(2.6)), "1 s", "tiny")
    line = (
        f"{traces.montage_name} · {sens:g} µV/mm · {request.timebase_mm_s:.1f} mm/s · "
        f"{traces.filters_text}"
    )
    if traces.note:
        line += f" · {traces.note}"
    box = QRectF(area.left(), area.bottom() + canvas.mm(5.2), area.width(), canvas.mm(3.5))
    canvas.text(box, line, "tiny", colour=GREY, wrap=False)

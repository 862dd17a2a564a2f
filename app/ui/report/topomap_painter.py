"""The ECAM on paper: a scalp map or SEEG shaft strips, and the per-channel bar.

The scalp map is seen from above, nose up, left hemisphere on the left (as the
montage labels read); electrodes are black dots with their names. The colour scale is
the seizure probability 0-1 (white none, dark red certain), shared by every map and bar.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath

from app.core.report.model import ChannelBars, TopoMap
from app.ui.report.canvas import GREY, INK, RULE, Canvas
from app.ui.report.colours import PROB_LUT, colour_at, to_image

CENTRE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
RIGHT_MID = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT_MID = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def draw_map(canvas: Canvas, rect: QRectF, topo: TopoMap) -> None:
    """A map in ``rect`` with its title on top."""
    title = QRectF(rect.left(), rect.top(), rect.width(), canvas.mm(4))
    canvas.text(title, topo.title, "smallbold", align=CENTRE, wrap=False)
    body = rect.adjusted(0, canvas.mm(4.5), 0, 0)
    if topo.kind == "scalp":
        _draw_scalp(canvas, body, topo)
    elif topo.kind == "seeg":
        _draw_strips(canvas, body, topo)
    else:
        canvas.text(body, "No electrode positions known for these channels.", "small", colour=GREY)


def _draw_scalp(canvas: Canvas, body: QRectF, topo: TopoMap) -> None:
    p = canvas.painter
    side = min(body.width() / 1.5, body.height() / 1.3)  # ear electrodes sit at ~1.35 radii
    head = QRectF(0, 0, side, side)
    head.moveCenter(QPointF(body.center().x(), body.top() + side * 0.62))
    if topo.image is not None:
        p.drawImage(head, to_image(topo.image, PROB_LUT))
    r = side / 2
    c = head.center()
    p.setPen(canvas.pen(INK, 0.3))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(head)
    nose = QPainterPath()
    nose.moveTo(c.x() - r * 0.12, c.y() - r * 0.99)
    nose.lineTo(c.x(), c.y() - r * 1.12)
    nose.lineTo(c.x() + r * 0.12, c.y() - r * 0.99)
    p.drawPath(nose)
    for sign in (-1, 1):
        ear = QRectF(0, 0, r * 0.1, r * 0.34)
        ear.moveCenter(QPointF(c.x() + sign * r * 1.05, c.y()))
        p.drawEllipse(ear)
    dot = canvas.mm(0.5)
    for e in topo.electrodes:
        at = QPointF(c.x() + e.x * r, c.y() - e.y * r)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawEllipse(at, dot, dot)
        box = QRectF(at.x() - canvas.mm(5), at.y() + canvas.mm(0.4), canvas.mm(10), canvas.mm(2.5))
        canvas.text(box, e.name, "tiny", align=CENTRE, colour=INK, wrap=False)
    p.setBrush(Qt.BrushStyle.NoBrush)


def _draw_strips(canvas: Canvas, body: QRectF, topo: TopoMap) -> None:
    strips = topo.strips
    row = min(canvas.mm(4.5), body.height() / max(len(strips), 1))
    label_w = canvas.mm(8)
    most = max((len(s.contacts) for s in strips), default=1)
    cell = min(canvas.mm(4), (body.width() - label_w) / most)
    p = canvas.painter
    y = body.top()
    for strip in strips:
        canvas.text(QRectF(body.left(), y, label_w - canvas.mm(1), row), strip.shaft, "tiny",
                    align=RIGHT_MID, wrap=False)  # fmt: skip
        for k, (_, value) in enumerate(strip.contacts):
            box = QRectF(body.left() + label_w + k * cell, y + row * 0.1, cell * 0.9, row * 0.8)
            p.fillRect(box, colour_at(PROB_LUT, value))
            p.setPen(canvas.pen(RULE, 0.1))
            p.drawRect(box)
        y += row


def draw_scale(canvas: Canvas, rect: QRectF) -> None:
    """The probability colour bar (0 bottom, 1 top) with its ticks."""
    ramp = np.linspace(1.0, 0.0, 64)[:, None]
    canvas.painter.drawImage(rect, to_image(ramp, PROB_LUT))
    canvas.painter.setPen(canvas.pen(RULE, 0.15))
    canvas.painter.drawRect(rect)
    for value in (0.0, 0.5, 1.0):
        y = rect.bottom() - rect.height() * value
        box = QRectF(
            rect.right() + canvas.mm(0.6), y - canvas.mm(1.3), canvas.mm(6), canvas.mm(2.6)
        )
        canvas.text(box, f"{value:g}", "tiny", align=LEFT_MID, colour=GREY, wrap=False)


def draw_bars(canvas: Canvas, rect: QRectF, bars: ChannelBars) -> float:
    """Horizontal bars, highest first; returns the y below them."""
    title = QRectF(rect.left(), rect.top(), rect.width(), canvas.mm(4))
    canvas.text(title, bars.title, "smallbold", wrap=False)
    label_w = canvas.mm(14)
    value_w = canvas.mm(9)
    span = rect.width() - label_w - value_w
    row = canvas.mm(3.0)
    y = rect.top() + canvas.mm(4.5)
    p = canvas.painter
    for name, value in zip(bars.names, bars.values, strict=True):
        if y + row > rect.bottom():
            break
        canvas.text(QRectF(rect.left(), y, label_w - canvas.mm(1), row), name, "tiny",
                    align=RIGHT_MID, wrap=False)  # fmt: skip
        bar = QRectF(
            rect.left() + label_w, y + row * 0.15, span * max(0.0, min(value, 1.0)), row * 0.7
        )
        p.fillRect(bar, colour_at(PROB_LUT, value))
        p.setPen(canvas.pen(QColor(120, 30, 30), 0.1))
        p.drawRect(bar)
        canvas.text(QRectF(bar.right() + canvas.mm(1), y, value_w, row), f"{value:.2f}", "tiny",
                    align=LEFT_MID, wrap=False)  # fmt: skip
        y += row
    return y

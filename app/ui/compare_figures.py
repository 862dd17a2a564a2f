"""Drawing the comparison figures on a :class:`~app.ui.report.canvas.Canvas` (mm units).

One drawing code for the window (a canvas on the widget) and the PDF (a canvas on the
``QPdfWriter``). Changes use a diverging scale, blue = lower after treatment, white = no
change, red = higher; a lighter bar is a change whose 95 % interval includes zero.
Treated contacts are in orange everywhere: on an orange band (bars, labels in orange),
outlined (strip cells) or ringed (scalp electrodes).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen

from app.core.compare.figures import ChangeBars, MapPanel, ScalpMaps, ShaftFigure, bars_span
from app.ui.report.canvas import GREY, INK, RULE, Canvas
from app.ui.report.colours import PROB_LUT, colour_at, lut, to_image

DIVERGING_LUT = lut(((0.0, 33, 102, 172), (0.25, 103, 169, 207), (0.5, 247, 247, 247),
                     (0.75, 239, 138, 98), (1.0, 178, 24, 43)))  # fmt: skip
TREATED = QColor(215, 105, 0)
TREATED_BAND = QColor(255, 200, 130, 110)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def change_colour(value: float, limit: float, significant: bool = True) -> QColor:
    colour = colour_at(DIVERGING_LUT, 0.5 + 0.5 * value / limit if limit > 0 else 0.5)
    if not significant:  # washed out towards white
        colour = QColor(*(round(0.45 * c + 0.55 * 255) for c in (colour.red(), colour.green(),
                                                                   colour.blue())))  # fmt: skip
    return colour


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values covering [lo, hi]."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0):
        return [lo]
    raw = span / n
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= m * step)
    first = math.ceil(lo / step) * step
    return [round(first + k * step, 10) for k in range(int((hi - first) / step + 1e-9) + 1)]


def draw_title(canvas: Canvas, rect: QRectF, text: str) -> float:
    h = canvas.line_height("h2")
    canvas.text(QRectF(rect.left(), rect.top(), rect.width(), h), text, "h2", wrap=False)
    return h + canvas.mm(1.0)


# --- per-channel change bars --------------------------------------------------------------
def draw_change_bars(canvas: Canvas, rect: QRectF, fig: ChangeBars) -> None:
    p = canvas.painter
    top = rect.top() + draw_title(canvas, rect, fig.title)
    label_h = canvas.mm(min(14.0, 3.0 + 1.6 * max((len(n) for n in fig.names), default=1)))
    axis_w = canvas.mm(12.0)
    plot = QRectF(rect.left() + axis_w, top + canvas.mm(3), rect.width() - axis_w,
                  rect.bottom() - top - canvas.mm(3) - label_h)  # fmt: skip
    lo, hi = bars_span(fig)

    def y_of(v: float) -> float:
        return plot.bottom() - (v - lo) / (hi - lo) * plot.height()

    for tick in nice_ticks(lo, hi):
        y = y_of(tick)
        p.setPen(canvas.pen(RULE, 0.1 if tick else 0.3))
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        box = QRectF(rect.left(), y - canvas.mm(2), axis_w - canvas.mm(1), canvas.mm(4))
        canvas.text(box, f"{tick:g}", "tiny", align=RIGHT, wrap=False)
    n = max(len(fig.names), 1)
    w = plot.width() / n
    limit = fig.limit or max(abs(v) for v in (*fig.diff, 1e-9) if math.isfinite(v))
    for i in range(n if fig.names else 0):
        if fig.treated[i]:  # a light band behind the treated channels' bars
            x = plot.left() + i * w
            p.fillRect(QRectF(x, plot.top(), w, plot.height() + label_h), TREATED_BAND)
    for i, name in enumerate(fig.names):
        x = plot.left() + i * w
        if i and fig.groups[i] != fig.groups[i - 1]:
            p.setPen(canvas.pen(GREY, 0.15, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom() + label_h))
        if i == 0 or fig.groups[i] != fig.groups[i - 1]:
            canvas.text_at(QPointF(x + canvas.mm(0.5), plot.top() - canvas.mm(0.5)),
                           fig.groups[i], "smallbold", GREY)  # fmt: skip
        d, low, high = fig.diff[i], fig.low[i], fig.high[i]
        if math.isfinite(d):
            sig = low > 0 or high < 0
            bar = QRectF(x + 0.15 * w, min(y_of(0), y_of(d)), 0.7 * w, abs(y_of(d) - y_of(0)))
            p.fillRect(bar, change_colour(d, limit, sig))
            p.setPen(canvas.pen(INK, 0.15))
            cx = x + 0.5 * w
            p.drawLine(QPointF(cx, y_of(low)), QPointF(cx, y_of(high)))
            for v in (low, high):
                p.drawLine(QPointF(cx - 0.2 * w, y_of(v)), QPointF(cx + 0.2 * w, y_of(v)))
        _vertical_label(canvas, QPointF(x + 0.5 * w, plot.bottom() + canvas.mm(1)), name,
                        TREATED if fig.treated[i] else INK)  # fmt: skip


def _vertical_label(canvas: Canvas, at: QPointF, text: str, colour: QColor) -> None:
    p = canvas.painter
    p.save()
    p.translate(at)
    p.rotate(90)
    h = canvas.line_height("tiny")
    canvas.text(QRectF(0, -h / 2, canvas.mm(14), h), text, "tiny", colour=colour, wrap=False)
    p.restore()


# --- SEEG shaft strip -------------------------------------------------------------------------
def shaft_figure_height(canvas: Canvas, fig: ShaftFigure) -> float:
    return canvas.line_height("h2") + canvas.mm(1 + 7.0 * len(fig.rows) + 12.0)


def draw_shaft_figure(canvas: Canvas, rect: QRectF, fig: ShaftFigure) -> None:
    p = canvas.painter
    y = rect.top() + draw_title(canvas, rect, fig.title)
    label_w = canvas.mm(12.0)
    most = max((len(cells) for _, cells in fig.rows), default=1)
    cell_w = min(canvas.mm(9.0), (rect.width() - label_w) / max(most, 1))
    cell_h = canvas.mm(6.0)
    for shaft, cells in fig.rows:
        canvas.text(QRectF(rect.left(), y, label_w - canvas.mm(1), cell_h), shaft, "bold",
                    align=RIGHT, wrap=False)  # fmt: skip
        for k, cell in enumerate(cells):
            box = QRectF(rect.left() + label_w + k * cell_w, y, cell_w, cell_h)
            colour = change_colour(cell.value, fig.limit, cell.significant)
            if not math.isfinite(cell.value):
                colour = QColor(220, 220, 220)
            p.fillRect(box, colour)
            p.setBrush(Qt.BrushStyle.NoBrush)
            if cell.treated:
                p.setPen(canvas.pen(TREATED, 0.8))
                p.drawRect(box.adjusted(canvas.mm(0.3), canvas.mm(0.3), -canvas.mm(0.3),
                                        -canvas.mm(0.3)))  # fmt: skip
            else:
                p.setPen(canvas.pen(RULE, 0.1))
                p.drawRect(box)
            role = "smallbold" if cell.significant else "tiny"
            canvas.text(box, str(cell.number), role, align=CENTER, wrap=False)
        y += canvas.mm(7.0)
    _legend(canvas, QRectF(rect.left() + label_w, y + canvas.mm(2), canvas.mm(60), canvas.mm(3)),
            fig.limit, fig.unit, fig.decimals)  # fmt: skip
    box = QRectF(rect.left() + label_w + canvas.mm(75), y + canvas.mm(2), canvas.mm(4),
                 canvas.mm(3))  # fmt: skip
    p.setPen(canvas.pen(TREATED, 0.8))
    p.drawRect(box)
    canvas.text(QRectF(box.right() + canvas.mm(1.5), box.top() - canvas.mm(0.5), canvas.mm(70),
                       canvas.mm(4)), "treated contact; bold number: interval excludes 0",
                "tiny", wrap=False)  # fmt: skip


def _legend(canvas: Canvas, rect: QRectF, limit: float, unit: str, decimals: int) -> None:
    ramp = np.linspace(-limit, limit, 128)[None, :]
    canvas.painter.drawImage(rect, to_image(ramp, DIVERGING_LUT, -limit, limit))
    for value, align in ((-limit, "left"), (0.0, "mid"), (limit, "right")):
        x = {"left": rect.left(), "mid": rect.center().x(), "right": rect.right()}[align]
        text = f"{value:+.{decimals}f} {unit}" if value else "0"
        box = QRectF(x - canvas.mm(15), rect.bottom() + canvas.mm(0.3), canvas.mm(30), canvas.mm(3))
        canvas.text(box, text, "tiny", align=CENTER, wrap=False)


# --- scalp maps ---------------------------------------------------------------------------
def draw_scalp_maps(canvas: Canvas, rect: QRectF, maps: ScalpMaps) -> None:
    y = rect.top() + draw_title(canvas, rect, maps.title)
    n = len(maps.panels)
    w = rect.width() / max(n, 1)
    size = min(w - canvas.mm(6), rect.bottom() - y - canvas.mm(15))
    for k, panel in enumerate(maps.panels):
        x = rect.left() + k * w + (w - size) / 2
        canvas.text(QRectF(x, y, size, canvas.mm(4)), panel.label, "smallbold", align=CENTER)
        _head(canvas, QRectF(x, y + canvas.mm(7), size, size), panel, set(maps.treated))
        bar = QRectF(x + 0.1 * size, y + size + canvas.mm(9), 0.8 * size, canvas.mm(2.5))
        if panel.diverging:
            _legend(canvas, bar, panel.hi, maps.unit, maps.decimals)
        else:
            ramp = np.linspace(panel.lo, panel.hi, 128)[None, :]
            canvas.painter.drawImage(bar, to_image(ramp, PROB_LUT, panel.lo, panel.hi))
            for value, bx in ((panel.lo, bar.left()), (panel.hi, bar.right())):
                box = QRectF(bx - canvas.mm(12), bar.bottom(), canvas.mm(24), canvas.mm(3))
                canvas.text(box, f"{value:.{maps.decimals}f}", "tiny", align=CENTER, wrap=False)


def _head(canvas: Canvas, box: QRectF, panel: MapPanel, treated: set[str]) -> None:
    p = canvas.painter
    table = DIVERGING_LUT if panel.diverging else PROB_LUT
    p.drawImage(box, to_image(panel.image, table, panel.lo, panel.hi))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(canvas.pen(INK, 0.3))
    p.drawEllipse(box)
    c, r = box.center(), box.width() / 2
    nose = QPainterPath(QPointF(c.x() - 0.08 * r, box.top() + 0.01 * r))
    nose.lineTo(QPointF(c.x(), box.top() - 0.1 * r))
    nose.lineTo(QPointF(c.x() + 0.08 * r, box.top() + 0.01 * r))
    p.drawPath(nose)
    for side in (-1, 1):
        p.drawArc(QRectF(c.x() + side * r - 0.05 * r, c.y() - 0.15 * r, 0.1 * r, 0.3 * r),
                  90 * 16 * (1 if side > 0 else -1), 180 * 16)  # fmt: skip
    dot = canvas.mm(0.6)
    for name, x, y, _value in panel.electrodes:
        at = QPointF(c.x() + x * r, c.y() - y * r)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(INK))
        p.drawEllipse(at, dot, dot)
        if name in treated:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(TREATED, canvas.mm(0.4)))
            p.drawEllipse(at, 3 * dot, 3 * dot)
        canvas.text_at(QPointF(at.x() + dot, at.y() - dot), name, "tiny", GREY)

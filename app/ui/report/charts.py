"""The report's figures over the night: seizures per hour, and probability + CDSA trends."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor

from app.core.report.model import HourlyChart, TrendFigure
from app.ui.report.blocks import draw_title, title_height
from app.ui.report.canvas import GREY, INK, RULE, STATE_COLOURS, Canvas
from app.ui.report.colours import TURBO_LUT, to_image
from app.ui.report.eeg_snapshot import polyline
from app.ui.report.layout import View

AXIS_MM = 16.0  # left column for axis labels
CENTRE = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
RIGHT_MID = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
DETECTED = QColor(250, 190, 120)
CONFIRMED = QColor(200, 30, 30)


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100):
        if value <= step * 4:
            return step * math.ceil(max(value, 1) / step)
    return value


class HourlyChartView:
    PLOT_MM = 32.0

    def __init__(self, chart: HourlyChart) -> None:
        self.chart = chart

    def height(self, canvas: Canvas, width: float) -> float:
        return title_height(canvas, "h2") + canvas.mm(self.PLOT_MM + 12)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        c = self.chart
        y0 = rect.top() + draw_title(canvas, rect, c.title, "h2")
        plot = QRectF(rect.left() + canvas.mm(AXIS_MM), y0 + canvas.mm(4),
                      rect.width() - canvas.mm(AXIS_MM), canvas.mm(self.PLOT_MM))  # fmt: skip
        top = _nice_max(max(c.detected, default=0))
        p = canvas.painter
        p.setPen(canvas.pen(RULE, 0.15))
        for k in range(top + 1) if top <= 5 else range(0, top + 1, max(1, top // 4)):
            y = plot.bottom() - plot.height() * k / top
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            box = QRectF(rect.left(), y - canvas.mm(2), canvas.mm(AXIS_MM - 2), canvas.mm(4))
            canvas.text(box, str(k), "tiny", align=RIGHT_MID, colour=GREY, wrap=False)
        n = max(len(c.labels), 1)
        slot = plot.width() / n
        every = max(1, math.ceil(n / 14))
        for i, (label, det, conf) in enumerate(zip(c.labels, c.detected, c.confirmed, strict=True)):
            x = plot.left() + i * slot + slot * 0.15
            for k, (value, colour) in enumerate(((det, DETECTED), (conf, CONFIRMED))):
                if value:  # side by side: all seizures, then the confirmed among them
                    h = plot.height() * value / top
                    p.fillRect(
                        QRectF(x + k * slot * 0.35, plot.bottom() - h, slot * 0.35, h), colour
                    )
            if i % every == 0:
                box = QRectF(
                    plot.left() + i * slot - slot,
                    plot.bottom() + canvas.mm(0.8),
                    3 * slot,
                    canvas.mm(3),
                )
                canvas.text(box, label, "tiny", align=CENTRE, colour=INK, wrap=False)
        p.setPen(canvas.pen(INK, 0.25))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        legend_y = plot.bottom() + canvas.mm(4.5)
        x = plot.left()
        for colour, text in (
            (DETECTED, "seizures (detected or marked, not rejected)"),
            (CONFIRMED, "confirmed"),
        ):
            p.fillRect(QRectF(x, legend_y + canvas.mm(0.6), canvas.mm(3), canvas.mm(2)), colour)
            canvas.text(
                QRectF(x + canvas.mm(4), legend_y, canvas.mm(80), canvas.mm(3.5)),
                text,
                "tiny",
                wrap=False,
            )
            x += canvas.mm(4) + canvas.text_width(text, "tiny") + canvas.mm(5)
        if c.note:
            canvas.text(
                QRectF(x, legend_y, plot.right() - x, canvas.mm(3.5)),
                c.note,
                "tiny",
                colour=GREY,
                wrap=False,
            )
        canvas.text(
            QRectF(rect.left(), plot.top() - canvas.mm(3.5), canvas.mm(AXIS_MM), canvas.mm(3)),
            "per hour",
            "tiny",
            colour=GREY,
            wrap=False,
        )


class TrendView:
    """Probability strip above one CDSA panel per hemisphere, a shared time axis."""

    PROB_MM = 20.0
    CDSA_MM = 24.0
    SCALE_MM = 10.0  # right column: colour scale

    def __init__(self, figure: TrendFigure) -> None:
        self.figure = figure

    def _panels(self) -> int:
        return max(len(self.figure.cdsa), 1)

    def height(self, canvas: Canvas, width: float) -> float:
        plots = self.PROB_MM + self._panels() * (self.CDSA_MM + 2)
        return title_height(canvas, "h2") + canvas.mm(plots + 17.5)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def _x(self, plot: QRectF, t: float) -> float:
        return plot.left() + plot.width() * t / max(self.figure.duration_s, 1e-9)

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        f = self.figure
        y = rect.top() + draw_title(canvas, rect, f.title, "h2") + canvas.mm(6.5)
        left = rect.left() + canvas.mm(AXIS_MM)
        width = rect.width() - canvas.mm(AXIS_MM + self.SCALE_MM)
        prob = QRectF(left, y, width, canvas.mm(self.PROB_MM))
        self._draw_prob(canvas, prob, rect.left())
        y = prob.bottom() + canvas.mm(2)
        panels = [prob]
        for cdsa in f.cdsa:
            panel = QRectF(left, y, width, canvas.mm(self.CDSA_MM))
            self._draw_cdsa(canvas, panel, cdsa.db, cdsa.label, rect.left())
            panels.append(panel)
            y = panel.bottom() + canvas.mm(2)
        if f.cdsa:
            self._draw_scale(
                canvas,
                QRectF(
                    left + width + canvas.mm(2),
                    panels[1].top(),
                    canvas.mm(2.5),
                    panels[-1].bottom() - panels[1].top(),
                ),
            )
        self._draw_events(canvas, prob, panels[-1].bottom())
        self._draw_ticks(canvas, prob, panels[-1].bottom())
        if f.note:
            note_y = panels[-1].bottom() + canvas.mm(5.5)
            canvas.text(QRectF(left, note_y, width, canvas.mm(4)), f.note, "tiny", colour=GREY)

    def _axis_label(self, canvas: Canvas, x0: float, plot: QRectF, text: str) -> None:
        box = QRectF(x0, plot.top(), canvas.mm(AXIS_MM - 6), plot.height())
        canvas.text(
            box, text, "tiny", align=int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        )

    def _draw_prob(self, canvas: Canvas, plot: QRectF, x0: float) -> None:
        f = self.figure
        p = canvas.painter
        p.setPen(canvas.pen(RULE, 0.2))
        p.drawRect(plot)
        self._axis_label(canvas, x0, plot, "seizure\nprobability")
        for value in (0.0, 0.5, 1.0):
            y = plot.bottom() - plot.height() * value
            box = QRectF(plot.left() - canvas.mm(6), y - canvas.mm(1.5), canvas.mm(5), canvas.mm(3))
            canvas.text(box, f"{value:g}", "tiny", align=RIGHT_MID, colour=GREY, wrap=False)
        for e in f.events:
            colour = QColor(STATE_COLOURS.get(e.review, GREY))
            colour.setAlpha(60)
            x0e, x1e = self._x(plot, e.onset_s), self._x(plot, e.onset_s + e.duration_s)
            p.fillRect(
                QRectF(x0e, plot.top(), max(x1e - x0e, canvas.mm(0.4)), plot.height()), colour
            )
        p.setPen(canvas.pen(GREY, 0.2, Qt.PenStyle.DashLine))
        yt = plot.bottom() - plot.height() * f.threshold
        p.drawLine(QPointF(plot.left(), yt), QPointF(plot.right(), yt))
        if f.prob.size:
            xs = plot.left() + plot.width() * (np.arange(f.prob.size) + 0.5) / f.prob.size
            ys = plot.bottom() - plot.height() * np.clip(np.nan_to_num(f.prob), 0, 1)
            path = polyline(xs, ys)
            p.setPen(canvas.pen(QColor(150, 20, 20), 0.25))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)

    def _draw_cdsa(
        self, canvas: Canvas, plot: QRectF, db: np.ndarray, label: str, x0: float
    ) -> None:
        f = self.figure
        lo, hi = f.levels_db
        image = to_image(db.T[::-1], TURBO_LUT, lo, hi)  # rows: high frequency at the top
        canvas.painter.drawImage(plot, image)
        canvas.painter.setPen(canvas.pen(RULE, 0.2))
        canvas.painter.drawRect(plot)
        self._axis_label(canvas, x0, plot, label.replace("CDSA ", "CDSA\n"))
        if f.freqs.size:
            fmin, fmax = float(f.freqs[0]), float(f.freqs[-1])
            for hz in (5, 10, 15, 20):
                if fmin <= hz <= fmax:
                    y = plot.bottom() - plot.height() * (hz - fmin) / max(fmax - fmin, 1e-9)
                    box = QRectF(
                        plot.left() - canvas.mm(7), y - canvas.mm(1.5), canvas.mm(6), canvas.mm(3)
                    )
                    canvas.text(box, f"{hz} Hz", "tiny", align=RIGHT_MID, colour=GREY, wrap=False)

    def _draw_scale(self, canvas: Canvas, bar: QRectF) -> None:
        lo, hi = self.figure.levels_db
        ramp = np.linspace(1.0, 0.0, 64)[:, None]
        canvas.painter.drawImage(bar, to_image(ramp, TURBO_LUT))
        for value, y in ((hi, bar.top()), (lo, bar.bottom() - canvas.mm(3))):
            box = QRectF(bar.right() + canvas.mm(0.5), y, canvas.mm(8), canvas.mm(3))
            canvas.text(box, f"{value:.0f} dB", "tiny", colour=GREY, wrap=False)

    def _draw_events(self, canvas: Canvas, prob: QRectF, bottom: float) -> None:
        """Onset lines through every panel, numbered above (two staggered rows when close)."""
        p = canvas.painter
        row_end = [-1e9, -1e9]
        for e in self.figure.events:
            colour = STATE_COLOURS.get(e.review, GREY)
            x = self._x(prob, e.onset_s)
            p.setPen(canvas.pen(colour, 0.25))
            p.drawLine(QPointF(x, prob.top()), QPointF(x, bottom))
            half = canvas.text_width(str(e.number), "tiny") / 2 + canvas.mm(0.4)
            row = 0 if x - half >= row_end[0] else 1
            if x - half < row_end[row]:
                continue  # no room in either row: the line alone marks it
            row_end[row] = x + half
            top = prob.top() - canvas.mm(3.2 + 3.0 * row)
            box = QRectF(x - canvas.mm(3), top, canvas.mm(6), canvas.mm(3))
            canvas.text(box, str(e.number), "tiny", align=CENTRE, colour=colour, wrap=False)

    def _draw_ticks(self, canvas: Canvas, prob: QRectF, bottom: float) -> None:
        p = canvas.painter
        p.setPen(canvas.pen(INK, 0.2))
        for t, label in self.figure.ticks:
            x = self._x(prob, t)
            p.drawLine(QPointF(x, bottom), QPointF(x, bottom + canvas.mm(1)))
            box = QRectF(x - canvas.mm(8), bottom + canvas.mm(1.2), canvas.mm(16), canvas.mm(3))
            canvas.text(box, label, "tiny", align=CENTRE, wrap=False)

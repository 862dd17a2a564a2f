"""The comparison section in the report renderer's page flow.

:func:`comparison_views` turns a :class:`~app.core.compare.report.ComparisonReport` into
page-flow views (title, fields, paragraphs, tables that continue over pages, and the
comparison figures of :mod:`app.ui.compare_figures`, the same drawings as the compare
window's). The EEG report appends them to its own flow (``ReportModel.comparison``);
``app.ui.compare_pdf`` writes them as a PDF of their own. Vector output: figures and
text stay sharp at any zoom.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF

from app.core.compare.figures import ChangeBars, ScalpMaps, ShaftFigure
from app.core.compare.report import ComparisonReport
from app.ui.compare_figures import (
    draw_change_bars,
    draw_scalp_maps,
    draw_shaft_figure,
    shaft_figure_height,
)
from app.ui.report.blocks import FieldsView, TableView, TextView
from app.ui.report.canvas import Canvas
from app.ui.report.layout import Break, View

BARS_MM = 70.0
MAPS_MM = 78.0


class FigureView:
    """A figure of fixed height in the page flow (never split)."""

    def __init__(self, height: Callable[[Canvas], float], draw: Callable[[Canvas, QRectF], None]):
        self._height = height
        self._draw = draw

    def height(self, canvas: Canvas, width: float) -> float:
        return self._height(canvas)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        self._draw(canvas, rect)


class TitleView:
    def __init__(self, text: str) -> None:
        self.text = text

    def height(self, canvas: Canvas, width: float) -> float:
        return canvas.text_height(self.text, "title", width) + canvas.mm(2)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        canvas.text(rect, self.text, "title")


def bars_view(fig: ChangeBars) -> FigureView:
    return FigureView(lambda c: c.mm(BARS_MM), lambda c, r: draw_change_bars(c, r, fig))


def strip_view(fig: ShaftFigure) -> FigureView:
    return FigureView(
        lambda c: shaft_figure_height(c, fig), lambda c, r: draw_shaft_figure(c, r, fig)
    )


def maps_view(fig: ScalpMaps) -> FigureView:
    return FigureView(lambda c: c.mm(MAPS_MM), lambda c, r: draw_scalp_maps(c, r, fig))


def comparison_views(report: ComparisonReport) -> list[View | Break]:
    """The comparison section in page-flow order (starts on a new page)."""
    views: list[View | Break] = [
        Break(),
        TitleView(report.title),
        FieldsView(report.recordings),
        TextView(report.summary),
        TableView(report.ranking),
    ]
    views += [Break(), *(bars_view(b) for b in report.bars)]
    views += [strip_view(s) for s in report.strips]
    views += [maps_view(m) for m in report.maps]
    if report.shafts is not None:
        views.append(TableView(report.shafts))
    views += [TableView(report.channels), TextView(report.method)]
    return views

"""Draw a report model: a PDF through ``QPdfWriter`` (vector text and traces), or images.

Every page has the running header (institution · EEG report · patient or anonymised
ID) and the footer: the statement that detections are computer-assisted and whether
they were reviewed, the generation time, the software version and "Page n of N". The
PDF metadata carries the document title (never a patient name) and the software.

The PDF is written to a temporary file beside the target and moved into place, so a
failed render never leaves half a report. Needs a ``QGuiApplication`` (fonts).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QPainter

from app.core.report.model import (
    MARGIN_MM,
    PAPER_MM,
    FieldsSection,
    HourlyChart,
    PageBreak,
    ReportModel,
    Table,
    TextSection,
    TrendFigure,
)
from app.ui.report.blocks import FieldsView, HeaderView, TableView, TextView
from app.ui.report.canvas import GREY, RULE, Canvas
from app.ui.report.charts import HourlyChartView, TrendView
from app.ui.report.comparison import comparison_views
from app.ui.report.event_page import EventPageView
from app.ui.report.layout import Break, Page, View, content_rect, paginate
from app.ui.report.pdf_file import write_pages

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)


def views_of(model: ReportModel) -> list[View | Break]:
    """The page flow: header, body blocks, the comparison section (when the report has
    one), then one page per event."""
    views: list[View | Break] = [HeaderView(model.header)]
    for block in model.body:
        if isinstance(block, PageBreak):
            views.append(Break())
        elif isinstance(block, FieldsSection):
            views.append(FieldsView(block))
        elif isinstance(block, TextSection):
            views.append(TextView(block))
        elif isinstance(block, Table):
            views.append(TableView(block))
        elif isinstance(block, HourlyChart):
            views.append(HourlyChartView(block))
        elif isinstance(block, TrendFigure):
            views.append(TrendView(block))
    if model.comparison is not None:
        views += comparison_views(model.comparison)
    for page in model.event_pages:
        views += [Break(), EventPageView(page)]
    return views


def layout(canvas: Canvas, model: ReportModel) -> list[Page]:
    return paginate(canvas, views_of(model), content_rect(canvas, model.paper))


def _decorate(canvas: Canvas, model: ReportModel, index: int, total: int) -> None:
    """Running header (after page 1) and footer."""
    width_mm, height_mm = PAPER_MM[model.paper]
    inner = width_mm - 2 * MARGIN_MM
    p = canvas.painter
    if index > 0:
        box = canvas.rect(MARGIN_MM, MARGIN_MM - 9, inner, 4)
        canvas.text(
            box,
            canvas.elide(model.header.running, "small", box.width()),
            "small",
            colour=GREY,
            wrap=False,
        )
        y = canvas.mm(MARGIN_MM - 4.5)
        p.setPen(canvas.pen(RULE, 0.2))
        p.drawLine(QPointF(canvas.mm(MARGIN_MM), y), QPointF(canvas.mm(width_mm - MARGIN_MM), y))
    top = height_mm - MARGIN_MM + 3
    y = canvas.mm(top)
    p.setPen(canvas.pen(RULE, 0.2))
    p.drawLine(QPointF(canvas.mm(MARGIN_MM), y), QPointF(canvas.mm(width_mm - MARGIN_MM), y))
    f = model.footer
    canvas.text(canvas.rect(MARGIN_MM, top + 0.8, inner, 6), f.statement, "tiny", wrap=True)
    line = canvas.rect(MARGIN_MM, top + 7.0, inner, 3.5)
    canvas.text(line, f"{f.generated} · {f.software}", "tiny", colour=GREY, wrap=False)
    canvas.text(line, f"Page {index + 1} of {total}", "small", align=RIGHT, wrap=False)


def draw_page(canvas: Canvas, model: ReportModel, pages: list[Page], index: int) -> None:
    for view, rect in pages[index].items:
        canvas.painter.save()
        canvas.painter.setClipRect(
            rect.adjusted(-canvas.mm(20), -canvas.mm(8), canvas.mm(20), canvas.mm(2))
        )
        view.draw(canvas, rect)
        canvas.painter.restore()
    _decorate(canvas, model, index, len(pages))


def write_pdf(model: ReportModel, path: str | os.PathLike[str]) -> int:
    """Write the report to ``path`` (atomically); returns the number of pages."""
    return write_pages(
        path,
        paper=model.paper,
        title=model.document_title,
        creator=model.footer.software,
        lay_out=lambda canvas: layout(canvas, model),
        draw_page=lambda canvas, pages, index: draw_page(canvas, model, pages, index),
    )


def render_images(model: ReportModel, dpi: float = 72.0) -> list[QImage]:
    """Every page as a white image at ``dpi`` (the dialog's preview)."""
    width_mm, height_mm = PAPER_MM[model.paper]
    dots_per_metre = round(dpi / 0.0254)

    def blank() -> QImage:
        image = QImage(
            round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi), QImage.Format.Format_RGB32
        )
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        image.fill(Qt.GlobalColor.white)
        return image

    first = blank()
    canvas = Canvas(first)
    pages = layout(canvas, model)
    images = []
    for index in range(len(pages)):
        image = first if index == 0 else blank()
        canvas.device = image
        painter = QPainter(image)
        canvas.begin(painter)
        draw_page(canvas, model, pages, index)
        canvas.end()
        painter.end()
        images.append(image)
    return images

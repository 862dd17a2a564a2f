"""The comparison as a PDF of its own (``ictal compare --out``).

The pages are the report renderer's comparison section
(:func:`app.ui.report.comparison.comparison_views`, the same views the EEG report shows
with ``ictal report --compare-with``), written through the one ``QPdfWriter`` loop
(:func:`app.ui.report.pdf_file.write_pages`); only the footer is the comparison's own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF

from app.core.compare.report import ComparisonReport
from app.ui.report.canvas import GREY, Canvas
from app.ui.report.comparison import comparison_views
from app.ui.report.layout import Page, content_rect, paginate
from app.ui.report.pdf_file import write_pages


def _footer(canvas: Canvas, area: QRectF, text: str) -> None:
    y = area.bottom() + canvas.mm(6)
    canvas.text_at(QPointF(area.left(), y), text, "tiny", GREY)


def write_comparison_pdf(report: ComparisonReport, path: str | Path, paper: str = "A4") -> int:
    """Write the comparison pages to ``path`` atomically (A4 or Letter); the page count.

    Needs a ``QGuiApplication`` (fonts).
    """
    area: list[QRectF] = []

    def lay_out(canvas: Canvas) -> list[Page]:
        area.append(content_rect(canvas, paper))
        return paginate(canvas, comparison_views(report), area[0])

    def draw(canvas: Canvas, pages: list[Page], index: int) -> None:
        for view, rect in pages[index].items:
            view.draw(canvas, rect)
        footer = f"Ictal · {report.title} · page {index + 1} of {len(pages)}"
        _footer(canvas, area[0], footer)

    return write_pages(
        path, paper=paper, title=report.title, creator="Ictal", lay_out=lay_out, draw_page=draw
    )

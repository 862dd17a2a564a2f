"""Write laid-out pages to a PDF file atomically: the one ``QPdfWriter`` loop of Ictal.

The report and the comparison both come here; each supplies how to lay its views out on
pages and how to draw one page.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from app.ui.report.canvas import Canvas
from app.ui.report.layout import Page

#: Resolution of the PDF's coordinate grid (dots per inch); text and lines stay vector.
PDF_DPI = 600
PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def write_pages(
    path: str | os.PathLike[str],
    *,
    paper: str,
    title: str,
    creator: str,
    lay_out: Callable[[Canvas], list[Page]],
    draw_page: Callable[[Canvas, list[Page], int], None],
) -> int:
    """Lay out and draw every page into ``path`` (temp file + rename); the page count.

    Needs a ``QGuiApplication`` (fonts). Nothing is left behind when drawing fails.
    """
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(temp)
        writer.setResolution(PDF_DPI)
        size = QPageSize(PAGE_SIZES[paper])
        writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF()))
        writer.setTitle(title)
        writer.setCreator(creator)
        canvas = Canvas(writer)
        pages = lay_out(canvas)
        painter = QPainter(writer)
        if not painter.isActive():
            raise OSError(f"cannot write {target}")
        canvas.begin(painter)
        for index in range(len(pages)):
            if index:
                writer.newPage()
            draw_page(canvas, pages, index)
        canvas.end()
        painter.end()
        del painter, writer
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return len(pages)

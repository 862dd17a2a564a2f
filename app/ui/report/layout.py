"""Pages from blocks: each block knows its height at a width; tables split across pages.

Layout runs before drawing, so the total page count is known for "Page 3 of 12".
Everything here is in device pixels of one canvas (the PDF and the preview lay out
separately: fonts measure slightly differently at different resolutions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QRectF

from app.core.report.model import MARGIN_MM, PAPER_MM
from app.ui.report.canvas import Canvas

#: Space between blocks (mm).
GAP_MM = 5.0
#: A block is split only when at least this much (mm) of it fits on the current page.
MIN_SPLIT_MM = 25.0


class View(Protocol):
    """Something drawn in the page flow."""

    def height(self, canvas: Canvas, width: float) -> float: ...

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        """A first part fitting ``room`` and the rest; None when it cannot split."""
        ...

    def draw(self, canvas: Canvas, rect: QRectF) -> None: ...


class Break:
    """Start a new page (an event page always begins with one)."""


@dataclass
class Page:
    """The blocks of one page with where they go."""

    items: list[tuple[View, QRectF]] = field(default_factory=list)


def content_rect(canvas: Canvas, paper: str) -> QRectF:
    width, height = PAPER_MM[paper]
    return canvas.rect(MARGIN_MM, MARGIN_MM, width - 2 * MARGIN_MM, height - 2 * MARGIN_MM)


def paginate(canvas: Canvas, views: list[View | Break], area: QRectF) -> list[Page]:
    """Place ``views`` top to bottom on pages of ``area``; never an empty page."""
    pages = [Page()]
    y = area.top()
    gap = canvas.mm(GAP_MM)
    queue = list(views)
    while queue:
        view = queue.pop(0)
        if isinstance(view, Break):
            if pages[-1].items:
                pages.append(Page())
                y = area.top()
            continue
        needed = view.height(canvas, area.width())
        room = area.bottom() - y
        if needed <= room:
            pages[-1].items.append((view, QRectF(area.left(), y, area.width(), needed)))
            y += needed + gap
            continue
        parts = view.split(canvas, area.width(), room) if room >= canvas.mm(MIN_SPLIT_MM) else None
        if parts is not None:
            first, rest = parts
            h = first.height(canvas, area.width())
            pages[-1].items.append((first, QRectF(area.left(), y, area.width(), h)))
            queue.insert(0, rest)
            pages.append(Page())
            y = area.top()
            continue
        if pages[-1].items:  # try again at the top of a fresh page
            pages.append(Page())
            y = area.top()
            queue.insert(0, view)
            continue
        height = min(needed, area.height())
        pages[-1].items.append((view, QRectF(area.left(), y, area.width(), height)))
        y += height + gap
    return [p for p in pages if p.items]

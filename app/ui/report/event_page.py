"""One event's page: title and facts, the EEG snapshot, then the ECAM maps and bars.

Top to bottom on the printable area (the heights add up to the page, see
``app.core.report.snapshot.OTHER_MM``): title 8 mm, facts 20 mm, snapshot (traces plus
12 mm of axis and scale), ECAM row ~70 mm: map at onset | map at peak | colour scale |
per-channel bars with the annotations during the event under them.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from app.core.report.model import EventPage
from app.ui.report.blocks import draw_fields, draw_title
from app.ui.report.canvas import GREY, Canvas
from app.ui.report.eeg_snapshot import draw_snapshot, snapshot_height_mm
from app.ui.report.layout import View
from app.ui.report.topomap_painter import draw_bars, draw_map, draw_scale

#: Room above the traces for the onset label.
ONSET_LABEL_MM = 5.0
MAP_MM = 50.0
FACT_LABEL_MM = 25.0


class EventPageView:
    """Takes a whole page."""

    def __init__(self, page: EventPage) -> None:
        self.page = page

    def height(self, canvas: Canvas, width: float) -> float:
        return canvas.mm(10_000)  # always a page of its own (clipped to the page)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        page = self.page
        y = rect.top() + draw_title(canvas, rect, page.title)
        half = len(page.facts) // 2 + len(page.facts) % 2
        col = rect.width() / 2
        bottom = y
        for i, chunk in enumerate((page.facts[:half], page.facts[half:])):
            left = rect.left() + i * col
            end = draw_fields(canvas, QPointF(left, y), col - canvas.mm(3), chunk, FACT_LABEL_MM)
            bottom = max(bottom, end)
        y = bottom + canvas.mm(ONSET_LABEL_MM)
        if page.traces is not None:
            draw_snapshot(canvas, rect.left(), y, page.request, page.traces)
        y += canvas.mm(snapshot_height_mm(page.request) + 3)
        self._draw_ecam(canvas, QRectF(rect.left(), y, rect.width(), rect.bottom() - y))

    def _draw_ecam(self, canvas: Canvas, row: QRectF) -> None:
        page = self.page
        x = row.left()
        for topo in page.maps:
            draw_map(canvas, QRectF(x, row.top(), canvas.mm(MAP_MM), row.height()), topo)
            x += canvas.mm(MAP_MM)
        if page.maps:
            bar = QRectF(x, row.top() + canvas.mm(8), canvas.mm(2.5), canvas.mm(40))
            draw_scale(canvas, bar)
            x += canvas.mm(12)
        if not page.maps and page.bars is None:
            text = "No ECAM: the recording was not analysed."
            canvas.text(
                QRectF(x, row.top(), row.right() - x, canvas.mm(5)), text, "small", colour=GREY
            )
            return
        right = QRectF(x, row.top(), row.right() - x, row.height())
        y = draw_bars(canvas, right, page.bars) if page.bars is not None else right.top()
        if page.notes:
            y += canvas.mm(2)
            canvas.text(
                QRectF(x, y, right.width(), canvas.mm(4)),
                "Annotations during the event",
                "smallbold",
                wrap=False,
            )
            y += canvas.mm(4)
            for note in page.notes:
                if y + canvas.mm(3) > row.bottom():
                    break
                canvas.text(
                    QRectF(x, y, right.width(), canvas.mm(3)),
                    canvas.elide(note, "tiny", right.width()),
                    "tiny",
                    wrap=False,
                )
                y += canvas.mm(3)

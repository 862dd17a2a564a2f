"""Text blocks of the report flow: labelled fields, paragraphs, tables, the first-page header."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor

from app.core.report.model import Field, FieldsSection, ReportHeader, Table, TextSection
from app.ui.report.canvas import ACCENT, GREY, INK, RULE, Canvas
from app.ui.report.layout import View

LABEL_MM = 42.0
PAD_MM = 0.8
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
SHADE = QColor(242, 244, 247)
#: Marked table rows (treated contacts): the comparison figures' orange, light.
MARKED = QColor(255, 226, 190)


def draw_title(canvas: Canvas, rect: QRectF, title: str, role: str = "h1") -> float:
    """A section title with a rule under it; returns the height used."""
    h = canvas.line_height(role)
    canvas.text(QRectF(rect.left(), rect.top(), rect.width(), h), title, role, colour=ACCENT)
    y = rect.top() + h + canvas.mm(0.6)
    canvas.painter.setPen(canvas.pen(RULE, 0.2))
    canvas.painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
    return h + canvas.mm(2.0)


def title_height(canvas: Canvas, role: str = "h1") -> float:
    return canvas.line_height(role) + canvas.mm(2.0)


def _row_height(canvas: Canvas, f: Field, width: float, label_mm: float) -> float:
    label_w = canvas.mm(label_mm)
    value = canvas.text_height(f.value, "body", width - label_w)
    return max(value, canvas.text_height(f.label, "small", label_w - canvas.mm(2)))


def fields_height(canvas: Canvas, fields: Sequence[Field], width: float, label_mm: float) -> float:
    pad = canvas.mm(PAD_MM)
    return sum(_row_height(canvas, f, width, label_mm) + pad for f in fields)


def draw_fields(
    canvas: Canvas, at: QPointF, width: float, fields: Sequence[Field], label_mm: float
) -> float:
    """Label/value rows from (x, y); returns the y below them."""
    x, y = at.x(), at.y()
    label_w = canvas.mm(label_mm)
    value_w = width - label_w
    for f in fields:
        h = _row_height(canvas, f, width, label_mm)
        canvas.text(QRectF(x, y, label_w - canvas.mm(2), h), f.label, "small", colour=GREY)
        canvas.text(QRectF(x + label_w, y, value_w, h), f.value, "body")
        y += h + canvas.mm(PAD_MM)
    return y


class FieldsView:
    def __init__(self, section: FieldsSection) -> None:
        self.section = section

    def height(self, canvas: Canvas, width: float) -> float:
        return title_height(canvas) + fields_height(canvas, self.section.fields, width, LABEL_MM)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        y = rect.top() + draw_title(canvas, rect, self.section.title)
        draw_fields(canvas, QPointF(rect.left(), y), rect.width(), self.section.fields, LABEL_MM)


class TextView:
    def __init__(self, section: TextSection) -> None:
        self.section = section

    def _para_heights(self, canvas: Canvas, width: float) -> list[float]:
        return [
            canvas.text_height(p, "body", width) + canvas.mm(1.5) for p in self.section.paragraphs
        ]

    def height(self, canvas: Canvas, width: float) -> float:
        return title_height(canvas) + sum(self._para_heights(canvas, width))

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        used = title_height(canvas)
        paras = self.section.paragraphs
        for n, h in enumerate(self._para_heights(canvas, width)):
            if used + h > room:
                if n == 0 or n == len(paras):
                    return None
                head = TextSection(self.section.title, paras[:n])
                tail = TextSection(f"{self.section.title} (continued)", paras[n:])
                return TextView(head), TextView(tail)
            used += h
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        y = rect.top() + draw_title(canvas, rect, self.section.title)
        for p, h in zip(
            self.section.paragraphs, self._para_heights(canvas, rect.width()), strict=True
        ):
            canvas.text(QRectF(rect.left(), y, rect.width(), h), p, "body")
            y += h


class TableView:
    """A table; the header row repeats on every page it continues to."""

    def __init__(self, table: Table, continued: bool = False) -> None:
        self.table = table
        self.continued = continued

    def _widths(self, width: float) -> list[float]:
        total = sum(self.table.widths)
        return [width * w / total for w in self.table.widths]

    def _row_height(
        self, canvas: Canvas, cells: Sequence[str], widths: list[float], role: str
    ) -> float:
        pad = canvas.mm(2 * PAD_MM)
        inner = [w - canvas.mm(1.6) for w in widths]
        return max(canvas.text_height(c, role, w) for c, w in zip(cells, inner, strict=True)) + pad

    def _heights(self, canvas: Canvas, width: float) -> tuple[float, list[float]]:
        widths = self._widths(width)
        head = title_height(canvas, "h2") + self._row_height(
            canvas, self.table.columns, widths, "smallbold"
        )
        rows = [self._row_height(canvas, r, widths, "small") for r in self.table.rows]
        if not rows:
            head += canvas.line_height("body") + canvas.mm(2)
        return head, rows

    def height(self, canvas: Canvas, width: float) -> float:
        head, rows = self._heights(canvas, width)
        note = canvas.text_height(self.table.note, "small", width) if self.table.note else 0.0
        return head + sum(rows) + note

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        head, rows = self._heights(canvas, width)
        used, n = head, 0
        while n < len(rows) and used + rows[n] <= room:
            used += rows[n]
            n += 1
        if n == 0 or n == len(rows):
            return None
        t = self.table
        first = replace(t, rows=t.rows[:n], note="", marked=tuple(i for i in t.marked if i < n))
        rest = replace(t, rows=t.rows[n:], marked=tuple(i - n for i in t.marked if i >= n))
        return TableView(first, self.continued), TableView(rest, continued=True)

    def _draw_row(
        self, canvas: Canvas, box: QRectF, cells: Sequence[str], widths: list[float], role: str
    ) -> None:
        x, y, h = box.left(), box.top(), box.height()
        pad = canvas.mm(0.8)
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            align = RIGHT if i in self.table.right else int(Qt.AlignmentFlag.AlignLeft)
            box = QRectF(x + pad, y + canvas.mm(PAD_MM), w - 2 * pad, h)
            canvas.text(box, cell, role, align=align)
            x += w

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        t = self.table
        title = f"{t.title} (continued)" if self.continued else t.title
        y = rect.top() + draw_title(canvas, rect, title, "h2")
        widths = self._widths(rect.width())
        p = canvas.painter
        h = self._row_height(canvas, t.columns, widths, "smallbold")
        p.fillRect(QRectF(rect.left(), y, rect.width(), h), SHADE)
        self._draw_row(
            canvas, QRectF(rect.left(), y, rect.width(), h), t.columns, widths, "smallbold"
        )
        y += h
        if not t.rows:
            canvas.text(
                QRectF(rect.left(), y + canvas.mm(1), rect.width(), rect.height()),
                t.empty,
                "body",
                colour=GREY,
            )
        for i, row in enumerate(t.rows):
            h = self._row_height(canvas, row, widths, "small")
            if i in t.marked or i % 2:
                shade = MARKED if i in t.marked else SHADE
                p.fillRect(QRectF(rect.left(), y, rect.width(), h), shade)
            self._draw_row(canvas, QRectF(rect.left(), y, rect.width(), h), row, widths, "small")
            y += h
        p.setPen(canvas.pen(RULE, 0.2))
        p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        if t.note:
            canvas.text(
                QRectF(rect.left(), y + canvas.mm(0.5), rect.width(), rect.bottom() - y),
                t.note,
                "small",
                colour=GREY,
            )


class HeaderView:
    """The first page's head: institution, title, and patient | recording | referral."""

    COLUMNS_MM = (58.0, 64.0, 58.0)
    LABEL_COL_MM = 24.0

    def __init__(self, header: ReportHeader) -> None:
        self.header = header

    def _groups(self) -> tuple[tuple[Field, ...], ...]:
        h = self.header
        return h.patient, h.recording, h.referral

    def height(self, canvas: Canvas, width: float) -> float:
        top = canvas.line_height("h1") + canvas.line_height("title") + canvas.line_height("body")
        cols = [
            fields_height(canvas, g, canvas.mm(w) - canvas.mm(3), self.LABEL_COL_MM)
            for g, w in zip(self._groups(), self.COLUMNS_MM, strict=True)
        ]
        return top + canvas.mm(5) + max(cols)

    def split(self, canvas: Canvas, width: float, room: float) -> tuple[View, View] | None:
        return None

    def draw(self, canvas: Canvas, rect: QRectF) -> None:
        h = self.header
        y = rect.top()
        for text, role, colour in (
            (h.institution, "h1", ACCENT),
            (h.title, "title", None),
            (h.subtitle, "body", GREY),
        ):
            lh = canvas.line_height(role)
            canvas.text(
                QRectF(rect.left(), y, rect.width(), lh),
                text,
                role,
                colour=colour or INK,
                wrap=False,
            )
            y += lh
        y += canvas.mm(2)
        canvas.painter.setPen(canvas.pen(ACCENT, 0.5))
        canvas.painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        y += canvas.mm(3)
        x = rect.left()
        for group, w in zip(self._groups(), self.COLUMNS_MM, strict=True):
            width = canvas.mm(w) - canvas.mm(3)
            draw_fields(canvas, QPointF(x, y), width, group, self.LABEL_COL_MM)
            x += canvas.mm(w)

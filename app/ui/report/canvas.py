"""A paint device measured in millimetres: the report is laid out in mm, drawn in pixels.

The same drawing code paints the PDF (``QPdfWriter``) and the preview images
(``QImage``); only the device's resolution differs. Fonts are given in points, so text
has the same size on paper at any resolution.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

FAMILY = "DejaVu Sans"
#: Font roles: (point size, bold).
ROLES: dict[str, tuple[float, bool]] = {
    "title": (16.0, True),
    "h1": (11.5, True),
    "h2": (9.5, True),
    "body": (8.5, False),
    "bold": (8.5, True),
    "small": (7.0, False),
    "smallbold": (7.0, True),
    "tiny": (6.0, False),
}
INK = QColor(20, 20, 20)
GREY = QColor(110, 110, 110)
RULE = QColor(170, 170, 170)
ACCENT = QColor(25, 70, 130)
#: Review states on figures: confirmed red, unreviewed orange, rejected grey.
STATE_COLOURS = {
    "accepted": QColor(200, 30, 30),
    "reviewer": QColor(200, 30, 30),
    "unreviewed": QColor(230, 130, 0),
    "rejected": QColor(150, 150, 150),
}
WRAP = int(Qt.TextFlag.TextWordWrap)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


class Canvas:
    """Millimetre geometry, fonts and text on one paint device (PDF writer or image)."""

    def __init__(self, device: QPaintDevice) -> None:
        self.device = device
        self.px_per_mm = device.logicalDpiX() / 25.4
        self._painter: QPainter | None = None
        self._fonts: dict[str, QFont] = {}
        self._metrics: dict[str, QFontMetricsF] = {}

    @property
    def painter(self) -> QPainter:
        if self._painter is None:
            raise RuntimeError("the canvas is not painting")
        return self._painter

    def begin(self, painter: QPainter) -> None:
        self._painter = painter
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)

    def end(self) -> None:
        self._painter = None

    # --- geometry -------------------------------------------------------------------------
    def mm(self, value: float) -> float:
        return value * self.px_per_mm

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        """A rectangle given in mm, in device pixels."""
        return QRectF(self.mm(x), self.mm(y), self.mm(w), self.mm(h))

    def pen(
        self, colour: QColor, width_mm: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine
    ) -> QPen:
        pen = QPen(colour, self.mm(width_mm), style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    # --- text -----------------------------------------------------------------------------
    def font(self, role: str) -> QFont:
        if role not in self._fonts:
            size, bold = ROLES[role]
            font = QFont(FAMILY)
            font.setPointSizeF(size)
            font.setBold(bold)
            for tag in ("liga", "clig"):  # "fi" stays two letters: the PDF text is searchable
                font.setFeature(QFont.Tag(tag), 0)
            self._fonts[role] = font
        return self._fonts[role]

    def metrics(self, role: str) -> QFontMetricsF:
        if role not in self._metrics:
            self._metrics[role] = QFontMetricsF(self.font(role), self.device)
        return self._metrics[role]

    def line_height(self, role: str) -> float:
        return self.metrics(role).lineSpacing()

    def text_width(self, text: str, role: str) -> float:
        return self.metrics(role).horizontalAdvance(text)

    def text_height(self, text: str, role: str, width: float) -> float:
        """Height of ``text`` wrapped to ``width`` pixels."""
        if not text:
            return 0.0
        box = self.metrics(role).boundingRect(QRectF(0, 0, width, 1e7), LEFT | WRAP, text)
        return max(box.height(), self.line_height(role))

    def elide(self, text: str, role: str, width: float) -> str:
        return self.metrics(role).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def text(
        self,
        rect: QRectF,
        text: str,
        role: str = "body",
        *,
        align: int = LEFT,
        colour: QColor = INK,
        wrap: bool = True,
    ) -> None:
        p = self.painter
        p.setFont(self.font(role))
        p.setPen(colour)
        p.drawText(rect, align | (WRAP if wrap else 0), text)

    def text_at(self, point: QPointF, text: str, role: str = "small", colour: QColor = INK) -> None:
        """``text`` with its baseline starting at ``point``."""
        p = self.painter
        p.setFont(self.font(role))
        p.setPen(colour)
        p.drawText(point, text)

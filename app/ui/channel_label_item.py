"""Channel labels at the left of the traces, aligned with each trace's baseline.

A left axis whose ticks are the traces' baselines: it scrolls and resizes with the view
by construction. Traces fed by a channel marked bad are labelled in red; highlighted ones
(treated contacts) in bold orange, the colour of their bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPainter

BAD_COLOUR = QColor(200, 0, 0)
HIGHLIGHT_COLOUR = QColor(200, 100, 0)
LABEL_WIDTH_PX = 82


class ChannelLabelItem(pg.AxisItem):  # type: ignore[misc]
    """Left axis showing trace labels at given y positions (view coordinates)."""

    def __init__(self) -> None:
        super().__init__(orientation="left")
        self._positions: tuple[float, ...] = ()
        self._labels: tuple[str, ...] = ()
        self._bad: frozenset[str] = frozenset()
        self._highlighted: frozenset[str] = frozenset()
        self.setPen(pg.mkPen(None))
        self.setTextPen(pg.mkPen("k"))
        self.setStyle(
            tickLength=0, tickTextOffset=6, autoExpandTextSpace=False, hideOverlappingLabels=False
        )
        self.setWidth(LABEL_WIDTH_PX)

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def set_channels(
        self, positions: Sequence[float], labels: Sequence[str], bad: frozenset[str]
    ) -> None:
        """Baselines (view y) and labels of the drawn traces; ``bad`` labels go red."""
        self._positions = tuple(positions)
        self._labels = tuple(labels)
        self._bad = bad
        self.picture = None
        self.update()

    @property
    def highlighted(self) -> frozenset[str]:
        return self._highlighted

    def set_highlighted(self, labels: frozenset[str]) -> None:
        """Labels drawn in bold orange (treated contacts); bad ones stay red."""
        if labels != self._highlighted:
            self._highlighted = labels
            self.picture = None
            self.update()

    def label_at(self, y: float) -> str | None:
        """The label of the trace whose baseline is nearest to view coordinate ``y``."""
        if not self._positions:
            return None
        index = min(range(len(self._positions)), key=lambda i: abs(self._positions[i] - y))
        return self._labels[index]

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        return [(1.0, list(self._positions))]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        by_position = dict(zip(self._positions, self._labels, strict=True))
        return [by_position.get(v, "") for v in values]

    def drawPicture(
        self,
        p: QPainter,
        axisSpec: object,
        tickSpecs: list[object],
        textSpecs: list[tuple[Any, Any, str]],
    ) -> None:
        special = self._bad | self._highlighted
        normal = [spec for spec in textSpecs if spec[2] not in special]
        super().drawPicture(p, axisSpec, tickSpecs, normal)
        bold = self.font()
        bold.setBold(True)
        for colour, font, names in (
            (HIGHLIGHT_COLOUR, bold, self._highlighted - self._bad),
            (BAD_COLOUR, self.font(), self._bad),
        ):
            p.setPen(colour)
            p.setFont(font)
            for rect, flags, text in (spec for spec in textSpecs if spec[2] in names):
                p.drawText(rect, int(flags), text)

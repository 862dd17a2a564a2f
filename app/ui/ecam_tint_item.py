"""The ECAM on the traces: each trace's row tinted by its seizure probability, second by second.

Behind every trace, one block per second coloured on the report's probability scale
(white-yellow-red) and more opaque the more probable: a focal seizure lights up the rows
of its channels from onset while the others stay white paper. Below
``MIN_PROBABILITY`` nothing is drawn, so background wobble of the model does not colour
the whole page. The item draws the per-trace values it is given
(:func:`app.core.analysis.channel_view` maps the model's channels onto any montage).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from app.ui.report.colours import PROB_LUT

#: Probabilities below this leave the row white.
MIN_PROBABILITY = 0.2
#: Opacity (0-255) of a second at the minimum probability and of a certain one: at most
#: about a third, so the traces stay readable when a whole page is ictal.
MIN_ALPHA = 30
MAX_ALPHA = 80
Z_TINT = -30


def tint_argb(values: npt.ArrayLike) -> npt.NDArray[np.uint32]:
    """ARGB words of probabilities (NaN and values under the minimum: transparent)."""
    p = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    p = np.clip(p, 0.0, 1.0)
    index = np.round(p * (len(PROB_LUT) - 1)).astype(np.intp)
    rgb = PROB_LUT[index].astype(np.uint32)
    strength = np.clip((p - MIN_PROBABILITY) / (1.0 - MIN_PROBABILITY), 0.0, 1.0)
    alpha = np.where(
        p >= MIN_PROBABILITY, np.round(MIN_ALPHA + strength * (MAX_ALPHA - MIN_ALPHA)), 0
    )
    words = (alpha.astype(np.uint32) << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    return np.asarray(words, dtype=np.uint32)


class EcamTintItem(pg.GraphicsObject):  # type: ignore[misc]
    """Per-trace, per-second tint rows (view coordinates: seconds × mm)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[QRectF, QImage]] = []
        self._bounds = QRectF()
        self.values: npt.NDArray[np.float32] = np.zeros((0, 0), np.float32)
        self.setZValue(Z_TINT)

    def set_rows(
        self,
        first_s: float,
        values: npt.NDArray[np.float32],
        tops: Sequence[float],
        heights: Sequence[float],
    ) -> None:
        """Row ``k`` spans ``[tops[k], tops[k] + heights[k]]`` mm; column ``j`` second
        ``first_s + j``; ``values`` is (rows × seconds) probability, NaN unknown."""
        self.prepareGeometryChange()
        self.values = np.asarray(values, dtype=np.float32)
        self._rows = []
        n_s = self.values.shape[1] if self.values.ndim == 2 else 0
        if n_s:
            words = tint_argb(self.values)
            for k, (top, height) in enumerate(zip(tops, heights, strict=False)):
                if not (words[k] >> 24).any():
                    continue  # nothing to tint on this row
                line = np.ascontiguousarray(words[k : k + 1])
                image = QImage(line.data, n_s, 1, 4 * n_s, QImage.Format.Format_ARGB32).copy()
                self._rows.append((QRectF(first_s, top, n_s, height), image))
        self._bounds = QRectF()
        for rect, _ in self._rows:
            self._bounds = self._bounds.united(rect)
        self.update()

    def clear(self) -> None:
        self.set_rows(0.0, np.zeros((0, 0), np.float32), (), ())

    @property
    def tinted_rows(self) -> int:
        """How many rows carry some tint (tests)."""
        return len(self._rows)

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def paint(self, painter: QPainter, *_: object) -> None:
        for rect, image in self._rows:
            painter.drawImage(rect, image)

"""One hemisphere's aEEG band on the semi-logarithmic amplitude axis.

Each margin segment (15 s) is a vertical bar from its lower to its upper margin, as
the cerebral function monitor's pen sweeps: over a night the bars merge into the
familiar band. y is the display position of :func:`app.core.aeeg.semilog` (0-1 for
0-10 µV, 1-2 for 10-100 µV); :func:`amplitude_ticks` labels it in µV.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtGui import QColor

from app.core.aeeg import semilog

#: Amplitudes marked on the aEEG axis (µV): labelled, then minor; and the top of the range.
TICKS_UV = (0, 10, 100)
MINOR_TICKS_UV = (5, 25, 50)
TOP_UV = 200.0
BAND_COLOUR = QColor(25, 60, 140)


def amplitude_ticks() -> list[list[tuple[float, str]]]:
    """Major ticks of the semi-log axis in µV (for ``AxisItem.setTicks``)."""
    major = [(float(semilog(v)), f"{v:g}") for v in TICKS_UV]
    return [major, [(float(semilog(v)), "") for v in MINOR_TICKS_UV]]


def y_range() -> tuple[float, float]:
    return 0.0, float(semilog(TOP_UV))


class AeegItem(pg.BarGraphItem):  # type: ignore[misc]
    """The aEEG margins of one derivation as min-max bars per segment."""

    def __init__(self, colour: QColor = BAND_COLOUR) -> None:
        super().__init__(x0=[], x1=[], y0=[], y1=[], pen=None, brush=pg.mkBrush(colour))
        self._margins: npt.NDArray[np.float32] = np.zeros((0, 2), np.float32)
        self._segment_s = 1.0

    def set_margins(self, margins: npt.NDArray[np.float32], segment_s: float) -> None:
        """Draw ``margins`` (segments × [lower, upper] µV); NaN segments are left empty."""
        self._margins, self._segment_s = margins, segment_s
        done = np.flatnonzero(np.isfinite(margins).all(axis=1))
        top = float(semilog(TOP_UV))
        low = np.minimum(semilog(margins[done, 0]), top)
        high = np.minimum(semilog(margins[done, 1]), top)
        high = np.maximum(high, low + 0.01)  # a flat band still shows as a line
        x0 = done * segment_s
        self.setOpts(x0=x0, x1=x0 + segment_s, y0=low, y1=high)

    def margins_at(self, t_s: float) -> tuple[float, float] | None:
        """(lower, upper) µV of the segment under ``t_s``; None outside or not computed."""
        i = int(t_s // self._segment_s) if t_s >= 0 else -1
        if not 0 <= i < len(self._margins) or not np.isfinite(self._margins[i]).all():
            return None
        return float(self._margins[i, 0]), float(self._margins[i, 1])

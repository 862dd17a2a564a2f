"""One hemisphere's compressed density spectral array as an image: time × frequency, dB.

x is seconds from the first sample (one column per CDSA bin), y is frequency in Hz
(one row per 0.5 Hz). Colours follow the 'turbo' map, a perceptually smoothed
rainbow close to the jet-like scales clinical CDSA displays use: dark blue for low
power, red for high. Both hemispheres are drawn with the same dB range so an
asymmetry shows as a colour difference. Bins not computed yet (NaN) stay transparent.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QRectF

COLORMAP = "turbo"


class CdsaItem(pg.ImageItem):  # type: ignore[misc]
    """The CDSA map of one hemisphere (columns: time bins, rows: frequencies)."""

    def __init__(self) -> None:
        super().__init__(axisOrder="col-major", autoDownsample=True)
        self.setColorMap(pg.colormap.get(COLORMAP))
        self._values: npt.NDArray[np.float32] | None = None
        self._bin_s = 1.0
        self._freqs: npt.NDArray[np.float32] = np.zeros(0, np.float32)

    def set_map(
        self,
        values: npt.NDArray[np.float32],
        bin_s: float,
        freqs: npt.NDArray[np.float32],
        levels: tuple[float, float],
    ) -> None:
        """Show ``values`` (bins × freqs, dB) with bins ``bin_s`` long, clipped to ``levels``."""
        self._values, self._bin_s, self._freqs = values, bin_s, freqs
        if values.size == 0 or len(freqs) == 0:
            self.clear()
            return
        self.setImage(values, levels=levels, autoLevels=False)
        step = float(freqs[1] - freqs[0]) if len(freqs) > 1 else 1.0
        self.setRect(
            QRectF(0.0, float(freqs[0]) - step / 2, values.shape[0] * bin_s, len(freqs) * step)
        )

    def value_at(self, t_s: float, freq_hz: float) -> tuple[float, float] | None:
        """(frequency, dB) of the cell under ``(t_s, freq_hz)``; None outside or not computed."""
        values, freqs = self._values, self._freqs
        if values is None or len(freqs) == 0 or t_s < 0:
            return None
        col = int(t_s // self._bin_s)
        row = int(np.argmin(np.abs(freqs - freq_hz)))
        if col >= values.shape[0] or not np.isfinite(values[col, row]):
            return None
        return float(freqs[row]), float(values[col, row])

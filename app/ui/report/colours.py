"""Colour scales of the report, and arrays turned into images through them.

Probability (the ECAM, 0-1) uses a white-yellow-red scale that prints well and reads
at a glance: white is no seizure evidence, dark red certain. The CDSA uses 'turbo', the
same rainbow as the trends panel of the window, from dark blue (low power) to red.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QColor, QImage

#: (position, r, g, b) stops of the probability scale.
PROB_STOPS = (
    (0.0, 255, 255, 255),
    (0.25, 255, 240, 160),
    (0.5, 253, 174, 60),
    (0.75, 230, 60, 30),
    (1.0, 120, 0, 20),
)
#: A few stops of 'turbo' (enough for a print; the window uses pyqtgraph's full table).
TURBO_STOPS = (
    (0.0, 48, 18, 59),
    (0.13, 70, 107, 227),
    (0.25, 40, 170, 240),
    (0.38, 26, 228, 182),
    (0.5, 113, 254, 95),
    (0.63, 200, 239, 52),
    (0.75, 254, 185, 46),
    (0.88, 240, 93, 20),
    (1.0, 122, 4, 3),
)


def lut(stops: tuple[tuple[float, int, int, int], ...], n: int = 256) -> npt.NDArray[np.uint8]:
    """An (n, 3) colour table interpolated between ``stops``."""
    at = np.array([s[0] for s in stops])
    x = np.linspace(0.0, 1.0, n)
    channels = [np.interp(x, at, [s[k] for s in stops]) for k in (1, 2, 3)]
    return np.round(np.stack(channels, axis=1)).astype(np.uint8)


PROB_LUT = lut(PROB_STOPS)
TURBO_LUT = lut(TURBO_STOPS)


def colour_at(table: npt.NDArray[np.uint8], value: float) -> QColor:
    """The colour of ``value`` in [0, 1] (clipped; NaN is light grey)."""
    if not np.isfinite(value):
        return QColor(220, 220, 220)
    i = round(float(np.clip(value, 0.0, 1.0)) * (len(table) - 1))
    r, g, b = (int(c) for c in table[i])
    return QColor(r, g, b)


def to_image(
    values: npt.ArrayLike, table: npt.NDArray[np.uint8], lo: float = 0.0, hi: float = 1.0
) -> QImage:
    """A (rows × cols) array as an ARGB image; NaN is transparent. Row 0 is the top."""
    data = np.asarray(values, dtype=np.float64)
    scaled = np.clip((data - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
    index = np.round(np.nan_to_num(scaled) * (len(table) - 1)).astype(np.intp)
    rgb = table[index].astype(np.uint32)
    alpha = np.where(np.isfinite(data), 255, 0).astype(np.uint32)
    # ARGB32 is one native-endian 32-bit word per pixel: 0xAARRGGBB.
    words = (alpha << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    rows, cols = data.shape
    buffer = np.ascontiguousarray(words, dtype=np.uint32)
    image = QImage(buffer.data, cols, rows, cols * 4, QImage.Format.Format_ARGB32)
    return image.copy()  # own the pixels: ``buffer`` goes away

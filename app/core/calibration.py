"""Physical display units: µV/mm for amplitude and mm/s for time, converted to pixels.

Clinical EEG is read at a calibrated paper scale: 7 µV/mm and 30 mm/s make a 50-µV spike
7 mm tall whatever the monitor. The screen reports its physical resolution (dots per
inch); operating systems sometimes report it wrong, so the user can correct it with a
factor measured against a ruler (``factor`` = true mm / shown mm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MM_PER_INCH = 25.4
#: Used when the screen reports no usable physical resolution (headless, some projectors).
FALLBACK_DPI = 96.0
_DPI_RANGE = (40.0, 1200.0)


def usable_dpi(reported: float) -> float:
    """The reported physical DPI when it is plausible, otherwise :data:`FALLBACK_DPI`."""
    if not math.isfinite(reported) or not _DPI_RANGE[0] <= reported <= _DPI_RANGE[1]:
        return FALLBACK_DPI
    return float(reported)


@dataclass(frozen=True, slots=True)
class Calibration:
    """Pixels per millimetre of one screen, horizontally and vertically.

    ``dpi_x``/``dpi_y`` are physical dots per inch in the same (device-independent)
    pixels the widgets are laid out in; ``factor`` corrects both (1.0 = trust the screen).
    """

    dpi_x: float = FALLBACK_DPI
    dpi_y: float = FALLBACK_DPI
    factor: float = 1.0

    @classmethod
    def from_screen(cls, dpi_x: float, dpi_y: float, factor: float = 1.0) -> Calibration:
        """Build from the screen's reported DPI, falling back when it is implausible."""
        safe_factor = factor if math.isfinite(factor) and 0.2 <= factor <= 5.0 else 1.0
        return cls(usable_dpi(dpi_x), usable_dpi(dpi_y), safe_factor)

    @property
    def px_per_mm_x(self) -> float:
        return self.dpi_x / MM_PER_INCH * self.factor

    @property
    def px_per_mm_y(self) -> float:
        return self.dpi_y / MM_PER_INCH * self.factor

    def uv_per_px(self, sensitivity_uv_mm: float) -> float:
        """Microvolts one vertical pixel stands for at ``sensitivity_uv_mm``."""
        return sensitivity_uv_mm / self.px_per_mm_y

    def height_mm(self, height_px: float) -> float:
        return height_px / self.px_per_mm_y

    def page_s_for_timebase(self, width_px: float, timebase_mm_s: float) -> float:
        """Seconds that fit in ``width_px`` at ``timebase_mm_s`` (e.g. 30 mm/s)."""
        return width_px / self.px_per_mm_x / timebase_mm_s

    def timebase_for_page(self, width_px: float, page_s: float) -> float:
        """The mm/s a page of ``page_s`` seconds shows at in ``width_px``."""
        return width_px / self.px_per_mm_x / page_s

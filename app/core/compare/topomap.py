"""Scalp maps of a signed per-channel value (a change): the interpolated head disc.

Electrode positions are the report's (:func:`app.core.report.topomap.scalp_position`:
MNE's template 10-20 montage ``colin27_1020``, azimuthal equidistant projection, the
T7-Fpz-T8 ring on the head outline), so comparison maps and report maps agree. Values
between electrodes are a thin-plate-spline interpolation clipped to the data's range (no
overshoot beyond the largest measured change), blank outside the head.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from app.core.compare.seeg import clean_name

F64 = npt.NDArray[np.float64]


def electrode_xy(name: str) -> tuple[float, float] | None:
    """Map position (x right, y nose; unit circle = head outline), None if unknown."""
    from app.core.report.topomap import scalp_position  # noqa: PLC0415 - loads mne lazily

    return scalp_position(clean_name(name))


def scalp_layout(names: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Positions of the channels that have one (others are left out), in ``names`` order."""
    out = {}
    for name in names:
        xy = electrode_xy(name)
        if xy is not None:
            out[name] = xy
    return out


def interpolate_disc(xy: F64, values: F64, size: int = 64) -> F64:
    """(size, size) map over [-1, 1]² (row 0 = front); NaN outside the head.

    Needs at least 3 finite values; otherwise everything is NaN.
    """
    from scipy.interpolate import RBFInterpolator  # noqa: PLC0415

    grid = np.linspace(-1.0, 1.0, size)
    gx, gy = np.meshgrid(grid, grid[::-1])
    out = np.full((size, size), np.nan)
    ok = np.isfinite(values) & np.all(np.isfinite(xy), axis=1)
    if ok.sum() < 3:
        return out
    inside = gx**2 + gy**2 <= 1.0
    points = np.stack([gx[inside], gy[inside]], axis=1)
    rbf = RBFInterpolator(xy[ok], values[ok], kernel="thin_plate_spline", degree=1, smoothing=1e-3)
    out[inside] = np.clip(rbf(points), values[ok].min(), values[ok].max())
    return out

"""Min/max decimation of a page to the screen's pixel columns.

A 20-s page at 256 Hz has 5,120 samples per channel but the trace area is ~1,500 pixels
wide: drawing every sample costs time and shows nothing more. For each pixel column we
keep the minimum and the maximum (interleaved, two points per column), the envelope
EDFbrowser and vendor reviewers draw. Unlike plain subsampling this never hides a spike:
a 20-ms sharp transient still reaches its full amplitude on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Envelope:
    """Traces ready to draw: ``x`` (seconds, shared by all channels) and ``y`` per channel.

    ``y`` has shape ``(n_channels, len(x))``. When the page has fewer samples than two per
    column, ``x``/``y`` are the samples themselves (nothing to decimate).
    """

    x: npt.NDArray[np.float64]
    y: FloatArray

    @property
    def n_points(self) -> int:
        return int(self.x.shape[0])


def column_edges(n_samples: int, n_columns: int) -> npt.NDArray[np.intp]:
    """First sample index of each column: ``n_columns`` strictly increasing indices."""
    return (np.arange(n_columns, dtype=np.int64) * n_samples // n_columns).astype(np.intp)


def minmax_decimate(
    data: npt.NDArray[np.floating], n_columns: int, start_s: float, sfreq: float
) -> Envelope:
    """Decimate ``data`` (channels × samples, starting at ``start_s``) to ``n_columns``.

    Each column yields (min, max) at the column's centre time, so a vertical stroke joins
    them and the next column's min; the drawn line covers exactly the range the samples
    span. Non-finite samples are left as they are (they propagate to their column).
    """
    if data.ndim != 2:
        raise ValueError(f"expected channels × samples, got shape {data.shape}")
    n_channels, n_samples = data.shape
    n_columns = max(1, int(n_columns))
    if n_samples <= 2 * n_columns:
        x = start_s + np.arange(n_samples, dtype=np.float64) / sfreq
        return Envelope(x=x, y=np.ascontiguousarray(data, dtype=np.float32))
    edges = column_edges(n_samples, n_columns)
    lows = np.minimum.reduceat(data, edges, axis=1)
    highs = np.maximum.reduceat(data, edges, axis=1)
    y = np.empty((n_channels, 2 * n_columns), dtype=np.float32)
    y[:, 0::2] = lows
    y[:, 1::2] = highs
    ends = np.append(edges[1:], n_samples)
    centres = start_s + (edges + ends - 1) / (2.0 * sfreq)
    return Envelope(x=np.repeat(centres, 2), y=y)

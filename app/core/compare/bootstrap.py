"""Bootstrap over epochs: the uncertainty of a recording's per-channel mean.

Epochs (10 s) are the resampling units: each replicate draws as many epochs as the
recording has, with replacement, and averages them. Every channel of a replicate uses
the same draw, so a shaft's average over its contacts keeps the contacts' correlation.
Pre and post recordings are resampled independently (their own seeds); the change of a
replicate is post minus pre, and its 2.5th-97.5th percentiles are the 95 % interval.
This is an ordinary (i.i.d.) bootstrap of epochs: when discharges cluster over minutes
the intervals come out somewhat narrow; longer epochs (``--epoch``) widen them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
DEFAULT_REPLICATES = 1000
#: Replicates drawn at once (bounds the memory of a long recording's draw matrix).
_BLOCK = 100


def replicate_means(values: F64, replicates: int, seed: int) -> F64:
    """(..., replicates): means of ``values`` (..., n_epochs) over bootstrap draws.

    NaN epochs make the row NaN (a channel without a value stays without one).
    """
    n = values.shape[-1]
    rng = np.random.default_rng(seed)
    flat = values.reshape(-1, n)
    out = np.empty((flat.shape[0], replicates))
    probs = np.full(n, 1.0 / n)
    for start in range(0, replicates, _BLOCK):
        stop = min(start + _BLOCK, replicates)
        counts = rng.multinomial(n, probs, size=stop - start).astype(np.float64)
        out[:, start:stop] = flat @ counts.T / n
    return out.reshape(*values.shape[:-1], replicates)


def interval(replicates: F64, level: float = 0.95) -> tuple[F64, F64]:
    """Percentile interval along the last axis (NaN where the replicates are NaN)."""
    tail = 100.0 * (1.0 - level) / 2.0
    low, high = np.percentile(replicates, [tail, 100.0 - tail], axis=-1)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)

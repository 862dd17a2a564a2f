"""Scalp electrode geometry: positions, brain regions, spatial kernels.

Positions are points on a unit sphere (x right, y nose, z vertex) from the usual 10-20
polar coordinates: the outer ring (Fp1, F7, T7, P7, O1...) on the equator, C3/Fz/Pz at 45°.
Neighbouring 10-20 electrodes are about 0.6 apart. Scalp fields in the simulator (a focal
discharge, a blink, a spindle) fall off with this distance, and the background noise is
mildly correlated between neighbours through the same distances.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from app.core.channels import canonical_electrode

#: The 19 referential 10-20 channels in the conventional order.
SCALP_19: tuple[str, ...] = (
    "Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz",
    "C4", "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "O2",
)  # fmt: skip
#: Added, in order, to reach more than 19 channels (23 = the benchmark layout).
_EXTRA: tuple[str, ...] = (
    "A1", "A2", "ECG", "EOG", "Fpz", "Oz", "AFz", "FCz", "CPz", "POz",
    "F9", "F10", "T9", "T10", "P9", "P10",
)  # fmt: skip
#: Kept first when fewer than 19 channels are asked for (spread over the head).
_PRIORITY: tuple[str, ...] = (
    "Cz", "O1", "O2", "Fp1", "Fp2", "T7", "T8", "C3", "C4", "F7",
    "F8", "P7", "P8", "F3", "F4", "P3", "P4", "Fz", "Pz",
)  # fmt: skip

# (polar angle from the vertex, azimuth from the nose towards the right ear), degrees.
_POLAR: dict[str, tuple[float, float]] = {
    "Fp1": (92, -18), "Fpz": (92, 0), "Fp2": (92, 18), "F7": (92, -54), "F8": (92, 54),
    "T7": (92, -90), "T8": (92, 90), "P7": (92, -126), "P8": (92, 126),
    "O1": (92, -162), "Oz": (92, 180), "O2": (92, 162),
    "F3": (62, -39.5), "F4": (62, 39.5), "P3": (62, -140.5), "P4": (62, 140.5),
    "Fz": (45, 0), "Cz": (0, 0), "Pz": (45, 180), "C3": (45, -90), "C4": (45, 90),
    "AFz": (68, 0), "FCz": (22, 0), "CPz": (22, 180), "POz": (68, 180),
    "F9": (115, -54), "F10": (115, 54), "T9": (115, -90), "T10": (115, 90),
    "P9": (115, -126), "P10": (115, 126),
    "A1": (122, -90), "A2": (122, 90), "M1": (118, -108), "M2": (118, 108),
    "EOG": (112, -25),
}  # fmt: skip

#: Region name -> the 10-20 electrodes where a focal discharge starts.
REGIONS: dict[str, tuple[str, ...]] = {
    "left_temporal": ("F7", "T7", "P7"),
    "right_temporal": ("F8", "T8", "P8"),
    "left_frontal": ("Fp1", "F3", "F7"),
    "right_frontal": ("Fp2", "F4", "F8"),
    "left_central": ("C3",),
    "right_central": ("C4",),
    "left_parietal": ("P3", "P7"),
    "right_parietal": ("P4", "P8"),
    "left_occipital": ("O1",),
    "right_occipital": ("O2",),
    "midline": ("Fz", "Cz", "Pz"),
}


def scalp_channels(n: int = 19) -> tuple[str, ...]:
    """``n`` referential scalp channels: the 19 of 10-20, then A1 A2 ECG EOG, then 10-10.

    ``scalp_channels(23)`` is the benchmark layout (19 EEG + A1, A2, ECG, EOG).
    """
    most = len(SCALP_19) + len(_EXTRA)
    if not 1 <= n <= most:
        raise ValueError(f"scalp_channels: n must be 1..{most}, got {n}")
    if n <= len(SCALP_19):
        keep = set(_PRIORITY[:n])
        return tuple(name for name in SCALP_19 if name in keep)
    return SCALP_19 + _EXTRA[: n - len(SCALP_19)]


def electrode_position(name: str) -> NDArray[np.float64] | None:
    """Unit-sphere position of a scalp electrode (old names accepted), None if unknown."""
    polar = _POLAR.get(canonical_electrode(name))
    if polar is None:
        return None
    theta, phi = np.deg2rad(polar[0]), np.deg2rad(polar[1])
    return np.array([np.sin(theta) * np.sin(phi), np.sin(theta) * np.cos(phi), np.cos(theta)])


def scalp_positions(names: tuple[str, ...]) -> NDArray[np.float64]:
    """(n, 3) positions; NaN rows for channels without a scalp position (ECG...)."""
    out = np.full((len(names), 3), np.nan)
    for i, name in enumerate(names):
        pos = electrode_position(name)
        if pos is not None:
            out[i] = pos
    return out


def distances_to(
    positions: NDArray[np.float64], sources: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Distance from each channel to the nearest source point; inf where unknown."""
    if len(sources) == 0:
        return np.full(len(positions), np.inf)
    diff = positions[:, None, :] - sources[None, :, :]
    dist = np.sqrt(np.min(np.sum(diff * diff, axis=-1), axis=1))
    return np.where(np.isfinite(dist), dist, np.inf)


def gaussian_gain(distance: NDArray[np.float64], sigma: float) -> NDArray[np.float64]:
    """exp(-d²/2σ²): 1 at the source, ~0.6 at one σ, 0 where the distance is unknown."""
    with np.errstate(invalid="ignore", over="ignore"):
        gain = np.exp(-0.5 * (distance / sigma) ** 2)
    return np.where(np.isfinite(distance), gain, 0.0)


def mirrored(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """The homologous points of the other hemisphere (x -> -x)."""
    out = points.copy()
    out[:, 0] = -out[:, 0]
    return out


@lru_cache(maxsize=16)
def mixing_matrix(positions_key: bytes, n: int, length: float) -> NDArray[np.float32]:
    """Square root of the correlation exp(-d/length) between channels (rows of unit norm).

    Mixing independent noises with it gives each channel unit variance and neighbours a
    correlation of exp(-distance / length); channels without a position stay independent.
    """
    positions = np.frombuffer(positions_key, dtype=np.float64).reshape(n, 3)
    known = np.all(np.isfinite(positions), axis=1)
    diff = positions[:, None, :] - positions[None, :, :]
    with np.errstate(invalid="ignore"):
        dist = np.sqrt(np.sum(diff * diff, axis=-1))
    corr = np.where(known[:, None] & known[None, :], np.exp(-dist / length), 0.0)
    np.fill_diagonal(corr, 1.0)
    values, vectors = np.linalg.eigh(corr)
    root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    root /= np.linalg.norm(root, axis=1, keepdims=True)
    out: NDArray[np.float32] = root.astype(np.float32)
    return out

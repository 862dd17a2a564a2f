"""The ECAM as a picture: where on the head (or along which SEEG shaft) the seizure is.

Scalp channels are placed at mne's standard 10-20 positions
(``make_standard_montage("colin27_1020")``, formerly ``standard_1020``), projected onto
a plane by the azimuthal equidistant projection about the vertex: the angle from the
vertex becomes the distance from the centre, scaled so the ring through T7, T8 and Fpz
lies on the head outline
(radius 1; ear electrodes fall just outside it). A bipolar channel sits at the midpoint
of its two electrodes. The map between electrodes is a thin-plate-spline interpolation
of the channel probabilities, clipped to [0, 1] and blank outside the head.

SEEG contacts have no standard position: each shaft is drawn as a strip of its contacts
in order (deepest first), coloured by the same probability.
"""

from __future__ import annotations

import functools
import logging
import math
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from app.core.channels import canonical_electrode, electrodes_of, seeg_contact
from app.core.report.model import ChannelBars, Electrode, ShaftStrip, TopoMap

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
#: Angle from the vertex (degrees) drawn on the head outline: T7/T8 lie at ~94 degrees.
OUTLINE_DEG = 95.0
#: Electrodes further out than this (in head radii) are left off the map.
MAX_RADIUS = 1.4
#: Grid points per side of the interpolated scalp map.
GRID = 96
#: Channels shown in the per-channel bar.
BAR_CHANNELS = 16


@functools.cache
def standard_positions() -> dict[str, tuple[float, float]]:
    """2-D positions (unit circle = head outline; x right, y nose) of the 10-20 names."""
    import mne  # noqa: PLC0415 - only when a scalp map is drawn

    with mne.utils.use_log_level("ERROR"):
        # mne 1.13 renamed the template 10-20 montage "standard_1020" (removed in 1.14).
        montage = mne.channels.make_standard_montage("colin27_1020")
    positions = montage.get_positions()["ch_pos"]
    xyz = np.array(list(positions.values()), dtype=np.float64)
    # Least-squares sphere: |p|^2 = 2 p.c + (r^2 - |c|^2).
    design = np.c_[2 * xyz, np.ones(len(xyz))]
    solution, *_ = np.linalg.lstsq(design, (xyz**2).sum(axis=1), rcond=None)
    rel = xyz - solution[:3]
    theta = np.arccos(np.clip(rel[:, 2] / np.linalg.norm(rel, axis=1), -1.0, 1.0))
    phi = np.arctan2(rel[:, 1], rel[:, 0])
    radius = theta / math.radians(OUTLINE_DEG)
    return {
        name.upper(): (float(r * math.cos(p)), float(r * math.sin(p)))
        for name, r, p in zip(positions, radius, phi, strict=True)
    }


def scalp_position(name: str) -> tuple[float, float] | None:
    """Where a referential (``T3``) or bipolar (``Fp1-F7``) channel sits; None if unknown."""
    table = standard_positions()
    points = [table.get(canonical_electrode(e).upper()) for e in electrodes_of(name)]
    if not points or any(p is None for p in points):
        return None
    xs = [p[0] for p in points if p is not None]
    ys = [p[1] for p in points if p is not None]
    x, y = sum(xs) / len(xs), sum(ys) / len(ys)
    return (x, y) if math.hypot(x, y) <= MAX_RADIUS else None


def interpolate(electrodes: Sequence[Electrode], size: int = GRID) -> F32:
    """The ``size``×``size`` map over [-1, 1]² (row 0 at the front), NaN off the head."""
    from scipy.interpolate import RBFInterpolator  # noqa: PLC0415

    points = np.array([(e.x, e.y) for e in electrodes], dtype=np.float64)
    values = np.array([e.value for e in electrodes], dtype=np.float64)
    axis = np.linspace(-1.0, 1.0, size)
    gx, gy = np.meshgrid(axis, axis[::-1])
    grid = np.c_[gx.ravel(), gy.ravel()]
    if len(electrodes) >= 3:
        kernel = "thin_plate_spline"
        field = RBFInterpolator(points, values, kernel=kernel, degree=1, smoothing=1e-3)(grid)
    else:
        field = np.full(len(grid), float(values.mean()))
    image: F32 = np.clip(np.asarray(field, dtype=np.float32), 0.0, 1.0).reshape(size, size)
    image[np.hypot(gx, gy) > 1.0] = np.nan
    return image


def scalp_map(title: str, names: Sequence[str], values: npt.ArrayLike) -> TopoMap | None:
    """The scalp map of ``values`` per channel; None when fewer than 3 channels are placed."""
    vals = np.asarray(values, dtype=np.float64)
    electrodes = []
    for name, value in zip(names, vals, strict=True):
        where = scalp_position(name)
        if where is not None and math.isfinite(value):
            electrodes.append(Electrode(name, where[0], where[1], float(value)))
    if len(electrodes) < 3:
        return None
    return TopoMap(title, "scalp", image=interpolate(electrodes), electrodes=tuple(electrodes))


def seeg_strips(title: str, names: Sequence[str], values: npt.ArrayLike) -> TopoMap | None:
    """One strip per SEEG shaft (contacts in order); None when no name is a contact."""
    shafts: dict[str, list[tuple[int, str, float]]] = {}
    for name, value in zip(names, np.asarray(values, dtype=np.float64), strict=True):
        contacts = [seeg_contact(e) for e in electrodes_of(name)]
        if not contacts or contacts[0] is None:
            continue
        shaft, number = contacts[0]
        shafts.setdefault(shaft, []).append((number, name, float(np.nan_to_num(value))))
    if not shafts:
        return None
    strips = tuple(
        ShaftStrip(shaft, tuple((name, v) for _, name, v in sorted(items)))
        for shaft, items in sorted(shafts.items())
    )
    return TopoMap(title, "seeg", strips=strips)


def ecam_map(title: str, names: Sequence[str], values: npt.ArrayLike, *, seeg: bool) -> TopoMap:
    """Shaft strips for an SEEG recording, else a scalp map; an empty map when neither."""
    made = seeg_strips(title, names, values) if seeg else None
    if made is None:
        try:
            made = scalp_map(title, names, values)
        except (ImportError, OSError, ValueError, np.linalg.LinAlgError) as exc:
            log.warning("no scalp map: %s", exc)
    return made if made is not None else TopoMap(title, "none")


def channel_bars(title: str, names: Sequence[str], values: npt.ArrayLike) -> ChannelBars:
    """The ``BAR_CHANNELS`` channels of highest value, highest first."""
    vals = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    order = np.argsort(-vals, kind="stable")[:BAR_CHANNELS]
    return ChannelBars(title, tuple(names[i] for i in order), tuple(float(vals[i]) for i in order))


def window_mean(channel_prob: F32, first_s: int, n_s: int) -> F32:
    """Per-channel mean ECAM over seconds ``[first_s, first_s + n_s)`` (clipped)."""
    lo = max(0, min(first_s, channel_prob.shape[1] - 1))
    hi = max(lo + 1, min(first_s + n_s, channel_prob.shape[1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN channels
        mean: F32 = np.asarray(np.nanmean(channel_prob[:, lo:hi], axis=1), dtype=np.float32)
    return mean

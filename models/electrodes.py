"""Where a channel sits on the head: position, lobe and side, from its name alone.

The model is channel-agnostic: each channel gets a position embedding from its electrode
coordinates (standard 10-20/10-10 positions; a bipolar derivation ``Fp1-F7`` sits at the
midpoint of its pair) plus a brain-region embedding. Names that are not scalp electrodes
(SEEG contacts such as ``A'1``, unlabelled channels) get the learned "unknown" embedding and
region 0. This module deliberately does not import the app: it re-implements the small part of
name normalisation the model needs (prefixes, reference suffixes, old/new aliases).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from models.electrode_positions import STANDARD_1020

LOBES: tuple[str, ...] = ("frontal", "central", "temporal", "parietal", "occipital")
SIDES: tuple[str, ...] = ("left", "midline", "right")
#: Region 0 is "unknown"; then one region per (lobe, side).
N_REGIONS = 1 + len(LOBES) * len(SIDES)
#: Old 10-20 names -> 10-10 names (T3 is T7 ...).
ALIASES = {"T3": "T7", "T4": "T8", "T5": "P7", "T6": "P8"}

_CENTRE = np.array([0.0, -0.015, 0.0])
_SCALE = 0.1  # metres -> roughly [-1, 1]
_MIDLINE_X = 0.012
_BY_UPPER = {name.upper(): name for name in STANDARD_1020}
_PREFIX = re.compile(r"^(EEG|POL)[\s_:\-]+", re.IGNORECASE)
_REF_SUFFIX = {"REF", "LE", "AR", "AVG", "AV", "CAR", "A1A2", "M1M2", "LINKED"}
_EAR = {"A1", "A2", "M1", "M2"}
_TEMPORAL_P = {"P7", "P8", "P9", "P10"}  # posterior temporal (T5/T6 in 10-20 names)
_CONTACT = re.compile(r"^[A-Za-z]{1,4}'?\s*\d{1,2}$")


@dataclass(frozen=True, slots=True)
class ChannelGeometry:
    """A channel's normalised head position (or None), lobe and side (or None when unknown)."""

    name: str
    electrodes: tuple[str, ...]
    position: tuple[float, float, float] | None
    lobe: str | None
    side: str | None

    @property
    def known(self) -> bool:
        return self.position is not None

    @property
    def region(self) -> int:
        """Region index for the region embedding (0 = unknown)."""
        if self.lobe is None or self.side is None:
            return 0
        return 1 + LOBES.index(self.lobe) * len(SIDES) + SIDES.index(self.side)


def region_name(region: int) -> str:
    """``"left temporal"`` for a region index; ``"unknown"`` for 0."""
    if region <= 0:
        return "unknown"
    lobe, side = divmod(region - 1, len(SIDES))
    return f"{SIDES[side]} {LOBES[lobe]}"


def _electrode(token: str) -> str | None:
    """The 10-10 name of one electrode token, or None when it is not a scalp electrode."""
    name = _BY_UPPER.get(token.strip().upper())
    if name is None:
        return None
    return ALIASES.get(name, name)


def _lobe(name: str) -> str:
    upper = name.upper()
    if upper in _EAR or upper in {n.upper() for n in _TEMPORAL_P} or upper.startswith(("T", "FT")):
        return "temporal"
    if upper.startswith(("FP", "AF")) or (upper.startswith("F") and not upper.startswith("FC")):
        return "frontal"
    if upper.startswith(("FC", "C")) and not upper.startswith("CP"):
        return "central"
    if upper.startswith(("CP", "P")) and not upper.startswith("PO"):
        return "parietal"
    return "occipital"


def _parts(raw: str) -> list[str]:
    text = _PREFIX.sub("", raw.strip())
    parts = [p for p in re.split(r"\s*-\s*", text) if p]
    if len(parts) == 3 and parts[2].isdigit():  # duplicate suffix from readers: T8-P8-0
        parts = parts[:2]
    if len(parts) >= 2 and parts[-1].upper() in _REF_SUFFIX:
        parts = parts[:-1]
    if len(parts) == 2 and parts[1].upper() in _EAR and parts[0].upper() not in _EAR:
        parts = parts[:1]  # ear / mastoid reference: the active electrode
    return parts


@lru_cache(maxsize=4096)
def channel_geometry(raw: str) -> ChannelGeometry:
    """Geometry of one channel label (referential, bipolar, or unknown such as SEEG)."""
    parts = _parts(raw)
    names = [_electrode(p) for p in parts]
    if not names or len(names) > 2 or any(n is None for n in names):
        return ChannelGeometry(raw, (), None, None, None)
    electrodes = tuple(n for n in names if n is not None)
    xyz = np.mean([STANDARD_1020[e] for e in electrodes], axis=0)
    lobes = [_lobe(e) for e in electrodes]
    lobe = "temporal" if "temporal" in lobes else lobes[0]
    side = "left" if xyz[0] < -_MIDLINE_X else "right" if xyz[0] > _MIDLINE_X else "midline"
    pos = (xyz - _CENTRE) / _SCALE
    position = (float(pos[0]), float(pos[1]), float(pos[2]))
    return ChannelGeometry(raw, electrodes, position, lobe, side)


def _is_contact(name: str) -> bool:
    return all(_CONTACT.match(p) is not None for p in _parts(name)) and bool(_parts(name))


def recording_geometry(names: Sequence[str]) -> list[ChannelGeometry]:
    """Geometry of every channel, using the whole montage as context.

    A depth-electrode contact can carry a 10-10 name (shaft ``TP``: ``TP7``, ``TP8``). When
    most electrode-like channels are shaft contacts that are not scalp names (at least 4,
    and at least as many as the scalp names), every contact-like name is treated as SEEG
    (unknown position), as the app's channel typing does.
    """
    geoms = [channel_geometry(n) for n in names]
    depth = sum(1 for n, g in zip(names, geoms, strict=True) if not g.known and _is_contact(n))
    scalp = sum(1 for g in geoms if g.known)
    if depth >= 4 and depth >= scalp:
        geoms = [
            ChannelGeometry(n, (), None, None, None) if _is_contact(n) else g
            for n, g in zip(names, geoms, strict=True)
        ]
    return geoms


def geometry_arrays(
    names: Sequence[str],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Positions (n, 3), region indices (n,) and known flags (n,) for a list of channel names."""
    geoms = recording_geometry(names)
    pos = np.array([g.position or (0.0, 0.0, 0.0) for g in geoms], dtype=np.float32)
    region = np.array([g.region for g in geoms], dtype=np.int64)
    known = np.array([g.known for g in geoms], dtype=np.bool_)
    return pos.reshape(len(geoms), 3), region, known

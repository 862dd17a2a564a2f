"""Per-recording constants derived once from a spec: channel types, positions, field gains.

Scalp and SEEG differ only here: the units of distance (unit sphere vs millimetres), the
size of fields, background amplitudes, and which artefacts reach which channels (eye
blinks and muscle reach the scalp, not depth contacts).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from app.core.channels import ChannelType, infer_type, seeg_contact
from app.core.simulate.layout import (
    REGIONS,
    distances_to,
    electrode_position,
    gaussian_gain,
    mixing_matrix,
    scalp_positions,
)
from app.core.simulate.seeg import seeg_positions, shaft_onset_contacts

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

Vector = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Scales:
    """Spatial and amplitude scales of one recording kind (distances in position units)."""

    corr_length: float  # background correlation length
    onset_sigma: float  # field of a seizure onset zone
    spread_sigma: float  # field after spread to neighbours
    spike_sigma: float  # field of an interictal spike
    delay_s_per_unit: float  # propagation delay of ictal rhythms
    background_uv: float  # RMS of the broadband background
    spike_uv: float  # peak of an interictal spike


#: Scalp background correlation length 2.0: neighbouring 10-20 electrodes correlate ~0.8,
#: so a bipolar (double banana) trace has ~0.7x the RMS of a referential one (~19 vs
#: ~27 µV awake), as in real scalp EEG (~0.5x in the SPaRCNet ICU segments); at 0.4 the
#: channels were nearly independent and bipolar traces larger than referential ones.
SCALP = Scales(2.0, 0.3, 0.7, 0.45, 0.06, 24.0, 130.0)
SEEG = Scales(6.0, 2.5, 12.0, 4.5, 0.001, 45.0, 450.0)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the generators need that does not depend on time."""

    names: tuple[str, ...]
    types: tuple[ChannelType, ...]
    positions: NDArray[np.float64]
    brain: NDArray[np.bool_]  # EEG or SEEG channels
    silenced: NDArray[np.bool_]
    scales: Scales
    mixing: NDArray[np.float32]
    alpha_w: NDArray[np.float32]  # (n, 2): left/right alpha generators
    delta_w: NDArray[np.float32]  # (n, 2)
    blink_gain: Vector
    spindle_gain: Vector
    kcomplex_gain: Vector
    muscle_gain: NDArray[np.float64]  # (2, n): left, right
    ecg_gain: Vector
    spike_focus: tuple[int, ...]


def channel_types(names: tuple[str, ...], kind: str) -> tuple[ChannelType, ...]:
    types = []
    for name in names:
        if kind == "seeg" and seeg_contact(name) is not None:
            types.append(ChannelType.SEEG)
        else:
            types.append(infer_type(name, name))
    return tuple(types)


def onset_zone(
    names: tuple[str, ...], kind: str, region: str, override: tuple[str, ...]
) -> tuple[str, ...]:
    """Channels where a focal discharge of ``region`` starts; raises ValueError if none."""
    if override:
        return override
    if kind == "seeg":
        zone = shaft_onset_contacts(region, names)
    else:
        electrodes = REGIONS.get(region)
        if electrodes is None:
            known = ", ".join(REGIONS)
            raise ValueError(f"unknown region {region!r}; known regions: {known}")
        zone = tuple(n for n in names if n in electrodes)
        if not zone:  # none of the region's electrodes recorded: nearest ones
            zone = _nearest(names, electrodes)
    if not zone:
        raise ValueError(f"region {region!r} has no channel in this recording")
    return zone


def _nearest(names: tuple[str, ...], electrodes: tuple[str, ...]) -> tuple[str, ...]:
    centre = np.array([p for e in electrodes if (p := electrode_position(e)) is not None])
    dist = distances_to(scalp_positions(names), centre)
    if not np.isfinite(dist).any():
        return ()
    return (names[int(np.argmin(dist))],)


@lru_cache(maxsize=8)
def context(spec: SimulationSpec) -> Context:
    """The time-independent constants of ``spec`` (cached: specs are immutable)."""
    names, seeg = spec.channels, spec.kind == "seeg"
    types = channel_types(names, spec.kind)
    brain = np.array([t in (ChannelType.EEG, ChannelType.SEEG) for t in types])
    positions = seeg_positions(names) if seeg else scalp_positions(names)
    positions[~brain & np.array([t is not ChannelType.EOG for t in types])] = np.nan
    scales = SEEG if seeg else SCALP
    pos_key = np.ascontiguousarray(positions).tobytes()
    x, y = np.nan_to_num(positions[:, 0]), np.nan_to_num(positions[:, 1])
    side = np.clip(x / (40.0 if seeg else 1.0), -1.0, 1.0)
    lr = np.stack([np.sqrt((1 - side) / 2), np.sqrt((1 + side) / 2)], axis=1)
    if seeg:
        alpha = np.zeros(len(names))
        delta = np.where(brain, 1.0, 0.0)
    else:
        alpha = np.where(brain, 0.12 + 0.88 * np.clip(-y, 0.0, 1.0), 0.0)
        delta = np.where(brain, 0.7 + 0.3 * np.clip(y, 0.0, 1.0), 0.0)

    def field(points: tuple[str, ...], sigma: float) -> Vector:
        if seeg:
            return np.where(brain, 0.5, 0.0)
        centre = np.array([p for e in points if (p := electrode_position(e)) is not None])
        return gaussian_gain(distances_to(positions, centre), sigma)

    blink = np.zeros(len(names)) if seeg else field(("Fp1", "Fp2"), 0.28)
    if not seeg:
        blink = np.where(np.array([t is ChannelType.EOG for t in types]), 1.3, blink)
    muscle = np.zeros((2, len(names)))
    if not seeg:
        muscle = np.stack([field(("F7", "T7"), 0.35), field(("F8", "T8"), 0.35)])
    ecg_gain = np.array([1.0 if t is ChannelType.ECG else 0.0 for t in types])
    ecg_gain += np.array([0.02 if n in ("A1", "A2", "M1", "M2") else 0.0 for n in names])
    return Context(
        names=names,
        types=types,
        positions=positions,
        brain=brain,
        silenced=np.array([n in spec.silenced_contacts for n in names]),
        scales=scales,
        mixing=mixing_matrix(pos_key, len(names), scales.corr_length),
        alpha_w=(lr * alpha[:, None]).astype(np.float32),
        delta_w=(lr * delta[:, None]).astype(np.float32),
        blink_gain=blink,
        spindle_gain=field(("Cz", "C3", "C4"), 0.45),
        kcomplex_gain=field(("Fz", "Cz", "F3", "F4"), 0.6),
        muscle_gain=muscle,
        ecg_gain=ecg_gain,
        spike_focus=_spike_focus(spec, names),
    )


def _spike_focus(spec: SimulationSpec, names: tuple[str, ...]) -> tuple[int, ...]:
    if spec.spike_channels:
        chosen = spec.spike_channels
    elif spec.seizures and spec.seizures[0].kind == "focal":
        first = spec.seizures[0]
        chosen = onset_zone(names, spec.kind, first.region, first.onset_channels)
    elif spec.kind == "seeg":
        chosen = names[:3]
    else:
        chosen = onset_zone(names, "scalp", "left_temporal", ())
    return tuple(names.index(n) for n in chosen if n in names)

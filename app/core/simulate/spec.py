"""What a synthetic recording contains: channels, length, sleep, seizures, spikes, artefacts.

A :class:`SimulationSpec` is the whole ground truth of a synthetic recording. Every sample
and every truth annotation is a pure function of it, so a spec written to JSON next to a
benchmark file is enough to regenerate the file bit for bit.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any, Literal, get_args

import numpy as np

from app.core.errors import IctalError
from app.core.simulate.context import onset_zone
from app.core.simulate.layout import SCALP_19, scalp_channels
from app.core.simulate.seeg import seeg_channels

SeizureKind = Literal["focal", "absence", "generalized_tonic_clonic"]
RecordingKind = Literal["scalp", "seeg"]
SEIZURE_KINDS: tuple[str, ...] = get_args(SeizureKind)
RECORDING_KINDS: tuple[str, ...] = get_args(RecordingKind)
DEFAULT_START = datetime(2024, 1, 1, 22, 0, 0)


class SimulationSpecError(IctalError):
    """A simulation spec (for instance one read from JSON) is inconsistent."""


@dataclass(frozen=True, slots=True)
class SeizureSpec:
    """One seizure of known onset, length, type and onset zone.

    ``region`` is a scalp region (``left_temporal``...) or, for SEEG, a shaft name (``B'``);
    ``onset_channels`` overrides the region's electrodes/contacts. ``spread`` lets a focal
    seizure recruit neighbours and then the other hemisphere. Absence and tonic-clonic
    seizures are generalised; their region is ignored.
    """

    onset_s: float
    duration_s: float
    kind: SeizureKind = "focal"
    region: str = "left_temporal"
    spread: bool = True
    onset_channels: tuple[str, ...] = ()

    @property
    def offset_s(self) -> float:
        return self.onset_s + self.duration_s

    @property
    def postictal_s(self) -> float:
        """Length of post-ictal suppression and slowing (none after an absence)."""
        if self.kind == "absence":
            return 0.0
        if self.kind == "generalized_tonic_clonic":
            return 180.0
        return min(max(self.duration_s, 30.0), 120.0)

    @property
    def description(self) -> str:
        """The truth annotation text: ``Seizure: focal left_temporal``."""
        if self.kind == "focal":
            return f"Seizure: focal {self.region}"
        return f"Seizure: {self.kind}"


@dataclass(frozen=True, slots=True)
class ArtefactRates:
    """Artefact rates while awake (eye blinks also stop in sleep, muscle mostly does)."""

    blinks_per_min: float = 10.0
    muscle_per_hour: float = 20.0
    pops_per_hour: float = 3.0


@dataclass(frozen=True, slots=True)
class SimulationSpec:
    """A synthetic EEG recording, fully determined by these fields.

    ``channels`` are the stored channel names in order (``scalp_channels(23)`` for the
    benchmark layout, ``seeg_channels()`` for depth electrodes). ``sleep`` gives the
    recording a hypnogram that starts at lights-out. ``spike_channels`` (default: the onset
    zone of the first seizure, else left temporal) carry the interictal spikes.
    ``silenced_contacts`` are treated contacts (e.g. after thermocoagulation): their
    discharges are switched off and their background is attenuated.
    """

    duration_s: float = 600.0
    sfreq: float = 256.0
    channels: tuple[str, ...] = SCALP_19
    kind: RecordingKind = "scalp"
    seed: int = 0
    start: datetime = DEFAULT_START
    sleep: bool = False
    seizures: tuple[SeizureSpec, ...] = ()
    spikes_per_hour: float = 30.0
    spike_channels: tuple[str, ...] = ()
    artefacts: ArtefactRates = field(default_factory=ArtefactRates)
    silenced_contacts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def n_samples(self) -> int:
        return round(self.duration_s * self.sfreq)

    # --- JSON -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimulationSpec:
        try:
            items = dict(data)
            start = items.get("start", DEFAULT_START)
            items["start"] = start if isinstance(start, datetime) else datetime.fromisoformat(start)
            items["channels"] = tuple(items.get("channels", SCALP_19))
            items["spike_channels"] = tuple(items.get("spike_channels", ()))
            items["silenced_contacts"] = tuple(items.get("silenced_contacts", ()))
            items["artefacts"] = ArtefactRates(**items.get("artefacts", {}))
            items["seizures"] = tuple(
                SeizureSpec(**{**s, "onset_channels": tuple(s.get("onset_channels", ()))})
                for s in items.get("seizures", ())
            )
            return cls(**items)
        except (TypeError, ValueError, KeyError) as exc:
            raise SimulationSpecError("Simulation spec", f"invalid field: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> SimulationSpec:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SimulationSpecError("Simulation spec", f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise SimulationSpecError("Simulation spec", "the JSON is not an object")
        return cls.from_dict(data)

    # --- factories ------------------------------------------------------------------------
    @classmethod
    def night(
        cls,
        hours: float = 8.0,
        n_seizures: int = 3,
        seed: int = 0,
        *,
        channels: tuple[str, ...] | None = None,
        kinds: tuple[SeizureKind, ...] = ("focal",),
        region: str = "left_temporal",
        sfreq: float = 256.0,
    ) -> SimulationSpec:
        """A sleep recording of ``hours`` with ``n_seizures`` placed deterministically.

        Seizures fall one per equal slot of the night (never in the first 5 minutes), with
        clinically usual lengths: focal 30-120 s, absence 5-15 s, tonic-clonic 50-110 s.
        Every other focal seizure spreads (focal to bilateral evolution).
        """
        duration = float(hours) * 3600.0
        rng = np.random.default_rng([seed, 7001])
        margin = min(300.0, duration / 10)
        slot = (duration - 2 * margin) / max(n_seizures, 1)
        seizures = []
        for i in range(n_seizures):
            kind = kinds[i % len(kinds)]
            length = float(rng.uniform(*_DURATION_RANGE[kind]))
            onset = margin + i * slot + float(rng.uniform(0.1, 0.9)) * max(slot - length, 0.0)
            seizures.append(
                SeizureSpec(round(onset, 1), round(length, 1), kind, region, spread=i % 2 == 0)
            )
        return cls(
            duration_s=duration,
            sfreq=sfreq,
            channels=scalp_channels(23) if channels is None else channels,
            seed=seed,
            sleep=True,
            seizures=tuple(seizures),
        )

    @classmethod
    def seeg_demo(cls, duration_s: float = 600.0, seed: int = 0) -> SimulationSpec:
        """A depth recording with one mesial temporal seizure starting on B'1-B'3."""
        return cls(
            duration_s=duration_s,
            channels=seeg_channels(),
            kind="seeg",
            seed=seed,
            seizures=(SeizureSpec(duration_s * 0.5, 60.0, "focal", "B'"),),
            spikes_per_hour=240.0,
            spike_channels=("B'1", "B'2", "B'3", "A'1", "A'2"),
        )

    def silenced(self, contacts: tuple[str, ...]) -> SimulationSpec:
        """The same recording after treating ``contacts`` (their discharges disappear)."""
        return replace(self, silenced_contacts=tuple(contacts))


_DURATION_RANGE: dict[str, tuple[float, float]] = {
    "focal": (30.0, 120.0),
    "absence": (5.0, 15.0),
    "generalized_tonic_clonic": (50.0, 110.0),
}


def _validate(spec: SimulationSpec) -> None:
    def fail(why: str) -> None:
        raise SimulationSpecError("Simulation spec", why)

    if not (math.isfinite(spec.duration_s) and spec.duration_s > 0):
        fail(f"duration_s must be positive, got {spec.duration_s}")
    if not (math.isfinite(spec.sfreq) and spec.sfreq >= 32):
        fail(f"sfreq must be at least 32 Hz, got {spec.sfreq}")
    rates = (spec.spikes_per_hour, *asdict(spec.artefacts).values())
    if not all(math.isfinite(r) and r >= 0 for r in rates):
        fail("event rates must be zero or positive")
    if spec.kind not in RECORDING_KINDS:
        fail(f"kind must be one of {RECORDING_KINDS}, got {spec.kind!r}")
    if not spec.channels or len(set(spec.channels)) != len(spec.channels):
        fail("channels must be a non-empty list of unique names")
    known = set(spec.channels)
    for name in (*spec.spike_channels, *spec.silenced_contacts):
        if name not in known:
            fail(f"channel {name!r} is not one of the recording's channels")
    for seizure in spec.seizures:
        if seizure.kind not in SEIZURE_KINDS:
            fail(f"seizure kind must be one of {SEIZURE_KINDS}, got {seizure.kind!r}")
        if seizure.duration_s <= 0 or seizure.onset_s < 0:
            fail(f"seizure at {seizure.onset_s} s has a negative onset or no duration")
        if seizure.offset_s > spec.duration_s:
            fail(f"seizure at {seizure.onset_s} s ends after the recording")
        for name in seizure.onset_channels:
            if name not in known:
                fail(f"seizure onset channel {name!r} is not one of the recording's channels")
        if seizure.kind == "focal":
            try:
                onset_zone(spec.channels, spec.kind, seizure.region, seizure.onset_channels)
            except ValueError as exc:
                fail(str(exc))

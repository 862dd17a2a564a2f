"""Transient events: interictal spikes, sleep spindles, K-complexes and artefacts.

Events are drawn per 10-s block from a generator seeded by (seed, block), at rates that
depend on the sleep stage of the block, so the events of any span (and the full list for
the truth annotations) come out the same however the recording is cut into pieces. No
event lasts more than ``MAX_EVENT_S``; a span needs only the blocks that overlap it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from app.core.simulate.background import BLOCK_S
from app.core.simulate.context import Context, context
from app.core.simulate.layout import distances_to, gaussian_gain
from app.core.simulate.sleep import EFFECTS, stage_at

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

MAX_EVENT_S = 5.0
_STREAM = 7201
KINDS = ("spike", "blink", "muscle", "pop", "spindle", "kcomplex", "eye_movement")


@dataclass(frozen=True, slots=True)
class Event:
    """One transient: ``onset``/``length`` in samples; ``channel`` is its focus or -1."""

    kind: str
    onset: int
    length: int
    amplitude: float
    param: float  # spike width (s), blink/pop time constant (s), spindle frequency (Hz)
    channel: int
    block: int
    index: int


def _rates(spec: SimulationSpec, block: int) -> NDArray[np.float64]:
    """Events per second of each kind (in ``KINDS`` order) in ``block``."""
    effect = EFFECTS[int(stage_at(spec, np.array([(block + 0.5) * BLOCK_S]))[0])]
    scalp = 1.0 if spec.kind == "scalp" else 0.0
    art = spec.artefacts
    focus = 1.0 if context(spec).spike_focus else 0.0
    return np.array(
        [
            spec.spikes_per_hour / 3600 * effect.spikes * focus,
            art.blinks_per_min / 60 * effect.blinks * scalp,
            art.muscle_per_hour / 3600 * effect.muscle * scalp,
            art.pops_per_hour / 3600,
            effect.spindles_per_min / 60,
            effect.kcomplexes_per_min / 60,
            effect.eye_movements_per_min / 60 * scalp,
        ]
    )


def _params(kind: str, u: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    """(n, 3): amplitude, parameter, length in seconds, from uniform draws ``u`` (n, 3)."""
    n = len(u)
    if kind == "spike":
        width = 0.02 + 0.05 * u[:, 1]
        return np.stack([scale * (0.7 + 0.6 * u[:, 0]), width, width + 0.45], axis=1)
    if kind == "blink":
        tau = 0.1 + 0.05 * u[:, 1]
        return np.stack([200 + 200 * u[:, 0], tau, 6 * tau], axis=1)
    if kind == "muscle":
        return np.stack([15 + 45 * u[:, 0], np.floor(3 * u[:, 1]), 0.5 + 3.5 * u[:, 2]], axis=1)
    if kind == "pop":
        tau = 0.1 + 0.4 * u[:, 1]
        sign = np.where(u[:, 2] < 0.5, -1.0, 1.0)
        return np.stack([sign * (100 + 300 * u[:, 0]), tau, 5 * tau], axis=1)
    if kind == "spindle":
        return np.stack([30 + 30 * u[:, 0], 11.5 + 3 * u[:, 1], 0.5 + 1.5 * u[:, 2]], axis=1)
    if kind == "kcomplex":
        return np.stack([80 + 70 * u[:, 0], np.zeros(n), 0.6 + 0.4 * u[:, 2]], axis=1)
    sign = np.where(u[:, 1] < 0.5, -1.0, 1.0)  # eye movement
    return np.stack([sign * (60 + 90 * u[:, 0]), np.zeros(n), np.full(n, 1.5)], axis=1)


@lru_cache(maxsize=64)
def block_events(spec: SimulationSpec, block: int) -> tuple[Event, ...]:
    """The events whose onset falls in 10-s block ``block``, in a fixed order."""
    ctx = context(spec)
    rng = np.random.default_rng([spec.seed, _STREAM, block])
    counts = rng.poisson(_rates(spec, block) * BLOCK_S)
    onsets = rng.uniform(0.0, BLOCK_S, int(counts.sum())) + block * BLOCK_S
    draws = rng.random((len(onsets), 4))
    brain = np.flatnonzero(ctx.brain)
    events: list[Event] = []
    stop = 0
    for kind, count in zip(KINDS, counts, strict=True):
        start, stop = stop, stop + int(count)
        if count == 0:
            continue
        params = _params(kind, draws[start:stop, :3], ctx.scales.spike_uv)
        for j in range(int(count)):
            t = float(onsets[start + j])
            if t >= spec.duration_s or _suppressed(spec, kind, t):
                continue
            channel, pick = -1, float(draws[start + j, 3])
            if kind == "spike":
                channel = ctx.spike_focus[int(pick * len(ctx.spike_focus))]
            elif kind == "pop" and len(brain):
                channel = int(brain[int(pick * len(brain))])
            amp, param, length = (float(v) for v in params[j])
            onset, n = round(t * spec.sfreq), round(length * spec.sfreq)
            events.append(Event(kind, onset, n, amp, param, channel, block, start + j))
    return tuple(events)


def _suppressed(spec: SimulationSpec, kind: str, t: float) -> bool:
    """No interictal spike during or right after a seizure; no blink in a tonic-clonic one."""
    if kind == "spike":
        return any(s.onset_s - 2.0 <= t < s.offset_s + s.postictal_s for s in spec.seizures)
    if kind in ("blink", "eye_movement"):
        return any(
            s.onset_s <= t < s.offset_s + 30.0
            for s in spec.seizures
            if s.kind == "generalized_tonic_clonic"
        )
    return False


def events_between(spec: SimulationSpec, first: int, stop: int) -> list[Event]:
    """Events that overlap samples [first, stop)."""
    fs = spec.sfreq
    k0 = max(int((first / fs - MAX_EVENT_S) // BLOCK_S), 0)
    k1 = int((stop / fs) // BLOCK_S)
    return [
        ev
        for k in range(k0, k1 + 1)
        for ev in block_events(spec, k)
        if ev.onset < stop and ev.onset + ev.length > first
    ]


def all_events(spec: SimulationSpec, kind: str) -> list[Event]:
    """Every event of ``kind`` in the recording (for the truth annotations)."""
    n_blocks = int(np.ceil(spec.duration_s / BLOCK_S))
    return [ev for k in range(n_blocks) for ev in block_events(spec, k) if ev.kind == kind]


@lru_cache(maxsize=256)
def spike_gain(spec: SimulationSpec, channel: int) -> NDArray[np.float64]:
    """Field of a spike centred on ``channel`` (silenced contacts carry none)."""
    ctx = context(spec)
    centre = ctx.positions[channel : channel + 1]
    if np.all(np.isfinite(centre)):
        gain = gaussian_gain(distances_to(ctx.positions, centre), ctx.scales.spike_sigma)
    else:
        gain = np.zeros(len(ctx.names))
    gain[channel] = 1.0
    gain = np.where(ctx.brain & ~ctx.silenced, gain, 0.0)
    gain.flags.writeable = False
    return gain


def event_gain(spec: SimulationSpec, ctx: Context, ev: Event) -> NDArray[np.float64]:
    """Per-channel gain of an event's waveform."""
    if ev.kind == "spike":
        return spike_gain(spec, ev.channel)
    if ev.kind in ("blink", "eye_movement"):
        return ctx.blink_gain
    if ev.kind == "muscle":
        side = int(ev.param)
        both: NDArray[np.float64] = np.maximum(ctx.muscle_gain[0], ctx.muscle_gain[1])
        return ctx.muscle_gain[side] if side < 2 else both
    if ev.kind == "spindle":
        return ctx.spindle_gain
    if ev.kind == "kcomplex":
        return ctx.kcomplex_gain
    gain = np.zeros(len(ctx.names))
    gain[ev.channel] = 1.0
    return gain
